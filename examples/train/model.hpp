// model.hpp: a small residual CNN for 28x28 grayscale images (a ResNet in miniature).
//
// stem conv 3x3 -> three stages of basic residual blocks (width w, 2w, 4w at
// 28x28, 14x14, 7x7) -> global average pooling -> linear. features() stops after
// the last convolutional block, so Grad-CAM can take its activations and the
// gradients of a class score with respect to them (head() is the rest).
#pragma once

#include <torch/torch.h>

namespace train {

/// conv-BN-ReLU-conv-BN plus a (projected when the shape changes) shortcut, then ReLU.
struct basic_block_impl : torch::nn::Module {
    basic_block_impl(std::int64_t in_channels, std::int64_t out_channels, std::int64_t stride)
        : conv1(torch::nn::Conv2dOptions(in_channels, out_channels, 3).stride(stride).padding(1).bias(false)),
          bn1(out_channels),
          conv2(torch::nn::Conv2dOptions(out_channels, out_channels, 3).padding(1).bias(false)),
          bn2(out_channels) {
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        if (stride != 1 || in_channels != out_channels) {
            shortcut = torch::nn::Sequential(
                torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 1).stride(stride).bias(false)),
                torch::nn::BatchNorm2d(out_channels));
            register_module("shortcut", shortcut);
        }
    }

    torch::Tensor forward(const torch::Tensor& x) {
        torch::Tensor y = torch::relu(bn1(conv1(x)));
        y = bn2(conv2(y));
        return torch::relu(y + (shortcut.is_empty() ? x : shortcut->forward(x)));
    }

    torch::nn::Conv2d conv1;
    torch::nn::BatchNorm2d bn1;
    torch::nn::Conv2d conv2;
    torch::nn::BatchNorm2d bn2;
    torch::nn::Sequential shortcut{nullptr};
};
TORCH_MODULE_IMPL(basic_block, basic_block_impl);

/// The network: `width` channels in the first stage, `blocks` residual blocks per stage; a stem of
/// stride 2 halves the first stage's resolution (the 48x48 canvas then costs about a 24x24 image).
struct resnet_impl : torch::nn::Module {
    resnet_impl(std::int64_t width, std::int64_t blocks, std::int64_t num_classes, std::int64_t stem_stride = 1)
        : stem(torch::nn::Conv2dOptions(1, width, 3).stride(stem_stride).padding(1).bias(false)), stem_bn(width), fc(4 * width, num_classes) {
        register_module("stem", stem);
        register_module("stem_bn", stem_bn);
        std::int64_t channels = width;
        for (std::int64_t stage = 0; stage < 3; ++stage) {
            const std::int64_t out_channels = width << stage;
            for (std::int64_t b = 0; b < blocks; ++b) {
                stages->push_back(basic_block(channels, out_channels, stage > 0 && b == 0 ? 2 : 1));
                channels = out_channels;
            }
        }
        register_module("stages", stages);
        register_module("fc", fc);
        for (auto& module : modules(/*include_self=*/false)) {
            if (auto* conv = module->as<torch::nn::Conv2d>()) {
                torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
            }
        }
    }

    /// The output of the last convolutional block: N x 4w x 7 x 7 for 28x28 inputs.
    torch::Tensor features(const torch::Tensor& x) { return stages->forward(torch::relu(stem_bn(stem(x)))); }

    /// Logits from the last block's feature maps.
    torch::Tensor head(const torch::Tensor& features) {
        return fc(torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1));
    }

    torch::Tensor forward(const torch::Tensor& x) { return head(features(x)); }

    torch::nn::Conv2d stem;
    torch::nn::BatchNorm2d stem_bn;
    torch::nn::Sequential stages;
    torch::nn::Linear fc;
};
TORCH_MODULE_IMPL(resnet, resnet_impl);

}  // namespace train
