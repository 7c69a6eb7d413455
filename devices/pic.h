// 8259A programmable interrupt controller, the PC's master/slave pair.
//
// The slave's INT output feeds master input 2 (cascade). Inputs 0-15 of the
// IrqSink are the ISA IRQs; pin 2 is the cascade itself and ignores devices.
// Trigger mode per input comes from the PIIX ELCR pair (ports 0x4d0/0x4d1),
// not from ICW1.LTIM, as on every PCI-era chipset.
//
// Invariants:
//  - Edge inputs latch IRR on a rising edge and keep it until acknowledged
//    (so IrqLine::pulse() works); level inputs make IRR follow the pin.
//  - The master's input 2 is the slave's output: latched like an edge input
//    (a slave request that vanishes before INTA gives spurious IRQ15 with
//    master IRQ2 in service, as on hardware), and re-latched while the slave
//    still requests, so further slave requests never need a fresh edge.
//  - The INTR output is recomputed after every change and reported through
//    intr_line() only when it changes.
//
// The machine maps master_io() at 0x20 (2 ports), slave_io() at 0xa0 (2) and
// elcr_io() at 0x4d0 (2); connects every ISA device line to this IrqSink; and
// connects intr_line() to whatever kicks the CPU (LAPIC LINT0 / run loop).
#pragma once
#include <cstdint>

#include "devices/ext_int_source.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

// Everything one 8259A remembers; plain data so it can be serialized.
struct PicChipState {
    uint8_t irr = 0;           // interrupt request register
    uint8_t isr = 0;           // in-service register
    uint8_t imr = 0;           // interrupt mask register (OCW1)
    uint8_t pins = 0;          // current input levels
    uint8_t elcr = 0;          // 1 = level-triggered input
    uint8_t vector_base = 0;   // ICW2 & 0xf8
    uint8_t icw3 = 0;          // cascade wiring as the guest programmed it
    uint8_t lowest_prio = 7;   // input with the lowest priority (rotation)
    uint8_t init_step = 0;     // 0 = operational; 2/3/4 = expecting ICWn
    bool icw4_needed = false;
    bool single = false;       // ICW1.SNGL
    bool auto_eoi = false;     // ICW4.AEOI
    bool rotate_on_aeoi = false;
    bool special_fully_nested = false;  // ICW4.SFNM
    bool special_mask = false;          // OCW3 SMM
    bool read_isr = false;              // OCW3 RR/RIS: status read selects ISR
    bool poll = false;                  // OCW3 P: next read is a poll
};

struct PicState {
    PicChipState chip[2];      // [0] master, [1] slave
    bool intr = false;         // last reported INTR level
};

class Pic : public IrqSink, public ExtIntSource {
public:
    Pic();

    // IrqSink: ISA IRQ 0-15.
    void set_irq(unsigned pin, bool level) override;
    // ExtIntSource: the INTR pin and the INTA cycle.
    bool intr_pending() override { return state_.intr; }
    uint8_t inta() override;

    IoHandler& master_io() { return master_io_; }
    IoHandler& slave_io() { return slave_io_; }
    IoHandler& elcr_io() { return elcr_io_; }
    // INTR output; raised/lowered on each change.
    IrqLine& intr_line() { return intr_; }

    void reset();
    const PicState& state() const { return state_; }

private:
    class ChipIo : public IoHandler {
    public:
        ChipIo(Pic& pic, int idx) : pic_(pic), idx_(idx) {}
        uint64_t io_read(uint64_t offset, unsigned size) override;
        void io_write(uint64_t offset, uint64_t value, unsigned size) override;
    private:
        Pic& pic_;
        int idx_;
    };
    class ElcrIo : public IoHandler {
    public:
        explicit ElcrIo(Pic& pic) : pic_(pic) {}
        uint64_t io_read(uint64_t offset, unsigned size) override;
        void io_write(uint64_t offset, uint64_t value, unsigned size) override;
    private:
        Pic& pic_;
    };

    uint8_t read_port(int idx, unsigned port);
    void write_port(int idx, unsigned port, uint8_t v);
    void write_icw1(int idx, uint8_t v);
    void write_ocw2(int idx, uint8_t v);
    void write_ocw3(int idx, uint8_t v);
    void write_data(int idx, uint8_t v);
    uint8_t poll_read(int idx);

    void set_pin(int idx, unsigned line, bool level);
    int pending_irq(int idx) const;  // highest-priority servable input, or -1
    void acknowledge(int idx, int irq);
    void update();                   // slave -> master cascade -> INTR

    PicState state_;
    ChipIo master_io_{*this, 0};
    ChipIo slave_io_{*this, 1};
    ElcrIo elcr_io_{*this};
    IrqLine intr_;
};

}  // namespace petrel
