// resizemix/mixers/saliencymix.hpp: SaliencyMix (Uddin et al., ICLR 2021).
//
// CutMix whose box is not placed at random: it is centred on the peak of the
// source's fine-grained saliency map (fine_grained_saliency.hpp, the map the
// authors take from OpenCV), clipped at the border as the authors' code clips
// it, and pasted at the same place in the target. lambda is the exact share
// of the pasted box.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "../detail/mixing.hpp"
#include "../fine_grained_saliency.hpp"
#include "../mix_info.hpp"
#include "../mixer.hpp"
#include "../random.hpp"
#include "../saliency_map.hpp"
#include "../view.hpp"
#include "cutmix.hpp"

namespace resizemix {

/// SaliencyMix parameters; call as `saliency_mix{}(source, target, out, rng)`. Draws one
/// Beta(alpha, alpha) weight, the target's share as in CutMix; the box has half sides
/// floor(sqrt(1 - share) * side / 2) around the first pixel (row-major) at the maximum of
/// fine_grained_saliency_levels(source), clipped at the border (the authors' saliency_bbox:
/// argmax, then np.clip). A source of another size is read as if resized to the target's
/// size (bilinear, pixel centres), its map too. Computing the map makes plan() cost about as
/// much as a few passes over the source. The authors' code computes one map per batch (of
/// the first sample's source); here every sample uses its own source's map, as the paper describes.
struct saliency_mix {
    static constexpr const char* name = "saliencymix";
    static constexpr bool patch_may_alias_target = true;  ///< render reads only the source

    float alpha = 1.0f;  ///< Beta(alpha, alpha) parameter, > 0

    /// Throws resizemix::error unless alpha > 0 is finite.
    void validate() const { detail::check_alpha(name, alpha); }

    /// The first pixel (x, y) in row-major order at the maximum of a row-major width x height map (np.argmax).
    [[nodiscard]] static std::pair<index_t, index_t> peak(const std::vector<std::uint8_t>& levels, index_t width) {
        const auto at = std::max_element(levels.begin(), levels.end());  // the first of equal maxima
        const auto k = static_cast<index_t>(at - levels.begin());
        return {k % width, k / width};
    }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

    /// Step one: draws the weight, finds the source's saliency peak and the box around it.
    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&&) const {
        validate();
        detail::check_pair_shapes(name, source, target, /*same_size=*/false);
        const index_t width = target.width();
        const index_t height = target.height();
        mix_info info;
        info.method = name;
        const double target_share = random.beta(alpha);
        const std::vector<std::uint8_t> levels =
            detail::same_size(source, target)
                ? fine_grained_saliency_levels(image_view<const std::remove_const_t<SourceT>>(source))
                : fine_grained_saliency_levels(detail::resized_source(source, height, width).const_view());
        const auto [peak_x, peak_y] = peak(levels, width);
        const box cut = cut_mix::clipped_box_at(target_share, peak_x, peak_y, width, height);
        if (cut.empty()) return info;  // the box rounded away: the output is the target
        info.box = info.source_box = cut;
        info.lambda = static_cast<double>(cut.area()) / static_cast<double>(width * height);
        return info;
    }

    /// Step two: the source pixels of info.source_box (CutMix's render).
    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target,
                image_view<T> patch) const {
        cut_mix{}.render(info, source, target, patch);
    }
};

}  // namespace resizemix
