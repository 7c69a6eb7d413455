// What a loader hands the machine: the CPU state at the first guest
// instruction. Loaders write their data (kernel, tables, a GDT) into guest RAM
// and describe the entry here; the machine applies it to CPU 0.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace petrel {

enum class EntryMode {
    Real16,       // reset vector / real-mode entry: cs:ip as given, segments base = sel << 4
    Protected32,  // flat 32-bit protected mode, paging off (Linux 32-bit boot protocol, multiboot)
};

struct BootState {
    EntryMode mode = EntryMode::Real16;
    uint64_t rip = 0xfff0;
    uint16_t cs = 0xf000;  // selector; in Protected32 the GDT entry at gdt_base+cs is a flat 4 GiB code segment
    uint16_t ds = 0;       // selector for DS/ES/SS/FS/GS; flat 4 GiB data segment in Protected32
    uint64_t gdt_base = 0; // Protected32: guest-physical address of the GDT the loader wrote
    uint16_t gdt_limit = 0;
    uint64_t rax = 0, rbx = 0, rcx = 0, rdx = 0, rsi = 0, rdi = 0, rbp = 0, rsp = 0;
    std::string description;  // for logs: "Linux boot protocol 2.15, 64-bit kernel", "multiboot ELF"
};

// A loader failure: the message says what is wrong with which file.
struct LoadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace petrel
