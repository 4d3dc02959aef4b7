// resizemix/mixers/mixup.hpp: Mixup (Zhang et al.), the per-pixel blend.
//
// out = lambda * source + (1 - lambda) * target with lambda ~ Beta(alpha, alpha),
// the source label weight. uint8 results are rounded to nearest.
#pragma once

#include <cmath>

#include "../detail/mixing.hpp"
#include "../mix_info.hpp"
#include "../mixer.hpp"
#include "../random.hpp"
#include "../resize.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"

namespace resizemix {

/// Mixup parameters; call as `mixup{}(source, target, out, rng)`. A source of
/// another size is blended as if resized to the target's size (bilinear, pixel
/// centres). Draws one Beta weight. Both boxes of the
/// mix_info are the whole image. Float pixels are not checked: a NaN in either
/// input gives NaN at that pixel, even at weight 0 (docs/EDGE_CASES.md).
struct mixup {
    static constexpr const char* name = "mixup";
    static constexpr bool patch_may_alias_target = true;  ///< render reads the target only at the pixel it writes

    float alpha = 1.0f;  ///< Beta(alpha, alpha) parameter, > 0

    void validate() const { detail::check_alpha(name, alpha); }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }


    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&&) const {
        validate();
        detail::check_pair_shapes(name, source, target, /*same_size=*/false);
        mix_info info;
        info.method = name;
        info.lambda = random.beta(alpha);
        info.box = info.source_box = {0, 0, target.width(), target.height()};
        return info;
    }

    /// Step two: the blend, written into `patch` (the whole image). Each output
    /// pixel reads only the same position of both inputs, so `patch` may be the target itself.
    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target,
                image_view<T> patch) const {
        if (!detail::same_size(source, target)) {
            const auto resized = detail::resized_source(source, target.height(), target.width());
            render(info, resized.const_view(), target, patch);
            return;
        }
        const auto source_weight = static_cast<float>(info.lambda);
        const float target_weight = 1.0f - source_weight;
        for (index_t c = 0; c < patch.channels(); ++c)
            for (index_t y = 0; y < patch.height(); ++y)
                for (index_t x = 0; x < patch.width(); ++x)
                    patch(c, y, x) = detail::from_accumulator<T>(source_weight * static_cast<float>(source(c, y, x)) +
                                                                 target_weight * static_cast<float>(target(c, y, x)));
    }
};

}  // namespace resizemix
