// resizemix/mixers/cutmix.hpp: CutMix (Yun et al.) and its saliency-guided variants.
//
// A box is cut from the source and pasted into the target. Its size follows
// the CutMix paper: lambda_cut ~ Beta(alpha, alpha), side ratio sqrt(1 - lambda_cut),
// each side rounded to the nearest pixel. Where it is cut (source_region) and
// where it is pasted (paste_region) are the variants of the ResizeMix paper's
// Table 1. The source label weight is the box's exact pixel share.
#pragma once

#include <algorithm>
#include <cmath>

#include "../detail/mixing.hpp"
#include "../mix_info.hpp"
#include "../random.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"

namespace resizemix {

/// CutMix parameters; call as `cut_mix{}(source, target, out, rng)`. Source and
/// target must have the same size. Draws, in order: the Beta weight, the source
/// box position, then (unless corresponding) the paste position. A box that
/// rounds to zero pixels leaves the output equal to the target (lambda 0).
/// Pixels are copied bit for bit, NaN included (docs/EDGE_CASES.md).
struct cut_mix {
    static constexpr const char* name = "cut_mix";

    float alpha = 1.0f;                           ///< Beta(alpha, alpha) parameter, > 0
    region source_region = region::random;        ///< random, salient or non_salient (on the source's map)
    region paste_region = region::corresponding;  ///< corresponding, random, salient or non_salient (on the target's map)

    /// Throws resizemix::error unless alpha > 0 is finite and the regions are usable.
    void validate() const {
        if (!std::isfinite(alpha) || !(alpha > 0.0f)) detail::fail(name, "alpha must be finite and > 0, got ", alpha);
        if (source_region == region::corresponding) {
            detail::fail(name, "source_region corresponding has no meaning (it describes a paste "
                               "position); use random, salient or non-salient");
        }
    }

    /// The box size (x = y = 0) for a target weight `target_share` ~ Beta, as in CutMix:
    /// each side round(sqrt(1 - target_share) * side).
    [[nodiscard]] static box box_size(double target_share, index_t width, index_t height) noexcept {
        const double side_ratio = std::sqrt(std::clamp(1.0 - target_share, 0.0, 1.0));
        const auto side = [side_ratio](index_t extent) {
            return std::clamp<index_t>(std::lround(side_ratio * static_cast<double>(extent)), 0, extent);
        };
        return {0, 0, side(width), side(height)};
    }

    template <class SourceT, class TargetT, class T, saliency_provider Provider>
    mix_info operator()(image_view<SourceT> source, image_view<TargetT> target, image_view<T> out,
                        rng& random, Provider&& saliency) const {
        return detail::run_mixer(*this, source, target, out, random, saliency);
    }

    template <class SourceT, class TargetT, class T>
    mix_info operator()(image_view<SourceT> source, image_view<TargetT> target, image_view<T> out,
                        rng& random) const {
        no_saliency none;
        return detail::run_mixer(*this, source, target, out, random, none);
    }

    /// Step one: draws the box size and both positions; no pixel is touched.
    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        validate();
        detail::check_pair_shapes(name, source, target, /*same_size=*/true);
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
        info.method = "cutmix";
        const box size = box_size(random.beta(alpha), width, height);
        if (size.empty()) return info;  // the box rounded away: the output is the target
        info.source_box = place_box(source_region, size.width, size.height, width, height, &source_map, random);
        info.box = paste_region == region::corresponding
                       ? info.source_box
                       : place_box(paste_region, size.width, size.height, width, height, &target_map, random);
        info.lambda = static_cast<double>(info.box.area()) / static_cast<double>(width * height);
        return info;
    }

    /// Step two: the source pixels of info.source_box, copied into `patch`.
    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT>, image_view<T> patch) const {
        copy(source.subview(info.source_box), patch);
    }
};

}  // namespace resizemix
