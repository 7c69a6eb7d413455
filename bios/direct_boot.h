// -kernel: choosing the loader for a kernel file, as QEMU does. A file with
// the Linux "HdrS" setup header is a bzImage, even if it also carries a
// multiboot header; only a file without it is tried as multiboot. Anything
// else is refused (Petrel does not boot PVH ELF or raw images).
#pragma once
#include <span>
#include <string>

#include "bios/boot_state.h"

namespace petrel {

class PhysicalMemory;
struct FirmwareTables;

enum class KernelKind { LinuxBzImage, Multiboot, Unknown };

KernelKind detect_kernel_kind(std::span<const uint8_t> file);

struct DirectBootFiles {
    std::string kernel;   // -kernel
    std::string initrd;   // -initrd (multiboot: comma-separated modules)
    std::string append;   // -append
};

// Reads the kernel, picks the loader, loads everything. fw comes from
// install_firmware_tables() (or memory_map_only()). Throws LoadError.
BootState load_direct_kernel(PhysicalMemory& mem, const DirectBootFiles& files, const FirmwareTables& fw);

}  // namespace petrel
