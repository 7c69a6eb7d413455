// ACPI tables for direct boot (no BIOS to build them): RSDP v2, RSDT, XSDT,
// FADT (revision 3), FACS, DSDT, MADT and HPET, describing the i440FX/PIIX4
// board of bios/pc_platform.h. The builders return each table's bytes so
// tests can check them; install_acpi_tables() lays them out in guest RAM and
// links the pointers.
//
// The DSDT (AML from bios/aml_builder.h, laid out in bios/dsdt*.cpp) holds
// \_S5 (soft-off SLP_TYP) and describes the board as QEMU's pc DSDT does:
// \_SB.PCI0 (PNP0A03 with the host bridge windows in _CRS and a _PRT for
// 32 slots x 4 pins), the PIIX3 ISA bridge \_SB.PCI0.ISA with KBD, MOU, COM1
// (COM2-COM4 with serial_ports) and RTC, the PCI interrupt links
// \_SB.LNKA-LNKD over the PIIX3 PIRQ route registers plus LNKS for the SCI,
// and \_SB.HPET. See bios/dsdt.h.
//
// SMI_CMD is 0: there is no SMM, the board is always in ACPI mode, and OSPM
// (Linux: acpi_hw_get_mode) then does not try to switch modes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "bios/boot_state.h"
#include "bios/pc_platform.h"

namespace petrel {

class PhysicalMemory;

struct AcpiConfig {
    unsigned cpus = 1;                    // LAPIC ids 0..cpus-1, ACPI processor uids the same
    bool hpet = true;
    unsigned serial_ports = 1;            // COM1..COMn in the DSDT (1-4, pc::kSerialPorts)
    uint16_t pm_base = pc::kAcpiPmBase;
    uint8_t sci_irq = pc::kAcpiSciIrq;
    uint16_t pci_irq_mask = pc::kPciIrqMask;  // ISA IRQs overridden to level/active high
    // Start of the 32-bit PCI memory window (end of RAM below 4 GiB); the
    // window runs to just below the IOAPIC at 0xfec00000.
    uint32_t pci_hole_start = 0xe0000000;
    // RAM above 4 GiB; the 64-bit PCI window starts at the first 1 GiB
    // boundary above it (QEMU's pci-hole64), when pci_hole64 is set.
    uint64_t above_4g = 0;
    bool pci_hole64 = true;
};

constexpr size_t kAcpiHeaderSize = 36;
constexpr size_t kRsdpSize = 36;
constexpr size_t kFadtRev3Size = 244;
constexpr size_t kFacsSize = 64;

// One table. For RSDP, signature is "RSD PTR ".
struct AcpiTable {
    std::string signature;
    uint64_t addr = 0;
    std::vector<uint8_t> bytes;
};

// The common 36-byte header (length and checksum still 0) and the step that
// sets both once the body is complete.
std::vector<uint8_t> acpi_table_header(const char* sig, uint8_t revision, const char* table_id);
std::vector<uint8_t> acpi_table_finish(std::vector<uint8_t> t);

std::vector<uint8_t> build_dsdt(const AcpiConfig& cfg);  // bios/dsdt.cpp
std::vector<uint8_t> build_facs();
std::vector<uint8_t> build_fadt(const AcpiConfig& cfg, uint32_t facs_addr, uint32_t dsdt_addr);
std::vector<uint8_t> build_madt(const AcpiConfig& cfg);
std::vector<uint8_t> build_hpet_table();
std::vector<uint8_t> build_rsdt(const std::vector<uint32_t>& tables);
std::vector<uint8_t> build_xsdt(const std::vector<uint64_t>& tables);
std::vector<uint8_t> build_rsdp(uint32_t rsdt_addr, uint64_t xsdt_addr);

struct AcpiInstall {
    uint64_t rsdp_addr = 0;
    uint64_t region_used = 0;        // bytes used from region_base
    std::vector<AcpiTable> tables;   // RSDP first, then as laid out
};

// Writes the RSDP at rsdp_addr (16-byte aligned, in 0xe0000-0xfffff where
// OSes scan for it) and every other table in [region_base, region_base +
// region_size). Throws LoadError if the region is too small or not RAM.
AcpiInstall install_acpi_tables(PhysicalMemory& mem, const AcpiConfig& cfg, uint64_t rsdp_addr,
                                uint64_t region_base, uint64_t region_size);

}  // namespace petrel
