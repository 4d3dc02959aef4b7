// resizemix/mixers/fmix.hpp: FMix (Harris et al., 2020), mixing through a Fourier-noise mask.
//
// A grey image of low-frequency noise (a complex Gaussian spectrum scaled by
// 1 / frequency^decay_power, transformed back) is thresholded so that its
// brightest share lambda ~ Beta(alpha, alpha) of the pixels take the source
// and the rest keep the target. The mask travels in mix_info::mask; lambda is
// its exact share of the output.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <memory>
#include <numeric>
#include <type_traits>
#include <vector>

#include "../detail/fft.hpp"
#include "../detail/mixing.hpp"
#include "../mix_info.hpp"
#include "../mixer.hpp"
#include "../random.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"

namespace resizemix {

/// FMix parameters; call as `fmix{}(source, target, out, rng)`. Draws, in order: the
/// Beta(alpha, alpha) share, the spectrum (for each of height x (width / 2 + 1) frequencies in
/// row-major order, a standard normal real part then imaginary part, scaled by
/// 1 / max(f, 1 / max(width, height))^decay_power with f the frequency in cycles per pixel),
/// then one uniform that rounds share * pixels up (above 0.5) or down, as the authors'
/// binarise_mask does. The pixels with the highest noise values take the source (ties: the
/// first in row-major order). info.box is the mask's bounding box, info.mask the mask over it,
/// and lambda the exact share. A source of another size is read as if resized to the target's
/// size (bilinear, pixel centres). The authors' soft-edged masks (max_soft) are not offered.
struct fmix {
    static constexpr const char* name = "fmix";
    static constexpr bool patch_may_alias_target = true;  ///< render reads the target only at the pixel it writes

    float alpha = 1.0f;        ///< Beta(alpha, alpha) parameter, > 0
    float decay_power = 3.0f;  ///< how fast the spectrum decays with frequency, > 0 (the authors' delta)

    /// Throws resizemix::error unless alpha and decay_power are finite and > 0.
    void validate() const {
        detail::check_alpha(name, alpha);
        if (!std::isfinite(decay_power) || !(decay_power > 0.0f)) {
            detail::fail(name, "decay_power must be finite and > 0, got ", decay_power);
        }
    }

    /// The low-frequency noise image (height x width, row-major) drawn from `random` as plan() draws it
    /// after the share: numpy's irfftn of the scaled spectrum, up to a positive scale.
    [[nodiscard]] std::vector<double> low_frequency_noise(index_t width, index_t height, rng& random) const {
        const auto columns = static_cast<std::size_t>(width / 2 + 1);
        const auto rows = static_cast<std::size_t>(height);
        const double floor_frequency = 1.0 / static_cast<double>(std::max(width, height));
        std::vector<detail::complex_value> spectrum(rows * columns);
        for (std::size_t ky = 0; ky < rows; ++ky) {
            // numpy.fft.fftfreq: k / n for k < (n + 1) / 2, then (k - n) / n; its sign does not matter here.
            const auto signed_ky = static_cast<double>(ky < (rows + 1) / 2 ? ky : ky - rows);
            const double fy = signed_ky / static_cast<double>(height);
            for (std::size_t kx = 0; kx < columns; ++kx) {
                const double fx = static_cast<double>(kx) / static_cast<double>(width);
                const double frequency = std::max(std::sqrt(fx * fx + fy * fy), floor_frequency);
                const double scale = 1.0 / std::pow(frequency, static_cast<double>(decay_power));
                const double real = random.normal();
                const double imaginary = random.normal();
                spectrum[ky * columns + kx] = {scale * real, scale * imaginary};
            }
        }
        return detail::inverse_real_fft_2d(std::move(spectrum), rows, static_cast<std::size_t>(width));
    }

    /// The mask of the `count` highest `noise` values (ties: lower index first) as a
    /// row-major width x height vector of 0 / 1.
    [[nodiscard]] static std::vector<std::uint8_t> top_pixels(const std::vector<double>& noise, std::size_t count) {
        std::vector<std::uint8_t> mask(noise.size(), 0);
        if (count == 0) return mask;
        std::vector<std::uint32_t> order(noise.size());
        std::iota(order.begin(), order.end(), std::uint32_t{0});
        const auto higher = [&](std::uint32_t a, std::uint32_t b) {
            return noise[a] > noise[b] || (noise[a] == noise[b] && a < b);
        };
        if (count < order.size()) {
            std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(), higher);
        }
        for (std::size_t k = 0; k < std::min(count, order.size()); ++k) mask[order[k]] = 1;
        return mask;
    }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

    /// Step one: draws the share and the noise, and makes the mask; no pixel is touched.
    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&&) const {
        validate();
        detail::check_pair_shapes(name, source, target, /*same_size=*/false);
        const index_t width = target.width();
        const index_t height = target.height();
        if (width > index_t{1} << 15 || height > index_t{1} << 15 || width * height > index_t{1} << 28) {
            detail::fail(name, "a ", width, "x", height, " target is beyond FMix's 32768 pixels a side and 2^28 in all");
        }
        mix_info info;
        info.method = name;
        const double share = random.beta(alpha);
        const std::vector<double> noise = low_frequency_noise(width, height, random);
        const double wanted = share * static_cast<double>(noise.size());
        const double rounded = random.uniform() > 0.5 ? std::ceil(wanted) : std::floor(wanted);
        const auto count = static_cast<std::size_t>(std::clamp(rounded, 0.0, static_cast<double>(noise.size())));
        if (count == 0) return info;  // no pixel takes the source: the output is the target
        const std::vector<std::uint8_t> full = top_pixels(noise, count);
        index_t left = width, top = height, right = 0, bottom = 0;
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x)
                if (full[static_cast<std::size_t>(y * width + x)] != 0) {
                    left = std::min(left, x);
                    right = std::max(right, x + 1);
                    top = std::min(top, y);
                    bottom = std::max(bottom, y + 1);
                }
        const box bounds{left, top, right - left, bottom - top};
        std::vector<std::uint8_t> inside(static_cast<std::size_t>(bounds.area()));
        for (index_t y = 0; y < bounds.height; ++y)
            for (index_t x = 0; x < bounds.width; ++x)
                inside[static_cast<std::size_t>(y * bounds.width + x)] =
                    full[static_cast<std::size_t>((top + y) * width + left + x)];
        info.box = info.source_box = bounds;
        info.mask = std::make_shared<const mix_mask>(bounds.width, bounds.height, std::move(inside));
        info.lambda = static_cast<double>(count) / static_cast<double>(noise.size());
        return info;
    }

    /// Step two: inside info.box, the source where the mask is set and the target elsewhere.
    /// Each output pixel reads only the same position of both inputs, so `patch` may be the target's own box.
    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target,
                image_view<T> patch) const {
        if (!detail::same_size(source, target)) {
            const auto resized = detail::resized_source(source, target.height(), target.width());
            render(info, resized.const_view(), target, patch);
            return;
        }
        if (info.mask == nullptr || info.mask->width() != info.box.width || info.mask->height() != info.box.height) {
            detail::fail(name, "render needs the mix_info of plan(), whose mask covers its box");
        }
        const mix_mask& mask = *info.mask;
        const auto from_source = source.subview(info.box);
        const auto from_target = target.subview(info.box);
        for (index_t y = 0; y < patch.height(); ++y)
            for (index_t x = 0; x < patch.width(); ++x) {
                const bool takes_source = mask(y, x);
                for (index_t c = 0; c < patch.channels(); ++c)
                    patch(c, y, x) = takes_source ? from_source(c, y, x) : from_target(c, y, x);
            }
    }
};

}  // namespace resizemix
