// resizemix/batch.hpp: mix_batch(), mixing a whole batch with soft labels.
//
// Every sample i is the target of one mix whose source is its partner (a
// seeded shuffle by default). Sample i draws from its own stream
// rng::for_sample(seed, epoch, i), so the result does not depend on the number
// of threads or the order of work, and any sample can be re-mixed on its own.
// `output` may be `input`: every patch is rendered from the original pixels
// before any sample is overwritten, so in-place mixing is byte-identical to
// out-of-place mixing and needs extra memory only for the patches.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <numeric>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

#include "compose.hpp"
#include "detail/mixing.hpp"
#include "labels.hpp"
#include "mix_info.hpp"
#include "random.hpp"
#include "saliency.hpp"
#include "view.hpp"

namespace resizemix {

/// How each sample finds the partner whose pixels it receives.
enum class pairing {
    shuffle,  ///< a seeded random permutation per epoch (mmpretrain); a sample may draw itself
    flip,     ///< sample i takes sample count - 1 - i (timm)
    given,    ///< batch_options::partners says it
};

/// Whether random parameters are drawn per sample or once for the whole batch.
enum class parameter_sharing {
    per_sample,  ///< every sample draws its own tau / lambda / boxes (default)
    per_batch,   ///< every sample replays one batch-wide stream: one tau / lambda for all (timm's batch mode)
};

/// Runs task(k) for every k in [0, task_count) and returns when all are done.
using executor = std::function<void(index_t task_count, const std::function<void(index_t)>& task)>;

/// Options of mix_batch. Defaults: seeded shuffle, per-sample parameters, one thread, no labels.
struct batch_options {
    std::uint64_t seed = 0;
    std::uint64_t epoch = 0;
    resizemix::pairing pairing = resizemix::pairing::shuffle;
    std::vector<index_t> partners;                            ///< for pairing::given: partners[i] is the source of sample i
    parameter_sharing parameters = parameter_sharing::per_sample;
    unsigned threads = 1;                                     ///< 0 = std::thread::hardware_concurrency()
    resizemix::executor executor;                             ///< if set, used instead of `threads`
    index_t num_classes = 0;                                  ///< 0 = no soft labels
    float label_smoothing = 0.0f;
};

/// What happened to one sample.
struct sample_record {
    index_t partner = 0;  ///< the sample whose pixels and label were mixed in (the source)
    mix_info info;        ///< info.method / info.choice say which mixer ran
};

/// The result of mix_batch.
struct batch_result {
    std::vector<sample_record> samples;
    Eigen::MatrixXf labels;            ///< count x num_classes soft labels (empty when num_classes == 0)
    std::size_t scratch_elements = 0;  ///< pixels (x channels) buffered for in-place mixing: the sum of patch sizes
};

/// The stream reserved for the batch-wide parameters and the one for pairing
/// (sample indices never reach these values).
inline constexpr std::uint64_t batch_stream_index = ~std::uint64_t{0};
inline constexpr std::uint64_t pairing_stream_index = ~std::uint64_t{0} - 1;

/// The partner of every sample, as mix_batch computes it.
[[nodiscard]] inline std::vector<index_t> partners_for(const batch_options& options, index_t count) {
    std::vector<index_t> partners(static_cast<std::size_t>(count));
    switch (options.pairing) {
        case pairing::shuffle: {
            std::iota(partners.begin(), partners.end(), index_t{0});
            rng random = rng::for_sample(options.seed, options.epoch, pairing_stream_index);
            for (index_t i = count - 1; i > 0; --i) {  // Fisher-Yates
                std::swap(partners[static_cast<std::size_t>(i)],
                          partners[static_cast<std::size_t>(random.integer(0, i))]);
            }
            break;
        }
        case pairing::flip:
            for (index_t i = 0; i < count; ++i) partners[static_cast<std::size_t>(i)] = count - 1 - i;
            break;
        case pairing::given:
            if (static_cast<index_t>(options.partners.size()) != count) {
                detail::fail("mix_batch", "options.partners has ", options.partners.size(),
                             " entries but the batch has ", count, " samples");
            }
            for (index_t i = 0; i < count; ++i) {
                const index_t partner = options.partners[static_cast<std::size_t>(i)];
                if (partner < 0 || partner >= count) {
                    detail::fail("mix_batch", "options.partners[", i, "] = ", partner, " is outside [0, ", count, ")");
                }
                partners[static_cast<std::size_t>(i)] = partner;
            }
            break;
    }
    return partners;
}

namespace detail {

/// Runs task(k) for k in [0, count) on `threads` std::threads (or the executor);
/// rethrows the first exception after every worker has joined.
inline void parallel_for(index_t count, const batch_options& options, const std::function<void(index_t)>& task) {
    if (options.executor) {
        options.executor(count, task);
        return;
    }
    unsigned threads = options.threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.threads;
    threads = static_cast<unsigned>(std::min<index_t>(threads, count));
    if (threads <= 1) {
        for (index_t k = 0; k < count; ++k) task(k);
        return;
    }
    std::exception_ptr first_error;
    std::mutex error_mutex;
    std::vector<std::thread> workers;
    workers.reserve(threads);
    for (unsigned w = 0; w < threads; ++w) {
        workers.emplace_back([&, w] {
            // Contiguous chunks keep each thread on neighbouring samples.
            const index_t begin = count * w / threads;
            const index_t end = count * (w + 1) / threads;
            try {
                for (index_t k = begin; k < end; ++k) task(k);
            } catch (...) {
                const std::lock_guard lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
            }
        });
    }
    for (auto& worker : workers) worker.join();
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace detail

/// Mixes every sample of `input` with its partner and writes `output` (the same
/// shape; may be `input` itself, any other overlap is an error). `labels` holds
/// one class per sample when options.num_classes > 0 (else it may be empty).
/// The saliency provider is asked, on the calling thread and in sample order,
/// for maps with query.image_index set to the batch index of the image.
/// Everything is validated and planned before any pixel is written.
template <mixer Mixer, class InputT, class T, saliency_provider Provider = no_saliency>
batch_result mix_batch(const Mixer& mixer, batch_view<InputT> input, std::span<const std::int64_t> labels,
                       batch_view<T> output, const batch_options& options = {}, Provider&& saliency = {}) {
    static_assert(std::same_as<std::remove_const_t<InputT>, T> && !std::is_const_v<T>,
                  "resizemix::mix_batch: input and output must have the same pixel type and output must be "
                  "mutable (batch_view<T>); pass the input itself as output to mix in place");
    const index_t count = input.count();
    if (input.empty() || output.empty()) detail::fail("mix_batch", "input and output must be non-empty views");
    if (output.count() != count || output.channels() != input.channels() || output.height() != input.height() ||
        output.width() != input.width()) {
        detail::fail("mix_batch", "output is ", output.count(), "x", output.channels(), "x", output.height(), "x",
                     output.width(), " (NxCxHxW) but input is ", count, "x", input.channels(), "x", input.height(),
                     "x", input.width());
    }
    const bool in_place = input.data_handle() == output.data_handle() && input.stride(0) == output.stride(0) &&
                          detail::same_pixels(input[0], output[0]);
    if (!in_place) {
        for (index_t i = 0; i < count; ++i)
            for (index_t j = 0; j < count; ++j)
                if (detail::may_overlap(input[i], output[j])) {
                    detail::fail("mix_batch", "output overlaps input (sample ", j, " of output and sample ", i,
                                 " of input) without being the same view; pass the input itself to mix in place");
                }
    }
    if (options.num_classes > 0) {
        detail::check_label_arguments("mix_batch", options.num_classes, options.label_smoothing);
        if (static_cast<index_t>(labels.size()) != count) {
            detail::fail("mix_batch", "labels has ", labels.size(), " entries but the batch has ", count, " samples");
        }
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (labels[i] < 0 || labels[i] >= options.num_classes) {
                detail::fail("mix_batch", "labels[", i, "] = ", labels[i], " is outside [0, ", options.num_classes, ")");
            }
        }
    } else if (!labels.empty()) {
        detail::fail("mix_batch", "labels were given but options.num_classes is 0; set it to the number of classes");
    }

    batch_result result;
    result.samples.resize(static_cast<std::size_t>(count));
    const std::vector<index_t> partners = partners_for(options, count);

    // Plan every sample first, on this thread: saliency callbacks stay
    // single-threaded and in order, and a bad parameter fails before any write.
    const rng batch_stream = rng::for_sample(options.seed, options.epoch, batch_stream_index);
    for (index_t i = 0; i < count; ++i) {
        const index_t partner = partners[static_cast<std::size_t>(i)];
        rng random = options.parameters == parameter_sharing::per_batch
                         ? batch_stream
                         : rng::for_sample(options.seed, options.epoch, static_cast<std::uint64_t>(i));
        auto indexed_saliency = [&](const saliency_query& query) -> saliency_map {
            saliency_query indexed = query;
            indexed.image_index = query.role == image_role::source ? partner : i;
            return saliency(indexed);
        };
        auto& record = result.samples[static_cast<std::size_t>(i)];
        record.partner = partner;
        record.info = mixer.plan(image_view<const T>(input[partner]), image_view<const T>(input[i]), random,
                                 indexed_saliency);
    }

    auto box_of = [&](index_t i) -> const box& { return result.samples[static_cast<std::size_t>(i)].info.box; };
    if (!in_place) {
        detail::parallel_for(count, options, [&](index_t i) {
            const auto& record = result.samples[static_cast<std::size_t>(i)];
            const image_view<const T> target = input[i];
            detail::copy_outside<T>(target, output[i], record.info.box);
            if (!record.info.box.empty()) {
                mixer.render(record.info, image_view<const T>(input[record.partner]), target,
                             output[i].subview(record.info.box));
            }
        });
    } else {
        // Render every patch from the untouched batch, then paste them all.
        std::vector<std::size_t> offsets(static_cast<std::size_t>(count) + 1, 0);
        for (index_t i = 0; i < count; ++i) {
            offsets[static_cast<std::size_t>(i) + 1] =
                offsets[static_cast<std::size_t>(i)] + static_cast<std::size_t>(box_of(i).area() * input.channels());
        }
        std::vector<T> scratch(offsets.back());
        result.scratch_elements = scratch.size();
        const bool interleaved = output[0].has_hwc_rows();  // keep the patch in the output's layout
        auto patch_of = [&](index_t i) {
            T* data = scratch.data() + offsets[static_cast<std::size_t>(i)];
            const box& b = box_of(i);
            return interleaved ? from_hwc(data, b.height, b.width, input.channels())
                               : from_chw(data, input.channels(), b.height, b.width);
        };
        detail::parallel_for(count, options, [&](index_t i) {
            const auto& record = result.samples[static_cast<std::size_t>(i)];
            if (record.info.box.empty()) return;
            mixer.render(record.info, image_view<const T>(input[record.partner]), image_view<const T>(input[i]),
                         patch_of(i));
        });
        detail::parallel_for(count, options, [&](index_t i) {
            if (box_of(i).empty()) return;
            copy(image_view<const T>(patch_of(i)), output[i].subview(box_of(i)));
        });
    }

    if (options.num_classes > 0) {
        std::vector<mix_info> infos;
        std::vector<std::int64_t> source_classes;
        for (const auto& record : result.samples) {
            infos.push_back(record.info);
            source_classes.push_back(labels[static_cast<std::size_t>(record.partner)]);
        }
        result.labels = soft_labels(infos, source_classes, labels, options.num_classes, options.label_smoothing);
    }
    return result;
}

}  // namespace resizemix
