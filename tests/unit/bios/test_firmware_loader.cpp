// -bios image mapping (top of 4 GiB + ISA alias), and the direct-boot
// firmware table layout as a whole.
#include <doctest/doctest.h>

#include "bios/firmware_loader.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;

TEST_CASE("firmware: a 256 KiB image ends at 4 GiB, its last 128 KiB alias below 1 MiB") {
    PhysicalMemory mem(32ull << 20);
    std::vector<uint8_t> img(256 * 1024);
    for (size_t i = 0; i < img.size(); ++i) img[i] = uint8_t(i ^ (i >> 8) ^ (i >> 16));
    BootState st = map_firmware_image(mem, img, "bios-256k.bin");
    CHECK(st.mode == EntryMode::Real16);
    CHECK(st.cs == 0xf000);
    CHECK(st.rip == 0xfff0);
    CHECK(firmware_reset_state().cs == st.cs);
    CHECK(firmware_reset_state().rip == st.rip);
    CHECK(mem.read(0x100000000ull - img.size(), 4) == le::get32(img, 0));
    CHECK(mem.read(0xfffffff0ull, 4) == le::get32(img, img.size() - 16));
    CHECK(mem.read(0xe0000, 4) == le::get32(img, 128 * 1024));
    CHECK(mem.read(0xffff0, 4) == le::get32(img, img.size() - 16));
    CHECK(mem.read(0xdfffc, 4) == 0);  // RAM below the alias
    mem.write(0xffff0, 0, 4);          // ROM ignores writes
    CHECK(mem.read(0xffff0, 4) == le::get32(img, img.size() - 16));
}

TEST_CASE("firmware: a 64 KiB image aliases at 0xf0000 only") {
    PhysicalMemory mem(32ull << 20);
    std::vector<uint8_t> img(64 * 1024, 0x11);
    img.back() = 0x22;
    map_firmware_image(mem, img, "small.bin");
    CHECK(mem.read(0xfffff, 1) == 0x22);
    CHECK(mem.read(0xf0000, 1) == 0x11);
    CHECK(mem.read(0xeffff, 1) == 0);
}

TEST_CASE("firmware: size rules") {
    PhysicalMemory mem(32ull << 20);
    auto err = [&](size_t size) {
        try {
            map_firmware_image(mem, std::vector<uint8_t>(size, 0), "odd.bin");
        } catch (const LoadError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(err(0).find("odd.bin") != std::string::npos);
    CHECK(err(100000).find("multiple of 64 KiB") != std::string::npos);
    CHECK(err(32ull << 20).find("16 MiB") != std::string::npos);
    CHECK(err(16ull << 20).empty());
    CHECK_THROWS_AS(load_firmware(mem, "/nonexistent/bios.bin"), LoadError);
}

TEST_CASE("firmware: the distribution's SeaBIOS maps with its reset jump at 0xfffffff0") {
    const char* path = "/usr/share/seabios/bios-256k.bin";
    std::vector<uint8_t> img = test::read_file(path);
    if (img.empty()) {
        MESSAGE("SeaBIOS not installed: skipping");
        return;
    }
    PhysicalMemory mem(64ull << 20);
    load_firmware(mem, path);
    CHECK(mem.read(0xfffffff0ull, 1) == 0xea);  // JMP FAR, as on every PC BIOS
    CHECK(mem.read(0xffff0, 1) == 0xea);
}

TEST_CASE("firmware tables: layout for direct boot") {
    PhysicalMemory mem(128ull << 20);
    FirmwareConfig cfg;
    cfg.cpus = 2;
    FirmwareTables fw = install_firmware_tables(mem, cfg);
    CHECK(fw.rsdp_addr == 0xf0000);
    CHECK(fw.mp_float_addr == 0xf0030);
    CHECK(fw.region_base == (128ull << 20) - 128 * 1024);
    auto rsdp = test::guest_bytes(mem, fw.rsdp_addr, 8);
    CHECK(std::string(rsdp.begin(), rsdp.end()) == "RSD PTR ");
    auto mp = test::guest_bytes(mem, fw.mp_float_addr, 4);
    CHECK(std::string(mp.begin(), mp.end()) == "_MP_");
    // The region is reserved, and RAM around it usable.
    bool reserved = false;
    for (const E820Entry& e : fw.e820)
        if (e.addr == fw.region_base) reserved = e.type == E820Type::Reserved && e.size == fw.region_size;
    CHECK(reserved);
    CHECK_FALSE(e820_is_usable(fw.e820, fw.region_base, 1));
    CHECK(e820_is_usable(fw.e820, 0x100000, fw.region_base - 0x100000));

    FirmwareConfig no_acpi;
    no_acpi.acpi = false;
    PhysicalMemory mem2(16ull << 20);
    FirmwareTables fw2 = install_firmware_tables(mem2, no_acpi);
    CHECK(fw2.rsdp_addr == 0);
    CHECK(fw2.mp_float_addr == 0xf0030);

    PhysicalMemory tiny(1ull << 20);
    CHECK_THROWS_AS(install_firmware_tables(tiny, FirmwareConfig{}), LoadError);
    CHECK(memory_map_only(tiny).e820.size() == 4);
}
