// The pc board's wiring, through the ports and MMIO a guest uses: interrupt
// paths (PIT -> PIC -> LAPIC virtual wire, PIT -> IOAPIC pin 2, COM1 ->
// IOAPIC pin 4, HPET legacy replacement), the board signals (power-off
// through PM1a_CNT, isa-debug-exit, resets through 0xCF9 / 0x64 / 0x92, the
// A20 line) and the CMOS memory size.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "bios/pc_platform.h"
#include "machine/pc_board.h"

using namespace petrel;

namespace {

struct BoardFixture {
    Clock clock{ClockMode::Manual};
    PhysicalMemory mem{64ull << 20};
    Bus io;
    int power_offs = 0;
    std::vector<int> exits;
    std::vector<std::string> resets;
    std::vector<bool> a20;
    PcBoard board;

    static PcBoardConfig config() {
        PcBoardConfig c;
        c.debug_exit.push_back({0xf4, 4});
        return c;
    }
    PcBoardSignals signals() {
        PcBoardSignals s;
        s.power_off = [this] { ++power_offs; };
        s.debug_exit = [this](int st) { exits.push_back(st); };
        s.reset = [this](const char* why) { resets.push_back(why); };
        s.a20 = [this](bool on) { a20.push_back(on); };
        return s;
    }
    BoardFixture() : board(clock, mem, io, config(), signals()) {}

    void out8(uint16_t port, uint8_t v) { io.write(port, v, 1); }
    uint8_t in8(uint16_t port) { return uint8_t(io.read(port, 1)); }
    void mmio32(uint64_t addr, uint32_t v) { mem.write(addr, v, 4); }
    uint32_t mmio32(uint64_t addr) { return uint32_t(mem.read(addr, 4)); }
    void step_ns(uint64_t ns) {
        clock.advance(ns);
        clock.run_expired();
    }

    // The PC/AT initialization every OS does: master at vector 0x20, slave at
    // 0x28 cascaded on IRQ 2, 8086 mode; then the masks.
    void init_pics(uint8_t master_mask, uint8_t slave_mask) {
        out8(0x20, 0x11); out8(0x21, 0x20); out8(0x21, 0x04); out8(0x21, 0x01);
        out8(0xa0, 0x11); out8(0xa1, 0x28); out8(0xa1, 0x02); out8(0xa1, 0x01);
        out8(0x21, master_mask);
        out8(0xa1, slave_mask);
    }
    // PIT channel 0, mode 2 (rate generator), the given count.
    void start_pit(uint16_t count) {
        out8(0x43, 0x34);
        out8(0x40, uint8_t(count));
        out8(0x40, uint8_t(count >> 8));
    }
    void ioapic_route(unsigned pin, uint8_t vector) {
        mmio32(pc::kIoApicBase, 0x11 + 2 * pin);
        mmio32(pc::kIoApicBase + 0x10, 0);           // destination APIC 0
        mmio32(pc::kIoApicBase, 0x10 + 2 * pin);
        mmio32(pc::kIoApicBase + 0x10, vector);      // fixed, physical, edge, high, unmasked
    }
    void enable_lapic() { mmio32(Lapic::kDefaultBase + 0xf0, 0x1ff); }
};

}  // namespace

TEST_CASE_FIXTURE(BoardFixture, "pc board: PIT IRQ 0 reaches the CPU through the PIC and the LAPIC's virtual wire") {
    init_pics(0xfe, 0xff);
    CHECK_FALSE(board.lapic().has_interrupt());
    start_pit(1193);  // ~1 ms
    step_ns(2'000'000);
    REQUIRE(board.lapic().has_interrupt());
    CHECK(board.lapic().acknowledge() == 0x20);
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: ISA IRQ 0 is IOAPIC pin 2, COM1 is pin 4") {
    init_pics(0xff, 0xff);  // PIC fully masked: only the IOAPIC path may deliver
    enable_lapic();
    ioapic_route(2, 0x30);
    ioapic_route(4, 0x34);
    start_pit(1193);
    step_ns(2'000'000);
    REQUIRE(board.lapic().has_interrupt());
    CHECK(board.lapic().acknowledge() == 0x30);
    mmio32(Lapic::kDefaultBase + 0xb0, 0);  // EOI

    // COM1: OUT2 gates the IRQ; an empty transmitter with ETBEI interrupts.
    out8(0x3f8 + 4, 0x08);  // MCR.OUT2
    out8(0x3f8 + 1, 0x02);  // IER.ETBEI
    bool got_com1 = false;
    for (int i = 0; i < 4 && board.lapic().has_interrupt(); ++i) {
        uint8_t v = board.lapic().acknowledge();
        mmio32(Lapic::kDefaultBase + 0xb0, 0);
        if (v == 0x34) got_com1 = true;
    }
    CHECK(got_com1);
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: HPET legacy replacement takes IRQ 0 from the PIT") {
    init_pics(0xfe, 0xff);
    start_pit(1193);
    step_ns(2'000'000);
    REQUIRE(board.lapic().has_interrupt());
    board.lapic().acknowledge();
    out8(0x20, 0x20);  // EOI
    // HPET: enable with legacy replacement; timer 0 left disabled.
    mem.write(pc::kHpetBase + 0x10, 0x3, 8);
    step_ns(5'000'000);
    CHECK_FALSE(board.lapic().has_interrupt());  // the PIT no longer reaches IRQ 0
    mem.write(pc::kHpetBase + 0x10, 0x0, 8);     // back to the PIT
    step_ns(2'000'000);
    CHECK(board.lapic().has_interrupt());
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: isa-debug-exit gives (value << 1) | 1") {
    io.write(0xf4, 0x10, 4);
    REQUIRE(exits.size() == 1);
    CHECK(exits[0] == 0x21);
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: ACPI soft-off through PM1a_CNT once the PM base is programmed") {
    const uint16_t slp_en_s5 = uint16_t((1u << 13) | (pc::kAcpiSlpTypS5 << 10));
    io.write(pc::kAcpiPm1aCnt, slp_en_s5, 2);
    CHECK(power_offs == 0);  // PM I/O not enabled yet: the port does not decode
    board.program_firmware_defaults();
    io.write(pc::kAcpiPm1aCnt, slp_en_s5, 2);
    CHECK(power_offs == 1);
    // The PM timer runs at 3.579545 MHz.
    uint32_t t0 = uint32_t(io.read(pc::kAcpiPmTmr, 4));
    step_ns(1'000'000);
    uint32_t t1 = uint32_t(io.read(pc::kAcpiPmTmr, 4));
    CHECK(((t1 - t0) & 0xffffff) == doctest::Approx(3580).epsilon(0.01));
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: resets from 0xCF9, the keyboard controller and port 92h") {
    out8(pc::kResetPort, 0x02);  // SYS_RST set, no reset yet
    out8(pc::kResetPort, pc::kResetValue);
    REQUIRE(resets.size() == 1);
    out8(0x64, 0xfe);            // pulse output port bit 0
    REQUIRE(resets.size() == 2);
    out8(0x92, 0x01);            // fast reset
    CHECK(resets.size() == 3);
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: A20 is the OR of the keyboard controller and port 92h") {
    CHECK(board.a20());  // the keyboard controller's output port enables it at reset
    out8(0x92, 0x02);    // port 92h on as well
    out8(0x64, 0xd1);    // write output port: A20 off, reset line inactive
    out8(0x60, 0xdd);
    CHECK(board.a20());  // still on through port 92h
    out8(0x92, 0x00);
    CHECK_FALSE(board.a20());
    REQUIRE_FALSE(a20.empty());
    CHECK(a20.back() == false);
    out8(0x92, 0x02);
    CHECK(board.a20());
    CHECK(a20.back() == true);
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: CMOS holds the memory size and PCI config reaches the host bridge") {
    // Extended memory above 1 MiB in KiB (0x17/0x18, capped at 63 MiB),
    // and above 16 MiB in 64 KiB units (0x34/0x35).
    auto cmos = [this](uint8_t i) { out8(0x70, i); return in8(0x71); };
    CHECK((cmos(0x17) | cmos(0x18) << 8) == 63 * 1024);
    CHECK((cmos(0x34) | cmos(0x35) << 8) == (64 - 16) * 16);
    io.write(0xcf8, 0x80000000u, 4);  // bus 0, device 0, function 0, register 0
    CHECK(uint32_t(io.read(0xcfc, 4)) == 0x12378086u);  // i440FX host bridge
    io.write(0xcf8, 0x80000800u, 4);  // 00:01.0
    CHECK(uint32_t(io.read(0xcfc, 4)) == 0x70008086u);  // PIIX3 ISA bridge
}

TEST_CASE("pc board: COM1-COM4 at their ports; COM1 and COM3 share IRQ 4 without masking each other") {
    Clock clock{ClockMode::Manual};
    PhysicalMemory mem{32ull << 20};
    Bus io;
    PcBoardConfig cfg;
    cfg.serial = {nullptr, nullptr, nullptr, nullptr};
    PcBoard board(clock, mem, io, cfg, PcBoardSignals{});
    REQUIRE(board.serial_count() == 4);
    for (uint16_t base : {0x3f8, 0x2f8, 0x3e8, 0x2e8}) {
        io.write(base + 7, 0x5a, 1);  // scratch register
        CHECK(io.read(base + 7, 1) == 0x5a);
    }
    // Without a -serial for them, COM2-COM4 do not exist.
    PhysicalMemory mem2{32ull << 20};
    Bus io2;
    PcBoard one(clock, mem2, io2, PcBoardConfig{}, PcBoardSignals{});
    CHECK(one.serial_count() == 1);
    CHECK(io2.read(0x2f8 + 7, 1) == 0xff);

    // PICs: master vector 0x20, only IRQ 4 unmasked.
    for (auto [port, v] : std::initializer_list<std::pair<uint16_t, uint8_t>>{
             {0x20, 0x11}, {0x21, 0x20}, {0x21, 0x04}, {0x21, 0x01}, {0x21, 0xef}})
        io.write(port, v, 1);
    io.write(0x4d0, 0x10, 1);  // ELCR: IRQ 4 level-triggered, so the PIC follows the line's level
    auto arm_thre = [&](uint16_t base, bool on) {
        io.write(base + 4, on ? 0x08 : 0x00, 1);  // MCR.OUT2 gates the IRQ
        io.write(base + 1, on ? 0x02 : 0x00, 1);  // IER.ETBEI
    };
    arm_thre(0x3f8, true);   // COM1 asserts IRQ 4
    arm_thre(0x3e8, true);   // COM3 too ...
    arm_thre(0x3e8, false);  // ... and low again: must not pull IRQ 4 down under COM1
    CHECK(board.lapic().has_interrupt());
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: firmware defaults route PIRQA-D to IRQ 10/10/11/11, level-triggered") {
    board.program_firmware_defaults();
    io.write(0xcf8, 0x80000860u, 4);  // 00:01.0 register 0x60: PIRQRC[A-D]
    CHECK(uint32_t(io.read(0xcfc, 4)) == 0x0b0b0a0au);
    CHECK(io.read(0x4d1, 1) == 0x0c);  // ELCR2: IRQ 10 and 11 level
}

TEST_CASE_FIXTURE(BoardFixture, "pc board: FERR# raises IRQ 13 until port 0xF0 is written") {
    init_pics(0xfb, 0xdf);  // cascade (IRQ 2) and IRQ 13 unmasked
    io.write(0x4d1, 0x20, 1);  // IRQ 13 level-triggered: the PIC follows the latch
    CHECK_FALSE(board.lapic().has_interrupt());
    board.fpu_error();
    REQUIRE(board.lapic().has_interrupt());
    CHECK(board.lapic().acknowledge() == 0x28 + 5);
    out8(0xa0, 0x20);  // EOI slave, master
    out8(0x20, 0x20);
    out8(0xf0, 0);     // clear the latch
    CHECK_FALSE(board.lapic().has_interrupt());
}
