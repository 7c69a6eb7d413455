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
