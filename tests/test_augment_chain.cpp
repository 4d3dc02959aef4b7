// Tests for resizemix/augment/chain.hpp: a chain draws and applies its links in turn (equal to
// running them by hand on copies of the stream), marks each operation with its link, nests, works
// in augment_after / augment_before and mix_batch (in place, out of place, 1 and 4 threads), and
// fixed_op refuses what apply_op would refuse before any pixel is written.
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/chain.hpp>
#include <resizemix/batch.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;

namespace {

/// The record of `op` at `magnitude` on `stage`, drawn by link `link` of a chain.
applied_op drawn_by(augment_op op, double magnitude, augment_stage stage, std::uint8_t link) {
    return {.op = op, .magnitude = magnitude, .stage = stage, .link = link};
}

}  // namespace

TEMPLATE_TEST_CASE("chain: each link's draws in turn, applied in turn, every operation recorded with its link",
                   "[augment][chain]", std::uint8_t, float) {
    const rand_augment policy{.num_ops = 2, .magnitude = 12};
    const fixed_op rotation{.op = augment_op::rotate, .magnitude = 15.0};
    const auto augmentation = chain(policy, rotation, fixed_op{.op = augment_op::equalize});
    STATIC_REQUIRE(augmenter<decltype(augmentation)>);
    STATIC_REQUIRE(decltype(augmentation)::link_count == 3);
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
        auto picture = test_support::noise_image<TestType>(3, 20, 24, seed);
        auto expected = picture;
        rng random(seed);
        rng replay = random;
        const std::vector<applied_op> ops = augmentation(picture.view(), random);

        const std::vector<applied_op> policy_ops = policy(expected.view(), replay);
        apply_op(augment_op::rotate, expected.view(), 15.0);
        apply_op(augment_op::equalize, expected.view(), 0.0);
        CHECK(replay.position() == random.position());  // fixed_op draws nothing
        REQUIRE(ops.size() == 4);
        for (std::size_t k = 0; k < 2; ++k) {
            CHECK(ops[k].op == policy_ops[k].op);
            CHECK(ops[k].magnitude == policy_ops[k].magnitude);
            CHECK(ops[k].link == 0);
        }
        CHECK(ops[2] == drawn_by(augment_op::rotate, 15.0, augment_stage::output, 1));
        CHECK(ops[3] == drawn_by(augment_op::equalize, 0.0, augment_stage::output, 2));
        CHECK(test_support::same_values(picture.const_view(), expected.const_view()));
    }
}

TEMPLATE_TEST_CASE("chain: nested chains are flattened and give the flat chain's bytes", "[augment][chain]",
                   std::uint8_t, float) {
    // Bilinear in the inner chain, nearest outside: each link keeps its own warp options.
    const rand_augment bilinear{.num_ops = 3, .magnitude = 20, .interpolation = interpolation::bilinear};
    const fixed_op shear{.op = augment_op::shear_x, .magnitude = -0.2};
    const auto nested = chain(chain(bilinear, shear), rand_augment{});
    const auto flat = chain(bilinear, shear, rand_augment{});
    STATIC_REQUIRE(decltype(nested)::link_count == 3);
    auto once = test_support::noise_image<TestType>(3, 16, 18, 3);
    auto twice = once;
    rng first(11);
    rng second(11);
    const auto nested_ops = nested(once.view(), first);
    const auto flat_ops = flat(twice.view(), second);
    CHECK(nested_ops == flat_ops);
    CHECK(nested_ops.back().link == 2);
    CHECK(test_support::same_values(once.const_view(), twice.const_view()));
}

TEMPLATE_TEST_CASE("chain in pipelines and mix_batch: the chain's ops after the mixer's, the same bytes on any thread count",
                   "[augment][chain][pipeline]", std::uint8_t, float) {
    const index_t count = 5;
    std::vector<TestType> pixels(static_cast<std::size_t>(count * 3 * 14 * 16));
    test_support::fixture_random fixture(2);
    for (auto& p : pixels) p = test_support::level<TestType>(static_cast<double>(fixture.between(0, 255)));
    const auto view_of = [&](std::vector<TestType>& data) { return from_nhwc(data.data(), count, 14, 16, 3); };
    const fixed_op rotation{.op = augment_op::rotate, .magnitude = 10.0};
    const auto chained = augment_after(resize_mix{}, chain(rand_augment{}, rotation));
    const auto plain = augment_after(resize_mix{}, rand_augment{});
    batch_options options;
    options.seed = 8;
    options.num_classes = 2;
    const std::vector<std::int64_t> labels{0, 1, 1, 0, 1};

    // fixed_op draws nothing, so the chain's batch is the plain pipeline's, then rotated.
    std::vector<TestType> expected(pixels.size());
    const auto plain_result = mix_batch(plain, batch_view<const TestType>(view_of(pixels)), labels, view_of(expected), options);
    for (index_t i = 0; i < count; ++i) apply_op(augment_op::rotate, view_of(expected)[i], 10.0);

    std::vector<TestType> reference(pixels.size());
    const auto result = mix_batch(chained, batch_view<const TestType>(view_of(pixels)), labels, view_of(reference), options);
    CHECK(reference == expected);
    CHECK(result.labels == plain_result.labels);
    for (index_t i = 0; i < count; ++i) {
        const auto& ops = result.samples[static_cast<std::size_t>(i)].info.augmentations;
        REQUIRE(ops.size() == 3);
        CHECK(ops[2] == drawn_by(augment_op::rotate, 10.0, augment_stage::output, 1));
    }
    options.threads = 4;
    std::vector<TestType> in_place = pixels;
    (void)mix_batch(chained, view_of(in_place), labels, view_of(in_place), options);
    CHECK(in_place == reference);

    // Before the mix: each image gets the whole chain, the source's first.
    const auto before = augment_before(mixup{}, chain(rand_augment{.num_ops = 1}, rotation));
    const auto source = test_support::noise_image<TestType>(3, 14, 16, 5);
    const auto target = test_support::noise_image<TestType>(3, 14, 16, 6);
    image<TestType> out(3, 14, 16);
    rng random(1);
    const mix_info info = before(source.const_view(), target.const_view(), out.view(), random);
    REQUIRE(info.augmentations.size() == 4);
    CHECK(info.augmentations[1] == drawn_by(augment_op::rotate, 10.0, augment_stage::source, 1));
    CHECK(info.augmentations[3] == drawn_by(augment_op::rotate, 10.0, augment_stage::target, 1));
}

TEST_CASE("chain and fixed_op refuse bad values before writing", "[augment][chain]") {
    auto picture = test_support::noise_image<std::uint8_t>(3, 8, 8, 1);
    const auto original = picture;
    rng random(0);
    CHECK_THROWS_WITH(chain(rand_augment{}, fixed_op{.op = augment_op::posterize, .magnitude = 9.0})(picture.view(), random),
                      Contains("bits must be in [0, 8], got 9"));
    CHECK_THROWS_WITH(chain(fixed_op{.op = static_cast<augment_op>(20)})(picture.view(), random),
                      Contains("fixed_op") && Contains("got the value 20"));
    CHECK_THROWS_WITH(chain(fixed_op{.op = augment_op::rotate, .options = {.fill = {1, 2}}})(picture.view(), random),
                      Contains("fill needs 0, 1 or 3 values"));
    auto four = test_support::noise_image<std::uint8_t>(4, 8, 8, 1);
    CHECK_THROWS_WITH(chain(fixed_op{.op = augment_op::equalize})(four.view(), random),
                      Contains("fixed_op: needs 1 or 3 channels (grayscale or RGB), got 4"));
    CHECK(test_support::same_values(picture.const_view(), original.const_view()));
    CHECK(random.position() == 0);
    const auto two_links = chain(rand_augment{}, fixed_op{});
    CHECK_THROWS_WITH(two_links.apply({drawn_by(augment_op::identity, 0.0, augment_stage::output, 2)}, picture.view()),
                      Contains("names link 2 of a chain of 2"));
}
