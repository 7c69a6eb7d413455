// CpuState: the architectural state of one x86-64 CPU. Plain data with a
// frozen layout (the translator reaches fields by offset): add fields at the
// end of a group, keep the static_asserts true.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cpu/decoded_insn.h"

namespace petrel {

enum GprIndex : uint8_t { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

// RFLAGS bits.
enum : uint64_t {
    kCF = 1u << 0, kPF = 1u << 2, kAF = 1u << 4, kZF = 1u << 6, kSF = 1u << 7,
    kTF = 1u << 8, kIF = 1u << 9, kDF = 1u << 10, kOF = 1u << 11,
    kIOPL = 3u << 12, kNT = 1u << 14, kRF = 1u << 16, kVM = 1u << 17, kAC = 1u << 18,
    kVIF = 1u << 19, kVIP = 1u << 20, kID = 1u << 21,
    kArithFlags = kCF | kPF | kAF | kZF | kSF | kOF,
};

// Control-register and EFER bits used across the CPU.
enum : uint64_t {
    kCR0_PE = 1u << 0, kCR0_MP = 1u << 1, kCR0_EM = 1u << 2, kCR0_TS = 1u << 3, kCR0_ET = 1u << 4,
    kCR0_NE = 1u << 5, kCR0_WP = 1u << 16, kCR0_AM = 1u << 18, kCR0_NW = 1u << 29, kCR0_CD = 1u << 30,
    kCR0_PG = 1u << 31,
    kCR4_VME = 1u << 0, kCR4_PVI = 1u << 1, kCR4_TSD = 1u << 2, kCR4_DE = 1u << 3, kCR4_PSE = 1u << 4,
    kCR4_PAE = 1u << 5, kCR4_MCE = 1u << 6, kCR4_PGE = 1u << 7, kCR4_PCE = 1u << 8, kCR4_OSFXSR = 1u << 9,
    kCR4_OSXMMEXCPT = 1u << 10, kCR4_UMIP = 1u << 11, kCR4_FSGSBASE = 1u << 16, kCR4_PCIDE = 1u << 17,
    kCR4_OSXSAVE = 1u << 18, kCR4_SMEP = 1u << 20, kCR4_SMAP = 1u << 21,
    kEFER_SCE = 1u << 0, kEFER_LME = 1u << 8, kEFER_LMA = 1u << 10, kEFER_NXE = 1u << 11,
};

// Exception vectors.
enum Vector : uint8_t {
    kVecDE = 0, kVecDB = 1, kVecNMI = 2, kVecBP = 3, kVecOF = 4, kVecBR = 5, kVecUD = 6, kVecNM = 7,
    kVecDF = 8, kVecTS = 10, kVecNP = 11, kVecSS = 12, kVecGP = 13, kVecPF = 14, kVecMF = 16,
    kVecAC = 17, kVecMC = 18, kVecXM = 19,
};

// A segment register with its hidden descriptor cache.
// A 64-bit linear address is canonical when bits 63:47 are all equal.
inline bool is_canonical(uint64_t a) { return static_cast<uint64_t>(static_cast<int64_t>(a << 16) >> 16) == a; }

struct Segment {
    uint16_t selector = 0;
    uint16_t attr = 0;    // descriptor bits 40-47 in 0-7 (type, S, DPL, P) and 52-55 in 8-11 (AVL, L, D/B, G)
    uint32_t limit = 0;   // expanded byte limit (granularity applied)
    uint64_t base = 0;

    unsigned type() const { return attr & 0xf; }
    bool s() const { return attr & 0x10; }  // code/data (not system)
    unsigned dpl() const { return (attr >> 5) & 3; }
    bool present() const { return attr & 0x80; }
    bool l() const { return attr & 0x200; }
    bool db() const { return attr & 0x400; }
    bool g() const { return attr & 0x800; }
    bool is_code() const { return s() && (attr & 0x8); }
};

struct DescriptorTable {
    uint64_t base = 0;
    uint16_t limit = 0xffff;
};

struct alignas(16) XmmReg {
    uint64_t q[2];
};

// An x87 register in the 80-bit extended format.
struct Float80 {
    uint64_t significand = 0;  // explicit integer bit at 63
    uint16_t sign_exp = 0;     // sign at 15, biased exponent in 0-14
};

struct X87State {
    Float80 st[8];       // physical registers R0-R7; ST(i) is st[(top + i) & 7]
    uint16_t fcw = 0x037f;
    uint16_t fsw = 0;    // TOP in bits 11-13
    uint16_t ftw = 0xffff;  // full tag word, 2 bits per physical register (11 = empty)
    uint16_t fop = 0;
    uint64_t fip = 0, fdp = 0;
    uint16_t fcs = 0, fds = 0;
};

// Lazy arithmetic flags: the last flag-setting operation and its operands.
// The meaning of op is the flags module's (cpu/interp/flags.h); op 0 means
// the arithmetic bits of CpuState::rflags are current.
struct LazyFlags {
    uint64_t result = 0;
    uint64_t src1 = 0;
    uint64_t src2 = 0;
    uint8_t op = 0;
    uint8_t size = 0;  // operand size in bytes
};

// MSRs that only hold values (MTRRs, machine-check and miscellaneous
// control): cpu/system/msr.cpp gives them meaning.
struct MsrState {
    uint64_t mtrr_def_type = 0;
    uint64_t mtrr_fixed[11] = {};      // 0x250, 0x258, 0x259, 0x268-0x26f
    uint64_t mtrr_var[16] = {};        // PHYSBASE0, PHYSMASK0, ... PHYSMASK7 (0x200-0x20f)
    uint64_t misc_enable = 1 | (1u << 11) | (1u << 12);  // fast strings; BTS and PEBS unavailable
    uint64_t mcg_status = 0;
    uint64_t smbase = 0x30000;
    uint64_t rng_state = 0x9e3779b97f4a7c15ull;  // RDRAND/RDSEED generator (seedable)
};

struct CpuState {
    uint64_t gpr[16] = {};
    uint64_t rip = 0;
    uint64_t rflags = 2;  // bit 1 always set; arithmetic bits valid only when lazy.op == 0
    LazyFlags lazy;

    Segment seg[6];
    Segment ldtr, tr;
    DescriptorTable gdtr, idtr;

    uint64_t cr0 = kCR0_ET | kCR0_CD | kCR0_NW;
    uint64_t cr2 = 0, cr3 = 0, cr4 = 0;
    uint64_t efer = 0;
    uint64_t xcr0 = 1;
    uint64_t dr[8] = {0, 0, 0, 0, 0xffff0ff0, 0x400, 0xffff0ff0, 0x400};  // DR4/5 alias DR6/7

    XmmReg xmm[16] = {};
    uint32_t mxcsr = 0x1f80;
    X87State x87;

    // MSR-held state (the rest of the MSRs live in cpu/msr.cpp's own table).
    uint64_t kernel_gs_base = 0;
    uint64_t star = 0, lstar = 0, cstar = 0, fmask = 0;
    uint64_t sysenter_cs = 0, sysenter_esp = 0, sysenter_eip = 0;
    uint64_t tsc_offset = 0;  // guest TSC = source + tsc_offset
    uint64_t tsc_aux = 0;
    uint64_t pat = 0x0007040600070406ull;

    // Execution status.
    uint8_t cpl = 0;
    bool halted = false;
    bool interrupt_shadow = false;  // after STI / MOV SS / POP SS: no interrupts before the next instruction
    bool nmi_blocked = false;       // between NMI delivery and the next IRET

    // ---- system state added by cpu/system (appended: the layout above is frozen)
    uint64_t pdpte[4] = {};         // PAE page-directory pointers, loaded at MOV CR3 / paging enable
    uint64_t pending_db = 0;        // DR6 bits of a trap-class #DB to raise after this instruction
    bool tf_at_start = false;       // TF was set when the current instruction began (single-step)
    bool wait_for_sipi = false;     // after INIT on an AP: only a startup IPI wakes the CPU
    bool ss_debug_shadow = false;   // this instruction loaded SS: its #DB traps wait one instruction
    MsrState msr;
};

static_assert(offsetof(CpuState, gpr) == 0);
static_assert(offsetof(CpuState, rip) == 128);
static_assert(offsetof(CpuState, rflags) == 136);

}  // namespace petrel
