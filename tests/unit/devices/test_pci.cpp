// PCI through configuration mechanism #1 (0xCF8/0xCFC): byte lanes, absent
// devices, BAR sizing and change callbacks, INTx swizzling, and the i440FX /
// PIIX3 / PIIX4-PM functions of the pc board.
#include <doctest/doctest.h>

#include <vector>

#include "devices/isa_irq_router.h"
#include "devices/pci/i440fx.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/piix3.h"
#include "devices/pci/piix4_pm.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

// A test function with one I/O BAR, one 32-bit memory BAR and one 64-bit
// prefetchable memory BAR, interrupt on INTA#.
struct TestDevice : PciDevice {
    TestDevice() : PciDevice(0x1234, 0x5678, 0x01, 0x020000) {
        define_bar(0, PciBarKind::Io, 0x20);
        define_bar(1, PciBarKind::Mem32, 0x1000);
        define_bar(2, PciBarKind::Mem64, 0x100000, true);
        set_interrupt_pin(1);
    }
    // A device model records an error in status (received master abort, bit 13).
    void master_abort() { set_cfg8(0x07, uint8_t(cfg8(0x07) | 0x20)); }
};

struct PciFixture {
    PciBus bus;
    test::RecordingSink pirqs;
    PciFixture() { bus.pirq_sink = &pirqs; }
    // The port-level view the guest has.
    void select(unsigned slot, unsigned fn, unsigned reg, unsigned bus_no = 0) {
        bus.address_io().io_write(0, 0x80000000u | bus_no << 16 | slot << 11 | fn << 8 | (reg & 0xfc), 4);
    }
    uint32_t in(unsigned slot, unsigned fn, unsigned reg, unsigned size) {
        select(slot, fn, reg);
        return uint32_t(bus.data_io().io_read(reg & 3, size));
    }
    void out(unsigned slot, unsigned fn, unsigned reg, uint32_t v, unsigned size) {
        select(slot, fn, reg);
        bus.data_io().io_write(reg & 3, v, size);
    }
};

}  // namespace

TEST_CASE_FIXTURE(PciFixture, "pci: config reads through 0xCF8/0xCFC with byte lanes") {
    I440fx host;
    bus.attach(host, pci_devfn(0, 0));
    CHECK(in(0, 0, 0x00, 4) == 0x12378086);
    CHECK(in(0, 0, 0x00, 2) == 0x8086);
    CHECK(in(0, 0, 0x02, 2) == 0x1237);   // word at 0xCFE
    CHECK(in(0, 0, 0x01, 1) == 0x80);     // byte at 0xCFD
    CHECK(in(0, 0, 0x03, 1) == 0x12);     // byte at 0xCFF
    CHECK(in(0, 0, 0x08, 4) == 0x06000002);  // class 06/00/00 (host bridge), revision 2
    CHECK(in(0, 0, 0x0b, 1) == 0x06);
    // CONFIG_ADDRESS reads back (low two bits always 0).
    bus.address_io().io_write(0, 0x80000003, 4);
    CHECK(bus.address_io().io_read(0, 4) == 0x80000000);
}

TEST_CASE_FIXTURE(PciFixture, "pci: absent devices, other buses and a disabled address read all ones") {
    I440fx host;
    bus.attach(host, pci_devfn(0, 0));
    CHECK(in(5, 0, 0x00, 4) == 0xffffffff);
    CHECK(in(5, 0, 0x00, 2) == 0xffff);
    CHECK(in(0, 1, 0x00, 4) == 0xffffffff);
    select(0, 0, 0x00, 1);  // bus 1
    CHECK(bus.data_io().io_read(0, 4) == 0xffffffff);
    bus.address_io().io_write(0, 0x00000000, 4);  // enable bit clear
    CHECK(bus.data_io().io_read(0, 4) == 0xffffffff);
    bus.data_io().io_write(0, 0, 4);  // dropped
    CHECK(in(0, 0, 0x00, 4) == 0x12378086);
    // Narrow accesses to 0xCF8 do not touch CONFIG_ADDRESS.
    select(0, 0, 0x00);
    bus.address_io().io_write(0, 0x12, 1);
    CHECK(bus.address_io().io_read(0, 4) == 0x80000000);
}

TEST_CASE_FIXTURE(PciFixture, "pci: read-only header fields, command and status masks") {
    TestDevice dev;
    bus.attach(dev, pci_devfn(3, 0));
    out(3, 0, 0x00, 0xffffffff, 4);
    CHECK(in(3, 0, 0x00, 4) == 0x56781234);  // IDs are read-only
    out(3, 0, 0x04, 0xffff, 2);
    CHECK(in(3, 0, 0x04, 2) == 0x0547);      // I/O, mem, master, parity, SERR, INTx disable
    out(3, 0, 0x3c, 0x0b, 1);
    CHECK(in(3, 0, 0x3c, 1) == 0x0b);        // interrupt line: read/write
    out(3, 0, 0x3d, 0x04, 1);
    CHECK(in(3, 0, 0x3d, 1) == 0x01);        // interrupt pin: read-only INTA#
    CHECK(in(3, 0, 0x0e, 1) == 0x00);        // single-function header
    CHECK_THROWS(bus.attach(dev, pci_devfn(3, 0)));
}

TEST_CASE_FIXTURE(PciFixture, "pci: BAR sizing by writing all ones") {
    TestDevice dev;
    bus.attach(dev, pci_devfn(3, 0));
    CHECK(in(3, 0, 0x10, 4) == 0x1);          // I/O BAR: bit 0 set
    out(3, 0, 0x10, 0xffffffff, 4);
    CHECK(in(3, 0, 0x10, 4) == 0xffffffe1);   // 32 ports
    out(3, 0, 0x14, 0xffffffff, 4);
    CHECK(in(3, 0, 0x14, 4) == 0xfffff000);   // 4 KiB, 32-bit, non-prefetchable
    out(3, 0, 0x18, 0xffffffff, 4);
    CHECK(in(3, 0, 0x18, 4) == 0xfff0000c);   // 1 MiB, 64-bit, prefetchable
    out(3, 0, 0x1c, 0xffffffff, 4);
    CHECK(in(3, 0, 0x1c, 4) == 0xffffffff);   // upper half fully writable
    out(3, 0, 0x20, 0xffffffff, 4);
    CHECK(in(3, 0, 0x20, 4) == 0);            // unimplemented BAR
    // Assign addresses.
    out(3, 0, 0x10, 0xc040, 4);
    out(3, 0, 0x14, 0xfebf1234, 4);
    out(3, 0, 0x18, 0x00100000, 4);
    out(3, 0, 0x1c, 0x00000001, 4);
    CHECK(dev.bar_address(0) == 0xc040);
    CHECK(dev.bar_address(1) == 0xfebf1000);
    CHECK(dev.bar_address(2) == 0x100100000ull);
    CHECK_FALSE(dev.bar_decoding(0));  // command register still off
}

TEST_CASE_FIXTURE(PciFixture, "pci: BAR and command changes are reported") {
    TestDevice dev;
    bus.attach(dev, pci_devfn(3, 0));
    struct Change { unsigned bar; uint64_t addr; bool on; };
    std::vector<Change> changes;
    std::vector<uint16_t> commands;
    dev.on_bar_change = [&](unsigned b, uint64_t a, bool on) { changes.push_back({b, a, on}); };
    dev.on_command_change = [&](uint16_t c) { commands.push_back(c); };
    out(3, 0, 0x10, 0xc000, 4);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].bar == 0);
    CHECK(changes[0].addr == 0xc000);
    CHECK_FALSE(changes[0].on);
    out(3, 0, 0x04, 0x0001, 2);  // I/O decode on
    REQUIRE(changes.size() == 2);
    CHECK(changes[1].on);
    REQUIRE(commands.size() == 1);
    CHECK(commands[0] == 1);
    out(3, 0, 0x04, 0x0001, 2);  // no change, no report
    CHECK(changes.size() == 2);
    CHECK(commands.size() == 1);
    out(3, 0, 0x14, 0xfebf0000, 4);  // memory BAR moves while memory decode is off
    CHECK(changes.size() == 3);
    CHECK(changes[2].bar == 1);
    CHECK_FALSE(changes[2].on);
}

TEST_CASE_FIXTURE(PciFixture, "pci: status bits are write-1-to-clear, unaligned data access is bounded") {
    TestDevice dev;
    bus.attach(dev, pci_devfn(3, 0));
    dev.set_intx(true);
    CHECK(in(3, 0, 0x06, 2) == 0x0008);   // interrupt status
    out(3, 0, 0x06, 0xffff, 2);
    CHECK(in(3, 0, 0x06, 2) == 0x0008);   // not a W1C bit
    dev.master_abort();
    CHECK(in(3, 0, 0x06, 2) == 0x2008);
    out(3, 0, 0x06, 0x0000, 2);           // writing 0 keeps it
    CHECK(in(3, 0, 0x06, 2) == 0x2008);
    out(3, 0, 0x07, 0x20, 1);             // writing 1 clears it
    CHECK(in(3, 0, 0x06, 2) == 0x0008);
    select(3, 0, 0x00);
    CHECK(bus.data_io().io_read(3, 4) == 0xffffff56);  // past 0xCFF: only lane 3 exists
    bus.data_io().io_write(7, 0, 4);  // out of range: ignored
}

TEST_CASE_FIXTURE(PciFixture, "pci: INTx swizzle onto PIRQs, wired OR and INTx disable") {
    TestDevice a, b;
    bus.attach(a, pci_devfn(3, 0));  // slot 3 INTA# -> PIRQ (0 + 2) & 3 = C
    bus.attach(b, pci_devfn(4, 0));  // slot 4 INTA# -> PIRQD
    CHECK(PciBus::pirq_of(pci_devfn(1, 0), 1) == 0);
    CHECK(PciBus::pirq_of(pci_devfn(0, 0), 1) == 3);
    CHECK(PciBus::pirq_of(pci_devfn(2, 0), 4) == 0);
    a.set_intx(true);
    CHECK(pirqs.level[2]);
    b.set_intx(true);
    CHECK(pirqs.level[3]);
    TestDevice c;
    bus.attach(c, pci_devfn(7, 0));  // slot 7 INTA# -> PIRQ (0 + 6) & 3 = C, shared with a
    c.set_intx(true);
    a.set_intx(false);
    CHECK(pirqs.level[2]);  // c still drives it
    c.set_intx(false);
    CHECK_FALSE(pirqs.level[2]);
    // INTx disable masks the output but not the status bit.
    b.config_write(0x04, 0x0400, 2);
    CHECK_FALSE(pirqs.level[3]);
    CHECK(b.config_read(0x06, 2) == 0x0008);
    b.config_write(0x04, 0x0000, 2);
    CHECK(pirqs.level[3]);
}

TEST_CASE_FIXTURE(PciFixture, "i440fx: PAM registers and their segments") {
    I440fx host;
    bus.attach(host, pci_devfn(0, 0));
    std::vector<std::array<PamSegment, kPamSegments>> reports;
    host.on_pam_change = [&](const std::array<PamSegment, kPamSegments>& s) { reports.push_back(s); };
    out(0, 0, 0x59, 0xff, 1);
    CHECK(in(0, 0, 0x59, 1) == 0x30);  // PAM0: only the 0xF0000 nibble exists
    REQUIRE(reports.size() == 1);
    CHECK(reports[0][0].base == 0xf0000);
    CHECK(reports[0][0].size == 0x10000);
    CHECK(reports[0][0].read_dram);
    CHECK(reports[0][0].write_dram);
    out(0, 0, 0x5a, 0x31, 1);  // PAM1: 0xC0000 read-only DRAM, 0xC4000 read/write DRAM
    CHECK(in(0, 0, 0x5a, 1) == 0x31);
    auto s = host.pam_segments();
    CHECK(s[1].base == 0xc0000);
    CHECK(s[1].read_dram);
    CHECK_FALSE(s[1].write_dram);
    CHECK(s[2].base == 0xc4000);
    CHECK(s[2].read_dram);
    CHECK(s[2].write_dram);
    CHECK(s[12].base == 0xec000);
    out(0, 0, 0x5c, 0xcc, 1);  // reserved bits stay 0
    CHECK(in(0, 0, 0x5c, 1) == 0x00);
    CHECK(reports.size() == 2);  // the 0xcc write changed nothing
    out(0, 0, 0x5c, 0x22, 1);    // dword-wide view of PAM 3-6
    CHECK(in(0, 0, 0x5c, 4) == 0x00000022);
}

TEST_CASE_FIXTURE(PciFixture, "i440fx: SMRAM register and D_LCK") {
    I440fx host;
    bus.attach(host, pci_devfn(0, 0));
    CHECK(in(0, 0, 0x72, 1) == 0x02);  // C_BASE_SEG = 010
    out(0, 0, 0x72, 0x4a, 1);          // D_OPEN | G_SMRAME
    CHECK(in(0, 0, 0x72, 1) == 0x4a);
    out(0, 0, 0x72, 0x1a, 1);          // lock
    CHECK(in(0, 0, 0x72, 1) == 0x1a);
    out(0, 0, 0x72, 0x42, 1);          // locked: open and unlock are refused
    CHECK(in(0, 0, 0x72, 1) == 0x1a);
    out(0, 0, 0x72, 0x3a, 1);          // D_CLS may still change
    CHECK(in(0, 0, 0x72, 1) == 0x3a);
    host.reset();
    CHECK(in(0, 0, 0x72, 1) == 0x02);
}

TEST_CASE_FIXTURE(PciFixture, "piix3: multi-function ISA bridge and PIRQ routing") {
    test::RecordingSink pic, ioapic;
    IsaIrqRouter router(&pic, &ioapic);
    bus.pirq_sink = &router.pirq_sink();
    Piix3 isa(&router);
    bus.attach(isa, pci_devfn(1, 0));
    CHECK(in(1, 0, 0x00, 4) == 0x70008086);
    CHECK(in(1, 0, 0x0e, 1) == 0x80);      // multi-function
    CHECK((in(1, 0, 0x08, 4) >> 8) == 0x060100);  // ISA bridge
    CHECK(in(1, 0, 0x60, 4) == 0x80808080);  // all PIRQs disabled at reset
    out(1, 0, 0x60, 0x0b0a0b0a, 4);        // PIRQA/C -> 10, B/D -> 11 (SeaBIOS-style)
    CHECK(in(1, 0, 0x60, 4) == 0x0b0a0b0a);
    out(1, 0, 0x63, 0xff, 1);
    CHECK(in(1, 0, 0x63, 1) == 0x8f);      // bits 6:4 reserved
    TestDevice nic;
    bus.attach(nic, pci_devfn(3, 0));      // INTA# -> PIRQC -> IRQ 10
    nic.set_intx(true);
    CHECK(pic.level[10]);
    CHECK(ioapic.level[10]);
    nic.set_intx(false);
    CHECK_FALSE(pic.level[10]);
    // Re-routing moves a live interrupt.
    nic.set_intx(true);
    out(1, 0, 0x62, 0x05, 1);
    CHECK_FALSE(pic.level[10]);
    CHECK(pic.level[5]);
    CHECK(ioapic.level[5]);
}

TEST_CASE("piix3: reset control register at 0xCF9") {
    PciBus bus;
    Piix3 isa(nullptr);
    bus.attach(isa, pci_devfn(1, 0));
    bus.cf9 = &isa.reset_control_io();
    std::vector<bool> resets;
    isa.on_reset = [&](bool hard) { resets.push_back(hard); };
    bus.address_io().io_write(1, 0x02, 1);  // SYS_RST only: remembered, no reset
    CHECK(bus.address_io().io_read(1, 1) == 0x02);
    CHECK(resets.empty());
    bus.address_io().io_write(1, 0x06, 1);  // the FADT reset value
    REQUIRE(resets.size() == 1);
    CHECK(resets[0]);
    bus.address_io().io_write(1, 0x04, 1);  // CPU-only reset
    REQUIRE(resets.size() == 2);
    CHECK_FALSE(resets[1]);
}

TEST_CASE_FIXTURE(PciFixture, "piix4 pm: PMBA and PMREGMISC place the ACPI block") {
    Piix4Pm pm;
    bus.attach(pm, pci_devfn(1, 3));
    std::vector<std::pair<bool, uint16_t>> io;
    pm.on_pm_io_change = [&](bool on, uint16_t base) { io.push_back({on, base}); };
    CHECK(in(1, 3, 0x00, 4) == 0x71138086);
    CHECK(in(1, 3, 0x08, 4) == 0x06800003);  // bridge/other, rev 3
    CHECK(in(1, 3, 0x3d, 1) == 0x01);
    CHECK(in(1, 3, 0x40, 4) == 0x00000001);  // I/O space indicator
    out(1, 3, 0x40, 0xffffffff, 4);
    CHECK(in(1, 3, 0x40, 4) == 0x0000ffc1);  // 64-byte block
    CHECK(io.empty());                        // not enabled yet
    out(1, 3, 0x40, 0x0601, 4);
    out(1, 3, 0x80, 0x01, 1);
    REQUIRE(io.size() == 1);
    CHECK(io[0].first);
    CHECK(io[0].second == 0x600);
    out(1, 3, 0x40, 0xb001, 4);
    REQUIRE(io.size() == 2);
    CHECK(io[1].second == 0xb000);
    out(1, 3, 0x80, 0x00, 1);
    REQUIRE(io.size() == 3);
    CHECK_FALSE(io[2].first);
    Piix4Pm direct;
    direct.program_pm_base(0x600);
    CHECK(direct.pm_io_enabled());
    CHECK(direct.pm_base() == 0x600);
}

TEST_CASE_FIXTURE(PciFixture, "pci: random guest config and port traffic never breaks the host") {
    I440fx host;
    test::RecordingSink pic, ioapic;
    IsaIrqRouter router(&pic, &ioapic);
    bus.pirq_sink = &router.pirq_sink();
    Piix3 isa(&router);
    Piix4Pm pm;
    TestDevice dev;
    bus.attach(host, pci_devfn(0, 0));
    bus.attach(isa, pci_devfn(1, 0));
    bus.attach(pm, pci_devfn(1, 3));
    bus.attach(dev, pci_devfn(3, 0));
    bus.cf9 = &isa.reset_control_io();
    int resets = 0;
    isa.on_reset = [&](bool) { ++resets; };
    uint64_t x = 0xa4093822299f31d0ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int i = 0; i < 200000; ++i) {
        uint64_t r = next();
        unsigned size = 1u << ((r >> 2) & 3);
        unsigned port = unsigned(r & 7);
        IoHandler& h = port < 4 ? bus.address_io() : bus.data_io();
        if (port < 4 && (r & (1ull << 8))) {
            // Mostly valid addresses on our slots so the devices see traffic.
            h.io_write(0, 0x80000000u | unsigned((r >> 12) & 0x1f) << 11 | unsigned((r >> 20) & 7) << 8 |
                              unsigned((r >> 24) & 0xfc), 4);
        } else if (r & (1ull << 9)) {
            h.io_write(port & 3, next(), size);
        } else {
            (void)h.io_read(port & 3, size);
        }
        if ((r & 0xf0000000ull) == 0) dev.set_intx((r >> 32) & 1);
    }
    CHECK(host.config_read(0, 4) == 0x12378086);
}
