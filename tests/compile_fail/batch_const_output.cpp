// expect: mix_batch: input and output must have the same pixel type and output must be mutable
#include <cstdint>
#include <resizemix/batch.hpp>
#include <resizemix/mixers/resizemix.hpp>

int main() {
    std::vector<float> pixels(2 * 3 * 4 * 4);
    const auto batch = resizemix::from_nchw<const float>(pixels.data(), 2, 3, 4, 4);
    (void)resizemix::mix_batch(resizemix::resize_mix{}, batch, {}, batch);  // output is read-only
}
