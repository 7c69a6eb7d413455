// The PC memory map as the BIOS reports it (INT 15h E820), built from the
// RAM layout. It is what SeaBIOS on QEMU's i440FX board reports:
//   usable    0 - 0x9fc00          conventional memory
//   reserved  0x9fc00 - 0xa0000    EBDA
//   reserved  0xf0000 - 0x100000   BIOS area (RSDP and MP tables live here)
//   usable    1 MiB - below_4g     minus carve-outs (the firmware table region)
//   reserved  0xfffc0000 - 4 GiB   BIOS ROM
//   usable    4 GiB - ...          RAM above the PCI hole
// Like SeaBIOS it does not list the IOAPIC/LAPIC/HPET windows: the OS learns
// those from ACPI/MP tables. Direct-boot loaders copy it into the Linux zero
// page and the multiboot mmap.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace petrel {

class PhysicalMemory;

enum class E820Type : uint32_t {
    Ram = 1,
    Reserved = 2,
    Acpi = 3,  // ACPI tables, reclaimable after parsing
    Nvs = 4,
};

struct E820Entry {
    uint64_t addr = 0;
    uint64_t size = 0;
    E820Type type = E820Type::Ram;
    uint64_t end() const { return addr + size; }
    bool operator==(const E820Entry&) const = default;
};

constexpr uint64_t kEbdaStart = 0x9fc00;
constexpr uint64_t kBiosAreaStart = 0xf0000;
constexpr uint64_t kHighMemStart = 0x100000;
constexpr uint64_t kBiosRomStart = 0xfffc0000;

// Builds the map for below_4g bytes of RAM at 0 and above_4g bytes at 4 GiB.
// carve_outs are ranges inside low RAM to report with their own type (the
// firmware table region); they are taken out of the usable range around them.
// The result is sorted by address and has no overlaps.
std::vector<E820Entry> build_e820(uint64_t below_4g, uint64_t above_4g,
                                  std::span<const E820Entry> carve_outs = {});
std::vector<E820Entry> build_e820(const PhysicalMemory& mem, std::span<const E820Entry> carve_outs = {});

// The usable bytes at [addr, addr+size) are all type Ram in map.
bool e820_is_usable(std::span<const E820Entry> map, uint64_t addr, uint64_t size);

}  // namespace petrel
