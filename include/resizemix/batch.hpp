// resizemix/batch.hpp: mix_batch(), mixing a whole batch with soft labels.
//
// Every sample i is the target of one mix whose source is its partner (a
// seeded shuffle by default). Sample i draws from its own stream
// rng::for_sample(seed, epoch, i), so the result does not depend on the number
// of threads or the order of work, and any sample can be re-mixed on its own.
// `output` may be `input`: every patch is rendered from the original pixels
// (a sample is overwritten only once every patch that reads it is rendered),
// so in-place mixing is byte-identical to out-of-place mixing and needs extra
// memory only for patches: all of them at most, one per partner cycle and
// thread with the built-in mixers (see batch_result::scratch_elements).
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

#include "compose.hpp"
#include "detail/mixing.hpp"
#include "labels.hpp"
#include "mix_info.hpp"
#include "random.hpp"
#include "saliency_map.hpp"
#include "view.hpp"

namespace resizemix {

struct resize_mix;  // the built-in mixers, named by detail::patch_may_alias_target
struct cut_mix;
struct mixup;

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
    /// Pixels (x channels) buffered for in-place mixing: at most the sum of the patch sizes. With the
    /// built-in mixers and a permutation pairing (shuffle, flip) only one patch per partner cycle
    /// and per thread is buffered; the other patches are rendered straight into place.
    std::size_t scratch_elements = 0;
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

/// The threads a call spreads `tasks` over: options.threads (0: the hardware's), at most `tasks`.
inline unsigned thread_count(const batch_options& options, index_t tasks) {
    const unsigned wanted =
        options.threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.threads;
    return static_cast<unsigned>(std::max<index_t>(1, std::min<index_t>(wanted, tasks)));
}

/// Runs first(k) for every k in [0, first_count), then, once all of those have
/// returned, second(k) for every k in [0, second_count). On our own threads
/// this is one fork-join (the calling thread works too) with a barrier between
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

/// Whether a mixer's render(info, source, target, patch) may write into a
/// `patch` that is the target's own box: true when render reads the target
/// only at the pixel it writes, or not at all. mix_batch then mixes in place
/// without buffering every patch. A mixer of your own opts in with
/// `static constexpr bool patch_may_alias_target = true;`.
template <class M>
struct patch_may_alias_target : std::false_type {};
template <class M>
    requires requires { M::patch_may_alias_target; }
struct patch_may_alias_target<M> : std::bool_constant<static_cast<bool>(M::patch_may_alias_target)> {};
template <>
struct patch_may_alias_target<resize_mix> : std::true_type {};  // reads only the source
template <>
struct patch_may_alias_target<cut_mix> : std::true_type {};  // reads only the source
template <>
struct patch_may_alias_target<mixup> : std::true_type {};  // reads the target at the pixel it writes
template <class... Mixers>
struct patch_may_alias_target<one_of_mixer<Mixers...>>
    : std::bool_constant<(patch_may_alias_target<Mixers>::value && ...)> {};
template <class Mixer>
struct patch_may_alias_target<sometimes_mixer<Mixer>> : patch_may_alias_target<Mixer> {};

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
    const auto [input_low, input_high] = detail::address_range(input);
    const auto [output_low, output_high] = detail::address_range(output);
    const std::less<const void*> before;
    if (!in_place && before(input_low, output_high) && before(output_low, input_high)) {
        // The batches' spans meet: find the samples that do (rare, so quadratic is fine).
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
        // In place: every patch is rendered from untouched pixels. When the
        // partners form a permutation (shuffle, flip) and the mixer's patch may
        // alias its target, most patches go straight into their box, in the
        // order of in_place_order, and only run ends are buffered; otherwise
        // every patch is buffered, then all are pasted.
        // Chunks are taken by the threads in turn: four per thread, so a thread that
        // starts late takes fewer; a user executor's concurrency is unknown, so it gets up to 16.
        const auto threads = static_cast<index_t>(detail::thread_count(options, count));
        const index_t chunks = options.executor ? std::min<index_t>(count, 16)
                               : threads > 1    ? std::min<index_t>(count, 4 * threads)
                                                : 1;
        detail::in_place_order order;
        if constexpr (detail::patch_may_alias_target<Mixer>::value) {
            std::vector<index_t> cost(static_cast<std::size_t>(count));
            for (index_t i = 0; i < count; ++i) cost[static_cast<std::size_t>(i)] = box_of(i).area() + 64;
            order = detail::order_in_place(partners, cost, chunks);
        }
        const bool direct = !order.samples.empty();
        if (!direct) {
            order.samples.resize(static_cast<std::size_t>(count));
            std::iota(order.samples.begin(), order.samples.end(), index_t{0});
            order.staged.assign(static_cast<std::size_t>(count), 1);
        }
        std::vector<index_t> staged_samples;
        std::vector<std::size_t> offsets(static_cast<std::size_t>(count), 0);
        std::size_t scratch_size = 0;
        for (std::size_t k = 0; k < order.samples.size(); ++k) {
            const index_t i = order.samples[k];
            if (order.staged[k] && !box_of(i).empty()) staged_samples.push_back(i);
        }
        // Largest first, so the threads taking them in turn finish together.
        std::stable_sort(staged_samples.begin(), staged_samples.end(),
                         [&](index_t a, index_t b) { return box_of(a).area() > box_of(b).area(); });
        for (const index_t i : staged_samples) {
            offsets[static_cast<std::size_t>(i)] = scratch_size;
            scratch_size += static_cast<std::size_t>(box_of(i).area() * input.channels());
        }
        std::vector<T> scratch(scratch_size);
        result.scratch_elements = scratch.size();
        const bool interleaved = output[0].has_hwc_rows();  // keep the patch in the output's layout
        auto patch_of = [&](index_t i) {
            T* data = scratch.data() + offsets[static_cast<std::size_t>(i)];
            const box& b = box_of(i);
            return interleaved ? from_hwc(data, b.height, b.width, input.channels())
                               : from_chw(data, input.channels(), b.height, b.width);
        };
        auto render_into = [&](index_t i, image_view<T> patch) {
            const auto& record = result.samples[static_cast<std::size_t>(i)];
            mixer.render(record.info, image_view<const T>(input[record.partner]), image_view<const T>(input[i]), patch);
        };
        auto render_staged = [&](index_t k) {
            const index_t i = staged_samples[static_cast<std::size_t>(k)];
            render_into(i, patch_of(i));
        };
        auto finish = [&](index_t position) {
            const index_t i = order.samples[static_cast<std::size_t>(position)];
            if (box_of(i).empty()) return;
            if (order.staged[static_cast<std::size_t>(position)]) {
                copy(image_view<const T>(patch_of(i)), output[i].subview(box_of(i)));
            } else {
                render_into(i, output[i].subview(box_of(i)));
            }
        };
        if (direct) {
            detail::parallel_phases(options, static_cast<index_t>(staged_samples.size()), render_staged,
                                    static_cast<index_t>(order.chunk_begin.size()) - 1, [&](index_t chunk) {
                                        for (index_t k = order.chunk_begin[static_cast<std::size_t>(chunk)];
                                             k < order.chunk_begin[static_cast<std::size_t>(chunk) + 1]; ++k) {
                                            finish(k);
                                        }
                                    });
        } else {
            detail::parallel_phases(options, static_cast<index_t>(staged_samples.size()), render_staged, count,
                                    finish);
        }
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
