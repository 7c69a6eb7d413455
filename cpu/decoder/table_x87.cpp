// The x87 escapes D8-DF (SDM vol. 2 A.5): memory forms keyed by ModRM.reg,
// register forms keyed by the whole ModRM byte (C0-FF). Operands follow the
// SDM's assembly syntax (FADD ST(0), ST(i); FCOM ST(i); FLD ST(i)).
//
// The undocumented aliases (D9 D8+i FSTP, DC D0+i FCOM, DC D8+i FCOMP,
// DD C8+i FXCH, DE D0+i FCOMP, DF C8+i FXCH, DF D0+i / D8+i FSTP) behave as
// their documented twins on every CPU since the 387 and decode to the same
// operations; FENI/FDISI/FSETPM (DB E0, E1, E4) are 8087/287 leftovers that
// a 387 and later executes as FNOP.
#include "cpu/decoder/operand_codes.h"

namespace petrel::decoder {

namespace {

// x86 condition codes of the FCMOVcc forms: B, E, BE, U(P) and their negations.
constexpr uint8_t kCcB = 2, kCcNB = 3, kCcE = 4, kCcNE = 5, kCcBE = 6, kCcNBE = 7, kCcP = 10, kCcNP = 11;

constexpr Row kD8Mem[] = {
    {.key = 0, .op = Op::FADD, .o = {Md}}, {.key = 1, .op = Op::FMUL, .o = {Md}},
    {.key = 2, .op = Op::FCOM, .o = {Md}}, {.key = 3, .op = Op::FCOMP, .o = {Md}},
    {.key = 4, .op = Op::FSUB, .o = {Md}}, {.key = 5, .op = Op::FSUBR, .o = {Md}},
    {.key = 6, .op = Op::FDIV, .o = {Md}}, {.key = 7, .op = Op::FDIVR, .o = {Md}},
};
constexpr Row kD8Reg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FADD, .o = {ST0, STi}}, {.key = 0xc8, .n = 8, .op = Op::FMUL, .o = {ST0, STi}},
    {.key = 0xd0, .n = 8, .op = Op::FCOM, .o = {STi}}, {.key = 0xd8, .n = 8, .op = Op::FCOMP, .o = {STi}},
    {.key = 0xe0, .n = 8, .op = Op::FSUB, .o = {ST0, STi}}, {.key = 0xe8, .n = 8, .op = Op::FSUBR, .o = {ST0, STi}},
    {.key = 0xf0, .n = 8, .op = Op::FDIV, .o = {ST0, STi}}, {.key = 0xf8, .n = 8, .op = Op::FDIVR, .o = {ST0, STi}},
};

constexpr Row kD9Mem[] = {
    {.key = 0, .op = Op::FLD, .o = {Md}}, {.key = 2, .op = Op::FST, .o = {Md}},
    {.key = 3, .op = Op::FSTP, .o = {Md}}, {.key = 4, .op = Op::FLDENV, .o = {Menv}},
    {.key = 5, .op = Op::FLDCW, .o = {Mw}}, {.key = 6, .op = Op::FNSTENV, .o = {Menv}},
    {.key = 7, .op = Op::FNSTCW, .o = {Mw}},
};
constexpr Row kD9Reg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FLD, .o = {STi}}, {.key = 0xc8, .n = 8, .op = Op::FXCH, .o = {STi}},
    {.key = 0xd0, .op = Op::FNOP}, {.key = 0xd8, .n = 8, .op = Op::FSTP, .o = {STi}},
    {.key = 0xe0, .op = Op::FCHS}, {.key = 0xe1, .op = Op::FABS},
    {.key = 0xe4, .op = Op::FTST}, {.key = 0xe5, .op = Op::FXAM},
    {.key = 0xe8, .op = Op::FLD1}, {.key = 0xe9, .op = Op::FLDL2T}, {.key = 0xea, .op = Op::FLDL2E},
    {.key = 0xeb, .op = Op::FLDPI}, {.key = 0xec, .op = Op::FLDLG2}, {.key = 0xed, .op = Op::FLDLN2},
    {.key = 0xee, .op = Op::FLDZ},
    {.key = 0xf0, .op = Op::F2XM1}, {.key = 0xf1, .op = Op::FYL2X}, {.key = 0xf2, .op = Op::FPTAN},
    {.key = 0xf3, .op = Op::FPATAN}, {.key = 0xf4, .op = Op::FXTRACT}, {.key = 0xf5, .op = Op::FPREM1},
    {.key = 0xf6, .op = Op::FDECSTP}, {.key = 0xf7, .op = Op::FINCSTP},
    {.key = 0xf8, .op = Op::FPREM}, {.key = 0xf9, .op = Op::FYL2XP1}, {.key = 0xfa, .op = Op::FSQRT},
    {.key = 0xfb, .op = Op::FSINCOS}, {.key = 0xfc, .op = Op::FRNDINT}, {.key = 0xfd, .op = Op::FSCALE},
    {.key = 0xfe, .op = Op::FSIN}, {.key = 0xff, .op = Op::FCOS},
};

constexpr Row kDAMem[] = {
    {.key = 0, .op = Op::FIADD, .o = {Md}}, {.key = 1, .op = Op::FIMUL, .o = {Md}},
    {.key = 2, .op = Op::FICOM, .o = {Md}}, {.key = 3, .op = Op::FICOMP, .o = {Md}},
    {.key = 4, .op = Op::FISUB, .o = {Md}}, {.key = 5, .op = Op::FISUBR, .o = {Md}},
    {.key = 6, .op = Op::FIDIV, .o = {Md}}, {.key = 7, .op = Op::FIDIVR, .o = {Md}},
};
constexpr Row kDAReg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcB},
    {.key = 0xc8, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcE},
    {.key = 0xd0, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcBE},
    {.key = 0xd8, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcP},
    {.key = 0xe9, .op = Op::FUCOMPP},
};

constexpr Row kDBMem[] = {
    {.key = 0, .op = Op::FILD, .o = {Md}}, {.key = 1, .op = Op::FISTTP, .o = {Md}},
    {.key = 2, .op = Op::FIST, .o = {Md}}, {.key = 3, .op = Op::FISTP, .o = {Md}},
    {.key = 5, .op = Op::FLD, .o = {Mt}}, {.key = 7, .op = Op::FSTP, .o = {Mt}},
};
constexpr Row kDBReg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcNB},
    {.key = 0xc8, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcNE},
    {.key = 0xd0, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcNBE},
    {.key = 0xd8, .n = 8, .op = Op::FCMOVCC, .o = {ST0, STi}, .cond = kCcNP},
    {.key = 0xe0, .n = 2, .op = Op::FNOP},  // FENI, FDISI
    {.key = 0xe2, .op = Op::FNCLEX}, {.key = 0xe3, .op = Op::FNINIT},
    {.key = 0xe4, .op = Op::FNOP},  // FSETPM
    {.key = 0xe8, .n = 8, .op = Op::FUCOMI, .o = {ST0, STi}},
    {.key = 0xf0, .n = 8, .op = Op::FCOMI, .o = {ST0, STi}},
};

constexpr Row kDCMem[] = {
    {.key = 0, .op = Op::FADD, .o = {Mq}}, {.key = 1, .op = Op::FMUL, .o = {Mq}},
    {.key = 2, .op = Op::FCOM, .o = {Mq}}, {.key = 3, .op = Op::FCOMP, .o = {Mq}},
    {.key = 4, .op = Op::FSUB, .o = {Mq}}, {.key = 5, .op = Op::FSUBR, .o = {Mq}},
    {.key = 6, .op = Op::FDIV, .o = {Mq}}, {.key = 7, .op = Op::FDIVR, .o = {Mq}},
};
// Note the SDM's swap: DC E0+i is FSUBR ST(i), ST(0) and DC E8+i FSUB.
constexpr Row kDCReg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FADD, .o = {STi, ST0}}, {.key = 0xc8, .n = 8, .op = Op::FMUL, .o = {STi, ST0}},
    {.key = 0xd0, .n = 8, .op = Op::FCOM, .o = {STi}}, {.key = 0xd8, .n = 8, .op = Op::FCOMP, .o = {STi}},
    {.key = 0xe0, .n = 8, .op = Op::FSUBR, .o = {STi, ST0}}, {.key = 0xe8, .n = 8, .op = Op::FSUB, .o = {STi, ST0}},
    {.key = 0xf0, .n = 8, .op = Op::FDIVR, .o = {STi, ST0}}, {.key = 0xf8, .n = 8, .op = Op::FDIV, .o = {STi, ST0}},
};

constexpr Row kDDMem[] = {
    {.key = 0, .op = Op::FLD, .o = {Mq}}, {.key = 1, .op = Op::FISTTP, .o = {Mq}},
    {.key = 2, .op = Op::FST, .o = {Mq}}, {.key = 3, .op = Op::FSTP, .o = {Mq}},
    {.key = 4, .op = Op::FRSTOR, .o = {Mfst}}, {.key = 6, .op = Op::FNSAVE, .o = {Mfst}},
    {.key = 7, .op = Op::FNSTSW, .o = {Mw}},
};
constexpr Row kDDReg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FFREE, .o = {STi}}, {.key = 0xc8, .n = 8, .op = Op::FXCH, .o = {STi}},
    {.key = 0xd0, .n = 8, .op = Op::FST, .o = {STi}}, {.key = 0xd8, .n = 8, .op = Op::FSTP, .o = {STi}},
    {.key = 0xe0, .n = 8, .op = Op::FUCOM, .o = {STi}}, {.key = 0xe8, .n = 8, .op = Op::FUCOMP, .o = {ST0, STi}},
};

constexpr Row kDEMem[] = {
    {.key = 0, .op = Op::FIADD, .o = {Mw}}, {.key = 1, .op = Op::FIMUL, .o = {Mw}},
    {.key = 2, .op = Op::FICOM, .o = {Mw}}, {.key = 3, .op = Op::FICOMP, .o = {Mw}},
    {.key = 4, .op = Op::FISUB, .o = {Mw}}, {.key = 5, .op = Op::FISUBR, .o = {Mw}},
    {.key = 6, .op = Op::FIDIV, .o = {Mw}}, {.key = 7, .op = Op::FIDIVR, .o = {Mw}},
};
constexpr Row kDEReg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FADDP, .o = {STi, ST0}}, {.key = 0xc8, .n = 8, .op = Op::FMULP, .o = {STi, ST0}},
    {.key = 0xd0, .n = 8, .op = Op::FCOMP, .o = {STi}}, {.key = 0xd9, .op = Op::FCOMPP},
    {.key = 0xe0, .n = 8, .op = Op::FSUBRP, .o = {STi, ST0}}, {.key = 0xe8, .n = 8, .op = Op::FSUBP, .o = {STi, ST0}},
    {.key = 0xf0, .n = 8, .op = Op::FDIVRP, .o = {STi, ST0}}, {.key = 0xf8, .n = 8, .op = Op::FDIVP, .o = {STi, ST0}},
};

constexpr Row kDFMem[] = {
    {.key = 0, .op = Op::FILD, .o = {Mw}}, {.key = 1, .op = Op::FISTTP, .o = {Mw}},
    {.key = 2, .op = Op::FIST, .o = {Mw}}, {.key = 3, .op = Op::FISTP, .o = {Mw}},
    {.key = 4, .op = Op::FBLD, .o = {Mt}}, {.key = 5, .op = Op::FILD, .o = {Mq}},
    {.key = 6, .op = Op::FBSTP, .o = {Mt}}, {.key = 7, .op = Op::FISTP, .o = {Mq}},
};
constexpr Row kDFReg[] = {
    {.key = 0xc0, .n = 8, .op = Op::FFREEP, .o = {STi}}, {.key = 0xc8, .n = 8, .op = Op::FXCH, .o = {STi}},
    {.key = 0xd0, .n = 16, .op = Op::FSTP, .o = {STi}},
    {.key = 0xe0, .op = Op::FNSTSW, .o = {AX}},
    {.key = 0xe8, .n = 8, .op = Op::FUCOMIP, .o = {ST0, STi}},
    {.key = 0xf0, .n = 8, .op = Op::FCOMIP, .o = {ST0, STi}},
};

struct Escape {
    Sel mem, reg;
};
constexpr Escape kEscapes[8] = {
    {sel(By::Reg, kD8Mem), sel(By::Modrm, kD8Reg)}, {sel(By::Reg, kD9Mem), sel(By::Modrm, kD9Reg)},
    {sel(By::Reg, kDAMem), sel(By::Modrm, kDAReg)}, {sel(By::Reg, kDBMem), sel(By::Modrm, kDBReg)},
    {sel(By::Reg, kDCMem), sel(By::Modrm, kDCReg)}, {sel(By::Reg, kDDMem), sel(By::Modrm, kDDReg)},
    {sel(By::Reg, kDEMem), sel(By::Modrm, kDEReg)}, {sel(By::Reg, kDFMem), sel(By::Modrm, kDFReg)},
};

}  // namespace

const Row* x87_row(unsigned escape, uint8_t modrm) {
    const Escape& e = kEscapes[escape & 7];
    if ((modrm >> 6) == 3) return find_row(e.reg.rows, e.reg.count, modrm);
    return find_row(e.mem.rows, e.mem.count, (modrm >> 3) & 7);
}

}  // namespace petrel::decoder
