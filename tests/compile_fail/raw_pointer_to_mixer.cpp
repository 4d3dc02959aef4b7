// expect: resizemix mixers take resizemix::image_view or resizemix::image arguments
#include <cstdint>
#include <resizemix/mixers/mixup.hpp>

int main() {
    std::uint8_t source[48] = {}, target[48] = {};
    resizemix::rng random(1);
    resizemix::mixup{}(source, target, target, random);  // raw pixels, not views
}
