// resizemix/mixers/resizemix.hpp: ResizeMix (Qin et al.), the library's namesake.
//
// The whole source image is resized by tau ~ U(scale_min, scale_max) and
// pasted into the target, so the object is never cut and the label never
// misallocated. The patch is round(tau * W) x round(tau * H) of the target's
// size (at least 1 x 1), resized straight into the output region; the source
// label weight is the patch's exact pixel share, w*h / (W*H) = tau^2 up to rounding.
#pragma once

#include <cmath>
#include <vector>

#include "../detail/mixing.hpp"
#include "../mix_info.hpp"
#include "../random.hpp"
#include "../resize.hpp"
#include "../saliency.hpp"
#include "../view.hpp"

namespace resizemix {

/// ResizeMix parameters; call as `resize_mix{}(source, target, out, rng)`.
/// Draws, in order: tau (one uniform), then the paste position (see place_box).
struct resize_mix {
    float scale_min = 0.1f;                                         ///< lowest tau, in (0, 1]
    float scale_max = 0.8f;                                         ///< highest tau, in [scale_min, 1]
    region paste_region = region::random;                           ///< random, salient or non_salient (on the target's map)
    resizemix::interpolation interpolation = resizemix::interpolation::bilinear;  ///< how the source is resized

    /// Throws resizemix::error unless 0 < scale_min <= scale_max <= 1 and paste_region is usable.
    void validate() const {
        if (!std::isfinite(scale_min) || !std::isfinite(scale_max) || !(scale_min > 0.0f) ||
            !(scale_max <= 1.0f) || !(scale_min <= scale_max)) {
            detail::fail("resize_mix", "scale range must satisfy 0 < scale_min <= scale_max <= 1, got [",
                         scale_min, ", ", scale_max, "]");
        }
        if (paste_region == region::corresponding) {
            detail::fail("resize_mix", "paste_region corresponding has no meaning for ResizeMix (the whole "
                                       "source is pasted); use random, salient or non-salient");
        }
    }

    /// The patch size for scale `tau` in a target_width x target_height target.
    [[nodiscard]] static box patch_size(double tau, index_t target_width, index_t target_height) noexcept {
        const auto scaled = [tau](index_t extent) {
            return std::clamp<index_t>(std::lround(tau * static_cast<double>(extent)), 1, extent);
        };
        return {0, 0, scaled(target_width), scaled(target_height)};
    }

    /// Mixes with a saliency provider (needed when paste_region is salient or non_salient).
    template <class SourceT, class TargetT, class T, saliency_provider Provider>
    mix_info operator()(image_view<SourceT> source, image_view<TargetT> target, image_view<T> out,
                        rng& random, Provider&& saliency) const {
        detail::check_pixel_types<SourceT, TargetT, T>();
        validate();
        detail::check_mix_shapes("resize_mix", source, target, out, /*same_size=*/false);
        const index_t width = target.width();
        const index_t height = target.height();

        mix_info info;
        info.tau = random.uniform(scale_min, scale_max);
        const box size = patch_size(info.tau, width, height);
        saliency_map target_map;
        if (needs_saliency(paste_region)) {
            target_map = detail::fetch_saliency("resize_mix", "paste_region", paste_region, saliency,
                                                image_role::target, -1, height, width);
        }
        info.box = place_box(paste_region, size.width, size.height, width, height, &target_map, random);
        info.source_box = {0, 0, source.width(), source.height()};
        info.lambda = static_cast<double>(info.box.area()) / static_cast<double>(width * height);

        const image_view<const T> source_pixels = source;
        if (detail::may_overlap(source, out)) {
            // Writing the target into `out` would clobber the source: resize it first.
            image<T> patch(source.channels(), size.height, size.width);
            resize(source_pixels, patch.view(), interpolation);
            detail::copy_outside<T>(target, out, info.box);
            copy(patch.const_view(), out.subview(info.box));
        } else {
            detail::copy_outside<T>(target, out, info.box);
            resize(source_pixels, out.subview(info.box), interpolation);
        }
        return info;
    }

    /// Mixes without saliency (paste_region must then be random).
    template <class SourceT, class TargetT, class T>
    mix_info operator()(image_view<SourceT> source, image_view<TargetT> target, image_view<T> out,
                        rng& random) const {
        return (*this)(source, target, out, random, no_saliency{});
    }
};

}  // namespace resizemix
