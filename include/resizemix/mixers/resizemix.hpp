// resizemix/mixers/resizemix.hpp: ResizeMix (Qin et al.), the library's namesake.
//
// The whole source image is resized by tau ~ U(scale_min, scale_max) and
// pasted into the target, so the object is never cut and the label never
// misallocated. The patch is round(tau * W) x round(tau * H) of the target's
// size (at least 1 x 1), resized straight into the output region; the source
// label weight is the patch's exact pixel share, w*h / (W*H) = tau^2 up to rounding.
#pragma once

#include <algorithm>
#include <cmath>

#include "../detail/mixing.hpp"
#include "../mix_info.hpp"
#include "../mixer.hpp"
#include "../random.hpp"
#include "../resize.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"

namespace resizemix {

/// ResizeMix parameters; call as `resize_mix{}(source, target, out, rng)`.
/// Draws, in order: tau (one uniform), then the paste position (see place_box).
/// A patch side that rounds to 0 is clamped to 1 pixel. Float pixels are not
/// checked: NaN reaches the patch pixels whose resize footprint reads it (docs/EDGE_CASES.md).
struct resize_mix {
    static constexpr const char* name = "resizemix";
    static constexpr bool patch_may_alias_target = true;  ///< render reads only the source

    float scale_min = 0.1f;                ///< lowest tau, in (0, 1]
    float scale_max = 0.8f;                ///< highest tau, in [scale_min, 1]
    region paste_region = region::random;  ///< random, salient or non_salient (on the target's map)
    resizemix::interpolation interpolation = resizemix::interpolation::bilinear;  ///< how the source is resized

    /// Throws resizemix::error unless 0 < scale_min <= scale_max <= 1, paste_region is usable
    /// and interpolation is one of its three values (checked here, before any pixel is written).
    void validate() const {
        if (!std::isfinite(scale_min) || !std::isfinite(scale_max) || !(scale_min > 0.0f) ||
            !(scale_max <= 1.0f) || !(scale_min <= scale_max)) {
            detail::fail(name, "scale range must satisfy 0 < scale_min <= scale_max <= 1, got [",
                         scale_min, ", ", scale_max, "]");
        }
        if (paste_region == region::corresponding) {
            detail::fail(name, "paste_region corresponding has no meaning for ResizeMix (the whole "
                               "source is pasted); use random, salient or non-salient");
        }
        detail::check_interpolation(name, interpolation);
    }

    /// The patch size (x = y = 0) for scale `tau` in a target_width x target_height target:
    /// each side round(tau * side), at least 1.
    [[nodiscard]] static box patch_size(double tau, index_t target_width, index_t target_height) noexcept {
        const auto scaled = [tau](index_t extent) {
            return std::clamp<index_t>(std::lround(tau * static_cast<double>(extent)), 1, extent);
        };
        return {0, 0, scaled(target_width), scaled(target_height)};
    }

    /// Mixes with a saliency provider (needed when paste_region is salient or non_salient).
    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

    /// Mixes without saliency (paste_region must then be random).

    /// Step one: draws tau and the paste box; no pixel is touched.
    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        validate();
        detail::check_pair_shapes(name, source, target, /*same_size=*/false);
        const index_t width = target.width();
        const index_t height = target.height();
        mix_info info;
        info.method = name;
        info.tau = random.uniform(scale_min, scale_max);
        const box size = patch_size(info.tau, width, height);
        saliency_map target_map;
        if (needs_saliency(paste_region)) {
            target_map = detail::fetch_saliency(name, "paste_region", paste_region, saliency,
                                                image_role::target, height, width);
        }
        info.box = place_box(paste_region, size.width, size.height, width, height, &target_map, random);
        info.source_box = {0, 0, source.width(), source.height()};
        info.lambda = static_cast<double>(info.box.area()) / static_cast<double>(width * height);
        return info;
    }

    /// Step two: the whole source resized into `patch` (the size of info.box).
    template <class SourceT, class TargetT, class T>
    void render(const mix_info&, image_view<SourceT> source, image_view<TargetT>, image_view<T> patch) const {
        resize(source, patch, interpolation);
    }
};

}  // namespace resizemix
