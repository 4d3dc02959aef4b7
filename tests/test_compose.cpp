// Tests for resizemix/compose.hpp: one_of (compile-time and type-erased),
// sometimes, any_mixer; branch frequencies, records of what ran, untouched
// samples when nothing ran, and parameter checks.
#include <array>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;

static_assert(mixer<resize_mix> && mixer<cut_mix> && mixer<mixup> && mixer<any_mixer>);
static_assert(mixer<one_of_mixer<resize_mix, cut_mix>> && mixer<one_of_any> && mixer<sometimes_mixer<mixup>>);
static_assert(!mixer<int> && !mixer<saliency_map>);

TEST_CASE("one_of picks branches with probability proportional to their weights", "[compose]") {
    const auto composed = one_of(weighted{resize_mix{}, 3.0}, weighted{cut_mix{}, 1.0});
    auto source = test_support::noise_image<std::uint8_t>(3, 20, 20, 1);
    auto target = test_support::noise_image<std::uint8_t>(3, 20, 20, 2);
    image<std::uint8_t> out(3, 20, 20);
    rng random(5);
    std::array<long, 2> counts{0, 0};
    constexpr int draws = 4000;
    for (int k = 0; k < draws; ++k) {
        const mix_info info = composed(source.const_view(), target.const_view(), out.view(), random);
        REQUIRE((info.choice == 0 || info.choice == 1));
        CHECK(info.method == (info.choice == 0 ? "resizemix" : "cutmix"));
        ++counts[static_cast<std::size_t>(info.choice)];
    }
    // Binomial(4000, 0.75): standard deviation about 27; allow 4.5 of them.
    CHECK(std::abs(counts[0] - 3000) < 125);
}

TEST_CASE("one_of over any_mixer draws the same choices and pixels as the compile-time one_of", "[compose]") {
    const auto typed = one_of(weighted{resize_mix{}, 1.0}, weighted{mixup{}, 2.0});
    const auto erased = one_of({{resize_mix{}, 1.0}, {mixup{}, 2.0}});
    auto source = test_support::noise_image<float>(3, 17, 13, 3);
    auto target = test_support::noise_image<float>(3, 17, 13, 4);
    rng a(9), b(9);
    for (int k = 0; k < 20; ++k) {
        image<float> out_a(3, 17, 13), out_b(3, 17, 13);
        const mix_info info_a = typed(source.const_view(), target.const_view(), out_a.view(), a);
        const mix_info info_b = erased(source.const_view(), target.const_view(), out_b.view(), b);
        CHECK(info_a.choice == info_b.choice);
        CHECK(info_a.lambda == info_b.lambda);
        CHECK(test_support::same_values(out_a.const_view(), out_b.const_view()));
    }
}

TEST_CASE("sometimes leaves the target untouched with lambda 0 when it does not mix", "[compose]") {
    auto source = test_support::noise_image<std::uint8_t>(3, 16, 16, 5);
    auto target = test_support::noise_image<std::uint8_t>(3, 16, 16, 6);
    rng random(3);
    int mixed = 0;
    for (int k = 0; k < 400; ++k) {
        image<std::uint8_t> out(3, 16, 16);
        const mix_info info = sometimes(resize_mix{}, 0.3)(source.const_view(), target.const_view(), out.view(), random);
        if (info.method != "none") {
            ++mixed;
            CHECK(info.method == "resizemix");
            CHECK(info.lambda > 0.0);
        } else {
            CHECK(info.method == "none");
            CHECK(info.lambda == 0.0);
            CHECK(info.box.empty());
            CHECK(test_support::same_values(out.const_view(), target.const_view()));
        }
    }
    CHECK(mixed > 80);  // Binomial(400, 0.3): mean 120, sd about 9
    CHECK(mixed < 160);

    image<std::uint8_t> out(3, 16, 16);
    for (int k = 0; k < 20; ++k) {
        CHECK(sometimes(cut_mix{}, 0.0)(source.const_view(), target.const_view(), out.view(), random).method == "none");
        CHECK(sometimes(mixup{}, 1.0)(source.const_view(), target.const_view(), out.view(), random).method == "mixup");
    }
}

TEST_CASE("any_mixer behaves exactly like the mixer it holds", "[compose]") {
    const any_mixer erased = resize_mix{.scale_min = 0.3f, .scale_max = 0.6f};
    auto source = test_support::noise_image<std::uint8_t>(3, 30, 40, 7);
    auto target = test_support::noise_image<std::uint8_t>(3, 30, 40, 8);
    image<std::uint8_t> out_a(3, 30, 40), out_b(3, 30, 40);
    rng a(4), b(4);
    const mix_info direct = resize_mix{.scale_min = 0.3f, .scale_max = 0.6f}(source.const_view(), target.const_view(),
                                                                              out_a.view(), a);
    const mix_info through = erased(source.const_view(), target.const_view(), out_b.view(), b);
    CHECK(direct.box == through.box);
    CHECK(direct.tau == through.tau);
    CHECK(test_support::same_values(out_a.const_view(), out_b.const_view()));
    // Configuration errors surface through the erasure too.
    const any_mixer broken = resize_mix{.scale_min = 0.0f};
    CHECK_THROWS_WITH(broken(source.const_view(), target.const_view(), out_a.view(), a), Contains("scale range"));
}

TEST_CASE("composition parameters are checked", "[compose]") {
    CHECK_THROWS_WITH(one_of(weighted{resize_mix{}, -1.0}, weighted{cut_mix{}, 1.0}),
                      Contains("weight 0 must be finite and >= 0"));
    CHECK_THROWS_WITH(one_of({{resize_mix{}, 0.0}, {cut_mix{}, 0.0}}), Contains("must not all be zero"));
    CHECK_THROWS_WITH(sometimes(resize_mix{}, 1.5), Contains("probability must be in [0, 1]"));
    CHECK_THROWS_AS(sometimes(resize_mix{}, std::nan("")), std::invalid_argument);
    // A misconfigured branch is reported even when another branch would have been drawn.
    const auto composed = one_of(weighted{resize_mix{}, 1.0}, weighted{cut_mix{.alpha = 0.0f}, 0.0});
    auto source = test_support::noise_image<float>(3, 8, 8, 1);
    image<float> out(3, 8, 8);
    rng random(1);
    CHECK_THROWS_WITH(composed(source.const_view(), source.const_view(), out.view(), random), Contains("alpha"));
}

TEST_CASE("nested one_of renders the branch each level chose", "[compose]") {
    // Inner branch 1 (cut_mix) under outer branch 0: the render must follow both choices.
    const auto nested = one_of({{one_of({{mixup{}, 0.0}, {cut_mix{}, 1.0}}), 1.0}, {resize_mix{}, 0.0}});
    auto source = test_support::noise_image<std::uint8_t>(3, 16, 16, 11);
    auto target = test_support::noise_image<std::uint8_t>(3, 16, 16, 12);
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        image<std::uint8_t> out(3, 16, 16);
        rng random(seed);
        const mix_info info = nested(source.const_view(), target.const_view(), out.view(), random);
        CHECK(info.method == "cutmix");
        CHECK(info.choice == 0);
        if (info.box.empty()) continue;
        // Inside the box: the source's source_box pixels, as CutMix (not Mixup) renders them.
        for (index_t y = 0; y < info.box.height; ++y)
            for (index_t x = 0; x < info.box.width; ++x)
                CHECK(out(0, info.box.y + y, info.box.x + x) ==
                      source(0, info.source_box.y + y, info.source_box.x + x));
    }
}

TEST_CASE("mix_batch records which branch ran for every sample", "[compose][batch]") {
    std::vector<std::uint8_t> pixels(20 * 12 * 12 * 3, 50);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 7);
    const std::vector<std::uint8_t> original = pixels;
    auto view = from_nhwc(pixels.data(), 20, 12, 12, 3);
    batch_options options;
    options.seed = 8;
    const auto result = mix_batch(sometimes(one_of({{resize_mix{}, 1.0}, {cut_mix{}, 1.0}}), 0.5), view, {}, view,
                                  options);
    int untouched = 0;
    for (index_t i = 0; i < 20; ++i) {
        const auto& info = result.samples[i].info;
        if (info.method == "none") {
            ++untouched;
            CHECK(info.lambda == 0.0);
            CHECK(std::equal(pixels.begin() + i * 432, pixels.begin() + (i + 1) * 432, original.begin() + i * 432));
        } else {
            CHECK((info.method == "resizemix" || info.method == "cutmix"));
        }
    }
    CHECK(untouched > 0);
    CHECK(untouched < 20);
}
