// examples/cli/parallel.cpp: see parallel.hpp.
#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace resizemix_cli {

using resizemix::index_t;

resizemix::executor make_executor(unsigned threads) {
    if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
    return [threads](index_t count, const std::function<void(index_t)>& task) {
        const auto used = static_cast<unsigned>(std::clamp<index_t>(threads, 1, std::max<index_t>(count, 1)));
        std::atomic<index_t> next{0};
        std::atomic<index_t> first_failure{count};
        std::vector<std::exception_ptr> failures(static_cast<std::size_t>(count));
        const auto work = [&] {
            for (;;) {
                const index_t i = next.fetch_add(1);
                if (i >= count || i > first_failure.load()) return;
                try {
                    task(i);
                } catch (...) {
                    failures[static_cast<std::size_t>(i)] = std::current_exception();
                    index_t known = first_failure.load();
                    while (i < known && !first_failure.compare_exchange_weak(known, i)) {
                    }
                }
            }
        };
        std::vector<std::thread> workers;
        workers.reserve(used - 1);
        try {
            for (unsigned w = 1; w < used; ++w) workers.emplace_back(work);
        } catch (const std::system_error&) {
            // No more threads to be had: the ones started and this one share the work.
        }
        work();  // the calling thread works too
        for (auto& worker : workers) worker.join();
        if (first_failure.load() < count) std::rethrow_exception(failures[static_cast<std::size_t>(first_failure.load())]);
    };
}

}  // namespace resizemix_cli
