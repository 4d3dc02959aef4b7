// resizemix/random.hpp: rng, the library's own portable, counter-based random numbers.
//
// Output n of a stream is a pure function of (seed, stream, n): a SplitMix64
// hash of a key derived from seed and stream, plus n times the golden-ratio
// increment. Every distribution is implemented here from that stream (never
// std::*_distribution, whose output differs between standard libraries), so
// the same seed gives the same draws on every platform and thread count.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "error.hpp"

namespace resizemix {

namespace detail {

/// The SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
}

inline constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

}  // namespace detail

/// A reproducible random stream. Cheap to copy; copies continue independently
/// from the same position. Not thread-safe: give each thread its own stream
/// (for batches, rng::for_sample derives one per sample).
class rng {
public:
    /// Stream `stream` of `seed`; different (seed, stream) pairs give unrelated streams.
    explicit constexpr rng(std::uint64_t seed = 0, std::uint64_t stream = 0) noexcept
        : key_(detail::mix64(detail::mix64(seed ^ 0x5851f42d4c957f2dULL) + stream * detail::golden_gamma)) {}

    /// The stream of sample `index` of the batch at (`epoch`, `step`) on data-parallel
    /// rank `rank` of a run seeded with `seed`: what mix_batch uses, so any sample
    /// can be re-mixed on its own. Every coordinate changes every draw.
    [[nodiscard]] static constexpr rng for_sample(std::uint64_t seed, std::uint64_t epoch, std::uint64_t step,
                                                  std::uint64_t rank, std::uint64_t index) noexcept {
        // mix64(0) == 0, so step 0 on rank 0 keeps the streams of for_sample(seed, epoch, index).
        const std::uint64_t batch_salt = detail::mix64(detail::mix64(step) + rank * detail::golden_gamma);
        return rng(seed, detail::mix64(epoch + detail::golden_gamma) ^ index ^ batch_salt);
    }

    /// The stream of sample `index` in epoch `epoch`, step 0, rank 0.
    [[nodiscard]] static constexpr rng for_sample(std::uint64_t seed, std::uint64_t epoch,
                                                  std::uint64_t index) noexcept {
        return for_sample(seed, epoch, 0, 0, index);
    }

    /// The next 64 random bits.
    constexpr std::uint64_t next_u64() noexcept {
        return detail::mix64(key_ + (++counter_) * detail::golden_gamma);
    }

    /// How many 64-bit words have been drawn so far.
    [[nodiscard]] constexpr std::uint64_t position() const noexcept { return counter_; }

    /// A double uniform on [0, 1), with 53 random bits.
    double uniform() noexcept {
        return static_cast<double>(next_u64() >> 11U) * 0x1.0p-53;
    }

    /// A double uniform on [low, high) (or exactly low when low == high).
    double uniform(double low, double high) {
        if (!(low <= high) || !std::isfinite(low) || !std::isfinite(high)) {
            detail::fail("rng::uniform", "needs finite low <= high, got [", low, ", ", high, ")");
        }
        return low + (high - low) * uniform();
    }

    /// An integer uniform on [low, high], both ends included, without modulo bias.
    std::int64_t integer(std::int64_t low, std::int64_t high) {
        if (low > high) detail::fail("rng::integer", "needs low <= high, got [", low, ", ", high, "]");
        const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) + 1U;
        if (range == 0) return static_cast<std::int64_t>(next_u64());  // the full 64-bit range
        // Reject the lowest (2^64 mod range) values so every residue is equally likely.
        const std::uint64_t threshold = (0U - range) % range;
        std::uint64_t bits = next_u64();
        while (bits < threshold) bits = next_u64();
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + bits % range);
    }

    /// A standard normal draw (Marsaglia's polar method).
    double normal() noexcept {
        for (;;) {
            const double u = 2.0 * uniform() - 1.0;
            const double v = 2.0 * uniform() - 1.0;
            const double s = u * u + v * v;
            if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
        }
    }

    /// log of a Gamma(shape, 1) draw (Marsaglia and Tsang 2000). Returned in log
    /// space so that shapes far below 1 do not underflow to zero.
    double log_gamma_variate(double shape) {
        if (!(shape > 0.0) || !std::isfinite(shape)) {
            detail::fail("rng::log_gamma_variate", "shape must be finite and > 0, got ", shape);
        }
        if (shape < 1.0) {
            // Gamma(a) = Gamma(a + 1) * U^(1/a)
            const double boost = std::log1p(-uniform()) / shape;  // log(U) with U in (0, 1]
            return log_gamma_variate(shape + 1.0) + boost;
        }
        const double d = shape - 1.0 / 3.0;
        const double c = 1.0 / std::sqrt(9.0 * d);
        for (;;) {
            const double x = normal();
            double v = 1.0 + c * x;
            if (v <= 0.0) continue;
            v = v * v * v;
            const double u = uniform();
            if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return std::log(d * v);
            if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return std::log(d * v);
        }
    }

    /// A Beta(a, b) draw, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
    double beta(double a, double b) {
        if (!(a > 0.0) || !std::isfinite(a) || !(b > 0.0) || !std::isfinite(b)) {
            detail::fail("rng::beta", "parameters must be finite and > 0, got a=", a, ", b=", b);
        }
        const double log_x = log_gamma_variate(a);
        const double log_y = log_gamma_variate(b);
        return 1.0 / (1.0 + std::exp(log_y - log_x));
    }

    /// A symmetric Beta(alpha, alpha) draw: the mixing weight of CutMix and Mixup.
    double beta(double alpha) { return beta(alpha, alpha); }

private:
    std::uint64_t key_;
    std::uint64_t counter_ = 0;
};

}  // namespace resizemix
