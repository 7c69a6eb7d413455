// Recording fakes for device tests: an IrqSink that remembers pin levels and
// counts rising edges, and a CharBackend that collects written bytes.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "devices/char_backend.h"
#include "devices/irq_line.h"

namespace petrel::test {

struct RecordingSink : IrqSink {
    std::array<bool, 32> level{};
    std::array<int, 32> rises{};
    void set_irq(unsigned pin, bool l) override {
        if (pin >= level.size()) return;
        if (l && !level[pin]) ++rises[pin];
        level[pin] = l;
    }
};

struct RecordingChar : CharBackend {
    std::vector<uint8_t> bytes;
    void write_byte(uint8_t b) override { bytes.push_back(b); }
};

}  // namespace petrel::test
