// Placement of the direct-boot firmware tables; see the header for the map.
#include "bios/firmware_tables.h"

#include <fmt/format.h>

#include "bios/acpi_tables.h"
#include "bios/boot_state.h"
#include "bios/mp_table.h"
#include "bios/smbios.h"
#include "memory/physical_memory.h"

namespace petrel {

FirmwareTables install_firmware_tables(PhysicalMemory& mem, const FirmwareConfig& cfg) {
    if (mem.below_4g() < 2 * kHighMemStart)
        throw LoadError(fmt::format("firmware tables need at least 2 MiB of RAM below 4 GiB (guest has {} KiB)",
                                    mem.below_4g() >> 10));
    FirmwareTables fw;
    fw.region_base = mem.below_4g() - kFirmwareRegionSize;
    fw.region_size = kFirmwareRegionSize;
    // Clear the BIOS-area page and the region: stale bytes could look like a
    // table signature to a scanning OS after a reset.
    std::vector<uint8_t> zero(kFirmwareRegionSize, 0);
    if (!mem.write_bytes(kBiosAreaStart, zero.data(), kHighMemStart - kBiosAreaStart) || !mem.write_bytes(fw.region_base, zero.data(), zero.size()))
        throw LoadError("firmware tables: the BIOS area or the table region is not RAM");
    if (cfg.acpi) {
        AcpiConfig acfg;
        acfg.cpus = cfg.cpus;
        acfg.hpet = cfg.hpet;
        acfg.serial_ports = cfg.serial_ports;
        acfg.pci_hole_start = uint32_t(mem.below_4g());
        acfg.above_4g = mem.above_4g();
        fw.rsdp_addr = install_acpi_tables(mem, acfg, kRsdpAddr, fw.region_base, fw.region_size).rsdp_addr;
    }
    MpConfig mcfg;
    mcfg.cpus = cfg.cpus;
    install_mp_table(mem, mcfg, kMpFloatAddr, kMpConfigAddr);
    fw.mp_float_addr = kMpFloatAddr;
    SmbiosConfig scfg;
    scfg.cpus = cfg.cpus;
    scfg.below_4g = mem.below_4g();
    scfg.above_4g = mem.above_4g();
    install_smbios(mem, scfg, kSmbiosEntryAddr, kSmbiosTableAddr, kSmbiosTableLimit);
    fw.smbios_addr = kSmbiosEntryAddr;
    E820Entry region{fw.region_base, fw.region_size, E820Type::Reserved};
    fw.e820 = build_e820(mem, std::span(&region, 1));
    return fw;
}

FirmwareTables memory_map_only(const PhysicalMemory& mem) {
    FirmwareTables fw;
    fw.e820 = build_e820(mem);
    return fw;
}

}  // namespace petrel
