// Tests for resizemix/labels.hpp: soft labels from mix_info, label smoothing,
// the batch form, and the argument checks.
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/labels.hpp>

#include "support.hpp"

using resizemix::mix_info;
using Catch::Contains;

namespace {

mix_info with_lambda(double lambda) {
    mix_info info;
    info.lambda = lambda;
    return info;
}

/// The expected label, written out: weight lambda on the source class and
/// 1 - lambda on the target class, then (1 - eps) * mixed + eps / K.
std::vector<double> expected_label(double lambda, std::int64_t source_class, std::int64_t target_class,
                                   int num_classes, double smoothing) {
    std::vector<double> mixed(static_cast<std::size_t>(num_classes), 0.0);
    mixed[static_cast<std::size_t>(source_class)] += lambda;
    mixed[static_cast<std::size_t>(target_class)] += 1.0 - lambda;
    for (auto& weight : mixed) weight = (1.0 - smoothing) * weight + smoothing / num_classes;
    return mixed;
}

template <class Row>
void check_label(const Row& row, const std::vector<double>& expected) {
    REQUIRE(static_cast<std::size_t>(row.size()) == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
        CAPTURE(k);
        CHECK(row(static_cast<Eigen::Index>(k)) == Approx(expected[k]).margin(1e-6));
    }
}

}  // namespace

TEST_CASE("soft_label without smoothing puts lambda on the source class", "[labels]") {
    const Eigen::RowVectorXf label = resizemix::soft_label(with_lambda(0.3), 1, 3, 5);
    check_label(label, {0.0, 0.3, 0.0, 0.7, 0.0});
    CHECK(label(0) == 0.0f);  // untouched classes are exactly zero
    // The ends: lambda 0 is the target label, lambda 1 the source label.
    check_label(resizemix::soft_label(with_lambda(0.0), 0, 2, 3), {0, 0, 1});
    check_label(resizemix::soft_label(with_lambda(1.0), 0, 2, 3), {1, 0, 0});
}

TEST_CASE("soft_label with smoothing is (1 - eps) * mixed + eps / K", "[labels]") {
    // eps 0.1, K 5: spread 0.02; source 0.02 + 0.9 * 0.3 = 0.29; target 0.02 + 0.9 * 0.7 = 0.65.
    const Eigen::RowVectorXf label = resizemix::soft_label(with_lambda(0.3), 1, 3, 5, 0.1f);
    check_label(label, {0.02, 0.29, 0.02, 0.65, 0.02});
    // eps 0.5, K 2, lambda 0.25: source 0.25 + 0.5 * 0.25 = 0.375; target 0.25 + 0.5 * 0.75 = 0.625.
    check_label(resizemix::soft_label(with_lambda(0.25), 1, 0, 2, 0.5f), {0.625, 0.375});
    // One class: everything is that class.
    check_label(resizemix::soft_label(with_lambda(0.4), 0, 0, 1, 0.2f), {1.0});
}

TEST_CASE("soft_label with source class == target class gives that class its full weight", "[labels]") {
    check_label(resizemix::soft_label(with_lambda(0.37), 2, 2, 4), {0, 0, 1, 0});
    CHECK(resizemix::soft_label(with_lambda(0.37), 2, 2, 4)(2) == 1.0f);  // exactly
    // With smoothing: 1 - eps + eps / K on the class, eps / K elsewhere.
    check_label(resizemix::soft_label(with_lambda(0.37), 2, 2, 4, 0.2f), {0.05, 0.05, 0.85, 0.05});
}

TEST_CASE("soft labels always sum to 1 and match the written-out formula", "[labels]") {
    test_support::fixture_random random(77);
    for (int trial = 0; trial < 200; ++trial) {
        const int num_classes = static_cast<int>(random.between(1, 12));
        const auto source_class = static_cast<std::int64_t>(random.between(0, num_classes - 1));
        const auto target_class = static_cast<std::int64_t>(random.between(0, num_classes - 1));
        const double lambda = random.unit();
        const float smoothing = trial % 3 == 0 ? 0.0f : static_cast<float>(random.unit() * 0.9);
        CAPTURE(trial, num_classes, source_class, target_class, lambda, smoothing);
        const Eigen::RowVectorXf label =
            resizemix::soft_label(with_lambda(lambda), source_class, target_class, num_classes, smoothing);
        CHECK(label.sum() == Approx(1.0f).margin(1e-5));
        CHECK(label.minCoeff() >= 0.0f);
        check_label(label, expected_label(lambda, source_class, target_class, num_classes, smoothing));
    }
}

TEST_CASE("soft_labels fills one row per sample", "[labels]") {
    const std::vector<mix_info> infos{with_lambda(0.25), with_lambda(0.0), with_lambda(0.9)};
    const std::vector<std::int64_t> sources{0, 3, 2};
    const std::vector<std::int64_t> targets{1, 2, 2};
    const Eigen::MatrixXf labels = resizemix::soft_labels(infos, sources, targets, 4);
    REQUIRE(labels.rows() == 3);
    REQUIRE(labels.cols() == 4);
    check_label(labels.row(0), {0.25, 0.75, 0, 0});
    check_label(labels.row(1), {0, 0, 1, 0});
    check_label(labels.row(2), {0, 0, 1, 0});

    const Eigen::MatrixXf smoothed = resizemix::soft_labels(infos, sources, targets, 4, 0.2f);
    for (Eigen::Index i = 0; i < 3; ++i) {
        const auto k = static_cast<std::size_t>(i);
        check_label(smoothed.row(i), expected_label(infos[k].lambda, sources[k], targets[k], 4, 0.2));
        CHECK(smoothed.row(i).sum() == Approx(1.0f));
    }
    // An empty batch is an empty matrix.
    const Eigen::MatrixXf none = resizemix::soft_labels({}, {}, {}, 4);
    CHECK(none.rows() == 0);
}

TEST_CASE("soft labels refuse bad classes, smoothing, lambda and lengths", "[labels]") {
    const mix_info info = with_lambda(0.5);
    const float nan = std::numeric_limits<float>::quiet_NaN();

    CHECK_THROWS_AS(resizemix::soft_label(info, 5, 0, 5), std::invalid_argument);
    CHECK_THROWS_WITH(resizemix::soft_label(info, 5, 0, 5), Contains("source_class 5 is outside [0, 5)"));
    CHECK_THROWS_WITH(resizemix::soft_label(info, -1, 0, 5), Contains("source_class -1 is outside [0, 5)"));
    CHECK_THROWS_WITH(resizemix::soft_label(info, 0, 7, 5), Contains("target_class 7 is outside [0, 5)"));
    CHECK_THROWS_WITH(resizemix::soft_label(info, 0, 0, 0), Contains("num_classes must be at least 1, got 0"));

    CHECK_THROWS_WITH(resizemix::soft_label(info, 0, 1, 5, -0.1f), Contains("smoothing must be in [0, 1)"));
    CHECK_THROWS_WITH(resizemix::soft_label(info, 0, 1, 5, 1.0f), Contains("smoothing must be in [0, 1)"));
    CHECK_THROWS_AS(resizemix::soft_label(info, 0, 1, 5, 1.5f), resizemix::error);
    CHECK_THROWS_AS(resizemix::soft_label(info, 0, 1, 5, nan), resizemix::error);

    CHECK_THROWS_WITH(resizemix::soft_label(with_lambda(1.5), 0, 1, 5), Contains("lambda must be in [0, 1]"));
    CHECK_THROWS_AS(resizemix::soft_label(with_lambda(-0.1), 0, 1, 5), resizemix::error);
    CHECK_THROWS_AS(resizemix::soft_label(with_lambda(std::nan("")), 0, 1, 5), resizemix::error);

    const std::vector<mix_info> infos{info, info};
    const std::vector<std::int64_t> two{0, 1};
    const std::vector<std::int64_t> three{0, 1, 2};
    CHECK_THROWS_WITH(resizemix::soft_labels(infos, three, two, 5), Contains("same length, got 2, 3 and 2"));
    CHECK_THROWS_AS(resizemix::soft_labels(infos, two, three, 5), resizemix::error);
    const std::vector<std::int64_t> out_of_range{0, 9};
    CHECK_THROWS_WITH(resizemix::soft_labels(infos, two, out_of_range, 5), Contains("9 is outside [0, 5)"));
    CHECK_THROWS_AS(resizemix::soft_labels(infos, two, two, 5, 2.0f), resizemix::error);
    const std::vector<mix_info> bad_lambda{info, with_lambda(2.0)};
    CHECK_THROWS_WITH(resizemix::soft_labels(bad_lambda, two, two, 5), Contains("infos[1].lambda"));
}
