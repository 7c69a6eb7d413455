#include "devices/port61.h"

namespace petrel {

namespace {
constexpr uint64_t kRefreshPeriodNs = 15085;  // DRAM refresh request, every 15.085 us
}

uint64_t Port61::io_read(uint64_t, unsigned) {
    uint8_t v = state_.control & 0x0f;
    if ((clock_.now_ns() / kRefreshPeriodNs) & 1) v |= 0x10;
    if (pit_.out(2)) v |= 0x20;
    return v;
}

void Port61::io_write(uint64_t, uint64_t value, unsigned) {
    bool was_on = (state_.control & 3) == 3;
    state_.control = uint8_t(value) & 0x0f;
    pit_.set_gate(2, value & 1);
    bool on = (state_.control & 3) == 3;
    if (on != was_on && on_speaker) on_speaker(on);
}

}  // namespace petrel
