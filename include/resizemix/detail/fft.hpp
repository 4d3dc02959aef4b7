// resizemix/detail/fft.hpp: a small inverse FFT of any length, and the real 2-D inverse FMix needs.
//
// Mixed radix over the length's prime factors, and Bluestein's chirp-z (through a
// power-of-two transform) for lengths with a prime factor above 64, so an image of any
// size costs O(n log n). Double precision; the twiddles
// come from std::cos / std::sin of exactly reduced angles. Standard library only.
#pragma once

#include <algorithm>
#include <array>
#include <complex>
#include <cstddef>
#include <numbers>
#include <utility>
#include <vector>

namespace resizemix::detail {

using complex_value = std::complex<double>;

/// a * b without the C99 Annex G NaN and infinity recovery of std::complex's operator*
/// (a library call per product): the values here are always finite.
[[nodiscard]] inline complex_value multiply(const complex_value& a, const complex_value& b) noexcept {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

/// An unscaled DFT of one length with sign +1 (inverse) or -1 (forward), by mixed-radix
/// decimation in time over the length's prime factors (each butterfly a direct DFT of its
/// factor): O(n * sum of the factors).
class mixed_radix_fft {
public:
    /// The largest prime factor a length may have (else inverse_dft goes through Bluestein).
    static constexpr std::size_t max_direct_factor = 64;

    /// Precondition: `length` >= 1, and its prime factors at most max_direct_factor unless it is only
    /// asked for largest_factor().
    explicit mixed_radix_fft(std::size_t length) : length_(length), twiddles_(length), inverse_twiddles_(length) {
        for (std::size_t j = 0; j < length; ++j) {
            const double angle = 2.0 * std::numbers::pi * static_cast<double>(j) / static_cast<double>(length);
            inverse_twiddles_[j] = {std::cos(angle), std::sin(angle)};
            twiddles_[j] = std::conj(inverse_twiddles_[j]);
        }
        std::size_t rest = length;
        for (const std::size_t radix : {std::size_t{4}, std::size_t{2}})
            for (; rest % radix == 0; rest /= radix) factors_.push_back(radix);
        for (std::size_t radix = 3; rest > 1; radix += 2)
            for (; rest % radix == 0; rest /= radix) factors_.push_back(radix);
    }

    /// The largest factor: a butterfly's cost per value.
    [[nodiscard]] std::size_t largest_factor() const noexcept {
        std::size_t largest = 1;
        for (const std::size_t f : factors_) largest = std::max(largest, f);
        return largest;
    }

    /// Writes the transform of `in` into `out` (length values each, contiguous, not overlapping).
    void operator()(const complex_value* in, complex_value* out, int sign) const {
        transform(in, out, length_, 1, 0, sign);
    }

private:
    void transform(const complex_value* in, complex_value* out, std::size_t n, std::size_t stride,
                   std::size_t level, int sign) const {
        if (n == 1) {
            out[0] = in[0];
            return;
        }
        const std::size_t radix = factors_[level];
        const std::size_t part = n / radix;
        for (std::size_t q = 0; q < radix; ++q) transform(in + q * stride, out + q * part, part, stride * radix, level + 1, sign);
        // Combine: out[k + r * part] = sum_q sub_q[k] * w_n^(q (k + r part)), with w_n = exp(sign 2 pi i / n).
        const std::vector<complex_value>& table = sign > 0 ? inverse_twiddles_ : twiddles_;
        const std::size_t step = length_ / n;  // w_n^j is table[j * step mod length]
        if (radix == 2) {
            for (std::size_t k = 0; k < part; ++k) {
                const complex_value odd = multiply(out[part + k], table[k * step]);
                out[part + k] = out[k] - odd;
                out[k] += odd;
            }
            return;
        }
        if (radix == 4) {
            // w_n^part = w_4 = +-i: the four outputs from three twiddled inputs, by additions.
            const complex_value quarter_turn = sign > 0 ? complex_value(0.0, 1.0) : complex_value(0.0, -1.0);
            for (std::size_t k = 0; k < part; ++k) {
                const complex_value a0 = out[k];
                const complex_value a1 = multiply(out[part + k], table[k * step]);
                const complex_value a2 = multiply(out[2 * part + k], table[2 * k * step]);
                const complex_value a3 = multiply(out[3 * part + k], table[3 * k * step]);
                const complex_value sum02 = a0 + a2, difference02 = a0 - a2;
                const complex_value sum13 = a1 + a3, difference13 = multiply(a1 - a3, quarter_turn);
                out[k] = sum02 + sum13;
                out[part + k] = difference02 + difference13;
                out[2 * part + k] = sum02 - sum13;
                out[3 * part + k] = difference02 - difference13;
            }
            return;
        }
        std::array<complex_value, max_direct_factor> inputs{};
        for (std::size_t k = 0; k < part; ++k) {
            for (std::size_t q = 0; q < radix; ++q) inputs[q] = out[q * part + k];
            for (std::size_t r = 0; r < radix; ++r) {
                complex_value sum = inputs[0];
                const std::size_t index = k + r * part;
                for (std::size_t q = 1; q < radix; ++q) sum += multiply(inputs[q], table[(q * index % n) * step]);
                out[index] = sum;
            }
        }
    }

    std::size_t length_;
    std::vector<complex_value> twiddles_;          // exp(-2 pi i j / length)
    std::vector<complex_value> inverse_twiddles_;  // exp(+2 pi i j / length)
    std::vector<std::size_t> factors_;
};

/// The unscaled inverse DFT of one length: x[n] = sum_k X[k] exp(+2 pi i k n / N).
class inverse_dft {
public:
    explicit inverse_dft(std::size_t length) : length_(length), direct_(length), padded_(1), fft_(1) {
        if (direct_.largest_factor() <= mixed_radix_fft::max_direct_factor) return;
        // A large prime factor: Bluestein, kn = (k^2 + n^2 - (n - k)^2) / 2 turns the DFT into a
        // convolution with a chirp, done with power-of-two transforms.
        while (padded_ < 2 * length - 1) padded_ <<= 1U;
        fft_ = mixed_radix_fft(padded_);
        chirp_.resize(length);
        for (std::size_t j = 0; j < length; ++j) {
            const std::size_t square = (j * j) % (2 * length);  // exact, so large j loses no precision
            const double angle = std::numbers::pi * static_cast<double>(square) / static_cast<double>(length);
            chirp_[j] = {std::cos(angle), std::sin(angle)};
        }
        std::vector<complex_value> wrapped(padded_, complex_value{});
        wrapped[0] = std::conj(chirp_[0]);
        for (std::size_t j = 1; j < length; ++j) wrapped[j] = wrapped[padded_ - j] = std::conj(chirp_[j]);
        kernel_.resize(padded_);
        fft_(wrapped.data(), kernel_.data(), -1);
    }

    /// Transforms `data` (length values) in place; `work` and `spare` are scratch the caller may reuse.
    void operator()(complex_value* data, std::vector<complex_value>& work, std::vector<complex_value>& spare) const {
        if (chirp_.empty()) {
            work.assign(data, data + length_);
            direct_(work.data(), data, +1);
            return;
        }
        work.assign(padded_, complex_value{});
        spare.resize(padded_);
        for (std::size_t k = 0; k < length_; ++k) work[k] = multiply(data[k], chirp_[k]);
        fft_(work.data(), spare.data(), -1);
        for (std::size_t k = 0; k < padded_; ++k) spare[k] = multiply(spare[k], kernel_[k]);
        fft_(spare.data(), work.data(), +1);
        const double scale = 1.0 / static_cast<double>(padded_);
        for (std::size_t n = 0; n < length_; ++n) data[n] = multiply(work[n], chirp_[n]) * scale;
    }

private:
    std::size_t length_;
    mixed_radix_fft direct_;
    std::size_t padded_;
    mixed_radix_fft fft_;
    std::vector<complex_value> chirp_;   // exp(+pi i j^2 / N); empty when the direct transform is used
    std::vector<complex_value> kernel_;  // the FFT of the conjugate chirp, wrapped
};

/// numpy.fft.irfftn(spectrum, (height, width)) up to its positive 1 / (height * width) scale:
/// `spectrum` holds height x (width / 2 + 1) coefficients, row-major; the result is the
/// height x width real image, row-major. As numpy does, the imaginary parts that a real
/// signal cannot have (column 0 and, for even widths, column width / 2, after the inverse
/// along y) are dropped.
[[nodiscard]] inline std::vector<double> inverse_real_fft_2d(std::vector<complex_value> spectrum, std::size_t height,
                                                             std::size_t width) {
    const std::size_t half = width / 2 + 1;
    std::vector<complex_value> work;
    std::vector<complex_value> spare;
    const inverse_dft along_y(height);
    std::vector<complex_value> column(height);
    for (std::size_t kx = 0; kx < half; ++kx) {
        for (std::size_t ky = 0; ky < height; ++ky) column[ky] = spectrum[ky * half + kx];
        along_y(column.data(), work, spare);
        for (std::size_t y = 0; y < height; ++y) spectrum[y * half + kx] = column[y];
    }
    const inverse_dft along_x(width);
    std::vector<complex_value> row(width);
    std::vector<double> image(height * width);
    for (std::size_t y = 0; y < height; ++y) {
        const complex_value* coefficients = &spectrum[y * half];
        row[0] = coefficients[0].real();
        for (std::size_t k = 1; k < half; ++k) {
            row[k] = coefficients[k];
            row[width - k] = std::conj(coefficients[k]);
        }
        if (width % 2 == 0) row[width / 2] = coefficients[width / 2].real();
        along_x(row.data(), work, spare);
        for (std::size_t x = 0; x < width; ++x) image[y * width + x] = row[x].real();
    }
    return image;
}

}  // namespace resizemix::detail
