// How the CPU sees interrupt controllers: it asks for a pending interrupt at
// each instruction boundary where IF allows, and acknowledges it to get the
// vector (the INTA cycle). The machine implements this with the local APIC,
// which forwards ExtINT to the 8259 PIC pair in virtual-wire mode.
#pragma once
#include <cstdint>

namespace petrel {

class InterruptController {
public:
    virtual ~InterruptController() = default;
    // A maskable interrupt is waiting (IF is the CPU's business, not this one's).
    virtual bool has_interrupt() = 0;
    // INTA: returns the vector and moves the interrupt to in-service.
    // If nothing is pending any more, returns the spurious vector.
    virtual uint8_t acknowledge() = 0;
    virtual bool has_nmi() { return false; }
    virtual void acknowledge_nmi() {}
    // CR8 / TPR, 4-bit task-priority class.
    virtual void set_tpr(uint8_t) {}
    virtual uint8_t tpr() { return 0; }
};

}  // namespace petrel
