// Tests for resizemix/mixers/{resizemix,cutmix,mixup}.hpp: box sizes, positions
// and lambda; every output pixel checked against the target or the source;
// in-place mixing; the saliency-guided regions of the paper's Table 1 and
// Appendix A; parameter checks; distributions of the drawn parameters; and
// byte-for-byte reproducibility from a seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/compose.hpp>
#include <resizemix/image.hpp>
#include <resizemix/mix_info.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>
#include <resizemix/resize.hpp>
#include <resizemix/saliency.hpp>

#include "support.hpp"

using resizemix::box;
using resizemix::image;
using resizemix::image_view;
using resizemix::index_t;
using resizemix::memory_layout;
using resizemix::mix_info;
using resizemix::region;
using resizemix::rng;
using resizemix::saliency_map;
using Catch::Contains;

namespace {

constexpr memory_layout layouts[] = {memory_layout::hwc, memory_layout::chw};

/// round(value) for value >= 0, written without the library: floor(value + 0.5).
index_t round_half_up(double value) { return static_cast<index_t>(std::floor(value + 0.5)); }

/// The box of the given size centred on (cx, cy) and moved back inside (paper Appendix A).
box centred(index_t cx, index_t cy, index_t width, index_t height, index_t image_width, index_t image_height) {
    index_t x = cx - width / 2;
    index_t y = cy - height / 2;
    x = std::max<index_t>(0, std::min(x, image_width - width));
    y = std::max<index_t>(0, std::min(y, image_height - height));
    return {x, y, width, height};
}

/// A map of the given size, zero except for one maximum (value 1) and one minimum (value -1).
saliency_map map_with_extremes(index_t height, index_t width, std::pair<index_t, index_t> maximum,
                               std::pair<index_t, index_t> minimum) {
    saliency_map map(height, width);
    map(maximum.second, maximum.first) = 1.0f;
    map(minimum.second, minimum.first) = -1.0f;
    return map;
}

/// Counts output pixels that differ from what they should be: inside `where`,
/// `inside(c, y - where.y, x - where.x)`; outside, the target.
template <class T>
std::pair<long, long> count_wrong(image_view<const T> out, image_view<const T> target, const box& where,
                                  image_view<const T> inside) {
    long wrong_inside = 0;
    long wrong_outside = 0;
    for (index_t c = 0; c < out.channels(); ++c)
        for (index_t y = 0; y < out.height(); ++y)
            for (index_t x = 0; x < out.width(); ++x) {
                if (where.contains(x, y)) {
                    wrong_inside += out(c, y, x) == inside(c, y - where.y, x - where.x) ? 0 : 1;
                } else {
                    wrong_outside += out(c, y, x) == target(c, y, x) ? 0 : 1;
                }
            }
    return {wrong_inside, wrong_outside};
}

/// Checks every pixel of a ResizeMix output: the target outside the box, the
/// source resized on its own to the box size inside it.
template <class T>
void check_resize_mix_pixels(image_view<const T> source, image_view<const T> target, image_view<const T> out,
                             const mix_info& info,
                             resizemix::interpolation method = resizemix::interpolation::bilinear) {
    image<T> patch(source.channels(), info.box.height, info.box.width);
    resizemix::resize(source, patch.view(), method);
    const auto [wrong_inside, wrong_outside] = count_wrong<T>(out, target, info.box, patch.const_view());
    CHECK(wrong_inside == 0);
    CHECK(wrong_outside == 0);
}

/// Checks a ResizeMix record: sizes from tau, box inside, exact lambda, tau in range.
void check_resize_mix_info(const resizemix::resize_mix& mixer, const mix_info& info, index_t source_width,
                           index_t source_height, index_t width, index_t height) {
    CAPTURE(info);
    CHECK(info.tau >= static_cast<double>(mixer.scale_min));
    CHECK(info.tau <= static_cast<double>(mixer.scale_max));
    CHECK(info.box.width == std::max<index_t>(1, round_half_up(info.tau * static_cast<double>(width))));
    CHECK(info.box.height == std::max<index_t>(1, round_half_up(info.tau * static_cast<double>(height))));
    CHECK(info.box.inside(width, height));
    CHECK(info.lambda == static_cast<double>(info.box.width * info.box.height) / static_cast<double>(width * height));
    CHECK(info.source_box == box{0, 0, source_width, source_height});
}

/// Checks every pixel of a CutMix output: the target outside the box, the
/// source's source_box pixels inside it.
template <class T>
void check_cut_mix_pixels(image_view<const T> source, image_view<const T> target, image_view<const T> out,
                          const mix_info& info) {
    if (info.box.empty()) {
        CHECK(test_support::same_values(out, target));
        return;
    }
    const auto [wrong_inside, wrong_outside] =
        count_wrong<T>(out, target, info.box, source.subview(info.source_box));
    CHECK(wrong_inside == 0);
    CHECK(wrong_outside == 0);
}

/// Byte-for-byte equality of two images' buffers.
template <class T>
bool same_bytes(const image<T>& a, const image<T>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

}  // namespace

// ===================================== ResizeMix =====================================

TEMPLATE_TEST_CASE("resize_mix: box size from tau, exact lambda, every pixel from target or resized source",
                   "[mixers][resizemix]", std::uint8_t, float) {
    const resizemix::resize_mix mixer{};  // tau ~ U(0.1, 0.8)
    for (const auto layout : layouts) {
        const auto source = test_support::noise_image<TestType>(3, 24, 40, 1, layout);
        const auto target = test_support::noise_image<TestType>(3, 24, 40, 2, layout);
        for (std::uint64_t seed = 0; seed < 40; ++seed) {
            image<TestType> out(3, 24, 40, layout);
            rng random(seed);
            rng replay = random;
            const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random);
            check_resize_mix_info(mixer, info, 40, 24, 40, 24);
            CHECK(info.method == "resizemix");
            CHECK(info.choice == -1);
            check_resize_mix_pixels<TestType>(source.const_view(), target.const_view(), out.const_view(), info);
            // Documented draw order: tau (one uniform), then x, then y of the paste position.
            CHECK(info.tau == replay.uniform(mixer.scale_min, mixer.scale_max));
            CHECK(info.box.x == replay.integer(0, 40 - info.box.width));
            CHECK(info.box.y == replay.integer(0, 24 - info.box.height));
        }
    }
}

TEMPLATE_TEST_CASE("resize_mix in place (out == target) equals out of place", "[mixers][resizemix]",
                   std::uint8_t, float) {
    const resizemix::resize_mix mixer{.scale_min = 0.3f, .scale_max = 0.9f};
    for (const auto layout : layouts) {
        const auto source = test_support::noise_image<TestType>(3, 30, 26, 3, layout);
        const auto target = test_support::noise_image<TestType>(3, 30, 26, 4, layout);
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            image<TestType> out(3, 30, 26, layout);
            rng first(seed);
            const mix_info expected = mixer(source.const_view(), target.const_view(), out.view(), first);

            image<TestType> in_place = target;
            rng second(seed);
            const mix_info info = mixer(source.const_view(), in_place.view(), in_place.view(), second);
            CHECK(info.box == expected.box);
            CHECK(info.lambda == expected.lambda);
            CHECK(same_bytes(in_place, out));

            // An output that overlaps the target shifted by one row must still read the original target.
            image<TestType> canvas(3, 31, 26, layout);
            resizemix::copy(target.const_view(), canvas.view().subview(box{0, 1, 26, 30}));
            rng third(seed);
            mixer(source.const_view(), image_view<const TestType>(canvas.view().subview(box{0, 1, 26, 30})),
                  canvas.view().subview(box{0, 0, 26, 30}), third);
            CHECK(test_support::same_values(canvas.const_view().subview(box{0, 0, 26, 30}), out.const_view()));
        }
    }
}

TEMPLATE_TEST_CASE("resize_mix mixes a source of another size, and a source overlapping the output",
                   "[mixers][resizemix]", std::uint8_t, float) {
    const resizemix::resize_mix mixer{.scale_min = 0.2f, .scale_max = 1.0f};
    const auto big_source = test_support::noise_image<TestType>(3, 61, 97, 5);
    const auto tiny_source = test_support::noise_image<TestType>(3, 3, 2, 6, memory_layout::chw);
    const auto target = test_support::noise_image<TestType>(3, 28, 36, 7);
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        for (const auto* source : {&big_source, &tiny_source}) {
            image<TestType> out(3, 28, 36);
            rng random(seed);
            const mix_info info = mixer(source->const_view(), target.const_view(), out.view(), random);
            check_resize_mix_info(mixer, info, source->width(), source->height(), 36, 28);
            check_resize_mix_pixels<TestType>(source->const_view(), target.const_view(), out.const_view(), info);
        }
        // The source is a crop of the output itself (mixing an image with a part of itself, in place).
        image<TestType> work = target;
        const image<TestType> crop_copy(target.const_view().subview(box{4, 2, 20, 15}));
        rng random(seed);
        const mix_info info = mixer(image_view<const TestType>(work.view().subview(box{4, 2, 20, 15})), work.view(),
                                    work.view(), random);
        check_resize_mix_pixels<TestType>(crop_copy.const_view(), target.const_view(), work.const_view(), info);
    }
    // A tiny target: round(tau * W) and round(tau * H) fall to 0 and are raised to 1.
    const resizemix::resize_mix tiny{.scale_min = 0.1f, .scale_max = 0.15f};
    const auto small_target = test_support::noise_image<TestType>(3, 3, 4, 8);
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        image<TestType> out(3, 3, 4);
        rng random(seed);
        const mix_info info = tiny(big_source.const_view(), small_target.const_view(), out.view(), random);
        CHECK(info.box.width == 1);
        CHECK(info.box.height == 1);
        CHECK(info.lambda == 1.0 / 12.0);
        check_resize_mix_pixels<TestType>(big_source.const_view(), small_target.const_view(), out.const_view(), info);
    }
}

TEMPLATE_TEST_CASE("resize_mix honours the interpolation option", "[mixers][resizemix]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 50, 70, 8);
    const auto target = test_support::noise_image<TestType>(3, 40, 40, 9);
    for (const auto method : {resizemix::interpolation::nearest, resizemix::interpolation::area}) {
        const resizemix::resize_mix mixer{.interpolation = method};
        image<TestType> out(3, 40, 40);
        rng random(10);
        const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random);
        check_resize_mix_pixels<TestType>(source.const_view(), target.const_view(), out.const_view(), info, method);
    }
}

TEST_CASE("resize_mix validates the scale range and the paste region", "[mixers][resizemix]") {
    const auto source = test_support::noise_image<float>(3, 8, 8, 1);
    const auto target = test_support::noise_image<float>(3, 8, 8, 2);
    image<float> out(3, 8, 8);
    const auto mix = [&](const resizemix::resize_mix& mixer) {
        rng random(1);
        return mixer(source.const_view(), target.const_view(), out.view(), random);
    };
    const float nan = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_AS(mix({.scale_min = 0.8f, .scale_max = 0.1f}), resizemix::error);  // reversed
    CHECK_THROWS_WITH(mix({.scale_min = 0.8f, .scale_max = 0.1f}),
                      Contains("scale range must satisfy 0 < scale_min <= scale_max <= 1") && Contains("[0.8, 0.1]"));
    CHECK_THROWS_WITH(mix({.scale_min = 0.0f, .scale_max = 0.5f}), Contains("scale"));
    CHECK_THROWS_WITH(mix({.scale_min = -0.1f, .scale_max = 0.5f}), Contains("scale"));
    CHECK_THROWS_WITH(mix({.scale_min = 0.5f, .scale_max = 1.5f}), Contains("scale") && Contains("1.5"));
    CHECK_THROWS_WITH(mix({.scale_min = nan, .scale_max = 0.5f}), Contains("scale") && Contains("nan"));
    CHECK_THROWS_WITH(mix({.scale_min = 0.1f, .scale_max = nan}), Contains("scale"));
    CHECK_THROWS_WITH(mix({.paste_region = region::corresponding}), Contains("paste_region corresponding"));
    CHECK_THROWS_WITH(mix({.interpolation = static_cast<resizemix::interpolation>(9)}), Contains("interpolation"));
    CHECK(test_support::same_values(out.const_view(), image<float>(3, 8, 8).const_view()));  // nothing written yet
    CHECK_THROWS_AS((resizemix::resize_mix{.scale_min = 2.0f, .scale_max = 3.0f}.validate()), std::invalid_argument);
    // The ends of the range are allowed: tau = 1 pastes the whole target area.
    const mix_info whole = mix({.scale_min = 1.0f, .scale_max = 1.0f});
    CHECK(whole.box == box{0, 0, 8, 8});
    CHECK(whole.lambda == 1.0);
    CHECK_NOTHROW(resizemix::resize_mix{}.validate());

    // Shapes: channels must match, and out must have the target's shape.
    const auto gray = test_support::noise_image<float>(1, 8, 8, 3);
    rng random(2);
    CHECK_THROWS_WITH(resizemix::resize_mix{}(gray.const_view(), target.const_view(), out.view(), random),
                      Contains("source has 1 channels but target has 3"));
    image<float> small_out(3, 8, 7);
    CHECK_THROWS_WITH(resizemix::resize_mix{}(source.const_view(), target.const_view(), small_out.view(), random),
                      Contains("out is 3x8x7 (CxHxW) but must match the target, 3x8x8"));
}

TEMPLATE_TEST_CASE("resize_mix pastes at the target's salient or non-salient point", "[mixers][resizemix]",
                   std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 30, 45, 11);
    const auto target = test_support::noise_image<TestType>(3, 30, 40, 12);
    // Full-resolution map: max at (37, 4) near the top-right corner, min at (12, 20).
    const auto full = map_with_extremes(30, 40, {37, 4}, {12, 20});
    // Quarter-resolution map (10 x 7.5 -> 8 x 6): max at (1, 4) -> centre (floor(1.5 * 5), floor(4.5 * 5)) = (7, 22).
    const auto coarse = map_with_extremes(6, 8, {1, 4}, {6, 0});
    struct expectation {
        const saliency_map* map;
        region policy;
        index_t cx;
        index_t cy;
    };
    const expectation cases[] = {{&full, region::salient, 37, 4},
                                 {&full, region::non_salient, 12, 20},
                                 {&coarse, region::salient, 7, 22},
                                 {&coarse, region::non_salient, 32, 2}};
    for (const auto& expected : cases) {
        const resizemix::resize_mix mixer{.paste_region = expected.policy};
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            image<TestType> out(3, 30, 40);
            rng random(seed);
            const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random,
                                        resizemix::pair_saliency{saliency_map{}, *expected.map});
            CAPTURE(resizemix::to_string(expected.policy), seed, info);
            check_resize_mix_info(mixer, info, 45, 30, 40, 30);
            CHECK(info.box == centred(expected.cx, expected.cy, info.box.width, info.box.height, 40, 30));
            check_resize_mix_pixels<TestType>(source.const_view(), target.const_view(), out.const_view(), info);
        }
    }
    // A policy that needs a map and none given is an error, not a silent fallback.
    image<TestType> out(3, 30, 40);
    rng random(1);
    const resizemix::resize_mix salient{.paste_region = region::salient};
    CHECK_THROWS_WITH(salient(source.const_view(), target.const_view(), out.view(), random),
                      Contains("paste_region salient needs a saliency map of the target image"));
    CHECK_THROWS_AS(salient(source.const_view(), target.const_view(), out.view(), random,
                            resizemix::pair_saliency{full, saliency_map{}}),
                    resizemix::error);
}

TEST_CASE("resize_mix draws tau uniformly and the paste position uniformly", "[mixers][resizemix][statistics]") {
    const auto source = test_support::noise_image<std::uint8_t>(1, 16, 20, 1);
    const auto target = test_support::noise_image<std::uint8_t>(1, 16, 20, 2);
    image<std::uint8_t> out(1, 16, 20);
    constexpr int draws = 2000;

    // tau ~ U(0.1, 0.8): KS test; the paste box always fits and both extreme positions occur.
    const resizemix::resize_mix mixer{};
    rng random(2024);
    std::vector<double> taus;
    bool left_edge = false;
    bool right_edge = false;
    for (int i = 0; i < draws; ++i) {
        const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random);
        taus.push_back(info.tau);
        REQUIRE(info.box.inside(20, 16));
        left_edge = left_edge || info.box.x == 0;
        right_edge = right_edge || info.box.x == 20 - info.box.width;
    }
    const auto cdf = [](double t) { return std::clamp((t - 0.1) / 0.7, 0.0, 1.0); };
    CHECK(test_support::ks_statistic(taus, cdf) < test_support::ks_critical_0_1_percent(draws));
    CHECK(left_edge);
    CHECK(right_edge);

    // With tau fixed at 0.5 the box is 10 x 8: x uniform on [0, 10], y on [0, 8] (chi-square).
    const resizemix::resize_mix half{.scale_min = 0.5f, .scale_max = 0.5f};
    std::vector<long> x_counts(11, 0);
    std::vector<long> y_counts(9, 0);
    for (int i = 0; i < draws; ++i) {
        const mix_info info = half(source.const_view(), target.const_view(), out.view(), random);
        REQUIRE(info.box.width == 10);
        REQUIRE(info.box.height == 8);
        ++x_counts[static_cast<std::size_t>(info.box.x)];
        ++y_counts[static_cast<std::size_t>(info.box.y)];
        REQUIRE(info.lambda == 0.25);
    }
    CHECK(test_support::chi_square_uniform(x_counts) < test_support::chi_square_critical_0_1_percent(10));
    CHECK(test_support::chi_square_uniform(y_counts) < test_support::chi_square_critical_0_1_percent(8));
}

// ===================================== CutMix =====================================

TEMPLATE_TEST_CASE("cut_mix inside: box side round(sqrt(1 - beta) * W), exact lambda, source pixels in the box",
                   "[mixers][cutmix]", std::uint8_t, float) {
    // alpha 1, random source region, corresponding paste, the whole box inside the image
    const resizemix::cut_mix mixer{.box_sampling = resizemix::box_sampling::inside};
    for (const auto layout : layouts) {
        const auto source = test_support::noise_image<TestType>(3, 21, 34, 13, layout);
        const auto target = test_support::noise_image<TestType>(3, 21, 34, 14, layout);
        for (std::uint64_t seed = 0; seed < 40; ++seed) {
            image<TestType> out(3, 21, 34, layout);
            rng random(seed);
            rng replay = random;
            const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random);
            CAPTURE(seed, info);
            // Documented draw order: the Beta weight, then x and y of the source box.
            const double target_share = replay.beta(1.0);
            const double side = std::sqrt(1.0 - target_share);
            CHECK(info.box.width == round_half_up(side * 34.0));
            CHECK(info.box.height == round_half_up(side * 21.0));
            CHECK(info.lambda == static_cast<double>(info.box.area()) / (34.0 * 21.0));
            CHECK(info.tau == 0.0);
            CHECK(info.method == "cutmix");
            if (!info.box.empty()) {
                CHECK(info.source_box.x == replay.integer(0, 34 - info.box.width));
                CHECK(info.source_box.y == replay.integer(0, 21 - info.box.height));
                CHECK(info.box == info.source_box);  // corresponding
                CHECK(info.box.inside(34, 21));
            }
            check_cut_mix_pixels<TestType>(source.const_view(), target.const_view(), out.const_view(), info);
        }
    }
}

TEMPLATE_TEST_CASE("cut_mix: every source_region x paste_region combination lands where Appendix A says",
                   "[mixers][cutmix]", std::uint8_t, float) {
    constexpr index_t width = 32, height = 24;
    const auto source = test_support::noise_image<TestType>(3, height, width, 15);
    const auto target = test_support::noise_image<TestType>(3, height, width, 16);
    // Source map: max at (5, 6), min at (25, 18). Target map (half resolution, 16 x 12):
    // max at (14, 1) -> image centre (29, 3); min at (1, 10) -> image centre (3, 21).
    const resizemix::pair_saliency maps{map_with_extremes(height, width, {5, 6}, {25, 18}),
                                        map_with_extremes(12, 16, {14, 1}, {1, 10})};
    const auto source_centre = [](region policy) {
        return policy == region::salient ? std::pair<index_t, index_t>{5, 6} : std::pair<index_t, index_t>{25, 18};
    };
    const auto paste_centre = [](region policy) {
        return policy == region::salient ? std::pair<index_t, index_t>{29, 3} : std::pair<index_t, index_t>{3, 21};
    };

    for (const region source_region : {region::random, region::salient, region::non_salient}) {
        for (const region paste_region : {region::corresponding, region::random, region::salient, region::non_salient}) {
            const resizemix::cut_mix mixer{.alpha = 1.0f, .source_region = source_region, .paste_region = paste_region};
            std::set<std::pair<index_t, index_t>> source_positions;
            std::set<std::pair<index_t, index_t>> paste_positions;
            for (std::uint64_t seed = 0; seed < 30; ++seed) {
                image<TestType> out(3, height, width);
                rng random(seed);
                const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random, maps);
                CAPTURE(resizemix::to_string(source_region), resizemix::to_string(paste_region), seed, info);
                CHECK(info.lambda == static_cast<double>(info.box.area()) / static_cast<double>(width * height));
                check_cut_mix_pixels<TestType>(source.const_view(), target.const_view(), out.const_view(), info);
                if (info.box.empty()) continue;
                const index_t w = info.box.width;
                const index_t h = info.box.height;
                CHECK(info.source_box.width == w);
                CHECK(info.source_box.height == h);
                CHECK(info.source_box.inside(width, height));
                CHECK(info.box.inside(width, height));
                if (source_region != region::random) {
                    const auto [cx, cy] = source_centre(source_region);
                    CHECK(info.source_box == centred(cx, cy, w, h, width, height));
                }
                if (paste_region == region::corresponding) {
                    CHECK(info.box == info.source_box);
                } else if (paste_region != region::random) {
                    const auto [cx, cy] = paste_centre(paste_region);
                    CHECK(info.box == centred(cx, cy, w, h, width, height));
                }
                source_positions.insert({info.source_box.x, info.source_box.y});
                paste_positions.insert({info.box.x, info.box.y});
            }
            // Random regions really move about (positions are spread over many draws).
            if (source_region == region::random) CHECK(source_positions.size() > 5);
            if (paste_region == region::random) CHECK(paste_positions.size() > 5);
        }
    }
}

TEST_CASE("cut_mix inside: lambda averages 1/2 for alpha = 1", "[mixers][cutmix][statistics]") {
    const auto source = test_support::noise_image<std::uint8_t>(1, 100, 100, 1);
    const auto target = test_support::noise_image<std::uint8_t>(1, 100, 100, 2);
    image<std::uint8_t> out(1, 100, 100);
    const resizemix::cut_mix mixer{.box_sampling = resizemix::box_sampling::inside};
    rng random(77);
    constexpr int draws = 4000;
    double sum = 0.0;
    int above_half = 0;
    for (int i = 0; i < draws; ++i) {
        const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random);
        REQUIRE(info.lambda >= 0.0);
        REQUIRE(info.lambda <= 1.0);
        sum += info.lambda;
        above_half += info.lambda > 0.5 ? 1 : 0;
    }
    // lambda ~ 1 - Beta(1, 1) = U(0, 1) up to rounding: sd 0.2887, standard error 0.0046.
    CHECK(std::abs(sum / draws - 0.5) < 5.0 * 0.2887 / std::sqrt(static_cast<double>(draws)));
    CHECK(std::abs(above_half - draws / 2) < 5 * 32);  // Binomial(4000, 1/2): sd 31.6
}

TEMPLATE_TEST_CASE("cut_mix clip (the default): the CutMix paper's rand_bbox, replayed draw by draw",
                   "[mixers][cutmix]", std::uint8_t, float) {
    const resizemix::cut_mix mixer{};
    CHECK(mixer.box_sampling == resizemix::box_sampling::clip);
    for (const auto layout : layouts) {
        const auto source = test_support::noise_image<TestType>(3, 21, 34, 13, layout);
        const auto target = test_support::noise_image<TestType>(3, 21, 34, 14, layout);
        int clipped = 0;
        for (std::uint64_t seed = 0; seed < 60; ++seed) {
            image<TestType> out(3, 21, 34, layout);
            rng random(seed);
            rng replay = random;
            const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random);
            CAPTURE(seed, info);
            // Yun et al., Algorithm A1 / the authors' rand_bbox: cut_w = int(W * sqrt(1 - lam)),
            // cx = randint(W), x1 = clip(cx - cut_w // 2, 0, W), x2 = clip(cx + cut_w // 2, 0, W).
            const double cut_ratio = std::sqrt(1.0 - replay.beta(1.0));
            const auto cut_w = static_cast<index_t>(34.0 * cut_ratio);
            const auto cut_h = static_cast<index_t>(21.0 * cut_ratio);
            const index_t cx = replay.integer(0, 33);
            const index_t cy = replay.integer(0, 20);
            const index_t x1 = std::clamp<index_t>(cx - cut_w / 2, 0, 34);
            const index_t x2 = std::clamp<index_t>(cx + cut_w / 2, 0, 34);
            const index_t y1 = std::clamp<index_t>(cy - cut_h / 2, 0, 21);
            const index_t y2 = std::clamp<index_t>(cy + cut_h / 2, 0, 21);
            if (x2 <= x1 || y2 <= y1) {
                CHECK(info.box.empty());
                CHECK(info.lambda == 0.0);
            } else {
                CHECK(info.source_box == box{x1, y1, x2 - x1, y2 - y1});
                CHECK(info.box == info.source_box);  // corresponding
                clipped += (x2 - x1 < 2 * (cut_w / 2) || y2 - y1 < 2 * (cut_h / 2)) ? 1 : 0;
            }
            // lambda is the exact share of the clipped box: the authors' 1 - adjusted lam.
            CHECK(info.lambda == static_cast<double>((x2 - x1) * (y2 - y1)) / (34.0 * 21.0));
            check_cut_mix_pixels<TestType>(source.const_view(), target.const_view(), out.const_view(), info);
        }
        CHECK(clipped > 10);  // the border really clips boxes
    }
}

namespace {

/// The two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs.
double ks_statistic(std::vector<double> a, std::vector<double> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    double largest = 0.0;
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const double value = std::min(a[i], b[j]);
        while (i < a.size() && a[i] <= value) ++i;
        while (j < b.size() && b[j] <= value) ++j;
        largest = std::max(largest, std::abs(static_cast<double>(i) / static_cast<double>(a.size()) -
                                             static_cast<double>(j) / static_cast<double>(b.size())));
    }
    return largest;
}

/// The source share of one box drawn by the published CutMix pseudo-code (Yun et al. 2019,
/// Algorithm A1, and the authors' rand_bbox), with this library's rng as the random source.
double reference_cutmix_share(index_t width, index_t height, double alpha, rng& random) {
    const double lam = random.beta(alpha);
    const double cut_rat = std::sqrt(1.0 - lam);
    const auto cut_w = static_cast<index_t>(static_cast<double>(width) * cut_rat);
    const auto cut_h = static_cast<index_t>(static_cast<double>(height) * cut_rat);
    const index_t cx = random.integer(0, width - 1);
    const index_t cy = random.integer(0, height - 1);
    const index_t bbx1 = std::clamp<index_t>(cx - cut_w / 2, 0, width);
    const index_t bby1 = std::clamp<index_t>(cy - cut_h / 2, 0, height);
    const index_t bbx2 = std::clamp<index_t>(cx + cut_w / 2, 0, width);
    const index_t bby2 = std::clamp<index_t>(cy + cut_h / 2, 0, height);
    // lam = 1 - box area / (W * H) is the target's weight; the source's is the box's share
    // (computed directly: 1 - (1 - share) would differ in the last bit and split ties).
    return static_cast<double>((bbx2 - bbx1) * (bby2 - bby1)) / static_cast<double>(width * height);
}

}  // namespace

TEST_CASE("cut_mix's default lambda distribution matches the reference CutMix sampler (two-sample KS)",
          "[mixers][cutmix][statistics]") {
    constexpr int draws = 20000;
    // Critical value of the two-sample KS test at alpha = 0.001 for n = m = 20000:
    // 1.95 * sqrt(2 / 20000) = 0.0195 (conservative for these discrete distributions).
    const double critical = 1.95 * std::sqrt(2.0 / draws);
    for (const auto& [width, height, alpha] : {std::tuple<index_t, index_t, float>{28, 28, 1.0f},
                                               std::tuple<index_t, index_t, float>{32, 24, 0.4f}}) {
        CAPTURE(width, height, alpha);
        const auto source = test_support::noise_image<std::uint8_t>(1, height, width, 1);
        const auto target = test_support::noise_image<std::uint8_t>(1, height, width, 2);
        image<std::uint8_t> out(1, height, width);
        const auto shares = [&](const resizemix::cut_mix& mixer, std::uint64_t seed) {
            std::vector<double> lambdas;
            rng random(seed);
            for (int k = 0; k < draws; ++k) {
                lambdas.push_back(mixer(source.const_view(), target.const_view(), out.view(), random).lambda);
            }
            return lambdas;
        };
        std::vector<double> reference;
        rng reference_random(12345);  // another stream: the samples are independent
        for (int k = 0; k < draws; ++k) reference.push_back(reference_cutmix_share(width, height, alpha, reference_random));

        const auto clipped = shares(resizemix::cut_mix{.alpha = alpha}, 7);
        CHECK(ks_statistic(clipped, reference) < critical);
        // The test has power: today's inside boxes are a different distribution.
        const auto inside = shares(resizemix::cut_mix{.alpha = alpha, .box_sampling = resizemix::box_sampling::inside}, 7);
        CHECK(ks_statistic(inside, reference) > 5.0 * critical);
    }
    // The means the issue quotes for 28 x 28 and alpha = 1: about 0.30 against 0.50.
    const auto source = test_support::noise_image<std::uint8_t>(1, 28, 28, 1);
    image<std::uint8_t> out(1, 28, 28);
    double clipped_sum = 0.0, inside_sum = 0.0;
    rng a(1), b(1);
    for (int k = 0; k < draws; ++k) {
        clipped_sum += resizemix::cut_mix{}(source.const_view(), source.const_view(), out.view(), a).lambda;
        inside_sum += resizemix::cut_mix{.box_sampling = resizemix::box_sampling::inside}(
                          source.const_view(), source.const_view(), out.view(), b).lambda;
    }
    CHECK(clipped_sum / draws == Approx(0.30).margin(0.02));
    CHECK(inside_sum / draws == Approx(0.50).margin(0.02));
}

TEST_CASE("cut_mix box_sampling: salient policies ignore it, bad values are refused", "[mixers][cutmix]") {
    const auto source = test_support::noise_image<float>(3, 24, 32, 15);
    const auto target = test_support::noise_image<float>(3, 24, 32, 16);
    const resizemix::pair_saliency maps{map_with_extremes(24, 32, {5, 6}, {25, 18}),
                                        map_with_extremes(24, 32, {5, 6}, {25, 18})};
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        image<float> out_clip(3, 24, 32), out_inside(3, 24, 32);
        rng r1(seed), r2(seed);
        const auto clip_info = resizemix::cut_mix{.source_region = region::salient}(
            source.const_view(), target.const_view(), out_clip.view(), r1, maps);
        const auto inside_info =
            resizemix::cut_mix{.source_region = region::salient, .box_sampling = resizemix::box_sampling::inside}(
                source.const_view(), target.const_view(), out_inside.view(), r2, maps);
        CHECK(clip_info.box == inside_info.box);
        CHECK(clip_info.box.inside(32, 24));
    }
    CHECK(std::string(resizemix::to_string(resizemix::box_sampling::clip)) == "clip");
    CHECK(std::string(resizemix::to_string(resizemix::box_sampling::inside)) == "inside");
    image<float> out(3, 24, 32);
    rng random(0);
    CHECK_THROWS_WITH((resizemix::cut_mix{.box_sampling = static_cast<resizemix::box_sampling>(7)}(
                          source.const_view(), target.const_view(), out.view(), random)),
                      Contains("box_sampling must be clip or inside"));
}

TEMPLATE_TEST_CASE("cut_mix in place and with the output overlapping the source", "[mixers][cutmix]",
                   std::uint8_t, float) {
    const resizemix::cut_mix mixer{.alpha = 0.7f, .source_region = region::random, .paste_region = region::random};
    const auto source = test_support::noise_image<TestType>(3, 19, 23, 17, memory_layout::chw);
    const auto target = test_support::noise_image<TestType>(3, 19, 23, 18, memory_layout::chw);
    for (std::uint64_t seed = 0; seed < 15; ++seed) {
        image<TestType> expected(3, 19, 23, memory_layout::chw);
        rng first(seed);
        const mix_info expected_info = mixer(source.const_view(), target.const_view(), expected.view(), first);

        image<TestType> in_place = target;
        rng second(seed);
        const mix_info info = mixer(source.const_view(), in_place.view(), in_place.view(), second);
        CHECK(info.box == expected_info.box);
        CHECK(same_bytes(in_place, expected));

        // Writing over the source itself: the cut must be taken before it is overwritten.
        image<TestType> over_source = source;
        rng third(seed);
        const mix_info source_info = mixer(over_source.view(), target.const_view(), over_source.view(), third);
        CHECK(source_info.source_box == expected_info.source_box);
        CHECK(same_bytes(over_source, expected));

        // An output that overlaps the target shifted by one column must still read the original target.
        image<TestType> canvas(3, 19, 24, memory_layout::chw);
        resizemix::copy(target.const_view(), canvas.view().subview(box{1, 0, 23, 19}));
        rng fourth(seed);
        mixer(source.const_view(), image_view<const TestType>(canvas.view().subview(box{1, 0, 23, 19})),
              canvas.view().subview(box{0, 0, 23, 19}), fourth);
        CHECK(test_support::same_values(canvas.const_view().subview(box{0, 0, 23, 19}), expected.const_view()));
    }
}

TEST_CASE("cut_mix refuses bad parameters, sizes and missing maps", "[mixers][cutmix]") {
    const auto source = test_support::noise_image<float>(3, 10, 12, 1);
    const auto target = test_support::noise_image<float>(3, 10, 12, 2);
    image<float> out(3, 10, 12);
    rng random(3);
    const auto mix = [&](const resizemix::cut_mix& mixer) {
        return mixer(source.const_view(), target.const_view(), out.view(), random);
    };
    CHECK_THROWS_WITH(mix({.source_region = region::corresponding}), Contains("source_region corresponding"));
    CHECK_THROWS_WITH(mix({.alpha = 0.0f}), Contains("alpha must be finite and > 0, got 0"));
    CHECK_THROWS_AS(mix({.alpha = -1.0f}), resizemix::error);
    CHECK_THROWS_AS(mix({.alpha = std::numeric_limits<float>::quiet_NaN()}), resizemix::error);
    CHECK_THROWS_AS(mix({.alpha = std::numeric_limits<float>::infinity()}), resizemix::error);
    CHECK_THROWS_WITH(mix({.source_region = region::salient}),
                      Contains("source_region salient needs a saliency map of the source image"));
    CHECK_THROWS_WITH(mix({.paste_region = region::non_salient}),
                      Contains("paste_region non-salient needs a saliency map of the target image"));

    const auto gray = test_support::noise_image<float>(1, 10, 12, 5);
    CHECK_THROWS_AS(resizemix::cut_mix{}(gray.const_view(), target.const_view(), out.view(), random), resizemix::error);
    // Nothing was drawn by the refused calls.
    CHECK(random.position() == 0);
}

TEST_CASE("cut_mix asks a saliency callback for the right image and size", "[mixers][cutmix]") {
    const auto source = test_support::noise_image<std::uint8_t>(3, 10, 12, 1);
    const auto target = test_support::noise_image<std::uint8_t>(3, 10, 12, 2);
    image<std::uint8_t> out(3, 10, 12);
    std::vector<resizemix::saliency_query> queries;
    const resizemix::saliency_callback callback = [&](const resizemix::saliency_query& query) {
        queries.push_back(query);
        saliency_map map(query.height, query.width);
        map(query.height - 1, query.role == resizemix::image_role::source ? 0 : query.width - 1) = 5.0f;
        return map;
    };
    const resizemix::cut_mix mixer{.alpha = 2.0f, .source_region = region::salient, .paste_region = region::salient};
    rng random(4);
    const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random, callback);
    REQUIRE(queries.size() == 2);
    CHECK(queries[0].role == resizemix::image_role::source);
    CHECK(queries[1].role == resizemix::image_role::target);
    CHECK(queries[0].image_index == -1);
    for (const auto& query : queries) {
        CHECK(query.height == 10);
        CHECK(query.width == 12);
    }
    // Bottom-left of the source is pasted into the bottom-right of the target.
    REQUIRE_FALSE(info.box.empty());
    CHECK(info.source_box == centred(0, 9, info.box.width, info.box.height, 12, 10));
    CHECK(info.box == centred(11, 9, info.box.width, info.box.height, 12, 10));
    check_cut_mix_pixels<std::uint8_t>(source.const_view(), target.const_view(), out.const_view(), info);
}

// ===================================== Mixup =====================================

TEMPLATE_TEST_CASE("mixup blends every pixel as lambda * source + (1 - lambda) * target", "[mixers][mixup]",
                   std::uint8_t, float) {
    for (const auto layout : layouts) {
        const auto source = test_support::noise_image<TestType>(3, 13, 17, 19, layout);
        const auto target = test_support::noise_image<TestType>(3, 13, 17, 20, layout);
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            const resizemix::mixup mixer{.alpha = 0.4f};
            image<TestType> out(3, 13, 17, layout);
            rng random(seed);
            rng replay = random;
            const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random);
            CAPTURE(seed, info);
            CHECK(info.lambda == replay.beta(mixer.alpha));  // one Beta draw
            CHECK(info.box == box{0, 0, 17, 13});
            CHECK(info.source_box == box{0, 0, 17, 13});
            CHECK(info.method == "mixup");
            const double lambda = info.lambda;
            long wrong = 0;
            for (index_t c = 0; c < 3; ++c)
                for (index_t y = 0; y < 13; ++y)
                    for (index_t x = 0; x < 17; ++x) {
                        const double exact = lambda * static_cast<double>(source(c, y, x)) +
                                             (1.0 - lambda) * static_cast<double>(target(c, y, x));
                        const double actual = static_cast<double>(out(c, y, x));
                        if constexpr (std::is_same_v<TestType, std::uint8_t>) {
                            // Round to nearest; a value within float precision of a .5 may go either way.
                            const bool near_half = std::abs(exact - std::floor(exact) - 0.5) < 1e-4;
                            if (!near_half && actual != std::floor(exact + 0.5)) ++wrong;
                            if (near_half && std::abs(actual - exact) > 0.5001) ++wrong;
                        } else {
                            if (std::abs(actual - exact) > 1e-6) ++wrong;
                        }
                    }
            CHECK(wrong == 0);
        }
    }
}

TEMPLATE_TEST_CASE("mixup in place over the target or the source equals out of place", "[mixers][mixup]",
                   std::uint8_t, float) {
    const resizemix::mixup mixer{};
    const auto source = test_support::noise_image<TestType>(3, 9, 11, 21);
    const auto target = test_support::noise_image<TestType>(3, 9, 11, 22);
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
        image<TestType> expected(3, 9, 11);
        rng first(seed);
        const mix_info info = mixer(source.const_view(), target.const_view(), expected.view(), first);

        image<TestType> over_target = target;
        rng second(seed);
        CHECK(mixer(source.const_view(), over_target.view(), over_target.view(), second).lambda == info.lambda);
        CHECK(same_bytes(over_target, expected));

        image<TestType> over_source = source;
        rng third(seed);
        CHECK(mixer(over_source.view(), target.const_view(), over_source.view(), third).lambda == info.lambda);
        CHECK(same_bytes(over_source, expected));

        // An output that overlaps the target shifted by one row is staged correctly.
        image<TestType> canvas(3, 10, 11);
        resizemix::copy(target.const_view(), canvas.view().subview(box{0, 1, 11, 9}));
        rng fourth(seed);
        mixer(source.const_view(), image_view<const TestType>(canvas.view().subview(box{0, 1, 11, 9})),
              canvas.view().subview(box{0, 0, 11, 9}), fourth);
        CHECK(test_support::same_values(canvas.const_view().subview(box{0, 0, 11, 9}), expected.const_view()));
    }
}

TEST_CASE("mixup refuses bad alpha and mismatched sizes", "[mixers][mixup]") {
    const auto source = test_support::noise_image<float>(3, 6, 6, 1);
    const auto target = test_support::noise_image<float>(3, 6, 6, 2);
    image<float> out(3, 6, 6);
    rng random(1);
    CHECK_THROWS_WITH(resizemix::mixup{.alpha = 0.0f}(source.const_view(), target.const_view(), out.view(), random),
                      Contains("mixup") && Contains("alpha"));
    CHECK_THROWS_AS(resizemix::mixup{.alpha = std::numeric_limits<float>::quiet_NaN()}(
                        source.const_view(), target.const_view(), out.view(), random),
                    resizemix::error);
    const auto gray = test_support::noise_image<float>(1, 6, 6, 3);
    CHECK_THROWS_WITH(resizemix::mixup{}(gray.const_view(), target.const_view(), out.view(), random),
                      Contains("source has 1 channels but target has 3"));
    // Mixup accepts (and ignores) a saliency provider, like the other mixers.
    CHECK_NOTHROW(resizemix::mixup{}(source.const_view(), target.const_view(), out.view(), random,
                                     resizemix::no_saliency{}));
}

TEMPLATE_TEST_CASE("plan draws what operator() draws and render fills only the box", "[mixers]", std::uint8_t,
                   float) {
    const auto source = test_support::noise_image<TestType>(3, 20, 30, 25);
    const auto target = test_support::noise_image<TestType>(3, 20, 30, 26);
    const auto check_two_steps = [&](const auto& mixer) {
        for (std::uint64_t seed = 0; seed < 5; ++seed) {
            image<TestType> whole(3, 20, 30);
            rng first(seed);
            const mix_info expected = mixer(source.const_view(), target.const_view(), whole.view(), first);

            rng second(seed);
            const mix_info planned = mixer.plan(source.const_view(), target.const_view(), second, resizemix::no_saliency{});
            CHECK(planned.box == expected.box);
            CHECK(planned.source_box == expected.source_box);
            CHECK(planned.lambda == expected.lambda);
            CHECK(planned.tau == expected.tau);
            CHECK(second.position() == first.position());  // the same draws
            if (planned.box.empty()) continue;
            // The target outside the box, the rendered patch inside: the same pixels as one call.
            image<TestType> two_steps = target;
            mixer.render(planned, source.const_view(), target.const_view(), two_steps.view().subview(planned.box));
            CHECK(same_bytes(two_steps, whole));
        }
    };
    check_two_steps(resizemix::resize_mix{});
    check_two_steps(resizemix::cut_mix{.paste_region = region::random});
    check_two_steps(resizemix::mixup{.alpha = 0.5f});
}

// ===================================== All mixers =====================================

TEMPLATE_TEST_CASE("every mixer gives identical bytes for the same seed and differs for another",
                   "[mixers]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 32, 32, 23);
    const auto target = test_support::noise_image<TestType>(3, 32, 32, 24);
    const resizemix::pair_saliency maps{map_with_extremes(8, 8, {2, 2}, {6, 5}), map_with_extremes(32, 32, {20, 9}, {3, 30})};

    const auto run = [&](const auto& mixer, std::uint64_t seed) {
        image<TestType> out(3, 32, 32);
        rng random(seed);
        const mix_info info = mixer(source.const_view(), target.const_view(), out.view(), random, maps);
        return std::pair<image<TestType>, mix_info>{std::move(out), info};
    };
    const auto check_mixer = [&](const auto& mixer) {
        const auto [first, first_info] = run(mixer, 1234);
        const auto [second, second_info] = run(mixer, 1234);
        CHECK(same_bytes(first, second));
        CHECK(first_info.box == second_info.box);
        CHECK(first_info.source_box == second_info.source_box);
        CHECK(first_info.lambda == second_info.lambda);
        CHECK(first_info.tau == second_info.tau);
        bool some_seed_differs = false;
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            const auto [other, other_info] = run(mixer, seed);
            some_seed_differs = some_seed_differs || !same_bytes(other, first);
        }
        CHECK(some_seed_differs);
    };
    check_mixer(resizemix::resize_mix{});
    check_mixer(resizemix::resize_mix{.paste_region = region::salient});
    check_mixer(resizemix::cut_mix{});
    check_mixer(resizemix::cut_mix{.source_region = region::salient, .paste_region = region::random});
    check_mixer(resizemix::cut_mix{.source_region = region::non_salient, .paste_region = region::non_salient});
    check_mixer(resizemix::mixup{});
}

TEMPLATE_TEST_CASE("mixers accept owning images as well as views", "[mixers]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 20, 24, 1);
    image<TestType> target = test_support::noise_image<TestType>(3, 20, 24, 2);
    const image<TestType> original_target = target;
    image<TestType> out(3, 20, 24);
    image<TestType> expected(3, 20, 24);
    rng a(5), b(5);
    const mix_info owned = resizemix::resize_mix{}(source, target, out, a);  // images, no .view()
    const mix_info viewed = resizemix::resize_mix{}(source.const_view(), target.const_view(), expected.view(), b);
    CHECK(owned.box == viewed.box);
    CHECK(std::equal(out.const_view().data_handle(), out.const_view().data_handle() + out.const_view().size(),
                     expected.const_view().data_handle()));
    // In place on an owning image, through a combinator too.
    const auto mixer = resizemix::one_of({{resizemix::cut_mix{}, 1.0}, {resizemix::mixup{}, 1.0}});
    rng c(6);
    (void)mixer(source, target, target, c);
    CHECK(!std::equal(target.const_view().data_handle(), target.const_view().data_handle() + target.const_view().size(),
                      original_target.const_view().data_handle()));
}

TEMPLATE_TEST_CASE("cut_mix and mixup read a source of another size as if resized to the target's size",
                   "[mixers]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 37, 50, 21);  // 50 x 37
    const auto target = test_support::noise_image<TestType>(3, 24, 32, 22);  // 32 x 24
    // The documented mapping: the source resized (bilinear, pixel centres) to 32 x 24 first.
    image<TestType> resized(3, 24, 32);
    resizemix::resize(source.const_view(), resized.view(), resizemix::interpolation::bilinear);
    const auto same = [](const image<TestType>& a, const image<TestType>& b) {
        for (index_t c = 0; c < 3; ++c)
            for (index_t y = 0; y < a.const_view().height(); ++y)
                for (index_t x = 0; x < a.const_view().width(); ++x)
                    if (!(a.const_view()(c, y, x) == b.const_view()(c, y, x))) return false;
        return true;
    };
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        CAPTURE(seed);
        for (const region paste : {region::corresponding, region::random}) {
            image<TestType> direct(3, 24, 32), expected(3, 24, 32);
            rng a(seed), b(seed);
            const resizemix::cut_mix mixer{.paste_region = paste};
            const mix_info info = mixer(source, target, direct, a);
            const mix_info reference = mixer(resized, target, expected, b);
            CHECK(info.box == reference.box);
            CHECK(info.source_box == reference.source_box);  // in the resized source's coordinates
            CHECK(info.source_box.inside(32, 24));
            CHECK(info.lambda == reference.lambda);
            CHECK(same(direct, expected));
        }
        image<TestType> blended(3, 24, 32), expected(3, 24, 32);
        rng a(seed), b(seed);
        (void)resizemix::mixup{}(source, target, blended, a);
        (void)resizemix::mixup{}(resized, target, expected, b);
        CHECK(same(blended, expected));
        // In place, with the target as out.
        image<TestType> in_place = target;
        rng c(seed);
        (void)resizemix::mixup{}(source, in_place, in_place, c);
        CHECK(same(in_place, expected));
    }
}
