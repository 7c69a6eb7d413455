// HPET (IA-PC High Precision Event Timer 1.0a) as QEMU's pc machine has it:
// one block of three timers on a 64-bit, 100 MHz (10 ns period) main
// counter, vendor 8086, legacy-replacement capable, no FSB delivery.
//
// Registers (64-bit, also accessible as 32-bit halves; offsets in the 1 KiB
// block the machine maps at 0xFED00000):
//   0x000 capabilities/ID   0x010 configuration (ENABLE_CNF, LEG_RT_CNF)
//   0x020 interrupt status (level timers, write 1 to clear)   0x0F0 main counter
//   0x100 + 0x20 n: timer n configuration/capabilities, +0x08 comparator,
//   +0x10 FSB route (reads 0: no FSB capability).
//
// Invariants:
//  - The main counter is computed from the Clock (value at the last
//    enable/write + elapsed ticks while enabled); nothing ticks.
//  - Each timer arms one Clock Timer for its next comparator match, found in
//    the counter's (or, in 32-bit mode, the low half's) modular arithmetic:
//    a comparator already passed matches again only after the counter wraps.
//  - Periodic timers add the last value written to the comparator (the
//    period) at each match; a comparator write with Tn_VAL_SET_CNF set (or in
//    one-shot mode) also sets the comparator itself, as the spec describes.
//  - Interrupt outputs: in legacy-replacement mode timer 0 drives ISA IRQ0
//    and timer 1 ISA IRQ8 through `isa` (the IsaIrqRouter, so the PIC and
//    IOAPIC pin 2/8 both see it); otherwise timer n drives I/O APIC input
//    Tn_INT_ROUTE_CNF through `gsi`. Routes outside the capability mask
//    (QEMU's 0x00ff0104: inputs 2, 8, 16-23) are refused. Edge timers pulse,
//    level timers hold the line until the status bit is cleared.
//  - on_legacy_change tells the machine to cut the PIT's IRQ0 and the RTC's
//    IRQ8 while legacy replacement is on (as the chipset does).
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "devices/clock.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

constexpr unsigned kHpetTimers = 3;

struct HpetTimerState {
    uint64_t config = 0;       // Tn_CONF (writable bits; capability bits are added on read)
    uint64_t comparator = 0;
    uint64_t period = 0;       // periodic increment (last comparator write)
    bool asserted = false;     // a level interrupt is being held
    bool asserted_isa = false; // ...on the ISA (legacy) side or an I/O APIC input
    unsigned asserted_pin = 0; // (routes can change while it is held)
};

struct HpetState {
    uint64_t config = 0;       // general configuration
    uint64_t isr = 0;          // general interrupt status
    uint64_t counter_base = 0; // main counter at counter_base_ns (or while halted)
    uint64_t counter_base_ns = 0;
    std::array<HpetTimerState, kHpetTimers> timers{};
};

class Hpet : public IoHandler {
public:
    static constexpr uint64_t kPeriodFs = 10'000'000;  // 10 ns per tick
    static constexpr uint64_t kTickNs = 10;
    static constexpr uint32_t kRouteCap = 0x00ff0104;  // I/O APIC inputs 2, 8, 16-23
    static constexpr uint64_t kWindowSize = 0x400;

    // gsi: I/O APIC inputs (non-legacy routes); isa: ISA IRQs (legacy
    // replacement: IRQ0, IRQ8). Either may be null.
    Hpet(Clock& clock, IrqSink* gsi, IrqSink* isa);

    std::function<void(bool legacy)> on_legacy_change;

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    void reset();
    uint64_t capabilities() const;
    uint64_t main_counter() const;
    bool enabled() const { return state_.config & 1; }
    bool legacy() const { return state_.config & 2; }
    const HpetState& state() const { return state_; }

private:
    uint64_t read64(unsigned reg) const;
    // `value` holds the written bits in place; `mask` says which bits were written.
    void write64(unsigned reg, uint64_t value, uint64_t mask);
    uint64_t timer_config_read(unsigned n) const;
    void write_general_config(uint64_t v);
    void write_timer_config(unsigned n, uint64_t v);
    void write_comparator(unsigned n, uint64_t value, uint64_t mask);
    void write_counter(uint64_t v);
    void clear_status(uint64_t bits);

    void arm(unsigned n);
    void arm_all();
    void fire(unsigned n);
    void set_output(unsigned n, bool fire);
    void drop_output(unsigned n);
    bool route(unsigned n, IrqSink*& sink, unsigned& pin) const;

    Clock& clock_;
    IrqSink* gsi_;
    IrqSink* isa_;
    std::array<Timer*, kHpetTimers> clock_timers_{};
    HpetState state_;
};

}  // namespace petrel
