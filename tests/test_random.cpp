// Tests for resizemix/random.hpp: the stream is pinned bit for bit (so an
// accidental change of the generator fails here first), copies and streams
// behave, and every distribution passes a goodness-of-fit test at fixed seeds.
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/random.hpp>

#include "support.hpp"

using resizemix::rng;
using Catch::Contains;

namespace {

/// The first `n` words of a stream.
std::vector<std::uint64_t> words(rng stream, int n) {
    std::vector<std::uint64_t> result;
    for (int i = 0; i < n; ++i) result.push_back(stream.next_u64());
    return result;
}

}  // namespace

// Computed once from the documented algorithm (SplitMix64 of seed, stream and
// counter) by an independent script; rng is constexpr, so the pin holds at compile time too.
static_assert([] {
    rng stream(0);
    return stream.next_u64();
}() == 0xb12d3c42b20c715cULL);

TEST_CASE("rng output is pinned for known seeds", "[random]") {
    CHECK(words(rng(0), 4) == std::vector<std::uint64_t>{0xb12d3c42b20c715cULL, 0x76613c5e0bf58646ULL,
                                                          0xff3b23852a458404ULL, 0x61fca6bb432ba3aeULL});
    CHECK(words(rng(42), 4) == std::vector<std::uint64_t>{0x70a7c930390858b6ULL, 0x132e2045cbd81bbbULL,
                                                           0x2ca89b4e9657ffecULL, 0x32ccf33f391e713bULL});
    CHECK(words(rng::for_sample(1, 2, 3), 4) ==
          std::vector<std::uint64_t>{0xf2cf211da47c36c5ULL, 0x192c18d4252cfd36ULL, 0x40d4e271ea73cee4ULL,
                                     0x9d12a3daea059573ULL});
    CHECK(words(rng(7, 1), 2) == std::vector<std::uint64_t>{0xd69b3d1e429aabc1ULL, 0x65cde6d97cf01c55ULL});
    // uniform() is the top 53 bits of the next word.
    rng stream(0);
    CHECK(stream.uniform() == static_cast<double>(0xb12d3c42b20c715cULL >> 11U) * 0x1.0p-53);
    // integer() is pure integer arithmetic, so its draws are pinned too.
    rng digits(42);
    std::vector<std::int64_t> drawn;
    for (int i = 0; i < 8; ++i) drawn.push_back(digits.integer(0, 9));
    CHECK(drawn == std::vector<std::int64_t>{8, 9, 8, 9, 1, 9, 9, 4});
    rng signed_range(42);
    drawn.clear();
    for (int i = 0; i < 4; ++i) drawn.push_back(signed_range.integer(-1000, 1000));
    CHECK(drawn == std::vector<std::int64_t>{265, 477, -19, -691});
    // The default seed is 0 and the default stream is 0.
    CHECK(words(rng(), 1) == words(rng(0), 1));
    CHECK(words(rng(42, 0), 4) == words(rng(42), 4));
}

TEST_CASE("rng is deterministic and copies continue independently from the same position", "[random]") {
    rng first(123);
    rng second(123);
    for (int i = 0; i < 100; ++i) REQUIRE(first.next_u64() == second.next_u64());
    CHECK(first.position() == 100);

    rng copy = first;
    CHECK(copy.position() == 100);
    const auto from_copy = words(copy, 10);
    CHECK(first.position() == 100);  // drawing from the copy leaves the original alone
    CHECK(words(first, 10) == from_copy);

    // Distributions are deterministic too.
    rng a(9);
    rng b(9);
    for (int i = 0; i < 50; ++i) {
        REQUIRE(a.uniform() == b.uniform());
        REQUIRE(a.integer(-5, 17) == b.integer(-5, 17));
        REQUIRE(a.beta(0.4) == b.beta(0.4));
        REQUIRE(a.normal() == b.normal());
    }
}

TEST_CASE("different seeds, streams and samples give different streams", "[random]") {
    const std::vector<rng> streams{rng(0),          rng(1),
                                   rng(0, 1),       rng(1, 1),
                                   rng(0, 2),       rng::for_sample(1, 2, 3),
                                   rng::for_sample(1, 2, 4), rng::for_sample(1, 3, 3),
                                   rng::for_sample(2, 2, 3), rng::for_sample(0, 0, 0)};
    std::set<std::uint64_t> seen;
    for (const auto& stream : streams)
        for (const auto word : words(stream, 8)) seen.insert(word);
    CHECK(seen.size() == streams.size() * 8);

    // Words within one stream do not repeat over a long run, and bits are balanced.
    rng stream(77);
    std::set<std::uint64_t> run;
    long ones = 0;
    for (int i = 0; i < 20000; ++i) {
        const auto word = stream.next_u64();
        run.insert(word);
        ones += __builtin_popcountll(word);
    }
    CHECK(run.size() == 20000);
    // 1,280,000 fair bits: mean 640000, sd 800; allow 5 sd.
    CHECK(std::abs(static_cast<double>(ones) - 640000.0) < 4000.0);
}

TEST_CASE("uniform() passes a Kolmogorov-Smirnov test against U(0, 1)", "[random][statistics]") {
    constexpr std::size_t n = 100000;
    rng stream(2024);
    std::vector<double> samples(n);
    for (auto& sample : samples) {
        sample = stream.uniform();
        REQUIRE(sample >= 0.0);
        REQUIRE(sample < 1.0);
    }
    const double d = test_support::ks_statistic(samples, [](double u) { return u; });
    CHECK(d < test_support::ks_critical_0_1_percent(n));

    // The two-argument form scales the same draw; equal ends give exactly that end.
    rng scaled(5);
    rng plain(5);
    for (int i = 0; i < 100; ++i) {
        const double value = scaled.uniform(-2.0, 6.0);
        CHECK(value == -2.0 + 8.0 * plain.uniform());
        CHECK(value >= -2.0);
        CHECK(value < 6.0);
    }
    CHECK(scaled.uniform(3.5, 3.5) == 3.5);
}

TEST_CASE("integer() covers [low, high] evenly, ends included", "[random][statistics]") {
    rng stream(31337);
    std::vector<long> counts(10, 0);
    constexpr int draws = 100000;
    for (int i = 0; i < draws; ++i) {
        const auto value = stream.integer(-3, 6);
        REQUIRE(value >= -3);
        REQUIRE(value <= 6);
        ++counts[static_cast<std::size_t>(value + 3)];
    }
    for (const long count : counts) CHECK(count > 0);
    CHECK(test_support::chi_square_uniform(counts) < test_support::chi_square_critical_0_1_percent(9));

    // A range that does not divide 2^64 (3 values): rejection keeps it unbiased.
    std::vector<long> thirds(3, 0);
    for (int i = 0; i < 30000; ++i) ++thirds[static_cast<std::size_t>(stream.integer(10, 12) - 10)];
    CHECK(test_support::chi_square_uniform(thirds) < test_support::chi_square_critical_0_1_percent(2));

    // [-2^63, 2^62): 3 * 2^62 values. Without rejecting the lowest 2^64 mod range = 2^62 words,
    // the first 2^62 values (those below -2^62) would come up half the time instead of a third.
    constexpr std::int64_t quarter = std::int64_t{1} << 62;
    int low_values = 0;
    for (int i = 0; i < 3000; ++i) {
        low_values += stream.integer(std::numeric_limits<std::int64_t>::min(), quarter - 1) < -quarter ? 1 : 0;
    }
    CHECK(std::abs(low_values - 1000) < 5 * 26);  // Binomial(3000, 1/3): sd 25.8

    // A single-value range, and one value per call.
    const auto before = stream.position();
    CHECK(stream.integer(7, 7) == 7);
    CHECK(stream.integer(-9, -9) == -9);
    CHECK(stream.position() - before <= 2);

    // Near the ends of int64.
    constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
    constexpr auto highest = std::numeric_limits<std::int64_t>::max();
    std::set<std::int64_t> top;
    for (int i = 0; i < 200; ++i) top.insert(stream.integer(highest - 1, highest));
    CHECK(top == std::set<std::int64_t>{highest - 1, highest});
    std::set<std::int64_t> bottom;
    for (int i = 0; i < 200; ++i) bottom.insert(stream.integer(lowest, lowest + 1));
    CHECK(bottom == std::set<std::int64_t>{lowest, lowest + 1});
}

TEST_CASE("integer() over the full int64 range returns promptly and spans both signs", "[random]") {
    constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
    constexpr auto highest = std::numeric_limits<std::int64_t>::max();
    rng stream(8);
    int negative = 0;
    for (int i = 0; i < 10000; ++i) {
        if (stream.integer(lowest, highest) < 0) ++negative;
    }
    CHECK(stream.position() == 10000);  // no rejection loop for the full range
    CHECK(negative > 4700);
    CHECK(negative < 5300);

    // Half the range: the top bit is never set, and values are spread.
    std::int64_t largest = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto value = stream.integer(0, highest);
        REQUIRE(value >= 0);
        largest = std::max(largest, value);
    }
    CHECK(largest > highest / 2);
}

TEST_CASE("beta(a, a) has mean 1/2 and variance 1 / (4 (2a + 1))", "[random][statistics]") {
    constexpr int n = 40000;
    for (const double a : {0.2, 1.0, 2.0, 5.0}) {
        CAPTURE(a);
        rng stream(1000 + static_cast<std::uint64_t>(a * 10));
        double sum = 0.0;
        double sum_squares = 0.0;
        for (int i = 0; i < n; ++i) {
            const double x = stream.beta(a);
            REQUIRE(x >= 0.0);
            REQUIRE(x <= 1.0);
            sum += x;
            sum_squares += x * x;
        }
        const double mean = sum / n;
        const double variance = sum_squares / n - mean * mean;
        const double expected_variance = 1.0 / (4.0 * (2.0 * a + 1.0));
        // Standard errors: of the mean sqrt(var / n); of the sample variance
        // sqrt((mu4 - var^2) / n), with mu4 = var^2 (3 - 6 / (2a + 3)) for Beta(a, a).
        const double mean_error = std::sqrt(expected_variance / n);
        const double variance_error =
            expected_variance * std::sqrt((2.0 - 6.0 / (2.0 * a + 3.0)) / n);
        CHECK(std::abs(mean - 0.5) < 5.0 * mean_error);
        CHECK(std::abs(variance - expected_variance) < 5.0 * variance_error);
    }
}

TEST_CASE("beta(1, 1) is uniform and beta(a, b) has mean a / (a + b)", "[random][statistics]") {
    constexpr std::size_t n = 50000;
    rng stream(4242);
    std::vector<double> samples(n);
    for (auto& sample : samples) sample = stream.beta(1.0, 1.0);
    CHECK(test_support::ks_statistic(samples, [](double u) { return u; }) <
          test_support::ks_critical_0_1_percent(n));

    // Beta(2, 5): mean 2/7, variance ab / ((a+b)^2 (a+b+1)) = 10 / 392.
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += stream.beta(2.0, 5.0);
    const double standard_error = std::sqrt(10.0 / 392.0 / static_cast<double>(n));
    CHECK(std::abs(sum / static_cast<double>(n) - 2.0 / 7.0) < 5.0 * standard_error);

    // Tiny shapes draw in log space and still land inside [0, 1] with both tails used.
    int low = 0;
    int high = 0;
    for (int i = 0; i < 2000; ++i) {
        const double x = stream.beta(0.05);
        REQUIRE(x >= 0.0);
        REQUIRE(x <= 1.0);
        low += x < 0.01 ? 1 : 0;
        high += x > 0.99 ? 1 : 0;
    }
    CHECK(low > 500);
    CHECK(high > 500);
}

TEST_CASE("normal() has mean 0 and variance 1 and passes a KS test", "[random][statistics]") {
    constexpr std::size_t n = 100000;
    rng stream(99);
    std::vector<double> samples(n);
    double sum = 0.0;
    double sum_squares = 0.0;
    for (auto& sample : samples) {
        sample = stream.normal();
        sum += sample;
        sum_squares += sample * sample;
    }
    const double mean = sum / static_cast<double>(n);
    const double variance = sum_squares / static_cast<double>(n) - mean * mean;
    CHECK(std::abs(mean) < 5.0 / std::sqrt(static_cast<double>(n)));
    CHECK(std::abs(variance - 1.0) < 5.0 * std::sqrt(2.0 / static_cast<double>(n)));
    const auto normal_cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
    CHECK(test_support::ks_statistic(samples, normal_cdf) < test_support::ks_critical_0_1_percent(n));
}

TEST_CASE("bad distribution parameters throw resizemix::error", "[random]") {
    rng stream(1);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();

    CHECK_THROWS_AS(stream.beta(0.0), std::invalid_argument);
    CHECK_THROWS_WITH(stream.beta(0.0), Contains("rng::beta") && Contains("a=0"));
    CHECK_THROWS_WITH(stream.beta(-1.0), Contains("a=-1"));
    CHECK_THROWS_WITH(stream.beta(nan), Contains("nan"));
    CHECK_THROWS_AS(stream.beta(inf), resizemix::error);
    CHECK_THROWS_WITH(stream.beta(1.0, 0.0), Contains("b=0"));
    CHECK_THROWS_AS(stream.log_gamma_variate(0.0), resizemix::error);
    CHECK_THROWS_AS(stream.log_gamma_variate(nan), resizemix::error);

    CHECK_THROWS_WITH(stream.integer(2, 1), Contains("rng::integer") && Contains("[2, 1]"));
    CHECK_THROWS_WITH(stream.uniform(1.0, 0.0), Contains("rng::uniform"));
    CHECK_THROWS_AS(stream.uniform(nan, 1.0), resizemix::error);
    CHECK_THROWS_AS(stream.uniform(0.0, inf), resizemix::error);

    // A refused call draws nothing.
    CHECK(stream.position() == 0);
}
