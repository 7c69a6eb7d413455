// Port 0x92, System Control Port A (PS/2 "fast A20 and reset" port):
//   bit 0  fast reset: writing 1 (from 0) resets the CPU; reads back as 0
//          once the reset has been requested
//   bit 1  fast A20 gate
//   other bits are kept (password lock, activity LED) without effect.
// A20 is reported through on_a20 on every change; the machine ORs it with
// the 8042's A20 output. The machine maps Port92 at 0x92 (1 port).
#pragma once
#include <cstdint>
#include <functional>

#include "memory/bus.h"

namespace petrel {

struct Port92State {
    uint8_t value = 0;
};

class Port92 : public IoHandler {
public:
    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    std::function<void(bool)> on_a20;
    std::function<void()> on_reset;

    bool a20() const { return state_.value & 0x02; }
    void reset() { state_ = Port92State{}; }
    const Port92State& state() const { return state_; }

private:
    Port92State state_;
};

}  // namespace petrel
