// Model-specific registers: one table of every MSR Petrel implements, each
// with its read and write rule. An index not in the table is #GP(0), as are
// writes of reserved bits, non-canonical addresses into MSRs that hold one,
// and invalid memory types in PAT and the MTRRs.
//
// Which MSRs: those Linux, the BSDs and Windows touch on a CPU with the
// features CPUID reports (cpuid.cpp) — TSC, APIC base, EFER and the
// SYSCALL/SYSENTER set, FS/GS bases, PAT, MTRRs, machine-check globals,
// MISC_ENABLE, FEATURE_CONTROL (locked, no VMX), microcode signature.
#include <algorithm>
#include <span>

#include "cpu/system/descriptors.h"
#include "cpu/system/paging_consts.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

using MsrRead = bool (*)(Cpu&, uint32_t, uint64_t&);
using MsrWrite = bool (*)(Cpu&, uint32_t, uint64_t);

struct MsrDef {
    uint32_t first, last;  // index range (most entries are one MSR)
    const char* name;
    MsrRead read;    // nullptr: #GP on read
    MsrWrite write;  // nullptr: #GP on write (read-only)
};

// Memory types valid in PAT entries and MTRRs: UC, WC, WT, WP, WB (and UC- in PAT).
bool valid_mtrr_type(uint64_t t) { return t == 0 || t == 1 || t == 4 || t == 5 || t == 6; }
bool valid_pat_type(uint64_t t) { return valid_mtrr_type(t) || t == 7; }
bool all_bytes(uint64_t v, bool (*ok)(uint64_t)) {
    for (unsigned i = 0; i < 8; ++i)
        if (!ok((v >> (8 * i)) & 0xff)) return false;
    return true;
}

// IA32_ARCH_CAPABILITIES: an interpreter has no speculative side channels, so
// it reports the "not affected" bits an OS uses to skip mitigations (Linux:
// page-table isolation, MDS buffer clearing...): RDCL_NO, SSB_NO, MDS_NO,
// PSCHANGE_MC_NO, TAA_NO, SBDR_SSDP_NO, FBSDP_NO, PSDP_NO, BHI_NO, PBRSB_NO,
// GDS_NO, RFDS_NO.
constexpr uint64_t kArchCapabilities = (1ull << 0) | (1ull << 4) | (1ull << 5) | (1ull << 6) | (1ull << 8) |
                                       (1ull << 13) | (1ull << 14) | (1ull << 15) | (1ull << 20) | (1ull << 24) |
                                       (1ull << 26) | (1ull << 27);
// Microcode revision reported in IA32_BIOS_SIGN_ID[63:32]. Linux disables the
// TSC-deadline timer on this model below revision 0x25 (an erratum of real
// parts), so report a revision past it.
constexpr uint64_t kMicrocodeRevision = 0x2f;

constexpr uint64_t kApicBaseDefault = 0xfee00000ull | (1u << 11) | (1u << 8);  // enabled, BSP
constexpr uint64_t kApicBaseWritable = kPhysAddrMask | (1u << 11) | (1u << 8);  // no x2APIC (bit 10)

// The fixed-range MTRRs, in MsrState::mtrr_fixed order.
int fixed_mtrr_slot(uint32_t i) {
    if (i == 0x250) return 0;
    if (i == 0x258) return 1;
    if (i == 0x259) return 2;
    if (i >= 0x268 && i <= 0x26f) return 3 + static_cast<int>(i - 0x268);
    return -1;
}

// Canonical-address MSRs share one rule.
template <uint64_t CpuState::*Field>
bool read_field(Cpu& c, uint32_t, uint64_t& v) {
    v = c.s.*Field;
    return true;
}
template <uint64_t CpuState::*Field>
bool write_canonical(Cpu& c, uint32_t, uint64_t v) {
    if (!is_canonical(v)) return false;
    c.s.*Field = v;
    return true;
}

const MsrDef kMsrTable[] = {
    {0x10, 0x10, "IA32_TIME_STAMP_COUNTER",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.read_tsc(); return true; },
     [](Cpu& c, uint32_t, uint64_t v) { c.s.tsc_offset += v - c.read_tsc(); return true; }},
    {0x17, 0x17, "IA32_PLATFORM_ID", [](Cpu&, uint32_t, uint64_t& v) { v = 0; return true; }, nullptr},
    {0x1b, 0x1b, "IA32_APIC_BASE",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.on_apic_base_read ? c.on_apic_base_read() : kApicBaseDefault; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         if (v & ~kApicBaseWritable) return false;
         if (c.on_apic_base_write) c.on_apic_base_write(v);
         return true;
     }},
    {0x3a, 0x3a, "IA32_FEATURE_CONTROL",  // locked by "firmware", VMX/SMX off
     [](Cpu&, uint32_t, uint64_t& v) { v = 1; return true; }, nullptr},
    {0x79, 0x79, "IA32_BIOS_UPDT_TRIG", nullptr, [](Cpu&, uint32_t, uint64_t) { return true; }},
    // Software writes 0 and runs CPUID to latch the revision: the latch is
    // always full here, so writes are accepted and ignored.
    {0x8b, 0x8b, "IA32_BIOS_SIGN_ID",
     [](Cpu&, uint32_t, uint64_t& v) { v = kMicrocodeRevision << 32; return true; },
     [](Cpu&, uint32_t, uint64_t) { return true; }},
    {0x10a, 0x10a, "IA32_ARCH_CAPABILITIES", [](Cpu&, uint32_t, uint64_t& v) { v = kArchCapabilities; return true; },
     nullptr},
    {0xce, 0xce, "MSR_PLATFORM_INFO",  // maximum non-turbo ratio 24 (x 100 MHz)
     [](Cpu&, uint32_t, uint64_t& v) { v = 24u << 8; return true; }, nullptr},
    {0xfe, 0xfe, "IA32_MTRRCAP",  // 8 variable ranges, fixed ranges, write-combining
     [](Cpu&, uint32_t, uint64_t& v) { v = 8 | (1u << 8) | (1u << 10); return true; }, nullptr},
    {0x174, 0x174, "IA32_SYSENTER_CS",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.s.sysenter_cs; return true; },
     [](Cpu& c, uint32_t, uint64_t v) { c.s.sysenter_cs = v & 0xffff; return true; }},
    {0x175, 0x175, "IA32_SYSENTER_ESP", read_field<&CpuState::sysenter_esp>, write_canonical<&CpuState::sysenter_esp>},
    {0x176, 0x176, "IA32_SYSENTER_EIP", read_field<&CpuState::sysenter_eip>, write_canonical<&CpuState::sysenter_eip>},
    {0x179, 0x179, "IA32_MCG_CAP",  // no banks, no MCG_CTL
     [](Cpu&, uint32_t, uint64_t& v) { v = 0; return true; }, nullptr},
    {0x17a, 0x17a, "IA32_MCG_STATUS",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.s.msr.mcg_status; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         if (v & ~7ull) return false;
         c.s.msr.mcg_status = v;
         return true;
     }},
    {0x1a0, 0x1a0, "IA32_MISC_ENABLE",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.s.msr.misc_enable; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         // BTS/PEBS-unavailable bits are read-only; keep them.
         c.s.msr.misc_enable = (v & ~((1ull << 11) | (1ull << 12))) | (c.s.msr.misc_enable & ((1ull << 11) | (1ull << 12)));
         return true;
     }},
    {0x1d9, 0x1d9, "IA32_DEBUGCTL",  // no LBR/BTF support: only 0 is writable
     [](Cpu&, uint32_t, uint64_t& v) { v = 0; return true; },
     [](Cpu&, uint32_t, uint64_t v) { return v == 0; }},
    {0x200, 0x20f, "IA32_MTRR_PHYSBASE/PHYSMASK0-7",
     [](Cpu& c, uint32_t i, uint64_t& v) { v = c.s.msr.mtrr_var[i - 0x200]; return true; },
     [](Cpu& c, uint32_t i, uint64_t v) {
         bool is_mask = i & 1;
         uint64_t allowed = kPhysAddrMask | (is_mask ? (1u << 11) : 0xffu);
         if (v & ~allowed) return false;
         if (!is_mask && !valid_mtrr_type(v & 0xff)) return false;
         c.s.msr.mtrr_var[i - 0x200] = v;
         return true;
     }},
    {0x250, 0x26f, "IA32_MTRR_FIX*",
     [](Cpu& c, uint32_t i, uint64_t& v) {
         int slot = fixed_mtrr_slot(i);
         if (slot < 0) return false;
         v = c.s.msr.mtrr_fixed[slot];
         return true;
     },
     [](Cpu& c, uint32_t i, uint64_t v) {
         int slot = fixed_mtrr_slot(i);
         if (slot < 0 || !all_bytes(v, valid_mtrr_type)) return false;
         c.s.msr.mtrr_fixed[slot] = v;
         return true;
     }},
    {0x277, 0x277, "IA32_PAT", read_field<&CpuState::pat>,
     [](Cpu& c, uint32_t, uint64_t v) {
         if (!all_bytes(v, valid_pat_type)) return false;
         c.s.pat = v;
         c.tlb_flush_all();
         return true;
     }},
    {0x2ff, 0x2ff, "IA32_MTRR_DEF_TYPE",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.s.msr.mtrr_def_type; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         if ((v & ~0xcffull) || !valid_mtrr_type(v & 0xff)) return false;
         c.s.msr.mtrr_def_type = v;
         return true;
     }},
    {0x6e0, 0x6e0, "IA32_TSC_DEADLINE",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.on_tsc_deadline_read ? c.on_tsc_deadline_read() : 0; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         if (c.on_tsc_deadline_write) c.on_tsc_deadline_write(v);
         return true;
     }},
    {0xc0000080, 0xc0000080, "IA32_EFER",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.s.efer; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         if (v & ~(kEFER_SCE | kEFER_LME | kEFER_LMA | kEFER_NXE)) return false;
         // LME may not change while paging is on; LMA is read-only.
         if (c.paging() && ((v ^ c.s.efer) & kEFER_LME)) return false;
         uint64_t old = c.s.efer;
         c.s.efer = (old & kEFER_LMA) | (v & (kEFER_SCE | kEFER_LME | kEFER_NXE));
         c.update_mode();
         if ((old ^ c.s.efer) & kEFER_NXE) c.tlb_flush_all();
         return true;
     }},
    {0xc0000081, 0xc0000081, "IA32_STAR", read_field<&CpuState::star>,
     [](Cpu& c, uint32_t, uint64_t v) { c.s.star = v; return true; }},
    {0xc0000082, 0xc0000082, "IA32_LSTAR", read_field<&CpuState::lstar>, write_canonical<&CpuState::lstar>},
    {0xc0000083, 0xc0000083, "IA32_CSTAR", read_field<&CpuState::cstar>, write_canonical<&CpuState::cstar>},
    {0xc0000084, 0xc0000084, "IA32_FMASK", read_field<&CpuState::fmask>,
     [](Cpu& c, uint32_t, uint64_t v) { c.s.fmask = v & 0xffffffff; return true; }},
    {0xc0000100, 0xc0000100, "IA32_FS_BASE",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.s.seg[FS].base; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         if (!is_canonical(v)) return false;
         c.s.seg[FS].base = v;
         return true;
     }},
    {0xc0000101, 0xc0000101, "IA32_GS_BASE",
     [](Cpu& c, uint32_t, uint64_t& v) { v = c.s.seg[GS].base; return true; },
     [](Cpu& c, uint32_t, uint64_t v) {
         if (!is_canonical(v)) return false;
         c.s.seg[GS].base = v;
         return true;
     }},
    {0xc0000102, 0xc0000102, "IA32_KERNEL_GS_BASE", read_field<&CpuState::kernel_gs_base>,
     write_canonical<&CpuState::kernel_gs_base>},
    {0xc0000103, 0xc0000103, "IA32_TSC_AUX", read_field<&CpuState::tsc_aux>,
     [](Cpu& c, uint32_t, uint64_t v) {
         if (v >> 32) return false;
         c.s.tsc_aux = v;
         return true;
     }},
};

const MsrDef* find_msr(uint32_t index) {
    for (const MsrDef& m : kMsrTable)
        if (index >= m.first && index <= m.last) return &m;
    return nullptr;
}

void require_cpl0(Cpu& cpu) {
    if (cpu.v86_mode() || (cpu.protected_mode() && cpu.s.cpl != 0)) cpu.raise(kVecGP, 0);
}

void op_rdmsr(Cpu& cpu, const DecodedInsn&) {
    require_cpl0(cpu);
    uint64_t v;
    if (!cpu.rdmsr(static_cast<uint32_t>(cpu.s.gpr[RCX]), v)) cpu.raise(kVecGP, 0);
    cpu.s.gpr[RAX] = v & 0xffffffff;
    cpu.s.gpr[RDX] = v >> 32;
}

void op_wrmsr(Cpu& cpu, const DecodedInsn&) {
    require_cpl0(cpu);
    uint64_t v = (cpu.s.gpr[RDX] << 32) | (cpu.s.gpr[RAX] & 0xffffffff);
    if (!cpu.wrmsr(static_cast<uint32_t>(cpu.s.gpr[RCX]), v)) cpu.raise(kVecGP, 0);
}

}  // namespace

bool Cpu::rdmsr(uint32_t index, uint64_t& value) {
    const MsrDef* m = find_msr(index);
    return m && m->read && m->read(*this, index, value);
}

bool Cpu::wrmsr(uint32_t index, uint64_t value) {
    const MsrDef* m = find_msr(index);
    return m && m->write && m->write(*this, index, value);
}

uint64_t Cpu::read_tsc() {
    return (tsc_source ? tsc_source() : icount) + s.tsc_offset;
}

void register_msr_ops(HandlerTable& t) {
    t.set(Op::RDMSR, op_rdmsr);
    t.set(Op::WRMSR, op_wrmsr);
}

}  // namespace petrel
