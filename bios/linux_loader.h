// Direct boot of a Linux bzImage through the 32-bit boot protocol
// (Documentation/arch/x86/boot.rst): no real-mode setup code runs, so the
// loader fills struct boot_params ("zero page") itself and enters the
// protected-mode kernel at its load address.
//
// Guest memory used (all below 1 MiB except the kernel and initrd):
//   0x500    boot GDT (null, null, __BOOT_CS 0x10, __BOOT_DS 0x18)
//   0x7000   boot_params, 4 KiB (the address Firecracker and Cloud Hypervisor
//            use for the same entry; free in a direct boot)
//   0x20000  command line, NUL-terminated, up to the EBDA at 0x9fc00
//   kernel   pref_address if the kernel is relocatable and its init_size
//            footprint fits in usable RAM there, else 0x100000
//   initrd   as high as possible below min(initrd_addr_max, usable RAM
//            below 4 GiB), page aligned; the firmware table region at the
//            top of RAM is reserved in e820 and so never used
// Protocol 2.06 or newer is required (cmdline_size, relocatable kernels).
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "bios/boot_state.h"

namespace petrel {

class PhysicalMemory;
struct FirmwareTables;

constexpr uint64_t kLinuxGdtAddr = 0x500;
constexpr uint64_t kZeroPageAddr = 0x7000;
constexpr uint64_t kLinuxCmdlineAddr = 0x20000;
constexpr uint64_t kLinuxDefaultLoadAddr = 0x100000;
constexpr uint16_t kLinuxMinProtocol = 0x206;

// boot_params offsets the loader writes (Documentation/arch/x86/zero-page.rst).
namespace zp {
constexpr size_t kOrigVideoMode = 0x06, kOrigVideoCols = 0x07, kOrigVideoEgaBx = 0x0a;
constexpr size_t kOrigVideoLines = 0x0e, kOrigVideoIsVga = 0x0f, kOrigVideoPoints = 0x10;
constexpr size_t kAcpiRsdpAddr = 0x070;
constexpr size_t kAltMemK = 0x1e0;
constexpr size_t kE820Entries = 0x1e8;
constexpr size_t kSetupHeader = 0x1f1;
constexpr size_t kTypeOfLoader = 0x210;
constexpr size_t kLoadflags = 0x211;
constexpr size_t kCode32Start = 0x214;
constexpr size_t kRamdiskImage = 0x218;
constexpr size_t kRamdiskSize = 0x21c;
constexpr size_t kHeapEndPtr = 0x224;
constexpr size_t kCmdLinePtr = 0x228;
constexpr size_t kHeaderLimit = 0x290;  // edd_mbr_sig_buffer follows the header
constexpr size_t kE820Table = 0x2d0;
constexpr size_t kE820Max = 128;
}  // namespace zp

// Loadflags and xloadflags bits.
constexpr uint8_t kLoadedHigh = 0x01, kCanUseHeap = 0x80;
constexpr uint16_t kXlfKernel64 = 0x01, kXlfCanBeLoadedAbove4G = 0x02;

// The setup header fields the loader uses, validated against the file.
struct LinuxSetupHeader {
    uint16_t protocol = 0;
    unsigned setup_sects = 0;       // after the "0 means 4" rule
    size_t setup_size = 0;          // bytes before the protected-mode kernel
    size_t header_end = 0;          // 0x202 + byte at 0x201
    uint8_t loadflags = 0;
    uint32_t syssize = 0;           // protected-mode code size in 16-byte units
    uint32_t kernel_alignment = 0;
    bool relocatable = false;
    uint64_t pref_address = 0;      // 2.10+
    uint32_t init_size = 0;         // 2.10+
    uint32_t initrd_addr_max = 0;
    uint32_t cmdline_size = 0;
    uint16_t xloadflags = 0;        // 2.12+
};

// "HdrS" at 0x202: the file speaks the Linux boot protocol (QEMU tries
// multiboot only when this is absent).
bool is_linux_kernel(std::span<const uint8_t> file);

// Parses and checks the setup header; throws LoadError naming path.
LinuxSetupHeader parse_linux_header(std::span<const uint8_t> file, const std::string& path);

struct LinuxBootFiles {
    std::string kernel_path;  // for messages; the bytes are passed separately
    std::string initrd_path;  // empty: no initrd
    std::string cmdline;
    // Describe an 80x25 colour VGA text console in screen_info, as the BIOS
    // would have reported it to the real-mode setup code (which a 32-bit
    // entry skips). Without it Linux has no VGA console; false for a board
    // without VGA.
    bool vga_text = true;
};

// Loads kernel (the bzImage's bytes), the initrd and the command line into
// mem, builds the zero page from fw's e820 map and RSDP, writes the GDT, and
// returns the 32-bit entry state: CS 0x10, DS/ES/SS 0x18, ESI = zero page,
// EIP = load address, EBX/EBP/EDI = 0, interrupts off.
BootState load_linux(PhysicalMemory& mem, std::span<const uint8_t> kernel, const LinuxBootFiles& files,
                     const FirmwareTables& fw);

}  // namespace petrel
