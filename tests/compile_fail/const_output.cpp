// expect: `out` must be a mutable view
#include <cstdint>
#include <resizemix/mixers/resizemix.hpp>

int main() {
    std::uint8_t source[48] = {}, target[48] = {};
    const auto source_view = resizemix::from_hwc<const std::uint8_t>(source, 4, 4, 3);
    const auto target_view = resizemix::from_hwc<const std::uint8_t>(target, 4, 4, 3);
    resizemix::rng random(1);
    resizemix::resize_mix{}(source_view, target_view, target_view, random);  // out is read-only
}
