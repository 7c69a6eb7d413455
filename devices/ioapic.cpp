// 82093AA I/O APIC: indirect register access and redirection-entry delivery.
// See ioapic.h for the model.
#include "devices/ioapic.h"

namespace petrel {

namespace {

constexpr uint64_t kVectorMask = 0xff;
constexpr uint64_t kLogical = 1ull << 11;
constexpr uint64_t kRemoteIrr = 1ull << 14;
constexpr uint64_t kLevel = 1ull << 15;
constexpr uint64_t kMasked = 1ull << 16;
// Vector, delivery mode, destination mode, polarity, trigger, mask; and the
// destination byte. Delivery status (12) and remote IRR (14) are read-only.
constexpr uint64_t kWritable = 0xff00000000000000ull | 0x1afffull;

constexpr unsigned kRegId = 0x00, kRegVersion = 0x01, kRegArbitration = 0x02, kRegRedirBase = 0x10;
constexpr uint64_t kIoRegSel = 0x00, kIoWin = 0x10, kEoi = 0x40;

}  // namespace

IoApic::IoApic(uint8_t version) : version_(version) { reset(); }

void IoApic::reset() {
    uint32_t levels = state_.pin_levels;  // the wires keep their levels
    state_ = IoApicState{};
    state_.redir.fill(kMasked);
    state_.pin_levels = levels;
}

// ---- register window -------------------------------------------------------

uint32_t IoApic::read_register(uint8_t index) const {
    if (index == kRegId) return uint32_t(state_.id & 0xf) << 24;
    if (index == kRegVersion) return version_register();
    if (index == kRegArbitration) return uint32_t(state_.id & 0xf) << 24;  // arbitration ID loads from ID
    unsigned n = (index - kRegRedirBase) / 2;
    if (index >= kRegRedirBase && n < kIoApicPins) {
        uint64_t e = state_.redir[n];
        return uint32_t(index & 1 ? e >> 32 : e);
    }
    return 0;
}

void IoApic::write_register(uint8_t index, uint32_t value) {
    if (index == kRegId) {
        state_.id = (value >> 24) & 0xf;
        return;
    }
    unsigned n = (index - kRegRedirBase) / 2;
    if (index < kRegRedirBase || n >= kIoApicPins) return;  // version, arbitration: read-only
    uint64_t old = state_.redir[n];
    uint64_t merged = index & 1 ? (old & 0xffffffffull) | (uint64_t(value) << 32)
                                : (old & ~0xffffffffull) | value;
    uint64_t e = (merged & kWritable) | (old & kRemoteIrr);
    if (!(e & kLevel)) e &= ~kRemoteIrr;  // an edge entry has no remote IRR
    state_.redir[n] = e;
    if (e & kLevel) service(n);  // unmasking an asserted level input sends it now
}

uint64_t IoApic::io_read(uint64_t offset, unsigned size) {
    if (offset < kIoRegSel + 4) return (uint64_t(state_.regsel) >> ((offset & 3) * 8)) & all_ones(size);
    if (offset >= kIoWin && offset < kIoWin + 4)
        return (uint64_t(read_register(state_.regsel)) >> ((offset & 3) * 8)) & all_ones(size);
    return 0;
}

void IoApic::io_write(uint64_t offset, uint64_t value, unsigned size) {
    if (offset == kIoRegSel) {
        state_.regsel = uint8_t(value);
    } else if (offset == kIoWin && size >= 4) {  // IOWIN is dword-only
        write_register(state_.regsel, uint32_t(value));
    } else if (offset == kEoi && size >= 4 && version_ >= 0x20) {
        eoi(uint8_t(value));
    }
}

// ---- inputs and delivery ----------------------------------------------------------

void IoApic::set_irq(unsigned pin, bool level) {
    if (pin >= kIoApicPins) return;
    uint32_t bit = 1u << pin;
    bool was = state_.pin_levels & bit;
    state_.pin_levels = level ? (state_.pin_levels | bit) : (state_.pin_levels & ~bit);
    bool level_entry = state_.redir[pin] & kLevel;
    if (level && (level_entry || !was)) service(pin);  // level: while asserted; edge: rising only
}

void IoApic::service(unsigned pin) {
    uint64_t& e = state_.redir[pin];
    if (e & kMasked) return;
    if (e & kLevel) {
        bool asserted = state_.pin_levels & (1u << pin);
        if (!asserted || (e & kRemoteIrr)) return;
        e |= kRemoteIrr;  // until the local APIC's EOI comes back
    }
    auto mode = ApicDelivery((e >> 8) & 7);
    if (mode == ApicDelivery(3) || mode == ApicDelivery::StartUp) return;  // reserved for the IOAPIC
    ApicMessage m;
    m.vector = uint8_t(e & kVectorMask);
    m.mode = mode;
    m.logical = e & kLogical;
    m.level_triggered = e & kLevel;
    m.dest = uint8_t(e >> 56);
    if (on_message) on_message(m);
}

void IoApic::eoi(uint8_t vector) {
    for (unsigned pin = 0; pin < kIoApicPins; ++pin) {
        uint64_t& e = state_.redir[pin];
        if ((e & kLevel) && (e & kRemoteIrr) && (e & kVectorMask) == vector) {
            e &= ~kRemoteIrr;
            service(pin);  // still asserted: the device wants service again
        }
    }
}

}  // namespace petrel
