// MP 1.4 floating pointer and configuration table: checksums and entries.
#include <doctest/doctest.h>

#include "bios/le_bytes.h"
#include "bios/mp_table.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;

TEST_CASE("mp table: floating pointer and configuration table checksums") {
    PhysicalMemory mem(32ull << 20);
    MpConfig cfg;
    cfg.cpus = 4;
    uint64_t len = install_mp_table(mem, cfg, 0xf0030, 0xf0040);
    auto fp = test::guest_bytes(mem, 0xf0030, 16);
    REQUIRE(fp.size() == 16);
    CHECK(std::string(fp.begin(), fp.begin() + 4) == "_MP_");
    CHECK(le::get32(fp, 4) == 0xf0040);
    CHECK(fp[8] == 1);
    CHECK(fp[9] == 4);
    CHECK(test::sum8(fp) == 0);
    auto t = test::guest_bytes(mem, 0xf0040, len);
    CHECK(std::string(t.begin(), t.begin() + 4) == "PCMP");
    CHECK(le::get16(t, 4) == len);
    CHECK(test::sum8(t) == 0);
    CHECK(le::get32(t, 36) == 0xfee00000);

    // Walk the entries: 4 processors (first is the BSP), 2 buses, 1 IOAPIC,
    // 15 ISA interrupts (IRQ2 skipped), 2 local interrupts.
    unsigned counts[5] = {};
    size_t o = 44;
    bool irq0_on_pin2 = false, sci_level = false, bsp = false;
    for (unsigned i = 0; i < le::get16(t, 34); ++i) {
        uint8_t type = t[o];
        REQUIRE(type < 5);
        counts[type]++;
        if (type == 0 && t[o + 1] == 0) bsp = t[o + 3] == 3;
        if (type == 3 && t[o + 5] == 0) irq0_on_pin2 = t[o + 7] == 2;
        if (type == 3 && t[o + 5] == 9) sci_level = le::get16(t, o + 2) == 0x000d;
        o += type == 0 ? 20 : 8;
    }
    CHECK(o == len);
    CHECK(counts[0] == 4);
    CHECK(counts[1] == 2);
    CHECK(counts[2] == 1);
    CHECK(counts[3] == 15);
    CHECK(counts[4] == 2);
    CHECK(bsp);
    CHECK(irq0_on_pin2);
    CHECK(sci_level);
}

TEST_CASE("mp table: placement outside RAM is a LoadError") {
    PhysicalMemory mem(1ull << 20);
    CHECK_THROWS_AS(install_mp_table(mem, MpConfig{}, 0xa0000, 0xa0010), LoadError);
    CHECK_THROWS_AS(install_mp_table(mem, MpConfig{0}, 0xf0030, 0xf0040), LoadError);
}
