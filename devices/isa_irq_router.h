// The PIIX3's interrupt wiring between devices and the two interrupt
// controllers of the pc board.
//
// ISA IRQ n (the IrqSink pins 0-15) drives 8259 input n and I/O APIC input n,
// except IRQ0 (the PIT), which reaches I/O APIC input 2: the MADT's interrupt
// source override 0 -> GSI 2 that Linux expects on QEMU's pc machine. I/O
// APIC input 0 is left unconnected (as on QEMU), and ISA IRQ2 — the cascade on
// the 8259 side — reaches neither.
//
// PCI INTx arrives on PIRQA#-D# (pirq_sink() pins 0-3, from PciBus). Each
// PIRQ is steered by its PIIX3 route register (0x60-0x63: bit 7 disables,
// bits 3:0 pick IRQ 3-7, 9-12, 14 or 15) onto an ISA IRQ, where it is ORed
// with that IRQ's ISA line and so reaches both controllers like any ISA
// interrupt (QEMU's pc DSDT points the PCI links at those ISA IRQs).
//
// Outputs are reported only when the ORed level changes.
#pragma once
#include <array>
#include <cstdint>

#include "devices/irq_line.h"

namespace petrel {

struct IsaIrqRouterState {
    uint16_t isa_levels = 0;                     // bit n: ISA IRQ n line
    uint8_t pirq_levels = 0;                     // bit n: PIRQ n line
    std::array<uint8_t, 4> pirq_route{0x80, 0x80, 0x80, 0x80};  // PIIX3 0x60-0x63 images
    uint16_t output = 0;                         // last level driven per ISA IRQ
};

class IsaIrqRouter : public IrqSink {
public:
    static constexpr unsigned kIsaIrqs = 16;
    static constexpr unsigned kPirqs = 4;

    // Either controller may be null (tests, or a board without an IOAPIC).
    IsaIrqRouter(IrqSink* pic, IrqSink* ioapic);

    // IrqSink: ISA IRQ 0-15.
    void set_irq(unsigned irq, bool level) override;
    // PIRQA#-D# as pins 0-3.
    IrqSink& pirq_sink() { return pirq_sink_; }
    // PIIX3 PIRQ route register value for PIRQ n (0-3).
    void set_pirq_route(unsigned pirq, uint8_t reg);

    // The ISA IRQ a PIRQ route register selects, or -1 (disabled / reserved).
    static int routed_irq(uint8_t reg);
    static unsigned ioapic_pin(unsigned isa_irq) { return isa_irq == 0 ? 2 : isa_irq; }
    const IsaIrqRouterState& state() const { return state_; }

private:
    struct PirqSink : IrqSink {
        explicit PirqSink(IsaIrqRouter& r) : router(r) {}
        void set_irq(unsigned pin, bool level) override;
        IsaIrqRouter& router;
    };

    bool level_of(unsigned irq) const;
    void update(unsigned irq);
    void update_all();

    IrqSink* pic_;
    IrqSink* ioapic_;
    IsaIrqRouterState state_;
    PirqSink pirq_sink_{*this};
};

}  // namespace petrel
