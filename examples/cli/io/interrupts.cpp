// examples/cli/io/interrupts.cpp: see interrupts.hpp.
#include "interrupts.hpp"

#include <signal.h>
#include <time.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdlib>

namespace resizemix_cli {

namespace {

constexpr int caught_signals[3] = {SIGINT, SIGTERM, SIGHUP};

/// The first signal noted in the current scope, else 0. Only the handler writes it while a scope is alive.
volatile std::sig_atomic_t noted_signal = 0;
/// When it was noted, in milliseconds of CLOCK_MONOTONIC (a lock-free atomic is safe in a handler).
std::atomic<std::int64_t> noted_at_ms{0};
static_assert(std::atomic<std::int64_t>::is_always_lock_free);

/// clock_gettime is async-signal-safe (time() and <chrono> are not promised to be).
std::int64_t monotonic_ms() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

extern "C" void note_signal(int signal_number) {
    if (noted_signal == 0) {
        noted_at_ms = monotonic_ms();
        noted_signal = signal_number;
        return;
    }
    // One event often arrives twice: timeout(1) signals its child and then the child's process
    // group, a shell may signal the whole job. Only a signal a second or more after the first is
    // someone asking again; it ends the process at once.
    if (monotonic_ms() - noted_at_ms < 1000) return;
    // Not die_of(): this signal is blocked while its handler runs, so die_of's _Exit would win;
    // raised now, it is delivered (and ends the process by the signal) as the handler returns.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

}  // namespace

interrupt_scope::interrupt_scope() {
    noted_signal = 0;
    // No SA_RESTART: a read or open blocked on a pipe or FIFO returns EINTR, so the run fails
    // there and main() sees the noted signal, instead of staying blocked until a second one.
    struct sigaction noting {};
    noting.sa_handler = note_signal;
    sigemptyset(&noting.sa_mask);
    noting.sa_flags = 0;
    for (int k = 0; k < 3; ++k) {
        ::sigaction(caught_signals[k], nullptr, &previous_[k]);
        // An ignored signal stays ignored: nohup(1) and background jobs of a shell rely on it.
        if (previous_[k].sa_handler != SIG_IGN) ::sigaction(caught_signals[k], &noting, nullptr);
    }
}

interrupt_scope::~interrupt_scope() {
    for (int k = 0; k < 3; ++k) ::sigaction(caught_signals[k], &previous_[k], nullptr);
}

int noted_interrupt() { return noted_signal; }

void check_interrupt() {
    if (noted_signal != 0) throw interrupted{noted_signal};
}

void die_of(int signal_number) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    std::_Exit(128 + signal_number);  // only if the signal was blocked
}

}  // namespace resizemix_cli
