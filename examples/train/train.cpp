// resizemix-train: trains a small residual CNN on Fashion-MNIST with libtorch,
// with no mixing, Mixup, CutMix, saliency-guided CutMix (Grad-CAM computed in the
// same step), ResizeMix, RandAugment alone, or ResizeMix with RandAugment after
// (ResizeMix+, with batch augmentation x2) or before the mix (Table 7's control),
// every mix done by resizemix::mix_batch on a zero-copy view of the batch tensor.
// docs/EXPERIMENTS.md shows what it measured.
//
//   resizemix-train --method resizemix --epochs 10 --seed 0 --csv runs.csv
//   resizemix-train --quick          # a few hundred steps over every method; fails unless every loss falls
//
// Training follows the paper's CIFAR recipe in miniature: SGD with Nesterov
// momentum 0.9, weight decay 5e-4, cosine learning rate decay per step, random
// crop (zero padding) and horizontal flip under the mixing, soft-target
// cross-entropy. The saliency variants (paper Table 1, Appendix A) forward the
// clean batch, take the gradients of each sample's true-class score with respect
// to the last convolutional block, turn them into maps with resizemix::grad_cam,
// and hand them to mix_batch through the saliency callback by batch index.
#include <stb_image_write.h>
#include <torch/torch.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numbers>
#include <numeric>
#include <optional>
#include <resizemix/interop/torch.hpp>
#include <resizemix/resizemix.hpp>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fashion_mnist.hpp"
#include "model.hpp"

namespace {

// The training set's mean and standard deviation of pixel values in [0, 1].
constexpr float pixel_mean = 0.2860f;
constexpr float pixel_std = 0.3530f;

const std::vector<std::string> all_methods = {"none",          "mixup",
                                              "cutmix",        "cutmix-inside",
                                              "cutmix-random", "cutmix-salient-source",
                                              "cutmix-salient-paste", "resizemix",
                                              "randaugment",   "resizemix+",
                                              "resizemix-randaugment-before",
                                              "cutout",        "autoaugment",
                                              "saliencymix",   "fmix"};

struct settings {
    std::vector<std::string> methods = {"resizemix"};
    int epochs = 10;
    std::uint64_t seed = 0;
    std::int64_t train_subset = 0;  // 0: all 60000 training images
    std::int64_t batch_size = 128;
    double lr = 0.1;
    double weight_decay = 5e-4;
    double momentum = 0.9;
    std::int64_t width = 16;
    std::int64_t blocks = 1;
    int crop_pad = 2;
    std::int64_t canvas = 0;         // 0: the 28x28 images; else the canvas task on canvas x canvas
    std::int64_t garment = 20;       // canvas task: each garment resized to garment x garment
    std::uint64_t canvas_test_seed = 0;  // canvas task: places the test and validation garments
    std::int64_t stem_stride = 1;
    std::int64_t validation = 0;     // validation images taken from the end of the training set
    double mix_prob = 1.0;
    double scale_min = 0.1;  // ResizeMix's tau range
    double scale_max = 0.8;
    int threads = 1;
    std::int64_t max_steps = 0;   // 0: epochs * steps per epoch
    std::int64_t eval_limit = 0;  // 0: the whole test set
    std::string data_dir = fashion_mnist::default_directory;
    std::string csv;
    std::string gradcam_png;
    bool quick = false;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "resizemix-train: " << message << " (see --help)\n";
    std::exit(2);
}

void print_help() {
    std::cout <<
        R"(resizemix-train: Fashion-MNIST training with resizemix::mix_batch (see docs/EXPERIMENTS.md)

  --method LIST        comma-separated, or "all": none, mixup, cutmix (the CutMix paper's clipped
                       boxes), cutmix-inside (whole boxes kept inside), cutmix-random (random source
                       box pasted at a random place), cutmix-salient-source, cutmix-salient-paste,
                       resizemix, randaugment (RandAugment(2, 9) on each image, no mixing),
                       resizemix+ (ResizeMix, then RandAugment(2, 9) on the mixed image, with batch
                       augmentation x2: each step trains on two independently mixed copies of the
                       batch), resizemix-randaugment-before (RandAugment on each image, then
                       ResizeMix: the paper's Table 7 control), cutout (one 14 x 14 hole, half the
                       side, per image; labels kept), autoaugment (AutoAugment's CIFAR-10 policy on
                       each image, no mixing), saliencymix (CutMix box on the source's fine-grained
                       saliency peak), fmix (Fourier-noise mask, decay 3) (default resizemix)
  --epochs N           epochs over the training set (default 10)
  --seed N             seeds the weights, the data order, crop/flip and the mixing (default 0)
  --train-subset N     train on the first N training images (default 0: all 60000)
  --batch-size N       (default 128)
  --lr X               peak learning rate, cosine decay to 0 per step (default 0.1)
  --weight-decay X     (default 5e-4)
  --width N            channels of the first stage; stages have N, 2N, 4N (default 16)
  --blocks N           residual blocks per stage (default 1)
  --crop-pad N         random crop with N pixels of zero padding, 0 = off (default 2; unused on the canvas)
  --canvas C           the canvas task: each garment resized to G x G px (--garment-size) and put at a
                       random place on a C x C zero canvas, drawn again every epoch for training, fixed
                       by --canvas-test-seed for the test and validation images (default 0: off, 28x28)
  --garment-size G     (default 20)
  --canvas-test-seed N seeds the test and validation positions, whatever --seed is (default 0)
  --stem-stride S      stride of the stem convolution, 1 or 2 (default 1)
  --validation N       also evaluate on the last N training images, never trained on (default 0);
                       --train-subset + N must not exceed 60000
  --mix-prob P         each sample is mixed (or cut out) with probability P (default 1); RandAugment
                       (randaugment, resizemix+, resizemix-randaugment-before) and AutoAugment run on
                       every sample whatever P
  --scale-min X        ResizeMix's smallest scale tau (default 0.1)
  --scale-max X        ResizeMix's largest scale tau (default 0.8)
  --threads N          libtorch intra-op threads (default 1)
  --steps N            stop each method after N steps (cosine schedule over N)
  --eval-limit N       evaluate on the first N test images (default: all 10000)
  --data-dir DIR       the IDX files (default /usr/share/datasets/fashion-mnist)
  --csv FILE           append one row per epoch: method,seed,epoch,step,lr,train_loss,test_loss,test_acc,
                       seconds,test_ece,val_loss,val_acc,val_ece (loss = mean NLL; ECE over 15 equal-width
                       confidence bins; val_* empty without --validation)
  --gradcam-png FILE   after training, write a Grad-CAM picture of one test image per class
  --quick              smoke test: 50 steps of batch 64 on 4096 images per method, all methods
                       unless --method is given; exits 1 unless every method's loss falls
)";
}

settings parse(int argc, char** argv) {
    settings s;
    bool methods_given = false;
    std::vector<std::string> args(argv + 1, argv + argc);
    auto value = [&](std::size_t& i) -> const std::string& {
        if (i + 1 >= args.size()) usage_error(args[i] + " needs a value");
        return args[++i];
    };
    auto integer = [&](std::size_t& i, std::int64_t low) {
        const std::string& text = value(i);
        std::size_t used = 0;
        std::int64_t n = 0;
        try {
            n = std::stoll(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || n < low) usage_error(args[i - 1] + " wants an integer >= " + std::to_string(low) + ", got " + text);
        return n;
    };
    auto real = [&](std::size_t& i, double low, double high) {
        const std::string& text = value(i);
        std::size_t used = 0;
        double x = NAN;
        try {
            x = std::stod(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || !(x >= low && x <= high)) {
            usage_error(args[i - 1] + " wants a number in [" + std::to_string(low) + ", " + std::to_string(high) + "], got " + text);
        }
        return x;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            print_help();
            std::exit(0);
        } else if (a == "--method") {
            methods_given = true;
            s.methods.clear();
            std::stringstream list(value(i));
            for (std::string m; std::getline(list, m, ',');) {
                if (m == "all") {
                    s.methods.insert(s.methods.end(), all_methods.begin(), all_methods.end());
                } else if (std::find(all_methods.begin(), all_methods.end(), m) != all_methods.end()) {
                    s.methods.push_back(m);
                } else {
                    usage_error("unknown method \"" + m + "\"");
                }
            }
            if (s.methods.empty()) usage_error("--method needs at least one method");
        } else if (a == "--epochs") {
            s.epochs = static_cast<int>(integer(i, 1));
        } else if (a == "--seed") {
            s.seed = static_cast<std::uint64_t>(integer(i, 0));
        } else if (a == "--train-subset") {
            s.train_subset = integer(i, 0);
        } else if (a == "--batch-size") {
            s.batch_size = integer(i, 2);
        } else if (a == "--lr") {
            s.lr = real(i, 1e-6, 10.0);
        } else if (a == "--weight-decay") {
            s.weight_decay = real(i, 0.0, 1.0);
        } else if (a == "--width") {
            s.width = integer(i, 1);
        } else if (a == "--blocks") {
            s.blocks = integer(i, 1);
        } else if (a == "--crop-pad") {
            s.crop_pad = static_cast<int>(integer(i, 0));
        } else if (a == "--scale-min") {
            s.scale_min = real(i, 1e-3, 1.0);
        } else if (a == "--scale-max") {
            s.scale_max = real(i, 1e-3, 1.0);
        } else if (a == "--canvas") {
            s.canvas = integer(i, 0);
        } else if (a == "--garment-size") {
            s.garment = integer(i, 1);
        } else if (a == "--canvas-test-seed") {
            s.canvas_test_seed = static_cast<std::uint64_t>(integer(i, 0));
        } else if (a == "--stem-stride") {
            s.stem_stride = integer(i, 1);
            if (s.stem_stride > 2) usage_error("--stem-stride wants 1 or 2, got " + std::to_string(s.stem_stride));
        } else if (a == "--validation") {
            s.validation = integer(i, 0);
        } else if (a == "--mix-prob") {
            s.mix_prob = real(i, 0.0, 1.0);
        } else if (a == "--threads") {
            s.threads = static_cast<int>(integer(i, 1));
        } else if (a == "--steps") {
            s.max_steps = integer(i, 1);
        } else if (a == "--eval-limit") {
            s.eval_limit = integer(i, 1);
        } else if (a == "--data-dir") {
            s.data_dir = value(i);
        } else if (a == "--csv") {
            s.csv = value(i);
        } else if (a == "--gradcam-png") {
            s.gradcam_png = value(i);
        } else if (a == "--quick") {
            s.quick = true;
        } else {
            usage_error("unknown argument \"" + a + "\"");
        }
    }
    if (s.scale_min > s.scale_max) {
        usage_error("--scale-min " + std::to_string(s.scale_min) + " is above --scale-max " + std::to_string(s.scale_max));
    }
    if (s.canvas > 0 && s.garment > s.canvas) {
        usage_error("--garment-size " + std::to_string(s.garment) + " does not fit on --canvas " + std::to_string(s.canvas));
    }
    if (s.quick) {
        if (!methods_given) s.methods = all_methods;
        s.epochs = 1;
        s.train_subset = 4096;
        s.batch_size = 64;
        s.max_steps = 50;
        s.eval_limit = 1000;
    }
    if (s.train_subset + s.validation > 60000 || (s.train_subset == 0 && s.validation > 0)) {
        usage_error("--train-subset + --validation must not exceed the 60000 training images, got " +
                    std::to_string(s.train_subset) + " + " + std::to_string(s.validation));
    }
    return s;
}

/// RandAugment(2, 9) of 31 bins, nearest interpolation, zero fill (torchvision's defaults; zero is
/// also Fashion-MNIST's background, the value the random crop pads with).
resizemix::rand_augment rand_augment_2_9() { return {.num_ops = 2, .magnitude = 9, .num_magnitude_bins = 31}; }

/// The mixer a method names (none for "none"), each sample mixed with probability p.
std::optional<resizemix::any_mixer> make_mixer(const std::string& method, const settings& s) {
    const double p = s.mix_prob;
    using resizemix::region;
    if (method == "mixup") return resizemix::any_mixer(resizemix::sometimes(resizemix::mixup{.alpha = 1.0f}, p));
    if (method == "cutmix") return resizemix::any_mixer(resizemix::sometimes(resizemix::cut_mix{.alpha = 1.0f}, p));
    if (method == "saliencymix") {
        return resizemix::any_mixer(resizemix::sometimes(resizemix::saliency_mix{.alpha = 1.0f}, p));
    }
    if (method == "fmix") return resizemix::any_mixer(resizemix::sometimes(resizemix::fmix{.alpha = 1.0f}, p));
    if (method == "cutmix-inside") {
        return resizemix::any_mixer(resizemix::sometimes(
            resizemix::cut_mix{.alpha = 1.0f, .box_sampling = resizemix::box_sampling::inside}, p));
    }
    if (method == "cutmix-random") {
        return resizemix::any_mixer(resizemix::sometimes(
            resizemix::cut_mix{.alpha = 1.0f, .source_region = region::random, .paste_region = region::random}, p));
    }
    if (method == "cutmix-salient-source") {
        return resizemix::any_mixer(resizemix::sometimes(
            resizemix::cut_mix{.alpha = 1.0f, .source_region = region::salient, .paste_region = region::random}, p));
    }
    if (method == "cutmix-salient-paste") {
        return resizemix::any_mixer(resizemix::sometimes(
            resizemix::cut_mix{.alpha = 1.0f, .source_region = region::random, .paste_region = region::salient}, p));
    }
    const auto resize_mix = resizemix::sometimes(resizemix::resize_mix{.scale_min = static_cast<float>(s.scale_min), .scale_max = static_cast<float>(s.scale_max)}, p);
    if (method == "resizemix") return resizemix::any_mixer(resize_mix);
    if (method == "resizemix+") return resizemix::any_mixer(resizemix::augment_after(resize_mix, rand_augment_2_9()));
    if (method == "resizemix-randaugment-before") {
        return resizemix::any_mixer(resizemix::augment_before(resize_mix, rand_augment_2_9()));
    }
    if (method == "cutout") return resizemix::any_mixer(resizemix::sometimes(resizemix::cutout{.length_fraction = 0.5}, p));
    return std::nullopt;
}

/// How many independently mixed copies of each batch a method trains on (batch augmentation).
std::int64_t batch_repeats(const std::string& method) { return method == "resizemix+" ? 2 : 1; }

/// Applies `policy` (RandAugment, AutoAugment) in place to every image of the batch, sample i with
/// the stream mix_batch would give it (options' seed, epoch, step and rank), so a run is reproducible per sample.
template <class Augmenter>
void augment_batch(const Augmenter& policy, resizemix::batch_view<float> batch, const resizemix::batch_options& options) {
    for (resizemix::index_t i = 0; i < batch.count(); ++i) {
        resizemix::rng random = resizemix::sample_stream(options, i);
        static_cast<void>(policy(batch[i], random));
    }
}

bool needs_saliency(const std::string& method) { return method.starts_with("cutmix-salient"); }

/// Images [first, first + count) of a split as an N x 1 x H x W float tensor in [0, 1].
torch::Tensor images_tensor(const fashion_mnist::split& data, std::int64_t first, std::int64_t count) {
    auto* pixels = const_cast<std::uint8_t*>(data.pixels.data() + first * data.height * data.width);  // read only
    return torch::from_blob(pixels, {count, 1, data.height, data.width}, torch::kUInt8).to(torch::kFloat).div_(255.0);
}

torch::Tensor normalize(const torch::Tensor& x) { return (x - pixel_mean) / pixel_std; }

/// Puts garment `indices[n]` of `garments` (resized, G x G) at a random place of canvas n of
/// `out` (N x 1 x C x C, zeroed first), flipped left-right with probability 1/2 when `flip`.
void place_batch(const fashion_mnist::split& garments, std::span<const std::int64_t> indices, resizemix::rng& random,
                 bool flip, torch::Tensor& out) {
    const std::int64_t g = garments.height;
    const std::int64_t c = out.size(2);
    out.zero_();
    float* dst = out.data_ptr<float>();
    for (std::size_t n = 0; n < indices.size(); ++n) {
        const std::uint8_t* src = garments.pixels.data() + indices[n] * g * g;
        const std::int64_t x0 = random.integer(0, c - g);
        const std::int64_t y0 = random.integer(0, c - g);
        const bool mirrored = flip && random.uniform() < 0.5;
        float* canvas = dst + static_cast<std::int64_t>(n) * c * c;
        for (std::int64_t y = 0; y < g; ++y) {
            for (std::int64_t x = 0; x < g; ++x) {
                canvas[(y0 + y) * c + x0 + (mirrored ? g - 1 - x : x)] = src[y * g + x] / 255.0f;
            }
        }
    }
}

/// Gathers `indices` into `out` (N x 1 x H x W, contiguous floats in [0, 1]), each image
/// shifted by up to `pad` pixels (zero fill: a random crop of the zero-padded image) and
/// flipped left-right with probability 1/2.
void crop_flip_batch(const fashion_mnist::split& data, std::span<const std::int64_t> indices, int pad,
                     resizemix::rng& random, torch::Tensor& out) {
    const std::int64_t h = data.height;
    const std::int64_t w = data.width;
    float* dst = out.data_ptr<float>();
    if (out.size(2) != h) {  // the canvas task: `data` holds the resized garments
        place_batch(data, indices, random, /*flip=*/true, out);
        return;
    }
    for (std::size_t n = 0; n < indices.size(); ++n) {
        const std::uint8_t* src = data.pixels.data() + indices[n] * h * w;
        const std::int64_t dx = pad > 0 ? random.integer(-pad, pad) : 0;
        const std::int64_t dy = pad > 0 ? random.integer(-pad, pad) : 0;
        const bool flip = random.uniform() < 0.5;
        float* image = dst + static_cast<std::int64_t>(n) * h * w;
        for (std::int64_t y = 0; y < h; ++y) {
            const std::int64_t sy = y + dy;
            for (std::int64_t x = 0; x < w; ++x) {
                const std::int64_t sx = x + dx;
                const float v = (sy >= 0 && sy < h && sx >= 0 && sx < w) ? src[sy * w + sx] / 255.0f : 0.0f;
                image[y * w + (flip ? w - 1 - x : x)] = v;
            }
        }
    }
}

/// Images [first, first + count) of `data` as a split of their own.
fashion_mnist::split slice(const fashion_mnist::split& data, std::int64_t first, std::int64_t count) {
    fashion_mnist::split part{count, data.height, data.width, {}, {}};
    const std::int64_t plane = data.height * data.width;
    part.pixels.assign(data.pixels.begin() + first * plane, data.pixels.begin() + (first + count) * plane);
    part.labels.assign(data.labels.begin() + first, data.labels.begin() + first + count);
    return part;
}

/// Every image of `data` resized to side x side with the library's bilinear resize (uint8).
fashion_mnist::split resized(const fashion_mnist::split& data, std::int64_t side) {
    fashion_mnist::split out{data.count, side, side, std::vector<std::uint8_t>(static_cast<std::size_t>(data.count * side * side)),
                             data.labels};
    for (std::int64_t i = 0; i < data.count; ++i) {
        resizemix::resize(resizemix::from_chw(data.pixels.data() + i * data.height * data.width, 1, data.height, data.width),
                          resizemix::from_chw(out.pixels.data() + i * side * side, 1, side, side));
    }
    return out;
}

/// The canvas version of an evaluation split: each garment resized to `garment` px at a place
/// drawn from (seed, stream), unflipped, so every run sees the same images.
fashion_mnist::split fixed_canvas(const fashion_mnist::split& data, std::int64_t garment, std::int64_t canvas,
                                  std::uint64_t seed, std::uint64_t stream) {
    const fashion_mnist::split garments = resized(data, garment);
    std::vector<std::int64_t> all(static_cast<std::size_t>(data.count));
    std::iota(all.begin(), all.end(), std::int64_t{0});
    torch::Tensor placed = torch::empty({data.count, 1, canvas, canvas}, torch::kFloat);
    resizemix::rng random(seed, stream);
    place_batch(garments, all, random, /*flip=*/false, placed);
    const torch::Tensor bytes = placed.mul(255.0).round_().clamp_(0, 255).to(torch::kUInt8).contiguous();
    fashion_mnist::split out{data.count, canvas, canvas, {}, data.labels};
    out.pixels.assign(bytes.data_ptr<std::uint8_t>(), bytes.data_ptr<std::uint8_t>() + bytes.numel());
    return out;
}

/// Grad-CAM of every sample for its class: activations of the last convolutional
/// block and the gradients of the class logit with respect to them (one backward
/// through the head only: the trunk runs without autograd).
std::vector<resizemix::saliency_map> grad_cam_maps(train::resnet& model, const torch::Tensor& input,
                                                   const torch::Tensor& classes) {
    torch::Tensor features;
    {
        const torch::NoGradGuard no_grad;
        features = model->features(input);
    }
    features.requires_grad_(true);
    const torch::Tensor score = model->head(features).gather(1, classes.view({-1, 1})).sum();
    const torch::Tensor gradients = torch::autograd::grad({score}, {features})[0].contiguous();
    const torch::Tensor activations = features.detach().contiguous();
    const auto a = resizemix::as_batch_view<const float>(activations);
    const auto g = resizemix::as_batch_view<const float>(gradients);
    std::vector<resizemix::saliency_map> maps;
    maps.reserve(static_cast<std::size_t>(a.count()));
    for (resizemix::index_t i = 0; i < a.count(); ++i) maps.push_back(resizemix::grad_cam(a[i], g[i]));
    return maps;
}

struct evaluation {
    double loss = 0.0;      ///< mean negative log-likelihood
    double accuracy = 0.0;
    double ece = 0.0;       ///< expected calibration error over calibration_bins equal-width bins
};

constexpr int calibration_bins = 15;

evaluation evaluate(train::resnet& model, const fashion_mnist::split& test, std::int64_t limit) {
    const std::int64_t count = limit > 0 ? std::min(limit, test.count) : test.count;
    model->eval();
    const torch::NoGradGuard no_grad;
    double loss = 0.0;
    std::int64_t correct = 0;
    std::array<double, calibration_bins> bin_confidence{};
    std::array<double, calibration_bins> bin_correct{};
    for (std::int64_t first = 0; first < count; first += 500) {
        const std::int64_t n = std::min<std::int64_t>(500, count - first);
        const torch::Tensor logits = model->forward(normalize(images_tensor(test, first, n)));
        const torch::Tensor labels =
            torch::from_blob(const_cast<std::int64_t*>(test.labels.data() + first), {n}, torch::kLong);  // read only
        loss += torch::nn::functional::cross_entropy(
                    logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
        const torch::Tensor hits = logits.argmax(1).eq(labels);
        correct += hits.sum().item<std::int64_t>();
        const torch::Tensor confidence = torch::softmax(logits, 1).amax(1).to(torch::kDouble).contiguous();
        const torch::Tensor hit = hits.to(torch::kDouble).contiguous();
        for (std::int64_t i = 0; i < n; ++i) {
            const double p = confidence.data_ptr<double>()[i];
            const auto bin = std::min<std::size_t>(calibration_bins - 1, static_cast<std::size_t>(p * calibration_bins));
            bin_confidence[bin] += p;
            bin_correct[bin] += hit.data_ptr<double>()[i];
        }
    }
    model->train();
    double ece = 0.0;  // sum over bins of |accuracy - confidence| weighted by the bin's share of samples
    for (std::size_t bin = 0; bin < calibration_bins; ++bin) ece += std::abs(bin_correct[bin] - bin_confidence[bin]);
    const auto total = static_cast<double>(count);
    return {loss / total, static_cast<double>(correct) / total, ece / total};
}

struct run_result {
    double first_loss = 0.0;  // mean training loss over the first steps
    double last_loss = 0.0;   // ... and over the last ones
    double test_accuracy = 0.0;
    double seconds = 0.0;
};

void append_csv(const std::string& path, const std::string& row) {
    const bool fresh = !std::filesystem::exists(path) || std::filesystem::file_size(path) == 0;
    std::ofstream csv(path, std::ios::app);
    if (!csv) throw std::runtime_error("cannot open " + path + " for appending");
    if (fresh) csv << "method,seed,epoch,step,lr,train_loss,test_loss,test_acc,seconds,test_ece,val_loss,val_acc,val_ece\n";
    csv << row << '\n';
    if (!csv.flush()) throw std::runtime_error("cannot write " + path);
}

/// Trains one model with one method; returns the model through `model_out`. On the canvas task
/// `train_set` holds the resized garments and the evaluation splits are canvases already.
run_result train_method(const settings& s, const std::string& method, const fashion_mnist::split& train_set,
                        const fashion_mnist::split& test_set, const fashion_mnist::split& validation_set,
                        train::resnet& model_out) {
    torch::manual_seed(s.seed);
    train::resnet model(s.width, s.blocks, fashion_mnist::num_classes, s.stem_stride);
    model->train();
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(s.lr)
                                                         .momentum(s.momentum)
                                                         .nesterov(true)
                                                         .weight_decay(s.weight_decay));
    const std::optional<resizemix::any_mixer> mixer = make_mixer(method, s);
    const bool saliency = needs_saliency(method);
    const std::int64_t repeats = batch_repeats(method);

    const std::int64_t n_train = s.train_subset > 0 ? std::min(s.train_subset, train_set.count) : train_set.count;
    const std::int64_t steps_per_epoch = n_train / s.batch_size;  // the last partial batch is dropped
    if (steps_per_epoch < 1) throw std::runtime_error("the training set is smaller than one batch");
    std::int64_t total_steps = steps_per_epoch * s.epochs;
    if (s.max_steps > 0) total_steps = std::min(total_steps, s.max_steps);

    const std::int64_t b = s.batch_size;
    const std::int64_t side = s.canvas > 0 ? s.canvas : train_set.height;
    torch::Tensor batch = torch::empty({b, 1, side, side}, torch::kFloat);
    // Batch augmentation mixes the batch into `repeats` copies, a separate tensor (the copies'
    // sources are the unmixed batch); the optimizer step sees all repeats x b samples.
    torch::Tensor repeated =
        repeats > 1 ? torch::empty({repeats * b, 1, side, side}, torch::kFloat) : batch;
    std::vector<std::int64_t> order(static_cast<std::size_t>(n_train));
    std::vector<std::int64_t> labels(static_cast<std::size_t>(b));
    std::vector<double> step_losses;
    step_losses.reserve(static_cast<std::size_t>(total_steps));
    resizemix::rng augment(s.seed, /*stream=*/1);
    std::vector<resizemix::saliency_map> maps;
    auto provide_map = [&maps](const resizemix::saliency_query& query) -> const resizemix::saliency_map& {
        return maps.at(static_cast<std::size_t>(query.image_index));
    };

    const auto start = std::chrono::steady_clock::now();
    std::int64_t step = 0;
    double epoch_loss = 0.0;
    evaluation test;
    evaluation validation;
    for (int epoch = 1; epoch <= s.epochs && step < total_steps; ++epoch) {
        std::iota(order.begin(), order.end(), std::int64_t{0});
        resizemix::rng shuffle(s.seed, /*stream=*/1000 + static_cast<std::uint64_t>(epoch));
        for (std::int64_t i = n_train - 1; i > 0; --i) {
            std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(shuffle.integer(0, i))]);
        }
        epoch_loss = 0.0;
        std::int64_t epoch_steps = 0;
        for (std::int64_t k = 0; k < steps_per_epoch && step < total_steps; ++k, ++step, ++epoch_steps) {
            const std::span<const std::int64_t> indices(order.data() + k * b, static_cast<std::size_t>(b));
            for (std::size_t j = 0; j < indices.size(); ++j) labels[j] = train_set.labels[static_cast<std::size_t>(indices[j])];
            crop_flip_batch(train_set, indices, s.crop_pad, augment, batch);
            const torch::Tensor classes = torch::from_blob(labels.data(), {b}, torch::kLong).clone();

            // Fresh draws at every step: the library's streams are keyed by (seed, epoch, step, sample).
            resizemix::batch_options options;
            options.seed = s.seed;
            options.epoch = static_cast<std::uint64_t>(epoch);
            options.step = static_cast<std::uint64_t>(k);
            options.num_classes = fashion_mnist::num_classes;
            const auto view = resizemix::as_batch_view<float>(batch);
            torch::Tensor targets;
            if (mixer && repeats > 1) {
                const resizemix::batch_result mixed =
                    resizemix::mix_batch_repeated(*mixer, resizemix::batch_view<const float>(view),
                                                  std::span<const std::int64_t>(labels),
                                                  resizemix::as_batch_view<float>(repeated), repeats, options);
                targets = resizemix::to_tensor(mixed.labels);
            } else if (mixer) {
                if (saliency) maps = grad_cam_maps(model, normalize(batch), classes);
                // Mix in place on a view of the tensor's memory.
                const resizemix::batch_result mixed = resizemix::mix_batch(
                    *mixer, view, std::span<const std::int64_t>(labels), view, options, provide_map);
                targets = resizemix::to_tensor(mixed.labels);
            } else {
                if (method == "randaugment") augment_batch(rand_augment_2_9(), view, options);
                if (method == "autoaugment") {
                    augment_batch(resizemix::auto_augment{.policy = resizemix::auto_augment_policy::cifar10}, view, options);
                }
                targets = torch::one_hot(classes, fashion_mnist::num_classes).to(torch::kFloat);
            }

            const double lr = 0.5 * s.lr * (1.0 + std::cos(std::numbers::pi * static_cast<double>(step) / static_cast<double>(total_steps)));
            for (auto& group : optimizer.param_groups()) static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
            const torch::Tensor logits = model->forward(normalize(repeated));
            const torch::Tensor loss = -(targets * torch::log_softmax(logits, 1)).sum(1).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            const double value = loss.item<double>();
            if (!std::isfinite(value)) throw std::runtime_error(method + ": the loss became " + std::to_string(value));
            step_losses.push_back(value);
            epoch_loss += value;
        }
        test = evaluate(model, test_set, s.eval_limit);
        if (validation_set.count > 0) validation = evaluate(model, validation_set, 0);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double mean_loss = epoch_loss / static_cast<double>(std::max<std::int64_t>(epoch_steps, 1));
        std::cout << std::fixed << std::setprecision(4) << method << " seed " << s.seed << " epoch " << epoch << " step "
                  << step << ": train loss " << mean_loss << ", test loss " << test.loss << ", test acc "
                  << test.accuracy << ", test ECE " << test.ece;
        if (validation_set.count > 0) std::cout << ", validation acc " << validation.accuracy;
        std::cout << ", " << std::setprecision(1) << seconds << " s" << std::endl;
        if (!s.csv.empty()) {
            std::ostringstream row;
            row << method << ',' << s.seed << ',' << epoch << ',' << step << ',' << std::setprecision(6)
                << 0.5 * s.lr * (1.0 + std::cos(std::numbers::pi * static_cast<double>(step) / static_cast<double>(total_steps)))
                << ',' << mean_loss << ',' << test.loss << ',' << test.accuracy << ',' << std::setprecision(1) << std::fixed << seconds
                << std::setprecision(6) << ',' << test.ece << ',';
            if (validation_set.count > 0) row << validation.loss << ',' << validation.accuracy << ',' << validation.ece;
            else row << ",,";
            append_csv(s.csv, row.str());
        }
    }

    run_result result;
    const std::size_t window = std::max<std::size_t>(1, std::min<std::size_t>(10, step_losses.size() / 4));
    result.first_loss = std::accumulate(step_losses.begin(), step_losses.begin() + static_cast<std::ptrdiff_t>(window), 0.0) /
                        static_cast<double>(window);
    result.last_loss = std::accumulate(step_losses.end() - static_cast<std::ptrdiff_t>(window), step_losses.end(), 0.0) /
                       static_cast<double>(window);
    result.test_accuracy = test.accuracy;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    model_out = model;
    return result;
}

/// An RGB canvas for the Grad-CAM picture.
struct canvas {
    int width;
    int height;
    std::vector<std::uint8_t> rgb;
    canvas(int w, int h) : width(w), height(h), rgb(static_cast<std::size_t>(w * h * 3), 255) {}
    void set(int x, int y, float r, float g, float b) {
        if (x < 0 || y < 0 || x >= width || y >= height) return;
        auto* p = &rgb[static_cast<std::size_t>((y * width + x) * 3)];
        p[0] = static_cast<std::uint8_t>(std::lround(std::clamp(r, 0.0f, 1.0f) * 255.0f));
        p[1] = static_cast<std::uint8_t>(std::lround(std::clamp(g, 0.0f, 1.0f) * 255.0f));
        p[2] = static_cast<std::uint8_t>(std::lround(std::clamp(b, 0.0f, 1.0f) * 255.0f));
    }
};

/// The "jet" colour map: blue (0) through green to red (1).
std::array<float, 3> jet(float t) {
    auto ramp = [t](float centre) { return std::clamp(1.5f - std::abs(4.0f * t - centre), 0.0f, 1.0f); };
    return {ramp(3.0f), ramp(2.0f), ramp(1.0f)};
}

/// One test image per class (columns); rows: the image, its Grad-CAM map for the
/// true class over it, and the 14x14 salient box that resizemix::place_box picks
/// (centred on a pixel drawn from the map's maximum set, shifted inside).
void write_gradcam_png(train::resnet& model, const fashion_mnist::split& test, const std::string& path,
                       std::uint64_t seed) {
    constexpr int scale = 4;
    constexpr int gap = 4;
    const auto h = static_cast<int>(test.height);
    const auto w = static_cast<int>(test.width);
    const int tile_w = w * scale;
    const int tile_h = h * scale;
    const int classes = fashion_mnist::num_classes;
    canvas picture(classes * (tile_w + gap) + gap, 3 * (tile_h + gap) + gap);

    model->eval();
    resizemix::rng random(seed, /*stream=*/7);
    for (int c = 0; c < classes; ++c) {
        const auto it = std::find(test.labels.begin(), test.labels.end(), c);
        if (it == test.labels.end()) continue;  // not among the evaluated test images (--eval-limit)
        const std::int64_t index = it - test.labels.begin();
        const torch::Tensor image = images_tensor(test, index, 1);
        const torch::Tensor label = torch::full({1}, c, torch::kLong);
        const resizemix::saliency_map map = grad_cam_maps(model, normalize(image), label).front();

        // Upscale the 7x7 map to the tile with the library's bilinear resize.
        const float peak = *std::max_element(map.values().begin(), map.values().end());
        std::vector<float> big(static_cast<std::size_t>(tile_w * tile_h));
        resizemix::resize(resizemix::from_chw(map.data(), 1, map.height(), map.width()),
                          resizemix::from_chw(big.data(), 1, tile_h, tile_w));
        const resizemix::box salient =
            resizemix::place_box(resizemix::region::salient, w / 2, h / 2, w, h, &map, random);

        const float* pixels = image.data_ptr<float>();
        const int x0 = gap + c * (tile_w + gap);
        for (int y = 0; y < tile_h; ++y) {
            for (int x = 0; x < tile_w; ++x) {
                const float v = pixels[(y / scale) * w + x / scale];
                picture.set(x0 + x, gap + y, v, v, v);
                const auto colour = jet(peak > 0.0f ? big[static_cast<std::size_t>(y * tile_w + x)] / peak : 0.0f);
                const int y1 = 2 * gap + tile_h + y;
                picture.set(x0 + x, y1, 0.5f * v + 0.5f * colour[0], 0.5f * v + 0.5f * colour[1],
                            0.5f * v + 0.5f * colour[2]);
                const int y2 = 3 * gap + 2 * tile_h + y;
                const bool inside = salient.contains(x / scale, y / scale);
                const bool edge = inside && (x < salient.x * scale + 2 || x >= (salient.x + salient.width) * scale - 2 ||
                                             y < salient.y * scale + 2 || y >= (salient.y + salient.height) * scale - 2);
                if (edge) {
                    picture.set(x0 + x, y2, 1.0f, 0.1f, 0.1f);
                } else {
                    picture.set(x0 + x, y2, inside ? v : 0.45f * v, inside ? v : 0.45f * v, inside ? v : 0.45f * v);
                }
            }
        }
    }
    model->train();

    // Write beside the target, then rename, so a failure leaves no half-written picture.
    const std::string temporary = path + ".tmp";
    if (stbi_write_png(temporary.c_str(), picture.width, picture.height, 3, picture.rgb.data(), picture.width * 3) == 0) {
        std::filesystem::remove(temporary);
        throw std::runtime_error("cannot write " + path);
    }
    std::filesystem::rename(temporary, path);
}

}  // namespace

int main(int argc, char** argv) {
    const settings s = parse(argc, argv);
#if defined(__GLIBC__)
    // libtorch allocates and frees megabyte-sized activations every step; by default
    // glibc hands them back to the kernel and faults them in again, which cost about a
    // third of the run time here. Keep them in the heap instead.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
    try {
        at::set_num_threads(s.threads);
        fashion_mnist::split train_set = fashion_mnist::load(s.data_dir, "train");
        fashion_mnist::split test_set = fashion_mnist::load(s.data_dir, "t10k");
        fashion_mnist::split validation_set = slice(train_set, train_set.count - s.validation, s.validation);
        const std::int64_t used = s.train_subset > 0 ? std::min(s.train_subset, train_set.count) : train_set.count;
        std::cout << "Fashion-MNIST: " << train_set.count << " training images (" << used << " used, "
                  << validation_set.count << " for validation), " << test_set.count << " test images; " << s.threads
                  << " thread(s)" << std::endl;
        if (s.canvas > 0) {
            train_set = resized(slice(train_set, 0, used), s.garment);
            // Only the test images that are evaluated are placed; the positions of the first N do not
            // depend on how many follow.
            const std::int64_t evaluated = s.eval_limit > 0 ? std::min(s.eval_limit, test_set.count) : test_set.count;
            test_set = fixed_canvas(slice(test_set, 0, evaluated), s.garment, s.canvas, s.canvas_test_seed, /*stream=*/1);
            validation_set = fixed_canvas(validation_set, s.garment, s.canvas, s.canvas_test_seed, /*stream=*/2);
        }

        bool all_fell = true;
        train::resnet model{nullptr};
        for (const std::string& method : s.methods) {
            const run_result r = train_method(s, method, train_set, test_set, validation_set, model);
            const bool fell = r.last_loss < 0.9 * r.first_loss;
            all_fell = all_fell && fell;
            std::cout << std::fixed << std::setprecision(4) << "summary " << method << " seed " << s.seed
                      << ": loss " << r.first_loss << " -> " << r.last_loss << (fell ? " (falls)" : " (DOES NOT FALL)")
                      << ", test acc " << r.test_accuracy << ", " << std::setprecision(1) << r.seconds << " s"
                      << std::endl;
        }
        if (!s.gradcam_png.empty()) {
            write_gradcam_png(model, test_set, s.gradcam_png, s.seed);
            std::cout << "wrote " << s.gradcam_png << " (Grad-CAM of the last trained model: " << s.methods.back()
                      << ")" << std::endl;
        }
        if (s.quick && !all_fell) {
            std::cerr << "resizemix-train: the training loss did not fall by 10% for every method\n";
            return 1;
        }
    } catch (const std::exception& e) {
        std::cerr << "resizemix-train: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
