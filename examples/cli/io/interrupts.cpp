// examples/cli/io/interrupts.cpp: see interrupts.hpp.
#include "interrupts.hpp"

#include <csignal>
#include <cstdlib>

namespace resizemix_cli {

namespace {

constexpr int caught_signals[3] = {SIGINT, SIGTERM, SIGHUP};

/// The first signal noted in the current scope, else 0. Only the handler writes it while a scope is alive.
volatile std::sig_atomic_t noted_signal = 0;

extern "C" void note_signal(int signal_number) {
    if (noted_signal != 0) {  // the second one: stop now
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
        return;
    }
    noted_signal = signal_number;
}

}  // namespace

interrupt_scope::interrupt_scope() {
    noted_signal = 0;
    for (int k = 0; k < 3; ++k) previous_[k] = std::signal(caught_signals[k], note_signal);
}

interrupt_scope::~interrupt_scope() {
    for (int k = 0; k < 3; ++k) std::signal(caught_signals[k], previous_[k]);
}

void check_interrupt() {
    if (noted_signal != 0) throw interrupted{noted_signal};
}

void die_of(int signal_number) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    std::_Exit(128 + signal_number);  // only if the signal was blocked
}

}  // namespace resizemix_cli
