// resizemix/error.hpp: the one exception type the library throws for bad values.
//
// Misuse the compiler can see is rejected by concepts and static_asserts; bad
// values at run time (shapes, ranges, NaN, labels, missing saliency) throw
// resizemix::error, whose message names the argument and the offending value.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace resizemix {

/// Thrown for invalid arguments; derives from std::invalid_argument so callers
/// that only know the standard library can still catch it.
class error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

namespace detail {

/// Builds "function: message" from streamable parts and throws resizemix::error.
template <class... Parts>
[[noreturn]] void fail(const char* function, Parts&&... parts) {
    std::ostringstream message;
    message << function << ": ";
    (message << ... << std::forward<Parts>(parts));
    throw error(message.str());
}

}  // namespace detail
}  // namespace resizemix
