// Multiboot 1 loading. Offsets, sizes and addresses from the kernel file are
// untrusted: each is checked against the file size, against 4 GiB, and
// against guest RAM before any byte is written.
#include "bios/multiboot_loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "bios/boot_gdt.h"
#include "bios/file_image.h"
#include "bios/firmware_tables.h"
#include "bios/le_bytes.h"
#include "memory/physical_memory.h"

namespace petrel {

namespace {
constexpr uint64_t k4G = 1ull << 32;
constexpr uint16_t kEm386 = 3, kEmX86_64 = 62;
constexpr uint32_t kPtLoad = 1, kPfX = 1;
constexpr uint32_t kBootDeviceNone = 0x8000ffff;  // BIOS drive 0x80, no partition (as QEMU)

uint64_t page_up(uint64_t v) { return (v + kPageSize - 1) & kPageMask; }

struct Image {
    struct Segment {
        uint64_t paddr;
        std::span<const uint8_t> data;
        uint64_t memsz;
    };
    std::vector<Segment> segments;
    uint64_t low = UINT64_MAX, high = 0;
    uint32_t entry = 0;
    const char* kind = "";
};

[[noreturn]] void bad(const std::string& path, const std::string& why) {
    throw LoadError(fmt::format("multiboot kernel '{}': {}", path, why));
}

void add_segment(Image& img, uint64_t paddr, std::span<const uint8_t> data, uint64_t memsz, const std::string& path) {
    if (paddr + memsz > k4G) bad(path, fmt::format("segment at {:#x} (+{:#x}) reaches past 4 GiB", paddr, memsz));
    img.segments.push_back({paddr, data, memsz});
    img.low = std::min(img.low, paddr);
    img.high = std::max(img.high, paddr + memsz);
}

Image image_from_aout(std::span<const uint8_t> file, const MultibootHeader& h, const std::string& path) {
    if (h.offset + 32 > file.size()) bad(path, "header with flag bit 16 is cut short by the end of the file");
    if (h.header_addr < h.load_addr) bad(path, "header_addr is below load_addr");
    uint64_t delta = h.header_addr - h.load_addr;
    if (delta > h.offset) bad(path, "load_addr lies before the start of the file");
    uint64_t text = h.offset - delta;
    uint64_t load_size;
    if (h.load_end_addr) {
        if (h.load_end_addr < h.load_addr) bad(path, "load_end_addr is below load_addr");
        load_size = h.load_end_addr - h.load_addr;
    } else {
        load_size = file.size() - text;
    }
    if (text + load_size > file.size())
        bad(path, fmt::format("truncated: the header asks for {} bytes from offset {:#x}, the file has {}", load_size,
                              text, file.size()));
    uint64_t mem_size = load_size;
    if (h.bss_end_addr) {
        if (h.bss_end_addr < h.load_addr + load_size) bad(path, "bss_end_addr is below the end of the loaded text");
        mem_size = h.bss_end_addr - h.load_addr;
    }
    Image img;
    img.kind = "multiboot a.out kludge";
    add_segment(img, h.load_addr, file.subspan(text, load_size), mem_size, path);
    img.entry = h.entry_addr;
    return img;
}

Image image_from_elf(std::span<const uint8_t> file, const std::string& path) {
    if (file.size() < 52 || le::get32(file, 0) != 0x464c457f)
        bad(path, "not an ELF file, and its multiboot header has no load addresses (flag bit 16)");
    uint8_t cls = file[4];
    uint16_t machine = le::get16(file, 18);
    if (cls == 2 || machine == kEmX86_64) bad(path, "Cannot load x86-64 image, give a 32-bit one");
    if (cls != 1 || file[5] != 1) bad(path, "not a little-endian 32-bit ELF");
    if (machine != kEm386) bad(path, fmt::format("ELF machine {} is not i386", machine));
    uint32_t entry = le::get32(file, 24);
    uint64_t phoff = le::get32(file, 28);
    uint16_t phentsize = le::get16(file, 42), phnum = le::get16(file, 44);
    if (phentsize < 32 || phoff + uint64_t(phnum) * phentsize > file.size())
        bad(path, "truncated or corrupt ELF program headers");
    Image img;
    img.kind = "multiboot ELF";
    img.entry = entry;
    for (unsigned i = 0; i < phnum; ++i) {
        size_t ph = phoff + size_t(i) * phentsize;
        if (le::get32(file, ph) != kPtLoad) continue;
        uint64_t offset = le::get32(file, ph + 4), vaddr = le::get32(file, ph + 8), paddr = le::get32(file, ph + 12);
        uint64_t filesz = le::get32(file, ph + 16), memsz = le::get32(file, ph + 20);
        uint32_t pflags = le::get32(file, ph + 24);
        if (memsz == 0) continue;
        if (filesz > memsz) bad(path, fmt::format("segment {} has filesz {:#x} > memsz {:#x}", i, filesz, memsz));
        if (offset + filesz > file.size())
            bad(path, fmt::format("truncated: segment {} needs bytes up to {:#x}, the file has {:#x}", i,
                                  offset + filesz, file.size()));
        add_segment(img, paddr, file.subspan(offset, filesz), memsz, path);
        // e_entry is virtual: move it to the physical load address of the
        // executable segment that holds it (as QEMU's ELF loader does).
        if (vaddr != paddr && (pflags & kPfX) && entry >= vaddr && entry < vaddr + filesz)
            img.entry = uint32_t(entry - vaddr + paddr);
    }
    if (img.segments.empty()) bad(path, "the ELF file has no loadable segments");
    return img;
}

void write_or_throw(PhysicalMemory& mem, uint64_t addr, const void* data, size_t len, const std::string& what) {
    if (!mem.write_bytes(addr, data, len))
        throw LoadError(fmt::format("{} at {:#x} (+{:#x}) is outside guest RAM", what, addr, len));
}

void zero_range(PhysicalMemory& mem, uint64_t addr, uint64_t len, const std::string& what) {
    static const std::vector<uint8_t> zeros(64 * 1024, 0);
    while (len) {
        size_t n = size_t(std::min<uint64_t>(len, zeros.size()));
        write_or_throw(mem, addr, zeros.data(), n, what);
        addr += n;
        len -= n;
    }
}
}  // namespace

std::optional<MultibootHeader> find_multiboot_header(std::span<const uint8_t> file) {
    size_t window = std::min(file.size(), kMultibootSearchBytes);
    for (size_t i = 0; i + 12 <= window; i += 4) {
        if (le::get32(file, i) != kMultibootMagic) continue;
        uint32_t flags = le::get32(file, i + 4);
        if (uint32_t(kMultibootMagic + flags + le::get32(file, i + 8)) != 0) continue;
        MultibootHeader h;
        h.offset = i;
        h.flags = flags;
        h.header_addr = le::get32(file, i + 12);
        h.load_addr = le::get32(file, i + 16);
        h.load_end_addr = le::get32(file, i + 20);
        h.bss_end_addr = le::get32(file, i + 24);
        h.entry_addr = le::get32(file, i + 28);
        return h;
    }
    return std::nullopt;
}

std::vector<std::string> split_module_list(const std::string& list) {
    std::vector<std::string> out;
    if (list.empty()) return out;
    std::string cur;
    for (size_t i = 0; i < list.size(); ++i) {
        if (list[i] == ',') {
            if (i + 1 < list.size() && list[i + 1] == ',') {  // ",," is a literal comma
                cur += ',';
                ++i;
                continue;
            }
            out.push_back(cur);
            cur.clear();
            continue;
        }
        cur += list[i];
    }
    out.push_back(cur);
    return out;
}

BootState load_multiboot(PhysicalMemory& mem, std::span<const uint8_t> kernel, const MultibootFiles& files,
                         const FirmwareTables& fw) {
    const std::string& path = files.kernel_path;
    std::optional<MultibootHeader> hdr = find_multiboot_header(kernel);
    if (!hdr) bad(path, "no multiboot header in the first 8192 bytes");
    Image img = (hdr->flags & kMultibootAoutKludge) ? image_from_aout(kernel, *hdr, path) : image_from_elf(kernel, path);

    // Lay out the info block above the image.
    std::vector<std::string> mod_specs = split_module_list(files.modules);
    const std::vector<E820Entry>& map = fw.e820;
    uint64_t base = page_up(img.high);
    uint64_t mbi_addr = base;
    uint64_t mmap_addr = mbi_addr + mbi::kSize;
    uint64_t mods_addr = mmap_addr + 24 * map.size();
    uint64_t gdt_addr = (mods_addr + 16 * mod_specs.size() + 7) & ~uint64_t(7);
    std::vector<uint8_t> info(gdt_addr + kBootGdtSize - base, 0);
    auto add_string = [&](const std::string& s) -> uint32_t {
        uint64_t at = base + info.size();
        info.insert(info.end(), s.begin(), s.end());
        info.push_back(0);
        return uint32_t(at);
    };
    // QEMU passes "<kernel path> <append>", the path standing in for argv[0].
    uint32_t cmdline_addr = add_string(path + " " + files.cmdline);
    uint32_t loader_addr = add_string("petrel");
    std::vector<uint32_t> mod_cmdlines;
    for (const std::string& spec : mod_specs) mod_cmdlines.push_back(add_string(spec));

    // Modules, each page aligned after the info block.
    struct Module {
        std::string file;
        uint64_t addr, size;
    };
    std::vector<Module> mods;
    uint64_t at = page_up(base + info.size());
    for (const std::string& spec : mod_specs) {
        std::string file = spec.substr(0, spec.find(' '));
        if (file.empty()) bad(path, "empty module name in -initrd");
        uint64_t size = boot_file_size(file, "multiboot module");
        mods.push_back({file, at, size});
        at = page_up(at + size);
    }
    uint64_t ram_mib = (mem.below_4g() + mem.above_4g()) >> 20;
    for (const Image::Segment& s : img.segments)
        if (!e820_is_usable(map, s.paddr, s.memsz))
            bad(path, fmt::format("segment {:#x}-{:#x} is not in usable RAM (the guest has {} MiB)", s.paddr,
                                  s.paddr + s.memsz, ram_mib));
    if (at > k4G || !e820_is_usable(map, base, at - base))
        bad(path, fmt::format("multiboot info and modules need RAM {:#x}-{:#x}; the guest has {} MiB", base, at,
                              ram_mib));

    // Memory fields: KiB of conventional memory and of contiguous RAM from 1 MiB.
    uint32_t mem_lower = 0, mem_upper = 0;
    for (const E820Entry& e : map) {
        if (e.type != E820Type::Ram) continue;
        if (e.addr == 0) mem_lower = uint32_t(std::min<uint64_t>(e.size, 640 * 1024) >> 10);
        if (e.addr == kHighMemStart) mem_upper = uint32_t(std::min<uint64_t>(e.size >> 10, UINT32_MAX));
    }
    auto off = [&](uint64_t addr) { return size_t(addr - base); };
    le::put32(info, 0, mbi::kMemory | mbi::kBootDevice | mbi::kCmdline | mbi::kMods | mbi::kMmap | mbi::kLoaderName);
    le::put32(info, 4, mem_lower);
    le::put32(info, 8, mem_upper);
    le::put32(info, 12, kBootDeviceNone);
    le::put32(info, 16, cmdline_addr);
    le::put32(info, 20, uint32_t(mods.size()));
    le::put32(info, 24, uint32_t(mods_addr));
    le::put32(info, 44, uint32_t(24 * map.size()));
    le::put32(info, 48, uint32_t(mmap_addr));
    le::put32(info, 64, loader_addr);
    for (size_t i = 0; i < map.size(); ++i) {
        size_t o = off(mmap_addr) + 24 * i;
        le::put32(info, o, 20);  // size of the entry after this field
        le::put64(info, o + 4, map[i].addr);
        le::put64(info, o + 12, map[i].size);
        le::put32(info, o + 20, uint32_t(map[i].type));
    }
    for (size_t i = 0; i < mods.size(); ++i) {
        size_t o = off(mods_addr) + 16 * i;
        le::put32(info, o, uint32_t(mods[i].addr));
        le::put32(info, o + 4, uint32_t(mods[i].addr + mods[i].size));
        le::put32(info, o + 8, mod_cmdlines[i]);
    }

    for (const Image::Segment& s : img.segments) {
        write_or_throw(mem, s.paddr, s.data.data(), s.data.size(), fmt::format("multiboot kernel '{}' segment", path));
        zero_range(mem, s.paddr + s.data.size(), s.memsz - s.data.size(), fmt::format("multiboot kernel '{}' bss", path));
    }
    write_or_throw(mem, base, info.data(), info.size(), "multiboot info");
    for (const Module& m : mods) {
        std::vector<uint8_t> data = read_boot_file(m.file, "multiboot module", m.size);
        write_or_throw(mem, m.addr, data.data(), data.size(), fmt::format("multiboot module '{}'", m.file));
    }

    BootState st = write_boot_gdt(mem, gdt_addr, fmt::format("multiboot kernel '{}'", path));
    st.rip = img.entry;
    st.rax = kMultibootBootloaderMagic;
    st.rbx = mbi_addr;
    st.description = fmt::format("{} '{}': image {:#x}-{:#x}, entry {:#x}, {} module(s)", img.kind, path, img.low,
                                 img.high, img.entry, mods.size());
    return st;
}

}  // namespace petrel
