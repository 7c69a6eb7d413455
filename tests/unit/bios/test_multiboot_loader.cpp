// Multiboot 1 loader: a hand-made ELF32 kernel with modules, the a.out
// kludge, loader choice between bzImage and multiboot, corrupt inputs.
#include <doctest/doctest.h>

#include "bios/direct_boot.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "bios/multiboot_loader.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;

namespace {
void put_mb_header(std::vector<uint8_t>& f, size_t at, uint32_t flags) {
    le::put32(f, at, kMultibootMagic);
    le::put32(f, at + 4, flags);
    le::put32(f, at + 8, uint32_t(-(kMultibootMagic + flags)));
}

struct ElfSpec {
    uint8_t cls = 1;
    uint16_t machine = 3;
    uint32_t entry = 0xc0100010;
    uint32_t offset = 0x1000, vaddr = 0xc0100000, paddr = 0x100000, filesz = 0x2000, memsz = 0x5000;
    uint16_t phnum = 1;
};

// ELF32 with one PT_LOAD; the multiboot header sits at the start of the segment.
std::vector<uint8_t> make_elf(const ElfSpec& s) {
    std::vector<uint8_t> f(0x1000 + 0x2000, 0);
    le::put32(f, 0, 0x464c457f);
    f[4] = s.cls;
    f[5] = 1;
    f[6] = 1;
    le::put16(f, 16, 2);  // ET_EXEC
    le::put16(f, 18, s.machine);
    le::put32(f, 20, 1);
    le::put32(f, 24, s.entry);
    le::put32(f, 28, 52);  // phoff
    le::put16(f, 40, 52);
    le::put16(f, 42, 32);
    le::put16(f, 44, s.phnum);
    le::put32(f, 52, 1);  // PT_LOAD
    le::put32(f, 56, s.offset);
    le::put32(f, 60, s.vaddr);
    le::put32(f, 64, s.paddr);
    le::put32(f, 68, s.filesz);
    le::put32(f, 72, s.memsz);
    le::put32(f, 76, 5);  // R|X
    for (size_t i = 0x1000; i < f.size(); ++i) f[i] = uint8_t(i * 13 + 1);
    put_mb_header(f, 0x1000, 0x3);  // page-align modules, want memory info
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

std::string guest_string(PhysicalMemory& mem, uint64_t addr) {
    std::string s;
    for (uint8_t c; mem.read_bytes(addr++, &c, 1) && c;) s += char(c);
    return s;
}
}  // namespace

TEST_CASE("multiboot: module list splitting follows QEMU") {
    CHECK(split_module_list("") == std::vector<std::string>{});
    CHECK(split_module_list("a") == std::vector<std::string>{"a"});
    CHECK(split_module_list("a arg1 arg2,b") == std::vector<std::string>{"a arg1 arg2", "b"});
    CHECK(split_module_list("a,,b,c") == std::vector<std::string>{"a,b", "c"});
}

TEST_CASE("multiboot: header search") {
    std::vector<uint8_t> f(16384, 0);
    CHECK_FALSE(find_multiboot_header(f));
    put_mb_header(f, 8192, 0);  // outside the search window
    CHECK_FALSE(find_multiboot_header(f));
    put_mb_header(f, 8180, 0);  // last aligned slot whose 12 bytes fit
    REQUIRE(find_multiboot_header(f));
    CHECK(find_multiboot_header(f)->offset == 8180);
    put_mb_header(f, 100, 0x10000);
    le::put32(f, 108, 0);  // bad checksum at 100: skipped
    CHECK(find_multiboot_header(f)->offset == 8180);
    put_mb_header(f, 2, 0);  // unaligned: skipped
    CHECK(find_multiboot_header(f)->offset == 8180);
    CHECK_FALSE(find_multiboot_header(std::vector<uint8_t>(f.begin(), f.begin() + 8)));
}

TEST_CASE("multiboot: ELF32 kernel with modules") {
    PhysicalMemory mem(64ull << 20);
    FirmwareTables fw = install_firmware_tables(mem, FirmwareConfig{});
    std::vector<uint8_t> bss_junk(0x3000, 0xcc);
    REQUIRE(mem.write_bytes(0x102000, bss_junk.data(), bss_junk.size()));
    std::vector<uint8_t> modA(5000, 0xa1), modB(8192, 0xb2);
    test::TempFile fa(modA), fb(modB);
    auto elf = make_elf(ElfSpec{});
    BootState st = load_multiboot(mem, elf, MultibootFiles{"/boot/kernel.elf", fa.path() + " arg1 arg2," + fb.path(), "foo=bar"}, fw);

    CHECK(st.mode == EntryMode::Protected32);
    CHECK(st.rax == 0x2badb002);
    CHECK(st.rip == 0x100010);  // e_entry moved from vaddr to paddr
    CHECK(st.cs == 0x10);
    CHECK(st.ds == 0x18);
    CHECK(test::guest_bytes(mem, 0x100000, 0x2000) == std::vector<uint8_t>(elf.begin() + 0x1000, elf.end()));
    CHECK(test::guest_bytes(mem, 0x102000, 0x3000) == std::vector<uint8_t>(0x3000, 0));

    uint64_t mbi = st.rbx;
    CHECK(mbi >= 0x105000);
    CHECK(mbi % 4096 == 0);
    CHECK(st.gdt_base > mbi);
    auto info = test::guest_bytes(mem, mbi, mbi::kSize);
    REQUIRE(info.size() == mbi::kSize);
    CHECK(le::get32(info, 0) == (mbi::kMemory | mbi::kBootDevice | mbi::kCmdline | mbi::kMods | mbi::kMmap | mbi::kLoaderName));
    CHECK(le::get32(info, 4) == 639);
    CHECK(le::get32(info, 8) == (fw.region_base - 0x100000) / 1024);
    CHECK(guest_string(mem, le::get32(info, 16)) == "/boot/kernel.elf foo=bar");
    CHECK(guest_string(mem, le::get32(info, 64)) == "petrel");

    REQUIRE(le::get32(info, 20) == 2);
    auto mods = test::guest_bytes(mem, le::get32(info, 24), 32);
    uint32_t a_start = le::get32(mods, 0), a_end = le::get32(mods, 4);
    uint32_t b_start = le::get32(mods, 16), b_end = le::get32(mods, 20);
    CHECK(a_start % 4096 == 0);
    CHECK(b_start % 4096 == 0);
    CHECK(a_end - a_start == modA.size());
    CHECK(b_end - b_start == modB.size());
    CHECK(b_start >= a_end);
    CHECK(a_start > mbi);
    CHECK(guest_string(mem, le::get32(mods, 8)) == fa.path() + " arg1 arg2");
    CHECK(guest_string(mem, le::get32(mods, 24)) == fb.path());
    CHECK(test::guest_bytes(mem, a_start, modA.size()) == modA);
    CHECK(test::guest_bytes(mem, b_start, modB.size()) == modB);

    uint32_t mmap_len = le::get32(info, 44);
    REQUIRE(mmap_len == 24 * fw.e820.size());
    auto mmap = test::guest_bytes(mem, le::get32(info, 48), mmap_len);
    for (size_t i = 0; i < fw.e820.size(); ++i) {
        CHECK(le::get32(mmap, 24 * i) == 20);
        CHECK(le::get64(mmap, 24 * i + 4) == fw.e820[i].addr);
        CHECK(le::get64(mmap, 24 * i + 12) == fw.e820[i].size);
        CHECK(le::get32(mmap, 24 * i + 20) == uint32_t(fw.e820[i].type));
    }
}

TEST_CASE("multiboot: a.out kludge loads from the header's addresses") {
    PhysicalMemory mem(32ull << 20);
    FirmwareTables fw = memory_map_only(mem);
    std::vector<uint8_t> f(0x1800, 0);
    for (size_t i = 0; i < f.size(); ++i) f[i] = uint8_t(i);
    put_mb_header(f, 0x40, kMultibootAoutKludge);
    le::put32(f, 0x4c, 0x200040);  // header_addr
    le::put32(f, 0x50, 0x200000);  // load_addr
    le::put32(f, 0x54, 0);         // load_end: to the end of the file
    le::put32(f, 0x58, 0x203000);  // bss_end
    le::put32(f, 0x5c, 0x200080);  // entry
    std::vector<uint8_t> junk(0x1800, 0xcc);
    REQUIRE(mem.write_bytes(0x201800, junk.data(), junk.size()));
    BootState st = load_multiboot(mem, f, MultibootFiles{"k.bin", "", ""}, fw);
    CHECK(st.rip == 0x200080);
    CHECK(test::guest_bytes(mem, 0x200000, f.size()) == f);
    CHECK(test::guest_bytes(mem, 0x201800, 0x1800) == std::vector<uint8_t>(0x1800, 0));
    CHECK(st.rbx == 0x203000);
    auto info = test::guest_bytes(mem, st.rbx, mbi::kSize);
    CHECK(guest_string(mem, le::get32(info, 16)) == "k.bin ");  // QEMU's "<path> <append>"
    CHECK(le::get32(info, 20) == 0);
}

TEST_CASE("multiboot: corrupt and unsupported kernels are LoadErrors") {
    PhysicalMemory mem(32ull << 20);
    FirmwareTables fw = memory_map_only(mem);
    auto load = [&](const std::vector<uint8_t>& k, const std::string& mods = "") {
        return error_of([&] { load_multiboot(mem, k, MultibootFiles{"/k.elf", mods, ""}, fw); });
    };
    CHECK(load(make_elf(ElfSpec{})).empty());

    ElfSpec e64;
    e64.cls = 2;
    e64.machine = 62;
    std::string msg = load(make_elf(e64));
    CHECK(msg.find("give a 32-bit one") != std::string::npos);
    CHECK(msg.find("/k.elf") != std::string::npos);

    ElfSpec arm;
    arm.machine = 40;
    CHECK(load(make_elf(arm)).find("not i386") != std::string::npos);

    ElfSpec many_ph;
    many_ph.phnum = 0xffff;
    CHECK(load(make_elf(many_ph)).find("program headers") != std::string::npos);

    ElfSpec past_eof;
    past_eof.filesz = 0x10000;
    past_eof.memsz = 0x10000;
    CHECK(load(make_elf(past_eof)).find("truncated") != std::string::npos);

    ElfSpec wrap;
    wrap.offset = 0xfffff000;
    CHECK(load(make_elf(wrap)).find("truncated") != std::string::npos);

    ElfSpec fat;
    fat.memsz = 0x1000;  // smaller than filesz
    CHECK(load(make_elf(fat)).find("filesz") != std::string::npos);

    ElfSpec high;
    high.paddr = 0xfffff000;
    CHECK(load(make_elf(high)).find("4 GiB") != std::string::npos);

    ElfSpec no_ram;
    no_ram.paddr = 0x10000000;  // 256 MiB in a 32 MiB guest
    CHECK(load(make_elf(no_ram)).find("32 MiB") != std::string::npos);

    ElfSpec huge_bss;
    huge_bss.memsz = 0xf0000000;
    CHECK_FALSE(load(make_elf(huge_bss)).empty());

    auto not_elf = make_elf(ElfSpec{});
    not_elf[0] = 0;
    CHECK(load(not_elf).find("not an ELF") != std::string::npos);

    CHECK(load(make_elf(ElfSpec{}), "/nonexistent/module arg").find("/nonexistent/module") != std::string::npos);
    CHECK(load(std::vector<uint8_t>(64, 0)).find("no multiboot header") != std::string::npos);

    // a.out kludge with inconsistent addresses.
    auto aout = [](uint32_t header, uint32_t load_addr, uint32_t load_end, uint32_t bss_end, size_t size = 0x1000) {
        std::vector<uint8_t> f(size, 0);
        put_mb_header(f, 0x40, kMultibootAoutKludge);
        le::put32(f, 0x4c, header);
        le::put32(f, 0x50, load_addr);
        le::put32(f, 0x54, load_end);
        le::put32(f, 0x58, bss_end);
        le::put32(f, 0x5c, load_addr);
        f.resize(size);  // the put helpers grow the buffer; cut it back
        return f;
    };
    CHECK(load(aout(0x200040, 0x200000, 0, 0)).empty());
    CHECK(load(aout(0x10040, 0x10000, 0, 0)).empty());  // conventional memory is fine
    CHECK(load(aout(0x9f040, 0x9f000, 0, 0)).find("not in usable RAM") != std::string::npos);  // runs into the EBDA
    CHECK(load(aout(0x100000, 0x200000, 0, 0)).find("header_addr") != std::string::npos);
    CHECK(load(aout(0x300000, 0x200000, 0, 0)).find("before the start") != std::string::npos);
    CHECK(load(aout(0x200040, 0x200000, 0x100000, 0)).find("load_end_addr") != std::string::npos);
    CHECK(load(aout(0x200040, 0x200000, 0x280000, 0)).find("truncated") != std::string::npos);
    CHECK(load(aout(0x200040, 0x200000, 0, 0x200100)).find("bss_end_addr") != std::string::npos);
    CHECK(load(aout(0x200040, 0x200000, 0, 0, 0x50)).find("cut short") != std::string::npos);
}

TEST_CASE("direct boot: a bzImage wins over a multiboot header, as in QEMU") {
    std::vector<uint8_t> f(0x4000, 0);
    put_mb_header(f, 0x1000, 0);
    CHECK(detect_kernel_kind(f) == KernelKind::Multiboot);
    le::put32(f, 0x202, 0x53726448);
    CHECK(detect_kernel_kind(f) == KernelKind::LinuxBzImage);
    CHECK(detect_kernel_kind(std::vector<uint8_t>(100, 0)) == KernelKind::Unknown);

    PhysicalMemory mem(32ull << 20);
    FirmwareTables fw = install_firmware_tables(mem, FirmwareConfig{});
    test::TempFile elf(make_elf(ElfSpec{}));
    BootState st = load_direct_kernel(mem, DirectBootFiles{elf.path(), "", "x"}, fw);
    CHECK(st.rax == kMultibootBootloaderMagic);
    test::TempFile junk(std::vector<uint8_t>(100, 0));
    CHECK(error_of([&] { load_direct_kernel(mem, DirectBootFiles{junk.path(), "", ""}, fw); })
              .find("neither a Linux bzImage nor a multiboot") != std::string::npos);
    CHECK(error_of([&] { load_direct_kernel(mem, DirectBootFiles{"/nonexistent/vmlinuz", "", ""}, fw); })
              .find("/nonexistent/vmlinuz") != std::string::npos);
}
