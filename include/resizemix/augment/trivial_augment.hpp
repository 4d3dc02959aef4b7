// resizemix/augment/trivial_augment.hpp: TrivialAugmentWide (Müller and Hutter 2021) as torchvision 0.14 defines it.
//
// One of RandAugment's 14 operations per image, at a magnitude bin drawn uniformly from the wide
// augmentation space (shear and colour up to 0.99, 32 pixels of translation, 135 degrees, down to
// 2 bits), signed operations negated with probability 1/2. Same operations, same rng, same records
// as rand_augment, so pipelines and mix_batch take it as they take RandAugment.
#pragma once

#include <vector>

#include "../error.hpp"
#include "../random.hpp"
#include "../view.hpp"
#include "augment_op.hpp"
#include "geometric.hpp"
#include "rand_augment.hpp"

namespace resizemix {

/// TrivialAugmentWide parameters; call as `trivial_augment_wide{}(image, rng)` (in place) or
/// `trivial_augment_wide{}(source, destination, rng)`, or give it to a pipeline. Needs 1- or
/// 3-channel images. Draws, as torchvision's forward does: the operation, rng::integer(0, 13) in
/// augment_op order; for operations with a range of magnitudes (all but Identity, AutoContrast and
/// Equalize) the bin, rng::integer(0, num_magnitude_bins - 1); for signed operations the sign,
/// rng::integer(0, 1) == 1 meaning negative.
struct trivial_augment_wide {
    static constexpr const char* name = "trivial_augment_wide";

    int num_magnitude_bins = 31;  ///< how many bins span each op's range, >= 2
    resizemix::interpolation interpolation = resizemix::interpolation::nearest;  ///< nearest or bilinear
    std::vector<double> fill{};   ///< warp_options::fill: empty, 1 or per-channel values on the 0-255 scale

    /// Throws resizemix::error naming the first bad field (before any pixel is written).
    void validate() const {
        if (num_magnitude_bins < 2) detail::fail(name, "num_magnitude_bins must be at least 2, got ", num_magnitude_bins);
        warp_options{interpolation, fill}.validate(name, fill.empty() ? 1 : static_cast<index_t>(fill.size()));
    }

    /// The unsigned magnitude of `op` at bin `bin` (in [0, num_magnitude_bins)) of the wide space.
    [[nodiscard]] double magnitude_of(augment_op op, int bin, index_t height, index_t width) const {
        validate();
        if (bin < 0 || bin >= num_magnitude_bins) {
            detail::fail(name, "bin must be in [0, num_magnitude_bins) = [0, ", num_magnitude_bins, "), got ", bin);
        }
        return detail::bin_magnitude(name, detail::augmentation_space::wide, op, bin, num_magnitude_bins, height, width);
    }

    /// Draws one operation for a height x width image (the draws documented above), marked `stage`.
    [[nodiscard]] std::vector<applied_op> draw(rng& random, index_t height, index_t width,
                                               augment_stage stage = augment_stage::output) const {
        validate();
        const auto op = static_cast<augment_op>(random.integer(0, augment_op_count - 1));
        double value = 0.0;
        if (detail::has_magnitude_bins(op)) {
            value = magnitude_of(op, static_cast<int>(random.integer(0, num_magnitude_bins - 1)), height, width);
        }
        if (is_signed(op) && random.integer(0, 1) == 1) value = -value;
        return {applied_op{.op = op, .magnitude = value, .stage = stage}};
    }

    /// Applies drawn operations in turn to `image`, in place (no draws).
    template <class T>
    void apply(const std::vector<applied_op>& ops, image_view<T> image) const {
        check_image(image);
        detail::apply_ops(ops, image, warp_options{interpolation, fill});
    }

    /// Draws one operation and applies it to `image`; returns it as it ran.
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
