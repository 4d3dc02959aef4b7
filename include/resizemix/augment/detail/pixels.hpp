// resizemix/augment/detail/pixels.hpp: what the RandAugment operations share.
//
// Shape checks, a staged copy of the source when it overlaps the destination,
// torchvision's float32 blend and grayscale, and the 0-255 "level" scale on
// which float images are posterized, equalized and solarized.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../../error.hpp"
#include "../../view.hpp"

namespace resizemix::detail {

inline void check_finite(const char* function, const char* argument, double value) {
    if (!std::isfinite(value)) fail(function, argument, " must be finite, got ", value);
}

template <class SourceT, class T>
constexpr void check_augment_types() {
    static_assert(std::same_as<std::remove_const_t<SourceT>, T>,
                  "resizemix augment ops: source and destination must have the same pixel type "
                  "(both std::uint8_t or both float)");
    static_assert(!std::is_const_v<T>,
                  "resizemix augment ops: the destination must be a mutable view (image_view<T>, "
                  "not image_view<const T>); pass the same view twice to work in place");
}

/// Source and destination must be non-empty and of one shape.
template <class S, class T>
void check_augment_shapes(const char* function, const image_view<S>& source, const image_view<T>& destination) {
    if (source.empty() || destination.empty()) fail(function, "source and destination must be non-empty views");
    if (source.channels() != destination.channels() || source.height() != destination.height() ||
        source.width() != destination.width()) {
        fail(function, "source is ", source.channels(), "x", source.height(), "x", source.width(),
             " (CxHxW) but destination is ", destination.channels(), "x", destination.height(), "x",
             destination.width());
    }
}

/// The pixels an operation reads: the source itself, or a private copy when
/// writing the destination could change pixels still to be read (partial
/// overlap always; exact aliasing only for operations that read neighbours).
template <class T>
class readable_source {
public:
    readable_source(image_view<const T> source, image_view<const T> destination, bool reads_neighbours)
        : view_(source) {
        const bool aliased = same_pixels(source, destination);
        if ((aliased && reads_neighbours) || (!aliased && may_overlap(source, destination))) {
            copy_.assign(static_cast<std::size_t>(source.size()), T{});
            const auto staged = from_chw(copy_.data(), source.channels(), source.height(), source.width());
            copy_disjoint<T>(source, staged);
            view_ = staged;
        }
    }
    readable_source(const readable_source&) = delete;
    readable_source& operator=(const readable_source&) = delete;
    ~readable_source() = default;

    [[nodiscard]] image_view<const T> view() const noexcept { return view_; }

private:
    std::vector<T> copy_;
    image_view<const T> view_;
};

/// The largest pixel value: 255 for uint8, 1 for float (torchvision's bound).
template <class T>
inline constexpr float pixel_bound = std::is_same_v<T, std::uint8_t> ? 255.0f : 1.0f;

/// A float32 result stored as T the way torchvision's `.clamp(0, bound).to(dtype)`
/// does: clamped, and truncated toward zero for uint8.
template <class T>
T clamp_to_pixel(float value) noexcept {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        if (!(value > 0.0f)) return 0;  // also NaN, whose conversion would be undefined
        return static_cast<std::uint8_t>(std::min(value, 255.0f));
    } else {
        return std::clamp(value, 0.0f, 1.0f);
    }
}

/// torchvision's _blend: ratio * a + (1 - ratio) * b in float32, clamped and truncated.
template <class T>
T blend(float ratio, float complement, float a, float b) noexcept {
    const float first = ratio * a;
    const float second = complement * b;
    return clamp_to_pixel<T>(first + second);
}

/// torchvision's rgb_to_grayscale in float32 (ITU-R 601-2 weights 0.2989, 0.587, 0.114),
/// truncated to an integer for uint8 images as torchvision's `.to(img.dtype)` does.
template <class T>
float grayscale(float red, float green, float blue) noexcept {
    const float red_part = 0.2989f * red;
    const float green_part = 0.587f * green;
    const float blue_part = 0.114f * blue;
    const float luma = (red_part + green_part) + blue_part;
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return static_cast<float>(clamp_to_pixel<std::uint8_t>(luma));
    } else {
        return luma;
    }
}

/// A pixel on the 0-255 level scale: uint8 as is, float round(255 x) after clamping to [0, 1]
/// (NaN counts as 0).
template <class T>
int to_level(T value) noexcept {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return value;
    } else {
        if (!(value > 0.0f)) return 0;
        return static_cast<int>(std::floor(std::min(value, 1.0f) * 255.0f + 0.5f));
    }
}

/// A level in [0, 255] as a pixel: uint8 as is, float level / 255.
template <class T>
T from_level(int level) noexcept {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return static_cast<std::uint8_t>(level);
    } else {
        return static_cast<float>(level) / 255.0f;
    }
}

/// Writes fn(c, y, x, source value) into every destination pixel, in the memory order of
/// interleaved sources (pixel by pixel) or planar ones (plane by plane); fn must not care which.
template <class T, class Fn>
void map_pixels(image_view<const T> source, image_view<T> destination, Fn&& fn) {
    const index_t channels = source.channels();
    if (source.has_hwc_rows()) {
        for (index_t y = 0; y < source.height(); ++y)
            for (index_t x = 0; x < source.width(); ++x)
                for (index_t c = 0; c < channels; ++c) destination(c, y, x) = fn(c, y, x, source(c, y, x));
        return;
    }
    for (index_t c = 0; c < channels; ++c)
        for (index_t y = 0; y < source.height(); ++y)
            for (index_t x = 0; x < source.width(); ++x) destination(c, y, x) = fn(c, y, x, source(c, y, x));
}

/// Writes fn(source value) into every destination pixel, row by row where both views have
/// contiguous rows; uint8 goes through a 256-entry table of fn.
template <class T, class Fn>
void map_values(image_view<const T> source, image_view<T> destination, Fn&& fn) {
    const auto run = [&](auto&& value_of) {
        const index_t width = source.width();
        if (source.has_hwc_rows() && destination.has_hwc_rows()) {
            const index_t row = width * source.channels();
            for (index_t y = 0; y < source.height(); ++y) {
                const T* in = &source(0, y, 0);
                T* out = &destination(0, y, 0);
                for (index_t k = 0; k < row; ++k) out[k] = value_of(in[k]);
            }
        } else if (source.has_chw_rows() && destination.has_chw_rows()) {
            for (index_t c = 0; c < source.channels(); ++c)
                for (index_t y = 0; y < source.height(); ++y) {
                    const T* in = &source(c, y, 0);
                    T* out = &destination(c, y, 0);
                    for (index_t x = 0; x < width; ++x) out[x] = value_of(in[x]);
                }
        } else {
            map_pixels<T>(source, destination, [&](index_t, index_t, index_t, T value) { return value_of(value); });
        }
    };
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        std::array<std::uint8_t, 256> table{};
        for (std::size_t level = 0; level < table.size(); ++level) table[level] = fn(static_cast<std::uint8_t>(level));
        run([&](std::uint8_t value) { return table[value]; });
    } else {
        run(fn);
    }
}

}  // namespace resizemix::detail
