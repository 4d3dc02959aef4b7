// Tests for resizemix/batch.hpp: pairing, per-sample and per-batch parameters,
// in place == out of place, thread counts, equality with mixing sample by
// sample, soft-label rows, scratch memory, the saliency callback's indices,
// custom executors, validation before any write, streams per step / rank /
// sample id, dense targets (one-hot, soft, multi-hot), and a soak of random
// calls (shapes, layouts, mixers, threads) with the resident memory checked flat.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;

namespace {

/// A batch with owning storage, NHWC or NCHW, filled with fixture noise.
template <class T>
struct test_batch {
    index_t count, channels, height, width;
    bool interleaved;
    std::vector<T> pixels;

    test_batch(index_t n, index_t c, index_t h, index_t w, bool nhwc, std::uint64_t seed)
        : count(n), channels(c), height(h), width(w), interleaved(nhwc), pixels(static_cast<std::size_t>(n * c * h * w)) {
        test_support::fixture_random random(seed);
        for (auto& p : pixels) p = test_support::level<T>(static_cast<double>(random.between(0, 255)));
    }
    batch_view<T> view() {
        return interleaved ? from_nhwc(pixels.data(), count, height, width, channels)
                           : from_nchw(pixels.data(), count, channels, height, width);
    }
};

template <class T, class Mixer>
std::vector<T> mix_out_of_place(const Mixer& mixer, test_batch<T>& input, const batch_options& options) {
    test_batch<T> output = input;
    std::fill(output.pixels.begin(), output.pixels.end(), T{});
    (void)mix_batch(mixer, batch_view<const T>(input.view()), {}, output.view(), options);
    return output.pixels;
}

template <class T, class Mixer>
std::vector<T> mix_in_place(const Mixer& mixer, const test_batch<T>& input, const batch_options& options) {
    test_batch<T> copy = input;
    (void)mix_batch(mixer, copy.view(), {}, copy.view(), options);
    return copy.pixels;
}

}  // namespace

TEMPLATE_TEST_CASE("mix_batch: in place, out of place and 1/2/4 threads give the same bytes", "[batch]",
                   std::uint8_t, float) {
    // uint8 as NHWC (stb/OpenCV), float as NCHW (PyTorch): the two layouts the issue names.
    const bool interleaved = std::is_same_v<TestType, std::uint8_t>;
    test_batch<TestType> input(12, 3, 23, 31, interleaved, 5);
    const auto mixer = one_of({{resize_mix{}, 1.0}, {cut_mix{}, 1.0}, {mixup{}, 0.5}});
    batch_options options;
    options.seed = 77;
    options.epoch = 2;
    const std::vector<TestType> reference = mix_out_of_place(mixer, input, options);
    CHECK(reference != input.pixels);
    for (const unsigned threads : {1U, 2U, 4U}) {
        options.threads = threads;
        CHECK(mix_out_of_place(mixer, input, options) == reference);
        CHECK(mix_in_place(mixer, input, options) == reference);
    }
}

// Mixes the batch with mix_batch, then sample by sample with the mixer called directly on
// the stream stream_for(i) gives: partners, records and pixels must agree.
template <typename T, typename Mixer, typename StreamFor>
void check_equals_sample_by_sample(const Mixer& mixer, test_batch<T>& input, const batch_options& options,
                                   StreamFor stream_for) {
    test_batch<T> output = input;
    const auto result = mix_batch(mixer, batch_view<const T>(input.view()), {}, output.view(), options);
    test_batch<T> expected = input;
    const std::vector<index_t> partners = partners_for(options, input.count);
    for (index_t i = 0; i < input.count; ++i) {
        rng random = stream_for(i);
        const mix_info info = mixer(image_view<const T>(input.view()[partners[i]]),
                                    image_view<const T>(input.view()[i]), expected.view()[i], random);
        CHECK(result.samples[i].partner == partners[i]);
        CHECK(result.samples[i].info.box == info.box);
        CHECK(result.samples[i].info.tau == info.tau);
    }
    CHECK(output.pixels == expected.pixels);
}

TEMPLATE_TEST_CASE("mix_batch equals mixing sample by sample with the streams of (seed, epoch, index)", "[batch]",
                   std::uint8_t, float) {
    test_batch<TestType> input(9, 3, 20, 16, true, 8);
    batch_options options;
    options.seed = 3;
    options.epoch = 11;
    options.threads = 2;
    check_equals_sample_by_sample(resize_mix{}, input, options, [&](index_t i) {
        return rng::for_sample(options.seed, options.epoch, static_cast<std::uint64_t>(i));
    });
}

TEST_CASE("mix_batch pairing: seeded shuffle, flip, given partners", "[batch]") {
    batch_options options;
    options.seed = 10;
    const auto shuffled = partners_for(options, 50);
    std::vector<index_t> sorted = shuffled;
    std::sort(sorted.begin(), sorted.end());
    for (index_t i = 0; i < 50; ++i) CHECK(sorted[i] == i);  // a permutation
    CHECK(partners_for(options, 50) == shuffled);            // reproducible
    options.epoch = 1;
    CHECK(partners_for(options, 50) != shuffled);  // a new epoch, a new pairing

    options.pairing = pairing::flip;
    const auto flipped = partners_for(options, 5);
    CHECK(flipped == std::vector<index_t>{4, 3, 2, 1, 0});

    options.pairing = pairing::given;
    options.partners = {1, 0, 0};
    CHECK(partners_for(options, 3) == std::vector<index_t>{1, 0, 0});
    CHECK_THROWS_WITH(partners_for(options, 4), Contains("options.partners has 3 entries"));
    options.partners = {1, 0, 3};
    CHECK_THROWS_AS(partners_for(options, 3), resizemix::error);
    CHECK_THROWS_WITH(partners_for(options, 3), Contains("options.partners[2] = 3 is outside [0, 3)"));
}

TEST_CASE("mix_batch per-batch parameters: one tau and one box for every sample", "[batch]") {
    test_batch<std::uint8_t> input(6, 3, 40, 40, true, 2);
    batch_options options;
    options.seed = 4;
    options.parameters = parameter_sharing::per_batch;
    const auto result = mix_batch(resize_mix{}, input.view(), {}, input.view(), options);
    for (const auto& record : result.samples) {
        CHECK(record.info.tau == result.samples[0].info.tau);
        CHECK(record.info.box == result.samples[0].info.box);
    }
    options.parameters = parameter_sharing::per_sample;
    const auto per_sample = mix_batch(resize_mix{}, input.view(), {}, input.view(), options);
    std::set<double> taus;
    for (const auto& record : per_sample.samples) taus.insert(record.info.tau);
    CHECK(taus.size() == per_sample.samples.size());
}

TEST_CASE("mix_batch soft labels: row i mixes the partner's class (lambda) with its own", "[batch]") {
    test_batch<float> input(10, 3, 16, 16, false, 3);
    const std::vector<std::int64_t> labels = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
    batch_options options;
    options.seed = 6;
    options.num_classes = 5;
    options.label_smoothing = 0.2f;
    const auto result = mix_batch(cut_mix{}, input.view(), labels, input.view(), options);
    REQUIRE(result.labels.rows() == 10);
    REQUIRE(result.labels.cols() == 5);
    for (index_t i = 0; i < 10; ++i) {
        const auto& record = result.samples[i];
        const Eigen::RowVectorXf expected =
            soft_label(record.info, labels[record.partner], labels[i], 5, options.label_smoothing);
        CHECK(result.labels.row(i).isApprox(expected));
        CHECK(result.labels.row(i).sum() == Approx(1.0f));
    }
}

TEST_CASE("mix_batch validates labels and shapes before writing anything", "[batch]") {
    test_batch<std::uint8_t> input(4, 3, 8, 8, true, 1);
    const std::vector<std::uint8_t> before = input.pixels;
    batch_options options;
    options.num_classes = 3;
    const std::vector<std::int64_t> bad = {0, 1, 3, 2};
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), bad, input.view(), options),
                      Contains("labels[2] = 3 is outside [0, 3)"));
    const std::vector<std::int64_t> short_labels = {0, 1};
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), short_labels, input.view(), options),
                      Contains("labels has 2 entries but the batch has 4 samples"));
    options.num_classes = 0;
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), short_labels, input.view(), options),
                      Contains("num_classes is 0"));
    // A policy that needs a map and gets none fails in planning, before any pixel moves.
    CHECK_THROWS_WITH(mix_batch(cut_mix{.source_region = region::salient}, input.view(), {}, input.view(), options),
                      Contains("needs a saliency map"));
    CHECK_THROWS_WITH(mix_batch(resize_mix{.scale_min = 0.9f, .scale_max = 0.2f}, input.view(), {}, input.view(),
                                options),
                      Contains("scale range"));
    CHECK(input.pixels == before);

    test_batch<std::uint8_t> smaller(4, 3, 8, 7, true, 1);
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), {}, smaller.view(), options), Contains("output is"));
    // Output shifted by one sample overlaps the input without being it.
    std::vector<std::uint8_t> shared(5 * 8 * 8 * 3);
    const auto first = from_nhwc(shared.data(), 4, 8, 8, 3);
    const auto shifted = from_nhwc(shared.data() + 8 * 8 * 3, 4, 8, 8, 3);
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, first, {}, shifted, options), Contains("overlaps input"));
}

TEST_CASE("mix_batch in place buffers only the patches", "[batch]") {
    test_batch<std::uint8_t> input(16, 3, 64, 64, true, 4);
    batch_options options;
    options.seed = 12;
    const auto result = mix_batch(resize_mix{}, input.view(), {}, input.view(), options);
    std::size_t patch_elements = 0;
    for (const auto& record : result.samples) patch_elements += static_cast<std::size_t>(record.info.box.area() * 3);
    // With a shuffle and a built-in mixer only run ends are buffered (one patch per partner
    // cycle and per chunk of a thread; the rest go straight into place): never more than all patches.
    CHECK(result.scratch_elements <= patch_elements);
    // tau <= 0.8 so every patch is at most 0.8^2 (+ rounding) of its image: never a copy of the batch.
    CHECK(result.scratch_elements < input.pixels.size() * 7 / 10);

    test_batch<std::uint8_t> output = input;
    const auto out_of_place = mix_batch(resize_mix{}, batch_view<const std::uint8_t>(input.view()), {}, output.view(), options);
    CHECK(out_of_place.scratch_elements == 0);
}

TEST_CASE("mix_batch asks the saliency callback with batch indices, on the calling thread, in order", "[batch]") {
    test_batch<float> input(6, 3, 24, 24, false, 9);
    std::vector<saliency_map> maps;
    for (index_t i = 0; i < 6; ++i) {
        saliency_map map(6, 6);
        map(i % 6, (i * 5) % 6) = 1.0f;  // a distinct maximum per sample
        maps.push_back(map);
    }
    std::vector<saliency_query> queries;
    const auto caller = std::this_thread::get_id();
    bool same_thread = true;
    auto callback = [&](const saliency_query& query) -> const saliency_map& {
        queries.push_back(query);
        same_thread = same_thread && std::this_thread::get_id() == caller;
        return maps.at(static_cast<std::size_t>(query.image_index));
    };
    batch_options options;
    options.seed = 21;
    options.threads = 2;
    const auto result = mix_batch(cut_mix{.source_region = region::salient, .paste_region = region::non_salient},
                                  input.view(), {}, input.view(), options, callback);
    REQUIRE(queries.size() == 12);
    CHECK(same_thread);
    for (index_t i = 0; i < 6; ++i) {
        CHECK(queries[2 * i].role == image_role::source);
        CHECK(queries[2 * i].image_index == result.samples[i].partner);
        CHECK(queries[2 * i + 1].role == image_role::target);
        CHECK(queries[2 * i + 1].image_index == i);
        // The cut box contains the image pixel of the partner's map maximum (scaled by 24 / 6 = 4).
        const index_t partner = result.samples[i].partner;
        const index_t centre_x = ((partner * 5) % 6) * 4 + 2;
        const index_t centre_y = (partner % 6) * 4 + 2;
        CHECK(result.samples[i].info.source_box.contains(centre_x, centre_y));
    }
}

TEST_CASE("mix_batch runs on a user-supplied executor with the same result", "[batch]") {
    test_batch<std::uint8_t> input(8, 3, 16, 16, true, 13);
    batch_options options;
    options.seed = 1;
    const auto reference = mix_out_of_place(resize_mix{}, input, options);
    int calls = 0;
    options.executor = [&calls](index_t count, const std::function<void(index_t)>& task) {
        ++calls;
        for (index_t k = count; k-- > 0;) task(k);  // backwards, to show order does not matter
    };
    CHECK(mix_out_of_place(resize_mix{}, input, options) == reference);
    CHECK(mix_in_place(resize_mix{}, input, options) == reference);
    CHECK(calls == 1 + 2);  // out of place: one pass; in place: render, then paste
}

TEST_CASE("mix_batch rethrows an error raised on a worker thread", "[batch]") {
    test_batch<std::uint8_t> input(8, 3, 16, 16, true, 13);
    batch_options options;
    options.threads = 2;
    options.executor = [](index_t, const std::function<void(index_t)>&) { throw std::runtime_error("pool is gone"); };
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), {}, input.view(), options), "pool is gone");
}

// --- Streams per step, rank and sample id --------------------------------------------

namespace {

/// What a batch's draws were: partners, taus and boxes of every sample.
struct batch_draws {
    std::vector<index_t> partners;
    std::vector<double> taus;
    std::vector<box> boxes;
};

batch_draws draws_of(const batch_result& result) {
    batch_draws draws;
    for (const auto& record : result.samples) {
        draws.partners.push_back(record.partner);
        draws.taus.push_back(record.info.tau);
        draws.boxes.push_back(record.info.box);
    }
    return draws;
}

/// How many samples of two batches have the same value in `field`.
template <class V>
int agreements(const std::vector<V>& a, const std::vector<V>& b) {
    int same = 0;
    for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i] ? 1 : 0;
    return same;
}

}  // namespace

TEST_CASE("mix_batch: a loop over steps with one seed and one epoch gets fresh partners, taus and boxes",
          "[batch][streams]") {
    // Written as the README says a loop must: seed and epoch fixed, step set at every batch.
    test_batch<std::uint8_t> input(16, 3, 32, 32, true, 5);
    batch_options options;
    options.seed = 42;
    options.epoch = 3;
    std::vector<batch_draws> steps;
    for (std::uint64_t step = 0; step < 5; ++step) {
        options.step = step;
        test_batch<std::uint8_t> batch = input;
        steps.push_back(draws_of(mix_batch(resize_mix{}, batch.view(), {}, batch.view(), options)));
    }
    for (std::size_t a = 0; a < steps.size(); ++a) {
        for (std::size_t b = a + 1; b < steps.size(); ++b) {
            CAPTURE(a, b);
            CHECK(steps[a].partners != steps[b].partners);
            CHECK(agreements(steps[a].taus, steps[b].taus) == 0);  // continuous draws never repeat
            CHECK(agreements(steps[a].boxes, steps[b].boxes) <= 2);
        }
    }
}

TEMPLATE_TEST_CASE("mix_batch: ranks differ, and (seed, epoch, step, rank) reproduces byte for byte on any thread count",
                   "[batch][streams]", std::uint8_t, float) {
    test_batch<TestType> input(12, 3, 24, 20, std::is_same_v<TestType, std::uint8_t>, 6);
    const auto mixer = one_of({{resize_mix{}, 1.0}, {cut_mix{}, 1.0}, {mixup{}, 0.5}});
    batch_options options;
    options.seed = 9;
    options.epoch = 1;
    options.step = 17;
    options.rank = 0;
    const auto rank0 = mix_out_of_place(mixer, input, options);
    options.rank = 1;
    const auto rank1 = mix_out_of_place(mixer, input, options);
    CHECK(rank0 != rank1);
    for (const unsigned threads : {1U, 2U, 4U}) {
        options.threads = threads;
        CHECK(mix_out_of_place(mixer, input, options) == rank1);
        CHECK(mix_in_place(mixer, input, options) == rank1);
    }
    // Every coordinate matters.
    options.threads = 1;
    for (auto* field : {&options.seed, &options.epoch, &options.step, &options.rank}) {
        const std::uint64_t kept = *field;
        *field += 1;
        CHECK(mix_out_of_place(mixer, input, options) != rank1);
        *field = kept;
    }
    CHECK(mix_out_of_place(mixer, input, options) == rank1);
}

TEMPLATE_TEST_CASE("mix_batch equals mixing sample by sample with sample_stream(options, i)", "[batch][streams]",
                   std::uint8_t, float) {
    test_batch<TestType> input(9, 3, 20, 16, false, 8);
    batch_options options;
    options.seed = 3;
    options.epoch = 11;
    options.step = 250;
    options.rank = 3;
    options.threads = 2;
    for (const bool with_ids : {false, true}) {
        if (with_ids) options.sample_ids = {90, 12, 7, 1000, 5, 6, 33, 2, 81};
        check_equals_sample_by_sample(cut_mix{}, input, options, [&](index_t i) { return sample_stream(options, i); });
    }
}

TEST_CASE("mix_batch streams: step 0 on rank 0 keeps the streams of rng::for_sample(seed, epoch, i)",
          "[batch][streams]") {
    batch_options options;
    options.seed = 5;
    options.epoch = 2;
    for (index_t i = 0; i < 4; ++i) {
        rng expected = rng::for_sample(5, 2, static_cast<std::uint64_t>(i));
        rng actual = sample_stream(options, i);
        CHECK(actual.next_u64() == expected.next_u64());
        rng other_step = rng::for_sample(5, 2, 1, 0, static_cast<std::uint64_t>(i));
        rng other_rank = rng::for_sample(5, 2, 0, 1, static_cast<std::uint64_t>(i));
        rng same = rng::for_sample(5, 2, static_cast<std::uint64_t>(i));
        const std::uint64_t word = same.next_u64();
        CHECK(other_step.next_u64() != word);
        CHECK(other_rank.next_u64() != word);
    }
}

TEST_CASE("mix_batch sample_ids: a sample's parameters follow its dataset index, not its position or step",
          "[batch][streams]") {
    test_batch<std::uint8_t> input(6, 3, 40, 40, true, 2);
    batch_options options;
    options.seed = 4;
    options.epoch = 7;
    options.sample_ids = {100, 101, 102, 103, 104, 105};
    const auto first = mix_batch(resize_mix{}, input.view(), {}, input.view(), options);
    // The same images in reverse order, at another step and rank: every id keeps its tau.
    options.step = 9;
    options.rank = 2;
    options.sample_ids = {105, 104, 103, 102, 101, 100};
    test_batch<std::uint8_t> other = input;
    const auto second = mix_batch(resize_mix{}, other.view(), {}, other.view(), options);
    for (index_t i = 0; i < 6; ++i) CHECK(second.samples[5 - i].info.tau == first.samples[i].info.tau);
    // The pairing still follows the step and rank.
    options.sample_ids = {100, 101, 102, 103, 104, 105};
    batch_options first_options = options;
    first_options.step = 0;
    first_options.rank = 0;
    CHECK(partners_for(options, 6) != partners_for(first_options, 6));

    options.sample_ids = {1, 2};
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), {}, input.view(), options),
                      Contains("options.sample_ids has 2 entries but the batch has 6 samples"));
    options.sample_ids = {1, 2, 3, 4, 5, batch_stream_index};
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), {}, input.view(), options),
                      Contains("options.sample_ids[5] = 18446744073709551615 is reserved"));
}

// --- Dense targets ---------------------------------------------------------------

TEST_CASE("mix_batch dense targets: one-hot rows give exactly the soft labels of the index form", "[batch][labels]") {
    test_batch<float> input(10, 3, 16, 16, false, 3);
    const std::vector<std::int64_t> classes = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
    Eigen::MatrixXf one_hot = Eigen::MatrixXf::Zero(10, 5);
    for (index_t i = 0; i < 10; ++i) one_hot(i, classes[static_cast<std::size_t>(i)]) = 1.0f;
    batch_options options;
    options.seed = 6;
    options.step = 2;
    test_batch<float> dense_batch = input;
    const auto dense = mix_batch(cut_mix{}, dense_batch.view(), one_hot, dense_batch.view(), options);
    options.num_classes = 5;
    test_batch<float> index_batch = input;
    const auto indexed = mix_batch(cut_mix{}, index_batch.view(), classes, index_batch.view(), options);
    CHECK(dense_batch.pixels == index_batch.pixels);
    REQUIRE(dense.labels.rows() == 10);
    REQUIRE(dense.labels.cols() == 5);
    CHECK(dense.labels == indexed.labels);  // bit for bit
}

TEST_CASE("mix_batch dense targets: soft and multi-hot rows mix with lambda, nothing renormalised", "[batch][labels]") {
    test_batch<std::uint8_t> input(4, 3, 24, 24, true, 11);
    // Row-major caller memory (a torch tensor, a NumPy array), seen through an Eigen::Map.
    std::vector<float> multi_hot = {1, 0, 1, 0,   //
                                    1, 1, 0, 0,   //
                                    0, 0, 0, 1,   //
                                    0.9f, 0.05f, 0.05f, 0};  // an already-smoothed soft row
    using row_major = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const row_major> targets(multi_hot.data(), 4, 4);
    batch_options options;
    options.seed = 1;
    options.pairing = pairing::given;
    options.partners = {1, 0, 3, 2};
    const auto result = mix_batch(resize_mix{}, input.view(), targets, input.view(), options);
    for (index_t i = 0; i < 4; ++i) {
        const double lambda = result.samples[i].info.lambda;
        const index_t partner = result.samples[i].partner;
        for (index_t k = 0; k < 4; ++k) {
            const double expected = lambda * targets(partner, k) + (1.0 - lambda) * targets(i, k);
            CHECK(result.labels(i, k) == static_cast<float>(expected));
        }
    }
    // Class 0 is in both multi-hot rows 0 and 1: it stays 1, and the row sums to more than 1.
    CHECK(result.labels(0, 0) == 1.0f);
    CHECK(result.labels.row(0).sum() > 1.0f);
}

TEST_CASE("mix_batch dense targets are validated before anything is written", "[batch][labels]") {
    test_batch<std::uint8_t> input(3, 3, 8, 8, true, 1);
    const std::vector<std::uint8_t> before = input.pixels;
    Eigen::MatrixXf targets = Eigen::MatrixXf::Identity(3, 3);
    batch_options options;
    options.label_smoothing = 0.1f;
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), targets, input.view(), options),
                      Contains("label smoothing applies to class indices only"));
    options.label_smoothing = 0.0f;
    options.num_classes = 4;
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), targets, input.view(), options),
                      Contains("options.num_classes is 4 but targets has 3 columns"));
    options.num_classes = 0;
    const Eigen::MatrixXf two_rows = Eigen::MatrixXf::Identity(2, 3);
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), two_rows, input.view(), options),
                      Contains("targets has 2 rows but the batch has 3 samples"));
    targets(1, 2) = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), targets, input.view(), options),
                      Contains("targets(1, 2) is nan, not finite"));
    CHECK(input.pixels == before);
}

namespace {

/// Resident set size in bytes (Linux; 0 elsewhere).
std::size_t resident_bytes() {
#if defined(__linux__)
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    std::size_t resident = 0;
    statm >> pages >> resident;
    return resident * 4096;
#else
    return 0;
#endif
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;  // quarantines and shadow memory grow the resident set by design
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

/// One mix_batch call with random shape, layout, mixer, pairing and thread count, in
/// place or not; checks it against the same call out of place on one thread.
template <class T>
void soak_call(test_support::fixture_random& random, int call) {
    const bool interleaved = random.between(0, 1) == 1;
    test_batch<T> input(random.between(1, 12), std::vector<index_t>{1, 3, 4}[static_cast<std::size_t>(random.between(0, 2))],
                        random.between(1, 40), random.between(1, 40), interleaved,
                        static_cast<std::uint64_t>(call));
    batch_options options;
    options.seed = static_cast<std::uint64_t>(call);
    options.pairing = random.between(0, 1) == 1 ? pairing::shuffle : pairing::flip;
    const auto mixer = one_of({{resize_mix{}, 2.0}, {cut_mix{}, 1.0}, {mixup{}, 1.0}});
    const std::vector<T> reference = mix_out_of_place(mixer, input, options);
    options.threads = static_cast<unsigned>(random.between(0, 4));
    const bool in_place = random.between(0, 1) == 1;
    CAPTURE(call, input.count, input.channels, input.height, input.width, interleaved, options.threads, in_place);
    REQUIRE((in_place ? mix_in_place(mixer, input, options) : mix_out_of_place(mixer, input, options)) == reference);
}

}  // namespace

TEST_CASE("soak: many mix_batch calls with random shapes, layouts, mixers and threads; memory stays flat",
          "[batch][soak]") {
    test_support::fixture_random random(31337);
    int call = 0;
    auto round = [&](int calls) {
        for (int k = 0; k < calls; ++k, ++call) {
            if (call % 2 == 0) {
                soak_call<std::uint8_t>(random, call);
            } else {
                soak_call<float>(random, call);
            }
        }
    };
    round(100);  // warm-up: workspaces, the pool and the allocator reach their working size
    const std::size_t warm = resident_bytes();
    round(300);
    const std::size_t after = resident_bytes();
    CAPTURE(warm, after);
    if (!sanitized) CHECK(after <= warm + 4 * 1024 * 1024);
    // Threads are reused: never more helpers than the most any call asked for (0 = the hardware's).
    const std::size_t most = std::max<std::size_t>(4, std::thread::hardware_concurrency());
    CHECK(detail::worker_pool::shared().size() <= most - 1);
}
