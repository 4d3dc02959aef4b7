// resizemix/detail/worker_pool.hpp: threads kept alive across mix_batch calls.
//
// Starting a std::thread costs tens of microseconds, as much as mixing a whole
// small batch, so mix_batch borrows helpers from one process-wide pool that
// grows to the most helpers ever asked for and then sleeps on a condition
// variable. One call uses the pool at a time; a call that finds it busy (another
// thread's batch, or a batch started from inside a task) starts its own threads
// instead, so nothing ever waits for the pool. After fork() the child gets a
// new pool: the parent's threads do not exist there.
// Not for direct inclusion: use <resizemix/batch.hpp>.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#define RESIZEMIX_POOL_FORK_CHECK 1
#else
#define RESIZEMIX_POOL_FORK_CHECK 0
#endif

namespace resizemix::detail {

class worker_pool {
public:
    worker_pool() = default;
    worker_pool(const worker_pool&) = delete;
    worker_pool& operator=(const worker_pool&) = delete;

    /// Stops and joins the threads (the shared pool is never destroyed; other pools are).
    ~worker_pool() {
        {
            const std::lock_guard lock(state_);
            stopping_ = true;
        }
        work_ready_.notify_all();
        for (std::thread& thread : threads_) thread.join();
    }

    /// The pool of this process. Never destroyed: its idle threads sleep until
    /// exit, and no call can race with its destruction.
    static worker_pool& shared() {
        static std::mutex instance_mutex;
        static worker_pool* instance = nullptr;
#if RESIZEMIX_POOL_FORK_CHECK
        static pid_t owner = 0;
        const std::lock_guard lock(instance_mutex);
        if (instance == nullptr || owner != ::getpid()) {
            // In a forked child the old pool's threads are gone and its locks may be
            // held by them: leave it (still reachable, so no leak report) and start afresh.
            static std::vector<worker_pool*> abandoned;
            if (instance != nullptr) abandoned.push_back(instance);
            instance = new worker_pool;
            owner = ::getpid();
        }
#else
        const std::lock_guard lock(instance_mutex);
        if (instance == nullptr) instance = new worker_pool;
#endif
        return *instance;
    }

    /// Runs job() on `helpers` pool threads and on the calling thread, and returns
    /// once all have returned. Returns false without running anything when the
    /// pool is busy or cannot start its threads; the caller then uses its own.
    /// `job` must not throw.
    bool try_run(unsigned helpers, const std::function<void()>& job) {
        std::unique_lock lease(use_, std::try_to_lock);
        if (!lease.owns_lock()) return false;
        try {
            while (threads_.size() < helpers) {
                const auto index = static_cast<unsigned>(threads_.size());
                threads_.emplace_back([this, index, start = generation_] { serve(index, start); });
            }
        } catch (...) {
            if (threads_.size() < helpers) return false;
        }
        {
            const std::lock_guard lock(state_);
            job_ = &job;
            helpers_ = helpers;
            running_ = helpers;
            ++generation_;
        }
        work_ready_.notify_all();
        job();
        std::unique_lock lock(state_);
        work_done_.wait(lock, [this] { return running_ == 0; });
        job_ = nullptr;
        return true;
    }

    /// Threads started so far (they stay for the life of the process).
    [[nodiscard]] std::size_t size() {
        const std::lock_guard lease(use_);
        return threads_.size();
    }

private:
    void serve(unsigned index, std::uint64_t seen) {
        std::unique_lock lock(state_);
        for (;;) {
            work_ready_.wait(lock, [&] { return generation_ != seen || stopping_; });
            if (stopping_) return;
            seen = generation_;
            if (index >= helpers_) continue;
            const std::function<void()>* job = job_;
            lock.unlock();
            (*job)();
            lock.lock();
            if (--running_ == 0) work_done_.notify_one();
        }
    }

    std::mutex use_;    // held by the one call using the pool
    std::mutex state_;  // guards what follows
    std::condition_variable work_ready_;
    std::condition_variable work_done_;
    const std::function<void()>* job_ = nullptr;
    unsigned helpers_ = 0;
    unsigned running_ = 0;
    std::uint64_t generation_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace resizemix::detail

#undef RESIZEMIX_POOL_FORK_CHECK
