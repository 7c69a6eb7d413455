// Small ports: isa-debug-exit status encoding, debugcon output and
// readback, ignored ports, and their placement on a port Bus.
#include <doctest/doctest.h>

#include "devices/debug_exit.h"
#include "devices/debugcon.h"
#include "devices/ignored_port.h"
#include "memory/bus.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

TEST_CASE("debug_exit: status is (value << 1) | 1") {
    int status = -1;
    DebugExit dev([&](int s) { status = s; });
    CHECK(dev.size() == 2);  // QEMU's default iosize
    dev.io_write(0, 0x00, 1);
    CHECK(status == 1);
    dev.io_write(0, 0x10, 1);
    CHECK(status == 0x21);
    CHECK(dev.io_read(0, 1) == 0);
}

TEST_CASE("debug_exit: the value has the width of the access") {
    int status = -1;
    DebugExit dev([&](int s) { status = s; }, 4);
    Bus io;
    io.map(0xf4, dev.size(), &dev, "isa-debug-exit");
    io.write(0xf4, 0x1234, 4);
    CHECK(status == 0x2469);
    io.write(0xf4, 0x1ff, 1);
    CHECK(status == 0x1ff);
    DebugExit odd([&](int s) { status = s; }, 0);  // nonsense size falls back to the default
    CHECK(odd.size() == 2);
}

TEST_CASE("debugcon: bytes to the backend, reads return 0xe9") {
    test::RecordingChar term;
    Debugcon con(&term);
    Bus io;
    io.map(0xe9, 1, &con, "debugcon");
    io.write(0xe9, 'o', 1);
    io.write(0xe9, 'k', 1);
    CHECK(term.bytes == std::vector<uint8_t>{'o', 'k'});
    CHECK(io.read(0xe9, 1) == 0xe9);
    Debugcon unplugged;
    unplugged.io_write(0, 'x', 1);  // no backend: dropped
}

TEST_CASE("ignored_port: POST and delay ports swallow writes and float high") {
    IgnoredPort dummy;
    Bus io;
    io.map(0x80, 1, &dummy, "post");
    io.map(0xed, 1, &dummy, "delay");
    io.write(0x80, 0x55, 1);
    CHECK(io.read(0x80, 1) == 0xff);
    CHECK(io.read(0xed, 2) == 0xffff);
}

// Random guest traffic on every port of every ISA device, with time moving:
// nothing may crash or trip the sanitizers (run under -Db_sanitize).
#include <random>

#include "devices/i8042.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/port61.h"
#include "devices/port92.h"
#include "devices/rtc.h"
#include "devices/uart.h"

TEST_CASE("isa devices: random port traffic is harmless") {
    Clock clock{ClockMode::Manual};
    Pic pic;
    Pit pit{clock};
    Port61 p61{pit, clock};
    Rtc rtc{clock, 1700000000};
    test::RecordingChar term;
    Uart uart{clock, &term};
    I8042 kbc;
    Port92 p92;
    pit.irq0().connect(&pic, 0);
    rtc.irq().connect(&pic, 8);
    uart.irq().connect(&pic, 4);
    kbc.irq1().connect(&pic, 1);
    kbc.irq12().connect(&pic, 12);
    IoHandler* handlers[] = {&pic.master_io(), &pic.slave_io(), &pic.elcr_io(), &pit, &p61, &rtc,
                             &uart, &kbc.data_io(), &kbc.command_io(), &p92};
    std::mt19937_64 rng(12345);
    for (int i = 0; i < 200'000; ++i) {
        IoHandler* h = handlers[rng() % std::size(handlers)];
        uint64_t offset = rng() % 10;
        unsigned size = 1u << (rng() % 3);
        if (rng() & 1) h->io_write(offset, rng(), size);
        else h->io_read(offset, size);
        if (rng() % 16 == 0) {
            clock.advance(rng() % 2'000'000);
            clock.run_expired();
        }
        if (rng() % 64 == 0 && uart.can_receive()) uart.receive(uint8_t(rng()));
        if (rng() % 64 == 0) kbc.key_event({uint8_t(rng()), uint8_t(rng())});
        if (rng() % 64 == 0) kbc.mouse_event(int(rng() % 2000) - 1000, int(rng() % 2000) - 1000, uint8_t(rng()));
        if (rng() % 32 == 0) pic.set_irq(unsigned(rng() % 20), rng() & 1);
        if (pic.intr_pending() && rng() % 4 == 0) pic.inta();
    }
    CHECK(true);
}
