// -bios FILE: a firmware image mapped as ROM the way QEMU's pc machine maps
// it. The whole image ends at 4 GiB (base 0x100000000 - size) and its last
// min(size, 128 KiB) is aliased just below 1 MiB (0xe0000-0xfffff for a
// 128 KiB or larger image), where the real-mode reset code runs.
//
// Size rules: QEMU requires a non-zero multiple of 64 KiB; Petrel also caps
// it at 16 MiB so it cannot reach the IOAPIC/HPET/LAPIC windows at
// 0xfec00000-0xfeefffff.
//
// Entry is the architectural reset state: real mode, CS selector 0xf000 with
// base 0xffff0000, IP 0xfff0, so the first fetch is at 0xfffffff0 (the
// image's last 16 bytes). BootState has no CS base field: Real16 with
// cs 0xf000 and rip 0xfff0 means exactly this state, and apply_boot_state
// keeps the CPU's reset CS base for it.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "bios/boot_state.h"

namespace petrel {

class PhysicalMemory;

constexpr uint64_t kBiosSizeUnit = 64 * 1024;
constexpr uint64_t kBiosMaxSize = 16ull << 20;
constexpr uint64_t kIsaBiosMaxSize = 128 * 1024;

// Maps image (named path in messages) and returns the reset-vector state.
BootState map_firmware_image(PhysicalMemory& mem, std::span<const uint8_t> image, const std::string& path);

// Reads path and maps it. Throws LoadError. Map once per machine: ROMs are
// not replaced by a second call, they pile up (a reset needs only
// firmware_reset_state(); the ROM contents never change).
BootState load_firmware(PhysicalMemory& mem, const std::string& path);

// The reset-vector entry state (real mode, CS 0xf000 base 0xffff0000, IP 0xfff0).
BootState firmware_reset_state();

}  // namespace petrel
