// resizemix/detail/mixing.hpp: checks and copies shared by the mixers.
#pragma once

#include <concepts>
#include <type_traits>

#include "../error.hpp"
#include "../geometry.hpp"
#include "../image.hpp"
#include "../saliency.hpp"
#include "../view.hpp"

namespace resizemix::detail {

template <class SourceT, class TargetT, class OutT>
constexpr void check_pixel_types() {
    static_assert(std::same_as<std::remove_const_t<SourceT>, OutT> &&
                      std::same_as<std::remove_const_t<TargetT>, OutT>,
                  "resizemix mixers: source, target and out must have the same pixel type "
                  "(all std::uint8_t or all float)");
    static_assert(!std::is_const_v<OutT>,
                  "resizemix mixers: `out` must be a mutable view (image_view<T>, not "
                  "image_view<const T>); pass the target itself to mix in place");
}

/// Views must be non-empty, `out` the target's shape, channels equal; with
/// `same_size`, the source must also have the target's height and width.
template <class S, class T, class O>
void check_mix_shapes(const char* mixer, const image_view<S>& source, const image_view<T>& target,
                      const image_view<O>& out, bool same_size) {
    if (source.empty() || target.empty() || out.empty()) fail(mixer, "source, target and out must be non-empty views");
    if (out.channels() != target.channels() || out.height() != target.height() || out.width() != target.width()) {
        fail(mixer, "out is ", out.channels(), "x", out.height(), "x", out.width(),
             " (CxHxW) but must match the target, ", target.channels(), "x", target.height(), "x", target.width());
    }
    if (source.channels() != target.channels()) {
        fail(mixer, "source has ", source.channels(), " channels but target has ", target.channels());
    }
    if (same_size && (source.height() != target.height() || source.width() != target.width())) {
        fail(mixer, "source is ", source.width(), "x", source.height(), " but target is ", target.width(), "x",
             target.height(), " (WxH); this mixer needs images of the same size");
    }
}

/// Copies every target pixel outside `hole` into `out` (the hole is about to be overwritten).
template <class T>
void copy_outside(image_view<const T> target, image_view<T> out, const box& hole) {
    if (same_pixels(target, out)) return;
    const index_t width = target.width();
    const index_t height = target.height();
    if (hole.empty()) {
        copy(target, out);
        return;
    }
    const box strips[] = {
        {0, 0, width, hole.y},                                               // above
        {0, hole.y + hole.height, width, height - hole.y - hole.height},     // below
        {0, hole.y, hole.x, hole.height},                                    // left
        {hole.x + hole.width, hole.y, width - hole.x - hole.width, hole.height},  // right
    };
    for (const box& strip : strips) {
        if (!strip.empty()) copy(target.subview(strip), out.subview(strip));
    }
}

/// The saliency map a policy needs, or an error naming the mixer argument.
template <saliency_provider Provider>
saliency_map fetch_saliency(const char* mixer, const char* argument, region policy, Provider& provider,
                            image_role role, index_t image_index, index_t height, index_t width) {
    saliency_map map = provider(saliency_query{role, image_index, height, width});
    if (map.empty()) {
        fail(mixer, argument, " ", to_string(policy), " needs a saliency map of the ",
             role == image_role::source ? "source" : "target", " image, but none was given");
    }
    return map;
}

}  // namespace resizemix::detail
