// resizemix/augment/pipeline.hpp: augmentation around a mix, as a mixer (ResizeMix+ and Table 7).
//
// augment_after(mixer, augmenter) mixes, then augments the mixed image (Table 7's "After", the
// paper's ResizeMix+); augment_before(mixer, augmenter) augments source and target each on its own,
// then mixes them ("Before"). Both follow the plan/render protocol of mixer.hpp, so mix_batch,
// one_of and any_mixer take them as they are. The whole output changes, so info.box is the whole image;
// info.paste_box keeps the inner mixer's box and info.augmentations the operations that ran (after
// the inner mixer's own, stage mix, where it records some: Cutout).
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "../error.hpp"
#include "../image.hpp"
#include "../mix_info.hpp"
#include "../mixer.hpp"
#include "../random.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"
#include "augment_op.hpp"
#include "rand_augment.hpp"

namespace resizemix {

/// What a pipeline needs of an augmentation (rand_augment is one): draw the operations for an image
/// of a given size from a stream, and apply drawn operations in place, for both pixel types.
template <class A>
concept augmenter = requires(const A& a, rng& random, index_t extent, const std::vector<applied_op>& ops,
                             image_view<std::uint8_t> bytes, image_view<float> floats) {
    { a.draw(random, extent, extent, augment_stage::output) } -> std::same_as<std::vector<applied_op>>;
    a.apply(ops, bytes);
    a.apply(ops, floats);
};

/// Whether a pipeline augments the mixed image or the two images before they are mixed.
enum class augment_order {
    after,   ///< mix, then augment the mixed image (Table 7 "After"; ResizeMix+)
    before,  ///< augment source and target each on its own, then mix (Table 7 "Before")
};

/// A mixer with augmentation before or after it. plan() draws the inner mixer's parameters first
/// (exactly the draws of the mixer alone), then the operations: for `after` those of the mixed
/// image; for `before` the source's, then the target's. render() draws nothing. Pipelines do not
/// nest (the inner mixer must not be a pipeline). Memory: render() holds one extra image (after)
/// or two (before, the augmented source and target); mix_batch in place buffers every sample's
/// whole output, since each output pixel may depend on any target pixel.
template <mixer Mixer, augmenter Augmenter, augment_order Order>
class augmented_mixer {
public:
    static constexpr const char* name = Order == augment_order::after ? "augment_after" : "augment_before";

    augmented_mixer(Mixer inner, Augmenter augmentation) : mixer_(std::move(inner)), augmenter_(std::move(augmentation)) {}

    void validate() const {
        validate_mixer(mixer_);
        validate_mixer(augmenter_);
    }

    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        validate();
        if constexpr (requires { augmenter_.check_image(target); }) {
            augmenter_.check_image(source);
            augmenter_.check_image(target);
        }
        mix_info info = mixer_.plan(source, target, random, saliency);
        const bool inner_is_pipeline =
            !info.paste_box.empty() || std::any_of(info.augmentations.begin(), info.augmentations.end(),
                                                   [](const applied_op& step) { return step.stage != augment_stage::mix; });
        if (inner_is_pipeline) {
            detail::fail(name, "the inner mixer is itself an augmentation pipeline; pipelines do not nest");
        }
        info.paste_box = info.box;
        info.box = {0, 0, target.width(), target.height()};
        const auto append = [&](const std::vector<applied_op>& ops) {
            info.augmentations.insert(info.augmentations.end(), ops.begin(), ops.end());
        };
        if constexpr (Order == augment_order::after) {
            append(augmenter_.draw(random, target.height(), target.width(), augment_stage::output));
        } else {
            append(augmenter_.draw(random, source.height(), source.width(), augment_stage::source));
            append(augmenter_.draw(random, target.height(), target.width(), augment_stage::target));
        }
        return info;
    }

    /// Writes the whole output into `patch` (info.box is the whole image). `patch` may alias
    /// `target` or `source`: both are read into private images before `patch` is written.
    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target, image_view<T> patch) const {
        mix_info inner = info;
        inner.box = info.paste_box;
        inner.paste_box = {};
        inner.augmentations = ops_on(info, augment_stage::mix);
        if constexpr (Order == augment_order::after) {
            image<T> mixed(image_view<const T>{target});
            if (!inner.box.empty()) mixer_.render(inner, source, target, mixed.view().subview(inner.box));
            augmenter_.apply(ops_on(info, augment_stage::output), mixed.view());
            copy(mixed.const_view(), patch);
        } else {
            image<T> augmented_source(image_view<const T>{source});
            image<T> augmented_target(image_view<const T>{target});
            augmenter_.apply(ops_on(info, augment_stage::source), augmented_source.view());
            augmenter_.apply(ops_on(info, augment_stage::target), augmented_target.view());
            copy(augmented_target.const_view(), patch);
            if (!inner.box.empty()) {
                mixer_.render(inner, augmented_source.const_view(), augmented_target.const_view(), patch.subview(inner.box));
            }
        }
    }

    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

private:
    static std::vector<applied_op> ops_on(const mix_info& info, augment_stage stage) {
        std::vector<applied_op> ops;
        for (const applied_op& step : info.augmentations)
            if (step.stage == stage) ops.push_back(step);
        return ops;
    }

    Mixer mixer_;
    Augmenter augmenter_;
};

/// Mix, then augment the mixed image: `augment_after(resize_mix{}, rand_augment{})` is ResizeMix+.
template <mixer Mixer, augmenter Augmenter>
[[nodiscard]] augmented_mixer<Mixer, Augmenter, augment_order::after> augment_after(Mixer inner, Augmenter augmentation) {
    return {std::move(inner), std::move(augmentation)};
}

/// Augment source and target each on its own, then mix them (Table 7's control).
template <mixer Mixer, augmenter Augmenter>
[[nodiscard]] augmented_mixer<Mixer, Augmenter, augment_order::before> augment_before(Mixer inner, Augmenter augmentation) {
    return {std::move(inner), std::move(augmentation)};
}

}  // namespace resizemix
