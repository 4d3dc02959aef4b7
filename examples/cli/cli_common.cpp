// examples/cli/cli_common.cpp: see cli_common.hpp.
#include "cli_common.hpp"

#include <cmath>
#include <cstdlib>

#include <resizemix/error.hpp>

namespace resizemix_cli {

namespace {

/// Why `text` is not an integer, with a hint for the forms people try (1e9, 2.5, 0x10).
[[noreturn]] void refuse_non_integer(const std::string& flag, const std::string& text) {
    std::string message = flag + " " + text + " is not an integer: write it in decimal digits";
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(value) && value == std::floor(value) &&
        std::fabs(value) < 9e18) {
        message += " (" + text + " as " + std::to_string(static_cast<long long>(value)) + ")";
    }
    throw CLI::ValidationError(message);
}

template <class Integer>
Integer parse_integer(const std::string& flag, const std::string& text, Integer low, Integer high) {
    Integer value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (text.empty() || (text[0] == '-' && std::is_unsigned_v<Integer>)) {
        const bool digits_follow = text.size() > 1 && text.find_first_not_of("0123456789", 1) == std::string::npos;
        if (!text.empty() && digits_follow) throw CLI::ValidationError(flag + " " + text + " must not be negative");
        refuse_non_integer(flag, text);
    }
    const auto [stop, status] = std::from_chars(begin, end, value);
    if (status == std::errc::result_out_of_range) {
        throw CLI::ValidationError(flag + " " + text + " is too " + (text[0] == '-' ? "small" : "large") +
                                   ": it must lie in [" + std::to_string(low) + ", " + std::to_string(high) + "]");
    }
    if (status != std::errc{} || stop != end || text[0] == '+') refuse_non_integer(flag, text);
    if (value < low || value > high) {
        throw CLI::ValidationError(flag + " " + text + " is outside [" + std::to_string(low) + ", " +
                                   std::to_string(high) + "]");
    }
    return value;
}

}  // namespace

std::int64_t parse_signed(const std::string& flag, const std::string& text, std::int64_t low, std::int64_t high) {
    return parse_integer<std::int64_t>(flag, text, low, high);
}

std::uint64_t parse_unsigned(const std::string& flag, const std::string& text, std::uint64_t low, std::uint64_t high) {
    return parse_integer<std::uint64_t>(flag, text, low, high);
}

void check_label_smoothing(float smoothing) {
    if (!(smoothing >= 0.0f && smoothing < 1.0f)) {
        throw resizemix::error("--label-smoothing must be in [0, 1), got " + shortest_text(smoothing));
    }
}

double float_for_json(float value) {
    char buffer[64];
    const auto [end, status] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (status != std::errc{}) return static_cast<double>(value);
    double result = 0.0;
    std::from_chars(buffer, end, result);
    return result;
}

nlohmann::ordered_json box_json(const resizemix::box& b) {
    return {{"x", b.x}, {"y", b.y}, {"width", b.width}, {"height", b.height}};
}

}  // namespace resizemix_cli
