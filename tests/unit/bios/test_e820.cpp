// The e820 map matches what SeaBIOS reports on QEMU's pc board.
#include <doctest/doctest.h>

#include "bios/e820.h"

using namespace petrel;

TEST_CASE("e820: 128 MiB with a firmware region at the top of RAM") {
    E820Entry region{0x8000000 - 0x20000, 0x20000, E820Type::Reserved};
    auto map = build_e820(128ull << 20, 0, std::span(&region, 1));
    std::vector<E820Entry> want = {
        {0, 0x9fc00, E820Type::Ram},
        {0x9fc00, 0x400, E820Type::Reserved},
        {0xf0000, 0x10000, E820Type::Reserved},
        {0x100000, 0x8000000 - 0x20000 - 0x100000, E820Type::Ram},
        {0x8000000 - 0x20000, 0x20000, E820Type::Reserved},
        {0xfffc0000, 0x40000, E820Type::Reserved},
    };
    CHECK(map == want);
    CHECK(e820_is_usable(map, 0x100000, 0x1000000));
    CHECK_FALSE(e820_is_usable(map, 0x9f000, 0x2000));        // runs into the EBDA
    CHECK_FALSE(e820_is_usable(map, 0x7ff0000, 0x1000));      // the firmware region
    CHECK_FALSE(e820_is_usable(map, 0x8000000, 0x1000));      // past RAM
}

TEST_CASE("e820: RAM above 4 GiB follows the BIOS ROM entry") {
    auto map = build_e820(0xc0000000ull, 1ull << 30);
    REQUIRE(map.size() == 6);
    CHECK(map[3] == E820Entry{0x100000, 0xc0000000ull - 0x100000, E820Type::Ram});
    CHECK(map[5] == E820Entry{1ull << 32, 1ull << 30, E820Type::Ram});
    for (size_t i = 1; i < map.size(); ++i) CHECK(map[i - 1].end() <= map[i].addr);
}

TEST_CASE("e820: carve-outs in the middle split the usable range") {
    E820Entry cuts[] = {{0x400000, 0x1000, E820Type::Acpi}, {0x200000, 0x1000, E820Type::Nvs}};
    auto map = build_e820(16ull << 20, 0, cuts);
    REQUIRE(map.size() == 9);
    CHECK(map[3] == E820Entry{0x100000, 0x100000, E820Type::Ram});
    CHECK(map[4] == E820Entry{0x200000, 0x1000, E820Type::Nvs});
    CHECK(map[5] == E820Entry{0x201000, 0x1ff000, E820Type::Ram});
    CHECK(map[6] == E820Entry{0x400000, 0x1000, E820Type::Acpi});
    CHECK(map[7] == E820Entry{0x401000, (16ull << 20) - 0x401000, E820Type::Ram});
}
