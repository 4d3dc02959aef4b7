// expect: `out` must be a mutable view
#include <resizemix/mixers/cutmix.hpp>

int main() {
    const resizemix::image<float> source(3, 8, 8), target(3, 8, 8);
    resizemix::rng random(1);
    resizemix::cut_mix{}(source, target, target, random);  // a const image cannot be written
}
