// examples/cli/cli_common.hpp: what the resizemix CLI's subcommands share.
//
// Exit statuses, the usage_error type (a command line that parsed but makes no
// sense), the one way integers are read from the command line, JSON and CSV
// number helpers, and the subcommand record main() dispatches on. Errors are
// reported by main(): one line on stderr, "resizemix: error: ...".
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>

#include <resizemix/geometry.hpp>

namespace resizemix_cli {

inline constexpr const char* program_name = "resizemix";
inline constexpr int exit_bad_value = 1;  ///< bad values, unreadable / undecodable / unwritable files
inline constexpr int exit_bad_usage = 2;  ///< a command line that does not parse or does not make sense

/// The most classes --num-classes (and a labels file) may name: soft labels are dense rows of K floats.
inline constexpr resizemix::index_t max_num_classes = 1'000'000;

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

/// Reads `text`, the value of `flag`, as an integer in [low, high]: decimal digits
/// only (a leading '-' where negatives are allowed), so 1e9, 0x10 and 2.5 are
/// refused rather than read as something else, and so is anything that does not
/// fit. Throws CLI::ValidationError (a command-line error) saying which and why.
std::int64_t parse_signed(const std::string& flag, const std::string& text, std::int64_t low, std::int64_t high);
/// parse_signed for unsigned values up to 2^64 - 1.
std::uint64_t parse_unsigned(const std::string& flag, const std::string& text, std::uint64_t low, std::uint64_t high);

/// Adds integer option `flag` to `command`, read into `target` by parse_signed /
/// parse_unsigned within [low, high] (default: the whole range of Integer).
template <class Integer>
CLI::Option* add_integer_option(CLI::App& command, const std::string& flag, Integer& target,
                                const std::string& description, Integer low = std::numeric_limits<Integer>::min(),
                                Integer high = std::numeric_limits<Integer>::max()) {
    static_assert(std::is_integral_v<Integer>, "add_integer_option reads integers; floats go through add_option");
    return command
        .add_option_function<std::string>(
            flag,
            [&target, flag, low, high](const std::string& text) {
                if constexpr (std::is_signed_v<Integer>) {
                    target = static_cast<Integer>(parse_signed(flag, text, low, high));
                } else {
                    target = static_cast<Integer>(parse_unsigned(flag, text, low, high));
                }
            },
            description)
        ->type_name("INT")
        ->default_str(std::to_string(target));
}

/// Refuses a --label-smoothing outside [0, 1) as a resizemix::error naming the flag.
void check_label_smoothing(float smoothing);

/// The shortest decimal that reads back as the same float, as a double: 0.3f
/// prints as 0.3 rather than 0.30000001192092896.
double float_for_json(float value);

/// The shortest decimal text that reads back as the same value (for CSV files and messages).
template <class Number>
std::string shortest_text(Number value) {
    char buffer[64];
    const auto [end, status] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return status == std::errc{} ? std::string(buffer, end) : std::to_string(value);
}

/// {"x", "y", "width", "height"}.
nlohmann::ordered_json box_json(const resizemix::box& b);

}  // namespace resizemix_cli
