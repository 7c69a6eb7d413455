// The run loop of PcMachine: the CPU runs in short slices; between slices
// the expired device timers fire, serial input moves from the host to the
// UART, and machine-level requests (reset, exit) are acted on. A halted CPU
// sleeps until the next timer deadline or host input, so an idle guest costs
// no host CPU.
#include <poll.h>
#include <time.h>

#include <algorithm>

#include <fmt/format.h>

#include "machine/pc.h"

namespace petrel {

namespace {
// Instructions per slice: short enough that timers and input are serviced
// within ~0.1 ms of guest time, long enough that the loop's own cost is small.
constexpr uint64_t kSliceInsns = 8192;
// Longest sleep of a halted CPU before the loop looks around again.
constexpr uint64_t kMaxIdleNs = 10'000'000;
}  // namespace

int PcMachine::run() {
    while (!exit_status_) {
        clock_.run_expired();
        pump_serial_input();
        if (reset_reason_) {
            const char* why = reset_reason_;
            reset_reason_ = nullptr;
            cpu_.stop_requested.store(false, std::memory_order_relaxed);
            if (reset_is_triple_fault_)
                fmt::print(stderr, "petrel: {} ({})\n", why, describe_cpu());
            if (opts_.no_reboot) {
                flush_output();
                fmt::print(stderr, "petrel: guest reset ({}); exiting (-no-reboot)\n", why);
                return 0;
            }
            reset_machine();
            continue;
        }
        if (exit_status_) break;
        StopReason r = cpu_.run(kSliceInsns);
        if (r == StopReason::StopRequested && !exit_status_ && !reset_reason_)
            cpu_.stop_requested.store(false, std::memory_order_relaxed);
        // Halted: the CPU found nothing to deliver, and nothing changes
        // until a timer fires or input arrives.
        if (r == StopReason::Halted) wait_for_event();
        flush_output();
    }
    flush_output();
    return *exit_status_;
}

void PcMachine::pump_serial_input() {
    if (!stdio_) return;
    if (stdio_->quit_requested()) {
        request_exit(0);
        return;
    }
    Uart* uart = stdio_uart();
    if (!uart || !uart->can_receive()) return;
    stdio_->poll_input();
    while (stdio_->has_input() && uart->can_receive()) uart->receive(stdio_->take_input());
    if (stdio_->quit_requested()) request_exit(0);
}

// The CPU is halted with nothing to deliver: sleep until the next timer is
// due or the terminal has input for the guest.
void PcMachine::wait_for_event() {
    uint64_t now = clock_.now_ns();
    uint64_t deadline = clock_.next_deadline();
    if (deadline <= now) return;
    uint64_t wait = std::min(deadline - now, kMaxIdleNs);
    flush_output();
    Uart* uart = stdio_uart();
    int fd = stdio_ && uart && uart->can_receive() ? stdio_->input_fd() : -1;
    if (fd >= 0) {
        pollfd p{fd, POLLIN, 0};
        timespec ts{static_cast<time_t>(wait / 1'000'000'000), static_cast<long>(wait % 1'000'000'000)};
        ppoll(&p, 1, &ts, nullptr);
    } else {
        timespec ts{static_cast<time_t>(wait / 1'000'000'000), static_cast<long>(wait % 1'000'000'000)};
        nanosleep(&ts, nullptr);
    }
}

void PcMachine::flush_output() {
    if (stdio_) stdio_->flush();
}

}  // namespace petrel
