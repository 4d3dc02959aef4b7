// resizemix/augment/geometric.hpp: RandAugment's geometric operations, as torchvision 0.14 samples them.
//
// ShearX/Y, TranslateX/Y and Rotate are affine warps: torchvision's inverse matrix
// (_get_inverse_affine_matrix, in double), then its tensor path in float32: the matrix applied
// at pixel centres, grid_sample with align_corners=False, nearest (round half to even) or
// bilinear, zeros outside the image unless a fill is given (then torchvision's mask rule).
// Source and destination may be the same view: the source is then read from a copy.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../error.hpp"
#include "../resize.hpp"
#include "../view.hpp"
#include "detail/pixels.hpp"

namespace resizemix {

/// How the geometric operations sample and what they put where the source has no pixel.
struct warp_options {
    resizemix::interpolation interpolation = resizemix::interpolation::nearest;  ///< nearest or bilinear
    /// Empty: torchvision's fill=None (zeros outside, which bilinear blends into the edge).
    /// One value for every channel or one per channel, on the 0-255 scale for both pixel types
    /// (a float image gets value / 255), each in [0, 255].
    std::vector<double> fill{};

    /// Throws resizemix::error unless interpolation is nearest or bilinear and fill fits `channels`.
    void validate(const char* function, index_t channels) const {
        if (interpolation != resizemix::interpolation::nearest && interpolation != resizemix::interpolation::bilinear) {
            detail::fail(function, "interpolation must be nearest or bilinear, got the value ",
                         static_cast<int>(interpolation));
        }
        if (fill.size() > 1 && static_cast<index_t>(fill.size()) != channels) {
            detail::fail(function, "fill needs 0, 1 or ", channels, " values (one per channel), got ", fill.size());
        }
        for (const double value : fill) {
            if (!(value >= 0.0 && value <= 255.0)) detail::fail(function, "fill values must be in [0, 255], got ", value);
        }
    }
};

namespace detail {

inline constexpr double degrees_to_radians = 3.14159265358979323846 / 180.0;
inline constexpr double radians_to_degrees = 180.0 / 3.14159265358979323846;

/// torchvision's _get_inverse_affine_matrix (inverted=True), operation for operation in double:
/// the map from output to input coordinates, both relative to the image centre.
inline std::array<double, 6> inverse_affine_matrix(std::array<double, 2> center, double angle,
                                                   std::array<double, 2> translate, double scale,
                                                   std::array<double, 2> shear) {
    const double rot = angle * degrees_to_radians;
    const double sx = shear[0] * degrees_to_radians;
    const double sy = shear[1] * degrees_to_radians;
    const auto [cx, cy] = center;
    const auto [tx, ty] = translate;
    const double a = std::cos(rot - sy) / std::cos(sy);
    const double b = -std::cos(rot - sy) * std::tan(sx) / std::cos(sy) - std::sin(rot);
    const double c = std::sin(rot - sy) / std::cos(sy);
    const double d = -std::sin(rot - sy) * std::tan(sx) / std::cos(sy) + std::cos(rot);
    std::array<double, 6> m{d / scale, -b / scale, 0.0 / scale, -c / scale, a / scale, 0.0 / scale};
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
    m[2] += cx;
    m[5] += cy;
    return m;
}

/// The fill of channel c as a float pixel value (fill given on the 0-255 scale).
template <class T>
float fill_value(const std::vector<double>& fill, index_t c) {
    const double level = fill.size() == 1 ? fill[0] : fill[static_cast<std::size_t>(c)];
    return std::is_same_v<T, std::uint8_t> ? static_cast<float>(level) : static_cast<float>(level / 255.0);
}

/// A float32 sample stored as T: uint8 rounds half to even (torchvision rounds before its cast).
template <class T>
T sample_to_pixel(float value) noexcept {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        const float rounded = std::nearbyint(value);
        if (!(rounded > 0.0f)) return 0;
        return static_cast<std::uint8_t>(std::min(rounded, 255.0f));
    } else {
        return value;
    }
}

/// torchvision's affine/rotate tensor path for one inverse matrix.
template <class SourceT, class T>
void warp_affine(const char* function, image_view<SourceT> source, image_view<T> destination,
                 const std::array<double, 6>& matrix, const warp_options& options) {
    check_augment_types<SourceT, T>();
    check_augment_shapes(function, source, destination);
    options.validate(function, source.channels());
    const readable_source<T> input(source, destination, true);
    const image_view<const T> in = input.view();
    const index_t channels = in.channels();
    const index_t height = in.height();
    const index_t width = in.width();
    // theta in float32, divided by half the size (_gen_affine_grid), then grid_sample's
    // unnormalisation (g + 1) * size / 2 - 0.5: all in float32 as torch computes them.
    const float half_width = static_cast<float>(0.5 * static_cast<double>(width));
    const float half_height = static_cast<float>(0.5 * static_cast<double>(height));
    std::array<float, 6> theta{};
    for (std::size_t k = 0; k < 6; ++k) {
        theta[k] = static_cast<float>(matrix[k]) / (k < 3 ? half_width : half_height);
    }
    const float x_scale = static_cast<float>(width) / 2.0f;
    const float y_scale = static_cast<float>(height) / 2.0f;
    const bool bilinear = options.interpolation == resizemix::interpolation::bilinear;
    const bool has_fill = !options.fill.empty();
    std::vector<float> fills(static_cast<std::size_t>(channels), 0.0f);
    if (has_fill) {
        for (index_t c = 0; c < channels; ++c) fills[static_cast<std::size_t>(c)] = fill_value<T>(options.fill, c);
    }
    const auto inside = [&](index_t x, index_t y) { return x >= 0 && x < width && y >= 0 && y < height; };
    for (index_t y = 0; y < height; ++y) {
        const float base_y = static_cast<float>(-0.5 * static_cast<double>(height) + 0.5 + static_cast<double>(y));
        for (index_t x = 0; x < width; ++x) {
            const float base_x = static_cast<float>(-0.5 * static_cast<double>(width) + 0.5 + static_cast<double>(x));
            const float grid_x = (base_x * theta[0] + base_y * theta[1]) + theta[2];
            const float grid_y = (base_x * theta[3] + base_y * theta[4]) + theta[5];
            const float source_x = (grid_x + 1.0f) * x_scale - 0.5f;
            const float source_y = (grid_y + 1.0f) * y_scale - 0.5f;
            if (!bilinear) {
                const float nearest_x = std::nearbyint(source_x);
                const float nearest_y = std::nearbyint(source_y);
                const bool found = nearest_x >= 0.0f && nearest_x < static_cast<float>(width) &&
                                   nearest_y >= 0.0f && nearest_y < static_cast<float>(height);
                for (index_t c = 0; c < channels; ++c) {
                    if (found) {
                        destination(c, y, x) = in(c, static_cast<index_t>(nearest_y), static_cast<index_t>(nearest_x));
                    } else {
                        destination(c, y, x) = sample_to_pixel<T>(fills[static_cast<std::size_t>(c)]);
                    }
                }
                continue;
            }
            const float west = std::floor(source_x);
            const float north = std::floor(source_y);
            const float east_weight = source_x - west;
            const float west_weight = 1.0f - east_weight;
            const float south_weight = source_y - north;
            const float north_weight = 1.0f - south_weight;
            const std::array<float, 4> weights{north_weight * west_weight, north_weight * east_weight,
                                               south_weight * west_weight, south_weight * east_weight};
            // Corners far outside would overflow index_t's float conversion; they read nothing.
            const bool near = west > -2.0f && west < static_cast<float>(width) + 1.0f && north > -2.0f &&
                              north < static_cast<float>(height) + 1.0f;
            const index_t x0 = near ? static_cast<index_t>(west) : -2;
            const index_t y0 = near ? static_cast<index_t>(north) : -2;
            const std::array<index_t, 4> corner_x{x0, x0 + 1, x0, x0 + 1};
            const std::array<index_t, 4> corner_y{y0, y0, y0 + 1, y0 + 1};
            float coverage = 0.0f;
            for (std::size_t k = 0; k < 4; ++k)
                if (inside(corner_x[k], corner_y[k])) coverage += weights[k];
            for (index_t c = 0; c < channels; ++c) {
                float value = 0.0f;
                for (std::size_t k = 0; k < 4; ++k) {
                    if (inside(corner_x[k], corner_y[k])) {
                        value += static_cast<float>(in(c, corner_y[k], corner_x[k])) * weights[k];
                    }
                }
                if (has_fill) value = value * coverage + (1.0f - coverage) * fills[static_cast<std::size_t>(c)];
                destination(c, y, x) = sample_to_pixel<T>(value);
            }
        }
    }
}

}  // namespace detail

namespace detail {

/// torchvision's ShearX (horizontal) or ShearY: shear = degrees(atan(magnitude)) about the top-left corner.
template <class SourceT, class T>
void shear(const char* function, bool horizontal, image_view<SourceT> source, image_view<T> destination,
           double magnitude, const warp_options& options) {
    check_finite(function, "magnitude", magnitude);
    const double angle = std::atan(magnitude) * radians_to_degrees;
    const std::array<double, 2> corner{-0.5 * static_cast<double>(source.width()), -0.5 * static_cast<double>(source.height())};
    const std::array<double, 2> shears{horizontal ? angle : 0.0, horizontal ? 0.0 : angle};
    warp_affine(function, source, destination, inverse_affine_matrix(corner, 0.0, {0.0, 0.0}, 1.0, shears), options);
}

/// torchvision's TranslateX (horizontal) or TranslateY: whole pixels, truncated toward zero like int().
template <class SourceT, class T>
void translate(const char* function, bool horizontal, image_view<SourceT> source, image_view<T> destination,
               double pixels, const warp_options& options) {
    check_finite(function, "pixels", pixels);
    const double shift = std::trunc(pixels);
    const std::array<double, 2> offset{horizontal ? shift : 0.0, horizontal ? 0.0 : shift};
    warp_affine(function, source, destination, inverse_affine_matrix({0.0, 0.0}, 0.0, offset, 1.0, {0.0, 0.0}), options);
}

}  // namespace detail

/// ShearX: output pixel (x, y) reads the source at (x + magnitude * (y + 0.5), y), a shear about
/// the top-left corner (torchvision: shear = degrees(atan(magnitude)), center [0, 0]).
template <class SourceT, class T>
void shear_x(image_view<SourceT> source, image_view<T> destination, double magnitude, const warp_options& options = {}) {
    detail::shear("shear_x", true, source, destination, magnitude, options);
}

/// ShearY: output pixel (x, y) reads the source at (x, y + magnitude * (x + 0.5)).
template <class SourceT, class T>
void shear_y(image_view<SourceT> source, image_view<T> destination, double magnitude, const warp_options& options = {}) {
    detail::shear("shear_y", false, source, destination, magnitude, options);
}

/// TranslateX: moves the image right by `pixels`, truncated toward zero (torchvision's int()).
template <class SourceT, class T>
void translate_x(image_view<SourceT> source, image_view<T> destination, double pixels, const warp_options& options = {}) {
    detail::translate("translate_x", true, source, destination, pixels, options);
}

/// TranslateY: moves the image down by `pixels`, truncated toward zero.
template <class SourceT, class T>
void translate_y(image_view<SourceT> source, image_view<T> destination, double pixels, const warp_options& options = {}) {
    detail::translate("translate_y", false, source, destination, pixels, options);
}

/// Rotate: turns the image counter-clockwise by `degrees` about its centre.
template <class SourceT, class T>
void rotate(image_view<SourceT> source, image_view<T> destination, double degrees, const warp_options& options = {}) {
    detail::check_finite("rotate", "degrees", degrees);
    detail::warp_affine("rotate", source, destination,
                        detail::inverse_affine_matrix({0.0, 0.0}, -degrees, {0.0, 0.0}, 1.0, {0.0, 0.0}), options);
}

/// In-place forms: the same operations with the image as source and destination.
template <class T>
void shear_x(image_view<T> image, double magnitude, const warp_options& options = {}) {
    shear_x(image_view<const T>(image), image, magnitude, options);
}
template <class T>
void shear_y(image_view<T> image, double magnitude, const warp_options& options = {}) {
    shear_y(image_view<const T>(image), image, magnitude, options);
}
template <class T>
void translate_x(image_view<T> image, double pixels, const warp_options& options = {}) {
    translate_x(image_view<const T>(image), image, pixels, options);
}
template <class T>
void translate_y(image_view<T> image, double pixels, const warp_options& options = {}) {
    translate_y(image_view<const T>(image), image, pixels, options);
}
template <class T>
void rotate(image_view<T> image, double degrees, const warp_options& options = {}) {
    rotate(image_view<const T>(image), image, degrees, options);
}

}  // namespace resizemix
