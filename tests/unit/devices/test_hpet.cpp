// HPET at the register level on a Manual clock: capabilities, counter rate,
// one-shot and periodic comparators, 32-bit mode, legacy replacement and
// I/O APIC routing, level status write-1-to-clear.
#include <doctest/doctest.h>

#include <vector>

#include "devices/hpet.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

constexpr unsigned CAP = 0x000, CFG = 0x010, STS = 0x020, CNT = 0x0f0;
constexpr unsigned tcfg(unsigned n) { return 0x100 + 0x20 * n; }
constexpr unsigned tcmp(unsigned n) { return 0x108 + 0x20 * n; }

struct HpetFixture {
    Clock clock{ClockMode::Manual};
    test::RecordingSink gsi, isa;
    Hpet hpet{clock, &gsi, &isa};
    std::vector<bool> legacy_changes;
    HpetFixture() { hpet.on_legacy_change = [this](bool l) { legacy_changes.push_back(l); }; }
    uint64_t rd(unsigned off) { return hpet.io_read(off, 8); }
    uint32_t rd32(unsigned off) { return uint32_t(hpet.io_read(off, 4)); }
    void wr(unsigned off, uint64_t v) { hpet.io_write(off, v, 8); }
    void wr32(unsigned off, uint32_t v) { hpet.io_write(off, v, 4); }
    void step(uint64_t ns) { clock.advance(ns); clock.run_expired(); }
};

}  // namespace

TEST_CASE_FIXTURE(HpetFixture, "hpet: capabilities and reset state") {
    uint64_t cap = rd(CAP);
    CHECK((cap & 0xff) == 0x01);                  // revision
    CHECK(((cap >> 8) & 0x1f) == 2);              // NUM_TIM_CAP: 3 timers
    CHECK((cap & (1u << 13)) != 0);               // 64-bit counter
    CHECK((cap & (1u << 15)) != 0);               // legacy replacement capable
    CHECK(((cap >> 16) & 0xffff) == 0x8086);
    CHECK((cap >> 32) == 10'000'000);             // 10 ns in femtoseconds
    CHECK(rd32(CAP) == 0x8086a201);               // the ACPI HPET table's block ID
    CHECK(rd32(CAP + 4) == 10'000'000);
    CHECK(rd(CFG) == 0);
    CHECK(rd(CNT) == 0);
    for (unsigned n = 0; n < 3; ++n) {
        uint64_t c = rd(tcfg(n));
        CHECK((c & 0x30) == 0x30);                // periodic- and 64-bit-capable
        CHECK((c & (1u << 15)) == 0);             // no FSB delivery
        CHECK((c >> 32) == 0x00ff0104);           // routable to inputs 2, 8, 16-23
        CHECK(rd(tcmp(n)) == ~0ull);              // comparators reset to all ones
    }
    wr(CAP, 0);
    CHECK(rd32(CAP) == 0x8086a201);
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: main counter runs at 100 MHz only while enabled") {
    clock.advance(1000);
    CHECK(rd(CNT) == 0);
    wr(CFG, 1);
    clock.advance(1'000'000'000);
    CHECK(rd(CNT) == 100'000'000);
    clock.advance(15);
    CHECK(rd(CNT) == 100'000'001);
    wr(CFG, 0);
    clock.advance(1'000'000);
    CHECK(rd(CNT) == 100'000'001);  // halted
    wr(CNT, 0x1'0000'0000ull);
    CHECK(rd(CNT) == 0x1'0000'0000ull);
    wr(CFG, 1);
    clock.advance(100);
    CHECK(rd32(CNT) == 10);
    CHECK(rd32(CNT + 4) == 1);
    CHECK(hpet.io_read(CNT, 2) == 0xffff);  // 16-bit access: not allowed
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: one-shot comparator interrupt on its I/O APIC route") {
    wr(tcfg(2), (8u << 9) | 0x4);  // route to input 8, interrupts enabled, edge
    CHECK(((rd(tcfg(2)) >> 9) & 0x1f) == 8);
    wr(tcmp(2), 1000);             // 10 us
    wr(CFG, 1);
    step(9990);
    CHECK(gsi.rises[8] == 0);
    step(10);
    CHECK(gsi.rises[8] == 1);
    CHECK_FALSE(gsi.level[8]);     // edge: a pulse
    CHECK(rd(STS) == 0);           // edge timers leave status clear
    step(1'000'000);
    CHECK(gsi.rises[8] == 1);      // one-shot (64-bit: next match after a wrap)
    CHECK(rd(tcmp(2)) == 1000);
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: unsupported routes are refused") {
    wr(tcfg(1), 5u << 9);          // input 5 is not in the capability mask
    CHECK(((rd(tcfg(1)) >> 9) & 0x1f) == 0);
    wr(tcfg(1), 17u << 9);
    CHECK(((rd(tcfg(1)) >> 9) & 0x1f) == 17);
    wr(tcfg(1), 0xffffffffull);    // route 31 refused; FSB and reserved bits do not stick
    uint64_t c = rd(tcfg(1));
    CHECK((c & 0xffffffff) == ((17u << 9) | 0x14e | 0x30));
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: periodic timer with VAL_SET, legacy replacement to IRQ0") {
    wr(CFG, 2);                     // legacy replacement, still halted
    REQUIRE(legacy_changes.size() == 1);
    CHECK(legacy_changes[0]);
    // Linux's periodic set-up: periodic + VAL_SET, comparator = now + period,
    // then the period again.
    wr(tcfg(0), 0x4 | 0x8 | 0x40);
    CHECK((rd(tcfg(0)) & 0x40) == 0x40);
    wr(tcmp(0), 100'000);           // first match at 1 ms
    CHECK((rd(tcfg(0)) & 0x40) == 0);  // VAL_SET self-clears
    wr(tcmp(0), 100'000);           // period 1 ms
    wr(CFG, 3);
    for (int i = 1; i <= 5; ++i) {
        step(1'000'000);
        CHECK(isa.rises[0] == i);
        CHECK(rd(tcmp(0)) == uint64_t(i + 1) * 100'000);  // comparator steps by the period
    }
    CHECK(gsi.rises[2] == 0);       // not on the I/O APIC route meanwhile
    // A period write without VAL_SET changes only the increment.
    wr(tcmp(0), 50'000);
    CHECK(rd(tcmp(0)) == 600'000);
    step(1'000'000);
    CHECK(isa.rises[0] == 6);
    CHECK(rd(tcmp(0)) == 650'000);
    // Leaving legacy mode moves timer 0 to its route (input 0 is not routable: stays 0).
    wr(CFG, 1);
    CHECK(legacy_changes.size() == 2);
    CHECK_FALSE(legacy_changes[1]);
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: timer 1 in legacy mode drives IRQ8; level status W1C") {
    wr(tcfg(1), 0x4 | 0x2);         // level, enabled
    wr(tcmp(1), 500);
    wr(CFG, 3);
    step(5000);
    CHECK(isa.level[8]);
    CHECK(rd(STS) == 0x2);
    step(100'000);
    CHECK(isa.rises[8] == 1);       // held, not re-pulsed
    wr(STS, 0x1);                   // other bit: no effect
    CHECK(rd(STS) == 0x2);
    wr(STS, 0x2);
    CHECK(rd(STS) == 0);
    CHECK_FALSE(isa.level[8]);
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: 32-bit mode compares the low half and wraps") {
    wr(CNT, 0xffff'fff0ull);
    wr(tcfg(2), (20u << 9) | 0x4 | 0x100);  // 32-bit, input 20
    wr(tcmp(2), 0x1'0000'0010ull);          // upper half dropped in 32-bit mode
    CHECK(rd(tcmp(2)) == 0x10);
    wr(CFG, 1);
    step(0x1f * 10);
    CHECK(gsi.rises[20] == 0);
    step(10);                               // 0x20 ticks later the low half is 0x10
    CHECK(gsi.rises[20] == 1);
    CHECK(rd(CNT) == 0x1'0000'0010ull);     // the main counter itself stays 64-bit
    step(0xffffffffull * 10);               // next match: one 2^32 wrap later
    CHECK(gsi.rises[20] == 1);
    step(10);
    CHECK(gsi.rises[20] == 2);
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: disabled interrupts and out-of-range accesses") {
    wr(tcfg(0), 2u << 9);           // route 2, interrupts disabled
    wr(tcmp(0), 10);
    wr(CFG, 1);
    step(1000);
    CHECK(gsi.rises[2] == 0);
    CHECK(rd(STS) == 0);
    CHECK(hpet.io_read(0x400, 4) == 0xffffffff);
    hpet.io_write(0x5000, 1, 4);
    hpet.io_write(0x103, 1, 4);     // misaligned
    CHECK(rd(0x1a0) == 0);          // timer 4 does not exist
    wr(0x1a0, ~0ull);
    CHECK(rd(0x110) == 0);          // FSB route
}

TEST_CASE_FIXTURE(HpetFixture, "hpet: random guest writes never break the host") {
    uint64_t x = 0x13198a2e03707344ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int i = 0; i < 100000; ++i) {
        uint64_t r = next();
        unsigned off = unsigned(r & 0x7ff);
        unsigned size = 1u << ((r >> 12) & 3);
        uint64_t v = next();
        if (r & (1ull << 16)) v &= 0xffff;  // small comparators and periods too
        if (r & (1ull << 17)) hpet.io_write(off, v, size);
        else (void)hpet.io_read(off, size);
        if ((r & 0x3f00000) == 0) step(next() & 0xfffff);
    }
    CHECK(rd32(CAP) == 0x8086a201);
}
