// The one-byte opcode map (SDM vol. 2 table A-2) and its ModRM.reg groups.
// Prefix bytes (26 2E 36 3E 64-67 F0 F2 F3), REX (40-4F in 64-bit mode),
// the 0F escape and VEX/EVEX (C4 C5 62 where they are escapes) are consumed
// by the engine before this table is consulted.
#include "cpu/decoder/context.h"
#include "cpu/decoder/operand_codes.h"

namespace petrel::decoder {

namespace {

// 90: NOP, and PAUSE with F3; with REX.B it is XCHG r8, rAX like 91-97,
// F3 or not: the hardware executes F3 41 90 as XCHG (the native difftest
// shows it; Zydis says PAUSE, an allowed difference in decoder_vs_zydis).
DecodeStatus fix_90(Ctx& c, DecodedInsn& d) {
    if (d.opcode != 0x90 || c.rex_b()) return DecodeStatus::Ok;
    if (c.rep == 0xf3) {
        d.op = Op::PAUSE;
        c.rep_used = true;
    } else {
        d.op = Op::NOP;
    }
    d.nops = 0;
    d.ops[0] = d.ops[1] = Operand{};
    return DecodeStatus::Ok;
}

// MOV r/m, Sreg: only six segment registers.
DecodeStatus fix_mov_from_sreg(Ctx& c, DecodedInsn&) {
    return ((c.modrm >> 3) & 7) > GS ? DecodeStatus::Invalid : DecodeStatus::Ok;
}

// MOV Sreg, r/m: and CS cannot be loaded this way.
DecodeStatus fix_mov_to_sreg(Ctx& c, DecodedInsn&) {
    const unsigned s = (c.modrm >> 3) & 7;
    return (s > GS || s == CS) ? DecodeStatus::Invalid : DecodeStatus::Ok;
}

// Grp1 (80-83): the eight ALU operations by ModRM.reg.
constexpr Row kGrp1_80[] = {
    {.key = 0, .op = Op::ADD, .o = {Eb, Ib}, .f = kLock}, {.key = 1, .op = Op::OR, .o = {Eb, Ib}, .f = kLock},
    {.key = 2, .op = Op::ADC, .o = {Eb, Ib}, .f = kLock}, {.key = 3, .op = Op::SBB, .o = {Eb, Ib}, .f = kLock},
    {.key = 4, .op = Op::AND, .o = {Eb, Ib}, .f = kLock}, {.key = 5, .op = Op::SUB, .o = {Eb, Ib}, .f = kLock},
    {.key = 6, .op = Op::XOR, .o = {Eb, Ib}, .f = kLock}, {.key = 7, .op = Op::CMP, .o = {Eb, Ib}},
};
constexpr Row kGrp1_81[] = {
    {.key = 0, .op = Op::ADD, .o = {Ev, Iz}, .f = kLock}, {.key = 1, .op = Op::OR, .o = {Ev, Iz}, .f = kLock},
    {.key = 2, .op = Op::ADC, .o = {Ev, Iz}, .f = kLock}, {.key = 3, .op = Op::SBB, .o = {Ev, Iz}, .f = kLock},
    {.key = 4, .op = Op::AND, .o = {Ev, Iz}, .f = kLock}, {.key = 5, .op = Op::SUB, .o = {Ev, Iz}, .f = kLock},
    {.key = 6, .op = Op::XOR, .o = {Ev, Iz}, .f = kLock}, {.key = 7, .op = Op::CMP, .o = {Ev, Iz}},
};
constexpr Row kGrp1_83[] = {
    {.key = 0, .op = Op::ADD, .o = {Ev, Ibs}, .f = kLock}, {.key = 1, .op = Op::OR, .o = {Ev, Ibs}, .f = kLock},
    {.key = 2, .op = Op::ADC, .o = {Ev, Ibs}, .f = kLock}, {.key = 3, .op = Op::SBB, .o = {Ev, Ibs}, .f = kLock},
    {.key = 4, .op = Op::AND, .o = {Ev, Ibs}, .f = kLock}, {.key = 5, .op = Op::SUB, .o = {Ev, Ibs}, .f = kLock},
    {.key = 6, .op = Op::XOR, .o = {Ev, Ibs}, .f = kLock}, {.key = 7, .op = Op::CMP, .o = {Ev, Ibs}},
};
// Grp1A (8F): POP Ev. The other encodings are XOP on AMD, #UD here.
constexpr Row kGrp1a[] = {{.key = 0, .op = Op::POP, .o = {Ev}, .f = kDef64}};

// Grp2 (C0 C1 D0-D3): shifts and rotates; /6 is an alias of SHL.
constexpr Row kGrp2_C0[] = {
    {.key = 0, .op = Op::ROL, .o = {Eb, Ib}}, {.key = 1, .op = Op::ROR, .o = {Eb, Ib}},
    {.key = 2, .op = Op::RCL, .o = {Eb, Ib}}, {.key = 3, .op = Op::RCR, .o = {Eb, Ib}},
    {.key = 4, .op = Op::SHL, .o = {Eb, Ib}}, {.key = 5, .op = Op::SHR, .o = {Eb, Ib}},
    {.key = 6, .op = Op::SHL, .o = {Eb, Ib}}, {.key = 7, .op = Op::SAR, .o = {Eb, Ib}},
};
constexpr Row kGrp2_C1[] = {
    {.key = 0, .op = Op::ROL, .o = {Ev, Ib}}, {.key = 1, .op = Op::ROR, .o = {Ev, Ib}},
    {.key = 2, .op = Op::RCL, .o = {Ev, Ib}}, {.key = 3, .op = Op::RCR, .o = {Ev, Ib}},
    {.key = 4, .op = Op::SHL, .o = {Ev, Ib}}, {.key = 5, .op = Op::SHR, .o = {Ev, Ib}},
    {.key = 6, .op = Op::SHL, .o = {Ev, Ib}}, {.key = 7, .op = Op::SAR, .o = {Ev, Ib}},
};
constexpr Row kGrp2_D0[] = {
    {.key = 0, .op = Op::ROL, .o = {Eb, One}}, {.key = 1, .op = Op::ROR, .o = {Eb, One}},
    {.key = 2, .op = Op::RCL, .o = {Eb, One}}, {.key = 3, .op = Op::RCR, .o = {Eb, One}},
    {.key = 4, .op = Op::SHL, .o = {Eb, One}}, {.key = 5, .op = Op::SHR, .o = {Eb, One}},
    {.key = 6, .op = Op::SHL, .o = {Eb, One}}, {.key = 7, .op = Op::SAR, .o = {Eb, One}},
};
constexpr Row kGrp2_D1[] = {
    {.key = 0, .op = Op::ROL, .o = {Ev, One}}, {.key = 1, .op = Op::ROR, .o = {Ev, One}},
    {.key = 2, .op = Op::RCL, .o = {Ev, One}}, {.key = 3, .op = Op::RCR, .o = {Ev, One}},
    {.key = 4, .op = Op::SHL, .o = {Ev, One}}, {.key = 5, .op = Op::SHR, .o = {Ev, One}},
    {.key = 6, .op = Op::SHL, .o = {Ev, One}}, {.key = 7, .op = Op::SAR, .o = {Ev, One}},
};
constexpr Row kGrp2_D2[] = {
    {.key = 0, .op = Op::ROL, .o = {Eb, CL}}, {.key = 1, .op = Op::ROR, .o = {Eb, CL}},
    {.key = 2, .op = Op::RCL, .o = {Eb, CL}}, {.key = 3, .op = Op::RCR, .o = {Eb, CL}},
    {.key = 4, .op = Op::SHL, .o = {Eb, CL}}, {.key = 5, .op = Op::SHR, .o = {Eb, CL}},
    {.key = 6, .op = Op::SHL, .o = {Eb, CL}}, {.key = 7, .op = Op::SAR, .o = {Eb, CL}},
};
constexpr Row kGrp2_D3[] = {
    {.key = 0, .op = Op::ROL, .o = {Ev, CL}}, {.key = 1, .op = Op::ROR, .o = {Ev, CL}},
    {.key = 2, .op = Op::RCL, .o = {Ev, CL}}, {.key = 3, .op = Op::RCR, .o = {Ev, CL}},
    {.key = 4, .op = Op::SHL, .o = {Ev, CL}}, {.key = 5, .op = Op::SHR, .o = {Ev, CL}},
    {.key = 6, .op = Op::SHL, .o = {Ev, CL}}, {.key = 7, .op = Op::SAR, .o = {Ev, CL}},
};

// Grp3 (F6 F7): /1 is an alias of TEST.
constexpr Row kGrp3_F6[] = {
    {.key = 0, .n = 2, .op = Op::TEST, .o = {Eb, Ib}},
    {.key = 2, .op = Op::NOT, .o = {Eb}, .f = kLock}, {.key = 3, .op = Op::NEG, .o = {Eb}, .f = kLock},
    {.key = 4, .op = Op::MUL, .o = {Eb}}, {.key = 5, .op = Op::IMUL, .o = {Eb}},
    {.key = 6, .op = Op::DIV, .o = {Eb}}, {.key = 7, .op = Op::IDIV, .o = {Eb}},
};
constexpr Row kGrp3_F7[] = {
    {.key = 0, .n = 2, .op = Op::TEST, .o = {Ev, Iz}},
    {.key = 2, .op = Op::NOT, .o = {Ev}, .f = kLock}, {.key = 3, .op = Op::NEG, .o = {Ev}, .f = kLock},
    {.key = 4, .op = Op::MUL, .o = {Ev}}, {.key = 5, .op = Op::IMUL, .o = {Ev}},
    {.key = 6, .op = Op::DIV, .o = {Ev}}, {.key = 7, .op = Op::IDIV, .o = {Ev}},
};
// Grp4 (FE), Grp5 (FF).
constexpr Row kGrp4[] = {
    {.key = 0, .op = Op::INC, .o = {Eb}, .f = kLock}, {.key = 1, .op = Op::DEC, .o = {Eb}, .f = kLock},
};
constexpr Row kGrp5[] = {
    {.key = 0, .op = Op::INC, .o = {Ev}, .f = kLock}, {.key = 1, .op = Op::DEC, .o = {Ev}, .f = kLock},
    {.key = 2, .op = Op::CALL, .o = {Ev}, .f = kF64}, {.key = 3, .op = Op::CALL_FAR, .o = {Mp}},
    {.key = 4, .op = Op::JMP, .o = {Ev}, .f = kF64}, {.key = 5, .op = Op::JMP_FAR, .o = {Mp}},
    {.key = 6, .op = Op::PUSH, .o = {Ev}, .f = kDef64},
};
// Grp11 (C6 C7): MOV; C6 F8 / C7 F8 are XABORT/XBEGIN (TSX): #UD here.
constexpr Row kGrp11_C6[] = {{.key = 0, .op = Op::MOV, .o = {Eb, Ib}}};
constexpr Row kGrp11_C7[] = {{.key = 0, .op = Op::MOV, .o = {Ev, Iz}}};

// 63: ARPL outside 64-bit mode, MOVSXD in it.
constexpr Row k63[] = {
    {.key = 0, .op = Op::ARPL, .o = {Ew, Gw}},
    {.key = 1, .op = Op::MOVSXD, .o = {Gv, Ezd}},  // with 66: r16, but m32
};

constexpr Row kRows[] = {
    // 00-3F: the ALU block, segment pushes/pops, BCD adjusts
    {.key = 0x00, .op = Op::ADD, .o = {Eb, Gb}, .f = kLock}, {.key = 0x01, .op = Op::ADD, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x02, .op = Op::ADD, .o = {Gb, Eb}}, {.key = 0x03, .op = Op::ADD, .o = {Gv, Ev}},
    {.key = 0x04, .op = Op::ADD, .o = {AL, Ib}}, {.key = 0x05, .op = Op::ADD, .o = {rAX, Iz}},
    {.key = 0x06, .op = Op::PUSH, .o = {sES}, .f = kI64}, {.key = 0x07, .op = Op::POP, .o = {sES}, .f = kI64},
    {.key = 0x08, .op = Op::OR, .o = {Eb, Gb}, .f = kLock}, {.key = 0x09, .op = Op::OR, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x0a, .op = Op::OR, .o = {Gb, Eb}}, {.key = 0x0b, .op = Op::OR, .o = {Gv, Ev}},
    {.key = 0x0c, .op = Op::OR, .o = {AL, Ib}}, {.key = 0x0d, .op = Op::OR, .o = {rAX, Iz}},
    {.key = 0x0e, .op = Op::PUSH, .o = {sCS}, .f = kI64},
    {.key = 0x10, .op = Op::ADC, .o = {Eb, Gb}, .f = kLock}, {.key = 0x11, .op = Op::ADC, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x12, .op = Op::ADC, .o = {Gb, Eb}}, {.key = 0x13, .op = Op::ADC, .o = {Gv, Ev}},
    {.key = 0x14, .op = Op::ADC, .o = {AL, Ib}}, {.key = 0x15, .op = Op::ADC, .o = {rAX, Iz}},
    {.key = 0x16, .op = Op::PUSH, .o = {sSS}, .f = kI64}, {.key = 0x17, .op = Op::POP, .o = {sSS}, .f = kI64},
    {.key = 0x18, .op = Op::SBB, .o = {Eb, Gb}, .f = kLock}, {.key = 0x19, .op = Op::SBB, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x1a, .op = Op::SBB, .o = {Gb, Eb}}, {.key = 0x1b, .op = Op::SBB, .o = {Gv, Ev}},
    {.key = 0x1c, .op = Op::SBB, .o = {AL, Ib}}, {.key = 0x1d, .op = Op::SBB, .o = {rAX, Iz}},
    {.key = 0x1e, .op = Op::PUSH, .o = {sDS}, .f = kI64}, {.key = 0x1f, .op = Op::POP, .o = {sDS}, .f = kI64},
    {.key = 0x20, .op = Op::AND, .o = {Eb, Gb}, .f = kLock}, {.key = 0x21, .op = Op::AND, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x22, .op = Op::AND, .o = {Gb, Eb}}, {.key = 0x23, .op = Op::AND, .o = {Gv, Ev}},
    {.key = 0x24, .op = Op::AND, .o = {AL, Ib}}, {.key = 0x25, .op = Op::AND, .o = {rAX, Iz}},
    {.key = 0x27, .op = Op::DAA, .f = kI64},
    {.key = 0x28, .op = Op::SUB, .o = {Eb, Gb}, .f = kLock}, {.key = 0x29, .op = Op::SUB, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x2a, .op = Op::SUB, .o = {Gb, Eb}}, {.key = 0x2b, .op = Op::SUB, .o = {Gv, Ev}},
    {.key = 0x2c, .op = Op::SUB, .o = {AL, Ib}}, {.key = 0x2d, .op = Op::SUB, .o = {rAX, Iz}},
    {.key = 0x2f, .op = Op::DAS, .f = kI64},
    {.key = 0x30, .op = Op::XOR, .o = {Eb, Gb}, .f = kLock}, {.key = 0x31, .op = Op::XOR, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x32, .op = Op::XOR, .o = {Gb, Eb}}, {.key = 0x33, .op = Op::XOR, .o = {Gv, Ev}},
    {.key = 0x34, .op = Op::XOR, .o = {AL, Ib}}, {.key = 0x35, .op = Op::XOR, .o = {rAX, Iz}},
    {.key = 0x37, .op = Op::AAA, .f = kI64},
    {.key = 0x38, .op = Op::CMP, .o = {Eb, Gb}}, {.key = 0x39, .op = Op::CMP, .o = {Ev, Gv}},
    {.key = 0x3a, .op = Op::CMP, .o = {Gb, Eb}}, {.key = 0x3b, .op = Op::CMP, .o = {Gv, Ev}},
    {.key = 0x3c, .op = Op::CMP, .o = {AL, Ib}}, {.key = 0x3d, .op = Op::CMP, .o = {rAX, Iz}},
    {.key = 0x3f, .op = Op::AAS, .f = kI64},
    // 40-5F: INC/DEC (REX in 64-bit mode), PUSH/POP r
    {.key = 0x40, .n = 8, .op = Op::INC, .o = {Zv}, .f = kI64},
    {.key = 0x48, .n = 8, .op = Op::DEC, .o = {Zv}, .f = kI64},
    {.key = 0x50, .n = 8, .op = Op::PUSH, .o = {Zv}, .f = kDef64},
    {.key = 0x58, .n = 8, .op = Op::POP, .o = {Zv}, .f = kDef64},
    // 60-6F
    {.key = 0x60, .op = Op::PUSHA, .f = kI64}, {.key = 0x61, .op = Op::POPA, .f = kI64},
    {.key = 0x62, .op = Op::BOUND, .o = {Gv, Ma}, .f = kI64},
    {.key = 0x63, .sel = sel(By::Mode, k63)},
    {.key = 0x68, .op = Op::PUSH, .o = {Iz}, .f = kDef64},
    {.key = 0x69, .op = Op::IMUL, .o = {Gv, Ev, Iz}},
    {.key = 0x6a, .op = Op::PUSH, .o = {Ibs}, .f = kDef64},
    {.key = 0x6b, .op = Op::IMUL, .o = {Gv, Ev, Ibs}},
    {.key = 0x6c, .op = Op::INS, .f = kByte}, {.key = 0x6d, .op = Op::INS, .f = kNoRex},
    {.key = 0x6e, .op = Op::OUTS, .f = kByte}, {.key = 0x6f, .op = Op::OUTS, .f = kNoRex},
    // 70-7F: Jcc rel8
    {.key = 0x70, .n = 16, .op = Op::JCC, .o = {Jb}, .f = kF64 | kCc},
    // 80-8F
    {.key = 0x80, .sel = sel(By::Reg, kGrp1_80)},
    {.key = 0x81, .sel = sel(By::Reg, kGrp1_81)},
    {.key = 0x82, .f = kI64, .sel = sel(By::Reg, kGrp1_80)},  // alias of 80 outside 64-bit mode
    {.key = 0x83, .sel = sel(By::Reg, kGrp1_83)},
    {.key = 0x84, .op = Op::TEST, .o = {Eb, Gb}}, {.key = 0x85, .op = Op::TEST, .o = {Ev, Gv}},
    {.key = 0x86, .op = Op::XCHG, .o = {Eb, Gb}, .f = kLock}, {.key = 0x87, .op = Op::XCHG, .o = {Ev, Gv}, .f = kLock},
    {.key = 0x88, .op = Op::MOV, .o = {Eb, Gb}}, {.key = 0x89, .op = Op::MOV, .o = {Ev, Gv}},
    {.key = 0x8a, .op = Op::MOV, .o = {Gb, Eb}}, {.key = 0x8b, .op = Op::MOV, .o = {Gv, Ev}},
    {.key = 0x8c, .op = Op::MOV_SREG, .o = {Evw, Sw}, .fix = fix_mov_from_sreg},
    {.key = 0x8d, .op = Op::LEA, .o = {Gv, M}},
    {.key = 0x8e, .op = Op::MOV_SREG, .o = {Sw, Ew}, .fix = fix_mov_to_sreg},
    {.key = 0x8f, .sel = sel(By::Reg, kGrp1a)},
    // 90-9F
    {.key = 0x90, .n = 8, .op = Op::XCHG, .o = {Zv, rAX}, .fix = fix_90},
    {.key = 0x98, .op = Op::CBW}, {.key = 0x99, .op = Op::CWD},
    {.key = 0x9a, .op = Op::CALL_FAR, .o = {Ap}, .f = kI64},
    {.key = 0x9b, .op = Op::FWAIT},
    {.key = 0x9c, .op = Op::PUSHF, .f = kDef64}, {.key = 0x9d, .op = Op::POPF, .f = kDef64},
    {.key = 0x9e, .op = Op::SAHF}, {.key = 0x9f, .op = Op::LAHF},
    // A0-AF: moffs MOVs, string operations
    {.key = 0xa0, .op = Op::MOV, .o = {AL, Ob}}, {.key = 0xa1, .op = Op::MOV, .o = {rAX, Ov}},
    {.key = 0xa2, .op = Op::MOV, .o = {Ob, AL}}, {.key = 0xa3, .op = Op::MOV, .o = {Ov, rAX}},
    {.key = 0xa4, .op = Op::MOVS, .f = kByte}, {.key = 0xa5, .op = Op::MOVS},
    {.key = 0xa6, .op = Op::CMPS, .f = kByte}, {.key = 0xa7, .op = Op::CMPS},
    {.key = 0xa8, .op = Op::TEST, .o = {AL, Ib}}, {.key = 0xa9, .op = Op::TEST, .o = {rAX, Iz}},
    {.key = 0xaa, .op = Op::STOS, .f = kByte}, {.key = 0xab, .op = Op::STOS},
    {.key = 0xac, .op = Op::LODS, .f = kByte}, {.key = 0xad, .op = Op::LODS},
    {.key = 0xae, .op = Op::SCAS, .f = kByte}, {.key = 0xaf, .op = Op::SCAS},
    // B0-BF: MOV r, imm
    {.key = 0xb0, .n = 8, .op = Op::MOV, .o = {Zb, Ib}},
    {.key = 0xb8, .n = 8, .op = Op::MOV, .o = {Zv, Iv}},
    // C0-CF
    {.key = 0xc0, .sel = sel(By::Reg, kGrp2_C0)},
    {.key = 0xc1, .sel = sel(By::Reg, kGrp2_C1)},
    {.key = 0xc2, .op = Op::RET, .o = {Iw}, .f = kF64}, {.key = 0xc3, .op = Op::RET, .f = kF64},
    {.key = 0xc4, .op = Op::LES, .o = {Gz, Mp}, .f = kI64},  // VEX in 64-bit mode or with mod = 11
    {.key = 0xc5, .op = Op::LDS, .o = {Gz, Mp}, .f = kI64},
    {.key = 0xc6, .sel = sel(By::Reg, kGrp11_C6)},
    {.key = 0xc7, .sel = sel(By::Reg, kGrp11_C7)},
    {.key = 0xc8, .op = Op::ENTER, .o = {Iw, Ib}, .f = kDef64},
    {.key = 0xc9, .op = Op::LEAVE, .f = kDef64},
    {.key = 0xca, .op = Op::RET_FAR, .o = {Iw}}, {.key = 0xcb, .op = Op::RET_FAR},
    {.key = 0xcc, .op = Op::INT3}, {.key = 0xcd, .op = Op::INT, .o = {Ib}},
    {.key = 0xce, .op = Op::INTO, .f = kI64}, {.key = 0xcf, .op = Op::IRET},
    // D0-DF
    {.key = 0xd0, .sel = sel(By::Reg, kGrp2_D0)},
    {.key = 0xd1, .sel = sel(By::Reg, kGrp2_D1)},
    {.key = 0xd2, .sel = sel(By::Reg, kGrp2_D2)},
    {.key = 0xd3, .sel = sel(By::Reg, kGrp2_D3)},
    {.key = 0xd4, .op = Op::AAM, .o = {Ib}, .f = kI64},
    {.key = 0xd5, .op = Op::AAD, .o = {Ib}, .f = kI64},
    // D6 is the undocumented SALC: reserved (#UD) in the SDM, so here.
    {.key = 0xd7, .op = Op::XLAT, .f = kByte},
    {.key = 0xd8, .n = 8, .sel = {By::X87, nullptr, 0}},
    // E0-EF
    {.key = 0xe0, .op = Op::LOOPNE, .o = {Jb}, .f = kF64}, {.key = 0xe1, .op = Op::LOOPE, .o = {Jb}, .f = kF64},
    {.key = 0xe2, .op = Op::LOOP, .o = {Jb}, .f = kF64}, {.key = 0xe3, .op = Op::JCXZ, .o = {Jb}, .f = kF64},
    {.key = 0xe4, .op = Op::IN, .o = {AL, Ib}}, {.key = 0xe5, .op = Op::IN, .o = {eAX, Ib}, .f = kNoRex},
    {.key = 0xe6, .op = Op::OUT, .o = {Ib, AL}, .f = kByte}, {.key = 0xe7, .op = Op::OUT, .o = {Ib, eAX}, .f = kNoRex},
    {.key = 0xe8, .op = Op::CALL, .o = {Jz}, .f = kF64},
    {.key = 0xe9, .op = Op::JMP, .o = {Jz}, .f = kF64},
    {.key = 0xea, .op = Op::JMP_FAR, .o = {Ap}, .f = kI64},
    {.key = 0xeb, .op = Op::JMP, .o = {Jb}, .f = kF64},
    {.key = 0xec, .op = Op::IN, .o = {AL, DX}}, {.key = 0xed, .op = Op::IN, .o = {eAX, DX}, .f = kNoRex},
    {.key = 0xee, .op = Op::OUT, .o = {DX, AL}, .f = kByte}, {.key = 0xef, .op = Op::OUT, .o = {DX, eAX}, .f = kNoRex},
    // F0-FF
    {.key = 0xf1, .op = Op::INT1},
    {.key = 0xf4, .op = Op::HLT}, {.key = 0xf5, .op = Op::CMC},
    {.key = 0xf6, .sel = sel(By::Reg, kGrp3_F6)},
    {.key = 0xf7, .sel = sel(By::Reg, kGrp3_F7)},
    {.key = 0xf8, .op = Op::CLC}, {.key = 0xf9, .op = Op::STC},
    {.key = 0xfa, .op = Op::CLI}, {.key = 0xfb, .op = Op::STI},
    {.key = 0xfc, .op = Op::CLD}, {.key = 0xfd, .op = Op::STD},
    {.key = 0xfe, .sel = sel(By::Reg, kGrp4)},
    {.key = 0xff, .sel = sel(By::Reg, kGrp5)},
};

constexpr auto kIndex = dense_index(kRows);

}  // namespace

const MapTable kOneByteMap{kRows, &kIndex};

}  // namespace petrel::decoder
