// tests/support/cli_support.hpp: running the built CLI from the end-to-end tests (not a test file itself).
//
// The CLI runs through the shell with stdout and stderr captured in files
// (so stderr is never a terminal), and its exit status, stdout and stderr come back.
#pragma once

#include <stb_image.h>
#include <stb_image_write.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <resizemix/geometry.hpp>
#include <resizemix/view.hpp>
#include <set>

namespace cli_support {

namespace fs = std::filesystem;
using strings = std::vector<std::string>;

inline std::string data_file(const std::string& name) { return std::string(RESIZEMIX_DATA_DIR) + "/" + name; }

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

struct run_result {
    int status = -1;
    std::string out;
    std::string err;
};

inline std::string shell_quote(const std::string& word) {
    std::string quoted = "'";
    for (const char c : word) {
        if (c == '\'') quoted += "'\\''";
        else quoted += c;
    }
    return quoted + "'";
}

/// The shell command that runs the CLI with `arguments`, each quoted.
inline std::string command_line(const strings& arguments) {
    std::string command = shell_quote(RESIZEMIX_CLI_PATH);
    for (const auto& argument : arguments) command += " " + shell_quote(argument);
    return command;
}

/// Runs the CLI with `arguments`; stdout and stderr go through files in `capture_dir`.
inline run_result run_cli(const fs::path& capture_dir, const strings& arguments) {
    const fs::path out = capture_dir / "stdout";
    const fs::path err = capture_dir / "stderr";
    const std::string command = command_line(arguments) + " >" + shell_quote(out.string()) + " 2>" +
                                shell_quote(err.string()) + " </dev/null";
    const int raw = std::system(command.c_str());
    run_result result;
    result.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    result.out = read_text(out);
    result.err = read_text(err);
    return result;
}

inline strings operator+(strings a, const strings& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline std::size_t count_lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// An 8-bit image decoded by stb_image, interleaved.
struct pixels {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<std::uint8_t> values;

    [[nodiscard]] resizemix::image_view<const std::uint8_t> view() const {
        return resizemix::from_hwc(values.data(), height, width, channels);
    }
    [[nodiscard]] std::uint8_t at(int c, int y, int x) const {
        return values[static_cast<std::size_t>((y * width + x) * channels + c)];
    }
};

/// Decodes `path` with `channels` channels (0: as in the file); fails the test if it cannot.
inline pixels load(const std::string& path, int channels = 0) {
    pixels image;
    int in_file = 0;
    stbi_uc* data = stbi_load(path.c_str(), &image.width, &image.height, &in_file, channels);
    INFO(path << ": " << (data == nullptr ? stbi_failure_reason() : "ok"));
    REQUIRE(data != nullptr);
    image.channels = channels != 0 ? channels : in_file;
    image.values.assign(data, data + static_cast<std::size_t>(image.width) * image.height * image.channels);
    stbi_image_free(data);
    return image;
}

inline void save_png(const std::string& path, const pixels& image) {
    REQUIRE(stbi_write_png(path.c_str(), image.width, image.height, image.channels, image.values.data(),
                           image.width * image.channels) != 0);
}

/// A fresh folder per test case under RESIZEMIX_TMP_DIR/<group>/<name>, so ctest may run
/// test cases in parallel: `root` holds inputs and outputs, root/capture the CLI's stdout and stderr.
struct scratch_folder {
    fs::path root;
    scratch_folder(const std::string& group, const std::string& name) : root(fs::path(RESIZEMIX_TMP_DIR) / group / name) {
        fs::remove_all(root);
        fs::create_directories(root / "capture");
    }
    [[nodiscard]] std::string path(const std::string& name) const { return (root / name).string(); }
    /// Names directly in `root` (to spot leftover staging folders and temporary files).
    [[nodiscard]] std::set<std::string> listing() const {
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(root)) names.insert(entry.path().filename().string());
        return names;
    }
};

/// Runs the CLI with `arguments`, stdout and stderr captured in dir.root/capture.
inline run_result run_cli(const scratch_folder& dir, const strings& arguments) {
    return run_cli(dir.root / "capture", arguments);
}

/// Parses a successful run's stdout: exit 0, nothing on stderr, exactly one JSON object on one line.
inline nlohmann::json parse_report(const run_result& result) {
    INFO("stderr: " << result.err);
    REQUIRE(result.status == 0);
    REQUIRE(result.err.empty());
    REQUIRE(count_lines(result.out) == 1);
    REQUIRE(result.out.back() == '\n');
    nlohmann::json report = nlohmann::json::parse(result.out);
    REQUIRE(report.is_object());
    return report;
}

/// A failed run: `status`, one "resizemix: error: ..." line containing `part`, nothing on stdout.
inline void expect_error(const run_result& result, int status, const std::string& part) {
    INFO("stderr: " << result.err);
    CHECK(result.status == status);
    CHECK(count_lines(result.err) == 1);
    CHECK(result.err.rfind("resizemix: error: ", 0) == 0);
    CHECK(result.err.find(part) != std::string::npos);
    CHECK(result.out.empty());
}

/// A box from its JSON form {"x", "y", "width", "height"}.
inline resizemix::box box_of(const nlohmann::json& j) {
    return {j.at("x").get<resizemix::index_t>(), j.at("y").get<resizemix::index_t>(),
            j.at("width").get<resizemix::index_t>(), j.at("height").get<resizemix::index_t>()};
}

}  // namespace cli_support
