#include <doctest/doctest.h>

#include <vector>

#include "memory/physical_memory.h"

using namespace petrel;

TEST_CASE("physical memory: the PCI hole splits large RAM at 3 GiB") {
    PhysicalMemory small(512ull << 20);
    CHECK(small.below_4g() == 512ull << 20);
    CHECK(small.above_4g() == 0);
    PhysicalMemory big(8ull << 30);  // reserved, not committed
    CHECK(big.below_4g() == 0xc0000000ull);
    CHECK(big.above_4g() == (8ull << 30) - 0xc0000000ull);
    big.write((1ull << 32) + 0x1234, 0xdeadbeef, 4);
    CHECK(big.read((1ull << 32) + 0x1234, 4) == 0xdeadbeef);
    CHECK(big.read(0xd0000000ull, 4) == 0xffffffffu);  // the hole is not RAM
}

TEST_CASE("physical memory: ROM ignores writes, DMA refuses ranges that are not RAM") {
    PhysicalMemory mem(16ull << 20);
    std::vector<uint8_t> rom(0x10000, 0x90);
    mem.add_rom(0xf0000, rom, "bios");
    mem.write(0xf0000, 0, 4);
    CHECK(mem.read(0xf0000, 1) == 0x90);
    uint8_t buf[16] = {1, 2, 3};
    CHECK(mem.write_bytes(0x1000, buf, sizeof buf));
    CHECK_FALSE(mem.write_bytes((16ull << 20) - 8, buf, sizeof buf));
    CHECK_FALSE(mem.write_bytes(0x9fff8, buf, sizeof buf));  // runs into the VGA window
}

TEST_CASE("physical memory: a write to a code page is reported once") {
    PhysicalMemory mem(16ull << 20);
    std::vector<uint64_t> hits;
    mem.set_code_write_listener([&](uint64_t page) { hits.push_back(page); });
    mem.mark_code_page(0x5123);
    mem.write(0x5ffc, 1, 4);
    mem.write(0x5000, 1, 4);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0] == 0x5000);
}

TEST_CASE("physical memory: the shadow window reads ROM or RAM and writes RAM or nothing, per page") {
    PhysicalMemory mem(16ull << 20);
    std::vector<uint8_t> rom(0x20000, 0x90);
    mem.add_rom(0xe0000, rom, "bios alias");
    // Power-on: reads see the ROM, writes are dropped; no direct host pointer.
    mem.write(0xf0000, 0x11, 1);
    CHECK(mem.read(0xf0000, 1) == 0x90);
    CHECK(mem.ram_page(0xf0000) == nullptr);
    // Writes to RAM, reads from ROM: the copy a BIOS makes of itself.
    mem.set_shadow(0xf0000, 0x10000, false, true);
    mem.write(0xf0000, 0x11, 1);
    CHECK(mem.read(0xf0000, 1) == 0x90);
    mem.set_shadow(0xf0000, 0x10000, true, false);  // RAM, read-only
    CHECK(mem.read(0xf0000, 1) == 0x11);
    mem.write(0xf0000, 0x22, 1);
    CHECK(mem.read(0xf0000, 1) == 0x11);
    CHECK(mem.ram_page(0xf0000) == nullptr);        // a write must not bypass the rule
    CHECK(mem.readable_page(0xf0000) != nullptr);
    mem.set_shadow(0xf0000, 0x10000, true, true);
    CHECK(mem.ram_page(0xf0000) != nullptr);
    CHECK(mem.read(0xe0000, 1) == 0x90);            // the other segments are unchanged
    // Neither RAM nor ROM under a page: reads float high.
    mem.set_shadow(0xc0000, 0x4000, false, false);
    CHECK(mem.read(0xc0000, 4) == 0xffffffffu);
}
