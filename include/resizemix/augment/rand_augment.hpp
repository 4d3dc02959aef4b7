// resizemix/augment/rand_augment.hpp: RandAugment (Cubuk et al. 2020) as torchvision 0.14 defines it.
//
// The 14 operations of torchvision's augmentation space, apply_op() to run any of them with an
// explicit magnitude, and the rand_augment policy: num_ops operations drawn uniformly with
// replacement, each at bin `magnitude` of `num_magnitude_bins`, signed ops negated with
// probability 1/2. Draws come from the library's rng only, so a sample's stream fixes its ops.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../error.hpp"
#include "../random.hpp"
#include "../view.hpp"
#include "augment_op.hpp"
#include "color.hpp"
#include "geometric.hpp"

namespace resizemix {

/// Runs `op` with an explicit magnitude, in torchvision's _apply_op units: the shear factor for
/// ShearX/Y, pixels (truncated toward zero) for TranslateX/Y, counter-clockwise degrees for Rotate,
/// factor - 1 for Brightness/Color/Contrast/Sharpness, bits (truncated) for Posterize, the 0-255
/// threshold for Solarize; ignored by Identity, AutoContrast, Equalize and Invert. Cutout is refused
/// (its hole is not a magnitude: resizemix::cutout runs it).
template <class SourceT, class T>
void apply_op(augment_op op, image_view<SourceT> source, image_view<T> destination, double magnitude,
              const warp_options& options = {}) {
    detail::check_augment_types<SourceT, T>();
    switch (op) {
        case augment_op::identity:
            detail::check_augment_shapes("apply_op", source, destination);
            copy(source, destination);
            return;
        case augment_op::shear_x: shear_x(source, destination, magnitude, options); return;
        case augment_op::shear_y: shear_y(source, destination, magnitude, options); return;
        case augment_op::translate_x: translate_x(source, destination, magnitude, options); return;
        case augment_op::translate_y: translate_y(source, destination, magnitude, options); return;
        case augment_op::rotate: rotate(source, destination, magnitude, options); return;
        case augment_op::brightness: brightness(source, destination, magnitude); return;
        case augment_op::color: color(source, destination, magnitude); return;
        case augment_op::contrast: contrast(source, destination, magnitude); return;
        case augment_op::sharpness: sharpness(source, destination, magnitude); return;
        case augment_op::posterize:
            detail::check_finite("posterize", "magnitude", magnitude);
            if (!(magnitude > -1.0 && magnitude < 9.0)) detail::fail("posterize", "bits must be in [0, 8], got ", magnitude);
            posterize(source, destination, static_cast<int>(magnitude));
            return;
        case augment_op::solarize: solarize(source, destination, magnitude); return;
        case augment_op::auto_contrast: auto_contrast(source, destination); return;
        case augment_op::equalize: equalize(source, destination); return;
        case augment_op::invert: invert(source, destination); return;
        case augment_op::cutout:
            detail::fail("apply_op", "Cutout needs its hole, which a magnitude cannot give: run resizemix::cutout");
    }
    detail::fail("apply_op", "op must be one of the augment_op values, got the value ", static_cast<int>(op));
}

/// In-place form of apply_op.
template <class T>
void apply_op(augment_op op, image_view<T> image, double magnitude, const warp_options& options = {}) {
    apply_op(op, image_view<const T>(image), image, magnitude, options);
}

namespace detail {

/// torch.linspace(start, end, steps)[index] as torch's CPU kernel computes it in float32 (the
/// first half counted up from start, the second down from end).
inline float torch_linspace(double start, double end, int steps, int index) {
    const auto first = static_cast<float>(start);
    const auto last = static_cast<float>(end);
    const float step = (last - first) / static_cast<float>(steps - 1);
    if (index < steps / 2) return first + step * static_cast<float>(index);
    return last - step * static_cast<float>(steps - index - 1);
}

/// torchvision's two magnitude tables: RandAugment's and AutoAugment's, and TrivialAugmentWide's.
enum class augmentation_space { standard, wide };

/// The unsigned magnitude of `op` at bin `bin` of `bins` for a height x width image, as torchvision's
/// _augmentation_space of `space` gives it (float32 linspace values included); 0 for operations
/// without a magnitude. `function` names the caller in errors.
inline double bin_magnitude(const char* function, augmentation_space space, augment_op op, int bin, int bins,
                            index_t height, index_t width) {
    const bool wide = space == augmentation_space::wide;
    const auto span = [&](double high) { return static_cast<double>(torch_linspace(0.0, high, bins, bin)); };
    switch (op) {
        case augment_op::shear_x:
        case augment_op::shear_y: return span(wide ? 0.99 : 0.3);
        case augment_op::translate_x: return span(wide ? 32.0 : 150.0 / 331.0 * static_cast<double>(width));
        case augment_op::translate_y: return span(wide ? 32.0 : 150.0 / 331.0 * static_cast<double>(height));
        case augment_op::rotate: return span(wide ? 135.0 : 30.0);
        case augment_op::brightness:
        case augment_op::color:
        case augment_op::contrast:
        case augment_op::sharpness: return span(wide ? 0.99 : 0.9);
        case augment_op::posterize: {
            // 8 - (arange(bins) / ((bins - 1) / 4)).round(): 4 bits of range, 6 in the wide space.
            const float position = static_cast<float>(bin) / static_cast<float>((bins - 1) / (wide ? 6.0 : 4.0));
            return 8.0 - static_cast<double>(std::nearbyint(position));
        }
        case augment_op::solarize: return static_cast<double>(torch_linspace(255.0, 0.0, bins, bin));
        case augment_op::identity:
        case augment_op::auto_contrast:
        case augment_op::equalize:
        case augment_op::invert:
        case augment_op::cutout: return 0.0;
    }
    fail(function, "op must be one of the augment_op values, got the value ", static_cast<int>(op));
}

/// Whether torchvision's augmentation space gives `op` a range of magnitudes (false: a single 0).
[[nodiscard]] constexpr bool has_magnitude_bins(augment_op op) noexcept {
    return op != augment_op::identity && op != augment_op::auto_contrast && op != augment_op::equalize &&
           op != augment_op::invert && op != augment_op::cutout;
}

/// Applies recorded operations in turn to `image`, in place, with one set of warp options.
template <class T>
void apply_ops(const std::vector<applied_op>& ops, image_view<T> image, const warp_options& options) {
    for (const applied_op& step : ops) apply_op(step.op, image, step.magnitude, options);
}

/// What every augmenter's operator()(source, destination, rng) does: check, draw the operations for
/// the source's size, copy it into the destination and apply them there.
template <class Augmenter, class SourceT, class T>
std::vector<applied_op> draw_and_apply(const Augmenter& augmenter, image_view<SourceT> source,
                                       image_view<T> destination, rng& random) {
    check_augment_types<SourceT, T>();
    augmenter.validate();
    check_augment_shapes(Augmenter::name, source, destination);
    augmenter.check_image(source);
    std::vector<applied_op> drawn = augmenter.draw(random, source.height(), source.width(), augment_stage::output);
    copy(source, destination);
    augmenter.apply(drawn, destination);
    return drawn;
}

/// What every operation-drawing policy needs of an image: 1 or 3 channels, and a fill that fits them.
template <class T>
void check_policy_image(const char* function, const image_view<T>& image, const warp_options& options) {
    if (image.channels() != 1 && image.channels() != 3) {
        fail(function, "needs 1 or 3 channels (grayscale or RGB), got ", image.channels());
    }
    options.validate(function, image.channels());
}

}  // namespace detail

/// RandAugment parameters; call as `rand_augment{}(image, rng)` (in place) or
/// `rand_augment{}(source, destination, rng)`. Needs 1- or 3-channel images (Color and Contrast
/// are defined on grayscale or RGB). Draws, for each of num_ops operations in order: the
/// operation, rng::integer(0, 13) in augment_op order; then, for signed operations only, the
/// sign, rng::integer(0, 1) == 1 meaning negative (torchvision's two torch.randint calls).
struct rand_augment {
    static constexpr const char* name = "rand_augment";

    int num_ops = 2;               ///< operations per image, >= 0 (the paper's N)
    int magnitude = 9;             ///< the magnitude bin, in [0, num_magnitude_bins) (the paper's M)
    int num_magnitude_bins = 31;   ///< how many bins span each op's range, >= 2
    resizemix::interpolation interpolation = resizemix::interpolation::nearest;  ///< nearest or bilinear
    std::vector<double> fill{};    ///< warp_options::fill: empty, 1 or per-channel values on the 0-255 scale

    /// Throws resizemix::error naming the first bad field (before any pixel is written).
    void validate() const {
        if (num_ops < 0) detail::fail(name, "num_ops must be at least 0, got ", num_ops);
        if (num_magnitude_bins < 2) detail::fail(name, "num_magnitude_bins must be at least 2, got ", num_magnitude_bins);
        if (magnitude < 0 || magnitude >= num_magnitude_bins) {
            detail::fail(name, "magnitude must be in [0, num_magnitude_bins) = [0, ", num_magnitude_bins, "), got ", magnitude);
        }
        warp_options{interpolation, fill}.validate(name, fill.empty() ? 1 : static_cast<index_t>(fill.size()));
    }

    /// The unsigned magnitude of `op` at this policy's bin for a height x width image: torchvision's
    /// _augmentation_space, its float32 linspace values included.
    [[nodiscard]] double magnitude_of(augment_op op, index_t height, index_t width) const {
        validate();
        return detail::bin_magnitude(name, detail::augmentation_space::standard, op, magnitude, num_magnitude_bins,
                                     height, width);
    }

    /// Draws num_ops operations for a height x width image (the draws documented above), marked `stage`.
    [[nodiscard]] std::vector<applied_op> draw(rng& random, index_t height, index_t width,
                                               augment_stage stage = augment_stage::output) const {
        validate();
        std::vector<applied_op> drawn;
        drawn.reserve(static_cast<std::size_t>(num_ops));
        for (int k = 0; k < num_ops; ++k) {
            const auto op = static_cast<augment_op>(random.integer(0, augment_op_count - 1));
            double value = magnitude_of(op, height, width);
            if (is_signed(op) && random.integer(0, 1) == 1) value = -value;
            drawn.push_back({op, value, stage});
        }
        return drawn;
    }

    /// Applies drawn operations in turn to `image`, in place (no draws).
    template <class T>
    void apply(const std::vector<applied_op>& ops, image_view<T> image) const {
        check_image(image);
        detail::apply_ops(ops, image, warp_options{interpolation, fill});
    }

    /// Draws num_ops operations and applies them in turn to `image`; returns them as they ran.
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
