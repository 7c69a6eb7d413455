// 82093AA I/O APIC: 24 interrupt inputs, each with a redirection entry that
// turns an input into an APIC message for the local APIC(s).
//
// Registers (indirect): IOREGSEL at offset 0x00 selects, IOWIN at 0x10 reads
// and writes the selected 32-bit register: 0x00 ID, 0x01 version (0x00170011:
// 24 entries, version 0x11), 0x02 arbitration ID, 0x10 + 2n / 0x11 + 2n the
// low / high half of redirection entry n. A version-0x20 part also has the
// EOI register at offset 0x40 (QEMU's default); this one does not unless
// constructed with version 0x20.
//
// Invariants:
//  - Pins carry the logical assertion level (true = asserted). Like QEMU the
//    polarity bit is stored but not applied: the board already delivers
//    "asserted", whatever the ACPI tables say about the wire.
//  - Edge entries send one message per rising edge while unmasked (an edge
//    that arrives masked is lost). Level entries send while the input is
//    asserted, unmasked and remote IRR is clear; sending sets remote IRR, and
//    the local APIC's EOI broadcast (eoi(vector)) clears it, re-sending if
//    the input is still asserted.
//  - Delivery status always reads idle: messages are delivered at once.
//  - Every guest index is bounds-checked; unknown registers read 0.
//
// The machine maps io() at 0xfec00000 (0x100 bytes is enough; the 82093AA
// decodes a 4 KiB window), sets on_message to the LAPIC's receive(), points
// the LAPIC's on_eoi_broadcast at eoi(), and connects ISA/PCI lines to the
// pins (through IsaIrqRouter for ISA IRQs and PIRQs).
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "devices/apic_message.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

constexpr unsigned kIoApicPins = 24;

struct IoApicState {
    uint8_t id = 0;              // bits 27:24 of register 0
    uint8_t regsel = 0;          // IOREGSEL
    std::array<uint64_t, kIoApicPins> redir{};  // redirection table
    uint32_t pin_levels = 0;     // input levels, bit n = pin n
};

class IoApic : public IoHandler, public IrqSink {
public:
    static constexpr uint64_t kWindowSize = 0x1000;
    explicit IoApic(uint8_t version = 0x11);

    // An APIC message for the local APIC(s); the machine routes it.
    std::function<void(const ApicMessage&)> on_message;

    void reset();

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    // IrqSink: pins 0-23.
    void set_irq(unsigned pin, bool level) override;

    // EOI broadcast from a local APIC for `vector`.
    void eoi(uint8_t vector);

    uint32_t version_register() const { return (kIoApicPins - 1) << 16 | version_; }
    uint64_t entry(unsigned pin) const { return pin < kIoApicPins ? state_.redir[pin] : 0; }
    const IoApicState& state() const { return state_; }

private:
    uint32_t read_register(uint8_t index) const;
    void write_register(uint8_t index, uint32_t value);
    // Sends the entry's message: edge entries on a rising edge (the caller's
    // check), level entries while asserted with remote IRR clear.
    void service(unsigned pin);

    uint8_t version_;
    IoApicState state_;
};

}  // namespace petrel
