#include "devices/clock.h"

#include <algorithm>
#include <chrono>

namespace petrel {

static uint64_t host_monotonic_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch()).count();
}

void Timer::arm(uint64_t deadline_ns) {
    deadline_ = deadline_ns;
    armed_ = true;
}

void Timer::arm_in(uint64_t delay_ns) { arm(clock_->now_ns() + delay_ns); }

void Timer::cancel() { armed_ = false; }

Clock::Clock(ClockMode mode) : mode_(mode), host_start_ns_(host_monotonic_ns()) {}

uint64_t Clock::now_ns() const {
    if (mode_ == ClockMode::Realtime) return host_monotonic_ns() - host_start_ns_;
    if (counter_) return ((*counter_ - counter_base_) << shift_) + skipped_ns_;
    return manual_now_;
}

void Clock::set_now(uint64_t ns) {
    if (counter_) {
        uint64_t now = now_ns();
        if (ns > now) skipped_ns_ += ns - now;
        return;
    }
    manual_now_ = std::max(manual_now_, ns);
}

void Clock::use_instruction_counter(const uint64_t* counter, unsigned shift) {
    uint64_t now = now_ns();
    counter_ = counter;
    counter_base_ = *counter;
    shift_ = shift;
    skipped_ns_ = now;  // time continues from where it was
}

Timer* Clock::new_timer(Timer::Callback cb) {
    timers_.push_back(std::unique_ptr<Timer>(new Timer(this, std::move(cb))));
    return timers_.back().get();
}

uint64_t Clock::next_deadline() const {
    uint64_t next = UINT64_MAX;
    for (const auto& t : timers_)
        if (t->armed_) next = std::min(next, t->deadline_);
    return next;
}

void Clock::run_expired() {
    // A callback may arm other timers for "now"; loop until nothing is due.
    for (int guard = 0; guard < 64; ++guard) {
        uint64_t now = now_ns();
        bool fired = false;
        for (const auto& t : timers_) {
            if (t->armed_ && t->deadline_ <= now) {
                t->armed_ = false;
                fired = true;
                t->cb_();
            }
        }
        if (!fired) return;
    }
}

}  // namespace petrel
