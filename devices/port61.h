// Port 0x61, "System Control Port B" of the PC/AT (PIIX NMI status and
// control register), reduced to what software uses:
//   bit 0  PIT channel 2 gate (read/write)
//   bit 1  speaker data enable (read/write)
//   bits 2-3 parity / IOCHK NMI enables (kept, no NMI sources are modelled)
//   bit 4  refresh request toggle: flips every 15.085 us of virtual time
//          (delay loops in firmware count these)
//   bit 5  PIT channel 2 OUT
//   bits 6-7 NMI sources, always 0.
// The machine maps it at 0x61 (1 port).
#pragma once
#include <cstdint>
#include <functional>

#include "devices/clock.h"
#include "devices/pit.h"
#include "memory/bus.h"

namespace petrel {

struct Port61State {
    uint8_t control = 0;  // bits 0-3 as last written
};

class Port61 : public IoHandler {
public:
    Port61(Pit& pit, Clock& clock) : pit_(pit), clock_(clock) {}

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    // Speaker gate (bit 0 and bit 1 both set) for a future audio backend.
    std::function<void(bool)> on_speaker;

    void reset() { io_write(0, 0, 1); }
    const Port61State& state() const { return state_; }

private:
    Pit& pit_;
    Clock& clock_;
    Port61State state_;
};

}  // namespace petrel
