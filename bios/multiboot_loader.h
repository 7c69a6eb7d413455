// Multiboot 1 kernels, loaded the way QEMU's -kernel loads them: the header
// (magic 0x1BADB002, flags, checksum) is searched 32-bit aligned in the first
// 8192 bytes; the image comes from the header's address fields when flag bit
// 16 is set (the "a.out kludge"), otherwise from the ELF32 program headers
// (PT_LOAD at p_paddr, memsz beyond filesz zeroed). 64-bit ELF is refused.
//
// Everything the loader adds goes above the image, from the next page:
//   multiboot info (88 bytes), mmap (from e820), module list, boot GDT,
//   strings (kernel command line "<path> <append>", module command lines,
//   boot loader name "petrel"), then each module page aligned.
// Modules come from -initrd: a comma-separated list (",," for a literal
// comma); each item is "file [args]" and the whole item is its command line.
//
// Entry: flat 32-bit protected mode, paging off, EAX = 0x2BADB002,
// EBX = info address, EIP = entry point, interrupts off.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bios/boot_state.h"

namespace petrel {

class PhysicalMemory;
struct FirmwareTables;

constexpr uint32_t kMultibootMagic = 0x1badb002;
constexpr uint32_t kMultibootBootloaderMagic = 0x2badb002;
constexpr size_t kMultibootSearchBytes = 8192;
constexpr uint32_t kMultibootAoutKludge = 1u << 16;

// Multiboot info flags this loader sets.
namespace mbi {
constexpr uint32_t kMemory = 1u << 0, kBootDevice = 1u << 1, kCmdline = 1u << 2, kMods = 1u << 3;
constexpr uint32_t kMmap = 1u << 6, kLoaderName = 1u << 9;
constexpr size_t kSize = 88;
}  // namespace mbi

struct MultibootHeader {
    size_t offset = 0;  // in the file
    uint32_t flags = 0;
    // Valid when flags has kMultibootAoutKludge (and the file holds them).
    uint32_t header_addr = 0, load_addr = 0, load_end_addr = 0, bss_end_addr = 0, entry_addr = 0;
};

// The first valid header (magic + flags + checksum == 0 mod 2^32), if any.
std::optional<MultibootHeader> find_multiboot_header(std::span<const uint8_t> file);

// -initrd as QEMU splits it for multiboot modules.
std::vector<std::string> split_module_list(const std::string& list);

struct MultibootFiles {
    std::string kernel_path;
    std::string modules;  // the -initrd string
    std::string cmdline;  // the -append string
};

BootState load_multiboot(PhysicalMemory& mem, std::span<const uint8_t> kernel, const MultibootFiles& files,
                         const FirmwareTables& fw);

}  // namespace petrel
