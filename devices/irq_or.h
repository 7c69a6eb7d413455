// IrqOr: several interrupt outputs sharing one ISA IRQ input (COM1 and COM3
// on IRQ 4, COM2 and COM4 on IRQ 3). The line is high while any input is
// high; without this the last device to write would win.
#pragma once
#include <cstdint>

#include "devices/irq_line.h"

namespace petrel {

class IrqOr : public IrqSink {
public:
    IrqOr(IrqSink* sink, unsigned pin) : out_(sink, pin) {}
    // Input pins 0-31.
    void set_irq(unsigned pin, bool level) override {
        const uint32_t bit = 1u << (pin & 31);
        inputs_ = level ? inputs_ | bit : inputs_ & ~bit;
        if ((inputs_ != 0) != out_.level()) out_.set(inputs_ != 0);
    }
    bool level() const { return out_.level(); }

private:
    IrqLine out_;
    uint32_t inputs_ = 0;
};

}  // namespace petrel
