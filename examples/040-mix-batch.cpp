// 040: a whole batch, in place, on two threads, with soft labels. Sample i's
// random stream comes from (seed, epoch, i), so the bytes do not depend on the
// thread count, and in place equals out of place.
#include <cstdio>
#include <resizemix/resizemix.hpp>
#include <vector>

int main() {
    constexpr int count = 8, channels = 3, height = 32, width = 32, classes = 10;
    std::vector<float> batch(count * channels * height * width);  // NCHW, as PyTorch stores it
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i] = static_cast<float>(i % 251) / 251.0f;
    const std::vector<std::int64_t> labels = {0, 1, 2, 3, 4, 5, 6, 7};

    auto view = resizemix::from_nchw(batch.data(), count, channels, height, width);
    resizemix::batch_options options;
    options.seed = 42;
    options.epoch = 3;
    options.threads = 2;
    options.num_classes = classes;
    options.label_smoothing = 0.1f;

    const auto result = resizemix::mix_batch(resizemix::resize_mix{}, view, labels, view, options);

    for (int i = 0; i < count; ++i) {
        const auto& sample = result.samples[static_cast<std::size_t>(i)];
        std::printf("sample %d <- %td: lambda %.3f, label row sums to %.3f\n", i, sample.partner, sample.info.lambda,
                    result.labels.row(i).sum());
    }
    std::printf("extra memory for in-place mixing: %zu floats (the batch has %zu)\n", result.scratch_elements,
                batch.size());
    return result.scratch_elements < batch.size() ? 0 : 1;
}
