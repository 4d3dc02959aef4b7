// examples/cli/cli_common.hpp: what the resizemix CLI's subcommands share.
//
// Exit statuses, the usage_error type (a command line that parsed but makes no
// sense), JSON helpers, a CLI11 validator for unsigned options, and the
// subcommand record that main() dispatches on. Errors are reported by main():
// one line on stderr, "resizemix: error: ...".
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <system_error>

#include <resizemix/geometry.hpp>

namespace resizemix_cli {

inline constexpr const char* program_name = "resizemix";
inline constexpr int exit_bad_value = 1;  ///< bad values, unreadable / undecodable / unwritable files
inline constexpr int exit_bad_usage = 2;  ///< a command line that does not parse or does not make sense

/// A command line that parsed but does not make sense (an option the method does not use).
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A subcommand as main() sees it: its CLI11 app, and what to run once it has parsed.
/// run() throws usage_error, resizemix::error, file_error or std::exception on failure.
struct subcommand {
    CLI::App* app = nullptr;
    std::function<void()> run;
};

/// CLI11 would wrap "-1" around to 2^64 - 1 for unsigned options: refuse it instead.
inline CLI::Validator not_negative() {
    return CLI::Validator(
        [](const std::string& value) { return value.rfind('-', 0) == 0 ? "must not be negative, got " + value : ""; },
        "");
}

/// The shortest decimal that reads back as the same float, as a double: 0.3f
/// prints as 0.3 rather than 0.30000001192092896.
inline double float_for_json(float value) {
    char buffer[64];
    const auto [end, status] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (status != std::errc{}) return static_cast<double>(value);
    double result = 0.0;
    std::from_chars(buffer, end, result);
    return result;
}

/// The shortest decimal text that reads back as the same value (for CSV files).
template <class Number>
std::string shortest_text(Number value) {
    char buffer[64];
    const auto [end, status] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return status == std::errc{} ? std::string(buffer, end) : std::to_string(value);
}

/// {"x", "y", "width", "height"}.
inline nlohmann::ordered_json box_json(const resizemix::box& b) {
    return {{"x", b.x}, {"y", b.y}, {"width", b.width}, {"height", b.height}};
}

}  // namespace resizemix_cli
