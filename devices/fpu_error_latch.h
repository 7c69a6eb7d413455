// The PC's FERR# wiring: with CR0.NE = 0 an unmasked x87 exception asserts
// the CPU's FERR# output, which the chipset latches onto IRQ 13; a write to
// port 0xF0 clears the latch (and, on the real board, asserts IGNNE#).
#pragma once
#include <cstdint>

#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

class FpuErrorLatch : public IoHandler {
public:
    IrqLine& irq13() { return irq_; }
    void assert_ferr() { irq_.set(true); }
    uint64_t io_read(uint64_t, unsigned size) override { return all_ones(size); }
    void io_write(uint64_t, uint64_t, unsigned) override { irq_.set(false); }
    void reset() { irq_.set(false); }

private:
    IrqLine irq_;
};

}  // namespace petrel
