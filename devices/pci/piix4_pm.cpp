// PIIX4 PM function: PMBA / PMREGMISC decode of the ACPI PM block.
// See piix4_pm.h.
#include "devices/pci/piix4_pm.h"

namespace petrel {

Piix4Pm::Piix4Pm() : PciDevice(0x8086, 0x7113, 0x03, 0x068000) {
    set_interrupt_pin(1);                       // INTA#, as QEMU's
    init_reg(kPmba, 4, 0x00000001, 0x0000ffc0); // 64-byte I/O block, bit 0 = I/O indicator
    init_reg(kPmRegMisc, 1, 0x00, 0x01);        // PMIOSE
}

void Piix4Pm::reset() {
    PciDevice::reset();
    report();
}

void Piix4Pm::program_pm_base(uint16_t base) {
    config_write(kPmba, base, 2);
    config_write(kPmRegMisc, 1, 1);
}

void Piix4Pm::config_written(unsigned offset, unsigned size) {
    bool touches_pmba = offset < kPmba + 4 && offset + size > kPmba;
    bool touches_misc = offset <= kPmRegMisc && offset + size > kPmRegMisc;
    if (touches_pmba || touches_misc) report();
}

void Piix4Pm::report() {
    bool enabled = pm_io_enabled();
    uint16_t base = pm_base();
    if (enabled == last_enabled_ && (base == last_base_ || !enabled)) return;
    last_enabled_ = enabled;
    last_base_ = base;
    if (on_pm_io_change) on_pm_io_change(enabled, base);
}

}  // namespace petrel
