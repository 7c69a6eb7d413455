// Local APIC (xAPIC, version 0x14 with six LVT entries, as a P6-class
// integrated APIC reports) for one CPU.
//
// What it is:
//  - the CPU's InterruptController: has_interrupt()/acknowledge() resolve the
//    highest IRR vector against the processor priority (PPR); LINT0 in ExtINT
//    mode, an IOAPIC ExtINT message, or a disabled APIC (virtual wire) pass
//    the 8259's INTR straight through to the CPU and acknowledge() runs the
//    8259's INTA cycle;
//  - the 4 KiB xAPIC register page (io_read/io_write take page offsets; the
//    machine maps the page at apic_base() and moves it on_base_change);
//  - the receiver of APIC messages from the IOAPIC (receive());
//  - the sender of IPIs: self-IPIs are delivered here, everything meant for
//    other APICs goes to on_ipi (the machine fans it out; SMP later).
//
// Invariants:
//  - Time is never ticked: the timer's current count is computed from the
//    virtual Clock and the time the count was (re)loaded; one Clock Timer is
//    armed for the next expiry (one-shot, periodic or TSC deadline).
//  - The timer counts at kTimerHz / divide. kTimerHz is QEMU's 1 GHz APIC
//    bus, so guests calibrate to the same numbers on both.
//  - While software-disabled (SVR bit 8 clear) every LVT mask bit reads 1 and
//    cannot be cleared; fixed interrupts wait in IRR until re-enabled.
//  - Guest input is bounded: offsets outside the page, reserved registers
//    and unaligned or odd-sized writes are ignored.
//
// Machine wiring (single CPU): map the Lapic as MMIO at apic_base() (4 KiB)
// and Bus::remap it from on_base_change; cpu.intc = &lapic; cpu.apic_id =
// id(); cpu.on_apic_base_read/write -> apic_base()/set_apic_base();
// cpu.on_tsc_deadline_read/write -> tsc_deadline()/set_tsc_deadline();
// cpu.tsc_source = tsc::from_ns(clock.now_ns()); lapic.tsc_offset = the
// CPU's s.tsc_offset; on_kick sets cpu.irq_pending; the PIC's intr_line()
// goes to pin 0 (LINT0) so INTR changes kick the CPU; on_eoi_broadcast ->
// IoApic::eoi; IoApic::on_message -> receive(); INIT -> init_reset().
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "cpu/interrupt_controller.h"
#include "devices/apic_message.h"
#include "devices/clock.h"
#include "devices/ext_int_source.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

// LVT slots, in register order: slot n is at offset 0x320 + 0x10 * n.
enum class Lvt : unsigned { Timer = 0, Thermal = 1, Perfmon = 2, Lint0 = 3, Lint1 = 4, Error = 5 };
constexpr unsigned kLvtCount = 6;

struct LapicState {
    uint64_t apic_base = 0;       // IA32_APIC_BASE image (base | EN | BSP)
    uint8_t id = 0;               // xAPIC ID (register bits 31:24)
    uint8_t tpr = 0;
    uint32_t ldr = 0;             // bits 31:24 writable
    uint32_t dfr = 0xffffffff;    // bits 31:28 writable, flat model at reset
    uint32_t svr = 0xff;          // spurious vector 0xff, software-disabled
    std::array<uint32_t, 8> isr{}, tmr{}, irr{};  // 256-bit, vector v = word v/32 bit v%32
    uint32_t esr = 0;             // what the guest reads (latched by an ESR write)
    uint32_t esr_pending = 0;     // errors since the last latch
    uint32_t icr_lo = 0, icr_hi = 0;
    std::array<uint32_t, kLvtCount> lvt{};
    uint32_t timer_initial = 0;   // initial count register
    uint32_t timer_dcr = 0;       // divide configuration register (bits 3, 1:0)
    uint64_t timer_load_ns = 0;   // virtual time at which the count was `timer_initial`
    uint64_t tsc_deadline = 0;    // IA32_TSC_DEADLINE (0 = disarmed)
    bool nmi_pending = false;
    bool extint_pending = false;  // an ExtINT message arrived (IOAPIC virtual wire)
    bool lint_level[2] = {false, false};
};

class Lapic : public IoHandler, public InterruptController, public IrqSink {
public:
    static constexpr uint32_t kVersion = 0x00050014;  // max LVT 5 (six entries), version 0x14
    static constexpr uint64_t kTimerHz = 1'000'000'000;
    static constexpr uint64_t kDefaultBase = 0xfee00000;
    static constexpr uint64_t kPageSize = 0x1000;
    // IA32_APIC_BASE bits.
    static constexpr uint64_t kBaseBsp = 1ull << 8;
    static constexpr uint64_t kBaseEnable = 1ull << 11;
    static constexpr uint64_t kBaseAddrMask = 0x000000fffffff000ull;  // MAXPHYADDR 40

    // `ext` is the 8259 pair (may be null in tests).
    Lapic(Clock& clock, uint8_t apic_id, bool bsp, ExtIntSource* ext = nullptr);

    // Machine hooks (all optional).
    std::function<void()> on_kick;                      // something may be deliverable: re-check
    std::function<void(uint8_t vector)> on_eoi_broadcast; // EOI of a level-triggered vector -> IOAPIC(s)
    std::function<void(const ApicMessage&)> on_ipi;    // an IPI for APICs other than this one
    std::function<void(const ApicMessage&)> on_init_sipi; // INIT/SIPI delivered to this APIC -> the CPU
    std::function<void(uint64_t new_base)> on_base_change;  // MMIO page moved
    std::function<uint64_t()> tsc_offset;               // guest TSC = tsc::from_ns(now) + offset

    void reset();       // power-on / RESET
    void init_reset();  // INIT: as reset, but the APIC ID and IA32_APIC_BASE are kept

    // IoHandler: offsets inside the 4 KiB page.
    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    // InterruptController.
    bool has_interrupt() override;
    uint8_t acknowledge() override;
    bool has_nmi() override { return state_.nmi_pending; }
    void acknowledge_nmi() override { state_.nmi_pending = false; }
    void set_tpr(uint8_t cr8) override;   // CR8 = TPR[7:4]
    uint8_t tpr() override { return state_.tpr >> 4; }

    // IrqSink: pin 0 = LINT0, pin 1 = LINT1 (wire the 8259 INTR to pin 0).
    void set_irq(unsigned pin, bool level) override;

    // An APIC message on the bus (from the IOAPIC or another APIC); ignored
    // unless its destination selects this APIC.
    void receive(const ApicMessage& msg);
    // The same without the destination check (the sender already chose us).
    void accept(const ApicMessage& msg);
    bool matches(uint8_t dest, bool logical) const;

    // IA32_APIC_BASE MSR (0x1B). The CPU has already rejected reserved bits.
    uint64_t apic_base() const { return state_.apic_base; }
    void set_apic_base(uint64_t value);
    // IA32_TSC_DEADLINE MSR (0x6E0): reads 0 and ignores writes unless the
    // LVT timer is in TSC-deadline mode.
    void set_tsc_deadline(uint64_t guest_tsc);
    uint64_t tsc_deadline() const;

    bool globally_enabled() const { return state_.apic_base & kBaseEnable; }
    bool software_enabled() const { return state_.svr & 0x100; }
    uint8_t id() const { return state_.id; }
    uint8_t ppr() const;
    uint32_t apr() const;
    uint32_t current_count() const;
    const LapicState& state() const { return state_; }

private:
    uint32_t read_reg(unsigned offset) const;
    void write_reg(unsigned offset, uint32_t v);
    void write_lvt(unsigned slot, uint32_t v);
    void write_svr(uint32_t v);
    void write_eoi();
    void write_initial_count(uint32_t v);
    void write_divide(uint32_t v);
    void send_ipi();
    int deliverable_vector() const;  // highest IRR vector above PPR, or -1
    bool passthrough() const;        // globally or software disabled: virtual wire

    void accept_fixed(uint8_t vector, bool level);
    void deliver_lvt(Lvt which);
    void signal_error(uint32_t bit);
    friend struct LapicRegs;  // the register table in lapic.cpp
    void kick() { if (on_kick) on_kick(); }

    // Timer.
    unsigned timer_mode() const { return (state_.lvt[unsigned(Lvt::Timer)] >> 17) & 3; }
    uint64_t tick_ns() const;       // one count at the current divide
    void timer_rearm();
    void timer_expired();
    uint64_t guest_tsc_now() const;

    bool ext_intr() const { return ext_ && ext_->intr_pending(); }
    bool lint0_extint_open() const;

    Clock& clock_;
    ExtIntSource* ext_;
    Timer* timer_;
    uint8_t initial_id_;
    bool bsp_;
    LapicState state_;
};

}  // namespace petrel
