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
    CHECK(dev.size() == 1);
    dev.io_write(0, 0x00, 1);
    CHECK(status == 1);
    dev.io_write(0, 0x10, 1);
    CHECK(status == 0x21);
    CHECK(dev.io_read(0, 1) == 0);
}

TEST_CASE("debug_exit: wider window keeps the written width") {
    int status = -1;
    DebugExit dev([&](int s) { status = s; }, 4);
    CHECK(dev.size() == 4);
    dev.io_write(0, 0x1234, 2);
    CHECK(status == 0x2469);
    DebugExit narrow([&](int s) { status = s; }, 3);  // invalid size falls back to 1
    CHECK(narrow.size() == 1);
    narrow.io_write(0, 0x1ff, 2);
    CHECK(status == 0x1ff);
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
