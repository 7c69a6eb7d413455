// 8259A pair at the port level: init sequence, priorities, EOI forms,
// cascade, ELCR level mode, poll, auto-EOI, spurious vectors.
#include <doctest/doctest.h>

#include "devices/pic.h"
#include "devices/pit.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

struct PicFixture {
    Pic pic;
    test::RecordingSink cpu;
    PicFixture() {
        pic.intr_line().connect(&cpu, 0);
        init(0x08, 0x70, 0x01);
    }
    void out_m(unsigned port, uint8_t v) { pic.master_io().io_write(port, v, 1); }
    void out_s(unsigned port, uint8_t v) { pic.slave_io().io_write(port, v, 1); }
    uint8_t in_m(unsigned port) { return uint8_t(pic.master_io().io_read(port, 1)); }
    uint8_t in_s(unsigned port) { return uint8_t(pic.slave_io().io_read(port, 1)); }
    // The BIOS sequence: ICW1 edge+ICW4, ICW2 base, ICW3 wiring, ICW4 mode.
    void init(uint8_t mbase, uint8_t sbase, uint8_t icw4) {
        out_m(0, 0x11); out_m(1, mbase); out_m(1, 0x04); out_m(1, icw4);
        out_s(0, 0x11); out_s(1, sbase); out_s(1, 0x02); out_s(1, icw4);
        out_m(1, 0x00); out_s(1, 0x00);
    }
    void eoi_m() { out_m(0, 0x20); }
    void eoi_s() { out_s(0, 0x20); }
    void pulse(unsigned irq) { pic.set_irq(irq, true); pic.set_irq(irq, false); }
};

}  // namespace

TEST_CASE_FIXTURE(PicFixture, "pic: edge request raises INTR and INTA returns the vector") {
    CHECK_FALSE(pic.intr_pending());
    pulse(0);
    CHECK(pic.intr_pending());
    CHECK(cpu.level[0]);
    CHECK(in_m(0) == 0x01);  // IRR read (default after ICW1)
    CHECK(pic.inta() == 0x08);
    CHECK_FALSE(pic.intr_pending());
    out_m(0, 0x0b);  // OCW3: read ISR
    CHECK(in_m(0) == 0x01);
    eoi_m();
    CHECK(in_m(0) == 0x00);
}

TEST_CASE_FIXTURE(PicFixture, "pic: fixed priority, nesting and non-specific EOI") {
    pulse(4);
    CHECK(pic.inta() == 0x0c);
    pulse(6);  // lower priority than 4: held while 4 is in service
    CHECK_FALSE(pic.intr_pending());
    pulse(1);  // higher priority: nests
    CHECK(pic.intr_pending());
    CHECK(pic.inta() == 0x09);
    out_m(0, 0x0b);
    CHECK(in_m(0) == 0x12);
    eoi_m();  // clears IRQ1, the highest in service
    CHECK(in_m(0) == 0x10);
    CHECK_FALSE(pic.intr_pending());
    eoi_m();
    CHECK(pic.intr_pending());
    CHECK(pic.inta() == 0x0e);
}

TEST_CASE_FIXTURE(PicFixture, "pic: mask register hides requests without losing them") {
    out_m(1, 0x08);
    CHECK(in_m(1) == 0x08);
    pulse(3);
    CHECK_FALSE(pic.intr_pending());
    out_m(1, 0x00);
    CHECK(pic.intr_pending());
    CHECK(pic.inta() == 0x0b);
}

TEST_CASE_FIXTURE(PicFixture, "pic: specific EOI and rotation") {
    pulse(3);
    CHECK(pic.inta() == 0x0b);
    out_m(0, 0x60 | 3);  // specific EOI for IRQ3
    out_m(0, 0x0b);
    CHECK(in_m(0) == 0);
    // Rotate on non-specific EOI: the serviced level becomes the lowest.
    pulse(0);
    CHECK(pic.inta() == 0x08);
    out_m(0, 0xa0);
    pulse(0);
    pulse(5);
    CHECK(pic.inta() == 0x0d);  // IRQ5 now outranks IRQ0
    out_m(0, 0x20);
    CHECK(pic.inta() == 0x08);
    out_m(0, 0x20);
    // Set priority: IRQ7 lowest restores the fixed order.
    out_m(0, 0xc7);
    pulse(0); pulse(5);
    CHECK(pic.inta() == 0x08);
}

TEST_CASE_FIXTURE(PicFixture, "pic: cascade through IRQ2 delivers slave vectors") {
    pulse(12);
    CHECK(pic.intr_pending());
    CHECK(pic.inta() == 0x74);
    out_s(0, 0x0b);
    CHECK(in_s(0) == 0x10);
    out_m(0, 0x0b);
    CHECK(in_m(0) == 0x04);  // IRQ2 in service on the master
    // Second slave request of lower priority waits for both EOIs.
    pulse(14);
    CHECK_FALSE(pic.intr_pending());
    eoi_s();
    CHECK_FALSE(pic.intr_pending());  // master IRQ2 still in service
    eoi_m();
    CHECK(pic.intr_pending());
    CHECK(pic.inta() == 0x76);
}

TEST_CASE_FIXTURE(PicFixture, "pic: device line on IRQ2 is ignored (it is the cascade)") {
    pic.set_irq(2, true);
    CHECK_FALSE(pic.intr_pending());
}

TEST_CASE_FIXTURE(PicFixture, "pic: spurious IRQ7 when a master request vanishes before INTA") {
    pulse(5);
    CHECK(pic.intr_pending());
    out_m(1, 0x20);  // masked between INTR and INTA
    CHECK(pic.inta() == 0x0f);
    out_m(0, 0x0b);
    CHECK(in_m(0) == 0);  // no ISR bit for a spurious IRQ7
    out_m(1, 0x00);
    CHECK(pic.inta() == 0x0d);  // the edge stayed latched
    eoi_m();
}

TEST_CASE_FIXTURE(PicFixture, "pic: spurious IRQ15 when a slave request vanishes before INTA") {
    pic.elcr_io().io_write(1, 0x04, 1);  // IRQ10 level-triggered
    pic.set_irq(10, true);
    CHECK(pic.intr_pending());
    pic.set_irq(10, false);
    CHECK(pic.intr_pending());           // the master latched its cascade input
    CHECK(pic.inta() == 0x77);
    out_s(0, 0x0b);
    CHECK(in_s(0) == 0x00);              // no slave ISR bit
    out_m(0, 0x0b);
    CHECK(in_m(0) == 0x04);              // but master IRQ2 is in service: needs a master EOI
    eoi_m();
    CHECK_FALSE(pic.intr_pending());
}

TEST_CASE_FIXTURE(PicFixture, "pic: ELCR level mode follows the pin and re-requests after EOI") {
    pic.elcr_io().io_write(0, 0x0e00, 2);  // IRQ9-11 level
    CHECK(pic.elcr_io().io_read(0, 1) == 0x00);
    CHECK(pic.elcr_io().io_read(1, 1) == 0x0e);
    pic.elcr_io().io_write(0, 0x07, 1);  // IRQ0-2 can never be level
    CHECK(pic.elcr_io().io_read(0, 1) == 0x00);
    pic.set_irq(11, true);
    CHECK(pic.inta() == 0x73);
    eoi_s(); eoi_m();
    CHECK(pic.intr_pending());  // still asserted
    CHECK(pic.inta() == 0x73);
    pic.set_irq(11, false);
    eoi_s(); eoi_m();
    CHECK_FALSE(pic.intr_pending());
    // A level request dropped before INTA leaves nothing in the slave's IRR.
    pic.set_irq(9, true);
    pic.set_irq(9, false);
    out_s(0, 0x0a);
    CHECK(in_s(0) == 0x00);
}

TEST_CASE_FIXTURE(PicFixture, "pic: auto-EOI leaves no ISR bit") {
    init(0x20, 0x28, 0x03);
    pulse(1);
    CHECK(pic.inta() == 0x21);
    out_m(0, 0x0b);
    CHECK(in_m(0) == 0);
    pulse(3);
    CHECK(pic.intr_pending());
}

TEST_CASE_FIXTURE(PicFixture, "pic: poll command acknowledges like INTA") {
    pulse(6);
    out_m(0, 0x0c);  // OCW3 poll
    CHECK(in_m(0) == 0x86);
    out_m(0, 0x0b);
    CHECK(in_m(0) == 0x40);
    eoi_m();
    out_m(0, 0x0c);
    CHECK(in_m(0) == 0x00);
}

TEST_CASE_FIXTURE(PicFixture, "pic: special mask mode lets lower priorities through") {
    pulse(3);
    CHECK(pic.inta() == 0x0b);
    out_m(1, 0x08);   // mask the in-service level
    out_m(0, 0x68);   // OCW3: set special mask
    pulse(5);
    CHECK(pic.intr_pending());
    CHECK(pic.inta() == 0x0d);
    out_m(0, 0x48);   // reset special mask
    out_m(0, 0x65); out_m(0, 0x63);
}

TEST_CASE_FIXTURE(PicFixture, "pic: re-initialisation clears masks and in-service state") {
    out_m(1, 0xff);
    pulse(4);
    init(0x08, 0x70, 0x01);
    CHECK(in_m(1) == 0x00);
    CHECK_FALSE(pic.intr_pending());  // the latched edge was discarded
    CHECK(uint8_t(pic.master_io().io_read(5, 1)) == 0xff);  // out-of-range offset is harmless
}

TEST_CASE_FIXTURE(PicFixture, "pic: special fully nested mode lets the slave nest on IRQ2") {
    init(0x08, 0x70, 0x11);  // ICW4: SFNM, 8086
    pulse(14);
    CHECK(pic.inta() == 0x76);
    pulse(9);  // higher priority on the slave while IRQ2 is in service
    CHECK(pic.intr_pending());
    CHECK(pic.inta() == 0x71);
}

TEST_CASE("pic: PIT channel 0 through the PIC to a vector") {
    // The ISA wiring the machine does: PIT OUT0 -> IRQ0 -> INTR -> INTA.
    Clock clock{ClockMode::Manual};
    Pic pic;
    Pit pit{clock};
    pit.irq0().connect(&pic, 0);
    auto out = [&](IoHandler& h, unsigned port, uint8_t v) { h.io_write(port, v, 1); };
    out(pic.master_io(), 0, 0x11); out(pic.master_io(), 1, 0x20);
    out(pic.master_io(), 1, 0x04); out(pic.master_io(), 1, 0x01);
    out(pic.master_io(), 1, 0xfe);
    out(pit, 3, 0x34); out(pit, 0, 0xa9); out(pit, 0, 0x04);  // mode 2, 1193 clocks = 1 ms
    int ticks = 0;
    for (int us = 0; us < 10'000; us += 50) {
        clock.set_now(uint64_t(us) * 1000);
        clock.run_expired();
        if (pic.intr_pending()) {
            CHECK(pic.inta() == 0x20);
            out(pic.master_io(), 0, 0x20);
            ++ticks;
        }
    }
    CHECK(ticks == 10);  // OUT0 rising with the control word, then reloads at 1..9 ms
}
