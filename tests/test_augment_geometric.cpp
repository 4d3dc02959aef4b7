// Tests for resizemix/augment/geometric.hpp: hand-computed translations, shears and a quarter
// turn, torchvision's bilinear fill rule worked by hand, every layout and in place giving the same
// values, and bad arguments.
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/geometric.hpp>

#include "augment_support.hpp"

using augment_support::check_levels;
using augment_support::from_levels;
using Catch::Contains;
using resizemix::image;
using resizemix::image_view;
using resizemix::warp_options;

TEMPLATE_TEST_CASE("translate moves by whole pixels (truncated), zeros or the fill come in", "[augment][geometric]",
                   std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 2, 3, {10, 20, 30, 40, 50, 60});
    image<TestType> out(1, 2, 3);
    resizemix::translate_x(source.const_view(), out.view(), 1.9);  // int(1.9) = 1
    check_levels<TestType>(out.const_view(), {0, 10, 20, 0, 40, 50});
    resizemix::translate_x(source.const_view(), out.view(), -1.0, warp_options{.fill = {7}});
    check_levels<TestType>(out.const_view(), {20, 30, 7, 50, 60, 7});
    resizemix::translate_y(source.const_view(), out.view(), 1.0, warp_options{.fill = {255}});
    check_levels<TestType>(out.const_view(), {255, 255, 255, 10, 20, 30});
    resizemix::translate_y(source.const_view(), out.view(), -0.7);  // truncates to 0: a copy
    check_levels<TestType>(out.const_view(), {10, 20, 30, 40, 50, 60});
}

TEMPLATE_TEST_CASE("shear_x reads x + magnitude * (y + 0.5), shear_y the transpose", "[augment][geometric]",
                   std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 2, 3, {1, 2, 3, 4, 5, 6});
    image<TestType> out(1, 2, 3);
    // Row 0 reads x + 0.2 (rounds to x), row 1 reads x + 0.6 (rounds to x + 1).
    resizemix::shear_x(source.const_view(), out.view(), 0.4);
    check_levels<TestType>(out.const_view(), {1, 2, 3, 5, 6, 0});
    resizemix::shear_x(source.const_view(), out.view(), -0.4);
    check_levels<TestType>(out.const_view(), {1, 2, 3, 0, 4, 5});
    const auto tall = from_levels<TestType>(1, 3, 2, {1, 4, 2, 5, 3, 6});
    image<TestType> tall_out(1, 3, 2);
    resizemix::shear_y(tall.const_view(), tall_out.view(), 0.4);
    check_levels<TestType>(tall_out.const_view(), {1, 5, 2, 6, 3, 0});
}

TEMPLATE_TEST_CASE("rotate turns counter-clockwise about the centre", "[augment][geometric]", std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    image<TestType> out(1, 3, 3);
    resizemix::rotate(source.const_view(), out.view(), 90.0);
    check_levels<TestType>(out.const_view(), {3, 6, 9, 2, 5, 8, 1, 4, 7});
    resizemix::rotate(source.const_view(), out.view(), -90.0, warp_options{.interpolation = resizemix::interpolation::bilinear});
    check_levels<TestType>(out.const_view(), {7, 4, 1, 8, 5, 2, 9, 6, 3});
}

TEMPLATE_TEST_CASE("bilinear blends the taps; with a fill, torchvision's mask rule applies", "[augment][geometric]",
                   std::uint8_t, float) {
    const auto source = from_levels<TestType>(1, 1, 2, {0, 100});
    image<TestType> out(1, 1, 2);
    // One row, magnitude 0.5: x reads x + 0.25. Output 1 has 0.75 of pixel 1 and 0.25 outside.
    const warp_options bilinear{.interpolation = resizemix::interpolation::bilinear};
    resizemix::shear_x(source.const_view(), out.view(), 0.5, bilinear);
    check_levels<TestType>(out.const_view(), {25, 75});
    // With fill 200: sample * coverage + (1 - coverage) * fill = 75 * 0.75 + 0.25 * 200 = 106.25.
    const warp_options filled{.interpolation = resizemix::interpolation::bilinear, .fill = {200}};
    resizemix::shear_x(source.const_view(), out.view(), 0.5, filled);
    check_levels<TestType>(out.const_view(), {25, std::is_same_v<TestType, float> ? 106.25 : 106});
}

TEMPLATE_TEST_CASE("per-channel fill values go to their channels", "[augment][geometric]", std::uint8_t, float) {
    const auto source = from_levels<TestType>(3, 1, 2, {1, 2, 3, 4, 5, 6});
    image<TestType> out(3, 1, 2);
    resizemix::translate_x(source.const_view(), out.view(), 1.0, warp_options{.fill = {10, 20, 30}});
    check_levels<TestType>(out.const_view(), {10, 1, 20, 3, 30, 5});
}

TEMPLATE_TEST_CASE("geometric operations give the same values in every layout and in place", "[augment][geometric]",
                   std::uint8_t, float) {
    using view = image_view<TestType>;
    using source_view = image_view<const TestType>;
    for (const auto method : {resizemix::interpolation::nearest, resizemix::interpolation::bilinear}) {
        const warp_options options{.interpolation = method, .fill = {30, 60, 90}};
        augment_support::check_layouts_and_in_place<TestType>(3, 13, 17, [&](source_view in, view out) { resizemix::shear_x(in, out, 0.23, options); });
        augment_support::check_layouts_and_in_place<TestType>(3, 13, 17, [&](source_view in, view out) { resizemix::shear_y(in, out, -0.3, options); });
        augment_support::check_layouts_and_in_place<TestType>(3, 13, 17, [&](source_view in, view out) { resizemix::translate_x(in, out, -4.0, options); });
        augment_support::check_layouts_and_in_place<TestType>(3, 13, 17, [&](source_view in, view out) { resizemix::translate_y(in, out, 5.5, options); });
        augment_support::check_layouts_and_in_place<TestType>(3, 13, 17, [&](source_view in, view out) { resizemix::rotate(in, out, 27.0, options); });
    }
    auto noise = test_support::noise_image<TestType>(3, 8, 6, 4);
    image<TestType> expected(3, 8, 6);
    resizemix::rotate(noise.const_view(), expected.view(), -13.0);
    resizemix::rotate(noise.view(), -13.0);
    CHECK(test_support::same_values(noise.const_view(), expected.const_view()));
}

TEMPLATE_TEST_CASE("geometric operations reject bad arguments, naming them", "[augment][geometric]", std::uint8_t, float) {
    const auto rgb = test_support::noise_image<TestType>(3, 4, 4, 1);
    image<TestType> out(3, 4, 4);
    CHECK_THROWS_WITH(resizemix::rotate(rgb.const_view(), out.view(), 10.0,
                                        warp_options{.interpolation = resizemix::interpolation::area}),
                      Contains("rotate") && Contains("interpolation must be nearest or bilinear"));
    CHECK_THROWS_WITH(resizemix::shear_x(rgb.const_view(), out.view(), 0.1, warp_options{.fill = {1, 2}}),
                      Contains("shear_x") && Contains("fill needs 0, 1 or 3 values") && Contains("got 2"));
    CHECK_THROWS_WITH(resizemix::shear_y(rgb.const_view(), out.view(), 0.1, warp_options{.fill = {256}}),
                      Contains("fill values must be in [0, 255], got 256"));
    CHECK_THROWS_WITH(resizemix::translate_x(rgb.const_view(), out.view(), std::nan("")),
                      Contains("translate_x") && Contains("pixels must be finite"));
    image<TestType> wrong(3, 5, 4);
    CHECK_THROWS_WITH(resizemix::translate_y(rgb.const_view(), wrong.view(), 1.0),
                      Contains("source is 3x4x4 (CxHxW) but destination is 3x5x4"));
}
