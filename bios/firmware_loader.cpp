// Firmware ROM mapping at the top of the 32-bit space plus the ISA alias.
#include "bios/firmware_loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "bios/file_image.h"
#include "memory/physical_memory.h"

namespace petrel {

BootState map_firmware_image(PhysicalMemory& mem, std::span<const uint8_t> image, const std::string& path) {
    if (image.empty() || image.size() % kBiosSizeUnit)
        throw LoadError(fmt::format("firmware '{}' is {} bytes; its size must be a non-zero multiple of 64 KiB", path,
                                    image.size()));
    if (image.size() > kBiosMaxSize)
        throw LoadError(fmt::format("firmware '{}' is {} MiB; at most 16 MiB fit below 4 GiB", path,
                                    image.size() >> 20));
    uint64_t size = image.size();
    mem.add_rom((1ull << 32) - size, image, fmt::format("bios ({})", path));
    uint64_t isa = std::min(size, kIsaBiosMaxSize);
    mem.add_rom(0x100000 - isa, image.subspan(size - isa), "isa-bios");
    BootState st = firmware_reset_state();
    st.description = fmt::format("firmware '{}' ({} KiB) at {:#x}, reset vector", path, size >> 10, (1ull << 32) - size);
    return st;
}

BootState firmware_reset_state() {
    BootState st;
    st.mode = EntryMode::Real16;
    st.cs = 0xf000;
    st.rip = 0xfff0;
    st.ds = 0;
    st.description = "firmware reset vector";
    return st;
}

BootState load_firmware(PhysicalMemory& mem, const std::string& path) {
    // Read a little more than the cap so an oversized file gets the size message.
    std::vector<uint8_t> image = read_boot_file(path, "firmware", kBiosMaxSize + kBiosSizeUnit);
    return map_firmware_image(mem, image, path);
}

}  // namespace petrel
