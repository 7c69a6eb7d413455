// Interrupt wiring. A device owns an IrqLine and drives its level; whatever
// sits at the other end (PIC, IOAPIC, an ISA router fanning out to both) is an
// IrqSink. Edge-triggered devices pulse(). Tests plug in a recording sink.
#pragma once
#include <cstdint>

namespace petrel {

class IrqSink {
public:
    virtual ~IrqSink() = default;
    virtual void set_irq(unsigned pin, bool level) = 0;
};

class IrqLine {
public:
    IrqLine() = default;
    IrqLine(IrqSink* sink, unsigned pin) : sink_(sink), pin_(pin) {}
    void connect(IrqSink* sink, unsigned pin) { sink_ = sink; pin_ = pin; }
    void set(bool level) {
        level_ = level;
        if (sink_) sink_->set_irq(pin_, level);
    }
    void raise() { set(true); }
    void lower() { set(false); }
    void pulse() { set(true); set(false); }
    bool level() const { return level_; }

private:
    IrqSink* sink_ = nullptr;
    unsigned pin_ = 0;
    bool level_ = false;
};

}  // namespace petrel
