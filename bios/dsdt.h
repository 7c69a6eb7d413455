// The DSDT's parts, one builder per device group (build_dsdt() in
// bios/acpi_tables.h puts them together):
//
//   \_SB.PCI0            PNP0A03 host bridge: _ADR/_BBN/_UID 0, _CRS with the
//                        bus range, I/O and memory windows, static _PRT
//   \_SB.PCI0.ISA        PIIX3 PCI-to-ISA bridge 00:01.0, with the PIRQ route
//                        registers as OperationRegion P40C (PCI_Config 0x60-0x63)
//   \_SB.PCI0.ISA.KBD    PNP0303, MOU PNP0F13, COM1 PNP0501, RTC PNP0B00
//   \_SB.LNKA-LNKD       PNP0C0F links on PIRQA#-D#, LNKS the SCI link
//   \_SB.HPET            PNP0103
//
// Names and methods follow QEMU's pc DSDT, so OSes see the same namespace.
#pragma once
#include <cstdint>

#include "bios/acpi_tables.h"
#include "bios/aml_builder.h"

namespace petrel::dsdt {

// \_SB.PCI0 (its ISA bridge inside).
aml::Bytes pci_host_bridge(const AcpiConfig& cfg);
// The host bridge's _CRS resource template (the bytes inside the Buffer).
aml::Bytes pci_host_bridge_resources(const AcpiConfig& cfg);
// Name(_PRT, Package(128) {...}): 32 slots x INTA-INTD.
aml::Bytes pci_routing_table();
// \_SB.PCI0.ISA with the legacy devices.
aml::Bytes isa_bridge(const AcpiConfig& cfg);
// The PRQ0-PRQ3 field, the IQST/IQCR helpers and LNKA-LNKD, LNKS (in \_SB).
aml::Bytes pci_interrupt_links(const AcpiConfig& cfg);
// \_SB.HPET.
aml::Bytes hpet_device();

// The link a slot's INTx pin (0 = INTA) is wired to on the PIIX: PIRQA-D as
// 0-3, (slot + pin - 1) mod 4, the same swizzle as devices/pci PciBus::pirq_of
// and QEMU's pci_slot_get_pirq for the i440FX board.
constexpr unsigned pirq_of_slot(unsigned slot, unsigned pin) { return (slot + pin + 3) & 3; }
// The _PRT routes slot 1 INTA (the PIIX4 PM function 00:01.3, whose SCI is
// wired to IRQ 9) to LNKS instead of LNKA, as QEMU's DSDT does.
constexpr unsigned kSciLinkSlot = 1;

}  // namespace petrel::dsdt
