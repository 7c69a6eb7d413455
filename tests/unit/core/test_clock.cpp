#include <doctest/doctest.h>

#include "devices/clock.h"

using namespace petrel;

TEST_CASE("clock: timers fire in manual mode exactly when time reaches them") {
    Clock clock(ClockMode::Manual);
    int fired = 0;
    Timer* t = clock.new_timer([&] { ++fired; });
    t->arm(1000);
    CHECK(clock.next_deadline() == 1000);
    clock.set_now(999);
    clock.run_expired();
    CHECK(fired == 0);
    clock.advance(1);
    clock.run_expired();
    CHECK(fired == 1);
    CHECK_FALSE(t->armed());
    CHECK(clock.next_deadline() == UINT64_MAX);
}

TEST_CASE("clock: a periodic timer re-arms itself from its callback") {
    Clock clock(ClockMode::Manual);
    int fired = 0;
    Timer* t = nullptr;
    t = clock.new_timer([&] { ++fired; t->arm(t->deadline() + 100); });
    t->arm(100);
    clock.set_now(1000);
    clock.run_expired();
    CHECK(fired == 10);
    CHECK(t->deadline() == 1100);
}

TEST_CASE("clock: time never runs backwards") {
    Clock clock(ClockMode::Manual);
    clock.set_now(500);
    clock.set_now(100);
    CHECK(clock.now_ns() == 500);
}

TEST_CASE("clock: deterministic time is the instruction count << shift, read live") {
    Clock clock(ClockMode::Deterministic);
    uint64_t icount = 1000;  // instructions retired before the counter is attached
    clock.use_instruction_counter(&icount, 0);
    CHECK(clock.now_ns() == 0);
    icount += 250;  // mid-slice reads see every instruction
    CHECK(clock.now_ns() == 250);
    CHECK(clock.instruction_shift() == 0);

    Clock shifted(ClockMode::Deterministic);
    uint64_t n = 0;
    shifted.use_instruction_counter(&n, 3);
    n = 10;
    CHECK(shifted.now_ns() == 80);
}

TEST_CASE("clock: deterministic set_now skips idle time, never goes back") {
    Clock clock(ClockMode::Deterministic);
    uint64_t icount = 0;
    clock.use_instruction_counter(&icount, 1);
    int fired = 0;
    Timer* t = clock.new_timer([&] { ++fired; });
    icount = 100;                      // 200 ns
    t->arm(5000);
    clock.set_now(clock.next_deadline());  // a halted CPU jumps to the deadline
    CHECK(clock.now_ns() == 5000);
    clock.run_expired();
    CHECK(fired == 1);
    icount += 10;                      // instructions count on from there
    CHECK(clock.now_ns() == 5020);
    clock.set_now(10);                 // backwards: ignored
    CHECK(clock.now_ns() == 5020);
}
