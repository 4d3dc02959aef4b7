// Tests for resizemix/saliency.hpp: Grad-CAM by hand, the extreme-pixel sets
// (ties, NaN, inf), and box placement: salient / non-salient centring with
// shifting and map scaling, ties, and uniform random placement.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/image.hpp>
#include <resizemix/saliency.hpp>

#include "support.hpp"

using resizemix::box;
using resizemix::index_t;
using resizemix::region;
using resizemix::saliency_map;
using Catch::Contains;

namespace {

using pixel_list = std::vector<std::pair<index_t, index_t>>;

/// A map of the given size, zero except for the listed (x, y) -> value entries.
saliency_map map_with(index_t height, index_t width, const std::vector<std::pair<std::pair<index_t, index_t>, float>>& entries) {
    saliency_map map(height, width);
    for (const auto& [pixel, value] : entries) map(pixel.second, pixel.first) = value;
    return map;
}

// Activations and gradients of a K = 3, 2 x 3 layer, planar (K x h x w).
const std::vector<float> activations_chw{
    1, 2, 3, 4, 5, 6,   // A0
    6, 5, 4, 3, 2, 1,   // A1
    9, -9, 9, -9, 9, 9, // A2
};
const std::vector<float> gradients_chw{
    0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f,  // mean 0.5
    -2, 0, -1, -1, -1, -1,               // mean -1
    3, -3, 1, -1, 2, -2,                 // mean 0: A2 must not contribute
};

}  // namespace

static_assert(resizemix::saliency_provider<resizemix::pair_saliency>);
static_assert(resizemix::saliency_provider<resizemix::no_saliency>);
static_assert(resizemix::saliency_provider<resizemix::saliency_callback>);
static_assert(!resizemix::saliency_provider<int>);
static_assert(resizemix::needs_saliency(region::salient) && resizemix::needs_saliency(region::non_salient));
static_assert(!resizemix::needs_saliency(region::random) && !resizemix::needs_saliency(region::corresponding));

TEST_CASE("grad_cam is ReLU(sum_k mean(gradients_k) * activations_k), by hand", "[saliency]") {
    const auto activations = resizemix::from_chw(activations_chw.data(), 3, 2, 3);
    const auto gradients = resizemix::from_chw(gradients_chw.data(), 3, 2, 3);
    const saliency_map map = resizemix::grad_cam(activations, gradients);
    // 0.5 * A0 - 1 * A1 + 0 * A2 = [[-5.5, -4, -2.5], [-1, 0.5, 2]]; ReLU keeps 0.5 and 2.
    REQUIRE(map.height() == 2);
    REQUIRE(map.width() == 3);
    const std::vector<float> expected{0, 0, 0, 0, 0.5f, 2.0f};
    for (std::size_t k = 0; k < expected.size(); ++k) CHECK(map.values()[k] == Approx(expected[k]).margin(1e-6));
    CHECK(map(1, 2) == Approx(2.0f));
    CHECK(map(0, 0) == 0.0f);  // clamped, not negative
}

TEST_CASE("grad_cam reads interleaved, padded and flipped activations alike", "[saliency]") {
    const auto planar = resizemix::grad_cam(resizemix::from_chw(activations_chw.data(), 3, 2, 3),
                                            resizemix::from_chw(gradients_chw.data(), 3, 2, 3));
    // The same numbers interleaved (h x w x K, channels-last).
    std::vector<float> activations_hwc(18);
    std::vector<float> gradients_hwc(18);
    for (index_t k = 0; k < 3; ++k)
        for (index_t i = 0; i < 6; ++i) {
            activations_hwc[static_cast<std::size_t>(i * 3 + k)] = activations_chw[static_cast<std::size_t>(k * 6 + i)];
            gradients_hwc[static_cast<std::size_t>(i * 3 + k)] = gradients_chw[static_cast<std::size_t>(k * 6 + i)];
        }
    const auto interleaved = resizemix::grad_cam(resizemix::from_hwc<const float>(activations_hwc.data(), 2, 3, 3),
                                                 resizemix::from_hwc<const float>(gradients_hwc.data(), 2, 3, 3));
    CHECK(interleaved.values() == planar.values());

    // Activations inside a bigger, padded planar buffer (row stride 5, plane stride 12).
    std::vector<float> padded(36, 100.0f);
    for (index_t k = 0; k < 3; ++k)
        for (index_t y = 0; y < 2; ++y)
            for (index_t x = 0; x < 3; ++x)
                padded[static_cast<std::size_t>(k * 12 + y * 5 + x)] = activations_chw[static_cast<std::size_t>(k * 6 + y * 3 + x)];
    const auto strided = resizemix::grad_cam(resizemix::from_strides<const float>(padded.data(), 3, 2, 3, 12, 5, 1),
                                             resizemix::from_chw(gradients_chw.data(), 3, 2, 3));
    CHECK(strided.values() == planar.values());

    // Flipped views of both give the flipped map.
    const auto flipped = resizemix::grad_cam(
        resizemix::from_strides<const float>(activations_chw.data() + 2, 3, 2, 3, 6, 3, -1),
        resizemix::from_strides<const float>(gradients_chw.data() + 2, 3, 2, 3, 6, 3, -1));
    for (index_t y = 0; y < 2; ++y)
        for (index_t x = 0; x < 3; ++x) CHECK(flipped(y, x) == Approx(planar(y, 2 - x)).margin(1e-6));
}

TEST_CASE("grad_cam refuses mismatched shapes", "[saliency]") {
    std::vector<float> buffer(24, 1.0f);
    const auto three_by_2x3 = resizemix::from_chw<const float>(buffer.data(), 3, 2, 3);
    CHECK_THROWS_AS(resizemix::grad_cam(three_by_2x3, resizemix::from_chw<const float>(buffer.data(), 2, 2, 3)),
                    resizemix::error);
    CHECK_THROWS_WITH(resizemix::grad_cam(three_by_2x3, resizemix::from_chw<const float>(buffer.data(), 3, 3, 2)),
                      Contains("grad_cam") && Contains("activations are 3x2x3 but gradients are 3x3x2"));
    CHECK_THROWS_WITH(resizemix::grad_cam(resizemix::image_view<const float>{}, three_by_2x3), Contains("empty"));
}

TEST_CASE("saliency_map checks its size and reads images", "[saliency]") {
    CHECK_THROWS_WITH(saliency_map(2, 3, std::vector<float>(5)), Contains("expected 6 values for 2x3, got 5"));
    CHECK_THROWS_AS(saliency_map(0, 3, std::vector<float>{}), resizemix::error);
    CHECK_THROWS_AS(saliency_map(2, -1), resizemix::error);
    CHECK(saliency_map().empty());

    const saliency_map map(2, 3, {1, 2, 3, 4, 5, 6});
    CHECK(map(1, 0) == 4.0f);  // row-major
    CHECK_FALSE(map.empty());

    // The map of channel 1 of an interleaved image.
    std::vector<std::uint8_t> pixels{10, 20, 30, 40, 50, 60};  // 1 x 3 pixels of 2 channels
    const auto from_image = resizemix::saliency_from_image(resizemix::from_hwc(pixels.data(), 1, 3, 2), 1);
    CHECK(from_image.values() == std::vector<float>{20, 40, 60});
    CHECK_THROWS_AS(resizemix::saliency_from_image(resizemix::from_hwc(pixels.data(), 1, 3, 2), 2), resizemix::error);
}

TEST_CASE("extreme_pixels keeps every tied pixel, in row-major order", "[saliency]") {
    const saliency_map map(3, 4, {1, 7, 0, 7,
                                  0, 3, 3, 2,
                                  7, 5, 0, 1});
    CHECK(resizemix::extreme_pixels(map, region::salient) == pixel_list{{1, 0}, {3, 0}, {0, 2}});
    CHECK(resizemix::extreme_pixels(map, region::non_salient) == pixel_list{{2, 0}, {0, 1}, {2, 2}});

    // A flat map: every pixel is both the maximum and the minimum.
    const saliency_map flat(2, 3, std::vector<float>(6, 0.25f));
    const pixel_list all{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}, {2, 1}};
    CHECK(resizemix::extreme_pixels(flat, region::salient) == all);
    CHECK(resizemix::extreme_pixels(flat, region::non_salient) == all);

    // A single pixel map.
    CHECK(resizemix::extreme_pixels(saliency_map(1, 1, {-3}), region::salient) == pixel_list{{0, 0}});
}

TEST_CASE("extreme_pixels ignores NaN and infinities and refuses a map without finite values", "[saliency]") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    const saliency_map map(2, 4, {nan, 2, inf, -inf,
                                  0.5f, 2, nan, -1});
    CHECK(resizemix::extreme_pixels(map, region::salient) == pixel_list{{1, 0}, {1, 1}});
    CHECK(resizemix::extreme_pixels(map, region::non_salient) == pixel_list{{3, 1}});
    // NaN first: the extreme must still be found among the finite values.
    CHECK(resizemix::extreme_pixels(saliency_map(1, 3, {nan, -5, 4}), region::non_salient) == pixel_list{{1, 0}});

    CHECK_THROWS_WITH(resizemix::extreme_pixels(saliency_map(2, 2, std::vector<float>(4, nan)), region::salient),
                      Contains("no finite value"));
    CHECK_THROWS_AS(resizemix::extreme_pixels(saliency_map(1, 2, {inf, -inf}), region::non_salient), resizemix::error);
    CHECK_THROWS_WITH(resizemix::extreme_pixels(saliency_map(), region::salient), Contains("empty"));
    CHECK_THROWS_WITH(resizemix::extreme_pixels(map, region::random), Contains("policy must be salient or non-salient"));
}

TEST_CASE("place_box centres a salient box on the map's only maximum and shifts it inside", "[saliency]") {
    resizemix::rng random(3);
    // Map and image of the same size (40 x 30): map pixel (x, y) has centre x, y.
    const auto interior = map_with(30, 40, {{{20, 12}, 1.0f}});
    CHECK(resizemix::place_box(region::salient, 10, 6, 40, 30, &interior, random) == box{15, 9, 10, 6});
    CHECK(resizemix::place_box(region::salient, 9, 5, 40, 30, &interior, random) == box{16, 10, 9, 5});

    // Near each edge the box is pushed back inside, keeping its size.
    const auto left_top = map_with(30, 40, {{{1, 0}, 1.0f}});
    CHECK(resizemix::place_box(region::salient, 10, 6, 40, 30, &left_top, random) == box{0, 0, 10, 6});
    const auto right_bottom = map_with(30, 40, {{{39, 29}, 1.0f}});
    CHECK(resizemix::place_box(region::salient, 10, 6, 40, 30, &right_bottom, random) == box{30, 24, 10, 6});

    // Non-salient: the only minimum.
    const auto low = map_with(30, 40, {{{0, 0}, 1.0f}, {{5, 25}, -1.0f}});
    CHECK(resizemix::place_box(region::non_salient, 4, 4, 40, 30, &low, random) == box{3, 23, 4, 4});
    // On the same map, salient finds the single maximum.
    CHECK(resizemix::place_box(region::salient, 4, 4, 40, 30, &low, random) == box{0, 0, 4, 4});
}

TEST_CASE("place_box scales map pixels to image pixels", "[saliency]") {
    resizemix::rng random(4);
    constexpr index_t image_width = 50, image_height = 35;
    // A 4 x 3 map: pixel (mx, my) -> centre (floor((mx + 0.5) * 50 / 4), floor((my + 0.5) * 35 / 3)).
    for (index_t my = 0; my < 3; ++my)
        for (index_t mx = 0; mx < 4; ++mx) {
            const auto map = map_with(3, 4, {{{mx, my}, 2.0f}});
            const auto centre_x = static_cast<index_t>(std::floor((static_cast<double>(mx) + 0.5) * 50.0 / 4.0));
            const auto centre_y = static_cast<index_t>(std::floor((static_cast<double>(my) + 0.5) * 35.0 / 3.0));
            const box placed = resizemix::place_box(region::salient, 1, 1, image_width, image_height, &map, random);
            CAPTURE(mx, my);
            CHECK(placed == box{centre_x, centre_y, 1, 1});
        }
    // By hand: (3, 1) -> centre (43, 17) (43.75 and 17.5 floored); a 10 x 5 box starts at
    // x = clamp(43 - 5, 0, 40) = 38, y = clamp(17 - 2, 0, 30) = 15.
    const auto map = map_with(3, 4, {{{3, 1}, 2.0f}});
    CHECK(resizemix::place_box(region::salient, 10, 5, image_width, image_height, &map, random) == box{38, 15, 10, 5});
    // A map finer than the image: 100 x 100 map for a 10 x 10 image, pixel (57, 3) -> (5, 0).
    const auto fine = map_with(100, 100, {{{57, 3}, 2.0f}});
    CHECK(resizemix::place_box(region::salient, 1, 1, 10, 10, &fine, random) == box{5, 0, 1, 1});
}

TEST_CASE("place_box draws the centre uniformly among tied extremes", "[saliency][statistics]") {
    resizemix::rng random(5);
    const auto map = map_with(20, 20, {{{4, 4}, 1.0f}, {{15, 10}, 1.0f}});
    std::map<std::pair<index_t, index_t>, int> seen;
    constexpr int draws = 1000;
    for (int i = 0; i < draws; ++i) {
        const box b = resizemix::place_box(region::salient, 3, 3, 20, 20, &map, random);
        ++seen[{b.x, b.y}];
    }
    REQUIRE(seen.size() == 2);  // both centres and nothing else
    CHECK(seen.count({3, 3}) == 1);
    CHECK(seen.count({14, 9}) == 1);
    // Binomial(1000, 1/2): sd 15.8, so 400..600 is more than 6 sd wide.
    CHECK(seen[{3, 3}] > 400);
    CHECK(seen[{14, 9}] > 400);
}

TEST_CASE("place_box random covers every position uniformly", "[saliency][statistics]") {
    resizemix::rng random(6);
    // A 3 x 2 box in a 6 x 5 image: x in [0, 3], y in [0, 3]: 16 positions.
    std::vector<long> counts(16, 0);
    for (int i = 0; i < 16000; ++i) {
        const box b = resizemix::place_box(region::random, 3, 2, 6, 5, nullptr, random);
        REQUIRE(b.width == 3);
        REQUIRE(b.height == 2);
        REQUIRE(b.inside(6, 5));
        ++counts[static_cast<std::size_t>(b.y * 4 + b.x)];
    }
    for (const long count : counts) CHECK(count > 0);
    CHECK(test_support::chi_square_uniform(counts) < test_support::chi_square_critical_0_1_percent(15));
    // A box as big as the image has one position.
    CHECK(resizemix::place_box(region::random, 6, 5, 6, 5, nullptr, random) == box{0, 0, 6, 5});
}

TEST_CASE("place_box refuses boxes that do not fit, missing maps and corresponding", "[saliency]") {
    resizemix::rng random(7);
    const saliency_map map(4, 4);
    CHECK_THROWS_WITH(resizemix::place_box(region::random, 7, 2, 6, 5, nullptr, random),
                      Contains("a 7x2 box does not fit a 6x5 image"));
    CHECK_THROWS_AS(resizemix::place_box(region::salient, 0, 2, 6, 5, &map, random), resizemix::error);
    CHECK_THROWS_WITH(resizemix::place_box(region::salient, 2, 2, 6, 5, nullptr, random),
                      Contains("region salient needs a saliency map"));
    const saliency_map empty;
    CHECK_THROWS_WITH(resizemix::place_box(region::non_salient, 2, 2, 6, 5, &empty, random),
                      Contains("region non-salient needs a saliency map"));
    CHECK_THROWS_WITH(resizemix::place_box(region::corresponding, 2, 2, 6, 5, &map, random),
                      Contains("corresponding"));
    CHECK(std::string(resizemix::to_string(region::non_salient)) == "non-salient");
    CHECK(std::string(resizemix::to_string(region::corresponding)) == "corresponding");
}
