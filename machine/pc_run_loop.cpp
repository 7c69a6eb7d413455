// The run loop of PcMachine: the CPU runs in short slices; between slices
// the expired device timers fire, serial input moves from the host to the
// UART, and machine-level requests (reset, exit) are acted on. A halted CPU
// sleeps until the next timer deadline or host input, so an idle guest costs
// no host CPU.
//
// Deterministic mode (-icount): time is the instruction count, so nothing
// here may depend on the host's timing. Slices end at the next timer
// deadline (in instructions), so timers fire on time; a halted CPU skips
// virtual time to the next deadline (sleep=on also waits that long on the
// host, which the guest cannot see). Terminal input is the exception: it is
// delivered between slices when it arrives, so a run that gets input is
// not repeatable.
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
        StopReason r = cpu_.run(slice_budget());
        if (r == StopReason::StopRequested && !exit_status_ && !reset_reason_)
            cpu_.stop_requested.store(false, std::memory_order_relaxed);
        // Halted: the CPU found nothing to deliver, and nothing changes
        // until a timer fires or input arrives.
        if (r == StopReason::Halted) {
            if (deterministic()) skip_idle_time();
            else wait_for_event();
        }
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

// Instructions for the next slice. Deterministic mode ends the slice where
// the next timer is due, so a timer interrupt lands at the same instruction
// as far as the CPU allows (run() may finish the block it is in).
uint64_t PcMachine::slice_budget() {
    if (!deterministic()) return kSliceInsns;
    uint64_t now = clock_.now_ns();
    uint64_t deadline = clock_.next_deadline();
    if (deadline == UINT64_MAX || deadline <= now) return kSliceInsns;
    const unsigned shift = clock_.instruction_shift();
    uint64_t insns = ((deadline - now) + (uint64_t(1) << shift) - 1) >> shift;
    return std::clamp<uint64_t>(insns, 1, kSliceInsns);
}

// Deterministic mode, the CPU is halted with nothing to deliver: jump the
// virtual clock to the next timer deadline. With sleep=on (QEMU's default)
// the host also waits that long, in pieces of at most kMaxIdleNs, each
// followed by a jump of exactly that piece, so the guest sees the same
// times either way. With no timer armed only input can wake the guest:
// wait for it on the host without moving virtual time.
void PcMachine::skip_idle_time() {
    uint64_t now = clock_.now_ns();
    uint64_t deadline = clock_.next_deadline();
    if (deadline <= now) return;
    uint64_t target = deadline;
    if (deadline == UINT64_MAX || opts_.icount->sleep) {
        uint64_t wait = deadline == UINT64_MAX ? kMaxIdleNs : std::min(deadline - now, kMaxIdleNs);
        flush_output();
        Uart* uart = stdio_uart();
        int fd = stdio_ && uart && uart->can_receive() ? stdio_->input_fd() : -1;
        timespec ts{static_cast<time_t>(wait / 1'000'000'000), static_cast<long>(wait % 1'000'000'000)};
        if (fd >= 0) {
            pollfd p{fd, POLLIN, 0};
            ppoll(&p, 1, &ts, nullptr);
        } else {
            nanosleep(&ts, nullptr);
        }
        if (deadline == UINT64_MAX) return;
        target = now + wait;
    }
    clock_.set_now(target);
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
