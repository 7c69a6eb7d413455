#include "devices/pic.h"

namespace petrel {

namespace {

constexpr unsigned kCascadeInput = 2;
// Inputs that the PIIX ELCR cannot make level-triggered (IRQ0-2, 8, 13).
constexpr uint8_t kElcrMask[2] = {0xf8, 0xde};

// Priority rank of the best request in `mask` (0 = highest), 8 if none.
// Rank n belongs to input (n + lowest + 1) & 7.
unsigned best_rank(uint8_t mask, uint8_t lowest) {
    for (unsigned n = 0; n < 8; ++n)
        if (mask & (1u << ((n + lowest + 1) & 7))) return n;
    return 8;
}

unsigned rank_to_irq(unsigned rank, uint8_t lowest) { return (rank + lowest + 1) & 7; }

}  // namespace

Pic::Pic() { reset(); }

void Pic::reset() {
    for (unsigned i = 0; i < 2; ++i) {
        PicChipState& c = state_.chip[i];
        uint8_t pins = c.pins, elcr = c.elcr;
        c = PicChipState{};
        c.pins = pins;
        c.elcr = elcr;
        c.irr = pins & elcr;
    }
    update();
}

// ---- inputs ---------------------------------------------------------------

void Pic::set_irq(unsigned pin, bool level) {
    if (pin >= 16 || pin == kCascadeInput) return;  // IRQ2 is the cascade, not a device line
    set_pin(pin / 8, pin % 8, level);
    update();
}

void Pic::set_pin(int idx, unsigned line, bool level) {
    PicChipState& c = state_.chip[idx];
    uint8_t bit = uint8_t(1u << line);
    bool was = c.pins & bit;
    c.pins = level ? (c.pins | bit) : (c.pins & ~bit);
    if (c.elcr & bit) {
        c.irr = level ? (c.irr | bit) : (c.irr & ~bit);
    } else if (level && !was) {
        c.irr |= bit;  // rising edge latches until acknowledged
    }
}

// ---- priority resolution ----------------------------------------------------

int Pic::pending_irq(int idx) const {
    const PicChipState& c = state_.chip[idx];
    unsigned rank = best_rank(c.irr & ~c.imr, c.lowest_prio);
    if (rank == 8) return -1;
    // In special mask mode a masked in-service level does not block others.
    uint8_t blocking = c.special_mask ? (c.isr & ~c.imr) : c.isr;
    unsigned cur = best_rank(blocking, c.lowest_prio);
    int irq = int(rank_to_irq(rank, c.lowest_prio));
    if (rank < cur) return irq;
    // Special fully nested: the slave may interrupt its own in-service cascade.
    if (idx == 0 && c.special_fully_nested && rank == cur && irq == int(kCascadeInput)) return irq;
    return -1;
}

void Pic::acknowledge(int idx, int irq) {
    PicChipState& c = state_.chip[idx];
    uint8_t bit = uint8_t(1u << irq);
    if (c.auto_eoi) {
        if (c.rotate_on_aeoi) c.lowest_prio = uint8_t(irq);
    } else {
        c.isr |= bit;
    }
    if (!(c.elcr & bit)) c.irr &= ~bit;
}

void Pic::update() {
    PicChipState& m = state_.chip[0];
    bool slave_out = pending_irq(1) >= 0;
    uint8_t bit = 1u << kCascadeInput;
    // The cascade input latches like an edge input, but a slave that still
    // requests after an acknowledge re-requests without needing a new edge.
    m.pins = slave_out ? (m.pins | bit) : (m.pins & ~bit);
    if (slave_out) m.irr |= bit;
    bool intr = pending_irq(0) >= 0;
    if (intr != state_.intr) {
        state_.intr = intr;
        intr_.set(intr);
    }
}

uint8_t Pic::inta() {
    PicChipState& m = state_.chip[0];
    PicChipState& s = state_.chip[1];
    int irq = pending_irq(0);
    uint8_t vector;
    if (irq < 0) {
        vector = m.vector_base + 7;  // request vanished before INTA: spurious IRQ7, no ISR bit
    } else if (irq == int(kCascadeInput) && !m.single) {
        acknowledge(0, irq);
        int sirq = pending_irq(1);
        if (sirq < 0) {
            vector = s.vector_base + 7;  // spurious IRQ15: master IRQ2 stays in service
        } else {
            acknowledge(1, sirq);
            vector = uint8_t(s.vector_base + sirq);
        }
    } else {
        acknowledge(0, irq);
        vector = uint8_t(m.vector_base + irq);
    }
    update();
    return vector;
}

// ---- ports --------------------------------------------------------------------

uint8_t Pic::poll_read(int idx) {
    int irq = pending_irq(idx);
    if (irq < 0) return 0;
    acknowledge(idx, irq);
    update();
    return uint8_t(0x80 | irq);
}

uint8_t Pic::read_port(int idx, unsigned port) {
    PicChipState& c = state_.chip[idx];
    if (c.poll) {
        c.poll = false;
        return poll_read(idx);
    }
    if (port == 1) return c.imr;
    return c.read_isr ? c.isr : c.irr;
}

void Pic::write_port(int idx, unsigned port, uint8_t v) {
    if (port == 1) write_data(idx, v);
    else if (v & 0x10) write_icw1(idx, v);
    else if (v & 0x08) write_ocw3(idx, v);
    else write_ocw2(idx, v);
    update();
}

void Pic::write_icw1(int idx, uint8_t v) {
    PicChipState& c = state_.chip[idx];
    // Initialization clears IMR/ISR, priorities and modes; edge detectors are
    // reset, so a still-high edge input needs a fresh rising edge.
    PicChipState fresh;
    fresh.pins = c.pins;
    fresh.elcr = c.elcr;
    fresh.irr = c.pins & c.elcr;
    fresh.vector_base = c.vector_base;
    fresh.icw3 = c.icw3;
    fresh.icw4_needed = v & 0x01;
    fresh.single = v & 0x02;
    fresh.init_step = 2;
    c = fresh;
}

void Pic::write_data(int idx, uint8_t v) {
    PicChipState& c = state_.chip[idx];
    switch (c.init_step) {
    case 2:
        c.vector_base = v & 0xf8;
        c.init_step = c.single ? (c.icw4_needed ? 4 : 0) : 3;
        break;
    case 3:
        c.icw3 = v;
        c.init_step = c.icw4_needed ? 4 : 0;
        break;
    case 4:
        c.auto_eoi = v & 0x02;
        c.special_fully_nested = v & 0x10;
        c.init_step = 0;
        break;
    default:
        c.imr = v;  // OCW1
        break;
    }
}

void Pic::write_ocw2(int idx, uint8_t v) {
    PicChipState& c = state_.chip[idx];
    unsigned level = v & 7;
    bool rotate = v & 0x80, specific = v & 0x40, eoi = v & 0x20;
    if (!eoi) {
        if (specific && rotate) c.lowest_prio = uint8_t(level);   // set priority
        else if (!specific) c.rotate_on_aeoi = rotate;            // (clear) rotate in AEOI
        return;
    }
    int irq;
    if (specific) {
        irq = int(level);
    } else {
        unsigned rank = best_rank(c.isr, c.lowest_prio);
        if (rank == 8) return;
        irq = int(rank_to_irq(rank, c.lowest_prio));
    }
    c.isr &= uint8_t(~(1u << irq));
    if (rotate) c.lowest_prio = uint8_t(irq);
}

void Pic::write_ocw3(int idx, uint8_t v) {
    PicChipState& c = state_.chip[idx];
    if (v & 0x04) c.poll = true;
    if (v & 0x02) c.read_isr = v & 0x01;
    if (v & 0x40) c.special_mask = v & 0x20;
}

// An ISA bus splits wider accesses into consecutive byte cycles.
uint64_t Pic::ChipIo::io_read(uint64_t offset, unsigned size) {
    uint64_t r = 0;
    for (unsigned i = 0; i < size && i < 8; ++i) {
        uint64_t port = offset + i;
        uint8_t b = port < 2 ? pic_.read_port(idx_, unsigned(port)) : 0xff;
        r |= uint64_t(b) << (8 * i);
    }
    return r;
}

void Pic::ChipIo::io_write(uint64_t offset, uint64_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 8; ++i)
        if (offset + i < 2) pic_.write_port(idx_, unsigned(offset + i), uint8_t(value >> (8 * i)));
}

uint64_t Pic::ElcrIo::io_read(uint64_t offset, unsigned size) {
    uint64_t r = 0;
    for (unsigned i = 0; i < size && i < 8; ++i) {
        uint64_t port = offset + i;
        uint8_t b = port < 2 ? pic_.state_.chip[port].elcr : 0xff;
        r |= uint64_t(b) << (8 * i);
    }
    return r;
}

void Pic::ElcrIo::io_write(uint64_t offset, uint64_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 8; ++i) {
        uint64_t port = offset + i;
        if (port >= 2) continue;
        PicChipState& c = pic_.state_.chip[port];
        c.elcr = uint8_t(value >> (8 * i)) & kElcrMask[port];
        // Level inputs now follow their pins.
        c.irr = uint8_t((c.irr & ~c.elcr) | (c.pins & c.elcr));
    }
    pic_.update();
}

}  // namespace petrel
