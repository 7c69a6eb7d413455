// Local APIC: register page, priority resolution, LVT delivery, IPIs and the
// clock-computed timer. See lapic.h for the model and its invariants.
#include "devices/lapic.h"

#include "devices/tsc.h"

namespace petrel {

namespace {

constexpr uint32_t kLvtMasked = 1u << 16;
constexpr unsigned kTimerOneShot = 0, kTimerPeriodic = 1, kTimerTscDeadline = 2;

// ESR bits (SDM vol 3, "Error Handling").
constexpr uint32_t kEsrSendIllegalVector = 1u << 5;
constexpr uint32_t kEsrReceiveIllegalVector = 1u << 6;

// Writable bits of each LVT entry: vector, delivery mode, polarity, trigger
// mode, mask; the timer has its mode field instead, timer and error have no
// delivery mode (always fixed). Delivery status and remote IRR are read-only.
constexpr uint32_t kLvtWritable[kLvtCount] = {
    0x000700ff,  // timer: vector, mask, mode (bits 18:17)
    0x000107ff,  // thermal
    0x000107ff,  // perfmon
    0x0001a7ff,  // LINT0: + polarity (13), trigger (15)
    0x0001a7ff,  // LINT1
    0x000100ff,  // error
};

// ICR low: vector, delivery mode, destination mode, level, trigger, shorthand.
constexpr uint32_t kIcrLoWritable = 0x000ccfff;

bool test_bit(const std::array<uint32_t, 8>& a, unsigned v) { return (a[v / 32] >> (v % 32)) & 1; }
void set_bit(std::array<uint32_t, 8>& a, unsigned v) { a[v / 32] |= 1u << (v % 32); }
void clear_bit(std::array<uint32_t, 8>& a, unsigned v) { a[v / 32] &= ~(1u << (v % 32)); }

// Highest set vector, or -1.
int highest(const std::array<uint32_t, 8>& a) {
    for (int w = 7; w >= 0; --w)
        if (a[w]) return w * 32 + 31 - __builtin_clz(a[w]);
    return -1;
}

}  // namespace

// ---- register table ----------------------------------------------------------

// One row per architectural register (or run of 16-byte-spaced registers,
// like ISR0-7); `count` is the run length, `i` the index inside it. A null
// write means read-only; registers not listed read 0 and ignore writes.
struct LapicRegs {
    struct Row {
        uint16_t offset;
        uint8_t count;
        uint32_t (*read)(const Lapic&, unsigned i);
        void (*write)(Lapic&, unsigned i, uint32_t v);
    };
    static const Row rows[];
};

const LapicRegs::Row LapicRegs::rows[] = {
    {0x020, 1, [](const Lapic& a, unsigned) { return uint32_t(a.state_.id) << 24; },
     [](Lapic& a, unsigned, uint32_t v) { a.state_.id = uint8_t(v >> 24); }},
    {0x030, 1, [](const Lapic&, unsigned) { return Lapic::kVersion; }, nullptr},
    {0x080, 1, [](const Lapic& a, unsigned) { return uint32_t(a.state_.tpr); },
     [](Lapic& a, unsigned, uint32_t v) { a.state_.tpr = uint8_t(v); a.kick(); }},
    {0x090, 1, [](const Lapic& a, unsigned) { return a.apr(); }, nullptr},
    {0x0a0, 1, [](const Lapic& a, unsigned) { return uint32_t(a.ppr()); }, nullptr},
    {0x0b0, 1, [](const Lapic&, unsigned) { return 0u; }, [](Lapic& a, unsigned, uint32_t) { a.write_eoi(); }},
    {0x0d0, 1, [](const Lapic& a, unsigned) { return a.state_.ldr; },
     [](Lapic& a, unsigned, uint32_t v) { a.state_.ldr = v & 0xff000000; }},
    {0x0e0, 1, [](const Lapic& a, unsigned) { return a.state_.dfr; },
     [](Lapic& a, unsigned, uint32_t v) { a.state_.dfr = v | 0x0fffffff; }},
    {0x0f0, 1, [](const Lapic& a, unsigned) { return a.state_.svr; },
     [](Lapic& a, unsigned, uint32_t v) { a.write_svr(v); }},
    {0x100, 8, [](const Lapic& a, unsigned i) { return a.state_.isr[i]; }, nullptr},
    {0x180, 8, [](const Lapic& a, unsigned i) { return a.state_.tmr[i]; }, nullptr},
    {0x200, 8, [](const Lapic& a, unsigned i) { return a.state_.irr[i]; }, nullptr},
    // Writing ESR latches the errors collected since the previous write.
    {0x280, 1, [](const Lapic& a, unsigned) { return a.state_.esr; },
     [](Lapic& a, unsigned, uint32_t) { a.state_.esr = a.state_.esr_pending; a.state_.esr_pending = 0; }},
    // Delivery is instantaneous, so the delivery-status bit always reads idle.
    {0x300, 1, [](const Lapic& a, unsigned) { return a.state_.icr_lo; },
     [](Lapic& a, unsigned, uint32_t v) { a.state_.icr_lo = v & kIcrLoWritable; a.send_ipi(); }},
    {0x310, 1, [](const Lapic& a, unsigned) { return a.state_.icr_hi; },
     [](Lapic& a, unsigned, uint32_t v) { a.state_.icr_hi = v & 0xff000000; }},
    {0x320, kLvtCount, [](const Lapic& a, unsigned i) { return a.state_.lvt[i]; },
     [](Lapic& a, unsigned i, uint32_t v) { a.write_lvt(i, v); }},
    {0x380, 1, [](const Lapic& a, unsigned) { return a.state_.timer_initial; },
     [](Lapic& a, unsigned, uint32_t v) { a.write_initial_count(v); }},
    {0x390, 1, [](const Lapic& a, unsigned) { return a.current_count(); }, nullptr},
    {0x3e0, 1, [](const Lapic& a, unsigned) { return a.state_.timer_dcr; },
     [](Lapic& a, unsigned, uint32_t v) { a.write_divide(v); }},
};

// ---- construction, reset -------------------------------------------------------

Lapic::Lapic(Clock& clock, uint8_t apic_id, bool bsp, ExtIntSource* ext)
    : clock_(clock), ext_(ext), timer_(clock.new_timer([this] { timer_expired(); })),
      initial_id_(apic_id), bsp_(bsp) {
    reset();
}

void Lapic::reset() {
    timer_->cancel();
    state_ = LapicState{};
    state_.apic_base = kDefaultBase | kBaseEnable | (bsp_ ? kBaseBsp : 0);
    state_.id = initial_id_;
    state_.lvt.fill(kLvtMasked);
}

void Lapic::init_reset() {
    uint64_t base = state_.apic_base;
    uint8_t id = state_.id;
    reset();
    state_.apic_base = base;
    state_.id = id;
}

// ---- MMIO ------------------------------------------------------------------------

uint32_t Lapic::read_reg(unsigned offset) const {
    for (const auto& r : LapicRegs::rows)
        if (offset >= r.offset && offset < r.offset + 0x10u * r.count) return r.read(*this, (offset - r.offset) / 0x10);
    return 0;
}

void Lapic::write_reg(unsigned offset, uint32_t v) {
    for (const auto& r : LapicRegs::rows) {
        if (offset >= r.offset && offset < r.offset + 0x10u * r.count) {
            if (r.write) r.write(*this, (offset - r.offset) / 0x10, v);
            return;
        }
    }
}

uint64_t Lapic::io_read(uint64_t offset, unsigned size) {
    if (!globally_enabled() || offset >= kPageSize) return all_ones(size);
    // Registers are 32 bits wide at 16-byte strides; narrower reads see their
    // byte lanes, bytes 4-15 of each slot read 0.
    unsigned lane = offset & 0xf;
    if (lane >= 4) return 0;
    uint64_t v = read_reg(unsigned(offset & ~0xfull)) >> (lane * 8);
    return v & all_ones(size);
}

void Lapic::io_write(uint64_t offset, uint64_t value, unsigned size) {
    // Only aligned 32-bit (or wider) stores are defined; others are dropped.
    if (!globally_enabled() || offset >= kPageSize || (offset & 0xf) || size < 4) return;
    write_reg(unsigned(offset), uint32_t(value));
}

// ---- priorities ----------------------------------------------------------------------

uint8_t Lapic::ppr() const {
    int isrv = highest(state_.isr);
    uint8_t isr_class = isrv < 0 ? 0 : uint8_t(isrv & 0xf0);
    return (state_.tpr & 0xf0) >= isr_class ? state_.tpr : isr_class;
}

uint32_t Lapic::apr() const {
    int isrv = highest(state_.isr), irrv = highest(state_.irr);
    unsigned tpr_c = state_.tpr >> 4, isr_c = isrv < 0 ? 0 : unsigned(isrv) >> 4, irr_c = irrv < 0 ? 0 : unsigned(irrv) >> 4;
    if (tpr_c >= irr_c && tpr_c > isr_c) return state_.tpr;
    unsigned c = tpr_c > isr_c ? tpr_c : isr_c;
    if (irr_c > c) c = irr_c;
    return c << 4;
}

int Lapic::deliverable_vector() const {
    int irrv = highest(state_.irr);
    if (irrv < 0 || (irrv & 0xf0) <= (ppr() & 0xf0)) return -1;
    return irrv;
}

bool Lapic::lint0_extint_open() const {
    uint32_t l = state_.lvt[unsigned(Lvt::Lint0)];
    return !(l & kLvtMasked) && ((l >> 8) & 7) == unsigned(ApicDelivery::ExtInt);
}

bool Lapic::passthrough() const { return !globally_enabled() || !software_enabled(); }

bool Lapic::has_interrupt() {
    // A disabled APIC is a wire: the 8259's INTR reaches the CPU unchanged.
    if (passthrough()) return ext_intr();
    if (deliverable_vector() >= 0) return true;
    return (state_.extint_pending || lint0_extint_open()) && ext_intr();
}

uint8_t Lapic::acknowledge() {
    uint8_t spurious = uint8_t(state_.svr);
    if (passthrough()) return ext_ ? ext_->inta() : spurious;
    int v = deliverable_vector();
    if (v >= 0) {
        clear_bit(state_.irr, unsigned(v));
        set_bit(state_.isr, unsigned(v));
        return uint8_t(v);
    }
    if ((state_.extint_pending || lint0_extint_open()) && ext_intr()) {
        state_.extint_pending = false;
        return ext_->inta();  // the 8259 supplies the vector; nothing enters ISR
    }
    return spurious;
}

void Lapic::set_tpr(uint8_t cr8) {
    state_.tpr = uint8_t((cr8 & 0xf) << 4);
    kick();
}

void Lapic::write_eoi() {
    int v = highest(state_.isr);
    if (v < 0) return;
    clear_bit(state_.isr, unsigned(v));
    // Level-triggered interrupts are acknowledged at their source too: the
    // IOAPIC clears the entry's remote IRR (and re-sends if still asserted).
    if (test_bit(state_.tmr, unsigned(v)) && on_eoi_broadcast) on_eoi_broadcast(uint8_t(v));
    kick();
}

void Lapic::write_svr(uint32_t v) {
    // Bits 7:0 vector, 8 APIC software enable, 9 focus-check disable.
    // EOI-broadcast suppression (bit 12) is not offered (version bit 24 = 0).
    state_.svr = v & 0x3ff;
    if (!software_enabled())
        for (auto& l : state_.lvt) l |= kLvtMasked;
    kick();
}

// ---- accepting interrupts ------------------------------------------------------------

void Lapic::signal_error(uint32_t bit) {
    state_.esr_pending |= bit;
    deliver_lvt(Lvt::Error);
}

void Lapic::accept_fixed(uint8_t vector, bool level) {
    if (vector < 16) {  // vectors 0-15 are reserved for exceptions
        state_.esr_pending |= kEsrReceiveIllegalVector;
        // Report it unless the error LVT itself holds the illegal vector.
        if ((state_.lvt[unsigned(Lvt::Error)] & 0xff) >= 16) deliver_lvt(Lvt::Error);
        return;
    }
    set_bit(state_.irr, vector);
    if (level) set_bit(state_.tmr, vector);
    else clear_bit(state_.tmr, vector);
    kick();
}

void Lapic::deliver_lvt(Lvt which) {
    uint32_t l = state_.lvt[unsigned(which)];
    if (!software_enabled() || (l & kLvtMasked)) return;
    bool has_mode = which != Lvt::Timer && which != Lvt::Error;
    auto mode = has_mode ? ApicDelivery((l >> 8) & 7) : ApicDelivery::Fixed;
    bool level = (which == Lvt::Lint0 || which == Lvt::Lint1) && (l & (1u << 15));
    switch (mode) {
        case ApicDelivery::Fixed: accept_fixed(uint8_t(l), level); break;
        case ApicDelivery::Nmi: state_.nmi_pending = true; kick(); break;
        case ApicDelivery::Init: {
            ApicMessage m;
            m.mode = ApicDelivery::Init;
            m.dest = state_.id;
            if (on_init_sipi) on_init_sipi(m);
            break;
        }
        default: break;  // SMI (no SMM), ExtINT (a level, read in has_interrupt), reserved
    }
}

void Lapic::set_irq(unsigned pin, bool level) {
    if (pin > 1) return;
    bool rising = level && !state_.lint_level[pin];
    state_.lint_level[pin] = level;
    if (passthrough()) {
        // Virtual wire: LINT1 is the CPU's NMI pin; LINT0 (INTR) is polled.
        if (pin == 1 && rising) state_.nmi_pending = true;
        kick();
        return;
    }
    Lvt which = pin == 0 ? Lvt::Lint0 : Lvt::Lint1;
    uint32_t l = state_.lvt[unsigned(which)];
    bool level_mode = (l & (1u << 15)) && ApicDelivery((l >> 8) & 7) == ApicDelivery::Fixed;
    if (rising || (level && level_mode && !test_bit(state_.irr, l & 0xff) && !test_bit(state_.isr, l & 0xff)))
        deliver_lvt(which);
    kick();
}

bool Lapic::matches(uint8_t dest, bool logical) const {
    if (!logical) return dest == 0xff || dest == state_.id;
    if (dest == 0xff) return true;
    uint8_t ldr = uint8_t(state_.ldr >> 24);
    if ((state_.dfr >> 28) == 0xf) return (ldr & dest) != 0;  // flat model
    // Cluster model: high nibble selects the cluster, low nibble the members.
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0x0f) != 0;
}

void Lapic::receive(const ApicMessage& msg) {
    if (msg.shorthand == ApicShorthand::None && !matches(msg.dest, msg.logical)) return;
    accept(msg);
}

void Lapic::accept(const ApicMessage& msg) {
    if (!globally_enabled()) return;  // a disabled APIC is off the APIC bus
    switch (msg.mode) {
        case ApicDelivery::Fixed:
        case ApicDelivery::LowestPriority: accept_fixed(msg.vector, msg.level_triggered); break;
        case ApicDelivery::Nmi: state_.nmi_pending = true; kick(); break;
        case ApicDelivery::ExtInt: state_.extint_pending = true; kick(); break;
        case ApicDelivery::Init:
        case ApicDelivery::StartUp:
            if (on_init_sipi) on_init_sipi(msg);
            break;
        default: break;  // SMI: no SMM
    }
}

void Lapic::send_ipi() {
    uint32_t lo = state_.icr_lo;
    ApicMessage m;
    m.vector = uint8_t(lo);
    m.mode = ApicDelivery((lo >> 8) & 7);
    m.logical = lo & (1u << 11);
    m.assert_level = lo & (1u << 14);
    m.level_triggered = lo & (1u << 15);
    m.shorthand = ApicShorthand((lo >> 18) & 3);
    m.dest = uint8_t(state_.icr_hi >> 24);
    m.source_id = state_.id;
    if (m.mode == ApicDelivery(3)) return;  // reserved encoding
    if ((m.mode == ApicDelivery::Fixed || m.mode == ApicDelivery::LowestPriority) && m.vector < 16) {
        signal_error(kEsrSendIllegalVector);
        return;
    }
    // INIT level de-assert only resynchronises arbitration IDs: nothing here.
    bool deassert = m.mode == ApicDelivery::Init && !m.assert_level && m.level_triggered;
    bool to_self = false, to_others = false;
    switch (m.shorthand) {
        case ApicShorthand::None:
            to_self = matches(m.dest, m.logical);
            to_others = m.logical || m.dest != state_.id;
            break;
        case ApicShorthand::Self: to_self = true; break;
        case ApicShorthand::AllIncludingSelf: to_self = to_others = true; break;
        case ApicShorthand::AllExcludingSelf: to_others = true; break;
    }
    if (to_self && !deassert) accept(m);
    if (to_others && on_ipi) on_ipi(m);
}

// ---- LVT and timer -------------------------------------------------------------------

void Lapic::write_lvt(unsigned slot, uint32_t v) {
    if (slot >= kLvtCount) return;
    uint32_t old = state_.lvt[slot];
    v &= kLvtWritable[slot];
    if (!software_enabled()) v |= kLvtMasked;
    if (slot == unsigned(Lvt::Timer)) {
        unsigned old_mode = (old >> 17) & 3, new_mode = (v >> 17) & 3;
        if (new_mode == 3) {  // reserved: keep the current mode
            new_mode = old_mode;
            v = (v & ~(3u << 17)) | (old_mode << 17);
        }
        state_.lvt[slot] = v;
        // Entering or leaving TSC-deadline mode disarms the timer.
        if (old_mode != new_mode && (old_mode == kTimerTscDeadline || new_mode == kTimerTscDeadline)) {
            state_.timer_initial = 0;
            state_.tsc_deadline = 0;
        }
        timer_rearm();
        return;
    }
    state_.lvt[slot] = v;
    kick();  // LINT0's ExtINT gate may have opened or closed
}

uint64_t Lapic::tick_ns() const {
    static_assert(1'000'000'000 % kTimerHz == 0, "whole nanoseconds per bus tick");
    unsigned code = (state_.timer_dcr & 3) | ((state_.timer_dcr >> 1) & 4);
    unsigned divide = code == 7 ? 1 : 2u << code;  // 2, 4, ... 128, then 1
    return divide * (1'000'000'000 / kTimerHz);
}

uint32_t Lapic::current_count() const {
    uint32_t initial = state_.timer_initial;
    if (initial == 0 || timer_mode() == kTimerTscDeadline) return 0;
    // Modular subtraction: timer_load_ns may have been rebased "before zero".
    uint64_t elapsed = (clock_.now_ns() - state_.timer_load_ns) / tick_ns();
    if (timer_mode() == kTimerPeriodic) return uint32_t(initial - elapsed % initial);
    return elapsed >= initial ? 0 : uint32_t(initial - elapsed);
}

void Lapic::write_initial_count(uint32_t v) {
    if (timer_mode() == kTimerTscDeadline) return;  // ignored in TSC-deadline mode
    state_.timer_initial = v;
    state_.timer_load_ns = clock_.now_ns();
    timer_rearm();
}

void Lapic::write_divide(uint32_t v) {
    // Deliver an expiry that is due but not yet run, then keep the current
    // count where it is and let it continue at the new rate.
    if (timer_->armed() && timer_->deadline() <= clock_.now_ns()) timer_expired();
    uint32_t current = current_count();
    state_.timer_dcr = v & 0xb;
    if (state_.timer_initial != 0 && timer_mode() != kTimerTscDeadline)
        state_.timer_load_ns = clock_.now_ns() - uint64_t(state_.timer_initial - current) * tick_ns();
    timer_rearm();
}

uint64_t Lapic::guest_tsc_now() const {
    return tsc::from_ns(clock_.now_ns()) + (tsc_offset ? tsc_offset() : 0);
}

void Lapic::timer_rearm() {
    timer_->cancel();
    if (timer_mode() == kTimerTscDeadline) {
        if (state_.tsc_deadline == 0) return;
        uint64_t now_tsc = guest_tsc_now();
        if (state_.tsc_deadline <= now_tsc) {
            timer_expired();
            return;
        }
        timer_->arm(clock_.now_ns() + tsc::to_ns_ceil(state_.tsc_deadline - now_tsc));
        return;
    }
    uint64_t initial = state_.timer_initial;
    if (initial == 0) return;
    uint64_t period_ns = initial * tick_ns();
    uint64_t elapsed_ns = clock_.now_ns() - state_.timer_load_ns;
    if (timer_mode() == kTimerPeriodic) {
        timer_->arm(state_.timer_load_ns + (elapsed_ns / period_ns + 1) * period_ns);
    } else if (elapsed_ns < period_ns) {
        timer_->arm(state_.timer_load_ns + period_ns);
    }
}

void Lapic::timer_expired() {
    timer_->cancel();
    if (timer_mode() == kTimerTscDeadline) state_.tsc_deadline = 0;
    deliver_lvt(Lvt::Timer);  // a masked timer still counts; only the interrupt is dropped
    if (timer_mode() == kTimerPeriodic) timer_rearm();
}

void Lapic::set_tsc_deadline(uint64_t guest_tsc) {
    if (timer_mode() != kTimerTscDeadline) return;
    state_.tsc_deadline = guest_tsc;
    timer_rearm();
}

uint64_t Lapic::tsc_deadline() const {
    return timer_mode() == kTimerTscDeadline ? state_.tsc_deadline : 0;
}

// ---- IA32_APIC_BASE --------------------------------------------------------------------

void Lapic::set_apic_base(uint64_t value) {
    uint64_t old_base = state_.apic_base & kBaseAddrMask;
    bool was_enabled = globally_enabled();
    uint64_t nv = (value & (kBaseAddrMask | kBaseEnable)) | (bsp_ ? kBaseBsp : 0);
    // A global disable returns the APIC to its power-up state (SDM 10.4.3);
    // the ID survives, as the hardware-assigned initial ID does.
    if (was_enabled && !(nv & kBaseEnable)) init_reset();
    state_.apic_base = nv;
    if ((nv & kBaseAddrMask) != old_base && on_base_change) on_base_change(nv & kBaseAddrMask);
    kick();
}

}  // namespace petrel
