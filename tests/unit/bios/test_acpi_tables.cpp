// ACPI tables: encodings, checksums, linkage, and iasl as an outside oracle.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bios/acpi_tables.h"
#include "bios/aml_builder.h"
#include "bios/aml_resources.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;

namespace {
std::string sig(const std::vector<uint8_t>& t) { return std::string(t.begin(), t.begin() + 4); }

bool have_iasl() { return std::system("command -v iasl >/dev/null 2>&1") == 0; }

// Disassembles table with iasl -d; returns its log, empty string on success
// with no errors or warnings in it.
std::string iasl_disassemble(const std::vector<uint8_t>& table, std::string& dsl) {
    auto dir = std::filesystem::temp_directory_path() / ("petrel-iasl-" + std::to_string(getpid()) + "-" + sig(table));
    std::filesystem::create_directories(dir);
    {
        std::ofstream f(dir / "table.dat", std::ios::binary);
        f.write(reinterpret_cast<const char*>(table.data()), std::streamsize(table.size()));
    }
    std::string cmd = "cd '" + dir.string() + "' && iasl -d table.dat > log.txt 2>&1";
    int rc = std::system(cmd.c_str());
    std::ifstream logf(dir / "log.txt");
    std::string log((std::istreambuf_iterator<char>(logf)), {});
    std::ifstream dslf(dir / "table.dsl");
    dsl.assign((std::istreambuf_iterator<char>(dslf)), {});
    std::filesystem::remove_all(dir);
    bool bad = rc != 0 || dsl.empty() || log.find("Error") != std::string::npos || log.find("Warning") != std::string::npos ||
               log.find("rror ") != std::string::npos || dsl.find("**** ") != std::string::npos;
    return bad ? log + dsl : std::string();
}
}  // namespace

TEST_CASE("aml: package lengths, names, integers, EISA ids") {
    CHECK(aml::pkg_length(0) == aml::Bytes{0x01});
    CHECK(aml::pkg_length(62) == aml::Bytes{0x3f});
    // 63 body bytes + 2 length bytes = 65 = 0x41: lead 0x41 & 0xf | 1 << 6, then 0x41 >> 4.
    CHECK(aml::pkg_length(63) == aml::Bytes{0x41, 0x04});
    CHECK(aml::pkg_length(0x1000) == aml::Bytes{0x83, 0x00, 0x01});  // 0x1003: more than 12 bits
    CHECK(aml::pkg_length(0xffd) == aml::Bytes{0x4f, 0xff});         // 0xfff fits two bytes exactly
    CHECK(aml::name_string("_HID") == aml::Bytes{'_', 'H', 'I', 'D'});
    CHECK(aml::name_string("\\_SB.PCI0") == aml::Bytes{'\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0'});
    CHECK(aml::name_string("\\_S5") == aml::Bytes{'\\', '_', 'S', '5', '_'});
    CHECK(aml::integer(0) == aml::Bytes{0x00});
    CHECK(aml::integer(1) == aml::Bytes{0x01});
    CHECK(aml::integer(5) == aml::Bytes{0x0a, 5});
    CHECK(aml::integer(0x1234) == aml::Bytes{0x0b, 0x34, 0x12});
    CHECK(aml::integer(0xfed00000) == aml::Bytes{0x0c, 0x00, 0x00, 0xd0, 0xfe});
    CHECK(aml::integer(1ull << 32) == aml::Bytes{0x0e, 0, 0, 0, 0, 1, 0, 0, 0});
    CHECK(aml::eisa_id("PNP0A03") == aml::Bytes{0x0c, 0x41, 0xd0, 0x0a, 0x03});
    CHECK(aml::package({aml::integer(0), aml::integer(0)}) == aml::Bytes{0x12, 0x04, 0x02, 0x00, 0x00});
    CHECK(aml::word_io(0xd00, 0xffff) ==
          aml::Bytes{0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0, 0, 0x00, 0x0d, 0xff, 0xff, 0, 0, 0x00, 0xf3});
    CHECK(aml::dword_memory(0xa0000, 0xbffff, true).size() == 26);
    CHECK(aml::io_port(0xcf8, 8) == aml::Bytes{0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08});
}

TEST_CASE("acpi: installed tables are linked and every checksum holds") {
    PhysicalMemory mem(128ull << 20);
    AcpiConfig cfg;
    cfg.cpus = 2;
    uint64_t region = (128ull << 20) - kFirmwareRegionSize;
    AcpiInstall inst = install_acpi_tables(mem, cfg, kRsdpAddr, region, kFirmwareRegionSize);
    CHECK(inst.rsdp_addr == kRsdpAddr);
    CHECK(inst.region_used <= kFirmwareRegionSize);

    auto rsdp = test::guest_bytes(mem, kRsdpAddr, kRsdpSize);
    CHECK(std::string(rsdp.begin(), rsdp.begin() + 8) == "RSD PTR ");
    CHECK(test::sum8(std::vector<uint8_t>(rsdp.begin(), rsdp.begin() + 20)) == 0);
    CHECK(test::sum8(rsdp) == 0);
    CHECK(rsdp[15] == 2);
    uint32_t rsdt_addr = le::get32(rsdp, 16);
    uint64_t xsdt_addr = le::get64(rsdp, 24);

    auto table_at = [&](uint64_t addr) {
        auto hdr = test::guest_bytes(mem, addr, kAcpiHeaderSize);
        REQUIRE(hdr.size() == kAcpiHeaderSize);
        auto t = test::guest_bytes(mem, addr, le::get32(hdr, 4));
        CHECK(test::sum8(t) == 0);
        return t;
    };
    auto rsdt = table_at(rsdt_addr);
    auto xsdt = table_at(xsdt_addr);
    CHECK(sig(rsdt) == "RSDT");
    CHECK(sig(xsdt) == "XSDT");
    size_t n = (rsdt.size() - kAcpiHeaderSize) / 4;
    REQUIRE(n == 3);
    REQUIRE((xsdt.size() - kAcpiHeaderSize) / 8 == n);
    std::vector<std::string> sigs;
    for (size_t i = 0; i < n; ++i) {
        CHECK(le::get32(rsdt, kAcpiHeaderSize + 4 * i) == le::get64(xsdt, kAcpiHeaderSize + 8 * i));
        sigs.push_back(sig(table_at(le::get32(rsdt, kAcpiHeaderSize + 4 * i))));
    }
    CHECK(sigs == std::vector<std::string>{"FACP", "APIC", "HPET"});

    auto fadt = table_at(le::get32(rsdt, kAcpiHeaderSize));
    REQUIRE(fadt.size() == kFadtRev3Size);
    CHECK(fadt[8] == 3);
    CHECK(le::get16(fadt, 46) == 9);        // SCI
    CHECK(le::get32(fadt, 56) == 0x600);    // PM1a_EVT_BLK
    CHECK(le::get32(fadt, 64) == 0x604);    // PM1a_CNT_BLK
    CHECK(le::get32(fadt, 76) == 0x608);    // PM_TMR_BLK
    CHECK(fadt[108] == 0x32);               // century
    CHECK(le::get16(fadt, 109) == 3);       // 8042 + legacy devices
    uint32_t flags = le::get32(fadt, 112);
    CHECK((flags & 0x425) == 0x425);        // WBINVD, PROC_C1, SLP_BUTTON, RESET_REG_SUP
    CHECK(fadt[116] == 1);                  // reset register in I/O space
    CHECK(le::get64(fadt, 120) == 0xcf9);
    CHECK(fadt[128] == 6);
    CHECK(le::get32(fadt, 36) != 0);                      // FACS through FIRMWARE_CTRL,
    CHECK(le::get64(fadt, 132) == 0);                     // so X_FIRMWARE_CTRL must be 0 (ACPI 6.x 5.2.9)
    CHECK(le::get32(fadt, 40) == le::get64(fadt, 140));  // DSDT both ways
    auto facs = test::guest_bytes(mem, le::get32(fadt, 36), kFacsSize);
    CHECK(sig(facs) == "FACS");
    CHECK(le::get32(fadt, 36) % 64 == 0);
    auto dsdt = table_at(le::get32(fadt, 40));
    CHECK(sig(dsdt) == "DSDT");

    // Every table lies inside the reserved region (or the RSDP in the BIOS area).
    for (const AcpiTable& t : inst.tables) {
        if (t.signature == "RSD PTR ") continue;
        CHECK(t.addr >= region);
        CHECK(t.addr + t.bytes.size() <= region + kFirmwareRegionSize);
    }
}

TEST_CASE("acpi: MADT lists each CPU, the IOAPIC, QEMU's overrides and LINT1 NMI") {
    AcpiConfig cfg;
    cfg.cpus = 3;
    auto t = build_madt(cfg);
    CHECK(test::sum8(t) == 0);
    CHECK(le::get32(t, 36) == 0xfee00000);
    unsigned cpus = 0, ioapics = 0, nmis = 0;
    bool irq0 = false, sci = false;
    for (size_t o = 44; o < t.size(); o += t[o + 1]) {
        REQUIRE(t[o + 1] >= 2);
        switch (t[o]) {
            case 0: CHECK(t[o + 3] == cpus); CHECK(le::get32(t, o + 4) == 1); ++cpus; break;
            case 1: CHECK(t[o + 2] == 0); CHECK(le::get32(t, o + 4) == 0xfec00000); CHECK(le::get32(t, o + 8) == 0); ++ioapics; break;
            case 2:
                if (t[o + 3] == 0) irq0 = le::get32(t, o + 4) == 2 && le::get16(t, o + 8) == 0;
                if (t[o + 3] == 9) sci = le::get32(t, o + 4) == 9 && le::get16(t, o + 8) == 0x000d;
                break;
            case 4: CHECK(t[o + 2] == 0xff); CHECK(t[o + 5] == 1); ++nmis; break;
        }
    }
    CHECK(cpus == 3);
    CHECK(ioapics == 1);
    CHECK(nmis == 1);
    CHECK(irq0);
    CHECK(sci);
}

TEST_CASE("acpi: DSDT carries \\_S5 with the soft-off sleep type") {
    auto t = build_dsdt(AcpiConfig{});
    CHECK(test::sum8(t) == 0);
    aml::Bytes s5 = aml::name("\\_S5", aml::package({aml::integer(pc::kAcpiSlpTypS5), aml::integer(pc::kAcpiSlpTypS5),
                                                     aml::integer(0), aml::integer(0)}));
    CHECK(std::search(t.begin(), t.end(), s5.begin(), s5.end()) != t.end());
    aml::Bytes hid = aml::name("_HID", aml::eisa_id("PNP0A03"));
    CHECK(std::search(t.begin(), t.end(), hid.begin(), hid.end()) != t.end());
}

TEST_CASE("acpi: too small a region or one outside RAM is a LoadError") {
    PhysicalMemory mem(16ull << 20);
    CHECK_THROWS_AS(install_acpi_tables(mem, AcpiConfig{}, kRsdpAddr, 0x100000, 256), LoadError);
    CHECK_THROWS_AS(install_acpi_tables(mem, AcpiConfig{}, kRsdpAddr, 16ull << 20, 0x10000), LoadError);
    CHECK_THROWS_AS(install_acpi_tables(mem, AcpiConfig{}, kRsdpAddr + 4, 0x100000, 0x10000), LoadError);
}

TEST_CASE("acpi: iasl disassembles the generated tables without errors") {
    if (!have_iasl()) {
        MESSAGE("iasl not installed (package acpica-tools): skipping the disassembler check");
        return;
    }
    AcpiConfig cfg;
    cfg.cpus = 2;
    struct Case {
        const char* name;
        std::vector<uint8_t> bytes;
        const char* expect;
    };
    Case cases[] = {
        {"DSDT", build_dsdt(cfg), "PNP0A03"},
        {"DSDT", build_dsdt(cfg), "0xFEBFFFFF,         // Range Maximum"},
        {"FACP", build_fadt(cfg, 0x7fe0000, 0x7fe0040), "PM1A Event Block Address : 00000600"},
        {"APIC", build_madt(cfg), "Local Apic Address : FEE00000"},
        {"HPET", build_hpet_table(), "Hardware Block ID : 8086A201"},
        {"RSDT", build_rsdt({0x7fe0100, 0x7fe0200}), "ACPI Table Address   1 : 07FE0200"},
        {"XSDT", build_xsdt({0x7fe0100, 0x7fe0200}), "ACPI Table Address   1 : 0000000007FE0200"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        std::string dsl;
        std::string problems = iasl_disassemble(c.bytes, dsl);
        CHECK_MESSAGE(problems.empty(), problems);
        CHECK_MESSAGE(dsl.find(c.expect) != std::string::npos, dsl);
    }
    // The harness notices a broken table (iasl itself exits 0 on these).
    std::vector<uint8_t> bad = build_dsdt(cfg);
    bad[9] ^= 1;
    std::string dsl;
    CHECK_FALSE(iasl_disassemble(bad, dsl).empty());
}
