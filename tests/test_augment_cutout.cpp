// Tests for resizemix/augment/cutout.hpp: the authors' published algorithm (uoguelph-mlrg/Cutout,
// util/cutout.py) replayed draw by draw as a mask, clipping worked by hand, fill values, layouts and
// in place, Cutout as a mixer in mix_batch and inside pipelines, bad arguments, and the README's
// snippet for Cutout, AutoAugment and TrivialAugmentWide.
#include <algorithm>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/auto_augment.hpp>
#include <resizemix/augment/cutout.hpp>
#include <resizemix/augment/pipeline.hpp>
#include <resizemix/augment/rand_augment.hpp>
#include <resizemix/augment/trivial_augment.hpp>
#include <resizemix/batch.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/random.hpp>

#include "augment_support.hpp"

using Catch::Contains;
using resizemix::augment_op;
using resizemix::augment_stage;
using resizemix::box;
using resizemix::cutout;
using resizemix::image;
using resizemix::image_view;
using resizemix::index_t;

namespace {

/// The authors' Cutout.__call__ on an h x w image: a mask of ones with, per hole, y = randint(h),
/// x = randint(w) and mask[clip(y - L // 2) : clip(y + L // 2), clip(x - L // 2) : clip(x + L // 2)] = 0,
/// numpy's randint replaced by the library's rng in the same order.
std::vector<int> reference_mask(resizemix::rng& random, index_t height, index_t width, index_t length, int holes) {
    std::vector<int> mask(static_cast<std::size_t>(height * width), 1);
    for (int n = 0; n < holes; ++n) {
        const index_t y = random.integer(0, height - 1);
        const index_t x = random.integer(0, width - 1);
        const index_t y1 = std::clamp<index_t>(y - length / 2, 0, height);
        const index_t y2 = std::clamp<index_t>(y + length / 2, 0, height);
        const index_t x1 = std::clamp<index_t>(x - length / 2, 0, width);
        const index_t x2 = std::clamp<index_t>(x + length / 2, 0, width);
        for (index_t row = y1; row < y2; ++row)
            for (index_t column = x1; column < x2; ++column) mask[static_cast<std::size_t>(row * width + column)] = 0;
    }
    return mask;
}

/// `image` where the mask is 1, `fill` levels (per channel) where it is 0.
template <class T>
image<T> masked(image_view<const T> source, const std::vector<int>& mask, const std::vector<double>& fill) {
    image<T> result(source);
    for (index_t c = 0; c < source.channels(); ++c)
        for (index_t y = 0; y < source.height(); ++y)
            for (index_t x = 0; x < source.width(); ++x)
                if (mask[static_cast<std::size_t>(y * source.width() + x)] == 0) {
                    const double level = fill.empty() ? 0.0 : fill[fill.size() == 1 ? 0 : static_cast<std::size_t>(c)];
                    result(c, y, x) = test_support::level<T>(level);
                }
    return result;
}

}  // namespace

TEST_CASE("cutout holes are clipped at the border as the authors' code clips them", "[augment][cutout]") {
    CHECK(cutout::hole_at(5, 5, 4, 10, 12) == box{3, 3, 4, 4});
    CHECK(cutout::hole_at(0, 0, 4, 10, 12) == box{0, 0, 2, 2});
    CHECK(cutout::hole_at(9, 11, 4, 10, 12) == box{9, 7, 3, 3});
    CHECK(cutout::hole_at(9, 0, 16, 10, 12) == box{0, 1, 8, 9});
    CHECK(cutout::hole_at(4, 4, 5, 10, 12) == box{2, 2, 4, 4});  // odd L: L/2 each side, L - 1 in all
    CHECK(cutout::hole_at(4, 4, 1, 10, 12).empty());
    CHECK(cutout::hole_at(4, 4, 40, 10, 12) == box{0, 0, 12, 10});
    CHECK(cutout{.length = 7}.side_for(20, 30) == 7);
    CHECK(cutout{.length_fraction = 0.5}.side_for(20, 31) == 10);
    CHECK(cutout{.length_fraction = 0.25}.side_for(30, 18) == 5);  // round(4.5) away from zero
}

TEMPLATE_TEST_CASE("cutout replays the authors' algorithm draw by draw", "[augment][cutout]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 17, 23, 4);
    for (const cutout& parameters : {cutout{.length = 8}, cutout{.length = 6, .holes = 3}, cutout{.length = 9, .holes = 2},
                                    cutout{.length_fraction = 0.5, .holes = 2, .fill = {128.0}},
                                    cutout{.length = 10, .fill = {10.0, 200.0, 255.0}}}) {
        for (std::uint64_t seed = 0; seed < 25; ++seed) {
            resizemix::rng random(seed);
            resizemix::rng replay = random;
            image<TestType> out(3, 17, 23);
            const auto holes = parameters(source.const_view(), out.view(), random);
            const index_t side = parameters.side_for(17, 23);
            const auto mask = reference_mask(replay, 17, 23, side, parameters.holes);
            CHECK(replay.position() == random.position());
            CHECK(test_support::same_values(out.const_view(), masked<TestType>(source.const_view(), mask, parameters.fill).const_view()));
            REQUIRE(holes.size() == static_cast<std::size_t>(parameters.holes));
            std::vector<int> recorded(mask.size(), 1);
            for (const auto& hole : holes) {
                CHECK(hole.op == augment_op::cutout);
                CHECK(hole.magnitude == static_cast<double>(side));
                CHECK(hole.stage == augment_stage::output);
                CHECK(hole.region.inside(23, 17));
                for (index_t y = hole.region.y; y < hole.region.y + hole.region.height; ++y)
                    for (index_t x = hole.region.x; x < hole.region.x + hole.region.width; ++x)
                        recorded[static_cast<std::size_t>(y * 23 + x)] = 0;
            }
            CHECK(recorded == mask);
        }
    }
}

TEMPLATE_TEST_CASE("cutout gives the same bytes in every layout and in place", "[augment][cutout]", std::uint8_t, float) {
    for (std::uint64_t seed = 0; seed < 4; ++seed) {
        augment_support::check_layouts_and_in_place<TestType>(3, 13, 16, [&](image_view<const TestType> in, image_view<TestType> out) {
            resizemix::rng random(seed);
            (void)cutout{.length = 6, .holes = 3, .fill = {17.0, 99.0, 230.0}}(in, out, random);
        });
    }
    // One channel, fill on the 0-255 scale: float pixels get value / 255.
    auto gray = test_support::noise_image<TestType>(1, 4, 4, 2);
    resizemix::rng random(3);
    const auto holes = cutout{.length = 100, .fill = {51.0}}(gray.view(), random);
    REQUIRE(holes.size() == 1);
    CHECK(holes[0].region == box{0, 0, 4, 4});
    augment_support::check_levels<TestType>(gray.const_view(), std::vector<double>(16, 51.0));
}

TEMPLATE_TEST_CASE("cutout as a mixer: lambda 0, the target's label, the same holes in place and on any thread count",
                   "[augment][cutout]", std::uint8_t, float) {
    const index_t count = 6;
    std::vector<TestType> pixels(static_cast<std::size_t>(count * 3 * 14 * 19));
    test_support::fixture_random fixture(5);
    for (auto& p : pixels) p = test_support::level<TestType>(static_cast<double>(fixture.between(0, 255)));
    const auto input = resizemix::from_nhwc(pixels.data(), count, 14, 19, 3);
    const std::vector<std::int64_t> labels{0, 1, 2, 3, 0, 1};
    resizemix::batch_options options;
    options.seed = 12;
    options.num_classes = 4;
    const cutout mixer{.length = 8, .holes = 2, .fill = {90.0}};
    std::vector<TestType> reference(pixels.size());
    const auto result = resizemix::mix_batch(mixer, resizemix::batch_view<const TestType>(input), labels,
                                             resizemix::from_nhwc(reference.data(), count, 14, 19, 3), options);
    for (index_t i = 0; i < count; ++i) {
        const auto& info = result.samples[static_cast<std::size_t>(i)].info;
        CHECK(info.method == "cutout");
        CHECK(info.lambda == 0.0);
        CHECK(result.labels(i, labels[static_cast<std::size_t>(i)]) == 1.0f);
        REQUIRE(info.augmentations.size() == 2);
        image<TestType> expected{image_view<const TestType>(input[i])};
        std::vector<resizemix::applied_op> holes = info.augmentations;
        for (auto& hole : holes) {
            CHECK(hole.stage == augment_stage::mix);
            CHECK(info.box.contains(hole.region.x, hole.region.y));
            hole.stage = augment_stage::output;
        }
        mixer.apply(holes, expected.view());
        CHECK(test_support::same_values(resizemix::from_nhwc(reference.data(), count, 14, 19, 3)[i],
                                        expected.const_view()));
    }
    for (const unsigned threads : {1U, 3U}) {
        options.threads = threads;
        std::vector<TestType> in_place = pixels;
        const auto view = resizemix::from_nhwc(in_place.data(), count, 14, 19, 3);
        (void)resizemix::mix_batch(mixer, view, labels, view, options);
        CHECK(in_place == reference);
    }
}

TEMPLATE_TEST_CASE("cutout in pipelines: after a mix, and as the mixer before RandAugment", "[augment][cutout]",
                   std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 16, 20, 7);
    const auto target = test_support::noise_image<TestType>(3, 16, 20, 8);
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        // After: CutMix's draws, then the holes, which land on the mixed image.
        resizemix::rng random(seed);
        image<TestType> out(3, 16, 20);
        const auto info = resizemix::augment_after(resizemix::cut_mix{}, cutout{.length = 6, .holes = 2})(
            source.const_view(), target.const_view(), out.view(), random);
        resizemix::rng replay(seed);
        image<TestType> expected(3, 16, 20);
        const auto plain = resizemix::cut_mix{}(source.const_view(), target.const_view(), expected.view(), replay);
        const auto holes = cutout{.length = 6, .holes = 2}(expected.view(), replay);
        CHECK(info.paste_box == plain.box);
        CHECK(info.augmentations == holes);
        CHECK(test_support::same_values(out.const_view(), expected.const_view()));

        // Cutout as the inner mixer: its holes (stage mix) come first and are filled after the
        // target's augmentation, so AutoAugment-style "augment, then cut out" composes.
        resizemix::rng random_before(seed);
        image<TestType> before(3, 16, 20);
        const resizemix::rand_augment augmentation{.num_ops = 1};
        const auto info_before = resizemix::augment_before(cutout{.length = 6}, augmentation)(
            source.const_view(), target.const_view(), before.view(), random_before);
        REQUIRE(!info_before.augmentations.empty());
        CHECK(info_before.augmentations[0].stage == augment_stage::mix);
        CHECK(info_before.lambda == 0.0);
        image<TestType> expected_before = target;
        std::vector<resizemix::applied_op> target_ops;
        for (const auto& step : info_before.augmentations)
            if (step.stage == augment_stage::target) target_ops.push_back(step);
        augmentation.apply(target_ops, expected_before.view());
        auto hole = info_before.augmentations[0];
        hole.stage = augment_stage::output;
        cutout{.length = 6}.apply({hole}, expected_before.view());
        CHECK(test_support::same_values(before.const_view(), expected_before.const_view()));
    }
}

TEST_CASE("cutout rejects bad parameters and records, naming them", "[augment][cutout]") {
    auto rgb = test_support::noise_image<std::uint8_t>(3, 6, 6, 1);
    resizemix::rng random(0);
    const auto run = [&](const cutout& parameters) { (void)parameters(rgb.view(), random); };
    CHECK_THROWS_WITH(run({.length = -1}), Contains("cutout") && Contains("length must be at least 0, got -1"));
    CHECK_THROWS_WITH(run({.length_fraction = 1.5}), Contains("length_fraction must be in [0, 1], got 1.5"));
    CHECK_THROWS_WITH(run({.holes = -2}), Contains("holes must be at least 0, got -2"));
    CHECK_THROWS_WITH(run({.fill = {1.0, 2.0}}), Contains("fill needs 0, 1 or 3 values (one per channel), got 2"));
    CHECK_THROWS_WITH(run({.fill = {300.0}}), Contains("fill values must be in [0, 255], got 300"));
    CHECK_THROWS_WITH(cutout{}.apply({{augment_op::rotate, 3.0}}, rgb.view()),
                      Contains("can only apply Cutout records, got Rotate"));
    CHECK_THROWS_WITH(resizemix::apply_op(augment_op::cutout, rgb.view(), 4.0), Contains("run resizemix::cutout"));
    const auto untouched = test_support::noise_image<std::uint8_t>(3, 6, 6, 1);
    CHECK(test_support::same_values(rgb.const_view(), untouched.const_view()));
    CHECK(random.position() == 0);
    // No holes: nothing drawn, nothing written; as a mixer, an empty box.
    CHECK(cutout{.holes = 0}(rgb.view(), random).empty());
    CHECK(cutout{.holes = 0}.plan(rgb.const_view(), rgb.const_view(), random, resizemix::no_saliency{}).box.empty());
    CHECK(random.position() == 0);
}

TEST_CASE("README: the Cutout and AutoAugment snippet", "[augment][cutout]") {
    const std::uint64_t seed = 3;
    auto photo = test_support::load_photo("chelsea.png");
    const auto original = photo;
    std::vector<std::uint8_t> input_pixels(static_cast<std::size_t>(4 * 3 * 24 * 32), 0);
    std::vector<std::uint8_t> output_pixels(input_pixels.size(), 0);
    test_support::fixture_random fixture(seed);
    for (auto& p : input_pixels) p = static_cast<std::uint8_t>(fixture.between(0, 255));
    const auto input = resizemix::batch_view<const std::uint8_t>(resizemix::from_nhwc(input_pixels.data(), 4, 24, 32, 3));
    const auto output = resizemix::from_nhwc(output_pixels.data(), 4, 24, 32, 3);
    const std::vector<std::int64_t> labels{0, 1, 1, 0};
    resizemix::batch_options options;
    options.num_classes = 2;

    // --- the README's lines ---
    resizemix::rng random(seed);
    const auto holes = resizemix::cutout{.length = 16}(photo.view(), random);  // one 16 x 16 hole, in place
    const auto ops = resizemix::auto_augment{.policy = resizemix::auto_augment_policy::cifar10}(photo.view(), random);
    const auto one_op = resizemix::trivial_augment_wide{}(photo.view(), random);
    const auto cut = resizemix::mix_batch(resizemix::cutout{.holes = 2}, input, labels, output, options);  // lambda 0
    const auto mixed = resizemix::augment_after(resizemix::cut_mix{}, resizemix::auto_augment{});
    // ---

    REQUIRE(holes.size() == 1);
    CHECK(holes[0].region.area() > 0);
    CHECK(ops.size() <= 2);
    CHECK(one_op.size() == 1);
    CHECK(!test_support::same_values(photo.const_view(), original.const_view()));
    for (std::size_t i = 0; i < cut.samples.size(); ++i) {
        CHECK(cut.samples[i].info.lambda == 0.0);
        CHECK(cut.labels(static_cast<Eigen::Index>(i), labels[i]) == 1.0f);
    }
    image<std::uint8_t> out(3, 24, 32);
    const auto info = mixed(input[0], input[1], out.view(), random);
    CHECK(info.paste_box.inside(32, 24));
}
