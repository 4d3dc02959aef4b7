// expect: source, target and out must have the same pixel type
#include <cstdint>
#include <resizemix/mixers/cutmix.hpp>

int main() {
    std::uint8_t source[48] = {};
    float target[48] = {};
    resizemix::rng random(1);
    resizemix::cut_mix{}(resizemix::from_hwc(source, 4, 4, 3), resizemix::from_hwc(target, 4, 4, 3),
                         resizemix::from_hwc(target, 4, 4, 3), random);  // uint8 source, float target
}
