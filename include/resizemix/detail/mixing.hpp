// resizemix/detail/mixing.hpp: argument checks and copies shared by the mixers.
//
// The protocol these serve (plan, then render) is described in mixer.hpp.
#pragma once

#include <cmath>
#include <concepts>
#include <type_traits>

#include "../error.hpp"
#include "../geometry.hpp"
#include "../image.hpp"
#include "../mix_info.hpp"
#include "../random.hpp"
#include "../resize.hpp"
#include "../saliency_map.hpp"
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

/// The Beta(alpha, alpha) parameter of CutMix, Mixup, SaliencyMix and FMix: finite and > 0.
inline void check_alpha(const char* mixer, float alpha) {
    if (!std::isfinite(alpha) || !(alpha > 0.0f)) fail(mixer, "alpha must be finite and > 0, got ", alpha);
}

/// Views must be non-empty and have equal channel counts; with `same_size`, the
/// source must also have the target's height and width.
template <class S, class T>
void check_pair_shapes(const char* mixer, const image_view<S>& source, const image_view<T>& target, bool same_size) {
    if (source.empty() || target.empty()) fail(mixer, "source and target must be non-empty views");
    if (source.channels() != target.channels()) {
        fail(mixer, "source has ", source.channels(), " channels but target has ", target.channels());
    }
    if (same_size && (source.height() != target.height() || source.width() != target.width())) {
        fail(mixer, "source is ", source.width(), "x", source.height(), " but target is ", target.width(), "x",
             target.height(), " (WxH); this mixer needs images of the same size");
    }
}

template <class T, class O>
void check_out_shape(const char* mixer, const image_view<T>& target, const image_view<O>& out) {
    if (out.empty()) fail(mixer, "out must be a non-empty view");
    if (out.channels() != target.channels() || out.height() != target.height() || out.width() != target.width()) {
        fail(mixer, "out is ", out.channels(), "x", out.height(), "x", out.width(),
             " (CxHxW) but must match the target, ", target.channels(), "x", target.height(), "x", target.width());
    }
}

/// Copies every target pixel outside `hole` into `out`; pixels inside the hole
/// may be copied too, for the caller overwrites them next. Chosen once per call:
/// when the rows lie back to back in both views and a row of the hole is short
/// (at most 1 KiB), the whole image is one memcpy, cheaper than two short
/// copies per row of the hole; otherwise strip by strip around the hole.
/// Precondition: target and out are the same view or do not overlap.
template <class T>
void copy_outside(image_view<const T> target, image_view<T> out, const box& hole) {
    if (same_pixels(target, out) || hole.area() == target.width() * target.height()) return;
    constexpr std::size_t short_row_bytes = 1024;
    const bool back_to_back = (target.is_dense_hwc() && out.is_dense_hwc()) || (target.is_dense_chw() && out.is_dense_chw());
    const auto hole_row_bytes =
        static_cast<std::size_t>(hole.width) * sizeof(T) * static_cast<std::size_t>(target.is_dense_hwc() ? target.channels() : 1);
    if (hole.empty() || (back_to_back && hole_row_bytes <= short_row_bytes)) {
        copy(target, out);
        return;
    }
    const index_t width = target.width();
    const index_t height = target.height();
    const box strips[] = {
        {0, 0, width, hole.y},                                                    // above
        {0, hole.y + hole.height, width, height - hole.y - hole.height},          // below
        {0, hole.y, hole.x, hole.height},                                         // left
        {hole.x + hole.width, hole.y, width - hole.x - hole.width, hole.height},  // right
    };
    for (const box& strip : strips) {
        if (!strip.empty()) copy(target.subview(strip), out.subview(strip));
    }
}

/// Whether source and target have the same height and width.
template <class S, class T>
[[nodiscard]] bool same_size(const image_view<S>& source, const image_view<T>& target) noexcept {
    return source.height() == target.height() && source.width() == target.width();
}

/// The source resized to height x width (bilinear, pixel centres): how CutMix and Mixup
/// read a source whose size differs from the target's.
template <class SourceT>
[[nodiscard]] image<std::remove_const_t<SourceT>> resized_source(image_view<SourceT> source, index_t height,
                                                                 index_t width) {
    image<std::remove_const_t<SourceT>> resized(source.channels(), height, width);
    resize(source, resized.view(), interpolation::bilinear);
    return resized;
}

/// The saliency map a policy needs, or an error naming the mixer argument.
template <saliency_provider Provider>
saliency_map fetch_saliency(const char* mixer, const char* argument, region policy, Provider& provider,
                            image_role role, index_t height, index_t width) {
    saliency_map map = provider(saliency_query{role, -1, height, width});
    if (map.empty()) {
        fail(mixer, argument, " ", to_string(policy), " needs a saliency map of the ",
             role == image_role::source ? "source" : "target", " image, but none was given");
    }
    return map;
}

}  // namespace resizemix::detail
