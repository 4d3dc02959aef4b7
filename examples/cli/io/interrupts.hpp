// examples/cli/io/interrupts.hpp: the CLI's one way of stopping on SIGINT,
// SIGTERM and SIGHUP without leaving half-written output.
//
// While an interrupt_scope is alive the first such signal is only noted;
// check_interrupt() (called between units of work and before every commit of
// a staged_output) then throws `interrupted`, the stack unwinds (staged
// outputs remove their temporary files and folders), and main() ends the
// process by the same signal with die_of(). A read or open blocked on a pipe
// fails with EINTR at the signal, and main() ends by the noted signal rather
// than report that failure (noted_interrupt()). A second signal a second or more
// after the first ends the process at once (one sooner is the same event
// delivered twice). A signal that was ignored when the scope began (nohup, a
// shell's background job) stays ignored.
#pragma once

#include <signal.h>

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
    struct sigaction previous_[3] = {};
};

/// The signal noted since the last scope began (also after it ended), else 0.
int noted_interrupt();

/// Throws `interrupted` if a signal was noted since the scope began.
void check_interrupt();

/// Ends the process by `signal_number` as if it had never been caught.
[[noreturn]] void die_of(int signal_number);

}  // namespace resizemix_cli
