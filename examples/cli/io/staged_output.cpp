// examples/cli/io/staged_output.cpp: see staged_output.hpp.
#include "staged_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "image_io.hpp"
#include "interrupts.hpp"

namespace resizemix_cli {

namespace fs = std::filesystem;

namespace {

fs::path beside(const fs::path& destination, const char* tag) {
    fs::path name = destination;
    name += std::string(tag) + std::to_string(::getpid());
    return name;
}

std::string error_text(int error_number) { return std::strerror(error_number); }

}  // namespace

void write_new_file(const fs::path& path, std::span<const std::uint8_t> bytes) {
    const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (descriptor < 0) throw file_error("cannot create " + quoted(path.string()) + ": " + error_text(errno));
    const auto* at = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ::ssize_t written = ::write(descriptor, at, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            const int error_number = errno;
            ::close(descriptor);
            ::unlink(path.c_str());
            throw file_error("cannot write " + quoted(path.string()) + ": " + error_text(error_number));
        }
        at += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::close(descriptor) != 0) {
        const int error_number = errno;
        ::unlink(path.c_str());
        throw file_error("cannot write " + quoted(path.string()) + ": " + error_text(error_number));
    }
}

staged_output::staged_output(fs::path destination, fs::path temporary, bool is_folder) noexcept
    : destination_(std::move(destination)), temporary_(std::move(temporary)), is_folder_(is_folder) {}

staged_output::staged_output(staged_output&& other) noexcept
    : destination_(std::move(other.destination_)),
      temporary_(std::move(other.temporary_)),
      is_folder_(other.is_folder_),
      committed_(std::exchange(other.committed_, true)) {}

staged_output staged_output::file(fs::path destination, std::span<const std::uint8_t> bytes) {
    fs::path temporary = beside(destination, ".tmp-");
    try {
        write_new_file(temporary, bytes);
    } catch (const file_error& e) {
        throw file_error("cannot write output " + quoted(destination.string()) + ": " + e.what());
    }
    return {std::move(destination), std::move(temporary), false};
}

staged_output staged_output::folder(fs::path destination) {
    fs::path temporary = beside(destination, ".tmp-");
    if (::mkdir(temporary.c_str(), 0777) != 0) {
        throw file_error("cannot create staging directory " + quoted(temporary.string()) + ": " + error_text(errno));
    }
    return {std::move(destination), std::move(temporary), true};
}

staged_output::~staged_output() {
    if (committed_) return;
    std::error_code ignored;
    fs::remove_all(temporary_, ignored);
}

void staged_output::commit(bool replace_folder) {
    check_interrupt();
    const auto rename_in = [&] {
        if (std::rename(temporary_.c_str(), destination_.c_str()) != 0) {
            throw file_error((is_folder_ ? "cannot rename " + quoted(temporary_.string()) + " to "
                                         : "cannot write output ") +
                             quoted(destination_.string()) + ": " + error_text(errno));
        }
    };
    std::error_code error;
    if (is_folder_ && replace_folder && fs::is_directory(destination_, error) && !fs::is_empty(destination_, error) &&
        !error) {
        const fs::path aside = beside(destination_, ".old-");
        if (std::rename(destination_.c_str(), aside.c_str()) != 0) {
            throw file_error("cannot move the old output directory " + quoted(destination_.string()) +
                             " aside: " + error_text(errno));
        }
        try {
            rename_in();
        } catch (...) {
            std::rename(aside.c_str(), destination_.c_str());  // put the old output back
            throw;
        }
        committed_ = true;
        fs::remove_all(aside, error);
        return;
    }
    // rename() replaces a file, or an empty folder, and refuses a non-empty one (one created meanwhile).
    rename_in();
    committed_ = true;
}

}  // namespace resizemix_cli
