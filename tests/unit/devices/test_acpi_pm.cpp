// PIIX4 ACPI PM block at the port level: PM timer rate and width, TMR_STS on
// bit-23 toggles, PM1 status/enable/SCI, power button, S5 soft-off, GPE0.
#include <doctest/doctest.h>

#include <vector>

#include "devices/acpi_pm.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

struct PmFixture {
    Clock clock{ClockMode::Manual};
    AcpiPm pm{clock};
    test::RecordingSink pic;
    int power_offs = 0;
    std::vector<uint8_t> sleeps;
    PmFixture() {
        pm.sci_line().connect(&pic, acpi_pm::kSciIrq);
        pm.on_power_off = [this] { ++power_offs; };
        pm.on_sleep = [this](uint8_t t) { sleeps.push_back(t); };
    }
    uint32_t in(unsigned off, unsigned size) { return uint32_t(pm.io_read(off, size)); }
    void out(unsigned off, uint32_t v, unsigned size) { pm.io_write(off, v, size); }
    bool sci() const { return pic.level[9]; }
    void step_ns(uint64_t ns) { clock.advance(ns); clock.run_expired(); }
};

}  // namespace

TEST_CASE("acpi pm: layout constants match QEMU's pc") {
    CHECK(acpi_pm::kIoBase == 0x600);
    CHECK(acpi_pm::kPm1Status == 0x00);
    CHECK(acpi_pm::kPm1Enable == 0x02);
    CHECK(acpi_pm::kPm1Control == 0x04);
    CHECK(acpi_pm::kPmTimer == 0x08);
    CHECK(acpi_pm::kGpe0Base == 0xafe0);
    CHECK(acpi_pm::kSciIrq == 9);
    CHECK(acpi_pm::kSlpTypS5 == 0);
}

TEST_CASE_FIXTURE(PmFixture, "acpi pm: PM timer runs at 3.579545 MHz") {
    CHECK(in(8, 4) == 0);
    clock.advance(1'000'000'000);  // one second
    CHECK(in(8, 4) == 3579545 % (1u << 24));
    uint32_t t0 = in(8, 4);
    clock.advance(1'000'000);  // 1 ms = 3579.545 ticks
    uint32_t d = (in(8, 4) - t0) & 0xffffff;
    CHECK(d >= 3579);
    CHECK(d <= 3580);
    // 24 bits wide: wraps after 2^24 ticks (~4.69 s).
    Clock c2{ClockMode::Manual};
    AcpiPm pm2{c2};
    c2.advance(uint64_t(16777216) * 1'000'000'000 / 3579545 + 1);  // just past the wrap
    CHECK(pm2.io_read(8, 4) < 10);
    CHECK((pm2.io_read(8, 4) >> 24) == 0);
    // Byte reads see the lanes.
    c2.advance(12345);
    uint32_t full = uint32_t(pm2.io_read(8, 4));
    CHECK(pm2.io_read(9, 1) == ((full >> 8) & 0xff));
    out(8, 0, 4);  // read-only
}

TEST_CASE_FIXTURE(PmFixture, "acpi pm: TMR_STS on bit 23 toggle, SCI when enabled") {
    const uint64_t toggle_ns = uint64_t(1u << 23) * 1'000'000'000 / 3579545 + 1;  // ~2.34 s
    CHECK((in(0, 2) & 1) == 0);
    clock.advance(toggle_ns - 1000);
    CHECK((in(0, 2) & 1) == 0);
    clock.advance(1000);
    CHECK((in(0, 2) & 1) == 1);
    CHECK_FALSE(sci());  // TMR_EN clear
    out(0, 1, 2);        // write 1 to clear
    CHECK((in(0, 2) & 1) == 0);
    out(2, 1, 2);        // TMR_EN
    CHECK(in(2, 2) == 1);
    clock.advance(toggle_ns);
    clock.run_expired();
    CHECK(sci());
    out(0, 1, 2);
    CHECK_FALSE(sci());
}

TEST_CASE_FIXTURE(PmFixture, "acpi pm: power button status, enable and SCI") {
    CHECK(in(4, 2) == 0x0001);  // SCI_EN set: ACPI-only platform
    pm.press_power_button();
    CHECK(in(0, 2) == 0x0100);
    CHECK_FALSE(sci());
    out(2, 0x0100, 2);          // PWRBTN_EN
    CHECK(sci());
    out(0, 0x0100, 2);
    CHECK(in(0, 2) == 0);
    CHECK_FALSE(sci());
    out(2, 0xffff, 2);
    CHECK(in(2, 2) == 0x0521);  // TMR, GBL, PWRBTN, RTC enables
}

TEST_CASE_FIXTURE(PmFixture, "acpi pm: SLP_EN with the S5 type powers off") {
    out(4, 0x0001 | (5u << 10), 2);  // set a type without SLP_EN: nothing happens
    CHECK(power_offs == 0);
    CHECK(in(4, 2) == (0x0001 | (5u << 10)));
    out(4, 0x0001 | (acpi_pm::kSlpTypS5 << 10) | 0x2000, 2);
    CHECK(power_offs == 1);
    CHECK((in(4, 2) & 0x2000) == 0);  // SLP_EN is write-only
    out(5, (1u << 2) | 0x20, 1);      // byte write of the high half: SLP_TYP 1 (QEMU's S3)
    CHECK(power_offs == 1);
    REQUIRE(sleeps.size() == 1);
    CHECK(sleeps[0] == 1);
}

TEST_CASE_FIXTURE(PmFixture, "acpi pm: GPE0 block status/enable") {
    IoHandler& gpe = pm.gpe0_io();
    pm.set_gpe(1);
    CHECK(gpe.io_read(0, 2) == 0x0002);
    CHECK_FALSE(sci());
    gpe.io_write(2, 0x0002, 2);
    CHECK(gpe.io_read(0, 4) == 0x00020002);
    CHECK(sci());
    gpe.io_write(0, 0x0002, 2);
    CHECK(gpe.io_read(0, 2) == 0);
    CHECK_FALSE(sci());
    gpe.io_write(100, 0xff, 1);  // out of range: ignored
    pm.set_gpe(99);
    CHECK(pm.io_read(0x30, 4) == 0);  // unmodelled PIIX4 registers read 0
    pm.io_write(1000, 0xff, 4);
}

TEST_CASE_FIXTURE(PmFixture, "acpi pm: random guest port traffic never breaks the host") {
    uint64_t x = 0x082efa98ec4e6c89ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int i = 0; i < 100000; ++i) {
        uint64_t r = next();
        unsigned off = unsigned(r & 0x7f);
        unsigned size = 1u << ((r >> 8) & 3);
        IoHandler& h = (r & (1ull << 10)) ? pm.gpe0_io() : static_cast<IoHandler&>(pm);
        if (r & (1ull << 11)) h.io_write(off, next(), size);
        else (void)h.io_read(off, size);
        if ((r & 0xff0000) == 0) step_ns(next() & 0xffffffff);
    }
    CHECK(pm.pm_timer() < (1u << 24));
}
