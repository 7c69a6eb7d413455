// 82093AA I/O APIC through IOREGSEL/IOWIN: identification registers,
// redirection entries, edge and level delivery, remote IRR and EOI, masking,
// and end-to-end delivery into a local APIC.
#include <doctest/doctest.h>

#include <vector>

#include "devices/ioapic.h"
#include "devices/lapic.h"

using namespace petrel;

namespace {

struct IoApicFixture {
    IoApic io;
    std::vector<ApicMessage> sent;
    IoApicFixture() { io.on_message = [this](const ApicMessage& m) { sent.push_back(m); }; }
    uint32_t rd(uint8_t reg) {
        io.io_write(0x00, reg, 4);
        return uint32_t(io.io_read(0x10, 4));
    }
    void wr(uint8_t reg, uint32_t v) {
        io.io_write(0x00, reg, 4);
        io.io_write(0x10, v, 4);
    }
    bool remote_irr(unsigned pin) { return (io.entry(pin) & 0x4000) != 0; }
    void entry(unsigned pin, uint32_t lo, uint32_t hi = 0) {
        wr(uint8_t(0x11 + 2 * pin), hi);
        wr(uint8_t(0x10 + 2 * pin), lo);
    }
};

}  // namespace

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: identification registers") {
    CHECK(rd(0x01) == 0x00170011);  // 24 entries (max index 0x17), version 0x11
    wr(0x01, 0);
    CHECK(rd(0x01) == 0x00170011);
    CHECK(rd(0x00) == 0);
    wr(0x00, 0xffffffff);
    CHECK(rd(0x00) == 0x0f000000);  // ID in bits 27:24
    CHECK(rd(0x02) == 0x0f000000);  // arbitration ID
    io.io_write(0x00, 0x01, 1);
    CHECK(io.io_read(0x00, 4) == 0x01);  // IOREGSEL reads back
    CHECK(io.io_read(0x12, 1) == 0x17);  // byte lane 2 of the version register
    CHECK(rd(0x40) == 0);                // past the table
    CHECK(rd(0xff) == 0);
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: redirection entries reset masked and keep read-only bits") {
    for (unsigned pin = 0; pin < 24; ++pin) {
        CHECK(rd(uint8_t(0x10 + 2 * pin)) == 0x00010000);
        CHECK(rd(uint8_t(0x11 + 2 * pin)) == 0);
    }
    wr(0x10, 0xffffffff);
    CHECK(rd(0x10) == 0x0001afff);  // delivery status (12) and remote IRR (14) read-only
    wr(0x11, 0xffffffff);
    CHECK(rd(0x11) == 0xff000000);
    CHECK(io.entry(0) == 0xff0000000001afffull);
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: edge-triggered entry sends one message per rising edge") {
    entry(2, 0x0130, 0x01000000);  // vector 0x30, lowest priority, physical dest 1
    io.set_irq(2, true);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].vector == 0x30);
    CHECK(sent[0].mode == ApicDelivery::LowestPriority);
    CHECK(sent[0].dest == 1);
    CHECK_FALSE(sent[0].logical);
    CHECK_FALSE(sent[0].level_triggered);
    io.set_irq(2, true);  // still high: no new edge
    CHECK(sent.size() == 1);
    io.set_irq(2, false);
    io.set_irq(2, true);
    CHECK(sent.size() == 2);
    // Rewriting the entry while the input is high sends nothing.
    entry(2, 0x0130, 0x01000000);
    CHECK(sent.size() == 2);
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: masked edge is lost") {
    entry(4, 0x10031);
    io.set_irq(4, true);
    io.set_irq(4, false);
    entry(4, 0x00031);
    CHECK(sent.empty());
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: level-triggered entry, remote IRR and EOI") {
    entry(11, 0x8000 | 0x0800 | 0x61, 0x01000000);  // level, logical, vector 0x61
    io.set_irq(11, true);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].level_triggered);
    CHECK(sent[0].logical);
    CHECK(remote_irr(11));  // remote IRR set
    io.set_irq(11, true);           // still asserted: remote IRR blocks a resend
    CHECK(sent.size() == 1);
    io.eoi(0x62);                   // another vector: no effect
    CHECK(remote_irr(11));
    io.eoi(0x61);                   // still asserted: sent again at once
    CHECK(sent.size() == 2);
    CHECK(remote_irr(11));
    io.set_irq(11, false);
    io.eoi(0x61);                   // deasserted: remote IRR clears, nothing sent
    CHECK(sent.size() == 2);
    CHECK_FALSE(remote_irr(11));
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: unmasking an asserted level input delivers it") {
    entry(9, 0x18000 | 0x41);  // level, masked
    io.set_irq(9, true);
    CHECK(sent.empty());
    entry(9, 0x08000 | 0x41);
    CHECK(sent.size() == 1);
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: EOI register only on a version-0x20 part") {
    entry(5, 0x8000 | 0x45);
    io.set_irq(5, true);
    io.io_write(0x40, 0x45, 4);
    CHECK(remote_irr(5));  // version 0x11: no EOI register
    IoApic v20(0x20);
    CHECK(v20.version_register() == 0x00170020);
    v20.io_write(0x00, 0x10, 4);
    v20.io_write(0x10, 0x8045, 4);
    v20.set_irq(0, true);
    CHECK((v20.entry(0) & 0x4000) != 0);
    v20.io_write(0x40, 0x45, 4);
    CHECK((v20.entry(0) & 0x4000) != 0);  // still asserted: resent, remote IRR set again
    v20.set_irq(0, false);
    v20.io_write(0x40, 0x45, 4);
    CHECK_FALSE((v20.entry(0) & 0x4000) != 0);
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: NMI and ExtINT delivery modes, out-of-range pins") {
    entry(1, 0x0400);  // NMI
    io.set_irq(1, true);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].mode == ApicDelivery::Nmi);
    entry(0, 0x0700);  // ExtINT
    io.set_irq(0, true);
    REQUIRE(sent.size() == 2);
    CHECK(sent[1].mode == ApicDelivery::ExtInt);
    io.set_irq(24, true);  // no such pin: ignored
    io.set_irq(1000, true);
    CHECK(sent.size() == 2);
}

TEST_CASE("ioapic: level interrupt end to end through the local APIC") {
    Clock clock{ClockMode::Manual};
    Lapic apic(clock, 0, true);
    IoApic io;
    io.on_message = [&](const ApicMessage& m) { apic.receive(m); };
    apic.on_eoi_broadcast = [&](uint8_t v) { io.eoi(v); };
    apic.io_write(0xf0, 0x1ff, 4);            // software-enable
    io.io_write(0x00, 0x10 + 2 * 10, 4);
    io.io_write(0x10, 0x8000 | 0x51, 4);      // pin 10: level, fixed, vector 0x51, dest 0
    io.set_irq(10, true);
    REQUIRE(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x51);
    CHECK_FALSE(apic.has_interrupt());
    apic.io_write(0xb0, 0, 4);                // EOI with the line still up: delivered again
    REQUIRE(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x51);
    io.set_irq(10, false);                    // the device is serviced
    apic.io_write(0xb0, 0, 4);
    CHECK_FALSE(apic.has_interrupt());
    CHECK_FALSE((io.entry(10) & 0x4000) != 0);
    // A destination that is not our APIC is dropped.
    io.io_write(0x00, 0x10 + 2 * 10 + 1, 4);
    io.io_write(0x10, 0x05000000, 4);
    io.set_irq(10, true);
    CHECK_FALSE(apic.has_interrupt());
}

TEST_CASE_FIXTURE(IoApicFixture, "ioapic: random guest writes never break the host") {
    uint64_t x = 0x243f6a8885a308d3ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int i = 0; i < 100000; ++i) {
        uint64_t r = next();
        unsigned off = unsigned(r & 0xff);
        unsigned size = 1u << ((r >> 8) & 3);
        if (r & (1ull << 12)) io.io_write(off, next(), size);
        else (void)io.io_read(off, size);
        io.set_irq(unsigned((r >> 16) & 31), (r >> 24) & 1);
        if ((r & 0x7000000) == 0) io.eoi(uint8_t(r >> 32));
    }
    CHECK(rd(0x01) == 0x00170011);
}
