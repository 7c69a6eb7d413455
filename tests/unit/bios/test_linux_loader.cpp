// Linux boot protocol loader: the real Debian kernel when it was built
// (testimages/build-default), and hand-made bzImage headers for the rules
// and the corrupt-input cases.
#include <doctest/doctest.h>

#include "bios/boot_gdt.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "bios/linux_loader.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;

namespace {
struct FakeKernel {
    uint16_t protocol = 0x20f;
    uint8_t setup_sects = 4;
    uint32_t pm_size = 0x4000;
    bool relocatable = true;
    uint64_t pref_address = 0x1000000;
    uint32_t init_size = 0x200000;
    uint32_t initrd_addr_max = 0x7fffffff;
    uint16_t xloadflags = 0x03;  // 64-bit, can load above 4G
    uint32_t cmdline_size = 2047;
    uint32_t syssize_override = 0;  // 0: pm_size / 16
};

std::vector<uint8_t> make_bzimage(const FakeKernel& k) {
    size_t setup = (size_t(k.setup_sects ? k.setup_sects : 4) + 1) * 512;
    std::vector<uint8_t> f(setup + k.pm_size, 0);
    f[0x1f1] = k.setup_sects;
    le::put32(f, 0x1f4, k.syssize_override ? k.syssize_override : k.pm_size / 16);
    le::put16(f, 0x1fe, 0xaa55);
    f[0x200] = 0xeb;
    f[0x201] = 0x6a;  // header ends at 0x26c
    le::put32(f, 0x202, 0x53726448);
    le::put16(f, 0x206, k.protocol);
    f[0x211] = 0x01;  // LOADED_HIGH
    le::put32(f, 0x214, 0x100000);
    le::put32(f, 0x22c, k.initrd_addr_max);
    le::put32(f, 0x230, 0x200000);
    f[0x234] = k.relocatable;
    le::put16(f, 0x236, k.xloadflags);
    le::put32(f, 0x238, k.cmdline_size);
    le::put64(f, 0x258, k.pref_address);
    le::put32(f, 0x260, k.init_size);
    for (size_t i = setup; i < f.size(); ++i) f[i] = uint8_t(i * 7);
    return f;
}

std::string error_of(auto&& fn) {
    try {
        fn();
    } catch (const LoadError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("linux: the Debian kernel's zero page mirrors its own setup header") {
    std::string kpath = test::default_image("vmlinuz"), ipath = test::default_image("initrd.img");
    if (kpath.empty() || ipath.empty()) {
        MESSAGE("images/default not built (testimages/build-default): skipping the real-kernel test");
        return;
    }
    std::vector<uint8_t> file = test::read_file(kpath), initrd = test::read_file(ipath);
    PhysicalMemory mem(512ull << 20);
    FirmwareTables fw = install_firmware_tables(mem, FirmwareConfig{});
    const std::string cmdline = "console=ttyS0 panic=-1 quiet";
    BootState st = load_linux(mem, file, LinuxBootFiles{kpath, ipath, cmdline}, fw);
    LinuxSetupHeader h = parse_linux_header(file, kpath);

    CHECK(st.mode == EntryMode::Protected32);
    CHECK(st.cs == 0x10);
    CHECK(st.ds == 0x18);
    CHECK(st.rsi == kZeroPageAddr);
    CHECK(st.rbx == 0);
    CHECK(st.rbp == 0);
    CHECK(st.rdi == 0);
    CHECK(st.gdt_base == kLinuxGdtAddr);
    CHECK(st.gdt_limit == 31);
    CHECK(test::guest_bytes(mem, kLinuxGdtAddr + 0x10, 8) == std::vector<uint8_t>{0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0});
    CHECK(test::guest_bytes(mem, kLinuxGdtAddr + 0x18, 8) == std::vector<uint8_t>{0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0});

    auto zero = test::guest_bytes(mem, kZeroPageAddr, 4096);
    REQUIRE(zero.size() == 4096);
    // The header is the file's, except the fields a loader writes.
    const std::vector<std::pair<size_t, size_t>> written = {
        {zp::kTypeOfLoader, 1}, {zp::kLoadflags, 1}, {zp::kCode32Start, 4}, {zp::kRamdiskImage, 4},
        {zp::kRamdiskSize, 4},  {zp::kHeapEndPtr, 2}, {zp::kCmdLinePtr, 4}};
    for (size_t o = zp::kSetupHeader; o < h.header_end; ++o) {
        bool is_written = false;
        for (auto [at, n] : written) is_written |= o >= at && o < at + n;
        if (!is_written && zero[o] != file[o]) FAIL_CHECK("zero page differs from the file at " << o);
    }
    CHECK(le::get32(zero, 0x202) == 0x53726448);
    CHECK(le::get16(zero, 0x206) == h.protocol);
    CHECK(h.protocol >= 0x206);
    CHECK(zero[zp::kTypeOfLoader] == 0xff);
    CHECK(zero[zp::kLoadflags] == (file[0x211] | kCanUseHeap));
    CHECK(le::get16(zero, zp::kHeapEndPtr) != 0);

    // Kernel at the preferred address (relocatable, and RAM is ample).
    CHECK(h.relocatable);
    CHECK(st.rip == h.pref_address);
    CHECK(le::get32(zero, zp::kCode32Start) == h.pref_address);
    CHECK(test::guest_bytes(mem, st.rip, file.size() - h.setup_size) ==
          std::vector<uint8_t>(file.begin() + h.setup_size, file.end()));

    // Command line.
    uint32_t cmd = le::get32(zero, zp::kCmdLinePtr);
    CHECK(cmd == kLinuxCmdlineAddr);
    auto cmd_bytes = test::guest_bytes(mem, cmd, cmdline.size() + 1);
    CHECK(std::string(cmd_bytes.begin(), cmd_bytes.end() - 1) == cmdline);
    CHECK(cmd_bytes.back() == 0);

    // Initrd: page aligned, as high as possible below the reserved table region.
    uint32_t rd = le::get32(zero, zp::kRamdiskImage), rd_size = le::get32(zero, zp::kRamdiskSize);
    CHECK(rd_size == initrd.size());
    CHECK(rd % 4096 == 0);
    CHECK(rd + rd_size <= fw.region_base);
    CHECK(fw.region_base - (rd + rd_size) < 4096);
    CHECK(rd >= h.pref_address + h.init_size);
    CHECK(test::guest_bytes(mem, rd, rd_size) == initrd);

    // E820 and ACPI.
    REQUIRE(zero[zp::kE820Entries] == fw.e820.size());
    for (size_t i = 0; i < fw.e820.size(); ++i) {
        size_t o = zp::kE820Table + 20 * i;
        CHECK(le::get64(zero, o) == fw.e820[i].addr);
        CHECK(le::get64(zero, o + 8) == fw.e820[i].size);
        CHECK(le::get32(zero, o + 16) == uint32_t(fw.e820[i].type));
    }
    CHECK(le::get64(zero, zp::kAcpiRsdpAddr) == kRsdpAddr);
    CHECK(zero[0x1ef] == 0);  // sentinel stays 0: the kernel keeps our fields
    CHECK(zero[zp::kOrigVideoMode] == 3);
    CHECK(zero[zp::kOrigVideoCols] == 80);
    CHECK(zero[zp::kOrigVideoLines] == 25);
    CHECK(zero[zp::kOrigVideoIsVga] == 1);
}

TEST_CASE("linux: placement rules on a hand-made bzImage") {
    PhysicalMemory mem(64ull << 20);
    FirmwareTables fw = install_firmware_tables(mem, FirmwareConfig{});
    test::TempFile rd(std::vector<uint8_t>(10000, 0x5a));

    SUBCASE("relocatable: preferred address") {
        auto k = make_bzimage(FakeKernel{});
        BootState st = load_linux(mem, k, LinuxBootFiles{"fake", rd.path(), "x"}, fw);
        CHECK(st.rip == 0x1000000);
    }
    SUBCASE("not relocatable: 0x100000") {
        FakeKernel fk;
        fk.relocatable = false;
        auto k = make_bzimage(fk);
        BootState st = load_linux(mem, k, LinuxBootFiles{"fake", "", "", false}, fw);
        CHECK(st.rip == 0x100000);
        auto zero = test::guest_bytes(mem, kZeroPageAddr, 4096);
        CHECK(std::vector<uint8_t>(zero.begin(), zero.begin() + 0x40) == std::vector<uint8_t>(0x40, 0));  // no screen_info
        CHECK(le::get32(zero, zp::kRamdiskImage) == 0);
        CHECK(le::get32(zero, zp::kRamdiskSize) == 0);
    }
    SUBCASE("preferred address does not fit: 0x100000") {
        FakeKernel fk;
        fk.pref_address = 0x3000000;
        fk.init_size = 0x2000000;  // would end at 80 MiB, past 64 MiB of RAM
        fk.relocatable = true;
        auto k = make_bzimage(fk);
        // Loaded at 1 MiB the decompressor still runs at pref_address: too big.
        CHECK(error_of([&] { load_linux(mem, k, LinuxBootFiles{"fake", "", ""}, fw); }).find("does not fit in RAM") !=
              std::string::npos);
        fk.init_size = 0x800000;
        fk.pref_address = 0x3c00000;  // 60 MiB + 8 MiB > 64 MiB: a 1 MiB load still runs at pref_address
        k = make_bzimage(fk);
        CHECK_THROWS_AS(load_linux(mem, k, LinuxBootFiles{"fake", "", ""}, fw), LoadError);
    }
    SUBCASE("setup_sects 0 means 4") {
        FakeKernel fk;
        fk.setup_sects = 0;
        auto k = make_bzimage(fk);
        CHECK(parse_linux_header(k, "fake").setup_size == 5 * 512);
        BootState st = load_linux(mem, k, LinuxBootFiles{"fake", "", ""}, fw);
        CHECK(test::guest_bytes(mem, st.rip, 16) == std::vector<uint8_t>(k.begin() + 5 * 512, k.begin() + 5 * 512 + 16));
    }
    SUBCASE("initrd_addr_max limits the initrd without XLF_CAN_BE_LOADED_ABOVE_4G") {
        FakeKernel fk;
        fk.xloadflags = 0x01;
        fk.initrd_addr_max = 0x2ffffff;  // 48 MiB
        auto k = make_bzimage(fk);
        load_linux(mem, k, LinuxBootFiles{"fake", rd.path(), ""}, fw);
        auto zero = test::guest_bytes(mem, kZeroPageAddr, 4096);
        uint32_t at = le::get32(zero, zp::kRamdiskImage);
        CHECK(at + 10000 <= 0x3000000);
        CHECK(at == ((0x3000000 - 10000) & ~0xfffu));
    }
}

TEST_CASE("linux: bad kernels and impossible requests are LoadErrors naming the file") {
    PhysicalMemory mem(32ull << 20);
    FirmwareTables fw = install_firmware_tables(mem, FirmwareConfig{});
    auto load = [&](const std::vector<uint8_t>& k, const std::string& initrd = "", const std::string& cmd = "") {
        return error_of([&] { load_linux(mem, k, LinuxBootFiles{"/x/vmlinuz", initrd, cmd}, fw); });
    };
    auto good = make_bzimage(FakeKernel{});
    CHECK(load(good).empty());

    auto bad_magic = good;
    bad_magic[0x202] = 'X';
    CHECK(load(bad_magic).find("not a Linux bzImage") != std::string::npos);
    CHECK(load(bad_magic).find("/x/vmlinuz") != std::string::npos);

    FakeKernel old;
    old.protocol = 0x205;
    CHECK(load(make_bzimage(old)).find("2.06") != std::string::npos);

    auto tiny = std::vector<uint8_t>(good.begin(), good.begin() + 0x300);
    CHECK(load(tiny).find("truncated") != std::string::npos);
    CHECK(load(std::vector<uint8_t>(good.begin(), good.begin() + 0x100)).find("not a Linux bzImage") != std::string::npos);
    CHECK(load({}).find("not a Linux bzImage") != std::string::npos);

    auto cut = std::vector<uint8_t>(good.begin(), good.end() - 0x1000);  // syssize promises more
    CHECK(load(cut).find("truncated") != std::string::npos);

    FakeKernel huge_sys;
    huge_sys.syssize_override = 0xffffffff;
    CHECK(load(make_bzimage(huge_sys)).find("truncated") != std::string::npos);

    auto huge_setup = good;
    huge_setup[0x1f1] = 0xff;  // 256 sectors: past the end of the file
    CHECK(load(huge_setup).find("truncated") != std::string::npos);

    // The longest header the jump byte can describe (to 0x301) is legal, but
    // the copy stops where boot_params' own fields begin.
    auto long_header = good;
    long_header[0x201] = 0xff;
    for (size_t o = 0x290; o < 0x301; ++o) long_header[o] = 0xee;
    CHECK(load(long_header).empty());
    auto zero = test::guest_bytes(mem, kZeroPageAddr, 4096);
    CHECK(le::get64(zero, zp::kE820Table) == 0);
    CHECK(le::get64(zero, zp::kE820Table + 8) == 0x9fc00);
    CHECK(zero[0x290] == 0);

    auto zimage = good;
    zimage[0x211] = 0;
    CHECK(load(zimage).find("zImage") != std::string::npos);

    FakeKernel huge_init;
    huge_init.init_size = 0xf0000000;
    CHECK(load(make_bzimage(huge_init)).find("does not fit in RAM") != std::string::npos);

    FakeKernel bad_align;
    auto ba = make_bzimage(bad_align);
    le::put32(ba, 0x230, 0x300000);
    CHECK(load(ba).find("kernel_alignment") != std::string::npos);

    FakeKernel short_cmd;
    short_cmd.cmdline_size = 8;
    CHECK(load(make_bzimage(short_cmd), "", "console=ttyS0").find("command line") != std::string::npos);
    CHECK(load(good, "", std::string(0x90000, 'a')).find("command line") != std::string::npos);

    CHECK(load(good, "/nonexistent/initrd.img").find("/nonexistent/initrd.img") != std::string::npos);
    test::TempFile big(std::vector<uint8_t>(24ull << 20, 1));  // 24 MiB initrd, 32 MiB guest, kernel at 16 MiB
    std::string e = load(good, big.path());
    CHECK(e.find("does not fit") != std::string::npos);
    CHECK(e.find(big.path()) != std::string::npos);
}
