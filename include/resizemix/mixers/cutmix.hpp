// resizemix/mixers/cutmix.hpp: CutMix (Yun et al.) and its saliency-guided variants.
//
// A box is cut from the source and pasted into the target. lambda_cut ~
// Beta(alpha, alpha) sets its size, as in the CutMix paper. Where it is cut
// (source_region) and where it is pasted (paste_region) are the variants of the
// ResizeMix paper's Table 1; how a random box is drawn is box_sampling (the
// CutMix paper's clipped boxes by default). The source label weight is the
// exact pixel share of the box actually pasted.
#pragma once

#include <algorithm>
#include <cmath>

#include "../detail/mixing.hpp"
#include "../mix_info.hpp"
#include "../mixer.hpp"
#include "../random.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"

namespace resizemix {

/// How CutMix draws a box whose source region is random.
enum class box_sampling {
    /// The CutMix paper's Algorithm A1, as its authors, timm, torchvision and mmpretrain
    /// sample it: centre uniform over the image, sides 2 * floor(sqrt(1 - lambda_cut) * side / 2),
    /// clipped at the border. Boxes near the border shrink, so the mean source share is
    /// below 1 - E[lambda_cut] (about 0.30 instead of 0.50 for alpha = 1).
    clip,
    /// The whole box, sides round(sqrt(1 - lambda_cut) * side), at a position uniform over
    /// every place where it fits: the source share is 1 - lambda_cut up to rounding.
    inside,
};

/// The name as the CLI spells it ("clip", "inside").
[[nodiscard]] constexpr const char* to_string(box_sampling sampling) noexcept {
    switch (sampling) {
        case box_sampling::clip: return "clip";
        case box_sampling::inside: return "inside";
    }
    return "unknown";
}

/// CutMix parameters; call as `cut_mix{}(source, target, out, rng)`. A source of
/// another size is read as if resized to the target's size (bilinear, pixel
/// centres): boxes, saliency maps and source_box are in those coordinates. Draws, in order: the Beta weight, the source
/// box (clip: centre x then y; inside or salient: see place_box), then (unless
/// corresponding) the paste position, where the source box's size is placed by
/// place_box. box_sampling applies to a random source region only: salient and
/// non-salient boxes follow the paper's Appendix A (centred on the chosen pixel,
/// shifted inside). A box that rounds to zero pixels leaves the output equal to
/// the target (lambda 0).
/// Pixels are copied bit for bit, NaN included (docs/EDGE_CASES.md).
struct cut_mix {
    static constexpr const char* name = "cutmix";
    static constexpr bool patch_may_alias_target = true;  ///< render reads only the source

    float alpha = 1.0f;                           ///< Beta(alpha, alpha) parameter, > 0
    region source_region = region::random;        ///< random, salient or non_salient (on the source's map)
    region paste_region = region::corresponding;  ///< corresponding, random, salient or non_salient (on the target's map)
    resizemix::box_sampling box_sampling = resizemix::box_sampling::clip;  ///< how a random source box is drawn

    /// Throws resizemix::error unless alpha > 0 is finite and the regions are usable.
    void validate() const {
        detail::check_alpha(name, alpha);
        if (source_region == region::corresponding) {
            detail::fail(name, "source_region corresponding has no meaning (it describes a paste "
                               "position); use random, salient or non-salient");
        }
        if (box_sampling != resizemix::box_sampling::clip && box_sampling != resizemix::box_sampling::inside) {
            detail::fail(name, "box_sampling must be clip or inside, got the value ", static_cast<int>(box_sampling));
        }
    }

    /// The box size (x = y = 0) of box_sampling::inside and of the salient policies for a
    /// target weight `target_share` ~ Beta: each side round(sqrt(1 - target_share) * side).
    [[nodiscard]] static box box_size(double target_share, index_t width, index_t height) noexcept {
        const double side_ratio = std::sqrt(std::clamp(1.0 - target_share, 0.0, 1.0));
        const auto side = [side_ratio](index_t extent) {
            return std::clamp<index_t>(std::lround(side_ratio * static_cast<double>(extent)), 0, extent);
        };
        return {0, 0, side(width), side(height)};
    }

    /// box_sampling::clip, the CutMix paper's rand_bbox: half sides floor(sqrt(1 - target_share) *
    /// side / 2) around a centre drawn uniformly over the image (x, then y), clipped at the border.
    [[nodiscard]] static box clipped_box(double target_share, index_t width, index_t height, rng& random) {
        const index_t centre_x = random.integer(0, width - 1);
        const index_t centre_y = random.integer(0, height - 1);
        return clipped_box_at(target_share, centre_x, centre_y, width, height);
    }

    /// rand_bbox's box around a given centre: half sides floor(sqrt(1 - target_share) * side / 2),
    /// clipped at the border (SaliencyMix centres it on the saliency peak).
    [[nodiscard]] static box clipped_box_at(double target_share, index_t centre_x, index_t centre_y, index_t width,
                                            index_t height) noexcept {
        const double side_ratio = std::sqrt(std::clamp(1.0 - target_share, 0.0, 1.0));
        const auto half_side = [side_ratio](index_t extent) {
            return static_cast<index_t>(std::floor(side_ratio * static_cast<double>(extent) / 2.0));
        };
        const index_t half_width = half_side(width);
        const index_t half_height = half_side(height);
        return clip({centre_x - half_width, centre_y - half_height, 2 * half_width, 2 * half_height}, width, height);
    }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }


    /// Step one: draws the box size and both positions; no pixel is touched.
    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        validate();
        detail::check_pair_shapes(name, source, target, /*same_size=*/false);
        const index_t width = target.width();
        const index_t height = target.height();
        // Ask for maps before drawing anything, so a missing one fails fast.
        saliency_map source_map;
        saliency_map target_map;
        if (needs_saliency(source_region)) {
            source_map = detail::fetch_saliency(name, "source_region", source_region, saliency, image_role::source,
                                                height, width);
        }
        if (needs_saliency(paste_region)) {
            target_map = detail::fetch_saliency(name, "paste_region", paste_region, saliency, image_role::target,
                                                height, width);
        }
        mix_info info;
        info.method = name;
        const double target_share = random.beta(alpha);
        box source_box;
        if (source_region == region::random && box_sampling == resizemix::box_sampling::clip) {
            source_box = clipped_box(target_share, width, height, random);
        } else if (const box size = box_size(target_share, width, height); !size.empty()) {
            source_box = place_box(source_region, size.width, size.height, width, height, &source_map, random);
        }
        if (source_box.empty()) return info;  // the box rounded away: the output is the target
        info.source_box = source_box;
        info.box = paste_region == region::corresponding
                       ? source_box
                       : place_box(paste_region, source_box.width, source_box.height, width, height, &target_map,
                                   random);
        info.lambda = static_cast<double>(info.box.area()) / static_cast<double>(width * height);
        return info;
    }

    /// Step two: the source pixels of info.source_box, copied into `patch` (from the
    /// source resized to the target's size when the sizes differ).
    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target,
                image_view<T> patch) const {
        if (detail::same_size(source, target)) {
            copy(source.subview(info.source_box), patch);
        } else {
            const auto resized = detail::resized_source(source, target.height(), target.width());
            copy(resized.const_view().subview(info.source_box), patch);
        }
    }
};

}  // namespace resizemix
