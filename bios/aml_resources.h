// Resource descriptors for the buffers of _CRS, _PRS and _SRS (ACPI 6.x
// 6.4, Resource Data Types): small items (IRQ, I/O port, End Tag) and large
// items (32-bit fixed memory, extended interrupt, Word/DWord/QWord address
// space). A template is concat() of descriptors ending with end_tag(), wrapped
// in aml::buffer().
#pragma once
#include <cstdint>
#include <initializer_list>

#include "bios/aml_builder.h"

namespace petrel::aml {

// IRQNoFlags() {irqs}: edge triggered, active high, exclusive (ISA devices).
Bytes irq_no_flags(std::initializer_list<uint8_t> irqs);
// IO(Decode16, min, max, alignment, length)
Bytes io(uint16_t min, uint16_t max, uint8_t alignment, uint8_t length);
Bytes io_port(uint16_t base, uint8_t length);  // IO(Decode16, base, base, 1, length)
Bytes memory32_fixed(uint32_t base, uint32_t length, bool writable);
// Interrupt(ResourceConsumer, Level|Edge, ActiveHigh|ActiveLow, Shared|Exclusive) {irqs}
struct InterruptFlags {
    bool level = true;
    bool active_high = true;
    bool shared = true;
};
Bytes interrupt(InterruptFlags flags, std::initializer_list<uint32_t> irqs);
// Offset of the first interrupt number inside interrupt()'s descriptor (for
// CreateDWordField in _CRS/_SRS methods).
constexpr unsigned kInterruptFirstIrqOffset = 5;

// Bridge windows (ResourceProducer, MinFixed, MaxFixed, PosDecode), as a
// PCI host bridge's _CRS lists them.
Bytes word_bus_number(uint16_t min, uint16_t max);
Bytes word_io(uint16_t min, uint16_t max);  // EntireRange
Bytes dword_memory(uint32_t min, uint32_t max, bool cacheable);  // ReadWrite
Bytes qword_memory(uint64_t min, uint64_t max, bool cacheable);  // ReadWrite

Bytes end_tag();  // EndTag with checksum 0 ("ignore")

}  // namespace petrel::aml
