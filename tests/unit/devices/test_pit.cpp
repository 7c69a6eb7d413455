// 8254 at the port level on a manual clock: counter values after N ns in
// each mode, OUT levels, latch/read-back, BCD, lobyte/hibyte access, IRQ0
// edges from Clock timers, and channel 2 through port 0x61.
#include <doctest/doctest.h>

#include "devices/pit.h"
#include "devices/port61.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

// Time at which `ticks` input clocks have elapsed (rounded up to whole ns).
uint64_t ns_for(uint64_t ticks) { return (ticks * 1'000'000'000ull + kPitHz - 1) / kPitHz; }

struct PitFixture {
    Clock clock{ClockMode::Manual};
    Pit pit{clock};
    Port61 p61{pit, clock};
    test::RecordingSink pic;
    PitFixture() { pit.irq0().connect(&pic, 0); }
    void out(unsigned port, uint8_t v) { pit.io_write(port, v, 1); }
    uint8_t in(unsigned port) { return uint8_t(pit.io_read(port, 1)); }
    void program(unsigned ch, unsigned mode, uint16_t count, bool bcd = false) {
        out(3, uint8_t((ch << 6) | 0x30 | (mode << 1) | (bcd ? 1 : 0)));
        out(ch, uint8_t(count));
        out(ch, uint8_t(count >> 8));
    }
    uint16_t latch_read(unsigned ch) {
        out(3, uint8_t(ch << 6));  // counter latch
        uint16_t lo = in(ch);
        return uint16_t(lo | (in(ch) << 8));
    }
    void step_to(uint64_t ns) { clock.set_now(ns); clock.run_expired(); }
};

}  // namespace

TEST_CASE_FIXTURE(PitFixture, "pit: mode 2 counts down and reloads; IRQ0 rises once per period") {
    program(0, 2, 1000);
    uint64_t t0 = clock.now_ns();
    CHECK(latch_read(0) == 1000);
    clock.set_now(t0 + ns_for(250));
    CHECK(latch_read(0) == 750);
    clock.set_now(t0 + ns_for(999));
    CHECK(latch_read(0) == 1);
    CHECK_FALSE(pit.out(0));  // OUT low while the count is 1
    clock.set_now(t0 + ns_for(1000));
    CHECK(latch_read(0) == 1000);
    CHECK(pit.out(0));
    // Timers turn each reload into a rising edge on IRQ0.
    int before = pic.rises[0];
    for (int i = 1; i <= 10; ++i) step_to(t0 + ns_for(1000 * uint64_t(i) + 500));
    CHECK(pic.rises[0] - before == 10);  // edges at 1000..10000
}

TEST_CASE_FIXTURE(PitFixture, "pit: 18.2 Hz BIOS tick rate") {
    program(0, 3, 0);  // count 0 = 65536
    int before = pic.rises[0];  // OUT went high with the control word
    for (uint64_t ms = 1; ms <= 1000; ++ms) step_to(ms * 1'000'000);
    CHECK(pic.rises[0] - before == 18);  // 1193182 / 65536 = 18.2
}

TEST_CASE_FIXTURE(PitFixture, "pit: mode 0 interrupt on terminal count, then wraps") {
    program(0, 0, 100);
    CHECK_FALSE(pit.out(0));
    CHECK_FALSE(pic.level[0]);
    step_to(ns_for(99));
    CHECK_FALSE(pic.level[0]);
    CHECK(latch_read(0) == 1);
    step_to(ns_for(100));
    CHECK(pic.level[0]);
    CHECK(latch_read(0) == 0);
    clock.set_now(ns_for(101));
    CHECK(latch_read(0) == 0xffff);
    CHECK(pit.out(0));
    // Writing the first byte of a new count drops OUT and stops the counter.
    out(0, 50);
    CHECK_FALSE(pit.out(0));
    CHECK_FALSE(pic.level[0]);
    out(0, 0);
    step_to(ns_for(101) + ns_for(50) + 1);
    CHECK(pic.level[0]);
}

TEST_CASE_FIXTURE(PitFixture, "pit: mode 3 square wave halves") {
    program(0, 3, 100);
    uint64_t t0 = clock.now_ns();
    CHECK(pit.out(0));
    clock.set_now(t0 + ns_for(10));
    CHECK(latch_read(0) == 80);  // counts down by two
    clock.set_now(t0 + ns_for(49));
    CHECK(pit.out(0));
    clock.set_now(t0 + ns_for(50));
    CHECK_FALSE(pit.out(0));
    clock.set_now(t0 + ns_for(100));
    CHECK(pit.out(0));
}

TEST_CASE_FIXTURE(PitFixture, "pit: mode 4 software strobe is one clock low") {
    program(0, 4, 10);
    CHECK(pit.out(0));
    clock.set_now(ns_for(10));
    CHECK_FALSE(pit.out(0));
    clock.set_now(ns_for(11));
    CHECK(pit.out(0));
}

TEST_CASE_FIXTURE(PitFixture, "pit: lobyte-only and hibyte-only access") {
    out(3, 0x14);  // ch0, lsb only, mode 2
    out(0, 200);
    CHECK(in(0) == 200);
    CHECK(in(0) == 200);
    out(3, 0x24);  // msb only
    out(0, 0x02);
    CHECK(in(0) == 0x02);
    clock.set_now(ns_for(1));
    CHECK(pit.counter(0) == 0x1ff);
}

TEST_CASE_FIXTURE(PitFixture, "pit: latched value holds until both bytes are read") {
    program(0, 2, 5000);
    out(3, 0x00);
    clock.set_now(ns_for(1000));
    out(3, 0x00);  // second latch ignored while the first is unread
    CHECK(in(0) == uint8_t(5000));
    CHECK(in(0) == (5000 >> 8));
    CHECK(latch_read(0) == 4000);
}

TEST_CASE_FIXTURE(PitFixture, "pit: read-back status and count") {
    program(2, 3, 0x1234);
    out(3, 0xc0 | 0x08);  // read-back status+count of channel 2
    uint8_t status = in(2);
    CHECK((status & 0x3f) == 0x36);  // access 3, mode 3, binary
    CHECK((status & 0x40) == 0);     // count loaded
    CHECK(in(2) == 0x34);
    CHECK(in(2) == 0x12);
    out(3, 0xe0 | 0x08);  // status only
    CHECK((in(2) & 0x3f) == 0x36);
    out(3, 0xb6);         // new control word: null count until the count is written
    out(3, 0xe8);
    CHECK((in(2) & 0x40) == 0x40);
}

TEST_CASE_FIXTURE(PitFixture, "pit: BCD counting") {
    program(0, 2, 0x1000, true);  // 1000 decimal
    clock.set_now(ns_for(1));
    CHECK(latch_read(0) == 0x0999);
    clock.set_now(ns_for(990));
    CHECK(latch_read(0) == 0x0010);
}

TEST_CASE_FIXTURE(PitFixture, "pit: channel 2 gate and OUT through port 0x61") {
    p61.io_write(0, 0x00, 1);
    program(2, 0, 100);
    CHECK((p61.io_read(0, 1) & 0x20) == 0);
    clock.set_now(ns_for(500));
    CHECK(pit.counter(2) == 100);  // gate low: not counting
    p61.io_write(0, 0x01, 1);
    uint64_t t = clock.now_ns();
    clock.set_now(t + ns_for(100));
    CHECK((p61.io_read(0, 1) & 0x21) == 0x21);
    // Mode 1 one-shot: the gate's rising edge triggers.
    program(2, 1, 40);
    CHECK(pit.out(2));
    p61.io_write(0, 0x00, 1);
    p61.io_write(0, 0x01, 1);
    CHECK_FALSE(pit.out(2));
    clock.advance(ns_for(40) + 1);
    CHECK(pit.out(2));
}

TEST_CASE_FIXTURE(PitFixture, "pit: port 0x61 refresh bit toggles every 15 us") {
    uint8_t a = uint8_t(p61.io_read(0, 1) & 0x10);
    clock.advance(15085);
    uint8_t b = uint8_t(p61.io_read(0, 1) & 0x10);
    CHECK(a != b);
}

TEST_CASE_FIXTURE(PitFixture, "pit: gate low pauses mode 0 and restarts mode 2") {
    p61.io_write(0, 0x01, 1);
    program(2, 0, 1000);
    clock.set_now(ns_for(300));
    p61.io_write(0, 0x00, 1);
    clock.advance(ns_for(5000));
    CHECK(pit.counter(2) == 700);  // paused
    p61.io_write(0, 0x01, 1);
    clock.advance(ns_for(100));
    CHECK(pit.counter(2) == 600);  // resumed where it stopped
    program(2, 2, 500);
    clock.advance(ns_for(200));
    CHECK(pit.counter(2) == 300);
    p61.io_write(0, 0x00, 1);
    CHECK(pit.out(2));             // gate low forces OUT high
    clock.advance(ns_for(1000));
    p61.io_write(0, 0x01, 1);      // rising gate reloads the count
    CHECK(pit.counter(2) == 500);
}

TEST_CASE_FIXTURE(PitFixture, "pit: reprogramming channel 0 retimes IRQ0") {
    program(0, 2, 0x4000);
    step_to(ns_for(0x4000) + 10);
    int rises = pic.rises[0];
    program(0, 2, 100);
    uint64_t t = clock.now_ns();
    step_to(t + ns_for(1000) + 10);
    CHECK(pic.rises[0] - rises == 10);
    out(3, 0x30);  // channel 0 to mode 0 with no count: OUT low, no timer
    CHECK_FALSE(pic.level[0]);
    rises = pic.rises[0];
    step_to(clock.now_ns() + 1'000'000'000);
    CHECK(pic.rises[0] == rises);
}

TEST_CASE_FIXTURE(PitFixture, "pit: a new mode 2 count waits for the end of the period") {
    program(0, 2, 1000);
    uint64_t t0 = clock.now_ns();
    step_to(t0 + ns_for(300));
    out(0, uint8_t(200));  // new count 200, no control word
    out(0, 0);
    CHECK(latch_read(0) == 700);  // still the old period
    out(3, 0xe2);                 // read-back status of channel 0
    CHECK((in(0) & 0x40) == 0x40);  // null count until the reload
    int rises = pic.rises[0];
    step_to(t0 + ns_for(1000));
    CHECK(pic.rises[0] == rises + 1);  // the old period ended on time
    CHECK(latch_read(0) == 200);
    step_to(t0 + ns_for(1100));
    CHECK(latch_read(0) == 100);
    step_to(t0 + ns_for(1200));
    CHECK(pic.rises[0] == rises + 2);  // then 200-clock periods
    step_to(t0 + ns_for(2200));
    CHECK(pic.rises[0] == rises + 7);
    out(3, 0xe2);
    CHECK((in(0) & 0x40) == 0);
}
