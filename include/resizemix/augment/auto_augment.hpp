// resizemix/augment/auto_augment.hpp: AutoAugment (Cubuk et al. 2019) as torchvision 0.14 defines it.
//
// The three published policies (ImageNet, CIFAR-10, SVHN): 25 sub-policies of two operations, each
// with the probability it runs and a magnitude bin of 10 in RandAugment's augmentation space. One
// sub-policy is drawn per image; its operations run in order through apply_op (rand_augment.hpp).
// Draws come from the library's rng only, in torchvision's order, so a sample's stream fixes its ops.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "../error.hpp"
#include "../random.hpp"
#include "../view.hpp"
#include "augment_op.hpp"
#include "geometric.hpp"
#include "rand_augment.hpp"

namespace resizemix {

/// The dataset an AutoAugment policy was searched on.
enum class auto_augment_policy : std::uint8_t { imagenet, cifar10, svhn };

/// The policy's name as the CLI and torchvision spell it ("imagenet", "cifar10", "svhn").
[[nodiscard]] constexpr std::string_view to_string(auto_augment_policy policy) noexcept {
    switch (policy) {
        case auto_augment_policy::imagenet: return "imagenet";
        case auto_augment_policy::cifar10: return "cifar10";
        case auto_augment_policy::svhn: return "svhn";
    }
    return "unknown";
}

/// One operation of a sub-policy: which, the probability that it runs, and its magnitude bin of 10
/// (-1 for operations without a magnitude).
struct auto_augment_step {
    augment_op op = augment_op::identity;
    double probability = 0.0;
    int magnitude_bin = -1;
};

/// Two operations that run in order, each with its own probability.
using auto_augment_subpolicy = std::array<auto_augment_step, 2>;

/// How many sub-policies each published policy has.
inline constexpr int auto_augment_subpolicy_count = 25;

namespace detail {

using auto_augment_table = std::array<auto_augment_subpolicy, auto_augment_subpolicy_count>;

// torchvision 0.14's AutoAugment._get_policies, in its order.
inline constexpr auto_augment_table imagenet_subpolicies{{
    {{{augment_op::posterize, 0.4, 8}, {augment_op::rotate, 0.6, 9}}},
    {{{augment_op::solarize, 0.6, 5}, {augment_op::auto_contrast, 0.6, -1}}},
    {{{augment_op::equalize, 0.8, -1}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::posterize, 0.6, 7}, {augment_op::posterize, 0.6, 6}}},
    {{{augment_op::equalize, 0.4, -1}, {augment_op::solarize, 0.2, 4}}},
    {{{augment_op::equalize, 0.4, -1}, {augment_op::rotate, 0.8, 8}}},
    {{{augment_op::solarize, 0.6, 3}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::posterize, 0.8, 5}, {augment_op::equalize, 1.0, -1}}},
    {{{augment_op::rotate, 0.2, 3}, {augment_op::solarize, 0.6, 8}}},
    {{{augment_op::equalize, 0.6, -1}, {augment_op::posterize, 0.4, 6}}},
    {{{augment_op::rotate, 0.8, 8}, {augment_op::color, 0.4, 0}}},
    {{{augment_op::rotate, 0.4, 9}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::equalize, 0.0, -1}, {augment_op::equalize, 0.8, -1}}},
    {{{augment_op::invert, 0.6, -1}, {augment_op::equalize, 1.0, -1}}},
    {{{augment_op::color, 0.6, 4}, {augment_op::contrast, 1.0, 8}}},
    {{{augment_op::rotate, 0.8, 8}, {augment_op::color, 1.0, 2}}},
    {{{augment_op::color, 0.8, 8}, {augment_op::solarize, 0.8, 7}}},
    {{{augment_op::sharpness, 0.4, 7}, {augment_op::invert, 0.6, -1}}},
    {{{augment_op::shear_x, 0.6, 5}, {augment_op::equalize, 1.0, -1}}},
    {{{augment_op::color, 0.4, 0}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::equalize, 0.4, -1}, {augment_op::solarize, 0.2, 4}}},
    {{{augment_op::solarize, 0.6, 5}, {augment_op::auto_contrast, 0.6, -1}}},
    {{{augment_op::invert, 0.6, -1}, {augment_op::equalize, 1.0, -1}}},
    {{{augment_op::color, 0.6, 4}, {augment_op::contrast, 1.0, 8}}},
    {{{augment_op::equalize, 0.8, -1}, {augment_op::equalize, 0.6, -1}}},
}};

inline constexpr auto_augment_table cifar10_subpolicies{{
    {{{augment_op::invert, 0.1, -1}, {augment_op::contrast, 0.2, 6}}},
    {{{augment_op::rotate, 0.7, 2}, {augment_op::translate_x, 0.3, 9}}},
    {{{augment_op::sharpness, 0.8, 1}, {augment_op::sharpness, 0.9, 3}}},
    {{{augment_op::shear_y, 0.5, 8}, {augment_op::translate_y, 0.7, 9}}},
    {{{augment_op::auto_contrast, 0.5, -1}, {augment_op::equalize, 0.9, -1}}},
    {{{augment_op::shear_y, 0.2, 7}, {augment_op::posterize, 0.3, 7}}},
    {{{augment_op::color, 0.4, 3}, {augment_op::brightness, 0.6, 7}}},
    {{{augment_op::sharpness, 0.3, 9}, {augment_op::brightness, 0.7, 9}}},
    {{{augment_op::equalize, 0.6, -1}, {augment_op::equalize, 0.5, -1}}},
    {{{augment_op::contrast, 0.6, 7}, {augment_op::sharpness, 0.6, 5}}},
    {{{augment_op::color, 0.7, 7}, {augment_op::translate_x, 0.5, 8}}},
    {{{augment_op::equalize, 0.3, -1}, {augment_op::auto_contrast, 0.4, -1}}},
    {{{augment_op::translate_y, 0.4, 3}, {augment_op::sharpness, 0.2, 6}}},
    {{{augment_op::brightness, 0.9, 6}, {augment_op::color, 0.2, 8}}},
    {{{augment_op::solarize, 0.5, 2}, {augment_op::invert, 0.0, -1}}},
    {{{augment_op::equalize, 0.2, -1}, {augment_op::auto_contrast, 0.6, -1}}},
    {{{augment_op::equalize, 0.2, -1}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::color, 0.9, 9}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::auto_contrast, 0.8, -1}, {augment_op::solarize, 0.2, 8}}},
    {{{augment_op::brightness, 0.1, 3}, {augment_op::color, 0.7, 0}}},
    {{{augment_op::solarize, 0.4, 5}, {augment_op::auto_contrast, 0.9, -1}}},
    {{{augment_op::translate_y, 0.9, 9}, {augment_op::translate_y, 0.7, 9}}},
    {{{augment_op::auto_contrast, 0.9, -1}, {augment_op::solarize, 0.8, 3}}},
    {{{augment_op::equalize, 0.8, -1}, {augment_op::invert, 0.1, -1}}},
    {{{augment_op::translate_y, 0.7, 9}, {augment_op::auto_contrast, 0.9, -1}}},
}};

inline constexpr auto_augment_table svhn_subpolicies{{
    {{{augment_op::shear_x, 0.9, 4}, {augment_op::invert, 0.2, -1}}},
    {{{augment_op::shear_y, 0.9, 8}, {augment_op::invert, 0.7, -1}}},
    {{{augment_op::equalize, 0.6, -1}, {augment_op::solarize, 0.6, 6}}},
    {{{augment_op::invert, 0.9, -1}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::equalize, 0.6, -1}, {augment_op::rotate, 0.9, 3}}},
    {{{augment_op::shear_x, 0.9, 4}, {augment_op::auto_contrast, 0.8, -1}}},
    {{{augment_op::shear_y, 0.9, 8}, {augment_op::invert, 0.4, -1}}},
    {{{augment_op::shear_y, 0.9, 5}, {augment_op::solarize, 0.2, 6}}},
    {{{augment_op::invert, 0.9, -1}, {augment_op::auto_contrast, 0.8, -1}}},
    {{{augment_op::equalize, 0.6, -1}, {augment_op::rotate, 0.9, 3}}},
    {{{augment_op::shear_x, 0.9, 4}, {augment_op::solarize, 0.3, 3}}},
    {{{augment_op::shear_y, 0.8, 8}, {augment_op::invert, 0.7, -1}}},
    {{{augment_op::equalize, 0.9, -1}, {augment_op::translate_y, 0.6, 6}}},
    {{{augment_op::invert, 0.9, -1}, {augment_op::equalize, 0.6, -1}}},
    {{{augment_op::contrast, 0.3, 3}, {augment_op::rotate, 0.8, 4}}},
    {{{augment_op::invert, 0.8, -1}, {augment_op::translate_y, 0.0, 2}}},
    {{{augment_op::shear_y, 0.7, 6}, {augment_op::solarize, 0.4, 8}}},
    {{{augment_op::invert, 0.6, -1}, {augment_op::rotate, 0.8, 4}}},
    {{{augment_op::shear_y, 0.3, 7}, {augment_op::translate_x, 0.9, 3}}},
    {{{augment_op::shear_x, 0.1, 6}, {augment_op::invert, 0.6, -1}}},
    {{{augment_op::solarize, 0.7, 2}, {augment_op::translate_y, 0.6, 7}}},
    {{{augment_op::shear_y, 0.8, 4}, {augment_op::invert, 0.8, -1}}},
    {{{augment_op::shear_x, 0.7, 9}, {augment_op::translate_y, 0.8, 3}}},
    {{{augment_op::shear_y, 0.8, 5}, {augment_op::auto_contrast, 0.7, -1}}},
    {{{augment_op::shear_x, 0.7, 2}, {augment_op::invert, 0.1, -1}}},
}};

}  // namespace detail

/// The 25 sub-policies of `policy`, in torchvision's order (throws for a value outside the enum).
[[nodiscard]] inline std::span<const auto_augment_subpolicy, auto_augment_subpolicy_count> auto_augment_subpolicies(
    auto_augment_policy policy) {
    switch (policy) {
        case auto_augment_policy::imagenet: return detail::imagenet_subpolicies;
        case auto_augment_policy::cifar10: return detail::cifar10_subpolicies;
        case auto_augment_policy::svhn: return detail::svhn_subpolicies;
    }
    detail::fail("auto_augment", "policy must be imagenet, cifar10 or svhn, got the value ", static_cast<int>(policy));
}

/// AutoAugment parameters; call as `auto_augment{}(image, rng)` (in place) or
/// `auto_augment{}(source, destination, rng)`, or give it to augment_after / augment_before. Needs
/// 1- or 3-channel images. Draws five values per image whatever runs, as torchvision's get_params
/// does: the sub-policy, rng::integer(0, 24); for each of its two steps a uniform, the step running
/// when it is <= the step's probability; then for each step a sign, rng::integer(0, 1) == 0 meaning
/// negative (torchvision's `signs[i] == 0`; only signed operations use it).
struct auto_augment {
    static constexpr const char* name = "auto_augment";

    auto_augment_policy policy = auto_augment_policy::imagenet;  ///< which published policy
    resizemix::interpolation interpolation = resizemix::interpolation::nearest;  ///< nearest or bilinear
    std::vector<double> fill{};  ///< warp_options::fill: empty, 1 or per-channel values on the 0-255 scale

    /// AutoAugment reads its magnitudes from 10 bins of RandAugment's augmentation space.
    static constexpr int num_magnitude_bins = 10;

    /// Throws resizemix::error naming the first bad field (before any pixel is written).
    void validate() const {
        (void)auto_augment_subpolicies(policy);
        warp_options{interpolation, fill}.validate(name, fill.empty() ? 1 : static_cast<index_t>(fill.size()));
    }

    /// The operations sub-policy `index` runs on a height x width image when step k runs where
    /// `runs[k]` and its magnitude is negated where `negative[k]` (signed operations only). No draws:
    /// this is draw() with its choices given, for replaying torchvision's.
    [[nodiscard]] std::vector<applied_op> subpolicy_ops(int index, std::array<bool, 2> runs, std::array<bool, 2> negative,
                                                        index_t height, index_t width,
                                                        augment_stage stage = augment_stage::output) const {
        if (index < 0 || index >= auto_augment_subpolicy_count) {
            detail::fail(name, "sub-policy index must be in [0, ", auto_augment_subpolicy_count, "), got ", index);
        }
        const auto_augment_subpolicy& steps = auto_augment_subpolicies(policy)[static_cast<std::size_t>(index)];
        std::vector<applied_op> ops;
        for (std::size_t k = 0; k < steps.size(); ++k) {
            if (!runs[k]) continue;
            const auto_augment_step& step = steps[k];
            double magnitude = step.magnitude_bin < 0
                                   ? 0.0
                                   : detail::bin_magnitude(name, detail::augmentation_space::standard, step.op,
                                                           step.magnitude_bin, num_magnitude_bins, height, width);
            if (is_signed(step.op) && negative[k]) magnitude = -magnitude;
            ops.push_back({.op = step.op, .magnitude = magnitude, .stage = stage});
        }
        return ops;
    }

    /// Draws a sub-policy and which of its steps run, for a height x width image (the draws
    /// documented above), marked `stage`; returns the operations that run.
    [[nodiscard]] std::vector<applied_op> draw(rng& random, index_t height, index_t width,
                                               augment_stage stage = augment_stage::output) const {
        validate();
        const int index = static_cast<int>(random.integer(0, auto_augment_subpolicy_count - 1));
        const std::array<double, 2> chances{random.uniform(), random.uniform()};
        const std::array<bool, 2> negative{random.integer(0, 1) == 0, random.integer(0, 1) == 0};
        const auto_augment_subpolicy& steps = auto_augment_subpolicies(policy)[static_cast<std::size_t>(index)];
        return subpolicy_ops(index, {chances[0] <= steps[0].probability, chances[1] <= steps[1].probability}, negative,
                             height, width, stage);
    }

    /// Applies drawn operations in turn to `image`, in place (no draws).
    template <class T>
    void apply(const std::vector<applied_op>& ops, image_view<T> image) const {
        check_image(image);
        detail::apply_ops(ops, image, warp_options{interpolation, fill});
    }

    /// Draws a sub-policy and applies what runs of it to `image`; returns the operations as they ran.
    template <class T>
    std::vector<applied_op> operator()(image_view<T> image, rng& random) const {
        return (*this)(image_view<const T>(image), image, random);
    }

    /// Writes the augmented `source` into `destination` (same shape; they may be the same view).
    template <class SourceT, class T>
    std::vector<applied_op> operator()(image_view<SourceT> source, image_view<T> destination, rng& random) const {
        return detail::draw_and_apply(*this, source, destination, random);
    }

    /// Throws resizemix::error unless the image has 1 or 3 channels and the fill fits them.
    template <class T>
    void check_image(const image_view<T>& image) const {
        detail::check_policy_image(name, image, warp_options{interpolation, fill});
    }
};

}  // namespace resizemix
