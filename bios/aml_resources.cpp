// Resource descriptor encodings (ACPI 6.x 6.4.2 small and 6.4.3 large
// resource data types). Multi-byte fields are little-endian.
#include "bios/aml_resources.h"

#include <stdexcept>

namespace petrel::aml {

Bytes memory32_fixed(uint32_t base, uint32_t length, bool writable) {
    Bytes out{0x86, 9, 0, uint8_t(writable ? 1 : 0)};  // large item 0x06, 9 data bytes
    for (int i = 0; i < 4; ++i) out.push_back(uint8_t(base >> (8 * i)));
    for (int i = 0; i < 4; ++i) out.push_back(uint8_t(length >> (8 * i)));
    return out;
}

namespace {
constexpr uint8_t kProducerFixed = 0x0c;  // general flags: MaxFixed | MinFixed, producer, positive decode

void put_le(Bytes& out, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

// Word (0x88) or DWord (0x87) address space descriptor.
Bytes address_space(uint8_t tag, unsigned width, uint8_t type, uint8_t type_flags, uint64_t min, uint64_t max) {
    Bytes out{tag};
    put_le(out, 3 + 5 * width, 2);  // descriptor length after the length field
    out.push_back(type);
    out.push_back(kProducerFixed);
    out.push_back(type_flags);
    put_le(out, 0, width);              // granularity
    put_le(out, min, width);
    put_le(out, max, width);
    put_le(out, 0, width);              // translation offset
    put_le(out, max - min + 1, width);  // length
    return out;
}
}  // namespace

Bytes word_bus_number(uint16_t min, uint16_t max) { return address_space(0x88, 2, 2, 0, min, max); }
Bytes word_io(uint16_t min, uint16_t max) { return address_space(0x88, 2, 1, 0x03, min, max); }
Bytes dword_memory(uint32_t min, uint32_t max, bool cacheable) {
    return address_space(0x87, 4, 0, uint8_t(0x01 | (cacheable ? 0x02 : 0)), min, max);
}
Bytes qword_memory(uint64_t min, uint64_t max, bool cacheable) {
    return address_space(0x8a, 8, 0, uint8_t(0x01 | (cacheable ? 0x02 : 0)), min, max);
}

Bytes io(uint16_t min, uint16_t max, uint8_t alignment, uint8_t length) {
    // Small item 0x08 (I/O port), 7 data bytes; information bit 0: 16-bit decode.
    return {0x47, 0x01, uint8_t(min), uint8_t(min >> 8), uint8_t(max), uint8_t(max >> 8), alignment, length};
}

Bytes io_port(uint16_t base, uint8_t length) { return io(base, base, 1, length); }

Bytes irq_no_flags(std::initializer_list<uint8_t> irqs) {
    // Small item 0x04 (IRQ), 2 data bytes: the mask; no information byte
    // means edge triggered, active high, exclusive.
    uint16_t mask = 0;
    for (uint8_t irq : irqs) {
        if (irq > 15) throw std::invalid_argument("IRQ descriptor: ISA IRQs are 0-15");
        mask = uint16_t(mask | 1u << irq);
    }
    return {0x22, uint8_t(mask), uint8_t(mask >> 8)};
}

Bytes interrupt(InterruptFlags flags, std::initializer_list<uint32_t> irqs) {
    if (irqs.size() == 0 || irqs.size() > 255) throw std::invalid_argument("interrupt descriptor: 1-255 interrupts");
    Bytes out{0x89};  // large item 0x09, extended interrupt
    put_le(out, 2 + 4 * irqs.size(), 2);
    // Flags: bit 0 consumer, bit 1 edge (0 = level), bit 2 active low, bit 3 shared.
    out.push_back(uint8_t(0x01 | (flags.level ? 0 : 0x02) | (flags.active_high ? 0 : 0x04) | (flags.shared ? 0x08 : 0)));
    out.push_back(uint8_t(irqs.size()));
    for (uint32_t irq : irqs) put_le(out, irq, 4);
    return out;
}

Bytes end_tag() { return {0x79, 0x00}; }


}  // namespace petrel::aml
