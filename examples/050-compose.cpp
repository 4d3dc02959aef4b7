// 050: choosing a mixer per sample. one_of with weighted{} keeps the mixer
// types; one_of({{...}, ...}) erases them for mixers picked at run time.
// sometimes() mixes with a probability and otherwise leaves the sample as it was.
#include <cstdio>
#include <resizemix/resizemix.hpp>
#include <vector>

int main() {
    using namespace resizemix;
    constexpr int count = 16;
    std::vector<std::uint8_t> batch(count * 24 * 24 * 3, 100);
    auto view = from_nhwc(batch.data(), count, 24, 24, 3);

    const auto at_compile_time = one_of(weighted{resize_mix{}, 0.5}, weighted{cut_mix{}, 0.5});
    const auto at_run_time = one_of({{resize_mix{}, 1.0}, {mixup{.alpha = 0.2f}, 1.0}});
    const auto half_the_time = sometimes(resize_mix{}, 0.5);

    batch_options options;
    options.seed = 1;
    int untouched = 0;
    for (const auto& r : mix_batch(half_the_time, view, {}, view, options).samples) untouched += r.info.lambda == 0.0;
    for (const auto& r : mix_batch(at_compile_time, view, {}, view, options).samples)
        std::printf("%s ", std::string(r.info.method).c_str());
    std::printf("\n");
    for (const auto& r : mix_batch(at_run_time, view, {}, view, options).samples)
        std::printf("%s ", std::string(r.info.method).c_str());
    std::printf("\nsometimes(p = 0.5) left %d of %d samples untouched\n", untouched, count);
    return untouched > 0 && untouched < count ? 0 : 1;
}
