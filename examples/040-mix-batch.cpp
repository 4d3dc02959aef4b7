// 040: a whole batch, in place, on two threads, with soft labels, over a few
// training steps. Every draw comes from (seed, epoch, step, rank, sample), so
// each step gets fresh partners and parameters, the bytes do not depend on the
// thread count, and in place equals out of place.
#include <cstdio>
#include <resizemix/resizemix.hpp>
#include <vector>

int main() {
    constexpr int count = 8, channels = 3, height = 32, width = 32, classes = 10;
    const std::vector<std::int64_t> labels = {0, 1, 2, 3, 4, 5, 6, 7};

    resizemix::batch_options options;
    options.seed = 42;
    options.epoch = 3;
    options.threads = 2;
    options.num_classes = classes;
    options.label_smoothing = 0.1f;

    std::vector<resizemix::index_t> previous_partners;
    bool every_step_differs = true;
    for (std::uint64_t step = 0; step < 3; ++step) {
        options.step = step;  // what a training loop must pass at every batch
        std::vector<float> batch(count * channels * height * width);  // NCHW, as PyTorch stores it
        for (std::size_t i = 0; i < batch.size(); ++i) batch[i] = static_cast<float>(i % 251) / 251.0f;
        auto view = resizemix::from_nchw(batch.data(), count, channels, height, width);

        const auto result = resizemix::mix_batch(resizemix::resize_mix{}, view, labels, view, options);

        std::vector<resizemix::index_t> partners;
        std::printf("step %llu:", static_cast<unsigned long long>(step));
        for (int i = 0; i < count; ++i) {
            const auto& sample = result.samples[static_cast<std::size_t>(i)];
            partners.push_back(sample.partner);
            std::printf(" %d<-%td (lambda %.3f, row sum %.3f)", i, sample.partner, sample.info.lambda,
                        result.labels.row(i).sum());
        }
        std::printf("\n  extra memory for in-place mixing: %zu floats (the batch has %zu)\n", result.scratch_elements,
                    batch.size());
        every_step_differs = every_step_differs && partners != previous_partners &&
                             result.scratch_elements < batch.size();
        previous_partners = partners;
    }
    return every_step_differs ? 0 : 1;
}
