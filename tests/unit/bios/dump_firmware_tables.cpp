// dump-firmware-tables OUTDIR MIB...: writes, for each RAM size in MiB, the
// DSDT as OUTDIR/dsdt-MIB.dat (for `iasl -d`) and the SMBIOS tables as
// OUTDIR/smbios-MIB.bin (for `dmidecode --from-dump`), built the way
// install_firmware_tables builds them for a guest of that size.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bios/acpi_tables.h"
#include "bios/smbios.h"

using namespace petrel;

namespace {
bool write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    return std::fclose(f) == 0 && ok;
}

// PhysicalMemory's split: 3 GiB below 4 GiB once RAM reaches 3.5 GiB.
uint64_t below_4g_of(uint64_t ram) { return ram >= 0xe0000000ull ? 0xc0000000ull : ram; }
}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUTDIR MIB...\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    for (int i = 2; i < argc; ++i) {
        uint64_t ram = std::strtoull(argv[i], nullptr, 0) << 20;
        AcpiConfig acfg;
        acfg.cpus = 2;
        acfg.pci_hole_start = uint32_t(below_4g_of(ram));
        acfg.above_4g = ram - below_4g_of(ram);
        SmbiosConfig scfg;
        scfg.cpus = 2;
        scfg.below_4g = below_4g_of(ram);
        scfg.above_4g = ram - scfg.below_4g;
        if (!write_file(dir + "/dsdt-" + argv[i] + ".dat", build_dsdt(acfg)) ||
            !write_file(dir + "/smbios-" + argv[i] + ".bin", smbios_dump_file(scfg))) {
            std::perror(dir.c_str());
            return 1;
        }
    }
    return 0;
}
