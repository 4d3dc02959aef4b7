// A consumer of resizemix: built by tests/consumer (find_package) and
// tests/consumer-subdir (add_subdirectory). Exits 0 when one mix works.
#include <resizemix/resizemix.hpp>

#include <cstdint>

int main() {
    resizemix::image<std::uint8_t> a(3, 8, 8), b(3, 8, 8);
    resizemix::rng gen(1);
    auto info = resizemix::resize_mix{}(a.view(), b.view(), b.view(), gen);
    return info.lambda > 0 ? 0 : 1;
}
