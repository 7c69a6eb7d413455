// SMBIOS 2.8 entry point and structures, walked per DSP0134: checksums,
// counts and lengths against the entry point, string sets, the values each
// type carries for a 512 MiB and a 4 GiB guest, and the placement
// install_firmware_tables gives them.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "bios/e820.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "bios/smbios.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;

namespace {
struct Parsed {
    uint8_t type;
    uint16_t handle;
    std::vector<uint8_t> formatted;   // header included
    std::vector<std::string> strings;
    std::string str(size_t off) const {
        uint8_t i = formatted.at(off);
        return i == 0 ? "" : strings.at(i - 1);
    }
};

std::vector<Parsed> walk(const std::vector<uint8_t>& t, size_t& max_size) {
    std::vector<Parsed> out;
    size_t at = 0;
    max_size = 0;
    while (at + 4 <= t.size()) {
        Parsed p;
        p.type = t[at];
        uint8_t len = t[at + 1];
        REQUIRE(len >= 4);
        REQUIRE(at + len <= t.size());
        p.handle = le::get16(t, at + 2);
        p.formatted.assign(t.begin() + at, t.begin() + at + len);
        size_t s = at + len;
        // Strings until the double NUL; with no strings the set is two NULs.
        if (t.at(s) == 0) {
            REQUIRE(t.at(s + 1) == 0);
            s += 2;
        } else {
            while (t.at(s) != 0) {
                std::string str;
                while (t.at(s) != 0) str += char(t[s++]);
                ++s;
                p.strings.push_back(str);
            }
            ++s;
        }
        max_size = std::max(max_size, s - at);
        at = s;
        out.push_back(p);
        if (p.type == 127) break;
    }
    CHECK(at == t.size());
    return out;
}

SmbiosConfig config_for(uint64_t ram, unsigned cpus) {
    SmbiosConfig c;
    c.cpus = cpus;
    c.below_4g = ram >= 0xe0000000ull ? 0xc0000000ull : ram;
    c.above_4g = ram - c.below_4g;
    return c;
}
}  // namespace

TEST_CASE("smbios: entry point checksums and fields") {
    SmbiosStructures s = build_smbios_structures(config_for(512ull << 20, 1));
    auto e = build_smbios_entry_point(0xf8020, s);
    REQUIRE(e.size() == 0x1f);
    CHECK(std::string(e.begin(), e.begin() + 4) == "_SM_");
    CHECK(test::sum8(e) == 0);
    CHECK(test::sum8(std::vector<uint8_t>(e.begin() + 0x10, e.end())) == 0);  // intermediate checksum
    CHECK(e[5] == 0x1f);
    CHECK(e[6] == 2);
    CHECK(e[7] == 8);
    CHECK(std::string(e.begin() + 0x10, e.begin() + 0x15) == "_DMI_");
    CHECK(le::get16(e, 0x16) == s.bytes.size());
    CHECK(le::get32(e, 0x18) == 0xf8020);
    CHECK(le::get16(e, 0x1c) == s.count);
    CHECK(e[0x1e] == 0x28);
    size_t max_size;
    auto list = walk(s.bytes, max_size);
    CHECK(list.size() == s.count);
    CHECK(le::get16(e, 8) == max_size);
}

TEST_CASE("smbios: structures for 512 MiB / 1 CPU and 4 GiB / 4 CPUs") {
    struct Case {
        uint64_t ram;
        unsigned cpus;
    } cases[] = {{512ull << 20, 1}, {4096ull << 20, 4}, {40960ull << 20, 2}};
    for (const Case& c : cases) {
        CAPTURE(c.ram);
        SmbiosConfig cfg = config_for(c.ram, c.cpus);
        SmbiosStructures s = build_smbios_structures(cfg);
        size_t max_size;
        auto list = walk(s.bytes, max_size);
        REQUIRE(list.size() == s.count);
        std::set<uint16_t> handles;
        std::map<uint8_t, std::vector<const Parsed*>> by_type;
        for (const Parsed& p : list) {
            CHECK(handles.insert(p.handle).second);
            by_type[p.type].push_back(&p);
        }
        CHECK(list.back().type == 127);
        CHECK(list.back().formatted.size() == 4);
        for (uint8_t type : {0, 1, 3, 16, 32, 127}) CHECK_MESSAGE(by_type[type].size() == 1, int(type));

        // Type 0 (2.4+ length 0x18): vendor, version, date as mm/dd/yyyy, "is a VM".
        const Parsed& bios = *by_type[0][0];
        CHECK(bios.formatted.size() == 0x18);
        CHECK(bios.str(0x04) == "Petrel");
        CHECK_FALSE(bios.str(0x05).empty());
        std::string date = bios.str(0x08);
        REQUIRE(date.size() == 10);
        CHECK(date[2] == '/');
        CHECK(date[5] == '/');
        CHECK((bios.formatted[0x13] & 0x10) != 0);

        // Type 1 (2.4+ length 0x1b): manufacturer, product, UUID stored with
        // its first three fields little-endian.
        const Parsed& sys = *by_type[1][0];
        CHECK(sys.formatted.size() == 0x1b);
        CHECK(sys.str(0x04) == "Petrel");
        CHECK(sys.str(0x05) == "Standard PC (i440FX + PIIX, 1996)");
        CHECK(sys.formatted[0x08] == cfg.uuid[3]);
        CHECK(sys.formatted[0x0b] == cfg.uuid[0]);
        CHECK(sys.formatted[0x0c] == cfg.uuid[5]);
        CHECK(sys.formatted[0x0e] == cfg.uuid[7]);
        CHECK(sys.formatted[0x10] == cfg.uuid[8]);
        CHECK(sys.formatted[0x17] == cfg.uuid[15]);

        CHECK(by_type[3][0]->formatted.size() >= 0x15);
        CHECK(by_type[3][0]->formatted[0x05] != 0);  // chassis type set

        // Type 4 (2.6+ length 0x2a): one per CPU, distinct sockets, populated and enabled.
        REQUIRE(by_type[4].size() == c.cpus);
        std::set<std::string> sockets;
        for (const Parsed* p : by_type[4]) {
            CHECK(p->formatted.size() == 0x2a);
            CHECK(p->formatted[0x05] == 0x03);  // central processor
            CHECK(le::get32(p->formatted, 0x08) == 0x000306d4);
            CHECK((le::get32(p->formatted, 0x0c) & 1) == 1);  // FPU
            CHECK(p->formatted[0x18] == 0x41);
            sockets.insert(p->str(0x04));
        }
        CHECK(sockets.size() == c.cpus);

        // Type 16/17: capacity and device sizes add up to the RAM.
        const Parsed& array = *by_type[16][0];
        uint64_t cap_kib = le::get32(array.formatted, 0x07);
        CHECK(cap_kib == c.ram >> 10);
        CHECK(le::get16(array.formatted, 0x0d) == by_type[17].size());
        uint64_t sum = 0;
        for (const Parsed* p : by_type[17]) {
            CHECK(p->formatted.size() == 0x28);
            CHECK(le::get16(p->formatted, 0x04) == array.handle);
            uint16_t size = le::get16(p->formatted, 0x0c);
            if (size == 0x7fff) sum += uint64_t(le::get32(p->formatted, 0x1c)) << 20;
            else sum += (size & 0x8000) ? uint64_t(size & 0x7fff) << 10 : uint64_t(size) << 20;
        }
        CHECK(sum == c.ram);

        // Type 19: the RAM below 4 GiB, then above, in KiB with inclusive ends.
        REQUIRE(by_type[19].size() == (cfg.above_4g ? 2u : 1u));
        CHECK(le::get32(by_type[19][0]->formatted, 0x04) == 0);
        CHECK(le::get32(by_type[19][0]->formatted, 0x08) == (cfg.below_4g >> 10) - 1);
        if (cfg.above_4g) {
            CHECK(le::get32(by_type[19][1]->formatted, 0x04) == (1ull << 32) >> 10);
            CHECK(le::get32(by_type[19][1]->formatted, 0x08) == ((1ull << 32) + cfg.above_4g) / 1024 - 1);
        }
        for (const Parsed* p : by_type[19]) CHECK(le::get16(p->formatted, 0x0c) == array.handle);
        CHECK(by_type[32][0]->formatted[0x0a] == 0);  // boot status: no errors
    }
}

TEST_CASE("smbios: install_firmware_tables puts the entry point where OSes scan, inside the reserved BIOS area") {
    PhysicalMemory mem(512ull << 20);
    FirmwareConfig cfg;
    cfg.cpus = 255;  // the largest MP table, which must not reach the SMBIOS area
    FirmwareTables fw = install_firmware_tables(mem, cfg);
    REQUIRE(fw.smbios_addr != 0);
    std::vector<uint64_t> found;
    for (uint64_t a = 0xf0000; a < 0x100000; a += 16) {
        auto b = test::guest_bytes(mem, a, 4);
        if (std::string(b.begin(), b.end()) == "_SM_") found.push_back(a);
    }
    REQUIRE(found == std::vector<uint64_t>{fw.smbios_addr});
    auto e = test::guest_bytes(mem, fw.smbios_addr, 0x1f);
    CHECK(test::sum8(e) == 0);
    uint32_t table = le::get32(e, 0x18);
    uint16_t len = le::get16(e, 0x16);
    CHECK(table >= fw.smbios_addr + 0x1f);
    CHECK(table + len <= 0x100000u);
    auto t = test::guest_bytes(mem, table, len);
    size_t max_size;
    CHECK(walk(t, max_size).size() == le::get16(e, 0x1c));
    // The MP configuration table (at its pointer, with its length) ends before the entry point.
    auto fp = test::guest_bytes(mem, fw.mp_float_addr, 16);
    uint32_t mp = le::get32(fp, 4);
    auto mph = test::guest_bytes(mem, mp, 8);
    CHECK(mp + le::get16(mph, 4) <= fw.smbios_addr);
    CHECK(fw.rsdp_addr + 36 <= fw.mp_float_addr);
    // Neither the entry point nor the table is usable RAM in the e820 map.
    CHECK_FALSE(e820_is_usable(fw.e820, fw.smbios_addr, 1));
    CHECK_FALSE(e820_is_usable(fw.e820, table + len - 1, 1));
}
