// resizemix_bench_pool_wake: how long a sleeping helper of mix_batch's worker pool
// (detail/worker_pool.hpp) takes to start a job, from the calling thread's try_run()
// to the helper's first instruction of the job: back to back and after idle gaps of
// 0.1, 1 and 10 ms, 300 calls each, median, 90th percentile and maximum. A plain
// program (no Google Benchmark): the figure is a latency, not a throughput. It explains
// why two threads do not pay on a batch whose whole work is a few tens of microseconds
// (benchmarks/RESULTS.md, "Issue 15, idle run").
#include <resizemix/batch.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>
using clock_type = std::chrono::steady_clock;
int main() {
    auto& pool = resizemix::detail::worker_pool::shared();
    for (int gap_us : {0, 100, 1000, 10000}) {
        std::vector<double> latency;
        for (int rep = 0; rep < 300; ++rep) {
            if (gap_us) std::this_thread::sleep_for(std::chrono::microseconds(gap_us));
            const auto caller = std::this_thread::get_id();
            std::atomic<long long> helper_start{0};
            const auto start = clock_type::now();
            const std::function<void()> job = [&] {
                if (std::this_thread::get_id() != caller)
                    helper_start = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now() - start).count();
            };
            pool.try_run(1, job);
            latency.push_back(helper_start / 1000.0);
        }
        std::sort(latency.begin(), latency.end());
        std::printf("idle gap %5d us: helper starts after median %.1f us, p90 %.1f us, max %.1f us\n", gap_us,
                    latency[latency.size() / 2], latency[latency.size() * 9 / 10], latency.back());
    }
}
