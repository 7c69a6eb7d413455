// The two-byte opcode map 0F xx (SDM vol. 2 table A-3) and its groups
// (Grp6-9, 15, 16): system and general-purpose instructions. The MMX/SSE
// rows (and Grp12-14) are in table_0f_sse.cpp; a lookup that finds no row
// here continues there.
#include "cpu/decoder/context.h"
#include "cpu/decoder/operand_codes.h"

namespace petrel::decoder {

namespace {

// MOV to/from CR: CR0, CR2, CR3, CR4 and CR8 exist; the others are #UD.
DecodeStatus fix_mov_cr(Ctx& c, DecodedInsn&) {
    switch (c.reg) {
        case 0: case 2: case 3: case 4: case 8: return DecodeStatus::Ok;
        default: return DecodeStatus::Invalid;
    }
}

// MOV to/from DR: DR0-DR7 only (REX.R is #UD).
DecodeStatus fix_mov_dr(Ctx& c, DecodedInsn&) {
    return c.reg >= 8 ? DecodeStatus::Invalid : DecodeStatus::Ok;
}

// Grp6 (0F 00)
constexpr Row kGrp6[] = {
    {.key = 0, .op = Op::SLDT, .o = {Evw}}, {.key = 1, .op = Op::STR, .o = {Evw}},
    {.key = 2, .op = Op::LLDT, .o = {Ew}}, {.key = 3, .op = Op::LTR, .o = {Ew}},
    {.key = 4, .op = Op::VERR, .o = {Ew}}, {.key = 5, .op = Op::VERW, .o = {Ew}},
};

// Grp7 (0F 01): memory forms by reg; register forms by reg, then rm.
constexpr Row kGrp7Mem[] = {
    {.key = 0, .op = Op::SGDT, .o = {Ms}, .f = kF64}, {.key = 1, .op = Op::SIDT, .o = {Ms}, .f = kF64},
    {.key = 2, .op = Op::LGDT, .o = {Ms}, .f = kF64}, {.key = 3, .op = Op::LIDT, .o = {Ms}, .f = kF64},
    {.key = 4, .op = Op::SMSW, .o = {Mw}}, {.key = 6, .op = Op::LMSW, .o = {Mw}},
    {.key = 7, .op = Op::INVLPG, .o = {Mb}},
};
constexpr Row kGrp7Reg1[] = {  // C8-CF
    {.key = 0, .op = Op::MONITOR}, {.key = 1, .op = Op::MWAIT},
    {.key = 2, .op = Op::CLAC}, {.key = 3, .op = Op::STAC},
};
constexpr Row kGrp7Reg2[] = {  // D0-D7
    {.key = 0, .op = Op::XGETBV}, {.key = 1, .op = Op::XSETBV},
};
constexpr Row kGrp7Reg7[] = {  // F8-FF
    {.key = 0, .op = Op::SWAPGS, .f = kO64}, {.key = 1, .op = Op::RDTSCP},
};
// The register forms /1 and /2 of 0F 01 take no 66/F2/F3 (those encode
// other, newer instructions); SWAPGS and RDTSCP ignore them.
constexpr Row kGrp7Reg1Pfx[] = {{.key = 0, .sel = sel(By::Rm, kGrp7Reg1)}};
constexpr Row kGrp7Reg2Pfx[] = {{.key = 0, .sel = sel(By::Rm, kGrp7Reg2)}};
constexpr Row kGrp7Reg[] = {
    {.key = 1, .sel = sel(By::Pfx, kGrp7Reg1Pfx)},
    {.key = 2, .sel = sel(By::Pfx, kGrp7Reg2Pfx)},
    {.key = 4, .op = Op::SMSW, .o = {Rvw}},
    {.key = 6, .op = Op::LMSW, .o = {Rw}},
    {.key = 7, .sel = sel(By::Rm, kGrp7Reg7)},
};
constexpr Row kGrp7[] = {
    {.key = 0, .sel = sel(By::Reg, kGrp7Mem)},
    {.key = 3, .sel = sel(By::Reg, kGrp7Reg)},
};

// Grp8 (0F BA): bit tests with an immediate.
constexpr Row kGrp8[] = {
    {.key = 4, .op = Op::BT, .o = {Ev, Ib}}, {.key = 5, .op = Op::BTS, .o = {Ev, Ib}, .f = kLock},
    {.key = 6, .op = Op::BTR, .o = {Ev, Ib}, .f = kLock}, {.key = 7, .op = Op::BTC, .o = {Ev, Ib}, .f = kLock},
};

// Grp9 (0F C7). XRSTORS/XSAVEC/XSAVES (not advertised) and the VMX forms are #UD.
constexpr Row kCmpxchg8b16b[] = {
    {.key = 0, .op = Op::CMPXCHG8B, .o = {Mq}, .f = kLock},
    {.key = 1, .op = Op::CMPXCHG16B, .o = {Mdq}, .f = kLock},
};
constexpr Row kGrp9Mem[] = {{.key = 1, .sel = sel(By::W, kCmpxchg8b16b)}};
// 66 is the operand size of RDRAND/RDSEED; F3 selects RDPID (or, for /6,
// SENDUIPI: not here); F2 is #UD.
constexpr Row kRdrand[] = {
    {.key = 0, .op = Op::RDRAND, .o = {Rv}},
    {.key = 1, .op = Op::RDRAND, .o = {Rv}, .f = kOs66},
};
constexpr Row kRdseedRdpid[] = {
    {.key = 0, .op = Op::RDSEED, .o = {Rv}},
    {.key = 1, .op = Op::RDSEED, .o = {Rv}, .f = kOs66},
    {.key = 2, .op = Op::RDPID, .o = {Rn}},
};
constexpr Row kGrp9Reg[] = {
    {.key = 6, .sel = sel(By::Pfx, kRdrand)},
    {.key = 7, .sel = sel(By::Pfx, kRdseedRdpid)},
};
constexpr Row kGrp9[] = {
    {.key = 0, .sel = sel(By::Reg, kGrp9Mem)},
    {.key = 3, .sel = sel(By::Reg, kGrp9Reg)},
};

// Grp15 (0F AE). Every form has a mandatory "no prefix": 66/F2/F3 select
// other instructions (CLWB, CLFLUSHOPT, PTWRITE, the CET and WAITPKG
// forms, RD/WRFSBASE), so a prefix on the others is #UD.
template <Op kOp, Opd kM>
inline constexpr Row kNoPfx[] = {{.key = 0, .op = kOp, .o = {kM}}};
constexpr Row kClflush[] = {
    {.key = 0, .op = Op::CLFLUSH, .o = {Mcl}},
    {.key = 1, .op = Op::CLFLUSHOPT, .o = {Mcl}},
};
constexpr Row kGrp15Mem[] = {
    {.key = 0, .sel = sel(By::Pfx, kNoPfx<Op::FXSAVE, Mfx>)},
    {.key = 1, .sel = sel(By::Pfx, kNoPfx<Op::FXRSTOR, Mfx>)},
    {.key = 2, .sel = sel(By::Pfx, kNoPfx<Op::LDMXCSR, Md>)},
    {.key = 3, .sel = sel(By::Pfx, kNoPfx<Op::STMXCSR, Md>)},
    {.key = 4, .sel = sel(By::Pfx, kNoPfx<Op::XSAVE, Mxs>)},
    {.key = 5, .sel = sel(By::Pfx, kNoPfx<Op::XRSTOR, Mxs>)},
    {.key = 6, .sel = sel(By::Pfx, kNoPfx<Op::XSAVEOPT, Mxs>)},
    {.key = 7, .sel = sel(By::Pfx, kClflush)},
};
constexpr Row kFences[] = {
    {.key = 5, .op = Op::LFENCE}, {.key = 6, .op = Op::MFENCE}, {.key = 7, .op = Op::SFENCE},
};
constexpr Row kFsgsbase[] = {
    {.key = 0, .op = Op::RDFSBASE, .o = {Ry}, .f = kO64}, {.key = 1, .op = Op::RDGSBASE, .o = {Ry}, .f = kO64},
    {.key = 2, .op = Op::WRFSBASE, .o = {Ry}, .f = kO64}, {.key = 3, .op = Op::WRGSBASE, .o = {Ry}, .f = kO64},
};
constexpr Row kGrp15RegPfx[] = {
    {.key = 0, .sel = sel(By::Reg, kFences)},
    {.key = 2, .sel = sel(By::Reg, kFsgsbase)},
};
constexpr Row kGrp15[] = {
    {.key = 0, .sel = sel(By::Reg, kGrp15Mem)},
    {.key = 3, .sel = sel(By::Pfx, kGrp15RegPfx)},
};

// Grp16 (0F 18): prefetch hints; /4-/7 and the register forms are reserved NOPs.
constexpr Row kGrp16Mem[] = {
    {.key = 0, .n = 4, .op = Op::PREFETCH, .o = {Mb}},
    {.key = 4, .n = 4, .op = Op::PREFETCH, .o = {Ev}},
};
constexpr Row kGrp16[] = {
    {.key = 0, .sel = sel(By::Reg, kGrp16Mem)},
    {.key = 3, .op = Op::PREFETCH, .o = {Ev}},
};
// 0F 0D: PREFETCHW /1 (AMD's PREFETCH /0 and the rest are hints too);
// the register forms are NOPs.
constexpr Row kGrpP[] = {
    {.key = 0, .op = Op::PREFETCH, .o = {Mb}},
    {.key = 3, .op = Op::PREFETCH, .o = {Ev, Gv}},
};

// 0F 1A/1B (MPX's home): Zydis shows the memory operand, or ModRM.reg for
// the register form.
constexpr Row kHint1A[] = {
    {.key = 0, .op = Op::PREFETCH, .o = {Mv}},
    {.key = 3, .op = Op::PREFETCH, .o = {Gv}, .f = kModrm},
};

// 0F 1E (CET's home): in the register form Zydis takes 66/F2/F3 as
// mandatory-prefix slots: 66 alone does not change the (irrelevant) width,
// with F2/F3 it does.
constexpr Row kHint1EReg[] = {
    {.key = 0, .n = 2, .op = Op::PREFETCH, .o = {Ev, Gv}},
    {.key = 2, .n = 2, .op = Op::PREFETCH, .o = {Ev, Gv}, .f = kOs66},
};
constexpr Row kHint1E[] = {
    {.key = 0, .op = Op::PREFETCH, .o = {Ev, Gv}},
    {.key = 3, .sel = sel(By::Pfx, kHint1EReg)},
};

// F3 0F B8 POPCNT; 0F B8 alone is JMPE (IA-64): #UD.
constexpr Row kB8[] = {{.key = 2, .op = Op::POPCNT, .o = {Gv, Ev}}};
constexpr Row kBC[] = {{.key = 0, .op = Op::BSF, .o = {Gv, Ev}}, {.key = 2, .op = Op::TZCNT, .o = {Gv, Ev}}};
constexpr Row kBD[] = {{.key = 0, .op = Op::BSR, .o = {Gv, Ev}}, {.key = 2, .op = Op::LZCNT, .o = {Gv, Ev}}};

constexpr Row kGpRows[] = {
    {.key = 0x00, .sel = sel(By::Reg, kGrp6)},
    {.key = 0x01, .sel = sel(By::Mod, kGrp7)},
    {.key = 0x02, .op = Op::LAR, .o = {Gv, Evw}},
    {.key = 0x03, .op = Op::LSL, .o = {Gv, Ezw}},
    {.key = 0x05, .op = Op::SYSCALL},
    {.key = 0x06, .op = Op::CLTS},
    {.key = 0x07, .op = Op::SYSRET},
    {.key = 0x08, .op = Op::INVD},
    {.key = 0x09, .op = Op::WBINVD},
    {.key = 0x0b, .op = Op::UD2},
    {.key = 0x0d, .sel = sel(By::Mod, kGrpP)},
    {.key = 0x18, .sel = sel(By::Mod, kGrp16)},
    // The reserved-NOP hint space (MPX, CET, CLDEMOTE live here on CPUs
    // that have them). Zydis shows ModRM.reg as a second operand except
    // for 1A/1B; so do we, the handler ignores them.
    {.key = 0x19, .op = Op::PREFETCH, .o = {Ev, Gv}},
    {.key = 0x1a, .n = 2, .sel = sel(By::Mod, kHint1A)},
    {.key = 0x1c, .n = 2, .op = Op::PREFETCH, .o = {Ev, Gv}},
    {.key = 0x1e, .sel = sel(By::Mod, kHint1E)},
    {.key = 0x1f, .op = Op::NOP, .o = {Ev, Gv}},
    {.key = 0x20, .op = Op::MOV_CR, .o = {Rn, Cd}, .f = kRegForm | kNat, .fix = fix_mov_cr},
    {.key = 0x21, .op = Op::MOV_DR, .o = {Rn, Dd}, .f = kRegForm | kNat, .fix = fix_mov_dr},
    {.key = 0x22, .op = Op::MOV_CR, .o = {Cd, Rn}, .f = kRegForm | kNat, .fix = fix_mov_cr},
    {.key = 0x23, .op = Op::MOV_DR, .o = {Dd, Rn}, .f = kRegForm | kNat, .fix = fix_mov_dr},
    {.key = 0x30, .op = Op::WRMSR}, {.key = 0x31, .op = Op::RDTSC},
    {.key = 0x32, .op = Op::RDMSR}, {.key = 0x33, .op = Op::RDPMC},
    {.key = 0x34, .op = Op::SYSENTER}, {.key = 0x35, .op = Op::SYSEXIT},
    {.key = 0x40, .n = 16, .op = Op::CMOVCC, .o = {Gv, Ev}, .f = kCc},
    {.key = 0x80, .n = 16, .op = Op::JCC, .o = {Jz}, .f = kF64 | kCc},
    {.key = 0x90, .n = 16, .op = Op::SETCC, .o = {Eb}, .f = kCc},
    {.key = 0xa0, .op = Op::PUSH, .o = {sFS}, .f = kDef64}, {.key = 0xa1, .op = Op::POP, .o = {sFS}, .f = kDef64},
    {.key = 0xa2, .op = Op::CPUID},
    {.key = 0xa3, .op = Op::BT, .o = {Ev, Gv}},
    {.key = 0xa4, .op = Op::SHLD, .o = {Ev, Gv, Ib}}, {.key = 0xa5, .op = Op::SHLD, .o = {Ev, Gv, CL}},
    {.key = 0xa8, .op = Op::PUSH, .o = {sGS}, .f = kDef64}, {.key = 0xa9, .op = Op::POP, .o = {sGS}, .f = kDef64},
    {.key = 0xaa, .op = Op::RSM},
    {.key = 0xab, .op = Op::BTS, .o = {Ev, Gv}, .f = kLock},
    {.key = 0xac, .op = Op::SHRD, .o = {Ev, Gv, Ib}}, {.key = 0xad, .op = Op::SHRD, .o = {Ev, Gv, CL}},
    {.key = 0xae, .sel = sel(By::Mod, kGrp15)},
    {.key = 0xaf, .op = Op::IMUL, .o = {Gv, Ev}},
    {.key = 0xb0, .op = Op::CMPXCHG, .o = {Eb, Gb}, .f = kLock}, {.key = 0xb1, .op = Op::CMPXCHG, .o = {Ev, Gv}, .f = kLock},
    {.key = 0xb2, .op = Op::LSS, .o = {Gv, Mp}},
    {.key = 0xb3, .op = Op::BTR, .o = {Ev, Gv}, .f = kLock},
    {.key = 0xb4, .op = Op::LFS, .o = {Gv, Mp}}, {.key = 0xb5, .op = Op::LGS, .o = {Gv, Mp}},
    {.key = 0xb6, .op = Op::MOVZX, .o = {Gv, Eb}}, {.key = 0xb7, .op = Op::MOVZX, .o = {Gv, Ew}},
    {.key = 0xb8, .sel = sel(By::PfxGp, kB8)},
    {.key = 0xb9, .op = Op::UD1, .o = {Gd, Ed}},
    {.key = 0xba, .sel = sel(By::Reg, kGrp8)},
    {.key = 0xbb, .op = Op::BTC, .o = {Ev, Gv}, .f = kLock},
    {.key = 0xbc, .sel = sel(By::PfxGp, kBC)},
    {.key = 0xbd, .sel = sel(By::PfxGp, kBD)},
    {.key = 0xbe, .op = Op::MOVSX, .o = {Gv, Eb}}, {.key = 0xbf, .op = Op::MOVSX, .o = {Gv, Ew}},
    {.key = 0xc0, .op = Op::XADD, .o = {Eb, Gb}, .f = kLock}, {.key = 0xc1, .op = Op::XADD, .o = {Ev, Gv}, .f = kLock},
    {.key = 0xc7, .sel = sel(By::Mod, kGrp9)},
    {.key = 0xc8, .n = 8, .op = Op::BSWAP, .o = {Zv}},
    {.key = 0xff, .op = Op::UD0, .o = {Gd, Ed}},
};

constexpr auto kIndex = dense_index(kGpRows);

}  // namespace

const MapTable k0FMap{kGpRows, &kIndex, &k0FSseMap};

}  // namespace petrel::decoder
