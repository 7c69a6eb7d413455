// What direct-boot firmware leaves in guest RAM for the OS, and where:
//
//   0xf0000   RSDP (ACPI 2.0, 36 bytes)           } in the e820-reserved
//   0xf0030   MP floating pointer (16 bytes)      } BIOS area, where OSes
//   0xf0040   MP configuration table              } scan for them
//   0xf8000   SMBIOS 2.8 entry point (31 bytes)   }
//   0xf8020   SMBIOS structure table, to 1 MiB    }
//   below_4g - 128 KiB .. below_4g                 FACS, DSDT, FADT, MADT,
//                                                  HPET, RSDT, XSDT (e820
//                                                  reserved, as SeaBIOS's
//                                                  top-of-RAM region is)
//
// FirmwareTables is the result the machine passes to the kernel loaders: the
// e820 map (with the table region carved out) and the RSDP address. With
// -bios the firmware builds its own tables and the machine skips this.
#pragma once
#include <cstdint>
#include <vector>

#include "bios/boot_state.h"
#include "bios/e820.h"

namespace petrel {

class PhysicalMemory;

constexpr uint64_t kRsdpAddr = 0xf0000;
constexpr uint64_t kMpFloatAddr = 0xf0030;
constexpr uint64_t kMpConfigAddr = 0xf0040;   // up to 5.3 KiB (255 CPUs)
constexpr uint64_t kSmbiosEntryAddr = 0xf8000;
constexpr uint64_t kSmbiosTableAddr = 0xf8020;
constexpr uint64_t kSmbiosTableLimit = 0x100000;
constexpr uint64_t kFirmwareRegionSize = 128 * 1024;

struct FirmwareConfig {
    unsigned cpus = 1;
    bool acpi = true;   // false: MP table only (like -machine acpi=off)
    bool hpet = true;
    unsigned serial_ports = 1;  // UARTs at COM1.. (DSDT devices COM1-COM4)
};

struct FirmwareTables {
    std::vector<E820Entry> e820;   // sorted, what INT 15h E820 would report
    uint64_t rsdp_addr = 0;        // 0 without ACPI
    uint64_t mp_float_addr = 0;    // 0 without an MP table
    uint64_t smbios_addr = 0;      // the SMBIOS entry point
    uint64_t region_base = 0, region_size = 0;  // the reserved table region
};

// Builds and writes ACPI (if cfg.acpi), MP and SMBIOS tables for mem's RAM
// layout.
// Needs at least 2 MiB of RAM; throws LoadError otherwise.
FirmwareTables install_firmware_tables(PhysicalMemory& mem, const FirmwareConfig& cfg);

// No tables: just the memory map (a loader with nothing else to go on).
FirmwareTables memory_map_only(const PhysicalMemory& mem);

}  // namespace petrel
