// An APIC interrupt message: what an IOAPIC redirection entry or a local
// APIC's ICR sends to local APICs (the "APIC bus" / system-bus message).
// Shared by lapic and ioapic so neither needs to know the other's class.
#pragma once
#include <cstdint>

namespace petrel {

// Delivery mode field, as encoded in ICR bits 10:8 and redirection entries.
enum class ApicDelivery : uint8_t {
    Fixed = 0,
    LowestPriority = 1,
    Smi = 2,
    Nmi = 4,
    Init = 5,
    StartUp = 6,
    ExtInt = 7,
};

// ICR destination shorthand (bits 19:18).
enum class ApicShorthand : uint8_t { None = 0, Self = 1, AllIncludingSelf = 2, AllExcludingSelf = 3 };

struct ApicMessage {
    uint8_t vector = 0;
    ApicDelivery mode = ApicDelivery::Fixed;
    bool logical = false;          // destination mode: logical (LDR/DFR match) or physical (APIC ID)
    bool level_triggered = false;  // sets the TMR bit; EOI then broadcasts to the IOAPICs
    bool assert_level = true;      // ICR level bit (INIT de-assert sends false)
    uint8_t dest = 0;              // xAPIC 8-bit destination; 0xff broadcasts
    ApicShorthand shorthand = ApicShorthand::None;
    uint8_t source_id = 0;         // sending APIC's ID (IPIs only)
};

}  // namespace petrel
