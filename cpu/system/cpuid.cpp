// CPUID: the processor Petrel presents. The leaves below are the one place
// that says which features exist, and every bit set here has an
// implementation (interpreter handlers, paging checks, MSRs). A feature is
// added here only once it works.
//
// Identity: GenuineIntel, family 6 model 0x3D stepping 4 (a Broadwell-class
// core, chosen because Linux applies no errata for it that we would have to
// emulate, and models >= 15 keep PAT enabled), brand "Petrel Virtual CPU".
// MAXPHYADDR 40 (paging_consts.h), 48-bit linear addresses.
#include <array>
#include <cstring>

#include "cpu/system/paging_consts.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

constexpr uint32_t bit(unsigned n) { return 1u << n; }

// ---- leaf 1: EDX
constexpr uint32_t FPU = bit(0), VME = bit(1), DE = bit(2), PSE = bit(3), TSC = bit(4), MSR = bit(5),
                   PAE = bit(6), MCE = bit(7), CX8 = bit(8), APIC = bit(9), SEP = bit(11), MTRR = bit(12),
                   PGE = bit(13), MCA = bit(14), CMOV = bit(15), PAT = bit(16), PSE36 = bit(17),
                   CLFSH = bit(19), MMX = bit(23), FXSR = bit(24), SSE = bit(25), SSE2 = bit(26);
// ---- leaf 1: ECX
constexpr uint32_t SSE3 = bit(0), PCLMULQDQ = bit(1), SSSE3 = bit(9), CX16 = bit(13), PCID = bit(17),
                   SSE41 = bit(19), SSE42 = bit(20), MOVBE = bit(22), POPCNT = bit(23), TSC_DEADLINE = bit(24),
                   AES = bit(25), XSAVE = bit(26), OSXSAVE = bit(27), RDRAND = bit(30);
// ---- leaf 7.0: EBX, ECX
constexpr uint32_t FSGSBASE = bit(0), BMI1 = bit(3), SMEP = bit(7), BMI2 = bit(8), INVPCID = bit(10),
                   RDSEED = bit(18), ADX = bit(19), SMAP = bit(20);
constexpr uint32_t UMIP = bit(2), RDPID = bit(22);
constexpr uint32_t ARCH_CAPABILITIES = bit(29);  // EDX: MSR 0x10A (msr.cpp) says which attacks do not apply
// ---- leaf 0x80000001: ECX, EDX
constexpr uint32_t LAHF_LM = bit(0), ABM = bit(5);
constexpr uint32_t SYSCALL = bit(11), NX = bit(20), PDPE1GB = bit(26), RDTSCP = bit(27), LM = bit(29);
// ---- leaf 6: EAX; leaf 0x80000007: EDX
constexpr uint32_t ARAT = bit(2);
constexpr uint32_t INVARIANT_TSC = bit(8);

// XSAVE: x87 and SSE state only; the standard-format area is the 512-byte
// legacy region plus the 64-byte header.
constexpr uint32_t kXcr0Supported = 3;
constexpr uint32_t kXsaveAreaSize = 512 + 64;

constexpr uint32_t kSignature = 0x000306d4;  // family 6, model 0x3D, stepping 4
constexpr uint32_t kMaxBasic = 0xd, kMaxExtended = 0x80000008;

struct Leaf {
    uint32_t leaf;
    int32_t subleaf;  // -1: ECX is ignored
    uint32_t eax, ebx, ecx, edx;
};

// Registers as ASCII: "Genu" "ineI" "ntel" in EBX, EDX, ECX.
constexpr uint32_t ascii4(const char* s) {
    return static_cast<uint32_t>(s[0]) | static_cast<uint32_t>(s[1]) << 8 | static_cast<uint32_t>(s[2]) << 16 |
           static_cast<uint32_t>(s[3]) << 24;
}
// "Petrel Virtual CPU", NUL-padded to 48 bytes over leaves 0x80000002-4.
constexpr char kBrand[49] = "Petrel Virtual CPU";
constexpr uint32_t brand(unsigned i) { return ascii4(kBrand + 4 * i); }

// Deterministic cache parameters (leaf 4): type | level << 5 | self-initializing.
constexpr uint32_t cache_eax(unsigned type, unsigned level) { return type | level << 5 | bit(8); }
constexpr uint32_t cache_ebx(unsigned ways) { return (ways - 1) << 22 | 63; }  // 64-byte lines

constexpr Leaf kLeaves[] = {
    {0x0, -1, kMaxBasic, ascii4("Genu"), ascii4("ntel"), ascii4("ineI")},
    // EBX: APIC ID (filled in), 1 logical processor, CLFLUSH line 8 x 8 bytes.
    {0x1, -1, kSignature, 1u << 16 | 8u << 8,
     SSE3 | PCLMULQDQ | SSSE3 | CX16 | PCID | SSE41 | SSE42 | MOVBE | POPCNT | TSC_DEADLINE | AES | XSAVE | RDRAND,
     FPU | VME | DE | PSE | TSC | MSR | PAE | MCE | CX8 | APIC | SEP | MTRR | PGE | MCA | CMOV | PAT | PSE36 |
         CLFSH | MMX | FXSR | SSE | SSE2},
    {0x2, -1, 0xff01, 0, 0, 0},  // descriptor 0xFF: "use leaf 4"
    {0x4, 0, cache_eax(1, 1), cache_ebx(8), 63, 0},      // L1d 32 KiB 8-way
    {0x4, 1, cache_eax(2, 1), cache_ebx(8), 63, 0},      // L1i 32 KiB 8-way
    {0x4, 2, cache_eax(3, 2), cache_ebx(8), 511, 0},     // L2 256 KiB 8-way
    {0x4, 3, cache_eax(3, 3), cache_ebx(16), 8191, 0},   // L3 8 MiB 16-way
    {0x6, -1, ARAT, 0, 0, 0},
    {0x7, 0, 0, FSGSBASE | BMI1 | SMEP | BMI2 | INVPCID | RDSEED | ADX | SMAP, UMIP | RDPID, ARCH_CAPABILITIES},
    {0xd, 0, kXcr0Supported, kXsaveAreaSize, kXsaveAreaSize, 0},  // EBX: size for XCR0 (filled in)
    {0xd, 1, 1, 0, 0, 0},                                          // XSAVEOPT
    {0x80000000, -1, kMaxExtended, 0, 0, 0},
    {0x80000001, -1, 0, 0, LAHF_LM | ABM, SYSCALL | NX | PDPE1GB | RDTSCP | LM},
    {0x80000002, -1, brand(0), brand(1), brand(2), brand(3)},
    {0x80000003, -1, brand(4), brand(5), brand(6), brand(7)},
    {0x80000004, -1, brand(8), brand(9), brand(10), brand(11)},
    {0x80000006, -1, 0, 0, 256u << 16 | 6u << 12 | 64, 0},  // L2: 256 KiB, 8-way, 64-byte lines
    {0x80000007, -1, 0, 0, 0, INVARIANT_TSC},
    {0x80000008, -1, kPhysAddrBits | kLinearAddrBits << 8, 0, 0, 0},
};

const Leaf* find_leaf(uint32_t leaf, uint32_t subleaf) {
    for (const Leaf& l : kLeaves)
        if (l.leaf == leaf && (l.subleaf < 0 || static_cast<uint32_t>(l.subleaf) == subleaf)) return &l;
    return nullptr;
}

}  // namespace

void Cpu::cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
    // Intel answers a leaf above the maximum with the highest basic leaf.
    bool basic = leaf <= kMaxBasic;
    bool extended = leaf >= 0x80000000 && leaf <= kMaxExtended;
    if (!basic && !extended) leaf = kMaxBasic, subleaf = 0;
    const Leaf* l = find_leaf(leaf, subleaf);
    if (!l) {
        out[0] = out[1] = out[2] = out[3] = 0;  // reserved leaf or subleaf
        return;
    }
    out[0] = l->eax;
    out[1] = l->ebx;
    out[2] = l->ecx;
    out[3] = l->edx;
    switch (leaf) {
        case 0:
            // IA32_MISC_ENABLE[22] "limit CPUID maxval" (old OSes): report 2.
            if (s.msr.misc_enable & (1ull << 22)) out[0] = 2;
            break;
        case 1:
            out[1] |= (apic_id & 0xff) << 24;
            if (s.cr4 & kCR4_OSXSAVE) out[2] |= OSXSAVE;
            break;
        default:
            break;
    }
}

namespace {
void op_cpuid(Cpu& cpu, const DecodedInsn&) {
    uint32_t r[4];
    cpu.cpuid(static_cast<uint32_t>(cpu.s.gpr[RAX]), static_cast<uint32_t>(cpu.s.gpr[RCX]), r);
    cpu.s.gpr[RAX] = r[0];
    cpu.s.gpr[RBX] = r[1];
    cpu.s.gpr[RCX] = r[2];
    cpu.s.gpr[RDX] = r[3];
}
}  // namespace

void register_cpuid(HandlerTable& t) { t.set(Op::CPUID, op_cpuid); }

}  // namespace petrel
