// The i440FX/PIIX board facts the firmware tables advertise (ACPI, MP) —
// one place, so the tables agree with each other. The devices that implement
// them (IOAPIC, LAPIC, HPET, PIIX4 PM, reset control) use the same numbers;
// these are QEMU's pc machine values, which guests and SeaBIOS expect.
#pragma once
#include <cstdint>

namespace petrel::pc {

constexpr uint32_t kLapicBase = 0xfee00000;
constexpr uint32_t kIoApicBase = 0xfec00000;
constexpr uint8_t kIoApicId = 0;          // ACPI and MP tables both say 0, like QEMU's MADT
constexpr uint8_t kIoApicVersion = 0x20;  // QEMU's IOAPIC (with the EOI register); OSes read the device's own
constexpr unsigned kIoApicPins = 24;
constexpr uint32_t kHpetBase = 0xfed00000;
// HPET capabilities low dword: vendor 8086, legacy replacement, 64-bit
// counter, 3 comparators, revision 1 (QEMU's default HPET).
constexpr uint32_t kHpetBlockId = 0x8086a201;

// PIIX4 power management I/O block (QEMU's pc: PM base 0x600).
constexpr uint16_t kAcpiPmBase = 0x600;
constexpr uint16_t kAcpiPm1aEvt = kAcpiPmBase + 0x00;  // PM1 status + enable, 4 bytes
constexpr uint16_t kAcpiPm1aCnt = kAcpiPmBase + 0x04;  // PM1 control, 2 bytes
constexpr uint16_t kAcpiPmTmr = kAcpiPmBase + 0x08;    // 24-bit PM timer, 4 bytes
constexpr uint8_t kAcpiSciIrq = 9;
// SLP_TYP written to PM1a_CNT for soft-off (S5). QEMU's PIIX4 DSDT uses 0.
// Keep in step with devices/acpi_pm (PM1_CNT sleep-type decoding).
constexpr uint8_t kAcpiSlpTypS5 = 0;

// Reset control register (PIIX3 RCR at 0xcf9): writing 0x06 resets the system.
constexpr uint16_t kResetPort = 0xcf9;
constexpr uint8_t kResetValue = 0x06;

// ISA IRQs QEMU routes PCI interrupts to (PIRQ links): level, active high.
constexpr uint16_t kPciIrqMask = (1u << 5) | (1u << 9) | (1u << 10) | (1u << 11);

constexpr uint8_t kRtcCenturyIndex = 0x32;  // CMOS century byte

// COM1-COM4: I/O base (8 ports each) and ISA IRQ, the PC/AT assignment.
struct SerialPort {
    uint16_t port;
    uint8_t irq;
};
constexpr SerialPort kSerialPorts[] = {{0x3f8, 4}, {0x2f8, 3}, {0x3e8, 4}, {0x2e8, 3}};

// The emulated CPU's identity as firmware tables report it (MP processor
// entries, SMBIOS type 4): CPUID.1 EAX (family 6, model 0x3D, stepping 4)
// and EDX, and the brand string. Keep in step with cpu/system/cpuid.cpp.
constexpr uint32_t kCpuidSignature = 0x000306d4;
constexpr uint32_t kCpuidFeaturesEdx = 0x078bfbff;  // FPU..APIC, SEP..PSE36, CLFSH, MMX, FXSR, SSE, SSE2
constexpr const char* kCpuVendor = "GenuineIntel";
constexpr const char* kCpuBrand = "Petrel Virtual CPU";

}  // namespace petrel::pc
