// The flat GDT that 32-bit protected-mode entries need (Linux 32-bit boot
// protocol, multiboot): selector 0x10 is a 4 GiB execute/read code segment
// (__BOOT_CS), 0x18 a 4 GiB read/write data segment (__BOOT_DS); 0x00 and
// 0x08 are null. The loader writes it into guest RAM and points BootState at it.
#pragma once
#include <cstdint>
#include <string>

#include "bios/boot_state.h"

namespace petrel {

class PhysicalMemory;

constexpr uint16_t kBootCs = 0x10;
constexpr uint16_t kBootDs = 0x18;
constexpr uint64_t kBootGdtSize = 32;  // four 8-byte descriptors

// Writes the GDT at addr (8-byte aligned RAM) and returns a Protected32
// BootState with CS/DS/GDTR set; the caller fills rip and registers.
// Throws LoadError mentioning `who` if addr is not RAM.
BootState write_boot_gdt(PhysicalMemory& mem, uint64_t addr, const std::string& who);

}  // namespace petrel
