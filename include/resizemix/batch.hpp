// resizemix/batch.hpp: mix_batch(), mixing a whole batch with soft labels.
//
// Every sample i is the target of one mix whose source is its partner (a
// seeded shuffle by default). Every draw derives from (seed, epoch, step, rank)
// and the sample (sample_stream), so a training loop that passes its step gets
// fresh draws at every step, ranks get their own, and the result does not
// depend on the number of threads or the order of work. `output` may be
// `input`: every patch is rendered from the original pixels, so in-place mixing
// is byte-identical to out-of-place mixing and needs extra memory only for
// patches (see batch_result::scratch_elements). mix_batch runs in phases:
// validate, pair, plan, render (in place or out of place), labels.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <numeric>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

#include "detail/mixing.hpp"
#include "detail/worker_pool.hpp"
#include "labels.hpp"
#include "mix_info.hpp"
#include "mixer.hpp"
#include "random.hpp"
#include "saliency_map.hpp"
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
///
/// A training loop must pass where the batch sits: `epoch` and `step` (the batch counter,
/// within the epoch or global) and, in data-parallel training, `rank`. Every draw
/// (partners, taus, boxes, weights) derives from (seed, epoch, step, rank), so two
/// calls that agree on all four mix identically: a loop that leaves `step` at 0
/// gives every batch of an epoch the same partners and parameters.
struct batch_options {
    std::uint64_t seed = 0;
    std::uint64_t epoch = 0;
    std::uint64_t step = 0;                                   ///< the batch counter: set it at every step
    std::uint64_t rank = 0;                                   ///< data-parallel rank (process), so ranks differ
    /// Optional dataset index of each sample. When given, sample i draws its parameters from
    /// (seed, epoch, sample_ids[i]) alone: the same image gets the same tau / box in an epoch
    /// whatever batch, position, batch size or number of ranks it lands in (its partner still
    /// comes from the pairing, which derives from seed, epoch, step and rank).
    std::vector<std::uint64_t> sample_ids;
    resizemix::pairing pairing = resizemix::pairing::shuffle;
    std::vector<index_t> partners;                            ///< for pairing::given: partners[i] is the source of sample i
    parameter_sharing parameters = parameter_sharing::per_sample;
    unsigned threads = 1;                                     ///< 0 = std::thread::hardware_concurrency()
    resizemix::executor executor;                             ///< if set, used instead of `threads`
    index_t num_classes = 0;                                  ///< 0 = no soft labels
    float label_smoothing = 0.0f;                             ///< class-index labels only
};

/// What happened to one sample.
struct sample_record {
    index_t partner = 0;  ///< the sample whose pixels and label were mixed in (the source)
    mix_info info;        ///< info.method / info.choice say which mixer ran
};

/// The result of mix_batch.
struct batch_result {
    std::vector<sample_record> samples;
    Eigen::MatrixXf labels;  ///< count x num_classes mixed labels (empty when no labels were given)
    /// Pixels (x channels) buffered for in-place mixing: at most the sum of the patch sizes. When
    /// the mixer's patch may alias its target (mixer.hpp; every built-in mixer, and one_of,
    /// sometimes and any_mixer over them) and the pairing is a permutation (shuffle, flip), only one
    /// patch per partner cycle and per chunk of work is buffered; the others go straight into place.
    std::size_t scratch_elements = 0;
};

/// The stream reserved for the batch-wide parameters and the one for pairing
/// (sample indices and sample_ids never reach these values).
inline constexpr std::uint64_t batch_stream_index = ~std::uint64_t{0};
inline constexpr std::uint64_t pairing_stream_index = ~std::uint64_t{0} - 1;

/// The stream that sample i of a batch draws its parameters from, as mix_batch
/// derives it: (seed, epoch, step, rank, i), or (seed, epoch, sample_ids[i]) when
/// sample ids are given, or the one batch-wide stream with parameter_sharing::per_batch.
/// Mixing sample i alone with this stream and its partner gives mix_batch's bytes.
[[nodiscard]] inline rng sample_stream(const batch_options& options, index_t i) {
    if (options.parameters == parameter_sharing::per_batch) {
        return rng::for_sample(options.seed, options.epoch, options.step, options.rank, batch_stream_index);
    }
    if (!options.sample_ids.empty()) {
        if (i < 0 || static_cast<std::size_t>(i) >= options.sample_ids.size()) {
            detail::fail("sample_stream", "sample ", i, " has no entry in options.sample_ids (",
                         options.sample_ids.size(), " entries)");
        }
        return rng::for_sample(options.seed, options.epoch, options.sample_ids[static_cast<std::size_t>(i)]);
    }
    return rng::for_sample(options.seed, options.epoch, options.step, options.rank, static_cast<std::uint64_t>(i));
}

/// The partner of every sample, as mix_batch computes it.
[[nodiscard]] inline std::vector<index_t> partners_for(const batch_options& options, index_t count) {
    std::vector<index_t> partners(static_cast<std::size_t>(count));
    switch (options.pairing) {
        case pairing::shuffle: {
            std::iota(partners.begin(), partners.end(), index_t{0});
            rng random = rng::for_sample(options.seed, options.epoch, options.step, options.rank, pairing_stream_index);
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

/// The threads a call spreads `tasks` over: options.threads (0: the hardware's), at most `tasks`.
inline unsigned thread_count(const batch_options& options, index_t tasks) {
    const unsigned wanted =
        options.threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.threads;
    return static_cast<unsigned>(std::max<index_t>(1, std::min<index_t>(wanted, tasks)));
}

/// Runs first(k) for every k in [0, first_count), then, once all of those have
/// returned, second(k) for every k in [0, second_count). On our own threads
/// this is one fork-join (the calling thread works too, helpers come from
/// worker_pool::shared(), kept across calls) with a barrier between
/// the phases, the threads taking the tasks of each phase one at a time in
/// order (patches differ up to 64x in size, so fixed shares would leave one
/// thread waiting); with a user executor it is two executor calls. Rethrows the first exception after
/// every worker has joined; the second phase does not start after a failure.
inline void parallel_phases(const batch_options& options, index_t first_count, const std::function<void(index_t)>& first,
                            index_t second_count, const std::function<void(index_t)>& second) {
    if (options.executor) {
        options.executor(first_count, first);
        options.executor(second_count, second);
        return;
    }
    const unsigned threads = thread_count(options, std::max(first_count, second_count));
    if (threads <= 1) {
        for (index_t k = 0; k < first_count; ++k) first(k);
        for (index_t k = 0; k < second_count; ++k) second(k);
        return;
    }
    std::exception_ptr first_error;
    std::mutex error_mutex;
    std::barrier phase_end(static_cast<std::ptrdiff_t>(threads));
    std::atomic<index_t> next_first{0};
    std::atomic<index_t> next_second{0};
    auto work = [&]() {
        auto run = [&](index_t count, const std::function<void(index_t)>& task, std::atomic<index_t>& next) {
            try {
                // Which thread runs a task never changes the result: tasks write disjoint pixels.
                for (index_t k = next.fetch_add(1, std::memory_order_relaxed); k < count;
                     k = next.fetch_add(1, std::memory_order_relaxed)) {
                    task(k);
                }
            } catch (...) {
                const std::lock_guard lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
            }
        };
        run(first_count, first, next_first);
        phase_end.arrive_and_wait();  // also publishes first_error to every thread
        if (!first_error) run(second_count, second, next_second);
    };
    // Helpers from the process's pool; fresh threads when it is busy.
    if (worker_pool::shared().try_run(threads - 1, work)) {
        if (first_error) std::rethrow_exception(first_error);
        return;
    }
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    try {
        for (unsigned w = 1; w < threads; ++w) workers.emplace_back(work);
    } catch (...) {
        // No thread could be started: drop the missing arrivals and work alone.
        for (unsigned w = static_cast<unsigned>(workers.size()) + 1; w < threads; ++w) phase_end.arrive_and_drop();
        const std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
    }
    work();
    for (auto& worker : workers) worker.join();
    if (first_error) std::rethrow_exception(first_error);
}

/// Runs task(k) for k in [0, count) on `threads` std::threads (or the executor);
/// rethrows the first exception after every worker has joined.
inline void parallel_for(index_t count, const batch_options& options, const std::function<void(index_t)>& task) {
    if (options.executor) {
        options.executor(count, task);
        return;
    }
    parallel_phases(options, count, task, 0, task);
}

/// The order of in-place work when the partners form a permutation. Sample i
/// reads partner p(i); listing each cycle as i, p(i), p(p(i)), ... every
/// sample reads the one after it, so rendering in list order reads only
/// untouched pixels, except where a run ends: the last sample of a cycle reads
/// the first, and the last sample of a chunk reads the next chunk's
/// first. Those run ends (`staged`) are rendered into scratch before anything
/// is written; all others are rendered straight into their own box.
struct in_place_order {
    std::vector<index_t> samples;      // every sample once, cycle after cycle
    std::vector<char> staged;          // per position in `samples`
    std::vector<index_t> chunk_begin;  // chunk t is positions [chunk_begin[t], chunk_begin[t + 1])
};

/// The in-place order for `partners` cut into `chunks` runs of about equal
/// `cost`, or an empty order when partners is not a permutation.
inline in_place_order order_in_place(const std::vector<index_t>& partners, const std::vector<index_t>& cost,
                                     index_t chunks) {
    const auto count = static_cast<index_t>(partners.size());
    in_place_order order;
    std::vector<char> is_partner(partners.size(), 0);
    for (const index_t p : partners) {
        if (is_partner[static_cast<std::size_t>(p)]) return order;  // somebody's partner twice: not a permutation
        is_partner[static_cast<std::size_t>(p)] = 1;
    }
    std::vector<char> listed(partners.size(), 0);
    order.samples.reserve(partners.size());
    order.staged.assign(partners.size(), 0);
    for (index_t start = 0; start < count; ++start) {
        if (listed[static_cast<std::size_t>(start)]) continue;
        for (index_t i = start; !listed[static_cast<std::size_t>(i)]; i = partners[static_cast<std::size_t>(i)]) {
            listed[static_cast<std::size_t>(i)] = 1;
            order.samples.push_back(i);
        }
        order.staged[order.samples.size() - 1] = 1;  // the cycle's last sample reads its first
    }
    index_t total = 0;
    for (const index_t c : cost) total += c;
    order.chunk_begin.assign(1, 0);
    index_t cumulative = 0;
    for (index_t k = 0; k < count; ++k) {
        cumulative += cost[static_cast<std::size_t>(order.samples[static_cast<std::size_t>(k)])];
        const auto t = static_cast<index_t>(order.chunk_begin.size());
        if (t < chunks && k + 1 < count && cumulative * chunks >= total * t) {
            order.chunk_begin.push_back(k + 1);
            order.staged[static_cast<std::size_t>(k)] = 1;  // reads the next chunk's first sample
        }
    }
    order.chunk_begin.push_back(count);
    return order;
}


// --- The phases of mix_batch, in the order it runs them ---------------------------

/// Phase 1a: the views. Returns true when output is input itself (mix in place);
/// any other overlap is an error.
template <class InputT, class T>
bool check_batch_views(batch_view<InputT> input, batch_view<T> output) {
    if (input.empty() || output.empty()) fail("mix_batch", "input and output must be non-empty views");
    if (output.count() != input.count() || output.channels() != input.channels() ||
        output.height() != input.height() || output.width() != input.width()) {
        fail("mix_batch", "output is ", output.count(), "x", output.channels(), "x", output.height(), "x",
             output.width(), " (NxCxHxW) but input is ", input.count(), "x", input.channels(), "x", input.height(),
             "x", input.width());
    }
    const bool in_place = input.data_handle() == output.data_handle() && input.stride(0) == output.stride(0) &&
                          same_pixels(input[0], output[0]);
    const auto [input_low, input_high] = address_range(input);
    const auto [output_low, output_high] = address_range(output);
    const std::less<const void*> before;
    if (!in_place && before(input_low, output_high) && before(output_low, input_high)) {
        // The batches' spans meet: find the samples that do (rare, so quadratic is fine).
        for (index_t i = 0; i < input.count(); ++i)
            for (index_t j = 0; j < input.count(); ++j)
                if (may_overlap(input[i], output[j])) {
                    fail("mix_batch", "output overlaps input (sample ", j, " of output and sample ", i,
                         " of input) without being the same view; pass the input itself to mix in place");
                }
    }
    return in_place;
}

/// Phase 1b: the options that do not depend on the label form.
inline void check_batch_options(const batch_options& options, index_t count) {
    if (!options.sample_ids.empty()) {
        if (static_cast<index_t>(options.sample_ids.size()) != count) {
            fail("mix_batch", "options.sample_ids has ", options.sample_ids.size(), " entries but the batch has ",
                 count, " samples");
        }
        for (std::size_t i = 0; i < options.sample_ids.size(); ++i) {
            if (options.sample_ids[i] >= pairing_stream_index) {
                fail("mix_batch", "options.sample_ids[", i, "] = ", options.sample_ids[i],
                     " is reserved for the batch's own streams; ids must be below ", pairing_stream_index);
            }
        }
    }
}

/// Phase 1c, class-index labels: one class per sample in [0, num_classes) when
/// num_classes > 0, none otherwise.
inline void check_class_labels(std::span<const std::int64_t> labels, const batch_options& options, index_t count) {
    if (options.num_classes == 0) {
        if (!labels.empty()) {
            fail("mix_batch", "labels were given but options.num_classes is 0; set it to the number of classes");
        }
        return;
    }
    check_label_arguments("mix_batch", options.num_classes, options.label_smoothing);
    if (static_cast<index_t>(labels.size()) != count) {
        fail("mix_batch", "labels has ", labels.size(), " entries but the batch has ", count, " samples");
    }
    for (std::size_t i = 0; i < labels.size(); ++i) check_class("mix_batch", "labels", i, labels[i], options.num_classes);
}

/// Phase 1c, dense targets: count x K finite values; smoothing belongs to the index form.
template <class Derived>
void check_dense_targets(const Eigen::MatrixBase<Derived>& targets, const batch_options& options, index_t count) {
    check_targets("mix_batch", targets, count);
    if (options.num_classes != 0 && options.num_classes != targets.cols()) {
        fail("mix_batch", "options.num_classes is ", options.num_classes, " but targets has ", targets.cols(),
             " columns (leave num_classes at 0 with dense targets)");
    }
    if (options.label_smoothing != 0.0f) {
        fail("mix_batch", "options.label_smoothing is ", options.label_smoothing,
             " but label smoothing applies to class indices only; smooth dense targets before mixing");
    }
}

/// Phase 2 and 3: pair, then plan every sample on this thread, so saliency
/// callbacks run single-threaded and in sample order and a bad parameter fails
/// before any pixel is written.
template <class Mixer, class InputT, class Provider>
std::vector<sample_record> plan_batch(const Mixer& mixer, batch_view<InputT> input, const batch_options& options,
                                      Provider& saliency) {
    using T = std::remove_const_t<InputT>;
    const index_t count = input.count();
    const std::vector<index_t> partners = partners_for(options, count);
    std::vector<sample_record> samples(static_cast<std::size_t>(count));
    for (index_t i = 0; i < count; ++i) {
        const index_t partner = partners[static_cast<std::size_t>(i)];
        rng random = sample_stream(options, i);
        auto indexed_saliency = [&](const saliency_query& query) -> saliency_map {
            saliency_query indexed = query;
            indexed.image_index = query.role == image_role::source ? partner : i;
            return saliency(indexed);
        };
        auto& record = samples[static_cast<std::size_t>(i)];
        record.partner = partner;
        record.info = mixer.plan(image_view<const T>(input[partner]), image_view<const T>(input[i]), random,
                                 indexed_saliency);
    }
    return samples;
}

/// Phase 4, out of place: each output sample is its target outside the box and
/// the rendered patch inside it.
template <class Mixer, class InputT, class T>
void render_out_of_place(const Mixer& mixer, batch_view<InputT> input, batch_view<T> output,
                         const std::vector<sample_record>& samples, const batch_options& options) {
    parallel_for(input.count(), options, [&](index_t i) {
        const auto& record = samples[static_cast<std::size_t>(i)];
        const image_view<const T> target = input[i];
        copy_outside<T>(target, output[i], record.info.box);
        if (!record.info.box.empty()) {
            mixer.render(record.info, image_view<const T>(input[record.partner]), target,
                         output[i].subview(record.info.box));
        }
    });
}

/// Phase 4, in place: every patch is rendered from untouched pixels. When the
/// partners form a permutation (shuffle, flip) and the mixer's patch may alias
/// its target, most patches go straight into their box in the order of
/// in_place_order and only run ends are buffered; otherwise every patch is
/// buffered, then all are pasted. Returns the number of buffered elements.
template <class Mixer, class T>
std::size_t render_in_place(const Mixer& mixer, batch_view<T> batch, const std::vector<sample_record>& samples,
                            const batch_options& options) {
    const index_t count = batch.count();
    const index_t channels = batch.channels();
    auto box_of = [&](index_t i) -> const box& { return samples[static_cast<std::size_t>(i)].info.box; };
    // Chunks are taken by the threads in turn: four per thread, so a thread that
    // starts late takes fewer; a user executor's concurrency is unknown, so it gets up to 16.
    const auto threads = static_cast<index_t>(thread_count(options, count));
    const index_t chunks = options.executor ? std::min<index_t>(count, 16)
                           : threads > 1    ? std::min<index_t>(count, 4 * threads)
                                            : 1;
    in_place_order order;
    if (patch_may_alias_target(mixer)) {
        std::vector<index_t> partners(static_cast<std::size_t>(count));
        std::vector<index_t> cost(static_cast<std::size_t>(count));
        for (index_t i = 0; i < count; ++i) {
            partners[static_cast<std::size_t>(i)] = samples[static_cast<std::size_t>(i)].partner;
            cost[static_cast<std::size_t>(i)] = box_of(i).area() + 64;
        }
        order = order_in_place(partners, cost, chunks);
    }
    const bool direct = !order.samples.empty();
    if (!direct) {
        order.samples.resize(static_cast<std::size_t>(count));
        std::iota(order.samples.begin(), order.samples.end(), index_t{0});
        order.staged.assign(static_cast<std::size_t>(count), 1);
    }
    std::vector<index_t> staged_samples;
    for (std::size_t k = 0; k < order.samples.size(); ++k) {
        const index_t i = order.samples[k];
        if (order.staged[k] && !box_of(i).empty()) staged_samples.push_back(i);
    }
    // Largest first, so the threads taking them in turn finish together.
    std::stable_sort(staged_samples.begin(), staged_samples.end(),
                     [&](index_t a, index_t b) { return box_of(a).area() > box_of(b).area(); });
    std::vector<std::size_t> offsets(static_cast<std::size_t>(count), 0);
    std::size_t scratch_size = 0;
    for (const index_t i : staged_samples) {
        offsets[static_cast<std::size_t>(i)] = scratch_size;
        scratch_size += static_cast<std::size_t>(box_of(i).area() * channels);
    }
    std::vector<T> scratch(scratch_size);
    const bool interleaved = batch[0].has_hwc_rows();  // keep the patch in the output's layout
    auto patch_of = [&](index_t i) {
        T* data = scratch.data() + offsets[static_cast<std::size_t>(i)];
        const box& b = box_of(i);
        return interleaved ? from_hwc(data, b.height, b.width, channels) : from_chw(data, channels, b.height, b.width);
    };
    auto render_into = [&](index_t i, image_view<T> patch) {
        const auto& record = samples[static_cast<std::size_t>(i)];
        mixer.render(record.info, image_view<const T>(batch[record.partner]), image_view<const T>(batch[i]), patch);
    };
    auto render_staged = [&](index_t k) {
        const index_t i = staged_samples[static_cast<std::size_t>(k)];
        render_into(i, patch_of(i));
    };
    auto finish = [&](index_t position) {
        const index_t i = order.samples[static_cast<std::size_t>(position)];
        if (box_of(i).empty()) return;
        if (order.staged[static_cast<std::size_t>(position)]) {
            copy(image_view<const T>(patch_of(i)), batch[i].subview(box_of(i)));
        } else {
            render_into(i, batch[i].subview(box_of(i)));
        }
    };
    const auto staged_count = static_cast<index_t>(staged_samples.size());
    if (direct) {
        parallel_phases(options, staged_count, render_staged, static_cast<index_t>(order.chunk_begin.size()) - 1,
                        [&](index_t chunk) {
                            for (index_t k = order.chunk_begin[static_cast<std::size_t>(chunk)];
                                 k < order.chunk_begin[static_cast<std::size_t>(chunk) + 1]; ++k) {
                                finish(k);
                            }
                        });
    } else {
        parallel_phases(options, staged_count, render_staged, count, finish);
    }
    return scratch.size();
}

/// Phases 2 to 4 for either label form: pair, plan, render.
template <class Mixer, class InputT, class T, class Provider>
batch_result mix_pixels(const Mixer& mixer, batch_view<InputT> input, batch_view<T> output,
                        const batch_options& options, Provider& saliency, bool in_place) {
    batch_result result;
    result.samples = plan_batch(mixer, input, options, saliency);
    if (in_place) {
        result.scratch_elements = render_in_place(mixer, output, result.samples, options);
    } else {
        render_out_of_place(mixer, input, output, result.samples, options);
    }
    return result;
}

template <class InputT, class T>
constexpr void check_batch_pixel_types() {
    static_assert(std::same_as<std::remove_const_t<InputT>, T> && !std::is_const_v<T>,
                  "resizemix::mix_batch: input and output must have the same pixel type and output must be "
                  "mutable (batch_view<T>); pass the input itself as output to mix in place");
}

}  // namespace detail

/// Mixes every sample of `input` with its partner and writes `output` (the same
/// shape; may be `input` itself, any other overlap is an error). `labels` holds
/// one class per sample when options.num_classes > 0 (else it may be empty); the
/// result's labels are then soft labels with options.label_smoothing.
/// The saliency provider is asked, on the calling thread and in sample order,
/// for maps with query.image_index set to the batch index of the image.
/// Everything is validated and planned before any pixel is written.
template <mixer Mixer, class InputT, class T, saliency_provider Provider = no_saliency>
batch_result mix_batch(const Mixer& mixer, batch_view<InputT> input, std::span<const std::int64_t> labels,
                       batch_view<T> output, const batch_options& options = {}, Provider&& saliency = {}) {
    detail::check_batch_pixel_types<InputT, T>();
    const bool in_place = detail::check_batch_views(input, output);
    detail::check_batch_options(options, input.count());
    detail::check_class_labels(labels, options, input.count());
    batch_result result = detail::mix_pixels(mixer, input, output, options, saliency, in_place);
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

/// mix_batch with dense targets: `targets` has one row per sample (one-hot,
/// soft or multi-hot, any Eigen expression, e.g. an Eigen::Map of a row-major
/// buffer), and result.labels row i = lambda_i * targets.row(partner_i) +
/// (1 - lambda_i) * targets.row(i), with nothing renormalised (mix_target_rows).
/// options.label_smoothing must be 0 and options.num_classes 0 or targets.cols().
template <mixer Mixer, class InputT, class T, class Derived, saliency_provider Provider = no_saliency>
batch_result mix_batch(const Mixer& mixer, batch_view<InputT> input, const Eigen::MatrixBase<Derived>& targets,
                       batch_view<T> output, const batch_options& options = {}, Provider&& saliency = {}) {
    detail::check_batch_pixel_types<InputT, T>();
    const bool in_place = detail::check_batch_views(input, output);
    detail::check_batch_options(options, input.count());
    detail::check_dense_targets(targets, options, input.count());
    batch_result result = detail::mix_pixels(mixer, input, output, options, saliency, in_place);
    std::vector<mix_info> infos;
    std::vector<index_t> partners;
    for (const auto& record : result.samples) {
        infos.push_back(record.info);
        partners.push_back(record.partner);
    }
    result.labels = mix_target_rows(infos, partners, targets);
    return result;
}

}  // namespace resizemix
