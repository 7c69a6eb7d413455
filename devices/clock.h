// Virtual clock and timers. Every device timer runs on this clock, never on the
// host's, so that deterministic mode (time advances with instructions executed)
// and tests (time stepped by hand) see exactly the same device behaviour.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace petrel {

enum class ClockMode {
    Realtime,       // host monotonic time since start (default, interactive)
    Deterministic,  // time follows the instruction count (use_instruction_counter)
    Manual,         // tests advance time explicitly
};

class Clock;

class Timer {
public:
    using Callback = std::function<void()>;
    // Arms the timer at an absolute virtual time; re-arming replaces the deadline.
    void arm(uint64_t deadline_ns);
    void arm_in(uint64_t delay_ns);
    void cancel();
    bool armed() const { return armed_; }
    uint64_t deadline() const { return deadline_; }

private:
    friend class Clock;
    Timer(Clock* clock, Callback cb) : clock_(clock), cb_(std::move(cb)) {}
    Clock* clock_;
    Callback cb_;
    uint64_t deadline_ = 0;
    bool armed_ = false;
};

class Clock {
public:
    explicit Clock(ClockMode mode = ClockMode::Manual);
    ClockMode mode() const { return mode_; }

    // Current virtual time in nanoseconds since machine start.
    uint64_t now_ns() const;
    // Deterministic/Manual modes: move time forward (never backward). With an
    // instruction counter this skips time (a halted CPU jumping to the next
    // deadline): the skipped span is added to all later readings.
    void set_now(uint64_t ns);
    void advance(uint64_t ns) { set_now(now_ns() + ns); }

    // Deterministic mode: time is read live from an instruction counter, as
    // (instructions retired since this call << shift) ns plus the time
    // skipped by set_now(), so every read — between slices or in the middle
    // of one (RDTSC, a PIT latch) — is a function of the instruction stream
    // only (QEMU's -icount shift=N). The counter must outlive the clock's use.
    void use_instruction_counter(const uint64_t* counter, unsigned shift);
    unsigned instruction_shift() const { return shift_; }

    // The clock owns its timers; the pointer stays valid for the clock's life.
    Timer* new_timer(Timer::Callback cb);

    // Earliest armed deadline, or UINT64_MAX.
    uint64_t next_deadline() const;
    // Fires every timer whose deadline <= now (callbacks may re-arm).
    void run_expired();

private:
    ClockMode mode_;
    uint64_t manual_now_ = 0;
    uint64_t host_start_ns_ = 0;
    const uint64_t* counter_ = nullptr;  // Deterministic: instructions retired
    uint64_t counter_base_ = 0;
    unsigned shift_ = 0;
    uint64_t skipped_ns_ = 0;            // idle time jumped over by set_now()
    std::vector<std::unique_ptr<Timer>> timers_;
};

}  // namespace petrel
