// resizemix/augment/batch_augmentation.hpp: batch augmentation (Hoffer et al., "Augment your batch").
//
// mix_batch_repeated turns a batch of N into repeats x N samples: copy r of sample i is output
// sample r * N + i, mixed (and, with a pipeline, augmented) with draws of its own, and its label
// row follows it. The paper's ResizeMix+ uses repeats = 2 ("enlarging scale 2").
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <utility>

#include "../batch.hpp"
#include "../mixer.hpp"
#include "../error.hpp"
#include "../random.hpp"
#include "../view.hpp"

namespace resizemix {

/// The seed copy `copy` of a repeated batch mixes with: `seed` itself for copy 0 (so one copy is
/// exactly mix_batch), an unrelated SplitMix64 value for the others.
[[nodiscard]] constexpr std::uint64_t repeat_seed(std::uint64_t seed, std::uint64_t copy) noexcept {
    return copy == 0 ? seed : detail::mix64(seed ^ detail::mix64(copy * detail::golden_gamma));
}

namespace detail {

/// The loop both mix_batch_repeated overloads share: `mix_copy(part, copy_options)` mixes one copy
/// into its slice of `output` with its seed; records and label rows are appended copy after copy.
template <class InputT, class T, class MixCopy>
batch_result mix_repeated_copies(batch_view<InputT> input, batch_view<T> output, index_t repeats,
                                 const batch_options& options, MixCopy&& mix_copy) {
    if (repeats < 1) fail("mix_batch_repeated", "repeats must be at least 1, got ", repeats);
    if (input.empty() || output.empty()) fail("mix_batch_repeated", "input and output must be non-empty views");
    const index_t count = input.count();
    if (output.count() != checked_product("mix_batch_repeated", "repeats * count", repeats, count)) {
        fail("mix_batch_repeated", "output has ", output.count(), " samples but repeats x count = ", repeats, " x ",
             count, " = ", repeats * count);
    }
    batch_result result;
    for (index_t copy = 0; copy < repeats; ++copy) {
        const batch_view<T> part(output.data_handle() + copy * count * output.stride(0), count, output.channels(),
                                 output.height(), output.width(), output.stride(0), output.stride(1),
                                 output.stride(2), output.stride(3));
        batch_options copy_options = options;
        copy_options.seed = repeat_seed(options.seed, static_cast<std::uint64_t>(copy));
        batch_result part_result = mix_copy(part, copy_options);
        result.samples.insert(result.samples.end(), std::make_move_iterator(part_result.samples.begin()),
                              std::make_move_iterator(part_result.samples.end()));
        if (part_result.labels.size() > 0) {
            if (copy == 0) result.labels.resize(repeats * count, part_result.labels.cols());
            result.labels.middleRows(copy * count, count) = part_result.labels;
        }
        result.scratch_elements = std::max(result.scratch_elements, part_result.scratch_elements);
    }
    return result;
}

}  // namespace detail

/// Mixes `repeats` copies of `input` into `output` (repeats x N samples, same C x H x W, not
/// overlapping the input): copy r is mix_batch with options.seed replaced by repeat_seed(seed, r),
/// so every copy has its own pairing and its own per-sample draws, independent of the thread count.
/// Records and label rows come copy after copy; partners index the input. Memory: the output holds
/// repeats x N images; nothing else beyond what each mix_batch call needs.
template <mixer Mixer, class InputT, class T, saliency_provider Provider = no_saliency>
batch_result mix_batch_repeated(const Mixer& mixer, batch_view<InputT> input, std::span<const std::int64_t> labels,
                                batch_view<T> output, index_t repeats, const batch_options& options = {},
                                Provider&& saliency = {}) {
    const auto mix_copy = [&](batch_view<T> part, const batch_options& copy_options) {
        return mix_batch(mixer, input, labels, part, copy_options, saliency);
    };
    return detail::mix_repeated_copies(input, output, repeats, options, mix_copy);
}

/// mix_batch_repeated with dense targets (N x K, one row per input sample, as mix_batch takes them):
/// label row r * N + i is mixed from the rows of sample i and its partner in copy r.
template <mixer Mixer, class InputT, class T, class Derived, saliency_provider Provider = no_saliency>
batch_result mix_batch_repeated(const Mixer& mixer, batch_view<InputT> input,
                                const Eigen::MatrixBase<Derived>& targets, batch_view<T> output, index_t repeats,
                                const batch_options& options = {}, Provider&& saliency = {}) {
    const auto mix_copy = [&](batch_view<T> part, const batch_options& copy_options) {
        return mix_batch(mixer, input, targets, part, copy_options, saliency);
    };
    return detail::mix_repeated_copies(input, output, repeats, options, mix_copy);
}

}  // namespace resizemix
