// resizemix/mixers/mixup.hpp: Mixup (Zhang et al.), the per-pixel blend.
//
// out = lambda * source + (1 - lambda) * target with lambda ~ Beta(alpha, alpha),
// the source label weight. uint8 results are rounded to nearest.
#pragma once

#include <cmath>
#include <vector>

#include "../detail/mixing.hpp"
#include "../mix_info.hpp"
#include "../resize.hpp"
#include "../random.hpp"
#include "../saliency.hpp"
#include "../view.hpp"

namespace resizemix {

/// Mixup parameters; call as `mixup{}(source, target, out, rng)`. Source and
/// target must have the same size. Draws one Beta weight.
struct mixup {
    float alpha = 1.0f;  ///< Beta(alpha, alpha) parameter, > 0

    void validate() const {
        if (!std::isfinite(alpha) || !(alpha > 0.0f)) {
            detail::fail("mixup", "alpha must be finite and > 0, got ", alpha);
        }
    }

    template <class SourceT, class TargetT, class T>
    mix_info operator()(image_view<SourceT> source, image_view<TargetT> target, image_view<T> out,
                        rng& random) const {
        detail::check_pixel_types<SourceT, TargetT, T>();
        validate();
        detail::check_mix_shapes("mixup", source, target, out, /*same_size=*/true);
        mix_info info;
        info.lambda = random.beta(alpha);
        info.box = info.source_box = {0, 0, target.width(), target.height()};
        blend<T>(source, target, out, static_cast<float>(info.lambda));
        return info;
    }

    /// Mixup reads no saliency; this overload lets it stand wherever a mixer is called with a provider.
    template <class SourceT, class TargetT, class T, saliency_provider Provider>
    mix_info operator()(image_view<SourceT> source, image_view<TargetT> target, image_view<T> out,
                        rng& random, Provider&&) const {
        return (*this)(source, target, out, random);
    }

private:
    template <class T>
    static void blend(image_view<const T> source, image_view<const T> target, image_view<T> out, float source_weight) {
        // Each output pixel reads only the same position of both inputs, so
        // `out` may be exactly the source or the target; any other overlap is staged.
        const bool staged = (detail::may_overlap(source, out) && !detail::same_pixels(source, out)) ||
                            (detail::may_overlap(target, out) && !detail::same_pixels(target, out));
        image<T> staging;
        const image_view<T> destination = staged ? (staging = image<T>(out.channels(), out.height(), out.width())).view() : out;
        const float target_weight = 1.0f - source_weight;
        for (index_t c = 0; c < out.channels(); ++c)
            for (index_t y = 0; y < out.height(); ++y)
                for (index_t x = 0; x < out.width(); ++x)
                    destination(c, y, x) = detail::from_accumulator<T>(
                        source_weight * static_cast<float>(source(c, y, x)) +
                        target_weight * static_cast<float>(target(c, y, x)));
        if (staged) copy(staging.const_view(), out);
    }
};

}  // namespace resizemix
