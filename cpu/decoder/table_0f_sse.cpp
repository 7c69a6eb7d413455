// The MMX/SSE part of the 0F map (SDM vol. 2 table A-3) and Grp12-14.
// Every opcode here is selected by its mandatory prefix (By::Pfx: key 0 no
// prefix, 1 66, 2 F3, 3 F2); a variant the SDM does not list is #UD. The MMX
// form of an instruction (no prefix, Pq/Qq) and its SSE2 form (66, Vx/Wx)
// share the Op id.
//
// Register operands are whole registers (Xmm 16, Mmx 8 bytes); the memory
// width comes from the operand type (Wss: 4, Wsd/Wq: 8, Wps/Wx: 16).
#include "cpu/decoder/operand_codes.h"
#include "cpu/decoder/sse_patterns.h"

namespace petrel::decoder {

namespace {

constexpr Row k10[] = {
    {.key = 0, .op = Op::MOVUPS, .o = {Vps, Wps}}, {.key = 1, .op = Op::MOVUPD, .o = {Vpd, Wpd}},
    {.key = 2, .op = Op::MOVSS, .o = {Vx, Wss}}, {.key = 3, .op = Op::MOVSD, .o = {Vx, Wsd}},
};
constexpr Row k11[] = {
    {.key = 0, .op = Op::MOVUPS, .o = {Wps, Vps}}, {.key = 1, .op = Op::MOVUPD, .o = {Wpd, Vpd}},
    {.key = 2, .op = Op::MOVSS, .o = {Wss, Vx}}, {.key = 3, .op = Op::MOVSD, .o = {Wsd, Vx}},
};
// 0F 12 / 0F 16 without prefix: the memory form moves a half, the register
// form is MOVHLPS / MOVLHPS.
constexpr Row k12None[] = {
    {.key = 0, .op = Op::MOVLPS, .o = {Vx, Mq}}, {.key = 3, .op = Op::MOVHLPS, .o = {Vx, Ux}},
};
constexpr Row k12[] = {
    {.key = 0, .sel = sel(By::Mod, k12None)}, {.key = 1, .op = Op::MOVLPD, .o = {Vx, Mq}},
    {.key = 2, .op = Op::MOVSLDUP, .o = {Vx, Wx}}, {.key = 3, .op = Op::MOVDDUP, .o = {Vx, Wsd}},
};
constexpr Row k13[] = {{.key = 0, .op = Op::MOVLPS, .o = {Mq, Vx}}, {.key = 1, .op = Op::MOVLPD, .o = {Mq, Vx}}};
constexpr Row k16None[] = {
    {.key = 0, .op = Op::MOVHPS, .o = {Vx, Mq}}, {.key = 3, .op = Op::MOVLHPS, .o = {Vx, Ux}},
};
constexpr Row k16[] = {
    {.key = 0, .sel = sel(By::Mod, k16None)}, {.key = 1, .op = Op::MOVHPD, .o = {Vx, Mq}},
    {.key = 2, .op = Op::MOVSHDUP, .o = {Vx, Wx}},
};
constexpr Row k17[] = {{.key = 0, .op = Op::MOVHPS, .o = {Mq, Vx}}, {.key = 1, .op = Op::MOVHPD, .o = {Mq, Vx}}};
constexpr Row k28[] = {{.key = 0, .op = Op::MOVAPS, .o = {Vps, Wps}}, {.key = 1, .op = Op::MOVAPD, .o = {Vpd, Wpd}}};
constexpr Row k29[] = {{.key = 0, .op = Op::MOVAPS, .o = {Wps, Vps}}, {.key = 1, .op = Op::MOVAPD, .o = {Wpd, Vpd}}};
constexpr Row k2A[] = {
    {.key = 0, .op = Op::CVTPI2PS, .o = {Vx, Qq}}, {.key = 1, .op = Op::CVTPI2PD, .o = {Vx, Qq}},
    {.key = 2, .op = Op::CVTSI2SS, .o = {Vx, Ey}}, {.key = 3, .op = Op::CVTSI2SD, .o = {Vx, Ey}},
};
constexpr Row k2B[] = {{.key = 0, .op = Op::MOVNTPS, .o = {Mps, Vps}}, {.key = 1, .op = Op::MOVNTPD, .o = {Mpd, Vpd}}};
constexpr Row k2C[] = {
    {.key = 0, .op = Op::CVTTPS2PI, .o = {Pq, Wq}}, {.key = 1, .op = Op::CVTTPD2PI, .o = {Pq, Wpd}},
    {.key = 2, .op = Op::CVTTSS2SI, .o = {Gy, Wss}}, {.key = 3, .op = Op::CVTTSD2SI, .o = {Gy, Wsd}},
};
constexpr Row k2D[] = {
    {.key = 0, .op = Op::CVTPS2PI, .o = {Pq, Wq}}, {.key = 1, .op = Op::CVTPD2PI, .o = {Pq, Wpd}},
    {.key = 2, .op = Op::CVTSS2SI, .o = {Gy, Wss}}, {.key = 3, .op = Op::CVTSD2SI, .o = {Gy, Wsd}},
};
constexpr Row k2E[] = {{.key = 0, .op = Op::UCOMISS, .o = {Vx, Wss}}, {.key = 1, .op = Op::UCOMISD, .o = {Vx, Wsd}}};
constexpr Row k2F[] = {{.key = 0, .op = Op::COMISS, .o = {Vx, Wss}}, {.key = 1, .op = Op::COMISD, .o = {Vx, Wsd}}};
constexpr Row k50[] = {{.key = 0, .op = Op::MOVMSKPS, .o = {Gy, Ups}}, {.key = 1, .op = Op::MOVMSKPD, .o = {Gy, Upd}}};
constexpr Row k52[] = {{.key = 0, .op = Op::RSQRTPS, .o = {Vps, Wps}}, {.key = 2, .op = Op::RSQRTSS, .o = {Vx, Wss}}};
constexpr Row k53[] = {{.key = 0, .op = Op::RCPPS, .o = {Vps, Wps}}, {.key = 2, .op = Op::RCPSS, .o = {Vx, Wss}}};
constexpr Row k5A[] = {
    {.key = 0, .op = Op::CVTPS2PD, .o = {Vx, Wq}}, {.key = 1, .op = Op::CVTPD2PS, .o = {Vx, Wpd}},
    {.key = 2, .op = Op::CVTSS2SD, .o = {Vx, Wss}}, {.key = 3, .op = Op::CVTSD2SS, .o = {Vx, Wsd}},
};
constexpr Row k5B[] = {
    {.key = 0, .op = Op::CVTDQ2PS, .o = {Vx, Wx}}, {.key = 1, .op = Op::CVTPS2DQ, .o = {Vx, Wx}},
    {.key = 2, .op = Op::CVTTPS2DQ, .o = {Vx, Wx}},
};

// 0F 6E / 7E: MOVD, or MOVQ with REX.W.
constexpr Row kMovdPqEy[] = {{.key = 0, .op = Op::MOVD, .o = {Pq, Ed}}, {.key = 1, .op = Op::MOVQ, .o = {Pq, Eq}}};
constexpr Row kMovdVxEy[] = {{.key = 0, .op = Op::MOVD, .o = {Vx, Ed}}, {.key = 1, .op = Op::MOVQ, .o = {Vx, Eq}}};
constexpr Row kMovdEyPq[] = {{.key = 0, .op = Op::MOVD, .o = {Ed, Pq}}, {.key = 1, .op = Op::MOVQ, .o = {Eq, Pq}}};
constexpr Row kMovdEyVx[] = {{.key = 0, .op = Op::MOVD, .o = {Ed, Vx}}, {.key = 1, .op = Op::MOVQ, .o = {Eq, Vx}}};
constexpr Row k6E[] = {{.key = 0, .sel = sel(By::W, kMovdPqEy)}, {.key = 1, .sel = sel(By::W, kMovdVxEy)}};
constexpr Row k7E[] = {
    {.key = 0, .sel = sel(By::W, kMovdEyPq)}, {.key = 1, .sel = sel(By::W, kMovdEyVx)},
    {.key = 2, .op = Op::MOVQ, .o = {Vx, Wq}},
};
constexpr Row k6F[] = {
    {.key = 0, .op = Op::MOVQ, .o = {Pq, Qq}}, {.key = 1, .op = Op::MOVDQA, .o = {Vx, Wx}},
    {.key = 2, .op = Op::MOVDQU, .o = {Vx, Wx}},
};
constexpr Row k7F[] = {
    {.key = 0, .op = Op::MOVQ, .o = {Qq, Pq}}, {.key = 1, .op = Op::MOVDQA, .o = {Wx, Vx}},
    {.key = 2, .op = Op::MOVDQU, .o = {Wx, Vx}},
};
constexpr Row k70[] = {
    {.key = 0, .op = Op::PSHUFW, .o = {Pq, Qq, Ib}}, {.key = 1, .op = Op::PSHUFD, .o = {Vx, Wx, Ib}},
    {.key = 2, .op = Op::PSHUFHW, .o = {Vx, Wx, Ib}}, {.key = 3, .op = Op::PSHUFLW, .o = {Vx, Wx, Ib}},
};

// Grp12-14 (0F 71-73): shifts by an immediate, register forms only.
template <Op kOp>
inline constexpr Row kShiftImm[] = {{.key = 0, .op = kOp, .o = {Nq, Ib}}, {.key = 1, .op = kOp, .o = {Ux, Ib}}};
template <Op kOp>
inline constexpr Row kShiftImm66[] = {{.key = 1, .op = kOp, .o = {Ux, Ib}}};
constexpr Row kGrp12Reg[] = {
    {.key = 2, .sel = sel(By::Pfx, kShiftImm<Op::PSRLW>)}, {.key = 4, .sel = sel(By::Pfx, kShiftImm<Op::PSRAW>)},
    {.key = 6, .sel = sel(By::Pfx, kShiftImm<Op::PSLLW>)},
};
constexpr Row kGrp13Reg[] = {
    {.key = 2, .sel = sel(By::Pfx, kShiftImm<Op::PSRLD>)}, {.key = 4, .sel = sel(By::Pfx, kShiftImm<Op::PSRAD>)},
    {.key = 6, .sel = sel(By::Pfx, kShiftImm<Op::PSLLD>)},
};
constexpr Row kGrp14Reg[] = {
    {.key = 2, .sel = sel(By::Pfx, kShiftImm<Op::PSRLQ>)}, {.key = 3, .sel = sel(By::Pfx, kShiftImm66<Op::PSRLDQ>)},
    {.key = 6, .sel = sel(By::Pfx, kShiftImm<Op::PSLLQ>)}, {.key = 7, .sel = sel(By::Pfx, kShiftImm66<Op::PSLLDQ>)},
};
constexpr Row kGrp12[] = {{.key = 3, .sel = sel(By::Reg, kGrp12Reg)}};
constexpr Row kGrp13[] = {{.key = 3, .sel = sel(By::Reg, kGrp13Reg)}};
constexpr Row kGrp14[] = {{.key = 3, .sel = sel(By::Reg, kGrp14Reg)}};

constexpr Row k77[] = {{.key = 0, .op = Op::EMMS}};
constexpr Row k7C[] = {{.key = 1, .op = Op::HADDPD, .o = {Vpd, Wpd}}, {.key = 3, .op = Op::HADDPS, .o = {Vps, Wps}}};
constexpr Row k7D[] = {{.key = 1, .op = Op::HSUBPD, .o = {Vpd, Wpd}}, {.key = 3, .op = Op::HSUBPS, .o = {Vps, Wps}}};
constexpr Row kC2[] = {
    {.key = 0, .op = Op::CMPPS, .o = {Vps, Wps, Ib}}, {.key = 1, .op = Op::CMPPD, .o = {Vpd, Wpd, Ib}},
    {.key = 2, .op = Op::CMPSS, .o = {Vx, Wss, Ib}}, {.key = 3, .op = Op::CMPSD, .o = {Vx, Wsd, Ib}},
};
constexpr Row kC3[] = {{.key = 0, .op = Op::MOVNTI, .o = {My, Gy}}};
constexpr Row kC4[] = {{.key = 0, .op = Op::PINSRW, .o = {Pq, Edw, Ib}}, {.key = 1, .op = Op::PINSRW, .o = {Vx, Edw, Ib}}};
constexpr Row kC5[] = {{.key = 0, .op = Op::PEXTRW, .o = {Gd, Nq, Ib}}, {.key = 1, .op = Op::PEXTRW, .o = {Gd, Ux, Ib}}};
constexpr Row kC6[] = {{.key = 0, .op = Op::SHUFPS, .o = {Vps, Wps, Ib}}, {.key = 1, .op = Op::SHUFPD, .o = {Vpd, Wpd, Ib}}};
constexpr Row kD0[] = {{.key = 1, .op = Op::ADDSUBPD, .o = {Vpd, Wpd}}, {.key = 3, .op = Op::ADDSUBPS, .o = {Vps, Wps}}};
constexpr Row kD6[] = {
    {.key = 1, .op = Op::MOVQ, .o = {Wq, Vx}}, {.key = 2, .op = Op::MOVQ2DQ, .o = {Vx, Nq}},
    {.key = 3, .op = Op::MOVDQ2Q, .o = {Pq, Ux}},
};
constexpr Row kD7[] = {{.key = 0, .op = Op::PMOVMSKB, .o = {Gd, Nq}}, {.key = 1, .op = Op::PMOVMSKB, .o = {Gd, Ux}}};
constexpr Row kE6[] = {
    {.key = 1, .op = Op::CVTTPD2DQ, .o = {Vx, Wpd}}, {.key = 2, .op = Op::CVTDQ2PD, .o = {Vx, Wq}},
    {.key = 3, .op = Op::CVTPD2DQ, .o = {Vx, Wpd}},
};
constexpr Row kE7[] = {{.key = 0, .op = Op::MOVNTQ, .o = {Mq, Pq}}, {.key = 1, .op = Op::MOVNTDQ, .o = {Mx, Vx}}};
constexpr Row kF0[] = {{.key = 3, .op = Op::LDDQU, .o = {Vx, Mx}}};
constexpr Row kF7[] = {{.key = 0, .op = Op::MASKMOVQ, .o = {Pq, Nq}}, {.key = 1, .op = Op::MASKMOVDQU, .o = {Vx, Ux}}};

constexpr Row kRows[] = {
    {.key = 0x10, .sel = sel(By::Pfx, k10)}, {.key = 0x11, .sel = sel(By::Pfx, k11)},
    {.key = 0x12, .sel = sel(By::Pfx, k12)}, {.key = 0x13, .sel = sel(By::Pfx, k13)},
    {.key = 0x14, .sel = sel(By::Pfx, kPsPd<Op::UNPCKLPS, Op::UNPCKLPD>)},
    {.key = 0x15, .sel = sel(By::Pfx, kPsPd<Op::UNPCKHPS, Op::UNPCKHPD>)},
    {.key = 0x16, .sel = sel(By::Pfx, k16)}, {.key = 0x17, .sel = sel(By::Pfx, k17)},
    {.key = 0x28, .sel = sel(By::Pfx, k28)}, {.key = 0x29, .sel = sel(By::Pfx, k29)},
    {.key = 0x2a, .sel = sel(By::Pfx, k2A)}, {.key = 0x2b, .sel = sel(By::Pfx, k2B)},
    {.key = 0x2c, .sel = sel(By::Pfx, k2C)}, {.key = 0x2d, .sel = sel(By::Pfx, k2D)},
    {.key = 0x2e, .sel = sel(By::Pfx, k2E)}, {.key = 0x2f, .sel = sel(By::Pfx, k2F)},
    {.key = 0x50, .sel = sel(By::Pfx, k50)},
    {.key = 0x51, .sel = sel(By::Pfx, kArith<Op::SQRTPS, Op::SQRTPD, Op::SQRTSS, Op::SQRTSD>)},
    {.key = 0x52, .sel = sel(By::Pfx, k52)}, {.key = 0x53, .sel = sel(By::Pfx, k53)},
    {.key = 0x54, .sel = sel(By::Pfx, kPsPd<Op::ANDPS, Op::ANDPD>)},
    {.key = 0x55, .sel = sel(By::Pfx, kPsPd<Op::ANDNPS, Op::ANDNPD>)},
    {.key = 0x56, .sel = sel(By::Pfx, kPsPd<Op::ORPS, Op::ORPD>)},
    {.key = 0x57, .sel = sel(By::Pfx, kPsPd<Op::XORPS, Op::XORPD>)},
    {.key = 0x58, .sel = sel(By::Pfx, kArith<Op::ADDPS, Op::ADDPD, Op::ADDSS, Op::ADDSD>)},
    {.key = 0x59, .sel = sel(By::Pfx, kArith<Op::MULPS, Op::MULPD, Op::MULSS, Op::MULSD>)},
    {.key = 0x5a, .sel = sel(By::Pfx, k5A)}, {.key = 0x5b, .sel = sel(By::Pfx, k5B)},
    {.key = 0x5c, .sel = sel(By::Pfx, kArith<Op::SUBPS, Op::SUBPD, Op::SUBSS, Op::SUBSD>)},
    {.key = 0x5d, .sel = sel(By::Pfx, kArith<Op::MINPS, Op::MINPD, Op::MINSS, Op::MINSD>)},
    {.key = 0x5e, .sel = sel(By::Pfx, kArith<Op::DIVPS, Op::DIVPD, Op::DIVSS, Op::DIVSD>)},
    {.key = 0x5f, .sel = sel(By::Pfx, kArith<Op::MAXPS, Op::MAXPD, Op::MAXSS, Op::MAXSD>)},
    // 60-62: the MMX forms read only a dword from memory.
    {.key = 0x60, .sel = sel(By::Pfx, kPdVx<Op::PUNPCKLBW>)},
    {.key = 0x61, .sel = sel(By::Pfx, kPdVx<Op::PUNPCKLWD>)},
    {.key = 0x62, .sel = sel(By::Pfx, kPdVx<Op::PUNPCKLDQ>)},
    {.key = 0x63, .sel = sel(By::Pfx, kPqVx<Op::PACKSSWB>)},
    {.key = 0x64, .sel = sel(By::Pfx, kPqVx<Op::PCMPGTB>)},
    {.key = 0x65, .sel = sel(By::Pfx, kPqVx<Op::PCMPGTW>)},
    {.key = 0x66, .sel = sel(By::Pfx, kPqVx<Op::PCMPGTD>)},
    {.key = 0x67, .sel = sel(By::Pfx, kPqVx<Op::PACKUSWB>)},
    {.key = 0x68, .sel = sel(By::Pfx, kPqVx<Op::PUNPCKHBW>)},
    {.key = 0x69, .sel = sel(By::Pfx, kPqVx<Op::PUNPCKHWD>)},
    {.key = 0x6a, .sel = sel(By::Pfx, kPqVx<Op::PUNPCKHDQ>)},
    {.key = 0x6b, .sel = sel(By::Pfx, kPqVx<Op::PACKSSDW>)},
    {.key = 0x6c, .sel = sel(By::Pfx, kVx66<Op::PUNPCKLQDQ>)},
    {.key = 0x6d, .sel = sel(By::Pfx, kVx66<Op::PUNPCKHQDQ>)},
    {.key = 0x6e, .sel = sel(By::Pfx, k6E)}, {.key = 0x6f, .sel = sel(By::Pfx, k6F)},
    {.key = 0x70, .sel = sel(By::Pfx, k70)},
    {.key = 0x71, .sel = sel(By::Mod, kGrp12)},
    {.key = 0x72, .sel = sel(By::Mod, kGrp13)},
    {.key = 0x73, .sel = sel(By::Mod, kGrp14)},
    {.key = 0x74, .sel = sel(By::Pfx, kPqVx<Op::PCMPEQB>)},
    {.key = 0x75, .sel = sel(By::Pfx, kPqVx<Op::PCMPEQW>)},
    {.key = 0x76, .sel = sel(By::Pfx, kPqVx<Op::PCMPEQD>)},
    {.key = 0x77, .sel = sel(By::Pfx, k77)},
    {.key = 0x7c, .sel = sel(By::Pfx, k7C)}, {.key = 0x7d, .sel = sel(By::Pfx, k7D)},
    {.key = 0x7e, .sel = sel(By::Pfx, k7E)}, {.key = 0x7f, .sel = sel(By::Pfx, k7F)},
    {.key = 0xc2, .sel = sel(By::Pfx, kC2)}, {.key = 0xc3, .sel = sel(By::Pfx, kC3)},
    {.key = 0xc4, .sel = sel(By::Pfx, kC4)}, {.key = 0xc5, .sel = sel(By::Pfx, kC5)},
    {.key = 0xc6, .sel = sel(By::Pfx, kC6)},
    {.key = 0xd0, .sel = sel(By::Pfx, kD0)},
    {.key = 0xd1, .sel = sel(By::Pfx, kPqVx<Op::PSRLW>)},
    {.key = 0xd2, .sel = sel(By::Pfx, kPqVx<Op::PSRLD>)},
    {.key = 0xd3, .sel = sel(By::Pfx, kPqVx<Op::PSRLQ>)},
    {.key = 0xd4, .sel = sel(By::Pfx, kPqVx<Op::PADDQ>)},
    {.key = 0xd5, .sel = sel(By::Pfx, kPqVx<Op::PMULLW>)},
    {.key = 0xd6, .sel = sel(By::Pfx, kD6)}, {.key = 0xd7, .sel = sel(By::Pfx, kD7)},
    {.key = 0xd8, .sel = sel(By::Pfx, kPqVx<Op::PSUBUSB>)},
    {.key = 0xd9, .sel = sel(By::Pfx, kPqVx<Op::PSUBUSW>)},
    {.key = 0xda, .sel = sel(By::Pfx, kPqVx<Op::PMINUB>)},
    {.key = 0xdb, .sel = sel(By::Pfx, kPqVx<Op::PAND>)},
    {.key = 0xdc, .sel = sel(By::Pfx, kPqVx<Op::PADDUSB>)},
    {.key = 0xdd, .sel = sel(By::Pfx, kPqVx<Op::PADDUSW>)},
    {.key = 0xde, .sel = sel(By::Pfx, kPqVx<Op::PMAXUB>)},
    {.key = 0xdf, .sel = sel(By::Pfx, kPqVx<Op::PANDN>)},
    {.key = 0xe0, .sel = sel(By::Pfx, kPqVx<Op::PAVGB>)},
    {.key = 0xe1, .sel = sel(By::Pfx, kPqVx<Op::PSRAW>)},
    {.key = 0xe2, .sel = sel(By::Pfx, kPqVx<Op::PSRAD>)},
    {.key = 0xe3, .sel = sel(By::Pfx, kPqVx<Op::PAVGW>)},
    {.key = 0xe4, .sel = sel(By::Pfx, kPqVx<Op::PMULHUW>)},
    {.key = 0xe5, .sel = sel(By::Pfx, kPqVx<Op::PMULHW>)},
    {.key = 0xe6, .sel = sel(By::Pfx, kE6)}, {.key = 0xe7, .sel = sel(By::Pfx, kE7)},
    {.key = 0xe8, .sel = sel(By::Pfx, kPqVx<Op::PSUBSB>)},
    {.key = 0xe9, .sel = sel(By::Pfx, kPqVx<Op::PSUBSW>)},
    {.key = 0xea, .sel = sel(By::Pfx, kPqVx<Op::PMINSW>)},
    {.key = 0xeb, .sel = sel(By::Pfx, kPqVx<Op::POR>)},
    {.key = 0xec, .sel = sel(By::Pfx, kPqVx<Op::PADDSB>)},
    {.key = 0xed, .sel = sel(By::Pfx, kPqVx<Op::PADDSW>)},
    {.key = 0xee, .sel = sel(By::Pfx, kPqVx<Op::PMAXSW>)},
    {.key = 0xef, .sel = sel(By::Pfx, kPqVx<Op::PXOR>)},
    {.key = 0xf0, .sel = sel(By::Pfx, kF0)},
    {.key = 0xf1, .sel = sel(By::Pfx, kPqVx<Op::PSLLW>)},
    {.key = 0xf2, .sel = sel(By::Pfx, kPqVx<Op::PSLLD>)},
    {.key = 0xf3, .sel = sel(By::Pfx, kPqVx<Op::PSLLQ>)},
    {.key = 0xf4, .sel = sel(By::Pfx, kPqVx<Op::PMULUDQ>)},
    {.key = 0xf5, .sel = sel(By::Pfx, kPqVx<Op::PMADDWD>)},
    {.key = 0xf6, .sel = sel(By::Pfx, kPqVx<Op::PSADBW>)},
    {.key = 0xf7, .sel = sel(By::Pfx, kF7)},
    {.key = 0xf8, .sel = sel(By::Pfx, kPqVx<Op::PSUBB>)},
    {.key = 0xf9, .sel = sel(By::Pfx, kPqVx<Op::PSUBW>)},
    {.key = 0xfa, .sel = sel(By::Pfx, kPqVx<Op::PSUBD>)},
    {.key = 0xfb, .sel = sel(By::Pfx, kPqVx<Op::PSUBQ>)},
    {.key = 0xfc, .sel = sel(By::Pfx, kPqVx<Op::PADDB>)},
    {.key = 0xfd, .sel = sel(By::Pfx, kPqVx<Op::PADDW>)},
    {.key = 0xfe, .sel = sel(By::Pfx, kPqVx<Op::PADDD>)},
};

constexpr auto kIndex = dense_index(kRows);

}  // namespace

const MapTable k0FSseMap{kRows, &kIndex};

}  // namespace petrel::decoder
