// HPET: clock-computed main counter, comparator timers, interrupt routing.
// See hpet.h for the model.
#include "devices/hpet.h"

namespace petrel {

namespace {

// General registers.
constexpr unsigned kRegCaps = 0x000, kRegConfig = 0x010, kRegStatus = 0x020, kRegCounter = 0x0f0;
constexpr unsigned kTimerBase = 0x100, kTimerStride = 0x20;
constexpr unsigned kTimerConfig = 0x00, kTimerComparator = 0x08, kTimerFsb = 0x10;

constexpr uint64_t kCfgEnable = 1, kCfgLegacy = 2;

// Timer configuration bits.
constexpr uint64_t kTnLevel = 1u << 1, kTnIntEnable = 1u << 2, kTnPeriodic = 1u << 3, kTnPeriodicCap = 1u << 4,
                   kTnSize64Cap = 1u << 5, kTnValSet = 1u << 6, kTn32Bit = 1u << 8;
constexpr unsigned kTnRouteShift = 9;
constexpr uint64_t kTnRouteMask = 0x1full << kTnRouteShift;
constexpr uint64_t kTnWritable = kTnLevel | kTnIntEnable | kTnPeriodic | kTnValSet | kTn32Bit | kTnRouteMask;

// Capabilities: revision 1, 3 timers (NUM_TIM_CAP = 2), 64-bit counter,
// legacy replacement capable, vendor 8086; period in femtoseconds above.
constexpr uint64_t kCapsLow = 0x01 | (uint64_t(kHpetTimers - 1) << 8) | (1u << 13) | (1u << 15) | (0x8086ull << 16);

// A match more than this many ticks away is never armed (64-bit counter:
// ~90 years at 100 MHz), so deadlines cannot overflow.
constexpr uint64_t kMaxArmTicks = 1ull << 58;

}  // namespace

Hpet::Hpet(Clock& clock, IrqSink* gsi, IrqSink* isa) : clock_(clock), gsi_(gsi), isa_(isa) {
    for (unsigned n = 0; n < kHpetTimers; ++n) clock_timers_[n] = clock.new_timer([this, n] { fire(n); });
    reset();
}

void Hpet::reset() {
    for (unsigned n = 0; n < kHpetTimers; ++n) {
        clock_timers_[n]->cancel();
        drop_output(n);
    }
    bool was_legacy = legacy();
    state_ = HpetState{};
    for (auto& t : state_.timers) t.comparator = ~0ull;  // spec: comparators reset to all ones
    if (was_legacy && on_legacy_change) on_legacy_change(false);
}

uint64_t Hpet::capabilities() const { return kCapsLow | kPeriodFs << 32; }

uint64_t Hpet::main_counter() const {
    if (!enabled()) return state_.counter_base;
    return state_.counter_base + (clock_.now_ns() - state_.counter_base_ns) / kTickNs;
}

// ---- register access ---------------------------------------------------------

uint64_t Hpet::timer_config_read(unsigned n) const {
    // All three timers are periodic- and 64-bit-capable, as on QEMU.
    return state_.timers[n].config | kTnPeriodicCap | kTnSize64Cap | uint64_t(kRouteCap) << 32;
}

uint64_t Hpet::read64(unsigned reg) const {
    switch (reg) {
        case kRegCaps: return capabilities();
        case kRegConfig: return state_.config;
        case kRegStatus: return state_.isr;
        case kRegCounter: return main_counter();
        default: break;
    }
    if (reg < kTimerBase) return 0;
    unsigned n = (reg - kTimerBase) / kTimerStride, sub = (reg - kTimerBase) % kTimerStride;
    if (n >= kHpetTimers) return 0;
    const HpetTimerState& t = state_.timers[n];
    if (sub == kTimerConfig) return timer_config_read(n);
    if (sub == kTimerComparator) return t.config & kTn32Bit ? t.comparator & 0xffffffff : t.comparator;
    return 0;  // FSB route: not capable
}

void Hpet::write64(unsigned reg, uint64_t value, uint64_t mask) {
    auto merged = [&](uint64_t old) { return (old & ~mask) | (value & mask); };
    switch (reg) {
        case kRegConfig: write_general_config(merged(state_.config)); return;
        case kRegStatus: clear_status(value & mask); return;
        case kRegCounter: write_counter(merged(main_counter())); return;
        default: break;
    }
    if (reg < kTimerBase) return;  // capabilities: read-only
    unsigned n = (reg - kTimerBase) / kTimerStride, sub = (reg - kTimerBase) % kTimerStride;
    if (n >= kHpetTimers) return;
    if (sub == kTimerConfig) write_timer_config(n, merged(state_.timers[n].config));
    else if (sub == kTimerComparator) write_comparator(n, value, mask);
    (void)kTimerFsb;  // FSB route: not capable, writes ignored
}

uint64_t Hpet::io_read(uint64_t offset, unsigned size) {
    if (offset >= kWindowSize || (size != 4 && size != 8) || (offset & (size - 1))) return all_ones(size);
    uint64_t v = read64(unsigned(offset & ~7ull));
    return (v >> ((offset & 4) * 8)) & all_ones(size);
}

void Hpet::io_write(uint64_t offset, uint64_t value, unsigned size) {
    // The spec allows 32- and 64-bit accesses only; others are dropped.
    if (offset >= kWindowSize || (size != 4 && size != 8) || (offset & (size - 1))) return;
    unsigned shift = unsigned(offset & 4) * 8;
    write64(unsigned(offset & ~7ull), value << shift, all_ones(size) << shift);
}

// ---- general registers ----------------------------------------------------------

void Hpet::write_general_config(uint64_t v) {
    uint64_t old = state_.config;
    v &= kCfgEnable | kCfgLegacy;
    if ((old ^ v) & kCfgEnable) {
        // Freeze or restart the counter where it is.
        state_.counter_base = main_counter();
        state_.counter_base_ns = clock_.now_ns();
    }
    // Outputs move with the legacy bit; drop them on the old routes first.
    if ((old ^ v) & (kCfgLegacy | kCfgEnable))
        for (unsigned n = 0; n < kHpetTimers; ++n) drop_output(n);
    state_.config = v;
    if (!(v & kCfgEnable)) state_.isr = 0;
    arm_all();
    if (((old ^ v) & kCfgLegacy) && on_legacy_change) on_legacy_change(v & kCfgLegacy);
}

void Hpet::clear_status(uint64_t bits) {
    for (unsigned n = 0; n < kHpetTimers; ++n) {
        if (!(bits & (1ull << n))) continue;
        state_.isr &= ~(1ull << n);
        drop_output(n);
    }
}

void Hpet::write_counter(uint64_t v) {
    // Software should halt the counter first; if it does not, the new value
    // simply continues counting from now.
    state_.counter_base = v;
    state_.counter_base_ns = clock_.now_ns();
    arm_all();
}

// ---- timers ----------------------------------------------------------------------

void Hpet::write_timer_config(unsigned n, uint64_t v) {
    HpetTimerState& t = state_.timers[n];
    uint64_t old = t.config;
    v &= kTnWritable;
    unsigned r = unsigned((v & kTnRouteMask) >> kTnRouteShift);
    if (!((kRouteCap >> r) & 1)) v = (v & ~kTnRouteMask) | (old & kTnRouteMask);  // unsupported route
    if (v & kTn32Bit) {
        t.comparator &= 0xffffffff;
        t.period &= 0xffffffff;
    }
    drop_output(n);  // type, enable or route may have changed
    if (!(v & kTnLevel) || !(v & kTnIntEnable)) state_.isr &= ~(1ull << n);
    t.config = v;
    if ((state_.isr >> n) & 1) set_output(n, true);  // still pending level: re-assert on the (new) route
    arm(n);
}

void Hpet::write_comparator(unsigned n, uint64_t value, uint64_t mask) {
    HpetTimerState& t = state_.timers[n];
    bool narrow = t.config & kTn32Bit;
    uint64_t cmp = (t.comparator & ~mask) | (value & mask);
    uint64_t period = (t.period & ~mask) | (value & mask);
    if (narrow) {
        cmp &= 0xffffffff;
        period &= 0xffffffff;
    }
    if (!(t.config & kTnPeriodic) || (t.config & kTnValSet)) t.comparator = cmp;
    t.period = period;
    t.config &= ~kTnValSet;  // self-clearing
    arm(n);
}

void Hpet::arm_all() {
    for (unsigned n = 0; n < kHpetTimers; ++n) arm(n);
}

void Hpet::arm(unsigned n) {
    Timer* ct = clock_timers_[n];
    ct->cancel();
    if (!enabled()) return;
    const HpetTimerState& t = state_.timers[n];
    uint64_t width = t.config & kTn32Bit ? 0xffffffffull : ~0ull;
    uint64_t now_ns = clock_.now_ns();
    uint64_t elapsed_ticks = (now_ns - state_.counter_base_ns) / kTickNs;
    uint64_t counter = state_.counter_base + elapsed_ticks;
    uint64_t diff = (t.comparator - counter) & width;
    // Equal now means the match has just gone by: next one after a wrap.
    if (diff == 0) {
        if (width == ~0ull) return;
        diff = width + 1;
    }
    if (diff > kMaxArmTicks) return;
    ct->arm(state_.counter_base_ns + (elapsed_ticks + diff) * kTickNs);
}

void Hpet::fire(unsigned n) {
    HpetTimerState& t = state_.timers[n];
    if (!enabled()) return;
    if ((t.config & kTnPeriodic) && t.period != 0) {
        // Step the comparator past the counter (several periods if we ran late).
        uint64_t width = t.config & kTn32Bit ? 0xffffffffull : ~0ull;
        uint64_t late = (main_counter() - t.comparator) & width;
        t.comparator = (t.comparator + (late / t.period + 1) * t.period) & width;
    }
    set_output(n, true);
    arm(n);
}

// ---- interrupt outputs ---------------------------------------------------------------

bool Hpet::route(unsigned n, IrqSink*& sink, unsigned& pin) const {
    if (legacy() && n < 2) {
        sink = isa_;
        pin = n == 0 ? 0 : 8;
    } else {
        sink = gsi_;
        pin = unsigned((state_.timers[n].config & kTnRouteMask) >> kTnRouteShift);
    }
    return sink != nullptr;
}

void Hpet::set_output(unsigned n, bool fire) {
    HpetTimerState& t = state_.timers[n];
    uint64_t bit = 1ull << n;
    if (!fire || !(t.config & kTnIntEnable) || !enabled()) {
        state_.isr &= ~bit;
        drop_output(n);
        return;
    }
    IrqSink* sink;
    unsigned pin;
    bool routed = route(n, sink, pin);
    if (t.config & kTnLevel) {
        state_.isr |= bit;
        if (routed && !t.asserted) {
            sink->set_irq(pin, true);
            t.asserted = true;
            t.asserted_isa = legacy() && n < 2;
            t.asserted_pin = pin;
        }
    } else if (routed) {
        sink->set_irq(pin, true);  // edge: one pulse
        sink->set_irq(pin, false);
    }
}

void Hpet::drop_output(unsigned n) {
    HpetTimerState& t = state_.timers[n];
    if (!t.asserted) return;
    t.asserted = false;
    IrqSink* sink = t.asserted_isa ? isa_ : gsi_;
    if (sink) sink->set_irq(t.asserted_pin, false);
}

}  // namespace petrel
