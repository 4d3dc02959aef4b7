// Tests for resizemix/augment/rand_augment.hpp: torchvision's magnitude bins worked by hand, the
// documented draw order replayed from a copy of the stream, apply_op matching the named ops,
// reproducibility across layouts and in place, uniform op choice and signs, and bad arguments.
#include <cstdint>
#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/rand_augment.hpp>
#include <resizemix/random.hpp>

#include "augment_support.hpp"

using Catch::Contains;
using resizemix::augment_op;
using resizemix::image;
using resizemix::image_view;
using resizemix::rand_augment;

TEST_CASE("rand_augment magnitudes are torchvision's bins", "[augment][rand_augment]") {
    const rand_augment policy;  // bin 9 of 31
    CHECK(policy.magnitude_of(augment_op::brightness, 32, 32) == static_cast<double>(0.9f * 9.0f / 30.0f));
    CHECK(policy.magnitude_of(augment_op::shear_x, 32, 32) == Approx(0.09).epsilon(1e-6));
    CHECK(policy.magnitude_of(augment_op::rotate, 32, 32) == Approx(9.0).epsilon(1e-6));
    CHECK(policy.magnitude_of(augment_op::translate_x, 10, 331) == Approx(45.0).epsilon(1e-6));
    CHECK(policy.magnitude_of(augment_op::translate_y, 331, 10) == Approx(45.0).epsilon(1e-6));
    CHECK(policy.magnitude_of(augment_op::posterize, 32, 32) == 7.0);  // 8 - round(9 / 7.5)
    CHECK(policy.magnitude_of(augment_op::solarize, 32, 32) == 178.5);  // 255 - 9 * 8.5
    CHECK(policy.magnitude_of(augment_op::equalize, 32, 32) == 0.0);
    const rand_augment strongest{.magnitude = 30};
    CHECK(strongest.magnitude_of(augment_op::posterize, 8, 8) == 4.0);
    CHECK(strongest.magnitude_of(augment_op::solarize, 8, 8) == 0.0);
    CHECK(strongest.magnitude_of(augment_op::contrast, 8, 8) == static_cast<double>(0.9f));
    // Nine bins: bin 1 sits at 1 / 2 = 0.5 and rounds half to even, as torch.round does.
    const rand_augment nine{.magnitude = 1, .num_magnitude_bins = 9};
    CHECK(nine.magnitude_of(augment_op::posterize, 8, 8) == 8.0);
    CHECK(rand_augment{.magnitude = 3, .num_magnitude_bins = 9}.magnitude_of(augment_op::posterize, 8, 8) == 6.0);
}

TEMPLATE_TEST_CASE("rand_augment draws op then sign and applies the ops in order", "[augment][rand_augment]",
                   std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 12, 10, 8);
    const rand_augment policy{.num_ops = 4, .magnitude = 17};
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        resizemix::rng random(seed);
        resizemix::rng replay = random;
        image<TestType> out(3, 12, 10);
        const auto applied = policy(source.const_view(), out.view(), random);
        REQUIRE(applied.size() == 4);
        auto expected = source;
        for (const auto& step : applied) {
            const auto op = static_cast<augment_op>(replay.integer(0, 13));
            CHECK(step.op == op);
            double magnitude = policy.magnitude_of(op, 12, 10);
            if (resizemix::is_signed(op) && replay.integer(0, 1) == 1) magnitude = -magnitude;
            CHECK(step.magnitude == magnitude);
            resizemix::apply_op(step.op, expected.view(), step.magnitude);
        }
        CHECK(replay.position() == random.position());
        CHECK(test_support::same_values(out.const_view(), expected.const_view()));
    }
}

TEMPLATE_TEST_CASE("apply_op runs the named operation", "[augment][rand_augment]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 7, 9, 2);
    image<TestType> by_op(3, 7, 9);
    image<TestType> direct(3, 7, 9);
    const auto check = [&](augment_op op, double magnitude, auto&& run) {
        INFO(resizemix::to_string(op));
        resizemix::apply_op(op, source.const_view(), by_op.view(), magnitude);
        run();
        CHECK(test_support::same_values(by_op.const_view(), direct.const_view()));
    };
    const image_view<const TestType> in = source.const_view();
    const image_view<TestType> out = direct.view();
    check(augment_op::identity, 0.0, [&] { resizemix::copy(in, out); });
    check(augment_op::shear_x, -0.2, [&] { resizemix::shear_x(in, out, -0.2); });
    check(augment_op::shear_y, 0.1, [&] { resizemix::shear_y(in, out, 0.1); });
    check(augment_op::translate_x, 2.5, [&] { resizemix::translate_x(in, out, 2.0); });
    check(augment_op::translate_y, -3.0, [&] { resizemix::translate_y(in, out, -3.0); });
    check(augment_op::rotate, 12.0, [&] { resizemix::rotate(in, out, 12.0); });
    check(augment_op::brightness, 0.3, [&] { resizemix::brightness(in, out, 0.3); });
    check(augment_op::color, -0.3, [&] { resizemix::color(in, out, -0.3); });
    check(augment_op::contrast, 0.6, [&] { resizemix::contrast(in, out, 0.6); });
    check(augment_op::sharpness, -0.6, [&] { resizemix::sharpness(in, out, -0.6); });
    check(augment_op::posterize, 5.0, [&] { resizemix::posterize(in, out, 5); });
    check(augment_op::solarize, 100.0, [&] { resizemix::solarize(in, out, 100.0); });
    check(augment_op::auto_contrast, 0.0, [&] { resizemix::auto_contrast(in, out); });
    check(augment_op::equalize, 0.0, [&] { resizemix::equalize(in, out); });
    CHECK(resizemix::to_string(augment_op::auto_contrast) == "AutoContrast");
}

TEMPLATE_TEST_CASE("rand_augment: same seed, same bytes in every layout and in place", "[augment][rand_augment]",
                   std::uint8_t, float) {
    using view = image_view<TestType>;
    using source_view = image_view<const TestType>;
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        const rand_augment policy{.num_ops = 3, .magnitude = 20, .interpolation = resizemix::interpolation::bilinear};
        augment_support::check_layouts_and_in_place<TestType>(3, 11, 14, [&](source_view in, view out) {
            resizemix::rng random(seed);
            (void)policy(in, out, random);
        });
    }
    const auto source = test_support::noise_image<TestType>(1, 6, 6, 3);
    image<TestType> out(1, 6, 6);
    resizemix::rng random(1);
    CHECK(rand_augment{.num_ops = 0}(source.const_view(), out.view(), random).empty());
    CHECK(random.position() == 0);
    CHECK(test_support::same_values(source.const_view(), out.const_view()));
}

TEST_CASE("rand_augment chooses ops uniformly and negates signed ones half the time", "[augment][rand_augment]") {
    auto canvas = test_support::noise_image<std::uint8_t>(1, 3, 3, 1);
    const rand_augment policy{.num_ops = 1};
    std::vector<long> counts(resizemix::augment_op_count, 0);
    long negative = 0;
    long signed_draws = 0;
    resizemix::rng random(2024);
    for (int draw = 0; draw < 7000; ++draw) {
        const auto applied = policy(canvas.view(), random);
        ++counts[static_cast<std::size_t>(applied[0].op)];
        if (resizemix::is_signed(applied[0].op)) {
            ++signed_draws;
            negative += applied[0].magnitude < 0.0 ? 1 : 0;
        }
    }
    // 13 degrees of freedom: the 0.1% critical value is 34.53.
    CHECK(test_support::chi_square_uniform(counts) < 34.53);
    const double share = static_cast<double>(negative) / static_cast<double>(signed_draws);
    CHECK(share == Approx(0.5).margin(3.3 * 0.5 / std::sqrt(static_cast<double>(signed_draws))));
}

TEST_CASE("rand_augment rejects bad parameters and images, naming them", "[augment][rand_augment]") {
    const auto rgb = test_support::noise_image<std::uint8_t>(3, 4, 4, 1);
    image<std::uint8_t> out(3, 4, 4);
    resizemix::rng random(0);
    const auto run = [&](const rand_augment& policy) { (void)policy(rgb.const_view(), out.view(), random); };
    CHECK_THROWS_WITH(run({.num_ops = -1}), Contains("rand_augment") && Contains("num_ops must be at least 0, got -1"));
    CHECK_THROWS_WITH(run({.magnitude = 31}), Contains("magnitude must be in [0, num_magnitude_bins) = [0, 31), got 31"));
    CHECK_THROWS_WITH(run({.magnitude = 0, .num_magnitude_bins = 1}), Contains("num_magnitude_bins must be at least 2, got 1"));
    CHECK_THROWS_WITH(run({.interpolation = resizemix::interpolation::area}), Contains("interpolation must be nearest or bilinear"));
    CHECK_THROWS_WITH(run({.fill = {1, 2}}), Contains("fill needs 0, 1 or 3 values"));
    const auto four = test_support::noise_image<std::uint8_t>(4, 4, 4, 1);
    image<std::uint8_t> four_out(4, 4, 4);
    CHECK_THROWS_WITH(rand_augment{}(four.const_view(), four_out.view(), random),
                      Contains("needs 1 or 3 channels (grayscale or RGB), got 4"));
    CHECK_THROWS_WITH(resizemix::apply_op(augment_op::posterize, rgb.const_view(), out.view(), 9.0),
                      Contains("bits must be in [0, 8], got 9"));
    CHECK_THROWS_WITH(resizemix::apply_op(static_cast<augment_op>(16), rgb.const_view(), out.view(), 0.0),
                      Contains("op must be one of the augment_op values, got the value 16"));
    CHECK(random.position() == 0);  // nothing drawn before the checks
}
