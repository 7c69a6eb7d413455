// SMBIOS 2.8 tables (DMTF DSP0134) describing the pc board, as SeaBIOS
// builds them on QEMU: the 31-byte 32-bit entry point ("_SM_" / "_DMI_",
// found by scanning 0xf0000-0xfffff on 16-byte boundaries) and the structure
// table it points to, with
//   type 0   BIOS: vendor "Petrel", version, release date, a VM
//   type 1   system: "Petrel" "Standard PC (i440FX + PIIX, 1996)", UUID
//   type 3   chassis (Other)
//   type 4   one processor per CPU (CPUID signature and features)
//   type 16  the physical memory array, 17 one memory device per 16 GiB
//   type 19  a mapped address range per RAM block (below and above 4 GiB)
//   type 32  system boot information (no errors)
//   type 127 end of table
// Handles follow QEMU's numbering (type << 8, plus the instance).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace petrel {

class PhysicalMemory;

struct SmbiosConfig {
    unsigned cpus = 1;
    uint64_t below_4g = 0;  // RAM at [0, below_4g)
    uint64_t above_4g = 0;  // RAM at [4 GiB, 4 GiB + above_4g)
    // Type 1 UUID in RFC 4122 byte order (the table stores the first three
    // fields little-endian, SMBIOS 2.6+).
    std::array<uint8_t, 16> uuid{0x50, 0x45, 0x54, 0x52, 0x45, 0x4c, 0x40, 0x00,
                                 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
};

constexpr uint8_t kSmbiosMajor = 2, kSmbiosMinor = 8;
constexpr size_t kSmbiosEntryPointSize = 0x1f;
constexpr uint64_t kSmbiosDimmSize = 16ull << 30;  // RAM per type 17 device, as QEMU splits it

struct SmbiosStructures {
    std::vector<uint8_t> bytes;    // the structure table
    uint16_t count = 0;            // structures in it
    uint16_t max_structure = 0;    // largest structure, strings included
};

SmbiosStructures build_smbios_structures(const SmbiosConfig& cfg);
std::vector<uint8_t> build_smbios_entry_point(uint32_t table_addr, const SmbiosStructures& s);

// The file `dmidecode --from-dump` reads (what `dmidecode --dump-bin`
// writes): the entry point at offset 0 pointing at the table at offset 32.
std::vector<uint8_t> smbios_dump_file(const SmbiosConfig& cfg);

// Writes the entry point at entry_addr (16-byte aligned, in 0xf0000-0xfffff)
// and the table at table_addr, which must end by table_limit. Returns the
// table's length. Throws LoadError if it does not fit or is not RAM.
uint64_t install_smbios(PhysicalMemory& mem, const SmbiosConfig& cfg, uint64_t entry_addr, uint64_t table_addr,
                        uint64_t table_limit);

}  // namespace petrel
