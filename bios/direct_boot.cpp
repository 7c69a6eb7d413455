// Loader dispatch for -kernel.
#include "bios/direct_boot.h"

#include <fmt/format.h>

#include "bios/file_image.h"
#include "bios/firmware_tables.h"
#include "bios/linux_loader.h"
#include "bios/multiboot_loader.h"
#include "memory/physical_memory.h"

namespace petrel {

KernelKind detect_kernel_kind(std::span<const uint8_t> file) {
    if (is_linux_kernel(file)) return KernelKind::LinuxBzImage;
    if (find_multiboot_header(file)) return KernelKind::Multiboot;
    return KernelKind::Unknown;
}

BootState load_direct_kernel(PhysicalMemory& mem, const DirectBootFiles& files, const FirmwareTables& fw) {
    // A kernel larger than guest RAM cannot be loaded; refuse before reading it.
    std::vector<uint8_t> kernel = read_boot_file(files.kernel, "kernel", mem.below_4g() + mem.above_4g());
    switch (detect_kernel_kind(kernel)) {
        case KernelKind::LinuxBzImage:
            return load_linux(mem, kernel, LinuxBootFiles{files.kernel, files.initrd, files.append}, fw);
        case KernelKind::Multiboot:
            return load_multiboot(mem, kernel, MultibootFiles{files.kernel, files.initrd, files.append}, fw);
        case KernelKind::Unknown:
            break;
    }
    throw LoadError(fmt::format("kernel '{}' is neither a Linux bzImage nor a multiboot kernel", files.kernel));
}

}  // namespace petrel
