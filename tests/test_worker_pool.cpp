// Tests for resizemix/detail/worker_pool.hpp: the pool runs a job on the asked
// number of helpers plus the caller, keeps its threads across calls, refuses
// (rather than waits) when busy so a nested call falls back to its own threads,
// and mix_batch on many threads reuses it without starting new ones.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/batch.hpp>
#include <resizemix/mixers/resizemix.hpp>

using namespace resizemix;

TEST_CASE("worker_pool runs a job on every helper and the caller, and keeps its threads", "[pool]") {
    detail::worker_pool pool;
    for (const unsigned helpers : {3U, 1U, 0U, 3U, 2U}) {
        std::mutex ids_mutex;
        std::set<std::thread::id> ids;
        std::atomic<int> runs{0};
        const std::function<void()> job = [&] {
            runs.fetch_add(1);
            const std::lock_guard lock(ids_mutex);
            ids.insert(std::this_thread::get_id());
        };
        REQUIRE(pool.try_run(helpers, job));
        CHECK(runs.load() == static_cast<int>(helpers) + 1);
        CHECK(ids.size() == helpers + 1);
        CHECK(ids.count(std::this_thread::get_id()) == 1);
        CHECK(pool.size() == 3);  // grown once to the most helpers asked for, never more
    }
}

TEST_CASE("worker_pool refuses a job while it runs one, so nested calls never wait for it", "[pool]") {
    detail::worker_pool pool;
    bool nested_ran = true;
    std::atomic<int> runs{0};
    const std::function<void()> inner = [&] { runs.fetch_add(1); };
    const std::function<void()> outer = [&] {
        if (runs.fetch_add(1) == 0) nested_ran = pool.try_run(1, inner);
    };
    REQUIRE(pool.try_run(1, outer));
    CHECK_FALSE(nested_ran);
    CHECK(runs.load() == 2);
    CHECK(pool.try_run(1, inner));  // free again afterwards
}

TEST_CASE("mix_batch borrows its helpers from the shared pool instead of starting threads per call", "[pool][batch]") {
    std::vector<std::uint8_t> pixels(16 * 3 * 20 * 20);
    for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = static_cast<std::uint8_t>(k * 7);
    const auto batch = from_nhwc(pixels.data(), 16, 20, 20, 3);
    batch_options options;
    options.threads = 3;
    (void)mix_batch(resize_mix{}, batch, {}, batch, options);
    const std::size_t threads = detail::worker_pool::shared().size();
    CHECK(threads >= 2);
    for (int call = 0; call < 20; ++call) {
        options.seed = static_cast<std::uint64_t>(call);
        (void)mix_batch(resize_mix{}, batch, {}, batch, options);
    }
    CHECK(detail::worker_pool::shared().size() == threads);
}
