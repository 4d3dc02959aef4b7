// examples/cli/io/staged_output.hpp: output that appears whole or not at all.
//
// A staged_output is a file or folder written under a temporary name beside
// its destination ("<destination>.tmp-<pid>", created exclusively, so nothing
// already there is followed or reused) and renamed into place by commit().
// Until then the destination is untouched; if the staged output is destroyed
// uncommitted (an error, an interrupt: see interrupts.hpp) the temporary
// file or folder is removed with everything in it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

namespace resizemix_cli {

/// A file or folder under a temporary name, renamed over its destination by commit().
class staged_output {
public:
    /// A new file beside `destination` holding `bytes`.
    [[nodiscard]] static staged_output file(std::filesystem::path destination, std::span<const std::uint8_t> bytes);
    /// A new empty folder beside `destination`, to be filled through path().
    [[nodiscard]] static staged_output folder(std::filesystem::path destination);

    staged_output(staged_output&& other) noexcept;
    staged_output& operator=(staged_output&&) = delete;
    staged_output(const staged_output&) = delete;
    staged_output& operator=(const staged_output&) = delete;
    /// Removes the temporary file or folder unless committed.
    ~staged_output();

    /// The temporary file or folder.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return temporary_; }

    /// Renames the temporary over the destination, after check_interrupt(). A file
    /// replaces a file; a folder replaces a missing or empty folder, or, with
    /// `replace_folder`, a non-empty one: that is renamed aside to
    /// "<destination>.old-<pid>", deleted once the new folder is in place, and put
    /// back if the rename fails, so a failure leaves the old folder whole.
    void commit(bool replace_folder = false);

private:
    staged_output(std::filesystem::path destination, std::filesystem::path temporary, bool is_folder) noexcept;

    std::filesystem::path destination_;
    std::filesystem::path temporary_;
    bool is_folder_ = false;
    bool committed_ = false;
};

/// Writes a new file at `path` (it must not exist yet: created exclusively); on failure removes what it wrote.
void write_new_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace resizemix_cli
