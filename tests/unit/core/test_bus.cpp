#include <doctest/doctest.h>

#include <stdexcept>

#include "memory/bus.h"

using namespace petrel;

namespace {
struct Recorder : IoHandler {
    uint64_t last_offset = ~0ull, last_value = 0;
    unsigned last_size = 0;
    uint64_t io_read(uint64_t offset, unsigned size) override {
        last_offset = offset;
        last_size = size;
        return 0x1122334455667788ull;
    }
    void io_write(uint64_t offset, uint64_t value, unsigned size) override {
        last_offset = offset;
        last_value = value;
        last_size = size;
    }
};
}  // namespace

TEST_CASE("bus: devices see offsets inside their window") {
    Bus bus;
    Recorder a, b;
    bus.map(0x3f8, 8, &a, "com1");
    bus.map(0x60, 1, &b, "kbd");
    bus.write(0x3fb, 0x1ff, 1);
    CHECK(a.last_offset == 3);
    CHECK(a.last_value == 0xff);  // truncated to the access size
    CHECK(bus.read(0x3f8, 2) == 0x7788);
    CHECK(bus.read(0x61, 1) == 0xff);  // unmapped floats high
    CHECK(bus.read(0x1000, 4) == 0xffffffffu);
}

TEST_CASE("bus: overlapping windows are refused") {
    Bus bus;
    Recorder a, b;
    bus.map(0x100, 0x10, &a, "a");
    CHECK_THROWS_AS(bus.map(0x10f, 1, &b, "b"), std::logic_error);
    CHECK_THROWS_AS(bus.map(0xf0, 0x11, &b, "b"), std::logic_error);
    CHECK_NOTHROW(bus.map(0x110, 1, &b, "b"));
    CHECK_FALSE(bus.remap(&b, 0x100));
    CHECK(bus.find(0x110)->handler == &b);
    CHECK(bus.remap(&b, 0x200));
    CHECK(bus.find(0x200)->handler == &b);
}
