// PIIX4 function 3, the power-management function at 00:01.3 (8086:7113,
// rev 3), as QEMU's pc machine has it next to the PIIX3.
//
// Its config space places the ACPI PM I/O block (devices/acpi_pm): PMBA
// (0x40, bits 15:6 = base, bit 0 reads 1 for "I/O space") and PMREGMISC
// (0x80, bit 0 PMIOSE = decode enable). Every change of the effective
// window is reported through on_pm_io_change(enabled, base); the machine maps
// the AcpiPm there (64 ports). Firmware (SeaBIOS) programs 0x600 and sets
// PMIOSE; a direct Linux boot calls program_pm_base() to do the same.
// SMBus (SMBBA 0x90) is not implemented: it reads 0, so drivers skip it.
#pragma once
#include <cstdint>
#include <functional>

#include "devices/pci/pci_device.h"

namespace petrel {

class Piix4Pm : public PciDevice {
public:
    static constexpr unsigned kPmba = 0x40, kPmRegMisc = 0x80;

    Piix4Pm();

    std::function<void(bool enabled, uint16_t base)> on_pm_io_change;

    bool pm_io_enabled() const { return cfg8(kPmRegMisc) & 1; }
    uint16_t pm_base() const { return uint16_t(cfg16(kPmba) & 0xffc0); }
    // What the BIOS does: PMBA = base, PMIOSE = 1 (reported like a guest write).
    void program_pm_base(uint16_t base);

    void reset() override;

protected:
    void config_written(unsigned offset, unsigned size) override;

private:
    void report();
    bool last_enabled_ = false;
    uint16_t last_base_ = 0;
};

}  // namespace petrel
