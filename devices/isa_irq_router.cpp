// ISA IRQ and PCI PIRQ fan-out to the 8259 pair and the I/O APIC. See
// isa_irq_router.h.
#include "devices/isa_irq_router.h"

namespace petrel {

IsaIrqRouter::IsaIrqRouter(IrqSink* pic, IrqSink* ioapic) : pic_(pic), ioapic_(ioapic) {}

int IsaIrqRouter::routed_irq(uint8_t reg) {
    if (reg & 0x80) return -1;
    unsigned irq = reg & 0x0f;
    // IRQ 0-2, 8 and 13 are reserved encodings in the PIIX3 (system timer,
    // keyboard, cascade, RTC, FPU error).
    constexpr uint16_t kRoutable = 0xdef8;  // 3-7, 9-12, 14, 15
    return (kRoutable >> irq) & 1 ? int(irq) : -1;
}

bool IsaIrqRouter::level_of(unsigned irq) const {
    bool level = (state_.isa_levels >> irq) & 1;
    for (unsigned p = 0; p < kPirqs; ++p)
        if (((state_.pirq_levels >> p) & 1) && routed_irq(state_.pirq_route[p]) == int(irq)) level = true;
    return level;
}

void IsaIrqRouter::update(unsigned irq) {
    bool level = level_of(irq);
    uint16_t bit = uint16_t(1u << irq);
    if (bool(state_.output & bit) == level) return;
    state_.output = level ? (state_.output | bit) : (state_.output & ~bit);
    if (pic_) pic_->set_irq(irq, level);
    if (ioapic_ && irq != 2) ioapic_->set_irq(ioapic_pin(irq), level);
}

void IsaIrqRouter::update_all() {
    for (unsigned irq = 0; irq < kIsaIrqs; ++irq) update(irq);
}

void IsaIrqRouter::set_irq(unsigned irq, bool level) {
    if (irq >= kIsaIrqs) return;
    uint16_t bit = uint16_t(1u << irq);
    state_.isa_levels = level ? (state_.isa_levels | bit) : (state_.isa_levels & ~bit);
    update(irq);
}

void IsaIrqRouter::set_pirq_route(unsigned pirq, uint8_t reg) {
    if (pirq >= kPirqs) return;
    state_.pirq_route[pirq] = reg;
    update_all();
}

void IsaIrqRouter::PirqSink::set_irq(unsigned pin, bool level) {
    if (pin >= kPirqs) return;
    uint8_t bit = uint8_t(1u << pin);
    router.state_.pirq_levels = level ? (router.state_.pirq_levels | bit) : (router.state_.pirq_levels & ~bit);
    int irq = routed_irq(router.state_.pirq_route[pin]);
    if (irq >= 0) router.update(unsigned(irq));
}

}  // namespace petrel
