// bzImage loading. The file is untrusted: every header field that sizes or
// places something is checked against the file and against usable RAM before
// anything is written.
#include "bios/linux_loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "bios/boot_gdt.h"
#include "bios/file_image.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "memory/physical_memory.h"

namespace petrel {

namespace {
constexpr uint32_t kHdrS = 0x53726448;  // "HdrS"
constexpr uint64_t k4G = 1ull << 32;
// heap_end_ptr as if the real-mode setup sat 64 KiB below the command line
// (QEMU's layout). Only setup code running in real mode uses it; it must
// still be sane because CAN_USE_HEAP says it is valid.
constexpr uint16_t kHeapEndPtr = 0xfe00;

uint64_t align_up(uint64_t v, uint64_t a) { return a ? (v + a - 1) / a * a : v; }

// The RAM a kernel loaded at `load` touches while it decompresses: from the
// load address to the end of its init_size footprint at the address the
// decompressor picks (load aligned up, never below pref_address).
struct Footprint {
    uint64_t start, end;
};
Footprint kernel_footprint(const LinuxSetupHeader& h, uint64_t load, uint64_t pm_size) {
    if (h.protocol < 0x20a) return {load, load + std::max<uint64_t>(pm_size, 1) * 4};  // no init_size: a guess
    uint64_t run = std::max(align_up(load, h.relocatable ? h.kernel_alignment : 1), h.pref_address);
    return {load, std::max(run + h.init_size, load + pm_size)};
}
}  // namespace

bool is_linux_kernel(std::span<const uint8_t> file) { return le::get32(file, 0x202) == kHdrS; }

LinuxSetupHeader parse_linux_header(std::span<const uint8_t> file, const std::string& path) {
    if (file.size() < 0x240 || !is_linux_kernel(file))
        throw LoadError(fmt::format("kernel '{}' is not a Linux bzImage (no \"HdrS\" setup header)", path));
    LinuxSetupHeader h;
    h.protocol = le::get16(file, 0x206);
    if (h.protocol < kLinuxMinProtocol)
        throw LoadError(fmt::format("kernel '{}' uses boot protocol {}.{:02}; at least 2.06 is required", path,
                                    h.protocol >> 8, h.protocol & 0xff));
    h.setup_sects = file[0x1f1] ? file[0x1f1] : 4;
    h.setup_size = (h.setup_sects + 1) * 512;
    h.header_end = 0x202 + file[0x201];
    h.loadflags = file[0x211];
    h.syssize = le::get32(file, 0x1f4);
    h.initrd_addr_max = le::get32(file, 0x22c);
    h.kernel_alignment = le::get32(file, 0x230);
    h.relocatable = file[0x234] != 0;
    h.cmdline_size = le::get32(file, 0x238);
    if (h.protocol >= 0x20a) {
        h.pref_address = le::get64(file, 0x258);
        h.init_size = le::get32(file, 0x260);
    }
    if (h.protocol >= 0x20c) h.xloadflags = le::get16(file, 0x236);
    if (h.setup_size >= file.size())
        throw LoadError(fmt::format("kernel '{}' is truncated: {} setup sectors but the file has {} bytes", path,
                                    h.setup_sects, file.size()));
    if (h.header_end > h.setup_size || h.header_end > file.size())
        throw LoadError(fmt::format("kernel '{}' is corrupt: setup header ends at {:#x}, beyond the setup code", path,
                                    h.header_end));
    if (h.protocol >= 0x20a && h.header_end < 0x264)
        throw LoadError(fmt::format("kernel '{}' is corrupt: protocol {:#x} header ends at {:#x}, before init_size",
                                    path, h.protocol, h.header_end));
    if (!(h.loadflags & kLoadedHigh))
        throw LoadError(fmt::format("kernel '{}' is a zImage (loads below 1 MiB); only bzImage is supported", path));
    uint64_t pm_size = file.size() - h.setup_size;
    if (uint64_t(h.syssize) * 16 > pm_size)
        throw LoadError(fmt::format("kernel '{}' is truncated: the header promises {} bytes of kernel, the file has {}",
                                    path, uint64_t(h.syssize) * 16, pm_size));
    if (h.relocatable && (h.kernel_alignment == 0 || (h.kernel_alignment & (h.kernel_alignment - 1))))
        throw LoadError(fmt::format("kernel '{}' is corrupt: kernel_alignment {:#x} is not a power of two", path,
                                    h.kernel_alignment));
    return h;
}

BootState load_linux(PhysicalMemory& mem, std::span<const uint8_t> kernel, const LinuxBootFiles& files,
                     const FirmwareTables& fw) {
    const std::string& path = files.kernel_path;
    LinuxSetupHeader h = parse_linux_header(kernel, path);
    std::span<const uint8_t> pm = kernel.subspan(h.setup_size);
    const std::vector<E820Entry>& map = fw.e820;
    uint64_t ram_mib = (mem.below_4g() + mem.above_4g()) >> 20;

    // Command line: the kernel states the longest it accepts.
    if (files.cmdline.size() > h.cmdline_size)
        throw LoadError(fmt::format("kernel command line is {} bytes; kernel '{}' accepts at most {}",
                                    files.cmdline.size(), path, h.cmdline_size));
    if (kLinuxCmdlineAddr + files.cmdline.size() + 1 > kEbdaStart)
        throw LoadError(fmt::format("kernel command line is {} bytes; at most {} fit below the EBDA",
                                    files.cmdline.size(), kEbdaStart - kLinuxCmdlineAddr - 1));

    // Kernel placement: the preferred address saves the decompressor a move.
    uint64_t load = kLinuxDefaultLoadAddr;
    auto fits = [&](uint64_t at) {
        Footprint f = kernel_footprint(h, at, pm.size());
        return at >= kHighMemStart && f.end <= k4G && e820_is_usable(map, f.start, f.end - f.start);
    };
    if (h.relocatable && h.pref_address > kLinuxDefaultLoadAddr && h.pref_address < k4G && fits(h.pref_address))
        load = h.pref_address;
    Footprint foot = kernel_footprint(h, load, pm.size());
    if (!fits(load))
        throw LoadError(fmt::format("kernel '{}' does not fit in RAM: it needs {:#x}-{:#x} (init_size {} MiB), the "
                                    "guest has {} MiB",
                                    path, foot.start, foot.end, h.init_size >> 20, ram_mib));

    // Initrd: highest page-aligned spot below the kernel's limit.
    uint64_t initrd_addr = 0, initrd_size = 0;
    std::vector<uint8_t> initrd;
    if (!files.initrd_path.empty()) {
        initrd_size = boot_file_size(files.initrd_path, "initrd");
        // As QEMU: a kernel that accepts an initrd above 4 GiB accepts any
        // address below it (initrd_addr_max is kept low only to dodge old
        // loader bugs). ramdisk_image is 32 bits, so the initrd stays below 4 GiB.
        uint64_t limit = (h.xloadflags & kXlfCanBeLoadedAbove4G) ? k4G : uint64_t(h.initrd_addr_max) + 1;
        for (auto it = map.rbegin(); it != map.rend() && !initrd_addr && initrd_size; ++it) {
            if (it->type != E820Type::Ram) continue;
            uint64_t hi = std::min({it->end(), limit, k4G});
            uint64_t lo = std::max(it->addr, foot.end);
            if (hi <= lo || hi - lo < initrd_size) continue;
            uint64_t at = (hi - initrd_size) & kPageMask;
            if (at >= lo) initrd_addr = at;
        }
        if (initrd_size && !initrd_addr)
            throw LoadError(fmt::format("initrd '{}' ({} MiB) does not fit in RAM above the kernel and below {:#x} "
                                        "(guest has {} MiB)",
                                        files.initrd_path, (initrd_size + (1 << 20) - 1) >> 20,
                                        std::min(limit, k4G), ram_mib));
        initrd = read_boot_file(files.initrd_path, "initrd", initrd_size);
        initrd_size = initrd.size();  // the file may have changed since it was measured
    }

    // Zero page: the kernel's own setup header, then what a loader fills in.
    std::vector<uint8_t> zero(4096, 0);
    size_t hdr_end = std::min(h.header_end, zp::kHeaderLimit);
    std::copy(kernel.begin() + zp::kSetupHeader, kernel.begin() + hdr_end, zero.begin() + zp::kSetupHeader);
    zero[zp::kTypeOfLoader] = 0xff;  // "undefined" loader id
    zero[zp::kLoadflags] |= kCanUseHeap;
    le::put16(zero, zp::kHeapEndPtr, kHeapEndPtr);
    le::put32(zero, zp::kCode32Start, uint32_t(load));
    le::put32(zero, zp::kCmdLinePtr, uint32_t(kLinuxCmdlineAddr));
    le::put32(zero, zp::kRamdiskImage, uint32_t(initrd_addr));
    le::put32(zero, zp::kRamdiskSize, uint32_t(initrd_size));
    // acpi_rsdp_addr lives in boot_params at 0x70 for every protocol (the
    // setup-header copy of 2.14 was withdrawn); older kernels ignore it.
    if (fw.rsdp_addr) le::put64(zero, zp::kAcpiRsdpAddr, fw.rsdp_addr);
    if (files.vga_text) {
        zero[zp::kOrigVideoMode] = 3;  // 80x25 colour text
        zero[zp::kOrigVideoCols] = 80;
        zero[zp::kOrigVideoLines] = 25;
        zero[zp::kOrigVideoIsVga] = 1;
        le::put16(zero, zp::kOrigVideoEgaBx, 0x0003);  // INT 10h AH=12h BL=10h: colour, 256 KiB
        le::put16(zero, zp::kOrigVideoPoints, 16);     // character height
    }
    uint64_t ext_kib = 0;
    for (const E820Entry& e : map)
        if (e.type == E820Type::Ram && e.addr == kHighMemStart) ext_kib = e.size >> 10;
    le::put32(zero, zp::kAltMemK, uint32_t(std::min<uint64_t>(ext_kib, UINT32_MAX)));
    if (map.size() > zp::kE820Max)
        throw LoadError(fmt::format("memory map has {} entries; the zero page holds {}", map.size(), zp::kE820Max));
    zero[zp::kE820Entries] = uint8_t(map.size());
    for (size_t i = 0; i < map.size(); ++i) {
        size_t o = zp::kE820Table + 20 * i;
        le::put64(zero, o, map[i].addr);
        le::put64(zero, o + 8, map[i].size);
        le::put32(zero, o + 16, uint32_t(map[i].type));
    }

    auto put = [&](uint64_t addr, const void* data, size_t len, const char* what) {
        if (!mem.write_bytes(addr, data, len))
            throw LoadError(fmt::format("{} for kernel '{}' at {:#x} (+{:#x}) is outside guest RAM", what, path, addr, len));
    };
    put(load, pm.data(), pm.size(), "protected-mode kernel");
    if (initrd_size) put(initrd_addr, initrd.data(), initrd.size(), "initrd");
    put(kZeroPageAddr, zero.data(), zero.size(), "zero page");
    put(kLinuxCmdlineAddr, files.cmdline.c_str(), files.cmdline.size() + 1, "command line");

    BootState st = write_boot_gdt(mem, kLinuxGdtAddr, fmt::format("kernel '{}'", path));
    st.rip = load;
    st.rsi = kZeroPageAddr;
    st.description = fmt::format("Linux boot protocol {}.{:02}{}, kernel at {:#x}, initrd {} bytes at {:#x}",
                                 h.protocol >> 8, h.protocol & 0xff,
                                 (h.xloadflags & kXlfKernel64) ? " (64-bit kernel)" : "", load, initrd_size,
                                 initrd_addr);
    return st;
}

}  // namespace petrel
