// The edge semantics of docs/EDGE_CASES.md, pinned: a ResizeMix patch that
// rounds to 0 pixels (clamped to 1), a CutMix box that rounds to 0 (output =
// target, lambda 0), 1-pixel-wide and 1 x 1 images, NaN pixels in float images
// (propagated, never checked, never in lambda or labels), saliency maps with no
// finite value (resizemix::error, nothing written), and centres outside the image.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/resizemix.hpp>

#include "support.hpp"

using Catch::Contains;
using resizemix::box;
using resizemix::image;
using resizemix::image_view;
using resizemix::index_t;
using resizemix::mix_info;
using resizemix::region;
using resizemix::rng;
using resizemix::saliency_map;

namespace {

constexpr float not_a_number = std::numeric_limits<float>::quiet_NaN();

template <class T>
bool identical(image_view<const T> a, image_view<const T> b) {
    return test_support::same_values(a, b);
}

}  // namespace

TEST_CASE("edge: a ResizeMix patch of round(tau * W) == 0 is clamped to 1 pixel, with lambda its share",
          "[edge][resizemix]") {
    const auto source = test_support::noise_image<std::uint8_t>(3, 10, 10, 1);
    auto target = test_support::noise_image<std::uint8_t>(3, 8, 6, 2);
    const image<std::uint8_t> original(target.const_view());
    rng random(3);
    // tau = 0.05: round(0.05 * 6) = 0 and round(0.05 * 8) = 0.
    const mix_info info = resizemix::resize_mix{.scale_min = 0.05f, .scale_max = 0.05f}(
        source.const_view(), target.const_view(), target.view(), random);
    CHECK(info.box.width == 1);
    CHECK(info.box.height == 1);
    CHECK(info.lambda == 1.0 / 48.0);
    CHECK(resizemix::resize_mix::patch_size(0.01, 6, 8) == (box{0, 0, 1, 1}));
    CHECK(resizemix::resize_mix::patch_size(1.0, 6, 8) == (box{0, 0, 6, 8}));
    // The whole 10 x 10 source, resized to one pixel (bilinear at the centre: pixels 4 and 5 of each axis).
    for (index_t c = 0; c < 3; ++c) {
        const double centre = (source(c, 4, 4) + source(c, 4, 5) + source(c, 5, 4) + source(c, 5, 5)) / 4.0;
        CHECK(std::abs(target(c, info.box.y, info.box.x) - centre) <= 1.0);
    }
    // Everything else is the target.
    std::size_t changed = 0;
    for (index_t y = 0; y < 8; ++y)
        for (index_t x = 0; x < 6; ++x)
            for (index_t c = 0; c < 3; ++c)
                if (!info.box.contains(x, y) && target(c, y, x) != original(c, y, x)) ++changed;
    CHECK(changed == 0);
}

TEST_CASE("edge: a CutMix box that rounds to 0 pixels leaves the output equal to the target, lambda 0",
          "[edge][cutmix]") {
    CHECK(resizemix::cut_mix::box_size(1.0, 7, 5) == (box{0, 0, 0, 0}));
    CHECK(resizemix::cut_mix::box_size(0.995, 7, 5).empty());  // sqrt(0.005) * 7 = 0.49: rounds to 0
    const auto source = test_support::noise_image<float>(2, 5, 7, 1);
    const auto target = test_support::noise_image<float>(2, 5, 7, 2);
    // alpha = 0.001 puts Beta's mass at 0 and 1: some seeds give a box of 0 pixels.
    int empty_boxes = 0;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        image<float> out = test_support::noise_image<float>(2, 5, 7, 3);
        rng random(seed);
        const mix_info info = resizemix::cut_mix{.alpha = 0.001f}(source.const_view(), target.const_view(), out.view(), random);
        if (!info.box.empty()) continue;
        ++empty_boxes;
        CHECK(info.lambda == 0.0);
        CHECK(info.method == "cutmix");
        CHECK(identical<float>(out.const_view(), target.const_view()));
        CHECK(resizemix::soft_label(info, 0, 1, 2)(1) == 1.0f);
    }
    CHECK(empty_boxes > 0);
}

TEMPLATE_TEST_CASE("edge: 1-pixel-wide, 1-pixel-high and 1 x 1 images mix with every method", "[edge]", std::uint8_t,
                   float) {
    using T = TestType;
    const std::pair<index_t, index_t> sizes[] = {{1, 1}, {1, 9}, {9, 1}};  // width, height
    for (const auto& [width, height] : sizes) {
        const auto source = test_support::noise_image<T>(3, height, width, 4);
        const auto target = test_support::noise_image<T>(3, height, width, 5);
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            CAPTURE(width, height, seed);
            image<T> out(3, height, width);
            rng random(seed);
            const mix_info resized = resizemix::resize_mix{}(source.const_view(), target.const_view(), out.view(), random);
            CHECK(resized.box.inside(width, height));
            CHECK(resized.box.width >= 1);
            CHECK(resized.box.height >= 1);
            if (width == 1) CHECK(resized.box.width == 1);  // round(tau * 1) is 0 or 1: always 1 pixel
            const mix_info cut = resizemix::cut_mix{}(source.const_view(), target.const_view(), out.view(), random);
            CHECK((cut.box.empty() || cut.box.inside(width, height)));
            CHECK(cut.lambda == static_cast<double>(cut.box.area()) / static_cast<double>(width * height));
            const mix_info blended = resizemix::mixup{}(source.const_view(), target.const_view(), out.view(), random);
            CHECK(blended.box == (box{0, 0, width, height}));
        }
        // A 1 x 1 target takes the whole source at any tau: lambda 1, the source resized to one pixel.
        if (width == 1 && height == 1) {
            const auto big_source = test_support::noise_image<T>(3, 6, 4, 6);
            image<T> out(3, 1, 1);
            rng random(0);
            const mix_info info = resizemix::resize_mix{}(big_source.const_view(), target.const_view(), out.view(), random);
            CHECK(info.lambda == 1.0);
            CHECK(info.box == (box{0, 0, 1, 1}));
        }
    }
}

TEST_CASE("edge: NaN pixels in float images propagate as arithmetic does; lambda and labels never see them",
          "[edge][nan]") {
    auto source = test_support::noise_image<float>(1, 6, 6, 7);
    auto target = test_support::noise_image<float>(1, 6, 6, 8);
    source(0, 2, 3) = not_a_number;
    target(0, 4, 1) = not_a_number;

    SECTION("CutMix copies NaN bits like any value") {
        image<float> out(1, 6, 6);
        rng random(11);
        const mix_info info = resizemix::cut_mix{}(source.const_view(), target.const_view(), out.view(), random);
        CHECK(info.lambda == static_cast<double>(info.box.area()) / 36.0);
        for (index_t y = 0; y < 6; ++y)
            for (index_t x = 0; x < 6; ++x) {
                const bool from_source = info.box.contains(x, y);
                const float expected = from_source ? source(0, info.source_box.y + y - info.box.y, info.source_box.x + x - info.box.x)
                                                   : target(0, y, x);
                CHECK(std::isnan(out(0, y, x)) == std::isnan(expected));
            }
    }
    SECTION("Mixup: NaN exactly where either input is NaN, even at weight 0") {
        image<float> out(1, 6, 6);
        rng random(12);
        const mix_info info = resizemix::mixup{}(source.const_view(), target.const_view(), out.view(), random);
        CHECK(std::isfinite(info.lambda));
        for (index_t y = 0; y < 6; ++y)
            for (index_t x = 0; x < 6; ++x)
                CHECK(std::isnan(out(0, y, x)) == (std::isnan(source(0, y, x)) || std::isnan(target(0, y, x))));
        const Eigen::RowVectorXf label = resizemix::soft_label(info, 0, 1, 2);
        CHECK(label.allFinite());
    }
    SECTION("ResizeMix: NaN only inside the box, where the resize footprint covers the NaN pixel") {
        for (const auto method : {resizemix::interpolation::bilinear, resizemix::interpolation::nearest,
                                  resizemix::interpolation::area}) {
            image<float> out(1, 6, 6);
            rng random(13);
            const mix_info info = resizemix::resize_mix{.scale_min = 0.5f, .scale_max = 0.5f, .interpolation = method}(
                source.const_view(), target.const_view(), out.view(), random);
            REQUIRE(info.box.width == 3);
            REQUIRE(info.box.height == 3);
            // 6 -> 3: output pixel i reads source pixels 2i and 2i + 1 at most (bilinear: src = 2i + 0.5;
            // nearest: 2i; area: [2i, 2i + 2)). Source pixel (x 3, y 2) reaches output (x 1, y 1) only.
            for (index_t y = 0; y < 6; ++y)
                for (index_t x = 0; x < 6; ++x) {
                    CAPTURE(static_cast<int>(method), x, y);
                    if (!info.box.contains(x, y)) {
                        CHECK(std::isnan(out(0, y, x)) == std::isnan(target(0, y, x)));
                        continue;
                    }
                    const index_t px = x - info.box.x;
                    const index_t py = y - info.box.y;
                    const bool reaches = px == 1 && py == 1 && method != resizemix::interpolation::nearest;
                    // nearest reads (2, 2) for output (1, 1): not the NaN at (3, 2).
                    CHECK(std::isnan(out(0, y, x)) == reaches);
                }
        }
    }
}

TEST_CASE("edge: a saliency map with no finite value is a resizemix::error, and nothing is written", "[edge][saliency]") {
    const saliency_map all_nan(3, 4, std::vector<float>(12, not_a_number));
    const saliency_map all_infinite(2, 2, std::vector<float>{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()});
    for (const saliency_map* map : {&all_nan, &all_infinite}) {
        CHECK_THROWS_AS(resizemix::extreme_pixels(*map, region::salient), resizemix::error);
        CHECK_THROWS_WITH(resizemix::extreme_pixels(*map, region::non_salient), Contains("saliency map has no finite value"));
        rng random(1);
        CHECK_THROWS_AS(resizemix::place_box(region::salient, 2, 2, 8, 8, map, random), resizemix::error);
    }
    // One finite value among NaNs: that pixel is the whole extreme set, both ways.
    saliency_map one(3, 4, std::vector<float>(12, not_a_number));
    one(2, 1) = -7.0f;
    CHECK(resizemix::extreme_pixels(one, region::salient) == std::vector<std::pair<index_t, index_t>>{{1, 2}});
    CHECK(resizemix::extreme_pixels(one, region::non_salient) == std::vector<std::pair<index_t, index_t>>{{1, 2}});

    // Through a mixer and a batch: refused before any pixel is written.
    const auto source = test_support::noise_image<std::uint8_t>(3, 8, 8, 1);
    auto target = test_support::noise_image<std::uint8_t>(3, 8, 8, 2);
    const image<std::uint8_t> original(target.const_view());
    const resizemix::pair_saliency maps{all_nan, all_nan};
    rng random(2);
    CHECK_THROWS_WITH((resizemix::cut_mix{.source_region = region::salient}(source.const_view(), target.const_view(),
                                                                            target.view(), random, maps)),
                      Contains("no finite value"));
    CHECK_THROWS_AS((resizemix::resize_mix{.paste_region = region::non_salient}(source.const_view(), target.const_view(),
                                                                                target.view(), random, maps)),
                    resizemix::error);
    CHECK(identical<std::uint8_t>(target.const_view(), original.const_view()));

    std::vector<std::uint8_t> batch(4 * 8 * 8 * 3, 9);
    const std::vector<std::uint8_t> batch_before = batch;
    const auto view = resizemix::from_nhwc(batch.data(), 4, 8, 8, 3);
    auto provider = [&](const resizemix::saliency_query&) { return all_nan; };
    CHECK_THROWS_AS(resizemix::mix_batch(resizemix::cut_mix{.source_region = region::salient}, view, {}, view, {}, provider),
                    resizemix::error);
    CHECK(batch == batch_before);
}

TEST_CASE("edge: grad_cam of non-finite activations gives non-finite map values, never negative ones", "[edge][saliency]") {
    std::vector<float> activations{1.0f, not_a_number, 2.0f, 3.0f, -1.0f, 0.5f, 0.0f, 1.0f};
    const std::vector<float> gradients{1.0f, 1.0f, 1.0f, 1.0f, -1.0f, -1.0f, -1.0f, -1.0f};
    const auto map = resizemix::grad_cam(resizemix::from_chw<const float>(activations.data(), 2, 2, 2),
                                         resizemix::from_chw<const float>(gradients.data(), 2, 2, 2));
    // weights 1 and -1: map = ReLU(A0 - A1) = ReLU(2, NaN, 2, 2).
    CHECK(map(0, 0) == 2.0f);
    CHECK(std::isnan(map(0, 1)));
    CHECK(map(1, 0) == 2.0f);
    CHECK(map(1, 1) == 2.0f);
    // The NaN is ignored when picking: the extreme set is the finite maximum.
    CHECK(resizemix::extreme_pixels(map, region::salient).size() == 3);
}

TEST_CASE("edge: a box centre outside the image acts as the nearest pixel inside it; any centre is safe",
          "[edge][geometry]") {
    CHECK(resizemix::centred_box_inside(-5, 100, 3, 2, 10, 8) == resizemix::centred_box_inside(0, 7, 3, 2, 10, 8));
    const index_t lowest = std::numeric_limits<index_t>::min();
    const index_t highest = std::numeric_limits<index_t>::max();
    CHECK(resizemix::centred_box_inside(lowest, highest, 4, 4, 16, 16) == (box{0, 12, 4, 4}));
    CHECK(resizemix::centred_box_inside(highest, lowest, 16, 1, 16, 16) == (box{0, 0, 16, 1}));
}
