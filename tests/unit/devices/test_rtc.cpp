// MC146818 at the port level on a manual clock: time and date in BCD and
// binary, 12/24 hour, UIP window, SET halting, kept writes, update/alarm/
// periodic interrupts with register C read-to-clear, CMOS layout defaults.
#include <doctest/doctest.h>

#include "devices/rtc.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

constexpr int64_t kStart = 1700000000;  // Tue 2023-11-14 22:13:20 UTC
constexpr uint64_t kSec = 1'000'000'000;

struct RtcFixture {
    Clock clock{ClockMode::Manual};
    Rtc rtc{clock, kStart};
    test::RecordingSink pic;
    RtcFixture() { rtc.irq().connect(&pic, 8); }
    uint8_t rd(uint8_t idx) {
        rtc.io_write(0, idx, 1);
        return uint8_t(rtc.io_read(1, 1));
    }
    void wr(uint8_t idx, uint8_t v) {
        rtc.io_write(0, idx, 1);
        rtc.io_write(1, v, 1);
    }
    void step(uint64_t ns) { clock.advance(ns); clock.run_expired(); }
};

}  // namespace

TEST_CASE_FIXTURE(RtcFixture, "rtc: power-on time in BCD 24-hour format") {
    CHECK(rd(0x00) == 0x20);
    CHECK(rd(0x02) == 0x13);
    CHECK(rd(0x04) == 0x22);
    CHECK(rd(0x06) == 3);  // Tuesday, Sunday = 1
    CHECK(rd(0x07) == 0x14);
    CHECK(rd(0x08) == 0x11);
    CHECK(rd(0x09) == 0x23);
    CHECK(rd(0x32) == 0x20);
    CHECK(rd(0x0a) == 0x26);
    CHECK(rd(0x0b) == 0x02);
    CHECK(rd(0x0d) == 0x80);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: time advances with the virtual clock, across midnight") {
    step(kSec + kSec / 2);
    CHECK(rd(0x00) == 0x21);
    step(uint64_t(86400 - 22 * 3600 - 13 * 60 - 21) * kSec);  // to 00:00:00 next day
    CHECK(rd(0x04) == 0x00);
    CHECK(rd(0x02) == 0x00);
    CHECK(rd(0x07) == 0x15);
    CHECK(rd(0x06) == 4);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: binary and 12-hour formats") {
    wr(0x0b, 0x06);  // binary, 24h
    CHECK(rd(0x00) == 20);
    CHECK(rd(0x04) == 22);
    CHECK(rd(0x09) == 23);
    wr(0x0b, 0x00);  // BCD, 12h: 22h is 10 PM
    CHECK(rd(0x04) == (0x80 | 0x10));
    wr(0x0b, 0x04);  // binary, 12h
    CHECK(rd(0x04) == (0x80 | 10));
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: UIP is set for the 244 us before each update") {
    CHECK((rd(0x0a) & 0x80) == 0);
    clock.advance(kSec - 244'000 - 1);
    CHECK((rd(0x0a) & 0x80) == 0);
    CHECK(rd(0x00) == 0x20);
    clock.advance(1);
    CHECK((rd(0x0a) & 0x80) == 0x80);
    CHECK(rd(0x00) == 0x20);  // old second while the update is pending
    clock.advance(244'000);
    CHECK((rd(0x0a) & 0x80) == 0);
    CHECK(rd(0x00) == 0x21);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: SET halts updates; new time starts when SET clears") {
    wr(0x0b, 0x82);
    step(5 * kSec);
    CHECK(rd(0x00) == 0x20);
    CHECK((rd(0x0a) & 0x80) == 0);  // no update cycles while SET
    wr(0x00, 0x58); wr(0x02, 0x59); wr(0x04, 0x23);
    wr(0x07, 0x31); wr(0x08, 0x12); wr(0x09, 0x99); wr(0x32, 0x19);
    step(3 * kSec);
    CHECK(rd(0x00) == 0x58);
    wr(0x0b, 0x02);
    CHECK(rd(0x00) == 0x58);
    step(kSec / 2);
    CHECK(rd(0x00) == 0x58);
    step(kSec / 2);
    CHECK(rd(0x00) == 0x59);
    step(kSec);
    CHECK(rd(0x00) == 0x00);  // 2000-01-01 00:00:00
    CHECK(rd(0x09) == 0x00);
    CHECK(rd(0x32) == 0x20);
    CHECK(rd(0x08) == 0x01);
    CHECK(rtc.guest_time() == 946684800);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: a time register written while running is kept") {
    step(kSec / 4);
    wr(0x02, 0x30);
    CHECK(rd(0x02) == 0x30);
    CHECK(rd(0x04) == 0x22);
    step(kSec * 3 / 4);  // the phase within the second is unchanged
    CHECK(rd(0x00) == 0x21);
    CHECK(rd(0x02) == 0x30);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: update-ended interrupt, register C clears on read") {
    wr(0x0a, 0x20);  // periodic rate 0: PF stays clear
    wr(0x0b, 0x12);  // UIE
    step(kSec / 2);
    CHECK_FALSE(pic.level[8]);
    step(kSec / 2);
    CHECK(pic.level[8]);
    CHECK(rd(0x0c) == 0x90);
    CHECK_FALSE(pic.level[8]);
    CHECK(rd(0x0c) == 0x00);
    // Without UIE the flag is still set, but no interrupt.
    wr(0x0b, 0x02);
    step(kSec);
    CHECK_FALSE(pic.level[8]);
    CHECK(rd(0x0c) == 0x10);
    // Enabling UIE with UF pending raises IRQ8 at once.
    step(kSec);
    wr(0x0b, 0x12);
    CHECK(pic.level[8]);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: SET clears UIE") {
    wr(0x0b, 0x92);
    CHECK(rd(0x0b) == 0x82);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: alarm with don't-care hours and minutes") {
    wr(0x01, 0x23);  // second 23
    wr(0x03, 0xc0);
    wr(0x05, 0xff);
    wr(0x0b, 0x22);  // AIE
    step(2 * kSec);
    CHECK_FALSE(pic.level[8]);
    rd(0x0c);
    step(kSec);
    CHECK(pic.level[8]);
    CHECK((rd(0x0c) & 0xa0) == 0xa0);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: periodic interrupt at 1024 Hz") {
    wr(0x0b, 0x42);  // PIE, rate 6 from register A = 1024 Hz
    int irqs = 0;
    for (int i = 0; i < 10000; ++i) {
        step(100'000);
        if (pic.level[8]) {
            CHECK((rd(0x0c) & 0xc0) == 0xc0);
            ++irqs;
        }
    }
    CHECK(irqs == 1024);
    wr(0x0a, 0x2f);  // 2 Hz
    irqs = 0;
    for (int i = 0; i < 100; ++i) {
        step(10'000'000);
        if (pic.level[8]) { rd(0x0c); ++irqs; }
    }
    CHECK(irqs == 2);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: PF is set without PIE, and no IRQ") {
    rd(0x0c);
    step(2'000'000);
    CHECK_FALSE(pic.level[8]);
    CHECK(rd(0x0c) == 0x40);
    CHECK(rd(0x0c) == 0x00);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: divider reset stops time; release updates 500 ms later") {
    wr(0x0a, 0x66);
    step(10 * kSec);
    CHECK(rd(0x00) == 0x20);
    wr(0x0a, 0x26);
    step(kSec / 2 - 1);
    CHECK(rd(0x00) == 0x20);
    step(1);
    CHECK(rd(0x00) == 0x21);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: NMI mask bit, read-only registers and CMOS bytes") {
    rtc.io_write(0, 0x80 | 0x40, 1);
    CHECK(rtc.nmi_masked());
    rtc.io_write(1, 0x5a, 1);
    rtc.io_write(0, 0x40, 1);
    CHECK_FALSE(rtc.nmi_masked());
    CHECK(rtc.io_read(1, 1) == 0x5a);
    CHECK(rtc.io_read(0, 1) == 0xff);
    wr(0x0d, 0x00);
    CHECK(rd(0x0d) == 0x80);
    rtc.set_byte(0x7f, 0x11);
    CHECK(rd(0x7f) == 0x11);
    rtc.io_write(0, 0xff, 1);  // index 0x7f, never out of range
    CHECK(rtc.io_read(1, 1) == 0x11);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: PC memory layout in CMOS") {
    constexpr uint64_t MiB = 1 << 20;
    rtc.fill_pc_defaults(512 * MiB, 2048 * MiB, 4);
    CHECK(rtc.byte(0x15) == 0x80);  // 640 KiB
    CHECK(rtc.byte(0x16) == 0x02);
    CHECK(rtc.byte(0x17) == 0xff);  // capped at 65535 KiB
    CHECK(rtc.byte(0x18) == 0xff);
    CHECK(rtc.byte(0x30) == 0xff);
    CHECK(rtc.byte(0x31) == 0xff);
    CHECK(rtc.byte(0x34) == 0x00);  // (512 - 16) MiB / 64 KiB = 0x1f00
    CHECK(rtc.byte(0x35) == 0x1f);
    CHECK(rtc.byte(0x5b) == 0x00);  // 2 GiB / 64 KiB = 0x8000
    CHECK(rtc.byte(0x5c) == 0x80);
    CHECK(rtc.byte(0x5d) == 0x00);
    CHECK(rtc.byte(0x5f) == 3);
    CHECK(rtc.byte(0x14) == 0x06);
    rtc.fill_pc_defaults(8 * MiB, 0);
    CHECK(rtc.byte(0x17) == 0x00);  // 7 MiB = 7168 KiB = 0x1c00
    CHECK(rtc.byte(0x18) == 0x1c);
    CHECK(rtc.byte(0x34) == 0);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: a 12-hour time written under SET is read back in 24-hour form") {
    wr(0x0b, 0x80);          // SET, BCD, 12-hour
    wr(0x04, 0x80 | 0x01);   // 1 PM
    wr(0x02, 0x05);
    wr(0x0b, 0x00);          // run in 12-hour mode
    CHECK(rd(0x04) == 0x81);
    wr(0x0b, 0x02);          // switch to 24-hour while running: the registers follow
    CHECK(rd(0x04) == 0x13);
    CHECK(rd(0x02) == 0x05);
    wr(0x0b, 0x80);          // 12 AM is hour 0 in 12-hour form
    wr(0x04, 0x12);
    wr(0x0b, 0x00);
    wr(0x0b, 0x02);
    CHECK(rd(0x04) == 0x00);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: garbage in the time registers cannot break the clock") {
    wr(0x0b, 0x82);
    for (uint8_t r : {0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32}) wr(r, 0xff);
    wr(0x0b, 0x02);
    step(3 * kSec);
    for (uint8_t r : {0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09}) rd(r);
    CHECK((rd(0x0a) & 0x7f) == 0x26);
}

TEST_CASE_FIXTURE(RtcFixture, "rtc: reset clears interrupt enables and flags, keeps time") {
    wr(0x0b, 0x72);
    step(kSec);
    CHECK(pic.level[8]);
    rtc.reset();
    CHECK_FALSE(pic.level[8]);
    CHECK(rd(0x0b) == 0x02);
    CHECK(rd(0x0c) == 0x00);
    CHECK(rd(0x00) == 0x21);
}
