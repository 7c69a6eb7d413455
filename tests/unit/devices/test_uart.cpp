// 16550A at the port level: divisor latch, scratch, immediate TX with THRE
// interrupt semantics, RX FIFO trigger levels, overrun, character timeout,
// IIR priorities, loopback and modem status deltas, OUT2 IRQ gating.
#include <doctest/doctest.h>

#include "devices/uart.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

enum : unsigned { RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

struct UartFixture {
    Clock clock{ClockMode::Manual};
    test::RecordingChar term;
    Uart uart{clock, &term};
    test::RecordingSink pic;
    UartFixture() { uart.irq().connect(&pic, 4); }
    void out(unsigned reg, uint8_t v) { uart.io_write(reg, v, 1); }
    uint8_t in(unsigned reg) { return uint8_t(uart.io_read(reg, 1)); }
    void step(uint64_t ns) { clock.advance(ns); clock.run_expired(); }
};

constexpr uint64_t kCharNs = 10 * 12 * 16 * 1'000'000'000ull / 1843200;  // 8N1 at 9600

}  // namespace

TEST_CASE_FIXTURE(UartFixture, "uart: scratch register and divisor latch") {
    out(SCR, 0xa5);
    CHECK(in(SCR) == 0xa5);
    out(LCR, 0x83);
    out(RBR, 0x01);
    out(IER, 0x00);
    CHECK(in(RBR) == 0x01);
    CHECK(in(IER) == 0x00);
    out(LCR, 0x03);
    CHECK(in(LCR) == 0x03);
    CHECK(in(IER) == 0x00);
    CHECK(uart.state().divisor == 1);
    CHECK(term.bytes.empty());  // DLL writes are not data
}

TEST_CASE_FIXTURE(UartFixture, "uart: transmit is immediate; THRE and TEMT stay set") {
    CHECK(in(LSR) == 0x60);
    out(RBR, 'h');
    out(RBR, 'i');
    CHECK(term.bytes == std::vector<uint8_t>{'h', 'i'});
    CHECK(in(LSR) == 0x60);
    CHECK(in(IIR) == 0x01);
}

TEST_CASE_FIXTURE(UartFixture, "uart: THRE interrupt raised by IER, cleared by IIR read, re-raised by THR write") {
    out(MCR, 0x08);  // OUT2 connects the IRQ
    out(IER, 0x02);
    CHECK(pic.level[4]);
    CHECK(in(IIR) == 0x02);
    CHECK_FALSE(pic.level[4]);
    CHECK(in(IIR) == 0x01);
    int rises = pic.rises[4];
    out(RBR, 'x');
    CHECK(pic.level[4]);
    CHECK(pic.rises[4] == rises + 1);
    CHECK(in(IIR) == 0x02);
    // Rewriting IER with THRE enabled while THR is empty raises it again.
    out(IER, 0x02);
    CHECK(pic.level[4]);
    CHECK(in(IIR) == 0x02);
}

TEST_CASE_FIXTURE(UartFixture, "uart: OUT2 gates the interrupt line") {
    out(IER, 0x02);
    CHECK((in(IIR) & 1) == 0);
    out(IER, 0x02);
    CHECK_FALSE(pic.level[4]);
    out(MCR, 0x08);
    CHECK(pic.level[4]);
    out(MCR, 0x00);
    CHECK_FALSE(pic.level[4]);
}

TEST_CASE_FIXTURE(UartFixture, "uart: non-FIFO receive, overrun and line status priority") {
    out(MCR, 0x08);
    out(IER, 0x05);  // RDA + RLS
    CHECK(uart.can_receive());
    uart.receive('a');
    CHECK_FALSE(uart.can_receive());
    CHECK(pic.level[4]);
    CHECK(in(IIR) == 0x04);
    CHECK((in(LSR) & 0x01) == 0x01);
    uart.receive('b');  // overrun: RBR overwritten
    CHECK(in(IIR) == 0x06);
    CHECK(in(LSR) == 0x63);  // DR | OE | THRE | TEMT; reading clears OE
    CHECK(in(IIR) == 0x04);
    CHECK(in(RBR) == 'b');
    CHECK(in(IIR) == 0x01);
    CHECK_FALSE(pic.level[4]);
    CHECK(in(LSR) == 0x60);
    CHECK(in(RBR) == 'b');  // empty RBR shows the last byte
}

TEST_CASE_FIXTURE(UartFixture, "uart: FIFO trigger levels") {
    out(FCR, 0x87);  // enable, clear, trigger 8
    CHECK(in(IIR) == 0xc1);
    out(MCR, 0x08);
    out(IER, 0x01);
    for (int i = 0; i < 7; ++i) uart.receive(uint8_t('0' + i));
    CHECK(in(IIR) == 0xc1);
    CHECK_FALSE(pic.level[4]);
    uart.receive('7');
    CHECK(in(IIR) == 0xc4);
    CHECK(pic.level[4]);
    CHECK(in(RBR) == '0');
    CHECK(in(IIR) == 0xc1);  // below the trigger again
    for (int i = 1; i < 8; ++i) CHECK(in(RBR) == uint8_t('0' + i));
    CHECK((in(LSR) & 1) == 0);
    // Trigger 14, and the FIFO holds exactly 16.
    out(FCR, 0xc1);
    for (int i = 0; i < 16; ++i) {
        CHECK(uart.can_receive());
        uart.receive(uint8_t(i));
    }
    CHECK_FALSE(uart.can_receive());
    uart.receive(0xee);  // overrun: the FIFO keeps its 16
    CHECK((in(LSR) & 0x02) == 0x02);
    for (int i = 0; i < 16; ++i) CHECK(in(RBR) == uint8_t(i));
    // FCR bit 1 clears the RX FIFO.
    uart.receive(1);
    out(FCR, 0xc3);
    CHECK((in(LSR) & 1) == 0);
}

TEST_CASE_FIXTURE(UartFixture, "uart: character timeout after four character times") {
    out(FCR, 0x81);  // trigger 8
    out(MCR, 0x08);
    out(IER, 0x01);
    uart.receive('a');
    uart.receive('b');
    step(4 * kCharNs - 1000);
    CHECK(in(IIR) == 0xc1);
    step(2000);
    CHECK(in(IIR) == 0xcc);
    CHECK(pic.level[4]);
    CHECK(in(RBR) == 'a');  // reading clears the timeout and restarts it
    CHECK(in(IIR) == 0xc1);
    step(4 * kCharNs + 1000);
    CHECK(in(IIR) == 0xcc);
    CHECK(in(RBR) == 'b');
    step(10 * kCharNs);
    CHECK(in(IIR) == 0xc1);  // empty FIFO: no timeout
}

TEST_CASE_FIXTURE(UartFixture, "uart: IIR priority order") {
    out(FCR, 0x01);  // trigger 1
    out(MCR, 0x08);
    out(IER, 0x0f);
    uart.set_modem_inputs(false, true, false, true);  // CTS drops: DCTS
    for (int i = 0; i < 17; ++i) uart.receive('z');    // data + overrun
    CHECK(in(IIR) == 0xc6);  // line status first
    in(LSR);
    CHECK(in(IIR) == 0xc4);  // then received data
    while (in(LSR) & 1) in(RBR);
    CHECK(in(IIR) == 0xc2);  // then THR empty (raised by the IER write)
    CHECK(in(IIR) == 0xc0);  // then modem status
    CHECK((in(MSR) & 0x0f) == 0x01);
    CHECK(in(IIR) == 0xc1);
    CHECK_FALSE(pic.level[4]);
}

TEST_CASE_FIXTURE(UartFixture, "uart: loopback echoes THR into RBR and outputs into MSR") {
    out(MCR, 0x1a);  // LOOP | OUT2 | RTS
    CHECK((in(MSR) & 0xf0) == 0x90);  // DCD (OUT2) and CTS (RTS)
    out(RBR, 0x55);
    CHECK(term.bytes.empty());
    CHECK((in(LSR) & 1) == 1);
    CHECK(in(RBR) == 0x55);
    CHECK_FALSE(uart.can_receive());  // host input is disconnected
    out(MCR, 0x15);  // LOOP | OUT1 | DTR
    CHECK((in(MSR) & 0xf0) == 0x60);
    out(MCR, 0x11);  // OUT1 drops: RI trailing edge
    CHECK((in(MSR) & 0x04) == 0x04);
    out(MCR, 0x00);
    CHECK((in(MSR) & 0xf0) == 0xb0);  // host lines back
}

TEST_CASE_FIXTURE(UartFixture, "uart: modem status interrupt and out-of-range offsets") {
    out(MCR, 0x08);
    out(IER, 0x08);
    CHECK_FALSE(pic.level[4]);
    uart.set_modem_inputs(true, true, true, true);  // RI rising edge: no delta
    CHECK_FALSE(pic.level[4]);
    uart.set_modem_inputs(false, true, true, true);  // CTS drops
    CHECK(pic.level[4]);
    CHECK(in(IIR) == 0x00);
    CHECK(in(MSR) == 0xe1);
    CHECK_FALSE(pic.level[4]);
    uart.io_write(100, 1, 1);
    CHECK(uart.io_read(100, 1) == 0xff);
}
