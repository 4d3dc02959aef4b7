// 070: one training step with libtorch. The batch tensor is mixed in place
// through a zero-copy view, the soft targets come back as a tensor, and the
// loss is the soft-target cross-entropy. Built only where libtorch is found.
#include <torch/torch.h>

#include <cstdio>
#include <resizemix/interop/torch.hpp>
#include <resizemix/resizemix.hpp>

int main() {
    torch::manual_seed(0);
    constexpr int64_t count = 32, classes = 10;
    torch::nn::Sequential model(torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 16, 3).padding(1)), torch::nn::ReLU(),
                                torch::nn::AdaptiveAvgPool2d(1), torch::nn::Flatten(), torch::nn::Linear(16, classes));
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9).nesterov(true));

    // --- user code starts: what a data loader hands over, then one step ---
    const std::uint64_t epoch = 0, step = 0;  // the training loop's counters
    torch::Tensor images = torch::rand({count, 3, 32, 32});  // NCHW float
    torch::Tensor labels = torch::randint(classes, {count}, torch::kLong).contiguous();

    resizemix::batch_options options;
    options.seed = 1234;
    options.epoch = epoch;
    options.step = step;  // every step gets fresh partners and parameters
    options.threads = 2;
    options.num_classes = classes;
    auto view = resizemix::as_batch_view<float>(images);
    const auto mixed = resizemix::mix_batch(resizemix::resize_mix{}, view,
                                            {labels.data_ptr<int64_t>(), static_cast<std::size_t>(count)}, view,
                                            options);  // in place: `images` now holds the mixed batch
    const torch::Tensor soft_targets = resizemix::to_tensor(mixed.labels);

    const torch::Tensor logits = model->forward(images);
    const torch::Tensor loss = -(soft_targets * torch::log_softmax(logits, 1)).sum(1).mean();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    // --- user code ends ---

    std::printf("soft-target cross-entropy %.4f; first sample mixed with %td, lambda %.3f\n", loss.item<float>(),
                mixed.samples[0].partner, mixed.samples[0].info.lambda);
    const bool rows_sum_to_one = torch::allclose(soft_targets.sum(1), torch::ones({count}));
    return std::isfinite(loss.item<float>()) && rows_sum_to_one ? 0 : 1;
}
