// examples/cli/io/interrupts.hpp: the CLI's one way of stopping on SIGINT,
// SIGTERM and SIGHUP without leaving half-written output.
//
// While an interrupt_scope is alive the first such signal is only noted;
// check_interrupt() (called between units of work and before every commit of
// a staged_output) then throws `interrupted`, the stack unwinds (staged
// outputs remove their temporary files and folders), and main() ends the
// process by the same signal with die_of(). A second signal ends it at once.
#pragma once

namespace resizemix_cli {

/// Thrown by check_interrupt() once a signal has been noted.
struct interrupted {
    int signal_number = 0;
};

/// Notes SIGINT, SIGTERM and SIGHUP while alive (one scope at a time); restores the previous handlers after.
class interrupt_scope {
public:
    interrupt_scope();
    interrupt_scope(const interrupt_scope&) = delete;
    interrupt_scope& operator=(const interrupt_scope&) = delete;
    ~interrupt_scope();

private:
    void (*previous_[3])(int) = {};
};

/// Throws `interrupted` if a signal was noted since the scope began.
void check_interrupt();

/// Ends the process by `signal_number` as if it had never been caught.
[[noreturn]] void die_of(int signal_number);

}  // namespace resizemix_cli
