// tests/cli_support.hpp: running the built CLI from the end-to-end tests (not a test file itself).
//
// The CLI runs through the shell with stdout and stderr captured in files
// (so stderr is never a terminal), and its exit status, stdout and stderr come back.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

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

}  // namespace cli_support
