// Tests for resizemix/augment/trivial_augment.hpp: the wide magnitude space worked by hand from
// torchvision's formulas, the documented draws replayed from a copy of the stream, uniform choices
// in distribution, layouts and in place, and bad arguments.
#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/trivial_augment.hpp>
#include <resizemix/random.hpp>

#include "augment_support.hpp"

using Catch::Contains;
using resizemix::augment_op;
using resizemix::image;
using resizemix::image_view;
using resizemix::trivial_augment_wide;

TEST_CASE("trivial_augment_wide magnitudes are torchvision's wide bins", "[augment][trivial_augment]") {
    const trivial_augment_wide wide;  // 31 bins
    CHECK(wide.magnitude_of(augment_op::shear_x, 30, 8, 8) == static_cast<double>(0.99f));
    CHECK(wide.magnitude_of(augment_op::brightness, 10, 8, 8) == Approx(0.33).epsilon(1e-6));
    CHECK(wide.magnitude_of(augment_op::translate_x, 15, 100, 300) == Approx(16.0).epsilon(1e-6));  // not the image size
    CHECK(wide.magnitude_of(augment_op::rotate, 30, 8, 8) == 135.0);
    CHECK(wide.magnitude_of(augment_op::posterize, 30, 8, 8) == 2.0);  // 8 - 30 / 5
    CHECK(wide.magnitude_of(augment_op::posterize, 12, 8, 8) == 6.0);  // 8 - round(2.4)
    CHECK(wide.magnitude_of(augment_op::solarize, 0, 8, 8) == 255.0);
    CHECK(wide.magnitude_of(augment_op::identity, 3, 8, 8) == 0.0);
}

TEMPLATE_TEST_CASE("trivial_augment_wide draws op, then bin where the op has bins, then sign where signed",
                   "[augment][trivial_augment]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 12, 10, 8);
    const trivial_augment_wide augmentation;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        resizemix::rng random(seed);
        resizemix::rng replay = random;
        image<TestType> out(3, 12, 10);
        const auto applied = augmentation(source.const_view(), out.view(), random);
        REQUIRE(applied.size() == 1);
        const auto op = static_cast<augment_op>(replay.integer(0, 13));
        CHECK(applied[0].op == op);
        double magnitude = 0.0;
        if (op != augment_op::identity && op != augment_op::auto_contrast && op != augment_op::equalize) {
            magnitude = augmentation.magnitude_of(op, static_cast<int>(replay.integer(0, 30)), 12, 10);
        }
        if (resizemix::is_signed(op) && replay.integer(0, 1) == 1) magnitude = -magnitude;
        CHECK(applied[0].magnitude == magnitude);
        CHECK(replay.position() == random.position());
        auto expected = source;
        resizemix::apply_op(op, expected.view(), magnitude);
        CHECK(test_support::same_values(out.const_view(), expected.const_view()));
    }
    augment_support::check_layouts_and_in_place<TestType>(3, 11, 14, [&](image_view<const TestType> in, image_view<TestType> out) {
        resizemix::rng random(6);
        (void)augmentation(in, out, random);
    });
}

TEST_CASE("trivial_augment_wide chooses ops and bins uniformly", "[augment][trivial_augment]") {
    const trivial_augment_wide augmentation{.num_magnitude_bins = 5};
    std::vector<long> op_counts(resizemix::augment_op_count, 0);
    std::vector<long> bin_counts(5, 0);
    resizemix::rng random(31);
    for (int draw = 0; draw < 5000; ++draw) {
        const auto step = augmentation.draw(random, 16, 16)[0];
        ++op_counts[static_cast<std::size_t>(step.op)];
        if (step.op == augment_op::rotate) ++bin_counts[static_cast<std::size_t>(std::lround(std::abs(step.magnitude) / 33.75))];
    }
    CHECK(test_support::chi_square_uniform(op_counts) < 34.53);  // 13 degrees of freedom, 0.1%
    CHECK(test_support::chi_square_uniform(bin_counts) < 18.47);  // 4 degrees of freedom, 0.1%
}

TEST_CASE("trivial_augment_wide rejects bad parameters, naming them", "[augment][trivial_augment]") {
    const auto rgb = test_support::noise_image<std::uint8_t>(3, 4, 4, 1);
    image<std::uint8_t> out(3, 4, 4);
    resizemix::rng random(0);
    CHECK_THROWS_WITH(trivial_augment_wide{.num_magnitude_bins = 1}(rgb.const_view(), out.view(), random),
                      Contains("trivial_augment_wide") && Contains("num_magnitude_bins must be at least 2, got 1"));
    CHECK_THROWS_WITH(trivial_augment_wide{}.magnitude_of(augment_op::rotate, 31, 4, 4),
                      Contains("bin must be in [0, num_magnitude_bins) = [0, 31), got 31"));
    CHECK(random.position() == 0);
}
