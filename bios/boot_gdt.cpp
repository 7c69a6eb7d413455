// Flat boot GDT. Descriptors have the accessed bit preset so the CPU never
// needs to write the table (it may sit in memory the guest reuses).
#include "bios/boot_gdt.h"

#include <fmt/format.h>

#include "bios/le_bytes.h"
#include "memory/physical_memory.h"

namespace petrel {

BootState write_boot_gdt(PhysicalMemory& mem, uint64_t addr, const std::string& who) {
    std::vector<uint8_t> gdt(kBootGdtSize, 0);
    le::put64(gdt, kBootCs, 0x00cf9b000000ffffull);  // base 0, limit 4 GiB, code E/R, accessed, D=1, G=1
    le::put64(gdt, kBootDs, 0x00cf93000000ffffull);  // base 0, limit 4 GiB, data R/W, accessed, B=1, G=1
    if (!mem.write_bytes(addr, gdt.data(), gdt.size()))
        throw LoadError(fmt::format("{}: no RAM for the boot GDT at {:#x}", who, addr));
    BootState st;
    st.mode = EntryMode::Protected32;
    st.cs = kBootCs;
    st.ds = kBootDs;
    st.gdt_base = addr;
    st.gdt_limit = uint16_t(kBootGdtSize - 1);
    return st;
}

}  // namespace petrel
