#include "machine/boot_cpu_state.h"

namespace petrel {

namespace {
// Descriptor-cache attributes (Segment::attr): P, S, type; G and D/B for flat.
constexpr uint16_t kFlatCode32 = 0xc9b;  // execute/read, accessed, 32-bit, 4 KiB granular
constexpr uint16_t kFlatData32 = 0xc93;  // read/write, accessed, 32-bit, 4 KiB granular
constexpr uint16_t kRealData = 0x93;     // what RESET leaves in every data segment

constexpr uint32_t kMsrMtrrDefType = 0x2ff;
constexpr uint32_t kMsrMtrrFix64k00000 = 0x250, kMsrMtrrFix16k80000 = 0x258, kMsrMtrrFix16kA0000 = 0x259;
constexpr uint32_t kMsrMtrrFix4kC0000 = 0x268;  // ... 0x26f
constexpr uint32_t kMsrMtrrPhysBase0 = 0x200, kMsrMtrrPhysMask0 = 0x201;
constexpr uint64_t kWriteBackBytes = 0x0606060606060606ull;
constexpr uint64_t kMtrrEnable = 1u << 11, kMtrrFixedEnable = 1u << 10, kMtrrWriteBack = 6;
constexpr uint64_t kMtrrMaskValid = 1u << 11;
}  // namespace

void apply_boot_state(Cpu& cpu, const BootState& bs) {
    CpuState& s = cpu.s;
    if (bs.mode == EntryMode::Protected32) {
        s.gdtr = DescriptorTable{bs.gdt_base, bs.gdt_limit};
        s.cr0 |= kCR0_PE;
        s.seg[CS] = Segment{bs.cs, kFlatCode32, 0xffffffff, 0};
        for (unsigned r : {DS, ES, SS, FS, GS}) s.seg[r] = Segment{bs.ds, kFlatData32, 0xffffffff, 0};
        s.cpl = 0;
    } else if (!(bs.cs == 0xf000 && bs.rip == 0xfff0)) {
        s.seg[CS].selector = bs.cs;
        s.seg[CS].base = uint64_t{bs.cs} << 4;
        for (unsigned r : {DS, ES, SS, FS, GS}) s.seg[r] = Segment{bs.ds, kRealData, 0xffff, uint64_t{bs.ds} << 4};
    }
    s.rip = bs.rip;
    s.gpr[RAX] = bs.rax;
    s.gpr[RBX] = bs.rbx;
    s.gpr[RCX] = bs.rcx;
    s.gpr[RDX] = bs.rdx;
    s.gpr[RSI] = bs.rsi;
    s.gpr[RDI] = bs.rdi;
    s.gpr[RBP] = bs.rbp;
    s.gpr[RSP] = bs.rsp;
    cpu.update_mode();
    cpu.tlb_flush_all();
}

void apply_firmware_mtrrs(Cpu& cpu, uint64_t ram_below_4g) {
    cpu.wrmsr(kMsrMtrrFix64k00000, kWriteBackBytes);
    cpu.wrmsr(kMsrMtrrFix16k80000, kWriteBackBytes);
    cpu.wrmsr(kMsrMtrrFix16kA0000, 0);  // VGA window: uncached
    for (uint32_t i = 0; i < 8; ++i) cpu.wrmsr(kMsrMtrrFix4kC0000 + i, kWriteBackBytes);
    // The PCI hole: the aligned power-of-two block from the end of low RAM
    // (3 GiB or above) to 4 GiB, uncached.
    uint64_t hole = ram_below_4g <= 0xc0000000 ? 0x40000000 : 0x20000000;
    cpu.wrmsr(kMsrMtrrPhysBase0, (0x100000000ull - hole) | 0 /* UC */);
    cpu.wrmsr(kMsrMtrrPhysMask0, (~(hole - 1) & kPhysAddrMask) | kMtrrMaskValid);
    cpu.wrmsr(kMsrMtrrDefType, kMtrrEnable | kMtrrFixedEnable | kMtrrWriteBack);
}

}  // namespace petrel
