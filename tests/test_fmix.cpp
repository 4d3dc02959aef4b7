// Tests of resizemix/mixers/fmix.hpp and detail/fft.hpp: the FFT against the direct sums;
// lambda the exact share of a binary mask whose size is the Beta draw rounded as the authors
// round it; every output pixel from the source or the target as the mask says; the spectrum's
// 1 / f^delta decay on average; agreement in distribution with the authors' sample_mask
// (written out below from their fmix.py, with an FFT-free inverse); mix_batch in place and out
// of place on 1, 2 and 4 threads, through one_of, any_mixer and sometimes; bad parameters.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/detail/fft.hpp>
#include <resizemix/mixers/fmix.hpp>
#include <resizemix/mixers/resizemix.hpp>
#include <resizemix/resize.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;
using complex_value = std::complex<double>;

namespace {

/// numpy.fft.irfftn(spectrum, (height, width)) by its definition: the inverse DFT along y,
/// then the real inverse along x from the half spectrum (imaginary parts of column 0 and of
/// the Nyquist column ignored), both scaled by 1 / n.
std::vector<double> direct_irfft2(const std::vector<complex_value>& spectrum, index_t height, index_t width) {
    const index_t half = width / 2 + 1;
    std::vector<complex_value> columns(static_cast<std::size_t>(height * half));
    for (index_t y = 0; y < height; ++y)
        for (index_t kx = 0; kx < half; ++kx) {
            complex_value sum = 0;
            for (index_t ky = 0; ky < height; ++ky) {
                const double angle = 2.0 * std::numbers::pi * static_cast<double>(ky * y % height) / static_cast<double>(height);
                sum += spectrum[static_cast<std::size_t>(ky * half + kx)] * complex_value(std::cos(angle), std::sin(angle));
            }
            columns[static_cast<std::size_t>(y * half + kx)] = sum / static_cast<double>(height);
        }
    std::vector<double> image(static_cast<std::size_t>(height * width));
    for (index_t y = 0; y < height; ++y)
        for (index_t n = 0; n < width; ++n) {
            const complex_value* row = &columns[static_cast<std::size_t>(y * half)];
            double value = row[0].real();
            for (index_t k = 1; 2 * k < width; ++k) {
                const double angle = 2.0 * std::numbers::pi * static_cast<double>(k * n % width) / static_cast<double>(width);
                value += 2.0 * (row[k] * complex_value(std::cos(angle), std::sin(angle))).real();
            }
            if (width % 2 == 0) value += row[width / 2].real() * (n % 2 == 0 ? 1.0 : -1.0);
            image[static_cast<std::size_t>(y * width + n)] = value / static_cast<double>(width);
        }
    return image;
}

/// A standard normal from the fixture generator (Box-Muller), independent of resizemix::rng.
double fixture_normal(test_support::fixture_random& random) {
    const double u = 1.0 - random.unit();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * random.unit());
}

/// The authors' sample_mask(alpha, decay_power, (height, width)) with max_soft = 0 (fmix.py):
/// lam ~ Beta; fftfreqnd; spectrum = randn * 1 / max(freqs, 1 / max(w, h)) ** decay_power;
/// mask = irfftn(spectrum); the top ceil / floor(lam * size) of argsort(mask)[::-1] set to 1.
/// Returns the mask (row-major, 0 / 1). lam comes in, drawn by the caller.
std::vector<int> authors_sample_mask(double lam, double decay_power, index_t height, index_t width,
                                     test_support::fixture_random& random) {
    const index_t half = width / 2 + 1;
    std::vector<complex_value> spectrum(static_cast<std::size_t>(height * half));
    for (index_t ky = 0; ky < height; ++ky)
        for (index_t kx = 0; kx < half; ++kx) {
            const double fy = static_cast<double>(ky < (height + 1) / 2 ? ky : ky - height) / static_cast<double>(height);
            const double fx = static_cast<double>(kx) / static_cast<double>(width);
            const double freq = std::sqrt(fx * fx + fy * fy);
            const double scale = 1.0 / std::pow(std::max(freq, 1.0 / static_cast<double>(std::max(width, height))), decay_power);
            const double real = fixture_normal(random);
            spectrum[static_cast<std::size_t>(ky * half + kx)] = {scale * real, scale * fixture_normal(random)};
        }
    const std::vector<double> noise = direct_irfft2(spectrum, height, width);
    std::vector<std::size_t> idx(noise.size());
    for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return noise[a] > noise[b]; });
    const double size = static_cast<double>(noise.size());
    const auto num = static_cast<std::size_t>(random.unit() > 0.5 ? std::ceil(lam * size) : std::floor(lam * size));
    std::vector<int> mask(noise.size(), 0);
    for (std::size_t k = 0; k < num; ++k) mask[idx[k]] = 1;
    return mask;
}

/// How rough a mask is: the share of 4-neighbour pairs whose two pixels differ.
double boundary_share(const std::vector<int>& mask, index_t height, index_t width) {
    long differing = 0;
    long pairs = 0;
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const int here = mask[static_cast<std::size_t>(y * width + x)];
            if (x + 1 < width) {
                differing += here != mask[static_cast<std::size_t>(y * width + x + 1)];
                ++pairs;
            }
            if (y + 1 < height) {
                differing += here != mask[static_cast<std::size_t>((y + 1) * width + x)];
                ++pairs;
            }
        }
    return static_cast<double>(differing) / static_cast<double>(pairs);
}

/// Our mask over the whole image, from a plan.
std::vector<int> full_mask(const mix_info& info, index_t height, index_t width) {
    std::vector<int> mask(static_cast<std::size_t>(height * width), 0);
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) mask[static_cast<std::size_t>(y * width + x)] = info.from_source(x, y);
    return mask;
}

/// The two-sample Kolmogorov-Smirnov statistic.
double two_sample_ks(std::vector<double> a, std::vector<double> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    double d = 0.0;
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const double value = std::min(a[i], b[j]);
        while (i < a.size() && a[i] == value) ++i;
        while (j < b.size() && b[j] == value) ++j;
        d = std::max(d, std::abs(static_cast<double>(i) / static_cast<double>(a.size()) -
                                 static_cast<double>(j) / static_cast<double>(b.size())));
    }
    return d;
}

}  // namespace

TEST_CASE("inverse_real_fft_2d equals numpy's irfftn by its definition, up to 1 / (height * width)", "[fmix][fft]") {
    test_support::fixture_random random(4);
    // Powers of two, mixed radices (6, 10, 12, 14 = 2 * 7), a prime above 64 (Bluestein), odd and even widths.
    for (const auto& [height, width] : std::vector<std::pair<index_t, index_t>>{
             {1, 1}, {1, 2}, {2, 3}, {8, 8}, {6, 10}, {7, 12}, {14, 5}, {67, 4}, {3, 71}}) {
        const index_t half = width / 2 + 1;
        std::vector<complex_value> spectrum(static_cast<std::size_t>(height * half));
        for (auto& value : spectrum) value = {fixture_normal(random), fixture_normal(random)};
        const std::vector<double> expected = direct_irfft2(spectrum, height, width);
        const std::vector<double> ours = detail::inverse_real_fft_2d(spectrum, static_cast<std::size_t>(height),
                                                                    static_cast<std::size_t>(width));
        const double scale = static_cast<double>(height * width);
        CAPTURE(height, width);
        REQUIRE(ours.size() == expected.size());
        for (std::size_t k = 0; k < ours.size(); ++k) CHECK(ours[k] / scale == Approx(expected[k]).margin(1e-9));
    }
}

TEST_CASE("fmix: a binary mask whose exact share is lambda, the Beta draw rounded as the authors do", "[fmix]") {
    for (const auto& [height, width] : std::vector<std::pair<index_t, index_t>>{{1, 1}, {5, 3}, {24, 24}, {17, 40}}) {
        const image<std::uint8_t> picture = test_support::noise_image<std::uint8_t>(1, height, width, 2);
        for (std::uint64_t seed = 0; seed < 30; ++seed) {
            rng random(seed);
            rng replay = random;
            const double share = replay.beta(1.0);
            (void)fmix{}.low_frequency_noise(width, height, replay);
            const bool up = replay.uniform() > 0.5;
            const mix_info info = fmix{}.plan(picture.const_view(), picture.const_view(), random, no_saliency{});
            CHECK(random.position() == replay.position());
            const double pixels = static_cast<double>(height * width);
            const double count = up ? std::ceil(share * pixels) : std::floor(share * pixels);
            CAPTURE(height, width, seed, share);
            CHECK(info.lambda == count / pixels);
            if (count == 0) {
                CHECK(info.box.empty());
                CHECK(info.mask == nullptr);
                continue;
            }
            REQUIRE(info.mask != nullptr);
            CHECK(info.mask->count() == static_cast<index_t>(count));
            CHECK(info.mask->width() == info.box.width);
            CHECK(info.mask->height() == info.box.height);
            CHECK(info.source_box == info.box);
            // The box is the mask's bounding box: every edge row and column holds a set pixel.
            const auto& mask = *info.mask;
            bool top = false, bottom = false, left = false, right = false;
            for (index_t x = 0; x < mask.width(); ++x) top = top || mask(0, x), bottom = bottom || mask(mask.height() - 1, x);
            for (index_t y = 0; y < mask.height(); ++y) left = left || mask(y, 0), right = right || mask(y, mask.width() - 1);
            CHECK((top && bottom && left && right));
        }
    }
}

TEST_CASE("fmix: the highest noise values take the source", "[fmix]") {
    const index_t height = 12, width = 9;
    const image<std::uint8_t> picture = test_support::noise_image<std::uint8_t>(1, height, width, 2);
    rng random(3);
    rng replay = random;
    (void)replay.beta(1.0);
    const std::vector<double> noise = fmix{}.low_frequency_noise(width, height, replay);
    const mix_info info = fmix{}.plan(picture.const_view(), picture.const_view(), random, no_saliency{});
    double lowest_in = 1e300, highest_out = -1e300;
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const double value = noise[static_cast<std::size_t>(y * width + x)];
            if (info.from_source(x, y)) lowest_in = std::min(lowest_in, value);
            else highest_out = std::max(highest_out, value);
        }
    CHECK(lowest_in > highest_out);
}

TEMPLATE_TEST_CASE("fmix: each output pixel is the source's where the mask is set, else the target's", "[fmix]",
                   std::uint8_t, float) {
    const image<TestType> source = test_support::noise_image<TestType>(3, 21, 26, 1, memory_layout::chw);
    const image<TestType> target = test_support::noise_image<TestType>(3, 21, 26, 2);
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
        image<TestType> out(3, 21, 26);
        rng random(seed);
        const mix_info info = fmix{.alpha = 2.0f}(source, target, out, random);
        index_t from_source = 0;
        for (index_t y = 0; y < 21; ++y)
            for (index_t x = 0; x < 26; ++x) {
                from_source += info.from_source(x, y);
                for (index_t c = 0; c < 3; ++c)
                    CHECK(out(c, y, x) == (info.from_source(x, y) ? source(c, y, x) : target(c, y, x)));
            }
        CHECK(static_cast<double>(from_source) / (21.0 * 26.0) == info.lambda);
        image<TestType> in_place = target;
        rng again(seed);
        fmix{.alpha = 2.0f}(source, in_place, in_place, again);
        CHECK(test_support::same_values(in_place.const_view(), out.const_view()));
    }
}

TEST_CASE("fmix: the noise's power falls as 1 / f^(2 delta) on average", "[fmix]") {
    // The forward DFT of the noise gives back the drawn spectrum (scaled), whose expected power
    // at frequency f is 2 / f^(2 delta): check the slope of log power against log f.
    const index_t side = 32;
    for (const float delta : {1.0f, 3.0f}) {
        std::vector<double> power(static_cast<std::size_t>(side / 2 + 1), 0.0);
        rng random(delta == 1.0f ? 1 : 2);
        for (int sample = 0; sample < 40; ++sample) {
            const std::vector<double> noise = fmix{.decay_power = delta}.low_frequency_noise(side, side, random);
            for (index_t k = 1; k <= side / 2; ++k) {  // along the x axis: frequency k / side, ky = 0
                complex_value sum = 0;
                for (index_t y = 0; y < side; ++y)
                    for (index_t x = 0; x < side; ++x) {
                        const double angle = -2.0 * std::numbers::pi * static_cast<double>(k * x % side) / side;
                        sum += noise[static_cast<std::size_t>(y * side + x)] * complex_value(std::cos(angle), std::sin(angle));
                    }
                power[static_cast<std::size_t>(k)] += std::norm(sum);
            }
        }
        // Least-squares slope over k = 1 .. 15 (the Nyquist bin has half the variance).
        double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
        for (index_t k = 1; k < side / 2; ++k) {
            const double lx = std::log(static_cast<double>(k)), ly = std::log(power[static_cast<std::size_t>(k)]);
            sx += lx, sy += ly, sxx += lx * lx, sxy += lx * ly, n += 1;
        }
        const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        CAPTURE(delta);
        CHECK(slope == Approx(-2.0 * delta).margin(0.4));
    }
}

TEST_CASE("fmix agrees in distribution with the authors' sample_mask", "[fmix]") {
    const index_t height = 16, width = 20;
    const int samples = 300;
    const image<std::uint8_t> picture = test_support::noise_image<std::uint8_t>(1, height, width, 2);
    std::vector<double> ours, authors, authors_rough, our_shares, authors_shares;
    test_support::fixture_random random(77);
    for (int s = 0; s < samples; ++s) {
        rng stream(static_cast<std::uint64_t>(s));
        const mix_info info = fmix{}.plan(picture.const_view(), picture.const_view(), stream, no_saliency{});
        ours.push_back(boundary_share(full_mask(info, height, width), height, width));
        our_shares.push_back(info.lambda);
        const double lam = random.unit();  // Beta(1, 1)
        const std::vector<int> mask = authors_sample_mask(lam, 3.0, height, width, random);
        authors.push_back(boundary_share(mask, height, width));
        authors_shares.push_back(static_cast<double>(std::count(mask.begin(), mask.end(), 1)) / (height * width));
        authors_rough.push_back(boundary_share(authors_sample_mask(lam, 1.0, height, width, random), height, width));
    }
    // Two-sample Kolmogorov-Smirnov at the 0.1% level: c(0.001) * sqrt(2 / n).
    const double critical = 1.95 * std::sqrt(2.0 / samples);
    CHECK(two_sample_ks(ours, authors) < critical);
    CHECK(two_sample_ks(our_shares, authors_shares) < critical);
    // The statistic can tell the decay powers apart: delta = 1 gives rougher masks.
    CHECK(two_sample_ks(ours, authors_rough) > 3 * critical);
}

TEMPLATE_TEST_CASE("fmix in mix_batch: in place == out of place on 1/2/4 threads, through one_of, any_mixer and sometimes",
                   "[fmix][batch]", std::uint8_t, float) {
    const index_t count = 8, height = 18, width = 22;
    std::vector<TestType> pixels(static_cast<std::size_t>(count * 3 * height * width));
    test_support::fixture_random random(5);
    for (auto& p : pixels) p = test_support::level<TestType>(static_cast<double>(random.between(0, 255)));
    const any_mixer erased = fmix{};
    const auto composed = one_of({{fmix{}, 1.0}, {sometimes(fmix{.decay_power = 2.0f}, 0.5), 1.0}, {resize_mix{}, 1.0}});
    for (const any_mixer& mixer : {erased, any_mixer(composed)}) {
        CHECK(patch_may_alias_target(mixer));
        batch_options options;
        options.seed = 9;
        options.num_classes = 4;
        const std::vector<std::int64_t> labels{0, 1, 2, 3, 0, 1, 2, 3};
        std::vector<TestType> reference(pixels.size());
        const auto expected = mix_batch(mixer, from_nchw<const TestType>(pixels.data(), count, 3, height, width), labels,
                                        from_nchw(reference.data(), count, 3, height, width), options);
        CHECK(reference != pixels);
        for (std::size_t i = 0; i < expected.samples.size(); ++i) {
            const auto& info = expected.samples[i].info;
            // Soft labels put the mask's exact share on the partner's class.
            CHECK(expected.labels(static_cast<Eigen::Index>(i), labels[static_cast<std::size_t>(expected.samples[i].partner)]) >=
                  static_cast<float>(info.lambda) - 1e-6f);
        }
        for (const unsigned threads : {1U, 2U, 4U}) {
            options.threads = threads;
            std::vector<TestType> copy = pixels;
            const auto view = from_nchw(copy.data(), count, 3, height, width);
            const auto result = mix_batch(mixer, view, labels, view, options);
            CHECK(copy == reference);
            CHECK(result.labels == expected.labels);
            std::vector<TestType> out(pixels.size());
            mix_batch(mixer, from_nchw<const TestType>(pixels.data(), count, 3, height, width), labels,
                      from_nchw(out.data(), count, 3, height, width), options);
            CHECK(out == reference);
        }
    }
}

TEST_CASE("fmix refuses bad parameters and huge targets", "[fmix]") {
    const image<std::uint8_t> picture = test_support::noise_image<std::uint8_t>(3, 8, 8, 1);
    image<std::uint8_t> out(3, 8, 8);
    rng random(0);
    CHECK_THROWS_WITH(fmix{.alpha = 0.0f}(picture, picture, out, random), Contains("fmix") && Contains("alpha"));
    CHECK_THROWS_WITH(fmix{.decay_power = -1.0f}(picture, picture, out, random),
                      Contains("decay_power must be finite and > 0, got -1"));
    CHECK_THROWS_WITH(fmix{.decay_power = std::nanf("")}(picture, picture, out, random), Contains("decay_power"));
    CHECK_THROWS_WITH(mix_mask(2, 2, {0, 1, 2, 0}), Contains("values must be 0 or 1, got 2"));
    CHECK_THROWS_WITH(mix_mask(2, 2, {0, 1}), Contains("expected 2x2 values"));
}
