// resizemix/mixer.hpp: the mixer, the library's central idea, in one place.
//
// A mixer works in two steps. plan(source, target, rng, saliency) draws every
// random parameter and returns a mix_info that fully determines the output;
// render(info, source, target, patch) writes the pixels inside info.box into a
// box-sized view. The output is the target outside the box and the patch
// inside it; a mask-based mixer (FMix) also puts a binary mask over the box in
// the mix_info and renders the target's own pixels where it is 0. Splitting
// the steps is what lets mix_batch plan a whole batch on one thread, render on
// many, and mix in place (every patch is rendered from the original pixels
// before any sample is overwritten). Eigen-free.
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>

#include "detail/mixing.hpp"
#include "image.hpp"
#include "mix_info.hpp"
#include "random.hpp"
#include "saliency_map.hpp"
#include "view.hpp"

namespace resizemix {

/// What mix_batch and the combinators need of a mixer, for both pixel types:
/// - `mix_info plan(source, target, rng&, saliency)`: draws, validates, touches no pixel;
///   the same (inputs, rng position) always gives the same mix_info.
/// - `render(info, source, target, patch)`: writes `patch` (info.box's size, in the
///   output's layout) from the inputs; called only for a non-empty info.box, reads
///   nothing but its arguments, and may run on any thread. When plan() sets info.mask
///   (a mix_mask of info.box's size), render writes the source where it is set and the
///   target elsewhere, and lambda is the mask's share; nothing else in the library
///   changes for masks (mix_info and its mask travel by value through one_of, any_mixer,
///   sometimes, pipelines and mix_batch).
/// Optional: `validate()`, and the in-place capability below.
template <class M>
concept mixer = requires(const M& m, image_view<const std::uint8_t> bytes, image_view<std::uint8_t> byte_patch,
                         image_view<const float> floats, image_view<float> float_patch, rng& random,
                         const saliency_callback& saliency, const mix_info& info) {
    { m.plan(bytes, bytes, random, saliency) } -> std::same_as<mix_info>;
    { m.plan(floats, floats, random, saliency) } -> std::same_as<mix_info>;
    m.render(info, bytes, bytes, byte_patch);
    m.render(info, floats, floats, float_patch);
};

/// Whether `m.render(info, source, target, patch)` may write into a `patch` that
/// is the target's own box: true when render reads the target only at the pixel
/// it writes, or not at all. mix_batch then renders most patches straight into
/// place instead of buffering them. A typed mixer opts in with
/// `static constexpr bool patch_may_alias_target = true;`; a wrapper whose answer
/// is known only at run time (any_mixer, one_of, sometimes) defines
/// `bool patch_may_alias_target() const`. Anything else is assumed not to.
template <class M>
[[nodiscard]] constexpr bool patch_may_alias_target(const M& m) {
    if constexpr (requires { { m.patch_may_alias_target() } -> std::convertible_to<bool>; }) {
        return static_cast<bool>(m.patch_may_alias_target());
    } else if constexpr (requires { { M::patch_may_alias_target } -> std::convertible_to<bool>; }) {
        return static_cast<bool>(M::patch_may_alias_target);
    } else {
        return false;
    }
}

/// Calls m.validate() where the mixer has one.
template <class M>
void validate_mixer(const M& m) {
    if constexpr (requires { m.validate(); }) m.validate();
}

namespace detail {

/// What a mixer's operator() accepts for each image: a view as it is, or an owning
/// image (a mutable one as a mutable view, a const one as a read-only view).
template <class T>
[[nodiscard]] constexpr image_view<T> mixer_argument(image_view<T> view) noexcept {
    return view;
}
template <class T>
[[nodiscard]] image_view<T> mixer_argument(image<T>& owned) noexcept {
    return owned.view();
}
template <class T>
[[nodiscard]] image_view<const T> mixer_argument(const image<T>& owned) noexcept {
    return owned.const_view();
}
template <class Other>
void mixer_argument(const Other&) {
    static_assert(sizeof(Other) == 0,
                  "resizemix mixers take resizemix::image_view or resizemix::image arguments: wrap your "
                  "pixels with from_hwc / from_chw (or interop/opencv.hpp, interop/torch.hpp) first");
}

}  // namespace detail

/// One whole mix: plan, then the target outside the box and the rendered patch
/// inside it. `out` must have the target's shape and may be the target itself;
/// inputs that share memory with `out` in any other way are copied first, so
/// every pixel is read before it is written. Every mixer's operator() is this.
template <class Mixer, class SourceT, class TargetT, class T, class Provider>
mix_info run_mixer(const Mixer& mixer, image_view<SourceT> source, image_view<TargetT> target, image_view<T> out,
                   rng& random, Provider& saliency) {
    detail::check_pixel_types<SourceT, TargetT, T>();
    detail::check_out_shape(Mixer::name, target, out);
    if (detail::may_overlap(source, out)) {
        const image<T> staged(source);
        return run_mixer(mixer, staged.const_view(), target, out, random, saliency);
    }
    if (detail::may_overlap(target, out) && !detail::same_pixels(target, out)) {
        const image<T> staged(target);
        return run_mixer(mixer, source, staged.const_view(), out, random, saliency);
    }
    const mix_info info = mixer.plan(source, target, random, saliency);
    detail::copy_outside<T>(target, out, info.box);
    if (!info.box.empty()) mixer.render(info, source, target, out.subview(info.box));
    return info;
}

}  // namespace resizemix
