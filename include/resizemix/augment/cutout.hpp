// resizemix/augment/cutout.hpp: Cutout (DeVries and Taylor 2017): square holes filled with a constant.
//
// As the authors' code does it: for each hole a centre row y, then a column x, uniform over the
// image; the square [y - L/2, y + L/2) x [x - L/2, x + L/2) (L/2 rounded down) clipped at the border
// is filled. cutout is an augmenter (run alone, or in augment_after / augment_before), and also a
// mixer that leaves the source out (lambda 0, the label stays the target's), so mix_batch, one_of
// and the CLI take it as they take any mixer. Every hole is recorded as an applied_op.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../error.hpp"
#include "../geometry.hpp"
#include "../mix_info.hpp"
#include "../random.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"
#include "augment_op.hpp"
#include "detail/pixels.hpp"
#include "geometric.hpp"
#include "rand_augment.hpp"

namespace resizemix {

/// Cutout parameters. As an augmenter: `cutout{}(image, rng)` in place, or `(source, destination,
/// rng)`; as a mixer, plan / render (mix_batch, one_of, any_mixer), with info.augmentations holding
/// the holes (stage mix), info.box their bounding box and lambda 0. Draws, per hole: the centre
/// row, rng::integer(0, height - 1), then the column, rng::integer(0, width - 1).
struct cutout {
    static constexpr const char* name = "cutout";
    static constexpr bool patch_may_alias_target = true;  ///< render reads the target only at the pixel it writes

    /// The side L in pixels, >= 0: 16 on CIFAR-10, 8 on CIFAR-100, 20 on SVHN in the paper. An odd
    /// L gives holes of L - 1, as the authors' code does (L/2 each side of the centre).
    index_t length = 16;
    /// When above 0, L = round(length_fraction x the shorter side of each image) replaces `length`; in [0, 1].
    double length_fraction = 0.0;
    int holes = 1;  ///< holes per image, >= 0; they may overlap
    /// What fills the holes: empty for 0, else one value or one per channel, on the 0-255 scale for
    /// both pixel types (a float image gets value / 255), each in [0, 255].
    std::vector<double> fill{};

    /// Throws resizemix::error naming the first bad field (before any pixel is written).
    void validate() const {
        if (length < 0) detail::fail(name, "length must be at least 0, got ", length);
        if (!(length_fraction >= 0.0 && length_fraction <= 1.0)) {
            detail::fail(name, "length_fraction must be in [0, 1], got ", length_fraction);
        }
        if (holes < 0) detail::fail(name, "holes must be at least 0, got ", holes);
        warp_options{.fill = fill}.validate(name, fill.empty() ? 1 : static_cast<index_t>(fill.size()));
    }

    /// The side L used on a height x width image.
    [[nodiscard]] index_t side_for(index_t height, index_t width) const {
        if (length_fraction > 0.0) {
            return static_cast<index_t>(std::llround(length_fraction * static_cast<double>(std::min(height, width))));
        }
        return length;
    }

    /// The hole of side `side` centred at row `centre_y`, column `centre_x`, clipped to the image
    /// (no draws: what draw() makes of each centre).
    [[nodiscard]] static box hole_at(index_t centre_y, index_t centre_x, index_t side, index_t height, index_t width) {
        const index_t half = side / 2;
        return clip(box{centre_x - half, centre_y - half, 2 * half, 2 * half}, width, height);
    }

    /// Draws the holes for a height x width image (the draws documented above), marked `stage`;
    /// each record holds L as its magnitude and the clipped hole as its region.
    [[nodiscard]] std::vector<applied_op> draw(rng& random, index_t height, index_t width,
                                               augment_stage stage = augment_stage::output) const {
        validate();
        if (height < 1 || width < 1) detail::fail(name, "the image must be at least 1x1, got ", height, "x", width);
        const index_t side = side_for(height, width);
        std::vector<applied_op> drawn;
        drawn.reserve(static_cast<std::size_t>(holes));
        for (int k = 0; k < holes; ++k) {
            const auto centre_y = static_cast<index_t>(random.integer(0, height - 1));
            const auto centre_x = static_cast<index_t>(random.integer(0, width - 1));
            drawn.push_back({.op = augment_op::cutout,
                             .magnitude = static_cast<double>(side),
                             .stage = stage,
                             .region = hole_at(centre_y, centre_x, side, height, width)});
        }
        return drawn;
    }

    /// Fills the hole of every Cutout record in `ops`, in place (no draws); refuses other operations.
    template <class T>
    void apply(const std::vector<applied_op>& ops, image_view<T> image) const {
        fill_holes(ops, image, 0, 0);
    }

    /// Draws the holes and fills them in `image`; returns them as they were filled.
    template <class T>
    std::vector<applied_op> operator()(image_view<T> image, rng& random) const {
        return (*this)(image_view<const T>(image), image, random);
    }

    /// Writes `source` with its holes into `destination` (same shape; they may be the same view).
    template <class SourceT, class T>
    std::vector<applied_op> operator()(image_view<SourceT> source, image_view<T> destination, rng& random) const {
        return detail::draw_and_apply(*this, source, destination, random);
    }

    /// Throws resizemix::error unless the fill fits the image's channels.
    template <class T>
    void check_image(const image_view<T>& image) const {
        warp_options{.fill = fill}.validate(name, image.channels());
    }

    /// As a mixer, step one: draws the target's holes. The source is not read.
    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT>, image_view<TargetT> target, rng& random, Provider&&) const {
        validate();
        if (target.empty()) detail::fail(name, "target must be a non-empty view");
        check_image(target);
        mix_info info;
        info.method = name;
        info.augmentations = draw(random, target.height(), target.width(), augment_stage::mix);
        index_t left = target.width(), top = target.height(), right = 0, bottom = 0;
        for (const applied_op& hole : info.augmentations) {
            if (hole.region.empty()) continue;
            left = std::min(left, hole.region.x);
            top = std::min(top, hole.region.y);
            right = std::max(right, hole.region.x + hole.region.width);
            bottom = std::max(bottom, hole.region.y + hole.region.height);
        }
        if (left < right && top < bottom) info.box = {left, top, right - left, bottom - top};
        return info;
    }

    /// As a mixer, step two: the target inside info.box with the holes filled, written into `patch`
    /// (which may be the target's own box).
    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT>, image_view<TargetT> target, image_view<T> patch) const {
        copy(target.subview(info.box), patch);
        fill_holes(info.augmentations, patch, info.box.x, info.box.y);
    }

private:
    /// Fills each hole, shifted by (-left, -top): the holes are in image coordinates, `image` may be a box of it.
    template <class T>
    void fill_holes(const std::vector<applied_op>& ops, image_view<T> image, index_t left, index_t top) const {
        check_image(image);
        std::vector<T> values(static_cast<std::size_t>(image.channels()), T{});
        if (!fill.empty())
            for (index_t c = 0; c < image.channels(); ++c)
                values[static_cast<std::size_t>(c)] = detail::sample_to_pixel<T>(detail::fill_value<T>(fill, c));
        for (const applied_op& hole : ops) {
            if (hole.op != augment_op::cutout) {
                detail::fail(name, "can only apply Cutout records, got ", to_string(hole.op));
            }
            const box region = clip(box{hole.region.x - left, hole.region.y - top, hole.region.width, hole.region.height},
                                    image.width(), image.height());
            if (region.empty()) continue;
            for (index_t c = 0; c < image.channels(); ++c) {
                const T value = values[static_cast<std::size_t>(c)];
                for (index_t y = region.y; y < region.y + region.height; ++y)
                    for (index_t x = region.x; x < region.x + region.width; ++x) image(c, y, x) = value;
            }
        }
    }
};

}  // namespace resizemix
