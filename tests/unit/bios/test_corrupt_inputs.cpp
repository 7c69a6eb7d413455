// Randomly corrupted kernels: every outcome is a successful load or a
// LoadError, never a crash or another exception (run under ASan/UBSan to
// catch out-of-bounds reads too).
#include <doctest/doctest.h>

#include <random>

#include "bios/direct_boot.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "bios/linux_loader.h"
#include "bios/multiboot_loader.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;

namespace {
std::vector<uint8_t> seed_bzimage() {
    std::vector<uint8_t> f(5 * 512 + 0x4000, 0x90);
    f[0x1f1] = 4;
    le::put32(f, 0x1f4, 0x400);
    f[0x201] = 0x6a;
    le::put32(f, 0x202, 0x53726448);
    le::put16(f, 0x206, 0x20f);
    f[0x211] = 1;
    le::put32(f, 0x22c, 0x7fffffff);
    le::put32(f, 0x230, 0x200000);
    f[0x234] = 1;
    le::put16(f, 0x236, 3);
    le::put32(f, 0x238, 2047);
    le::put64(f, 0x258, 0x1000000);
    le::put32(f, 0x260, 0x100000);
    return f;
}

std::vector<uint8_t> seed_multiboot_elf() {
    std::vector<uint8_t> f(0x2000, 0);
    le::put32(f, 0, 0x464c457f);
    f[4] = 1; f[5] = 1; f[6] = 1;
    le::put16(f, 18, 3);
    le::put32(f, 24, 0x100000);
    le::put32(f, 28, 52);
    le::put16(f, 42, 32);
    le::put16(f, 44, 2);
    for (unsigned i = 0; i < 2; ++i) {
        size_t ph = 52 + 32 * i;
        le::put32(f, ph, 1);
        le::put32(f, ph + 4, 0x1000 + 0x800 * i);
        le::put32(f, ph + 8, 0x100000 + 0x1000 * i);
        le::put32(f, ph + 12, 0x100000 + 0x1000 * i);
        le::put32(f, ph + 16, 0x800);
        le::put32(f, ph + 20, 0x1000);
        le::put32(f, ph + 24, 5);
    }
    le::put32(f, 0x1000, kMultibootMagic);
    le::put32(f, 0x1004, 0);
    le::put32(f, 0x1008, uint32_t(-kMultibootMagic));
    return f;
}

// Flips bytes in the parts of the file the loaders read, sometimes with
// extreme values, sometimes truncating.
std::vector<uint8_t> mutate(std::vector<uint8_t> f, std::mt19937& rng, size_t hot_begin, size_t hot_end) {
    unsigned n = 1 + rng() % 6;
    for (unsigned i = 0; i < n; ++i) {
        size_t at = hot_begin + rng() % (hot_end - hot_begin);
        switch (rng() % 4) {
            case 0: f[at] = uint8_t(rng()); break;
            case 1: f[at] = 0xff; break;
            case 2: f[at] = 0; break;
            case 3: if (at + 4 <= f.size()) for (int b = 0; b < 4; ++b) f[at + b] = 0xff; break;  // a huge dword
        }
    }
    if (rng() % 8 == 0) f.resize(rng() % f.size());
    return f;
}
}  // namespace

TEST_CASE("corrupt inputs: mutated bzImage headers load or fail cleanly") {
    PhysicalMemory mem(64ull << 20);
    FirmwareTables fw = install_firmware_tables(mem, FirmwareConfig{});
    std::mt19937 rng(12345);
    auto seed = seed_bzimage();
    unsigned loaded = 0, refused = 0;
    for (int i = 0; i < 3000; ++i) {
        auto f = mutate(seed, rng, 0x1f0, 0x270);
        try {
            load_linux(mem, f, LinuxBootFiles{"fuzz", "", "console=ttyS0"}, fw);
            ++loaded;
        } catch (const LoadError&) {
            ++refused;
        }
    }
    CHECK(loaded > 0);
    CHECK(refused > 0);
}

TEST_CASE("corrupt inputs: mutated multiboot ELF and a.out headers load or fail cleanly") {
    PhysicalMemory mem(32ull << 20);
    FirmwareTables fw = memory_map_only(mem);
    std::mt19937 rng(54321);
    auto seed = seed_multiboot_elf();
    auto aout = seed;
    le::put32(aout, 0x1004, kMultibootAoutKludge);
    le::put32(aout, 0x1008, uint32_t(-(kMultibootMagic + kMultibootAoutKludge)));
    le::put32(aout, 0x100c, 0x101000);
    le::put32(aout, 0x1010, 0x100000);
    le::put32(aout, 0x1014, 0);
    le::put32(aout, 0x1018, 0x104000);
    le::put32(aout, 0x101c, 0x100000);
    unsigned loaded = 0, refused = 0;
    for (int i = 0; i < 3000; ++i) {
        bool use_aout = i % 2;
        auto f = use_aout ? mutate(aout, rng, 0x1004, 0x1020) : mutate(seed, rng, 0, 0x94);
        try {
            load_multiboot(mem, f, MultibootFiles{"fuzz", "", ""}, fw);
            ++loaded;
        } catch (const LoadError&) {
            ++refused;
        }
    }
    CHECK(loaded > 0);
    CHECK(refused > 0);
}
