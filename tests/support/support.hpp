// tests/support/support.hpp: small helpers shared by the unit tests (not a test file itself).
//
// Test data comes from a generator of its own (not resizemix::rng), so that a
// change in the library's random stream cannot hide in the fixtures; the
// statistics helpers are the textbook formulas, written out.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <stb_image.h>
#include <catch2/catch.hpp>

#include <resizemix/image.hpp>
#include <resizemix/view.hpp>

namespace test_support {

using resizemix::index_t;

/// A tiny deterministic generator for fixtures (Knuth's MMIX LCG, top bits).
class fixture_random {
public:
    explicit fixture_random(std::uint64_t seed) : state_(seed * 2862933555777941757ULL + 3037000493ULL) {}
    std::uint32_t next() {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state_ >> 33U);
    }
    /// Uniform on [0, 1) with 31 bits.
    double unit() { return static_cast<double>(next()) / 2147483648.0; }
    /// Uniform integer on [low, high].
    index_t between(index_t low, index_t high) {
        return low + static_cast<index_t>(next() % static_cast<std::uint32_t>(high - low + 1));
    }

private:
    std::uint64_t state_;
};

/// A pixel value of type T from a "level" in [0, 255]: uint8 keeps it, float scales to [0, 1].
template <class T>
T level(double value) {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return static_cast<std::uint8_t>(value);
    } else {
        return static_cast<float>(value / 255.0);
    }
}

/// Fills a view with fixture noise by logical position (uint8: 0..255; float: [0, 1)),
/// so every memory layout holds the same image for the same draws.
template <class T>
void fill_noise(resizemix::image_view<T> view, fixture_random& random) {
    for (index_t c = 0; c < view.channels(); ++c)
        for (index_t y = 0; y < view.height(); ++y)
            for (index_t x = 0; x < view.width(); ++x) {
                if constexpr (std::is_same_v<T, std::uint8_t>) {
                    view(c, y, x) = static_cast<std::uint8_t>(random.next() % 256U);
                } else {
                    view(c, y, x) = static_cast<float>(random.unit());
                }
            }
}

/// An owning image filled with fixture noise (uint8: 0..255; float: [0, 1)).
template <class T>
resizemix::image<T> noise_image(index_t channels, index_t height, index_t width, std::uint64_t seed,
                                resizemix::memory_layout layout = resizemix::memory_layout::hwc) {
    resizemix::image<T> result(channels, height, width, layout);
    fixture_random random(seed);
    fill_noise(result.view(), random);
    return result;
}

/// Loads examples/data/<name> as an 8-bit image with `channels` channels (HWC).
inline resizemix::image<std::uint8_t> load_photo(const std::string& name, int channels = 3) {
    const std::string path = std::string(RESIZEMIX_DATA_DIR) + "/" + name;
    int width = 0;
    int height = 0;
    int file_channels = 0;
    stbi_uc* pixels = stbi_load(path.c_str(), &width, &height, &file_channels, channels);
    REQUIRE(pixels != nullptr);
    const auto view = resizemix::from_hwc<const std::uint8_t>(pixels, height, width, channels);
    resizemix::image<std::uint8_t> result(view);
    stbi_image_free(pixels);
    return result;
}

/// The same pixels as float (levels 0..255 kept, not scaled).
template <class T>
resizemix::image<float> to_float(resizemix::image_view<const T> source) {
    resizemix::image<float> result(source.channels(), source.height(), source.width());
    for (index_t c = 0; c < source.channels(); ++c)
        for (index_t y = 0; y < source.height(); ++y)
            for (index_t x = 0; x < source.width(); ++x) result(c, y, x) = static_cast<float>(source(c, y, x));
    return result;
}

/// True when both views hold the same shape and exactly the same values.
template <class A, class B>
bool same_values(const resizemix::image_view<A>& a, const resizemix::image_view<B>& b) {
    if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) return false;
    for (index_t c = 0; c < a.channels(); ++c)
        for (index_t y = 0; y < a.height(); ++y)
            for (index_t x = 0; x < a.width(); ++x)
                if (!(a(c, y, x) == b(c, y, x))) return false;
    return true;
}

/// The one-sample Kolmogorov-Smirnov statistic D of `samples` against a CDF.
template <class Cdf>
double ks_statistic(std::vector<double> samples, Cdf cdf) {
    std::sort(samples.begin(), samples.end());
    const auto n = static_cast<double>(samples.size());
    double d = 0.0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double f = cdf(samples[i]);
        d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
    }
    return d;
}

/// The 0.1% critical value of the KS statistic for n samples (large-n approximation).
inline double ks_critical_0_1_percent(std::size_t n) { return 1.95 / std::sqrt(static_cast<double>(n)); }

/// Pearson's chi-square statistic of `counts` against equal expected counts.
inline double chi_square_uniform(const std::vector<long>& counts) {
    long total = 0;
    for (const long c : counts) total += c;
    const double expected = static_cast<double>(total) / static_cast<double>(counts.size());
    double statistic = 0.0;
    for (const long c : counts) statistic += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
    return statistic;
}

/// 0.1% critical values of chi-square for df = 1..20 (standard table).
inline double chi_square_critical_0_1_percent(std::size_t df) {
    static const double table[] = {10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322,
                                   26.124, 27.877, 29.588, 31.264, 32.909, 34.528, 36.123,
                                   37.697, 39.252, 40.790, 42.312, 43.820, 45.315};
    REQUIRE(df >= 1);
    REQUIRE(df <= 20);
    return table[df - 1];
}

}  // namespace test_support
