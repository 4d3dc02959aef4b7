// resizemix/fine_grained_saliency.hpp: the fine-grained static saliency of Montabone and Soto (2010).
//
// SaliencyMix (Uddin et al., ICLR 2021) centres its box on the peak of this map, computed
// through OpenCV's contrib module (cv::saliency::StaticSaliencyFineGrained). This header
// computes that map the way the module does, step for step and in its arithmetic, so the
// peak lands on the same pixel without OpenCV; like contrast_saliency it also serves every
// salient / non-salient policy. Eigen-free.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "error.hpp"
#include "saliency_map.hpp"
#include "view.hpp"

namespace resizemix {

namespace detail {

/// A pixel on the 0-255 level scale: uint8 as is, float round(255 x) after clamping to [0, 1] (NaN is 0).
template <class T>
[[nodiscard]] int saliency_level(T value) noexcept {
    if constexpr (std::is_same_v<std::remove_const_t<T>, std::uint8_t>) {
        return value;
    } else {
        if (!(value > 0.0f)) return 0;
        return static_cast<int>(std::min(value, 1.0f) * 255.0f + 0.5f);
    }
}

/// OpenCV 4's 8-bit BGR2GRAY (BT.601 weights in 15-bit fixed point, rounded) of an RGB(A) image, or channel 0
/// of a gray (+ alpha) one, as levels in row-major order.
template <class T>
[[nodiscard]] std::vector<std::int32_t> opencv_gray_levels(image_view<const T> image) {
    const index_t width = image.width();
    const index_t height = image.height();
    std::vector<std::int32_t> gray(static_cast<std::size_t>(width * height));
    const bool colour = image.channels() >= 3;
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const int red = saliency_level(image(0, y, x));
            gray[static_cast<std::size_t>(y * width + x)] =
                colour ? (red * 9798 + saliency_level(image(1, y, x)) * 19235 + saliency_level(image(2, y, x)) * 3735 +
                          (1 << 14)) >> 15
                       : red;
        }
    return gray;
}

/// OpenCV's bit-exact 8-bit GaussianBlur with a 3x3 kernel and sigma 0: the binomial
/// [1 2 1] / 4 both ways, rounded half up, borders reflected without repeating the edge (BORDER_REFLECT_101).
inline void binomial_blur_3x3(std::vector<std::int32_t>& levels, index_t width, index_t height) {
    const auto reflect = [](index_t i, index_t n) -> index_t {
        if (n == 1) return 0;
        if (i < 0) return 1;
        if (i >= n) return n - 2;
        return i;
    };
    std::vector<std::int32_t> rows(levels.size());
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const std::int32_t* row = &levels[static_cast<std::size_t>(y * width)];
            rows[static_cast<std::size_t>(y * width + x)] =
                row[reflect(x - 1, width)] + 2 * row[x] + row[reflect(x + 1, width)];
        }
    for (index_t y = 0; y < height; ++y) {
        const std::int32_t* above = &rows[static_cast<std::size_t>(reflect(y - 1, height) * width)];
        const std::int32_t* middle = &rows[static_cast<std::size_t>(y * width)];
        const std::int32_t* below = &rows[static_cast<std::size_t>(reflect(y + 1, height) * width)];
        for (index_t x = 0; x < width; ++x)
            levels[static_cast<std::size_t>(y * width + x)] = (above[x] + 2 * middle[x] + below[x] + 8) >> 4;
    }
}

/// A float in [0, 256) as OpenCV's `(uchar)value` gives it on the compilers it is built
/// with: truncated, NaN as 0, and values of 256 and above wrapped modulo 256 (the module's
/// last step can exceed 255 where a pixel is both brighter than some surround and darker than another).
[[nodiscard]] inline std::uint8_t opencv_uchar_cast(double value) noexcept {
    if (!(value > -1.0 && value < 2147483648.0)) return 0;
    return static_cast<std::uint8_t>(static_cast<std::int32_t>(value));
}

}  // namespace detail

/// The six centre-surround half-sizes of the module (3 * 4, 3 * 8, 3 * 16, 7 * 4, 7 * 8, 7 * 16 pixels).
inline constexpr std::array<int, 6> fine_grained_neighbourhoods{12, 24, 48, 28, 56, 112};

/// The fine-grained saliency levels (0-255, row-major, height x width) of `image`, as
/// cv::saliency::StaticSaliencyFineGrained computes them for the same picture in OpenCV's
/// BGR order: grayscale (RGB(A) by the BT.601 weights in OpenCV 4's 15-bit fixed point; gray (+
/// alpha) as is; float pixels as levels round(255 x)), blurred twice by OpenCV's 3x3 Gaussian,
/// a float integral image, then at each of the six scales the on (centre brighter) and off
/// (centre darker) differences between the pixel and the mean of the other pixels of its
/// window [x - n + 1, x + n] x [y - n + 1, y + n] (cut at the border), truncated to levels;
/// on and off are summed over the scales, each sum stretched to 255 at its maximum, and
/// their sum stretched by the larger maximum. Where the module's 8-bit casts misbehave
/// (0 / 0 on a flat image, sums above 255) the result is what they give on x86 and ARM:
/// 0, and the value modulo 256.
template <class T>
[[nodiscard]] std::vector<std::uint8_t> fine_grained_saliency_levels(image_view<const T> image) {
    if (image.empty()) detail::fail("fine_grained_saliency", "image must be a non-empty view");
    const index_t width = image.width();
    const index_t height = image.height();
    const auto pixels = static_cast<std::size_t>(width * height);
    std::vector<std::int32_t> gray = detail::opencv_gray_levels(image);
    // "Smooth pixels at least twice, as done by Frintrop and Itti."
    detail::binomial_blur_3x3(gray, width, height);
    detail::binomial_blur_3x3(gray, width, height);

    // OpenCV's integral into float: each row's running sum is exact; adding the row above rounds.
    const index_t stride = width + 1;
    std::vector<float> integral(static_cast<std::size_t>(stride * (height + 1)), 0.0f);
    for (index_t y = 0; y < height; ++y) {
        std::int64_t row_sum = 0;
        for (index_t x = 0; x < width; ++x) {
            row_sum += gray[static_cast<std::size_t>(y * width + x)];
            integral[static_cast<std::size_t>((y + 1) * stride + x + 1)] =
                integral[static_cast<std::size_t>(y * stride + x + 1)] + static_cast<float>(row_sum);
        }
    }
    const auto at = [&](index_t row, index_t column) { return integral[static_cast<std::size_t>(row * stride + column)]; };

    std::vector<std::uint16_t> on_sum(pixels, 0);
    std::vector<std::uint16_t> off_sum(pixels, 0);
    for (const int neighbourhood : fine_grained_neighbourhoods) {
        // The window's corners in the integral image, clamped to it, as the module's getMean does.
        const auto corner = [](index_t centre, index_t offset, index_t extent) {
            return std::clamp<index_t>(centre + offset, 0, extent);
        };
        for (index_t y = 0; y < height; ++y) {
            const index_t top = corner(y, 1 - neighbourhood, height);
            const index_t bottom = corner(y, neighbourhood + 1, height);
            for (index_t x = 0; x < width; ++x) {
                const index_t left = corner(x, 1 - neighbourhood, width);
                const index_t right = corner(x, neighbourhood + 1, width);
                const auto k = static_cast<std::size_t>(y * width + x);
                const std::int32_t centre = gray[k];
                float value = at(bottom, right) + at(top, left) - at(bottom, left) - at(top, right);
                value = (value - static_cast<float>(centre)) /
                        static_cast<float>((right - left) * (bottom - top) - 1);
                const float on = static_cast<float>(centre) - value;
                const float off = value - static_cast<float>(centre);
                if (on > 0.0f) on_sum[k] = static_cast<std::uint16_t>(on_sum[k] + detail::opencv_uchar_cast(on));
                if (off > 0.0f) off_sum[k] = static_cast<std::uint16_t>(off_sum[k] + detail::opencv_uchar_cast(off));
            }
        }
    }

    const auto stretch = [](const std::vector<std::uint16_t>& sums) {
        const float maximum = static_cast<float>(*std::max_element(sums.begin(), sums.end()));
        std::vector<std::uint8_t> levels(sums.size(), 0);
        if (maximum == 0.0f) return levels;  // the module's 0 / 0
        for (std::size_t k = 0; k < sums.size(); ++k)
            levels[k] = detail::opencv_uchar_cast(255.0 * static_cast<double>(static_cast<float>(sums[k]) / maximum));
        return levels;
    };
    const std::vector<std::uint8_t> on = stretch(on_sum);
    const std::vector<std::uint8_t> off = stretch(off_sum);
    const int maximum = std::max(*std::max_element(on.begin(), on.end()), *std::max_element(off.begin(), off.end()));
    std::vector<std::uint8_t> levels(pixels, 0);
    if (maximum == 0) return levels;
    for (std::size_t k = 0; k < pixels; ++k) {
        levels[k] = detail::opencv_uchar_cast(255.0 * static_cast<double>(static_cast<float>(on[k] + off[k])) /
                                              static_cast<double>(static_cast<float>(maximum)));
    }
    return levels;
}

/// fine_grained_saliency_levels as a saliency map of the image's size, each level times
/// 1 / 255 in float as the module's output (CV_32F, "values are in range [0; 1]"). Higher
/// means more salient; usable by every salient / non-salient policy.
template <class T>
[[nodiscard]] saliency_map fine_grained_saliency(image_view<const T> image) {
    const std::vector<std::uint8_t> levels = fine_grained_saliency_levels(image);
    std::vector<float> values(levels.size());
    constexpr auto scale = static_cast<float>(1.0 / 255.0);
    for (std::size_t k = 0; k < levels.size(); ++k) values[k] = static_cast<float>(levels[k]) * scale;
    return saliency_map(image.height(), image.width(), std::move(values));
}

/// fine_grained_saliency of a mutable view.
template <class T>
    requires(!std::is_const_v<T>)
[[nodiscard]] saliency_map fine_grained_saliency(image_view<T> image) {
    return fine_grained_saliency(image_view<const T>(image));
}

}  // namespace resizemix
