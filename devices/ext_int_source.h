// The 8259 PIC pair as the local APIC sees it: the INTR output and the INTA
// cycle. LINT0 in ExtINT mode (virtual wire) forwards these to the CPU.
#pragma once
#include <cstdint>

namespace petrel {

class ExtIntSource {
public:
    virtual ~ExtIntSource() = default;
    virtual bool intr_pending() = 0;  // the INTR pin's level
    virtual uint8_t inta() = 0;       // acknowledge: vector of the highest-priority request (spurious IRQ7/15 if none)
};

}  // namespace petrel
