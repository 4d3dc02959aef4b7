// Tests of resizemix/contrast_saliency.hpp: the map against a direct
// implementation of its definition (written here with explicit Sobel kernels
// in double precision), its size, flat images, where the maximum lands, the
// centre prior, channels and layouts, and bad input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <resizemix/contrast_saliency.hpp>
#include <resizemix/image.hpp>

#include "support.hpp"

namespace {

using resizemix::index_t;
using test_support::noise_image;

/// The definition, written out: luminance, Sobel magnitude per pixel (borders
/// extended), mean per cell, mean over each cell's 3x3 neighbourhood, centre prior.
template <class T>
std::vector<double> direct_contrast(resizemix::image_view<const T> image, index_t& map_width, index_t& map_height) {
    const index_t width = image.width();
    const index_t height = image.height();
    const auto luminance = [&](index_t x, index_t y) {
        x = std::clamp<index_t>(x, 0, width - 1);
        y = std::clamp<index_t>(y, 0, height - 1);
        if (image.channels() < 3) return static_cast<double>(image(0, y, x));
        return 0.299 * static_cast<double>(image(0, y, x)) + 0.587 * static_cast<double>(image(1, y, x)) +
               0.114 * static_cast<double>(image(2, y, x));
    };
    static constexpr int kernel_x[3][3] = {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}};
    static constexpr int kernel_y[3][3] = {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}};
    const index_t cell = std::max<index_t>(1, std::min(width, height) / 20);
    map_width = (width + cell - 1) / cell;
    map_height = (height + cell - 1) / cell;
    std::vector<double> cell_mean(static_cast<std::size_t>(map_width * map_height), 0.0);
    for (index_t my = 0; my < map_height; ++my)
        for (index_t mx = 0; mx < map_width; ++mx) {
            double sum = 0.0;
            int pixels = 0;
            for (index_t y = my * cell; y < std::min(height, (my + 1) * cell); ++y)
                for (index_t x = mx * cell; x < std::min(width, (mx + 1) * cell); ++x) {
                    double gx = 0.0;
                    double gy = 0.0;
                    for (int dy = -1; dy <= 1; ++dy)
                        for (int dx = -1; dx <= 1; ++dx) {
                            gx += kernel_x[dy + 1][dx + 1] * luminance(x + dx, y + dy);
                            gy += kernel_y[dy + 1][dx + 1] * luminance(x + dx, y + dy);
                        }
                    sum += std::hypot(gx, gy);
                    ++pixels;
                }
            cell_mean[static_cast<std::size_t>(my * map_width + mx)] = sum / pixels;
        }
    std::vector<double> map(cell_mean.size());
    for (index_t my = 0; my < map_height; ++my)
        for (index_t mx = 0; mx < map_width; ++mx) {
            double sum = 0.0;
            int cells = 0;
            for (index_t ny = std::max<index_t>(0, my - 1); ny <= std::min(map_height - 1, my + 1); ++ny)
                for (index_t nx = std::max<index_t>(0, mx - 1); nx <= std::min(map_width - 1, mx + 1); ++nx) {
                    sum += cell_mean[static_cast<std::size_t>(ny * map_width + nx)];
                    ++cells;
                }
            const double u = ((mx + 0.5) / static_cast<double>(map_width) - 0.5) / (1.0 / 3.0);
            const double v = ((my + 0.5) / static_cast<double>(map_height) - 0.5) / (1.0 / 3.0);
            map[static_cast<std::size_t>(my * map_width + mx)] = sum / cells * std::exp(-(u * u + v * v) / 2);
        }
    return map;
}

/// (x, y) of the map's largest value (the first in row-major order).
std::pair<index_t, index_t> argmax(const resizemix::saliency_map& map) {
    const auto& values = map.values();
    const auto k = static_cast<index_t>(std::max_element(values.begin(), values.end()) - values.begin());
    return {k % map.width(), k / map.width()};
}

}  // namespace

TEMPLATE_TEST_CASE("contrast_saliency: equals its definition, one value per cell", "[contrast_saliency]", std::uint8_t,
                   float) {
    struct shape {
        index_t channels, height, width, cell;
    };
    for (const shape s : {shape{3, 23, 41, 1}, shape{1, 50, 64, 2}, shape{3, 61, 100, 3}, shape{4, 7, 5, 1}}) {
        INFO(s.channels << " x " << s.height << " x " << s.width);
        const auto image = noise_image<TestType>(s.channels, s.height, s.width, 17);
        const resizemix::saliency_map map = resizemix::contrast_saliency(image.const_view());
        index_t map_width = 0;
        index_t map_height = 0;
        const std::vector<double> expected = direct_contrast(image.const_view(), map_width, map_height);
        CHECK(map_width == (s.width + s.cell - 1) / s.cell);
        CHECK(map_height == (s.height + s.cell - 1) / s.cell);
        REQUIRE(map.width() == map_width);
        REQUIRE(map.height() == map_height);
        const double scale = *std::max_element(expected.begin(), expected.end());
        for (std::size_t k = 0; k < expected.size(); ++k) {
            CHECK(map.values()[k] == Approx(expected[k]).epsilon(1e-4).margin(1e-6 * scale));
        }
    }
}

TEMPLATE_TEST_CASE("contrast_saliency: a flat image has no contrast anywhere", "[contrast_saliency]", std::uint8_t,
                   float) {
    resizemix::image<TestType> flat(3, 30, 45);
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < 30; ++y)
            for (index_t x = 0; x < 45; ++x) flat(c, y, x) = test_support::level<TestType>(90);
    const resizemix::saliency_map map = resizemix::contrast_saliency(flat.view());  // a mutable view works too
    CHECK(map.width() == 45);
    CHECK(map.height() == 30);
    CHECK(std::all_of(map.values().begin(), map.values().end(), [](float v) { return v == 0.0f; }));
}

TEMPLATE_TEST_CASE("contrast_saliency: the maximum is on a bright square off centre, not in the flat middle",
                   "[contrast_saliency]", std::uint8_t, float) {
    resizemix::image<TestType> image(1, 80, 80);
    for (index_t y = 0; y < 80; ++y)
        for (index_t x = 0; x < 80; ++x)
            image(0, y, x) = test_support::level<TestType>(x >= 8 && x < 20 && y >= 50 && y < 62 ? 250 : 10);
    const resizemix::saliency_map map = resizemix::contrast_saliency(image.const_view());
    REQUIRE(map.width() == 20);  // cells of 4 pixels
    const auto [x, y] = argmax(map);
    // The square covers cells 2..4 across and 12..15 down; its edges, with the 3x3 smoothing, one cell around.
    CHECK(x >= 1);
    CHECK(x <= 5);
    CHECK(y >= 11);
    CHECK(y <= 16);
    CHECK(map(10, 10) == 0.0f);  // far from the square: flat
}

TEMPLATE_TEST_CASE("contrast_saliency: the centre prior puts a uniform texture's maximum in the middle",
                   "[contrast_saliency]", std::uint8_t, float) {
    resizemix::image<TestType> stripes(1, 60, 60);
    for (index_t y = 0; y < 60; ++y)
        for (index_t x = 0; x < 60; ++x) stripes(0, y, x) = test_support::level<TestType>((x / 3) % 2 == 0 ? 200 : 40);  // one edge per cell
    const resizemix::saliency_map map = resizemix::contrast_saliency(stripes.const_view());
    REQUIRE(map.width() == 20);
    const auto [x, y] = argmax(map);
    CHECK((x == 9 || x == 10));
    CHECK((y == 9 || y == 10));
    CHECK(map(9, 9) > 2 * map(0, 0));
}

TEMPLATE_TEST_CASE("contrast_saliency: alpha is ignored and the memory layout does not matter", "[contrast_saliency]",
                   std::uint8_t, float) {
    const auto rgba = noise_image<TestType>(4, 33, 47, 5, resizemix::memory_layout::chw);
    resizemix::image<TestType> rgb(3, 33, 47);  // HWC
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < 33; ++y)
            for (index_t x = 0; x < 47; ++x) rgb(c, y, x) = rgba(c, y, x);
    CHECK(resizemix::contrast_saliency(rgba.const_view()).values() ==
          resizemix::contrast_saliency(rgb.const_view()).values());
    // Gray + alpha reads the gray channel alone.
    const auto gray_alpha = noise_image<TestType>(2, 20, 24, 6);
    resizemix::image<TestType> gray(1, 20, 24);
    for (index_t y = 0; y < 20; ++y)
        for (index_t x = 0; x < 24; ++x) gray(0, y, x) = gray_alpha(0, y, x);
    CHECK(resizemix::contrast_saliency(gray_alpha.const_view()).values() ==
          resizemix::contrast_saliency(gray.const_view()).values());
}

TEMPLATE_TEST_CASE("contrast_saliency: an empty view is refused", "[contrast_saliency]", std::uint8_t, float) {
    CHECK_THROWS_AS(resizemix::contrast_saliency(resizemix::image_view<const TestType>{}), resizemix::error);
    CHECK_THROWS_WITH(resizemix::contrast_saliency(resizemix::image_view<const TestType>{}),
                      Catch::Contains("contrast_saliency") && Catch::Contains("non-empty"));
}
