// Tests for resizemix/augment/auto_augment.hpp: the published tables spot-checked against
// torchvision's source, magnitudes at AutoAugment's 10 bins worked by hand, the documented draws
// replayed from a copy of the stream, sub-policy choice and step probabilities in distribution,
// layouts and in place, pipelines, and bad arguments. (The op-by-op comparison with torchvision
// itself is the augment.torchvision ctest.)
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/auto_augment.hpp>
#include <resizemix/augment/pipeline.hpp>
#include <resizemix/mixers/resizemix.hpp>
#include <resizemix/random.hpp>

#include "augment_support.hpp"

using Catch::Contains;
using resizemix::augment_op;
using resizemix::augment_stage;
using resizemix::auto_augment;
using resizemix::auto_augment_policy;
using resizemix::image;
using resizemix::image_view;

TEST_CASE("auto_augment's tables are torchvision's", "[augment][auto_augment]") {
    // First, a middle and the last sub-policy of each table, from torchvision 0.14's _get_policies.
    const auto imagenet = resizemix::auto_augment_subpolicies(auto_augment_policy::imagenet);
    CHECK(imagenet[0][0].op == augment_op::posterize);
    CHECK(imagenet[0][0].probability == 0.4);
    CHECK(imagenet[0][0].magnitude_bin == 8);
    CHECK(imagenet[0][1].op == augment_op::rotate);
    CHECK(imagenet[13][0].op == augment_op::invert);
    CHECK(imagenet[13][0].magnitude_bin == -1);
    CHECK(imagenet[24][1].op == augment_op::equalize);
    CHECK(imagenet[24][1].probability == 0.6);
    const auto cifar10 = resizemix::auto_augment_subpolicies(auto_augment_policy::cifar10);
    CHECK(cifar10[0][0].op == augment_op::invert);
    CHECK(cifar10[0][0].probability == 0.1);
    CHECK(cifar10[14][1].probability == 0.0);
    CHECK(cifar10[24][0].op == augment_op::translate_y);
    CHECK(cifar10[24][0].magnitude_bin == 9);
    const auto svhn = resizemix::auto_augment_subpolicies(auto_augment_policy::svhn);
    CHECK(svhn[0][0].op == augment_op::shear_x);
    CHECK(svhn[15][1].op == augment_op::translate_y);
    CHECK(svhn[15][1].probability == 0.0);
    CHECK(svhn[24][1].op == augment_op::invert);
    for (const auto policy : {auto_augment_policy::imagenet, auto_augment_policy::cifar10, auto_augment_policy::svhn})
        for (const auto& steps : resizemix::auto_augment_subpolicies(policy))
            for (const auto& step : steps) {
                CHECK(step.probability >= 0.0);
                CHECK(step.probability <= 1.0);
                CHECK((step.magnitude_bin < 0) == !resizemix::detail::has_magnitude_bins(step.op));
                CHECK(step.magnitude_bin < 10);
            }
    CHECK(resizemix::to_string(auto_augment_policy::cifar10) == "cifar10");
}

TEST_CASE("auto_augment's magnitudes are torchvision's 10 bins, signed where torchvision signs them",
          "[augment][auto_augment]") {
    const auto_augment imagenet;
    // Sub-policy 0: Posterize bin 8 = 8 - round(8 / 2.25) = 4 bits, then Rotate bin 9 = 30 degrees.
    auto ops = imagenet.subpolicy_ops(0, {true, true}, {true, true}, 32, 32);
    REQUIRE(ops.size() == 2);
    CHECK(ops[0].op == augment_op::posterize);
    CHECK(ops[0].magnitude == 4.0);  // unsigned: the sign is ignored
    CHECK(ops[1].op == augment_op::rotate);
    CHECK(ops[1].magnitude == -30.0);
    // Sub-policy 1: Solarize bin 5 = 255 - 5 * 255 / 9, float32 linspace counted down from 0.
    ops = imagenet.subpolicy_ops(1, {true, false}, {false, false}, 32, 32);
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].magnitude == Approx(255.0 - 5.0 * 255.0 / 9.0).epsilon(1e-6));
    // Sub-policy 10: Color bin 0 is 0; sub-policy 14: Contrast bin 8 = 0.8.
    CHECK(imagenet.subpolicy_ops(10, {false, true}, {false, false}, 8, 8)[0].magnitude == 0.0);
    CHECK(imagenet.subpolicy_ops(14, {false, true}, {false, false}, 8, 8)[0].magnitude == Approx(0.8).epsilon(1e-6));
    // CIFAR-10 sub-policy 1: TranslateX bin 9 = 150 / 331 of the width.
    const auto cifar = auto_augment{.policy = auto_augment_policy::cifar10}.subpolicy_ops(1, {false, true}, {false, true}, 10, 331);
    CHECK(cifar[0].magnitude == Approx(-150.0).epsilon(1e-6));
    CHECK(imagenet.subpolicy_ops(3, {false, false}, {true, true}, 8, 8).empty());
    CHECK(imagenet.subpolicy_ops(13, {true, false}, {true, true}, 8, 8)[0].magnitude == 0.0);
}

TEMPLATE_TEST_CASE("auto_augment draws sub-policy, two chances, two signs, and applies what runs", "[augment][auto_augment]",
                   std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 12, 14, 8);
    for (const auto policy : {auto_augment_policy::imagenet, auto_augment_policy::cifar10, auto_augment_policy::svhn}) {
        const auto_augment augmentation{.policy = policy};
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            resizemix::rng random(seed);
            resizemix::rng replay = random;
            image<TestType> out(3, 12, 14);
            const auto applied = augmentation(source.const_view(), out.view(), random);
            const int index = static_cast<int>(replay.integer(0, 24));
            const auto& steps = resizemix::auto_augment_subpolicies(policy)[static_cast<std::size_t>(index)];
            const double first = replay.uniform();
            const double second = replay.uniform();
            const bool first_negative = replay.integer(0, 1) == 0;
            const bool second_negative = replay.integer(0, 1) == 0;
            CHECK(replay.position() == random.position());
            const auto expected_ops = augmentation.subpolicy_ops(index, {first <= steps[0].probability, second <= steps[1].probability},
                                                                 {first_negative, second_negative}, 12, 14);
            CHECK(applied == expected_ops);
            auto expected = source;
            for (const auto& step : expected_ops) resizemix::apply_op(step.op, expected.view(), step.magnitude);
            CHECK(test_support::same_values(out.const_view(), expected.const_view()));
        }
        augment_support::check_layouts_and_in_place<TestType>(3, 11, 13, [&](image_view<const TestType> in, image_view<TestType> out) {
            resizemix::rng random(4);
            (void)augmentation(in, out, random);
        });
    }
}

TEST_CASE("auto_augment chooses sub-policies uniformly and runs each step with its probability", "[augment][auto_augment]") {
    const auto_augment augmentation{.policy = auto_augment_policy::cifar10};
    std::vector<long> counts(25, 0);
    long first_runs_sub_policy_6 = 0;  // Color, p = 0.4
    long chosen_6 = 0;
    long negative = 0;
    long signed_runs = 0;
    resizemix::rng random(99);
    for (int draw = 0; draw < 5000; ++draw) {
        resizemix::rng replay = random;
        const int index = static_cast<int>(replay.integer(0, 24));
        const auto ops = augmentation.draw(random, 32, 32);
        ++counts[static_cast<std::size_t>(index)];
        if (index == 6) {
            ++chosen_6;
            if (!ops.empty() && ops[0].op == augment_op::color) ++first_runs_sub_policy_6;
        }
        for (const auto& step : ops)
            if (resizemix::is_signed(step.op) && step.magnitude != 0.0) {
                ++signed_runs;
                negative += step.magnitude < 0.0 ? 1 : 0;
            }
    }
    CHECK(test_support::chi_square_uniform(counts) < 51.18);  // 24 degrees of freedom, 0.1%
    const double share = static_cast<double>(first_runs_sub_policy_6) / static_cast<double>(chosen_6);
    CHECK(share == Approx(0.4).margin(3.3 * std::sqrt(0.24 / static_cast<double>(chosen_6))));
    const double negative_share = static_cast<double>(negative) / static_cast<double>(signed_runs);
    CHECK(negative_share == Approx(0.5).margin(3.3 * 0.5 / std::sqrt(static_cast<double>(signed_runs))));
}

TEMPLATE_TEST_CASE("auto_augment after a mix records its ops after the mixer's draws", "[augment][auto_augment]", std::uint8_t,
                   float) {
    const auto source = test_support::noise_image<TestType>(3, 16, 18, 1);
    const auto target = test_support::noise_image<TestType>(3, 16, 18, 2);
    const auto_augment augmentation{.policy = auto_augment_policy::svhn};
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        resizemix::rng random(seed);
        image<TestType> out(3, 16, 18);
        const auto info = resizemix::augment_after(resizemix::resize_mix{}, augmentation)(source.const_view(), target.const_view(),
                                                                                           out.view(), random);
        resizemix::rng replay(seed);
        image<TestType> expected(3, 16, 18);
        (void)resizemix::resize_mix{}(source.const_view(), target.const_view(), expected.view(), replay);
        const auto ops = augmentation(expected.view(), replay);
        CHECK(info.augmentations == ops);
        CHECK(test_support::same_values(out.const_view(), expected.const_view()));
    }
}

TEST_CASE("auto_augment rejects bad parameters and images, naming them", "[augment][auto_augment]") {
    const auto rgb = test_support::noise_image<std::uint8_t>(3, 4, 4, 1);
    image<std::uint8_t> out(3, 4, 4);
    resizemix::rng random(0);
    const auto run = [&](const auto_augment& augmentation) { (void)augmentation(rgb.const_view(), out.view(), random); };
    CHECK_THROWS_WITH(run({.policy = static_cast<auto_augment_policy>(7)}),
                      Contains("auto_augment") && Contains("policy must be imagenet, cifar10 or svhn, got the value 7"));
    CHECK_THROWS_WITH(run({.fill = {1.0, 2.0}}), Contains("fill needs 0, 1 or 3 values (one per channel), got 2"));
    const auto two_channels = test_support::noise_image<std::uint8_t>(2, 4, 4, 1);
    image<std::uint8_t> two_out(2, 4, 4);
    CHECK_THROWS_WITH(auto_augment{}(two_channels.const_view(), two_out.view(), random),
                      Contains("needs 1 or 3 channels (grayscale or RGB), got 2"));
    CHECK_THROWS_WITH(auto_augment{}.subpolicy_ops(25, {true, true}, {true, true}, 4, 4),
                      Contains("sub-policy index must be in [0, 25), got 25"));
    CHECK(random.position() == 0);
}
