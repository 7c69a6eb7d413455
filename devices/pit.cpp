#include "devices/pit.h"

namespace petrel {

namespace {

constexpr uint64_t kNsPerSec = 1'000'000'000;
constexpr uint64_t kNever = UINT64_MAX;

uint64_t ns_to_ticks(uint64_t ns) { return uint64_t((unsigned __int128)ns * kPitHz / kNsPerSec); }
// Earliest time offset at which ns_to_ticks() reaches `ticks`.
uint64_t ticks_to_ns(uint64_t ticks) {
    return uint64_t(((unsigned __int128)ticks * kNsPerSec + kPitHz - 1) / kPitHz);
}

uint32_t modulus(const PitChannelState& c) { return c.bcd ? 10000 : 0x10000; }

uint32_t bcd_to_bin(uint16_t v) {
    return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;
}
uint16_t bin_to_bcd(uint32_t v) {
    v %= 10000;
    return uint16_t((v % 10) | ((v / 10 % 10) << 4) | ((v / 100 % 10) << 8) | ((v / 1000) << 12));
}

// Periodic modes need a period of at least 2 clocks to have a defined OUT.
uint64_t period(const PitChannelState& c) { return c.count < 2 ? 2 : c.count; }
bool gated_mode(uint8_t mode) { return mode != 1 && mode != 5; }

// OUT level after `d` input clocks of counting (datasheet waveforms).
bool out_at(const PitChannelState& c, uint64_t d) {
    if (!c.counting) return c.mode != 0;          // after a control word: mode 0 low, others high
    if (c.frozen && (c.mode == 2 || c.mode == 3)) return true;  // gate low forces OUT high
    uint64_t n = c.count, p = period(c);
    switch (c.mode) {
    case 0: case 1: return d >= n;
    case 2: return d % p != p - 1;                 // one clock low before each reload
    case 3: return d % p < (p + 1) / 2;            // high for the first (larger) half
    default: return d != n;                        // modes 4/5: one clock low strobe
    }
}

// First clock count after `d` at which OUT changes, or kNever.
uint64_t next_transition(const PitChannelState& c, uint64_t d) {
    if (!c.counting || c.frozen) return kNever;
    uint64_t n = c.count, p = period(c);
    uint64_t base = d - d % p, pos = d % p;
    switch (c.mode) {
    case 0: case 1: return d < n ? n : kNever;
    case 2: return pos < p - 1 ? base + p - 1 : base + p;
    case 3: return pos < (p + 1) / 2 ? base + (p + 1) / 2 : base + p;
    default: return d < n ? n : d == n ? n + 1 : kNever;
    }
}

uint32_t counter_at(const PitChannelState& c, uint64_t d) {
    uint32_t m = modulus(c);
    if (!c.counting) return c.count % m;
    uint64_t n = c.count, p = period(c);
    switch (c.mode) {
    case 2: return uint32_t((p - d % p) % m);
    case 3: return uint32_t(((p - (2 * d) % p) & ~uint64_t(1)) % m);  // counts down by two
    default: return uint32_t((n + m - d % m) % m);                    // wraps after terminal count
    }
}

}  // namespace

Pit::Pit(Clock& clock) : clock_(clock), timer_(clock.new_timer([this] { irq_timer_fired(); })) { reset(); }

void Pit::reset() {
    timer_->cancel();
    bool gate2 = state_.ch[2].gate;
    state_ = PitState{};
    state_.ch[2].gate = gate2;
    if (irq0_.level()) irq0_.lower();
}

uint64_t Pit::elapsed_ticks(const PitChannelState& c) const {
    if (!c.counting) return 0;
    if (c.frozen) return c.frozen_ticks;
    return ns_to_ticks(clock_.now_ns() - c.load_ns) - c.tick_origin;
}

// Applies a deferred mode 2/3 count once its reload point has passed: the
// new period starts at that reload.
void Pit::settle(PitChannelState& c) const {
    if (!c.reload_pending || !c.counting || c.frozen) return;
    if (elapsed_ticks(c) < c.reload_tick) return;
    c.tick_origin += c.reload_tick;  // whole clocks: no rounding drift
    c.count = c.reload_count;
    c.reload_pending = false;
    c.null_count = false;
}

PitChannelState Pit::settled(unsigned ch) const {
    PitChannelState c = state_.ch[ch];
    settle(c);
    return c;
}

bool Pit::out(unsigned ch) const {
    if (ch >= 3) return false;
    PitChannelState c = settled(ch);
    return out_at(c, elapsed_ticks(c));
}

uint32_t Pit::counter(unsigned ch) const {
    if (ch >= 3) return 0;
    PitChannelState c = settled(ch);
    return counter_at(c, elapsed_ticks(c));
}

// ---- gate -------------------------------------------------------------------

void Pit::set_gate(unsigned ch, bool level) {
    if (ch >= 3) return;
    PitChannelState& c = state_.ch[ch];
    if (c.gate == level) return;
    settle(c);
    uint64_t now = clock_.now_ns();
    if (!level) {
        // Modes 0/4 pause; modes 2/3 stop with OUT high. Modes 1/5 ignore a low gate.
        if (c.counting && gated_mode(c.mode) && !c.frozen) {
            c.frozen_ticks = elapsed_ticks(c);
            c.frozen = true;
        }
    } else if (c.mode == 0 || c.mode == 4) {
        if (c.frozen) {
            c.load_ns = now - ticks_to_ns(c.frozen_ticks);  // resume where it paused
            c.tick_origin = 0;
            c.frozen = false;
        }
    } else if (c.mode == 2 || c.mode == 3) {
        if (c.counting) {  // rising gate reloads from the count register
            if (c.reload_pending) {
                c.count = c.reload_count;
                c.reload_pending = false;
                c.null_count = false;
            }
            c.load_ns = now;
            c.tick_origin = 0;
            c.frozen = false;
        }
    } else if (c.has_count) {
        // Modes 1/5: a rising edge (re)triggers with the count register's value.
        uint32_t v = c.bcd ? bcd_to_bin(c.written) : c.written;
        c.count = v ? v : modulus(c);
        c.null_count = false;
        c.counting = true;
        c.frozen = false;
        c.load_ns = now;
        c.tick_origin = 0;
    }
    c.gate = level;
    if (ch == 0) schedule_irq();
}

// ---- count register ---------------------------------------------------------

void Pit::load_count(unsigned ch) {
    PitChannelState& c = state_.ch[ch];
    c.has_count = true;
    if (c.mode == 1 || c.mode == 5) {
        c.null_count = true;  // transferred at the next gate trigger
        return;
    }
    uint32_t v = c.bcd ? bcd_to_bin(c.written) : c.written;
    v = v ? v : modulus(c);
    settle(c);
    if ((c.mode == 2 || c.mode == 3) && c.counting && !c.frozen) {
        // A running periodic counter finishes its period first.
        uint64_t d = elapsed_ticks(c), p = period(c);
        c.reload_pending = true;
        c.reload_count = v;
        c.reload_tick = d - d % p + p;
        c.null_count = true;
        if (ch == 0) schedule_irq();
        return;
    }
    c.reload_pending = false;
    c.count = v;
    c.null_count = false;
    c.counting = true;
    c.load_ns = clock_.now_ns();
    c.tick_origin = 0;
    c.frozen = !c.gate;
    c.frozen_ticks = 0;
    if (ch == 0) schedule_irq();
}

void Pit::write_count(unsigned ch, uint8_t v) {
    PitChannelState& c = state_.ch[ch];
    switch (c.access) {
    case 1: c.written = v; break;
    case 2: c.written = uint16_t(v << 8); break;
    default:
        if (!c.write_msb_next) {
            c.written = (c.written & 0xff00) | v;
            c.write_msb_next = true;
            if (c.mode == 0) {  // the first byte of a mode 0 count stops the counter
                c.counting = false;
                if (ch == 0) schedule_irq();
            }
            return;
        }
        c.written = uint16_t((c.written & 0x00ff) | (v << 8));
        c.write_msb_next = false;
        break;
    }
    load_count(ch);
}

void Pit::latch_count(unsigned ch) {
    PitChannelState& c = state_.ch[ch];
    if (c.count_latched) return;  // a second latch before reading is ignored
    uint32_t v = counter(ch);
    c.latched_count = c.bcd ? bin_to_bcd(v) : uint16_t(v);
    c.latched_access = c.access;
    c.latched_msb_next = false;
    c.count_latched = true;
}

void Pit::latch_status(unsigned ch) {
    if (state_.ch[ch].status_latched) return;
    PitChannelState c = settled(ch);  // a copy: channel 0's IRQ schedule stays consistent
    state_.ch[ch].latched_status = uint8_t((out(ch) << 7) | (c.null_count << 6) | (c.access << 4) |
                               (c.mode << 1) | (c.bcd ? 1 : 0));
    state_.ch[ch].status_latched = true;
}

void Pit::write_control(uint8_t v) {
    unsigned sel = v >> 6;
    if (sel == 3) {  // read-back: bits 5/4 are active-low COUNT/STATUS, bits 3-1 select
        for (unsigned ch = 0; ch < 3; ++ch) {
            if (!(v & (2u << ch))) continue;
            if (!(v & 0x10)) latch_status(ch);
            if (!(v & 0x20)) latch_count(ch);
        }
        return;
    }
    unsigned access = (v >> 4) & 3;
    if (access == 0) {
        latch_count(sel);
        return;
    }
    PitChannelState& c = state_.ch[sel];
    uint8_t mode = (v >> 1) & 7;
    c.mode = mode > 5 ? mode - 4 : mode;
    c.access = uint8_t(access);
    c.bcd = v & 1;
    c.write_msb_next = c.read_msb_next = false;
    c.counting = false;
    c.reload_pending = false;
    c.has_count = false;
    c.null_count = true;
    c.frozen = false;
    c.written = 0;
    if (sel == 0) schedule_irq();
}

uint8_t Pit::read_channel(unsigned ch) {
    PitChannelState& c = state_.ch[ch];
    if (c.status_latched) {
        c.status_latched = false;
        return c.latched_status;
    }
    if (c.count_latched) {
        uint16_t v = c.latched_count;
        bool msb = c.latched_access == 2 || (c.latched_access == 3 && c.latched_msb_next);
        if (c.latched_access == 3 && !c.latched_msb_next) c.latched_msb_next = true;
        else c.count_latched = false;
        return uint8_t(msb ? v >> 8 : v);
    }
    uint32_t raw = counter(ch);
    uint16_t v = c.bcd ? bin_to_bcd(raw) : uint16_t(raw);
    bool msb = c.access == 2 || (c.access == 3 && c.read_msb_next);
    if (c.access == 3) c.read_msb_next = !c.read_msb_next;
    return uint8_t(msb ? v >> 8 : v);
}

uint64_t Pit::io_read(uint64_t offset, unsigned) {
    if (offset < 3) return read_channel(unsigned(offset));
    return 0xff;  // the control word register is write-only
}

void Pit::io_write(uint64_t offset, uint64_t value, unsigned) {
    if (offset < 3) write_count(unsigned(offset), uint8_t(value));
    else if (offset == 3) write_control(uint8_t(value));
}

// ---- IRQ0 -----------------------------------------------------------------------

// Sets IRQ0 to OUT0 now and arms the timer for the next OUT0 transition.
void Pit::schedule_irq() {
    PitChannelState& c = state_.ch[0];
    settle(c);
    bool level = out(0);
    if (level != irq0_.level()) irq0_.set(level);
    uint64_t next = next_transition(c, elapsed_ticks(c));
    if (next == kNever) {
        timer_->cancel();
        return;
    }
    state_.ch[0].irq_tick = next;
    timer_->arm(c.load_ns + ticks_to_ns(c.tick_origin + next));
}

// Replays every transition in order (each rising edge is one IRQ0), unless
// the host fell far behind, in which case the missed periods are dropped.
void Pit::irq_timer_fired() {
    PitChannelState& c = state_.ch[0];
    uint64_t tick = c.irq_tick;
    uint64_t now_tick = elapsed_ticks(c);
    if (now_tick > tick + kPitHz / 10) {
        schedule_irq();
        return;
    }
    bool level = out_at(c, tick);
    if (level != irq0_.level()) irq0_.set(level);
    if (c.reload_pending && tick >= c.reload_tick) {
        // This was the reload that takes the deferred count: restart from it.
        c.tick_origin += c.reload_tick;
        tick -= c.reload_tick;
        c.count = c.reload_count;
        c.reload_pending = false;
        c.null_count = false;
    }
    uint64_t next = next_transition(c, tick);
    if (next == kNever) return;
    c.irq_tick = next;
    timer_->arm(c.load_ns + ticks_to_ns(c.tick_origin + next));
}

}  // namespace petrel
