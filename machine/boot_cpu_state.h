// Putting CPU 0 where a loader says the guest starts (BootState), and the
// CPU settings a PC's firmware leaves behind that direct boot must supply
// itself (MTRRs).
#pragma once
#include <cstdint>

#include "bios/boot_state.h"
#include "cpu/cpu.h"
#include "cpu/system/paging_consts.h"

namespace petrel {

// Applies bs to a CPU in its RESET state. Protected32: flat 4 GiB code and
// data segments from the loader's GDT, CR0.PE, paging off, interrupts off.
// Real16: cs:ip with base = selector << 4, except the reset vector itself
// (cs 0xf000, ip 0xfff0), which keeps the RESET CS base 0xffff0000.
void apply_boot_state(Cpu& cpu, const BootState& bs);

// The MTRR setup SeaBIOS leaves for the OS: default type write-back, legacy
// VGA window uncached, the PCI hole below 4 GiB uncached. Without it Linux
// finds MTRRs disabled and maps all RAM uncached-minus.
void apply_firmware_mtrrs(Cpu& cpu, uint64_t ram_below_4g);

}  // namespace petrel
