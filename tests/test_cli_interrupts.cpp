// The CLI's signal handling (examples/cli/io/interrupts.hpp), in this process:
// a signal is noted and thrown at the next check, the same signal delivered
// twice at once is one event, one a second later ends the process at once
// (in a forked child), an ignored signal stays ignored, and a blocked read
// returns EINTR instead of waiting for a second signal. The CLI's end-to-end
// behaviour (all or nothing, exit by the signal) is in test_cli_batch.cpp.
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "io/interrupts.hpp"

namespace {

using resizemix_cli::check_interrupt;
using resizemix_cli::interrupt_scope;
using resizemix_cli::interrupted;
using resizemix_cli::noted_interrupt;

/// The handler installed for `signal_number` now.
void (*current_handler(int signal_number))(int) {
    struct sigaction now {};
    ::sigaction(signal_number, nullptr, &now);
    return now.sa_handler;
}

}  // namespace

TEST_CASE("interrupts: a signal is noted, thrown at the next check, and the handler restored after", "[cli][interrupts]") {
    const auto before = current_handler(SIGTERM);
    {
        const interrupt_scope scope;
        CHECK(current_handler(SIGTERM) != before);
        CHECK_NOTHROW(check_interrupt());
        REQUIRE(::raise(SIGTERM) == 0);
        CHECK(noted_interrupt() == SIGTERM);
        try {
            check_interrupt();
            FAIL("check_interrupt() did not throw");
        } catch (const interrupted& signal) {
            CHECK(signal.signal_number == SIGTERM);
        }
    }
    CHECK(current_handler(SIGTERM) == before);
    CHECK(noted_interrupt() == SIGTERM);  // main() still sees it after the scope
    const interrupt_scope next;             // a new scope starts clean
    CHECK(noted_interrupt() == 0);
}

TEST_CASE("interrupts: the same signal twice at once is one event; the first one noted wins", "[cli][interrupts]") {
    const interrupt_scope scope;
    REQUIRE(::raise(SIGINT) == 0);
    REQUIRE(::raise(SIGINT) == 0);  // as from timeout(1): the child, then its process group
    REQUIRE(::raise(SIGHUP) == 0);
    CHECK(noted_interrupt() == SIGINT);  // still alive, the first signal kept
    CHECK_THROWS_AS(check_interrupt(), interrupted);
}

TEST_CASE("interrupts: a second signal a second after the first ends the process by it", "[cli][interrupts]") {
    const pid_t child = ::fork();
    REQUIRE(child != -1);
    if (child == 0) {
        const interrupt_scope scope;
        ::raise(SIGINT);
        const timespec pause{1, 200'000'000};
        ::nanosleep(&pause, nullptr);
        ::raise(SIGINT);
        ::_exit(0);  // reached only if the second signal was swallowed
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGINT));
}

TEST_CASE("interrupts: a signal ignored before the scope stays ignored (nohup)", "[cli][interrupts]") {
    struct sigaction ignore {}, previous {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    REQUIRE(::sigaction(SIGHUP, &ignore, &previous) == 0);
    {
        const interrupt_scope scope;
        CHECK(current_handler(SIGHUP) == SIG_IGN);
        REQUIRE(::raise(SIGHUP) == 0);
        CHECK(noted_interrupt() == 0);
        CHECK_NOTHROW(check_interrupt());
    }
    CHECK(current_handler(SIGHUP) == SIG_IGN);
    ::sigaction(SIGHUP, &previous, nullptr);
}

TEST_CASE("interrupts: a read blocked on a pipe returns EINTR at the first signal", "[cli][interrupts]") {
    int ends[2] = {-1, -1};
    REQUIRE(::pipe(ends) == 0);  // nothing is ever written: read() blocks until a signal
    const interrupt_scope scope;
    const pthread_t reader = ::pthread_self();
    std::thread signaller([reader] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ::pthread_kill(reader, SIGINT);
    });
    char byte = 0;
    const ssize_t got = ::read(ends[0], &byte, 1);
    const int error = errno;
    signaller.join();
    CHECK(got == -1);
    CHECK(error == EINTR);
    CHECK(noted_interrupt() == SIGINT);
    ::close(ends[0]);
    ::close(ends[1]);
}
