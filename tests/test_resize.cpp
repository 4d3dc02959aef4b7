// Tests for resizemix/resize.hpp: hand-computed bilinear, nearest and area
// cases, uint8 rounding, layout independence, writing into a region of a real
// photo, overlap, and a double-precision reference on random sizes.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/image.hpp>
#include <resizemix/resize.hpp>

#include "support.hpp"

using resizemix::box;
using resizemix::image;
using resizemix::image_view;
using resizemix::index_t;
using resizemix::interpolation;
using Catch::Contains;

namespace {

/// A one-channel image from rows of values (levels kept as they are, also for float).
template <class T>
image<T> from_rows(const std::vector<std::vector<double>>& rows) {
    image<T> result(1, static_cast<index_t>(rows.size()), static_cast<index_t>(rows[0].size()));
    for (index_t y = 0; y < result.height(); ++y)
        for (index_t x = 0; x < result.width(); ++x)
            result(0, y, x) = static_cast<T>(rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)]);
    return result;
}

/// Resizes a one-channel image built from rows and returns the output rows as doubles.
template <class T>
std::vector<std::vector<double>> resized_rows(const std::vector<std::vector<double>>& rows, index_t out_height,
                                              index_t out_width, interpolation method = interpolation::bilinear) {
    const image<T> source = from_rows<T>(rows);
    image<T> destination(1, out_height, out_width);
    resizemix::resize(source.const_view(), destination.view(), method);
    std::vector<std::vector<double>> result(static_cast<std::size_t>(out_height));
    for (index_t y = 0; y < out_height; ++y)
        for (index_t x = 0; x < out_width; ++x) result[static_cast<std::size_t>(y)].push_back(static_cast<double>(destination(0, y, x)));
    return result;
}

/// Checks `actual` against `expected`, exactly for uint8 and within 1e-5 for float.
template <class T>
void check_rows(const std::vector<std::vector<double>>& actual, const std::vector<std::vector<double>>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t y = 0; y < expected.size(); ++y) {
        REQUIRE(actual[y].size() == expected[y].size());
        for (std::size_t x = 0; x < expected[y].size(); ++x) {
            CAPTURE(y, x);
            if constexpr (std::is_same_v<T, std::uint8_t>) {
                CHECK(actual[y][x] == expected[y][x]);
            } else {
                CHECK(actual[y][x] == Approx(expected[y][x]).margin(1e-5));
            }
        }
    }
}

/// The expected uint8 result of an exact value: round half up (as documented: rounded to nearest).
double round_level(double value) { return std::floor(value + 0.5); }

std::vector<std::vector<double>> rounded(std::vector<std::vector<double>> rows) {
    for (auto& row : rows)
        for (auto& value : row) value = round_level(value);
    return rows;
}

// --- An independent double-precision reference ------------------------------------

struct tap {
    index_t index;
    double weight;
};

/// The taps of output pixel `d` along one axis, straight from the definitions.
std::vector<tap> reference_taps(interpolation method, index_t in, index_t out, index_t d) {
    const double scale = static_cast<double>(in) / static_cast<double>(out);
    if (method == interpolation::bilinear) {
        // Pixel centres: src = (dst + 0.5) * in / out - 0.5, clamped to [0, in - 1].
        double source = (static_cast<double>(d) + 0.5) * scale - 0.5;
        source = std::clamp(source, 0.0, static_cast<double>(in - 1));
        const auto left = static_cast<index_t>(std::floor(source));
        const double fraction = source - static_cast<double>(left);
        if (left + 1 >= in) return {{in - 1, 1.0}};
        return {{left, 1.0 - fraction}, {left + 1, fraction}};
    }
    // Area: the footprint [d * scale, (d + 1) * scale), each input pixel weighted by its overlap.
    const double begin = static_cast<double>(d) * scale;
    const double end = static_cast<double>(d + 1) * scale;
    std::vector<tap> taps;
    for (index_t k = 0; k < in; ++k) {
        const double overlap = std::min(end, static_cast<double>(k + 1)) - std::max(begin, static_cast<double>(k));
        if (overlap > 0.0) taps.push_back({k, overlap / scale});
    }
    return taps;
}

/// The exact (double) resized value of every output element, as a CHW vector.
template <class T>
std::vector<double> reference_resize(image_view<const T> source, index_t out_height, index_t out_width,
                                     interpolation method) {
    std::vector<double> result;
    for (index_t c = 0; c < source.channels(); ++c)
        for (index_t y = 0; y < out_height; ++y)
            for (index_t x = 0; x < out_width; ++x) {
                double sum = 0.0;
                for (const tap& row : reference_taps(method, source.height(), out_height, y))
                    for (const tap& column : reference_taps(method, source.width(), out_width, x))
                        sum += row.weight * column.weight * static_cast<double>(source(c, row.index, column.index));
                result.push_back(sum);
            }
    return result;
}

}  // namespace

TEMPLATE_TEST_CASE("bilinear 2x2 to 3x3 by hand", "[resize]", std::uint8_t, float) {
    // Both axes: in 2, out 3 -> src = (d + 0.5) * 2/3 - 0.5 = -1/6 (clamped to 0), 1/2, 7/6 (clamped to 1).
    const auto actual = resized_rows<TestType>({{0, 60}, {120, 180}}, 3, 3);
    check_rows<TestType>(actual, {{0, 30, 60}, {60, 90, 120}, {120, 150, 180}});
}

TEMPLATE_TEST_CASE("bilinear 4x4 to 2x2 averages 2x2 blocks, rounding half up", "[resize]", std::uint8_t, float) {
    // Both axes: in 4, out 2 -> src = 2d + 0.5: the mean of pixels 2d and 2d + 1.
    const std::vector<std::vector<double>> rows{
        {0, 1, 10, 13}, {0, 0, 0, 0}, {100, 101, 255, 255}, {100, 101, 254, 254}};
    // Block means 1/4 = 0.25, 23/4 = 5.75, 402/4 = 100.5, 1018/4 = 254.5.
    const std::vector<std::vector<double>> exact{{0.25, 5.75}, {100.5, 254.5}};
    const auto actual = resized_rows<TestType>(rows, 2, 2);
    if constexpr (std::is_same_v<TestType, std::uint8_t>) {
        check_rows<TestType>(actual, {{0, 6}, {101, 255}});
    } else {
        check_rows<TestType>(actual, exact);
    }
    // Area filtering gives the same block means here.
    const auto area = resized_rows<TestType>(rows, 2, 2, interpolation::area);
    check_rows<TestType>(area, std::is_same_v<TestType, std::uint8_t> ? rounded(exact) : exact);
}

TEST_CASE("bilinear 5x3 to 2x7 (width x height) by hand", "[resize]") {
    // On p(y, x) = 10 y + x bilinear interpolation is exact, so out = 10 sy + sx with
    //   x: in 5, out 2: sx = (d + 0.5) * 2.5 - 0.5 = 0.75, 3.25
    //   y: in 3, out 7: sy = (3d - 2) / 7 = -2/7 (clamped to 0), 1/7, 4/7, 1, 10/7, 13/7, 16/7 (clamped to 2)
    std::vector<std::vector<double>> rows(3, std::vector<double>(5));
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 5; ++x) rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)] = 10 * y + x;
    const double sy[] = {0.0, 1.0 / 7, 4.0 / 7, 1.0, 10.0 / 7, 13.0 / 7, 2.0};
    const double sx[] = {0.75, 3.25};
    std::vector<std::vector<double>> expected;
    for (const double y : sy) expected.push_back({10 * y + sx[0], 10 * y + sx[1]});
    check_rows<float>(resized_rows<float>(rows, 7, 2), expected);

    // On a non-linear image the weights must also sit on the right side of each pair:
    // row 0, column 0 blends x = 0 and 1 as 0.25 / 0.75; column 1 blends 3 and 4 as 0.75 / 0.25.
    const std::vector<std::vector<double>> squares{{0, 1, 4, 9, 16}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}};
    const auto top = resized_rows<float>(squares, 7, 2);
    CHECK(top[0][0] == Approx(0.25 * 0 + 0.75 * 1));
    CHECK(top[0][1] == Approx(0.75 * 9 + 0.25 * 16));
    // Row 1 (sy = 1/7) keeps 6/7 of image row 0.
    CHECK(top[1][1] == Approx(6.0 / 7.0 * (0.75 * 9 + 0.25 * 16)));
    CHECK(top[6][0] == 0.0);
}

TEMPLATE_TEST_CASE("one-row and one-column images, and rounding to nearest", "[resize]", std::uint8_t, float) {
    // 1x4 to 1x8: src = d / 2 - 0.25 -> 0 (clamped), 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3 (clamped).
    const std::vector<double> exact{0, 1.25, 3.75, 4.25, 2.75, 51.5, 150.5, 200};
    const auto row = resized_rows<TestType>({{0, 5, 2, 200}}, 1, 8);
    // uint8: .25 rounds down, .75 up, and .5 up (not to even).
    check_rows<TestType>(row, {std::is_same_v<TestType, std::uint8_t> ? std::vector<double>{0, 1, 4, 4, 3, 52, 151, 200}
                                                                      : exact});
    // More halves: 1x2 to 1x4 gives src 0 (clamped), 0.25, 0.75, 1 (clamped).
    const auto halves = resized_rows<TestType>({{0, 2}}, 1, 4);
    const auto more_halves = resized_rows<TestType>({{0, 10}}, 1, 4);
    if constexpr (std::is_same_v<TestType, std::uint8_t>) {
        check_rows<TestType>(halves, {{0, 1, 2, 2}});         // 0.5 -> 1, 1.5 -> 2
        check_rows<TestType>(more_halves, {{0, 3, 8, 10}});   // 2.5 -> 3, 7.5 -> 8
    } else {
        check_rows<TestType>(halves, {{0, 0.5, 1.5, 2}});
        check_rows<TestType>(more_halves, {{0, 2.5, 7.5, 10}});
    }
    // The same data as a column gives the same values.
    const auto column = resized_rows<TestType>({{0}, {5}, {2}, {200}}, 8, 1);
    for (std::size_t i = 0; i < 8; ++i) CHECK(column[i][0] == row[0][i]);
    // Downscaling a row to one pixel reads the two middle pixels (bilinear has no antialiasing).
    check_rows<TestType>(resized_rows<TestType>({{0, 20, 40, 200}}, 1, 1), {{30}});
    // A single pixel stretched anywhere stays constant.
    check_rows<TestType>(resized_rows<TestType>({{77}}, 2, 3), {{77, 77, 77}, {77, 77, 77}});
}

TEMPLATE_TEST_CASE("resizing to the same size is the identity for every method", "[resize]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 17, 13, 3);
    for (const auto method : {interpolation::bilinear, interpolation::nearest, interpolation::area}) {
        image<TestType> destination(3, 17, 13, resizemix::memory_layout::chw);
        resizemix::resize(source.const_view(), destination.view(), method);
        CHECK(test_support::same_values(destination.const_view(), source.const_view()));
    }
}

TEST_CASE("float and uint8 bilinear agree within one level on a photo", "[resize]") {
    const auto photo = test_support::load_photo("chelsea.png");
    const auto photo_float = test_support::to_float<std::uint8_t>(photo.const_view());
    for (const auto& [out_height, out_width] : {std::pair<index_t, index_t>{97, 173}, {400, 600}, {300, 451}}) {
        image<std::uint8_t> small(3, out_height, out_width);
        image<float> small_float(3, out_height, out_width);
        resizemix::resize(photo.const_view(), small.view());
        resizemix::resize(photo_float.const_view(), small_float.view());
        long worst = 0;
        double lowest = 255.0;
        double highest = 0.0;
        for (index_t c = 0; c < 3; ++c)
            for (index_t y = 0; y < out_height; ++y)
                for (index_t x = 0; x < out_width; ++x) {
                    const double as_float = small_float(c, y, x);
                    lowest = std::min(lowest, as_float);
                    highest = std::max(highest, as_float);
                    worst = std::max(worst, std::abs(std::lround(as_float) - static_cast<long>(small(c, y, x))));
                }
        CAPTURE(out_height, out_width);
        CHECK(worst <= 1);
        CHECK(lowest >= 0.0);  // convex weights never leave the input range
        CHECK(highest <= 255.0);
    }
}

TEMPLATE_TEST_CASE("HWC, CHW and strided-crop views give identical results", "[resize]", std::uint8_t, float) {
    for (const index_t channels : {1, 2, 3, 4, 5}) {
        CAPTURE(channels);
        const auto source_hwc = test_support::noise_image<TestType>(channels, 23, 31, 8, resizemix::memory_layout::hwc);
        const image<TestType> source_chw(source_hwc.const_view(), resizemix::memory_layout::chw);
        // A padded source: the same pixels as a crop of a bigger image.
        image<TestType> source_canvas(channels, 30, 40);
        resizemix::copy(source_hwc.const_view(), source_canvas.view().subview(box{5, 4, 31, 23}));
        const image_view<const TestType> source_crop = source_canvas.const_view().subview(box{5, 4, 31, 23});
        // A source with a negative row stride (a vertically flipped view of a flipped copy).
        image<TestType> upside_down(channels, 23, 31);
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < 23; ++y)
                for (index_t x = 0; x < 31; ++x) upside_down(c, 22 - y, x) = source_hwc(c, y, x);
        const auto upright = resizemix::from_strides<const TestType>(&upside_down.const_view()(0, 22, 0), channels, 23, 31,
                                                                     1, -31 * channels, channels);

        for (const auto method : {interpolation::bilinear, interpolation::nearest, interpolation::area}) {
            CAPTURE(static_cast<int>(method));
            image<TestType> reference(channels, 11, 19, resizemix::memory_layout::hwc);
            resizemix::resize(source_hwc.const_view(), reference.view(), method);

            image<TestType> planar(channels, 11, 19, resizemix::memory_layout::chw);
            resizemix::resize(source_chw.const_view(), planar.view(), method);
            CHECK(test_support::same_values(planar.const_view(), reference.const_view()));

            image<TestType> hwc_canvas(channels, 20, 30, resizemix::memory_layout::hwc);
            resizemix::resize(source_crop, hwc_canvas.view().subview(box{7, 2, 19, 11}), method);
            CHECK(test_support::same_values(hwc_canvas.const_view().subview(box{7, 2, 19, 11}), reference.const_view()));

            image<TestType> chw_canvas(channels, 20, 30, resizemix::memory_layout::chw);
            resizemix::resize(source_hwc.const_view(), chw_canvas.view().subview(box{0, 9, 19, 11}), method);
            CHECK(test_support::same_values(chw_canvas.const_view().subview(box{0, 9, 19, 11}), reference.const_view()));

            image<TestType> from_upright(channels, 11, 19, resizemix::memory_layout::chw);
            resizemix::resize(upright, from_upright.view(), method);
            CHECK(test_support::same_values(from_upright.const_view(), reference.const_view()));

            // A horizontally flipped destination receives the mirror image.
            image<TestType> mirror(channels, 11, 19);
            const auto flipped =
                resizemix::from_strides(&mirror.view()(0, 0, 18), channels, 11, 19, 1, 19 * channels, -channels);
            resizemix::resize(source_chw.const_view(), flipped, method);
            long wrong = 0;
            for (index_t c = 0; c < channels; ++c)
                for (index_t y = 0; y < 11; ++y)
                    for (index_t x = 0; x < 19; ++x) wrong += mirror(c, y, 18 - x) == reference(c, y, x) ? 0 : 1;
            CHECK(wrong == 0);
        }
    }
}

TEST_CASE("resizing into a region of a photo leaves every other pixel untouched", "[resize]") {
    const auto original = test_support::load_photo("chelsea.png");
    const auto patch_source = test_support::load_photo("coffee.png");
    image<std::uint8_t> canvas = original;
    const box region{100, 50, 121, 83};
    resizemix::resize(patch_source.const_view(), canvas.view().subview(region));

    image<std::uint8_t> patch(3, region.height, region.width);
    resizemix::resize(patch_source.const_view(), patch.view());
    long changed_outside = 0;
    long wrong_inside = 0;
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < canvas.height(); ++y)
            for (index_t x = 0; x < canvas.width(); ++x) {
                if (region.contains(x, y)) {
                    wrong_inside += canvas(c, y, x) != patch(c, y - region.y, x - region.x) ? 1 : 0;
                } else {
                    changed_outside += canvas(c, y, x) != original(c, y, x) ? 1 : 0;
                }
            }
    CHECK(changed_outside == 0);
    CHECK(wrong_inside == 0);
}

TEMPLATE_TEST_CASE("nearest follows PyTorch mode=\"nearest\": src = floor(dst * in / out)", "[resize]",
                   std::uint8_t, float) {
    // in 4, out 2: src 0, 2.   in 2, out 5: src floor(0, 0.4, 0.8, 1.2, 1.6) = 0, 0, 0, 1, 1.
    check_rows<TestType>(resized_rows<TestType>({{10, 20, 30, 40}}, 1, 2, interpolation::nearest), {{10, 30}});
    check_rows<TestType>(resized_rows<TestType>({{10, 20}}, 1, 5, interpolation::nearest), {{10, 10, 10, 20, 20}});
    // 2-D: width 5 -> 2 reads columns 0 and 2 (floor 0, 2.5); height 3 -> 4 reads rows floor(0, .75, 1.5, 2.25) = 0, 0, 1, 2.
    const std::vector<std::vector<double>> rows{{1, 2, 3, 4, 5}, {11, 12, 13, 14, 15}, {21, 22, 23, 24, 25}};
    check_rows<TestType>(resized_rows<TestType>(rows, 4, 2, interpolation::nearest), {{1, 3}, {1, 3}, {11, 13}, {21, 23}});
    // in 3, out 2: src floor(0, 1.5) = 0, 1.
    check_rows<TestType>(resized_rows<TestType>({{7, 8, 9}}, 1, 2, interpolation::nearest), {{7, 8}});
}

TEMPLATE_TEST_CASE("area averages each output pixel's footprint", "[resize]", std::uint8_t, float) {
    // in 3, out 2: footprints [0, 1.5) and [1.5, 3): weights 2/3, 1/3 and 1/3, 2/3.
    check_rows<TestType>(resized_rows<TestType>({{0, 3, 6}}, 1, 2, interpolation::area), {{1, 5}});
    // in 4, out 1: the mean of all four (bilinear would read only the middle two).
    check_rows<TestType>(resized_rows<TestType>({{0, 20, 40, 200}}, 1, 1, interpolation::area), {{65}});
    // in 2, out 3 (upscaling): footprints [0, 2/3), [2/3, 4/3), [4/3, 2).
    check_rows<TestType>(resized_rows<TestType>({{0, 6}}, 1, 3, interpolation::area), {{0, 3, 6}});
    // 2-D: 6x2 -> 2x1 with footprints of 3x2 pixels.
    check_rows<TestType>(resized_rows<TestType>({{1, 2, 3, 10, 20, 30}, {5, 6, 7, 40, 50, 60}}, 1, 2, interpolation::area),
                         {{4, 35}});
}

TEMPLATE_TEST_CASE("bilinear and area match a double-precision reference on random sizes", "[resize]",
                   std::uint8_t, float) {
    test_support::fixture_random sizes(1234);
    for (int trial = 0; trial < 80; ++trial) {
        const index_t channels = sizes.between(1, 4);
        const index_t in_height = sizes.between(1, 37);
        const index_t in_width = sizes.between(1, 37);
        const index_t out_height = sizes.between(1, 45);
        const index_t out_width = sizes.between(1, 45);
        const auto method = trial % 2 == 0 ? interpolation::bilinear : interpolation::area;
        CAPTURE(trial, channels, in_height, in_width, out_height, out_width, static_cast<int>(method));
        // A strided source: a crop of a planar or an interleaved canvas.
        const auto layout = (trial / 2) % 2 == 0 ? resizemix::memory_layout::chw : resizemix::memory_layout::hwc;
        const auto canvas = test_support::noise_image<TestType>(channels, in_height + 3, in_width + 2,
                                                                static_cast<std::uint64_t>(trial), layout);
        const auto source = canvas.const_view().subview(box{1, 2, in_width, in_height});
        image<TestType> destination(channels, out_height, out_width);
        resizemix::resize(source, destination.view(), method);

        const auto expected = reference_resize<TestType>(source, out_height, out_width, method);
        double worst = 0.0;
        std::size_t k = 0;
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < out_height; ++y)
                for (index_t x = 0; x < out_width; ++x, ++k)
                    worst = std::max(worst, std::abs(static_cast<double>(destination(c, y, x)) - expected[k]));
        if constexpr (std::is_same_v<TestType, std::uint8_t>) {
            CHECK(worst <= 1.0);
        } else {
            CHECK(worst <= 1e-4);  // values in [0, 1)
        }
    }
}

TEMPLATE_TEST_CASE("overlapping source and destination resample from the original pixels", "[resize]",
                   std::uint8_t, float) {
    const auto original = test_support::noise_image<TestType>(3, 20, 24, 17);
    const box from{0, 0, 12, 10};
    const box to{4, 3, 16, 12};  // overlaps `from`

    image<TestType> expected = original;
    const image<TestType> source_copy(original.const_view().subview(from));
    resizemix::resize(source_copy.const_view(), expected.view().subview(to));

    image<TestType> work = original;
    resizemix::resize(image_view<const TestType>(work.view().subview(from)), work.view().subview(to));
    CHECK(test_support::same_values(work.const_view(), expected.const_view()));

    // Shrinking an image onto its own top-left corner.
    image<TestType> shrink = original;
    image<TestType> shrink_expected = original;
    resizemix::resize(original.const_view(), shrink_expected.view().subview(box{0, 0, 7, 5}), interpolation::area);
    resizemix::resize(image_view<const TestType>(shrink.view()), shrink.view().subview(box{0, 0, 7, 5}),
                      interpolation::area);
    CHECK(test_support::same_values(shrink.const_view(), shrink_expected.const_view()));
}

TEST_CASE("resize refuses mismatched channels and empty views", "[resize]") {
    const image<float> rgb(3, 4, 4);
    image<float> gray(1, 2, 2);
    CHECK_THROWS_AS(resizemix::resize(rgb.const_view(), gray.view()), resizemix::error);
    CHECK_THROWS_WITH(resizemix::resize(rgb.const_view(), gray.view()),
                      Contains("resize") && Contains("source has 3 channels but destination has 1"));
    CHECK_THROWS_WITH(resizemix::resize(image_view<const float>{}, gray.view()), Contains("empty"));
    CHECK_THROWS_WITH(resizemix::resize(rgb.const_view(), image_view<float>{}), Contains("empty"));
    image<float> same_channels(3, 2, 2);
    CHECK_THROWS_WITH(resizemix::resize(rgb.const_view(), same_channels.view(), static_cast<interpolation>(7)),
                      Contains("interpolation") && Contains("7"));
    // Nothing was written.
    for (index_t y = 0; y < 2; ++y)
        for (index_t x = 0; x < 2; ++x) CHECK(gray(0, y, x) == 0.0f);
}
