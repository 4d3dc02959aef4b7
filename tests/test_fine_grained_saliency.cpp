// Tests of resizemix/fine_grained_saliency.hpp: the map against a direct transcription of
// the module's definition (window sums counted pixel by pixel, no integral image), on
// images small enough for the module's float integral to be exact; the map's scale;
// a flat image; alpha, layout and float input. The comparison with OpenCV itself is
// tests/interop/test_fine_grained_saliency_opencv.cpp, built where OpenCV's saliency module is found.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/fine_grained_saliency.hpp>
#include <resizemix/image.hpp>

#include "support.hpp"

using resizemix::image;
using resizemix::image_view;
using resizemix::index_t;

namespace {

/// The module's steps written out plainly: gray = (9798 R + 19235 G + 3735 B + 2^14) >> 15,
/// two [1 2 1]^2 / 16 blurs with mirrored borders, then per scale n the mean of the window
/// [x - n + 1, x + n] x [y - n + 1, y + n] (cut at the image) without the centre.
std::vector<int> reference_levels(const image<std::uint8_t>& picture) {
    const index_t width = picture.width();
    const index_t height = picture.height();
    std::vector<int> gray(static_cast<std::size_t>(width * height));
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const int r = picture(0, y, x);
            gray[static_cast<std::size_t>(y * width + x)] =
                picture.channels() >= 3 ? (9798 * r + 19235 * picture(1, y, x) + 3735 * picture(2, y, x) + 16384) >> 15 : r;
        }
    const auto mirror = [](index_t i, index_t n) { return n == 1 ? 0 : i < 0 ? -i : i >= n ? 2 * n - 2 - i : i; };
    for (int pass = 0; pass < 2; ++pass) {
        std::vector<int> blurred(gray.size());
        const int weight[3] = {1, 2, 1};
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) {
                int sum = 0;
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx)
                        sum += weight[dy + 1] * weight[dx + 1] *
                               gray[static_cast<std::size_t>(mirror(y + dy, height) * width + mirror(x + dx, width))];
                blurred[static_cast<std::size_t>(y * width + x)] = (sum + 8) / 16;
            }
        gray = blurred;
    }
    std::vector<int> on(gray.size(), 0), off(gray.size(), 0);
    for (const int n : {12, 24, 48, 28, 56, 112})
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) {
                const index_t x0 = std::clamp<index_t>(x - n + 1, 0, width), x1 = std::clamp<index_t>(x + n + 1, 0, width);
                const index_t y0 = std::clamp<index_t>(y - n + 1, 0, height), y1 = std::clamp<index_t>(y + n + 1, 0, height);
                long sum = 0;
                for (index_t v = y0; v < y1; ++v)
                    for (index_t u = x0; u < x1; ++u) sum += gray[static_cast<std::size_t>(v * width + u)];
                const int centre = gray[static_cast<std::size_t>(y * width + x)];
                const float mean = static_cast<float>(sum - centre) / static_cast<float>((x1 - x0) * (y1 - y0) - 1);
                const float brighter = static_cast<float>(centre) - mean;
                if (brighter > 0) on[static_cast<std::size_t>(y * width + x)] += static_cast<int>(brighter);
                if (-brighter > 0) off[static_cast<std::size_t>(y * width + x)] += static_cast<int>(mean - static_cast<float>(centre));
            }
    const auto stretch = [](std::vector<int>& sums) {
        const int top = *std::max_element(sums.begin(), sums.end());
        for (int& v : sums) v = top == 0 ? 0 : static_cast<int>(255.0 * static_cast<double>(static_cast<float>(v) / static_cast<float>(top)));
    };
    stretch(on);
    stretch(off);
    const int top = std::max(*std::max_element(on.begin(), on.end()), *std::max_element(off.begin(), off.end()));
    std::vector<int> levels(gray.size(), 0);
    for (std::size_t k = 0; k < levels.size(); ++k)
        if (top > 0) levels[k] = static_cast<int>(255.0 * (on[k] + off[k]) / top) % 256;  // the module's byte cast wraps
    return levels;
}

}  // namespace

TEST_CASE("fine_grained_saliency: equals the module's definition on noise and smooth pictures", "[fine_grained_saliency]") {
    struct shape {
        index_t channels, height, width;
    };
    for (const shape s : {shape{3, 1, 1}, shape{3, 2, 3}, shape{1, 9, 14}, shape{3, 37, 50}, shape{3, 64, 30}}) {
        image<std::uint8_t> picture = test_support::noise_image<std::uint8_t>(s.channels, s.height, s.width, 21);
        for (const bool smooth : {false, true}) {
            if (smooth) {  // a blob: low contrast almost everywhere, so the stretching matters
                for (index_t c = 0; c < s.channels; ++c)
                    for (index_t y = 0; y < s.height; ++y)
                        for (index_t x = 0; x < s.width; ++x)
                            picture(c, y, x) = static_cast<std::uint8_t>(
                                (x - s.width / 3) * (x - s.width / 3) + (y - s.height / 2) * (y - s.height / 2) < 40 ? 200 : 60 + c);
            }
            CAPTURE(s.channels, s.height, s.width, smooth);
            const std::vector<std::uint8_t> levels = resizemix::fine_grained_saliency_levels(picture.const_view());
            const std::vector<int> expected = reference_levels(picture);
            CHECK(std::vector<int>(levels.begin(), levels.end()) == expected);
            const resizemix::saliency_map map = resizemix::fine_grained_saliency(picture.const_view());
            REQUIRE(map.height() == s.height);
            REQUIRE(map.width() == s.width);
            for (std::size_t k = 0; k < levels.size(); ++k)
                CHECK(map.values()[k] == static_cast<float>(levels[k]) * static_cast<float>(1.0 / 255.0));
        }
    }
}

TEST_CASE("fine_grained_saliency: a flat picture is 0 everywhere", "[fine_grained_saliency]") {
    image<std::uint8_t> flat(3, 20, 30);
    std::fill(flat.data(), flat.data() + flat.size(), std::uint8_t{90});
    const auto levels = resizemix::fine_grained_saliency_levels(flat.const_view());
    CHECK(std::all_of(levels.begin(), levels.end(), [](std::uint8_t v) { return v == 0; }));
}

TEST_CASE("fine_grained_saliency: a bright dot on a dark field is the peak", "[fine_grained_saliency]") {
    image<std::uint8_t> dark(1, 40, 60);
    std::fill(dark.data(), dark.data() + dark.size(), std::uint8_t{20});
    for (index_t y = 24; y < 27; ++y)
        for (index_t x = 9; x < 12; ++x) dark(0, y, x) = 250;
    const auto levels = resizemix::fine_grained_saliency_levels(dark.const_view());
    const auto peak = static_cast<index_t>(std::max_element(levels.begin(), levels.end()) - levels.begin());
    CHECK(peak / 60 >= 24);
    CHECK(peak / 60 < 27);
    CHECK(peak % 60 >= 9);
    CHECK(peak % 60 < 12);
}

TEST_CASE("fine_grained_saliency: alpha is ignored, any layout, float levels round(255 x)", "[fine_grained_saliency]") {
    const image<std::uint8_t> rgba = test_support::noise_image<std::uint8_t>(4, 23, 31, 5);
    image<std::uint8_t> rgb_planar(3, 23, 31, resizemix::memory_layout::chw);
    image<float> rgb_float(3, 23, 31);
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < 23; ++y)
            for (index_t x = 0; x < 31; ++x) {
                rgb_planar(c, y, x) = rgba(c, y, x);
                rgb_float(c, y, x) = static_cast<float>(rgba(c, y, x)) / 255.0f;
            }
    const auto expected = resizemix::fine_grained_saliency_levels(rgb_planar.const_view());
    CHECK(resizemix::fine_grained_saliency_levels(rgba.const_view()) == expected);
    CHECK(resizemix::fine_grained_saliency_levels(rgb_float.const_view()) == expected);
    CHECK(resizemix::fine_grained_saliency(rgb_float.view()).values() ==
          resizemix::fine_grained_saliency(rgba.const_view()).values());  // a mutable view works too
}

TEST_CASE("fine_grained_saliency: float pixels outside [0, 1] and NaN are clamped levels", "[fine_grained_saliency]") {
    image<float> odd(1, 12, 12);
    image<std::uint8_t> clamped(1, 12, 12);
    test_support::fixture_random random(3);
    for (index_t y = 0; y < 12; ++y)
        for (index_t x = 0; x < 12; ++x) {
            const index_t kind = random.between(0, 3);
            odd(0, y, x) = kind == 0 ? -3.0f : kind == 1 ? 7.0f : kind == 2 ? std::numeric_limits<float>::quiet_NaN() : 0.5f;
            clamped(0, y, x) = kind == 1 ? 255 : kind == 3 ? 128 : 0;
        }
    CHECK(resizemix::fine_grained_saliency_levels(odd.const_view()) ==
          resizemix::fine_grained_saliency_levels(clamped.const_view()));
}
