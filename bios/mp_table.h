// Intel MultiProcessor Specification 1.4 tables, for kernels that boot
// without ACPI (acpi=off, old kernels): the 16-byte floating pointer
// ("_MP_", found by scanning 0xf0000-0xfffff) and the configuration table
// ("PCMP") with one processor entry per CPU, buses PCI (id 0) and ISA (id 1),
// the IOAPIC, I/O interrupt entries for ISA IRQs 0-15 (IRQ0 on INTIN2, IRQ2
// skipped since the cascade has no line, PCI-routed IRQs level/active high as
// in the MADT), and local interrupts ExtINT on LINT0 and NMI on LINT1.
#pragma once
#include <cstdint>
#include <vector>

#include "bios/boot_state.h"
#include "bios/pc_platform.h"

namespace petrel {

class PhysicalMemory;

struct MpConfig {
    unsigned cpus = 1;
    uint16_t pci_irq_mask = pc::kPciIrqMask;
};

constexpr uint8_t kMpBusPci = 0;
constexpr uint8_t kMpBusIsa = 1;

// The configuration table for a table placed anywhere (it holds no pointers).
std::vector<uint8_t> build_mp_config_table(const MpConfig& cfg);
// The floating pointer naming the configuration table at config_addr.
std::vector<uint8_t> build_mp_floating_pointer(uint32_t config_addr);

// Writes both; float_addr must be 16-byte aligned. Returns the bytes used at
// config_addr. Throws LoadError if a range is not RAM.
uint64_t install_mp_table(PhysicalMemory& mem, const MpConfig& cfg, uint64_t float_addr, uint64_t config_addr);

}  // namespace petrel
