// resizemix/augment/color.hpp: RandAugment's and AutoAugment's colour operations, as torchvision 0.14 computes them.
//
// Brightness, Color, Contrast and Sharpness blend with a degenerate image in float32 and
// truncate (torchvision's _blend); Posterize, Solarize, AutoContrast and Equalize follow
// functional_tensor.py rule for rule. Where torchvision has no float path (Posterize,
// Equalize) or an inconsistent one (Solarize's threshold), float images are treated on the
// 0-255 level scale: level = round(255 x), result level / 255. Every op works in place.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "../error.hpp"
#include "../view.hpp"
#include "detail/pixels.hpp"

namespace resizemix {

namespace detail {

/// The largest magnitude a blending operation takes. torchvision has no bound, but its float32
/// blend overflows (inf - inf: NaN pixels) once the factor nears 1e36; a million is far beyond
/// any useful factor (RandAugment's range is +-0.9) and keeps every product finite.
inline constexpr double max_blend_magnitude = 1e6;

/// The float32 weights of torchvision's _blend for factor 1 + magnitude, after the checks every
/// blending operation makes (torchvision refuses negative factors; see max_blend_magnitude).
struct blend_weights {
    float ratio;
    float complement;
};

template <class SourceT, class T>
blend_weights prepare_blend(const char* function, const image_view<SourceT>& source, const image_view<T>& destination,
                            double magnitude) {
    check_augment_types<SourceT, T>();
    check_augment_shapes(function, source, destination);
    check_finite(function, "magnitude", magnitude);
    if (!(1.0 + magnitude >= 0.0)) {
        fail(function, "magnitude must be at least -1 (the factor 1 + magnitude is negative), got ", magnitude);
    }
    if (!(magnitude <= max_blend_magnitude)) {
        fail(function, "magnitude must be at most 1e6 (the factor 1 + magnitude would overflow the float32 blend), got ",
             magnitude);
    }
    return {static_cast<float>(1.0 + magnitude), static_cast<float>(1.0 - (1.0 + magnitude))};
}

template <class S>
void check_gray_channels(const char* function, const image_view<S>& source) {
    if (source.channels() != 1 && source.channels() != 3) {
        fail(function, "needs 1 or 3 channels (grayscale or RGB), got ", source.channels());
    }
}

/// The grayscale value of pixel (y, x) of a 1- or 3-channel image, as torchvision computes it.
template <class T>
float gray_at(const image_view<const T>& in, index_t y, index_t x) {
    if (in.channels() == 1) return static_cast<float>(in(0, y, x));
    return grayscale<T>(static_cast<float>(in(0, y, x)), static_cast<float>(in(1, y, x)), static_cast<float>(in(2, y, x)));
}

}  // namespace detail

/// Brightness: blend with black by factor 1 + magnitude (-1 <= magnitude <= 1e6; RandAugment uses +-0.9).
template <class SourceT, class T>
void brightness(image_view<SourceT> source, image_view<T> destination, double magnitude) {
    const auto weights = detail::prepare_blend("brightness", source, destination, magnitude);
    const detail::readable_source<T> input(source, destination, false);
    detail::map_values<T>(input.view(), destination, [&](T value) {
        return detail::blend<T>(weights.ratio, weights.complement, static_cast<float>(value), 0.0f);
    });
}

/// Color (saturation): blend with the grayscale image by factor 1 + magnitude; 1 or 3 channels,
/// a 1-channel image is left as it is (torchvision's rule).
template <class SourceT, class T>
void color(image_view<SourceT> source, image_view<T> destination, double magnitude) {
    const auto weights = detail::prepare_blend("color", source, destination, magnitude);
    detail::check_gray_channels("color", source);
    const detail::readable_source<T> input(source, destination, false);
    const image_view<const T> in = input.view();
    if (in.channels() == 1) {
        copy(in, destination);
        return;
    }
    // Every channel of a pixel is read before any is written: in place needs no copy.
    for (index_t y = 0; y < in.height(); ++y)
        for (index_t x = 0; x < in.width(); ++x) {
            const float gray = detail::gray_at(in, y, x);
            const std::array<float, 3> rgb{static_cast<float>(in(0, y, x)), static_cast<float>(in(1, y, x)),
                                           static_cast<float>(in(2, y, x))};
            for (index_t c = 0; c < 3; ++c)
                destination(c, y, x) =
                    detail::blend<T>(weights.ratio, weights.complement, rgb[static_cast<std::size_t>(c)], gray);
        }
}

/// Contrast: blend with the mean of the grayscale image (one value for all channels) by factor
/// 1 + magnitude; 1 or 3 channels.
template <class SourceT, class T>
void contrast(image_view<SourceT> source, image_view<T> destination, double magnitude) {
    const auto weights = detail::prepare_blend("contrast", source, destination, magnitude);
    detail::check_gray_channels("contrast", source);
    const detail::readable_source<T> input(source, destination, false);
    const image_view<const T> in = input.view();
    double sum = 0.0;
    for (index_t y = 0; y < in.height(); ++y)
        for (index_t x = 0; x < in.width(); ++x) sum += static_cast<double>(detail::gray_at(in, y, x));
    const auto mean = static_cast<float>(sum / static_cast<double>(in.height() * in.width()));
    detail::map_values<T>(in, destination, [&](T value) {
        return detail::blend<T>(weights.ratio, weights.complement, static_cast<float>(value), mean);
    });
}

/// Sharpness: blend with torchvision's smoothed image (3x3 kernel 1 1 1 / 1 5 1 / 1 1 1, over 13,
/// rounded for uint8; the outermost rows and columns are the source's own) by factor
/// 1 + magnitude. Images 2 pixels wide or high are copied unchanged, as torchvision does.
template <class SourceT, class T>
void sharpness(image_view<SourceT> source, image_view<T> destination, double magnitude) {
    const auto weights = detail::prepare_blend("sharpness", source, destination, magnitude);
    const detail::readable_source<T> input(source, destination, true);
    const image_view<const T> in = input.view();
    const index_t height = in.height();
    const index_t width = in.width();
    if (height <= 2 || width <= 2) {
        copy(in, destination);
        return;
    }
    const float edge_weight = 1.0f / 13.0f;
    const float centre_weight = 5.0f / 13.0f;
    detail::map_pixels<T>(in, destination, [&](index_t c, index_t y, index_t x, T value) {
        float smoothed = static_cast<float>(value);
        if (y > 0 && y < height - 1 && x > 0 && x < width - 1) {
            if constexpr (std::is_same_v<T, std::uint8_t>) {
                // The float32 convolution is s / 13 for an integer s and never within 1/26 of
                // a half, so torchvision's round() is exactly this integer rounding.
                int weighted = 0;
                for (index_t dy = -1; dy <= 1; ++dy)
                    for (index_t dx = -1; dx <= 1; ++dx) weighted += in(c, y + dy, x + dx);
                weighted += 4 * static_cast<int>(value);
                smoothed = static_cast<float>((2 * weighted + 13) / 26);
            } else {
                float accumulated = 0.0f;
                for (index_t dy = -1; dy <= 1; ++dy)
                    for (index_t dx = -1; dx <= 1; ++dx)
                        accumulated += in(c, y + dy, x + dx) * (dy == 0 && dx == 0 ? centre_weight : edge_weight);
                smoothed = accumulated;
            }
        }
        return detail::blend<T>(weights.ratio, weights.complement, static_cast<float>(value), smoothed);
    });
}

/// Posterize: keep the top `bits` bits of each level (bits in [0, 8]; 0 gives black).
template <class SourceT, class T>
void posterize(image_view<SourceT> source, image_view<T> destination, int bits) {
    detail::check_augment_types<SourceT, T>();
    detail::check_augment_shapes("posterize", source, destination);
    if (bits < 0 || bits > 8) detail::fail("posterize", "bits must be in [0, 8], got ", bits);
    const int mask = -(1 << (8 - bits));
    const detail::readable_source<T> input(source, destination, false);
    detail::map_values<T>(input.view(), destination, [&](T value) {
        return detail::from_level<T>(detail::to_level(value) & mask);
    });
}

/// Solarize: invert every pixel at or above `threshold`, given on the 0-255 scale for both pixel
/// types (threshold in [0, 255]; a float pixel x is inverted to 1 - x when x >= threshold / 255).
template <class SourceT, class T>
void solarize(image_view<SourceT> source, image_view<T> destination, double threshold) {
    detail::check_augment_types<SourceT, T>();
    detail::check_augment_shapes("solarize", source, destination);
    if (!(threshold >= 0.0 && threshold <= 255.0)) {
        detail::fail("solarize", "threshold must be in [0, 255], got ", threshold);
    }
    const float limit = std::is_same_v<T, std::uint8_t> ? static_cast<float>(threshold)
                                                         : static_cast<float>(threshold / 255.0);
    const detail::readable_source<T> input(source, destination, false);
    detail::map_values<T>(input.view(), destination, [&](T value) {
        if (!(static_cast<float>(value) >= limit)) return value;
        if constexpr (std::is_same_v<T, std::uint8_t>) {
            return static_cast<std::uint8_t>(255 - value);
        } else {
            return 1.0f - value;
        }
    });
}

/// Invert (AutoAugment's): every value v becomes 255 - v (uint8) or 1 - v (float), as torchvision does.
template <class SourceT, class T>
void invert(image_view<SourceT> source, image_view<T> destination) {
    detail::check_augment_types<SourceT, T>();
    detail::check_augment_shapes("invert", source, destination);
    const detail::readable_source<T> input(source, destination, false);
    detail::map_values<T>(input.view(), destination, [](T value) {
        if constexpr (std::is_same_v<T, std::uint8_t>) {
            return static_cast<std::uint8_t>(255 - value);
        } else {
            return 1.0f - value;
        }
    });
}

/// AutoContrast: stretch each channel linearly so its minimum becomes 0 and its maximum the top
/// value (255 or 1); a constant channel is left as it is.
template <class SourceT, class T>
void auto_contrast(image_view<SourceT> source, image_view<T> destination) {
    detail::check_augment_types<SourceT, T>();
    detail::check_augment_shapes("auto_contrast", source, destination);
    const detail::readable_source<T> input(source, destination, false);
    const image_view<const T> in = input.view();
    for (index_t c = 0; c < in.channels(); ++c) {
        const image_view<const T> plane = in.channel(c);
        T low = plane(0, 0, 0);
        T high = low;
        for (index_t y = 0; y < plane.height(); ++y)
            for (index_t x = 0; x < plane.width(); ++x) {
                low = std::min(low, plane(0, y, x));
                high = std::max(high, plane(0, y, x));
            }
        float minimum = static_cast<float>(low);
        // torchvision's `bound / (maximum - minimum)` runs as reciprocal(maximum - minimum) * bound.
        float scale = (1.0f / (static_cast<float>(high) - minimum)) * detail::pixel_bound<T>;
        if (!std::isfinite(scale)) {
            minimum = 0.0f;
            scale = 1.0f;
        }
        detail::map_values<T>(plane, destination.channel(c), [&](T value) {
            return detail::clamp_to_pixel<T>((static_cast<float>(value) - minimum) * scale);
        });
    }
}

/// Equalize: torchvision's per-channel histogram equalization on levels (step = the pixel count
/// outside the highest occupied level over 255, rounded down; a channel with step 0 is left as it
/// is; level v maps to (pixels below v + step / 2) / step, at most 255).
template <class SourceT, class T>
void equalize(image_view<SourceT> source, image_view<T> destination) {
    detail::check_augment_types<SourceT, T>();
    detail::check_augment_shapes("equalize", source, destination);
    const detail::readable_source<T> input(source, destination, false);
    const image_view<const T> in = input.view();
    for (index_t c = 0; c < in.channels(); ++c) {
        const image_view<const T> plane = in.channel(c);
        std::array<std::int64_t, 256> histogram{};
        for (index_t y = 0; y < plane.height(); ++y)
            for (index_t x = 0; x < plane.width(); ++x) ++histogram[static_cast<std::size_t>(detail::to_level(plane(0, y, x)))];
        std::int64_t total = 0;
        std::int64_t highest_count = 0;
        for (const std::int64_t count : histogram) {
            total += count;
            if (count != 0) highest_count = count;
        }
        const std::int64_t step = (total - highest_count) / 255;
        if (step == 0) {
            copy(plane, destination.channel(c));
            continue;
        }
        std::array<int, 256> table{};
        std::int64_t below = 0;
        for (std::size_t level = 0; level < 256; ++level) {
            table[level] = static_cast<int>(std::min<std::int64_t>((below + step / 2) / step, 255));
            below += histogram[level];
        }
        detail::map_values<T>(plane, destination.channel(c), [&](T value) {
            return detail::from_level<T>(table[static_cast<std::size_t>(detail::to_level(value))]);
        });
    }
}

/// In-place forms: the same operations with the image as source and destination.
template <class T>
void brightness(image_view<T> image, double magnitude) { brightness(image_view<const T>(image), image, magnitude); }
template <class T>
void color(image_view<T> image, double magnitude) { color(image_view<const T>(image), image, magnitude); }
template <class T>
void contrast(image_view<T> image, double magnitude) { contrast(image_view<const T>(image), image, magnitude); }
template <class T>
void sharpness(image_view<T> image, double magnitude) { sharpness(image_view<const T>(image), image, magnitude); }
template <class T>
void posterize(image_view<T> image, int bits) { posterize(image_view<const T>(image), image, bits); }
template <class T>
void solarize(image_view<T> image, double threshold) { solarize(image_view<const T>(image), image, threshold); }
template <class T>
void invert(image_view<T> image) { invert(image_view<const T>(image), image); }
template <class T>
void auto_contrast(image_view<T> image) { auto_contrast(image_view<const T>(image), image); }
template <class T>
void equalize(image_view<T> image) { equalize(image_view<const T>(image), image); }

}  // namespace resizemix
