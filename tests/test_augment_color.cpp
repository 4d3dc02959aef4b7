// Tests for resizemix/augment/color.hpp: hand-computed tiny cases for each colour operation (the
// torchvision formulas worked by hand), uint8 truncation, the 0-255 rules for float images, every
// layout and in place giving the same values, and bad arguments.
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/color.hpp>

#include "augment_support.hpp"

using augment_support::check_levels;
using augment_support::from_levels;
using Catch::Contains;
using resizemix::image;
using resizemix::image_view;

TEMPLATE_TEST_CASE("brightness scales by 1 + magnitude, clamps, and truncates uint8", "[augment][color]",
                   std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 1, 4, {100, 101, 200, 0});
    image<TestType> out(1, 1, 4);
    resizemix::brightness(source.const_view(), out.view(), 0.5);
    // 101 * 1.5 = 151.5: uint8 truncates to 151; 200 * 1.5 clamps at the top.
    check_levels<TestType>(out.const_view(), {150, std::is_same_v<TestType, float> ? 151.5 : 151, 255, 0});
    resizemix::brightness(source.const_view(), out.view(), -0.5);
    check_levels<TestType>(out.const_view(), {50, std::is_same_v<TestType, float> ? 50.5 : 50, 100, 0});
}

TEMPLATE_TEST_CASE("color blends with torchvision's grayscale; 1-channel images are unchanged", "[augment][color]",
                   std::uint8_t, float) {
    const auto source = from_levels<TestType>(3, 1, 1, {200, 100, 50});
    image<TestType> out(3, 1, 1);
    // gray = 0.2989 * 200 + 0.587 * 100 + 0.114 * 50 = 124.18 (uint8: 124).
    const double gray = std::is_same_v<TestType, float> ? 124.18 : 124;
    resizemix::color(source.const_view(), out.view(), -1.0);
    check_levels<TestType>(out.const_view(), {gray, gray, gray});
    resizemix::color(source.const_view(), out.view(), 0.5);  // 1.5 x - 0.5 gray
    const std::vector<double> stretched{300 - 0.5 * gray, 150 - 0.5 * gray, 75 - 0.5 * gray};
    if constexpr (std::is_same_v<TestType, float>) {
        check_levels<TestType>(out.const_view(), stretched);
    } else {
        check_levels<TestType>(out.const_view(), {238, 88, 13});  // truncated
    }
    const auto single = from_levels<TestType>(1, 1, 2, {10, 240});
    image<TestType> single_out(1, 1, 2);
    resizemix::color(single.const_view(), single_out.view(), -0.9);
    check_levels<TestType>(single_out.const_view(), {10, 240});
}

TEMPLATE_TEST_CASE("contrast blends with the mean of the grayscale image", "[augment][color]", std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 2, 2, {0, 100, 200, 100});  // mean 100
    image<TestType> out(1, 2, 2);
    resizemix::contrast(source.const_view(), out.view(), -0.5);
    check_levels<TestType>(out.const_view(), {50, 100, 150, 100});
    resizemix::contrast(source.const_view(), out.view(), 0.9);  // 1.9 x - 90
    check_levels<TestType>(out.const_view(), {0, 100, 255, 100});
}

TEMPLATE_TEST_CASE("sharpness blends with the 1-5-1 smoothed image, border from the source", "[augment][color]",
                   std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 3, 3, {0, 0, 0, 0, 130, 0, 0, 0, 0});
    image<TestType> out(1, 3, 3);
    // The smoothed centre is 5 * 130 / 13 = 50; factor 0 gives it, factor 2 gives 2 * 130 - 50.
    resizemix::sharpness(source.const_view(), out.view(), -1.0);
    check_levels<TestType>(out.const_view(), {0, 0, 0, 0, 50, 0, 0, 0, 0});
    resizemix::sharpness(source.const_view(), out.view(), 1.0);
    check_levels<TestType>(out.const_view(), {0, 0, 0, 0, 210, 0, 0, 0, 0});
    // uint8 rounds the smoothed value: 5 * 131 / 13 = 50.38 -> 50, so factor 0 gives 50 (float 50.38).
    const auto odd = from_levels<TestType>(1, 3, 3, {0, 0, 0, 0, 131, 0, 0, 0, 0});
    resizemix::sharpness(odd.const_view(), out.view(), -1.0);
    check_levels<TestType>(out.const_view(), {0, 0, 0, 0, std::is_same_v<TestType, float> ? 655.0 / 13.0 : 50, 0, 0, 0, 0});
    // Two rows: torchvision returns the image as it is.
    const auto flat = from_levels<TestType>(1, 2, 3, {9, 80, 7, 60, 5, 4});
    image<TestType> flat_out(1, 2, 3);
    resizemix::sharpness(flat.const_view(), flat_out.view(), 0.9);
    check_levels<TestType>(flat_out.const_view(), {9, 80, 7, 60, 5, 4});
}

TEMPLATE_TEST_CASE("posterize keeps the top bits of each level", "[augment][color]", std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 1, 3, {183, 255, 31});  // 183 = 0b10110111
    image<TestType> out(1, 1, 3);
    resizemix::posterize(source.const_view(), out.view(), 3);
    check_levels<TestType>(out.const_view(), {160, 224, 0});
    resizemix::posterize(source.const_view(), out.view(), 8);
    check_levels<TestType>(out.const_view(), {183, 255, 31});
    resizemix::posterize(source.const_view(), out.view(), 0);
    check_levels<TestType>(out.const_view(), {0, 0, 0});
}

TEMPLATE_TEST_CASE("solarize inverts levels at or above a 0-255 threshold", "[augment][color]", std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 1, 4, {127, 128, 200, 0});
    image<TestType> out(1, 1, 4);
    resizemix::solarize(source.const_view(), out.view(), 128.0);
    check_levels<TestType>(out.const_view(), {127, 127, 55, 0});
    resizemix::solarize(source.const_view(), out.view(), 0.0);
    check_levels<TestType>(out.const_view(), {128, 127, 55, 255});
    resizemix::solarize(source.const_view(), out.view(), 255.0);
    check_levels<TestType>(out.const_view(), {127, 128, 200, 0});
}

TEMPLATE_TEST_CASE("auto_contrast stretches each channel to the full range", "[augment][color]", std::uint8_t, float) {
    const auto source = from_levels<TestType>(2, 1, 3, {50, 100, 150, 77, 77, 77});
    image<TestType> out(2, 1, 3);
    resizemix::auto_contrast(source.const_view(), out.view());
    // (x - 50) * 255 / 100: 127.5 truncates to 127 for uint8; the constant channel stays.
    check_levels<TestType>(out.const_view(), {0, std::is_same_v<TestType, float> ? 127.5 : 127, 255, 77, 77, 77});
}

TEMPLATE_TEST_CASE("equalize follows torchvision's histogram rule", "[augment][color]", std::uint8_t, float) {
    // 256 pixels at 0 and 256 at 2: step = (512 - 256) / 255 = 1, level 2 maps to min(256, 255).
    std::vector<double> levels(512, 0.0);
    for (std::size_t k = 256; k < 512; ++k) levels[k] = 2;
    const auto source = from_levels<TestType>(1, 16, 32, levels);
    image<TestType> out(1, 16, 32);
    resizemix::equalize(source.const_view(), out.view());
    std::vector<double> expected(512, 0.0);
    for (std::size_t k = 256; k < 512; ++k) expected[k] = 255;
    check_levels<TestType>(out.const_view(), expected);
    // Fewer than 256 pixels outside the top level: step 0, the channel is left as it is.
    const auto small = from_levels<TestType>(1, 1, 4, {0, 0, 1, 2});
    image<TestType> small_out(1, 1, 4);
    resizemix::equalize(small.const_view(), small_out.view());
    check_levels<TestType>(small_out.const_view(), {0, 0, 1, 2});
}

TEMPLATE_TEST_CASE("colour operations give the same values in every layout and in place", "[augment][color]",
                   std::uint8_t, float) {
    using view = image_view<TestType>;
    using source_view = image_view<const TestType>;
    augment_support::check_layouts_and_in_place<TestType>(3, 9, 11, [](source_view in, view out) { resizemix::brightness(in, out, 0.3); });
    augment_support::check_layouts_and_in_place<TestType>(3, 9, 11, [](source_view in, view out) { resizemix::color(in, out, -0.6); });
    augment_support::check_layouts_and_in_place<TestType>(3, 9, 11, [](source_view in, view out) { resizemix::contrast(in, out, 0.7); });
    augment_support::check_layouts_and_in_place<TestType>(3, 9, 11, [](source_view in, view out) { resizemix::sharpness(in, out, 0.9); });
    augment_support::check_layouts_and_in_place<TestType>(3, 9, 11, [](source_view in, view out) { resizemix::posterize(in, out, 5); });
    augment_support::check_layouts_and_in_place<TestType>(3, 9, 11, [](source_view in, view out) { resizemix::solarize(in, out, 99.0); });
    augment_support::check_layouts_and_in_place<TestType>(3, 9, 11, [](source_view in, view out) { resizemix::auto_contrast(in, out); });
    augment_support::check_layouts_and_in_place<TestType>(1, 23, 29, [](source_view in, view out) { resizemix::equalize(in, out); });
    // The one-argument in-place forms are the same operations.
    auto noise = test_support::noise_image<TestType>(3, 9, 11, 5);
    image<TestType> expected(3, 9, 11);
    resizemix::sharpness(noise.const_view(), expected.view(), 0.4);
    resizemix::sharpness(noise.view(), 0.4);
    CHECK(test_support::same_values(noise.const_view(), expected.const_view()));
}

TEMPLATE_TEST_CASE("colour operations reject bad arguments, naming them", "[augment][color]", std::uint8_t, float) {
    const auto rgb = test_support::noise_image<TestType>(3, 4, 4, 1);
    image<TestType> out(3, 4, 4);
    CHECK_THROWS_WITH(resizemix::brightness(rgb.const_view(), out.view(), -1.5),
                      Contains("brightness") && Contains("magnitude must be at least -1") && Contains("-1.5"));
    CHECK_THROWS_WITH(resizemix::contrast(rgb.const_view(), out.view(), std::nan("")),
                      Contains("contrast") && Contains("magnitude must be finite"));
    // A factor whose float32 blend would overflow into NaN pixels (fuzz_mixers, FUZZING.md finding 15).
    const image<TestType> untouched = out;
    CHECK_THROWS_WITH(resizemix::sharpness(rgb.const_view(), out.view(), 1e300),
                      Contains("sharpness") && Contains("magnitude must be at most 1e6") && Contains("1e+300"));
    CHECK(test_support::same_values(out.const_view(), untouched.const_view()));
    resizemix::sharpness(rgb.const_view(), out.view(), 1e6);  // the largest factor: saturates, stays in range
    for (resizemix::index_t c = 0; c < 3; ++c)
        for (resizemix::index_t y = 0; y < 4; ++y)
            for (resizemix::index_t x = 0; x < 4; ++x) {
                const double value = static_cast<double>(out(c, y, x));
                CHECK((value >= 0.0 && value <= static_cast<double>(test_support::level<TestType>(255.0))));
            }
    CHECK_THROWS_WITH(resizemix::posterize(rgb.const_view(), out.view(), 9), Contains("bits must be in [0, 8], got 9"));
    CHECK_THROWS_WITH(resizemix::solarize(rgb.const_view(), out.view(), 256.0),
                      Contains("threshold must be in [0, 255], got 256"));
    const auto two_channels = test_support::noise_image<TestType>(2, 4, 4, 1);
    image<TestType> two_out(2, 4, 4);
    CHECK_THROWS_WITH(resizemix::color(two_channels.const_view(), two_out.view(), 0.1),
                      Contains("color") && Contains("needs 1 or 3 channels") && Contains("got 2"));
    image<TestType> small(3, 4, 3);
    CHECK_THROWS_AS(resizemix::equalize(rgb.const_view(), small.view()), resizemix::error);
    CHECK_THROWS_WITH(resizemix::auto_contrast(rgb.const_view(), small.view()),
                      Contains("source is 3x4x4 (CxHxW) but destination is 3x4x3"));
}

TEMPLATE_TEST_CASE("invert turns v into the top value minus v, in place too", "[augment][color]", std::uint8_t, float) {
    auto pixels = augment_support::from_levels<TestType>(1, 1, 4, {0.0, 1.0, 128.0, 255.0});
    resizemix::invert(pixels.view());
    augment_support::check_levels<TestType>(pixels.const_view(), {255.0, 254.0, 127.0, 0.0});
    augment_support::check_layouts_and_in_place<TestType>(3, 5, 7, [](resizemix::image_view<const TestType> in, resizemix::image_view<TestType> out) {
        resizemix::invert(in, out);
    });
}
