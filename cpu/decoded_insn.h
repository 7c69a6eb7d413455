// DecodedInsn: what the decoder knows about one instruction, in a form both
// the interpreter and the translator consume. It says what the bytes are
// (operation, operands, sizes, prefixes, length), never what they do.
//
// Conventions:
// - Operand 0 is the destination when there is one (Intel order).
// - At most one explicit memory operand; its address is in the mem_* fields.
//   Implicit memory (stack, string ops) is the handler's business.
// - Immediates are sign- or zero-extended to 64 bits as the SDM defines for
//   the form; relative branches store the displacement in imm (signed), the
//   target being next RIP + imm truncated to the operand size.
#pragma once
#include <cstdint>

#include "cpu/ops.h"

namespace petrel {

enum class OpKind : uint8_t {
    None,
    Gpr,  // reg 0-15; with size 1 and no REX, 4-7 are AH/CH/DH/BH: see kHighByteBase
    Mem,  // explicit memory operand, size = access width in bytes (0: address only, LEA)
    Imm,  // value in DecodedInsn::imm (second immediate in imm2)
    Rel,  // relative branch displacement in imm
    Seg,  // segment register 0-5 (ES CS SS DS FS GS)
    Cr,   // control register n
    Dr,   // debug register n
    Xmm,  // xmm0-15
    Mmx,  // mm0-7
    St,   // x87 ST(i)
};

// Gpr operands with reg >= kHighByteBase are AH, CH, DH, BH (reg - 16 + 4 - 4 = 0..3 -> bits 8-15 of RAX..RBX).
constexpr uint8_t kHighByteBase = 16;
constexpr uint8_t kNoReg = 0xff;
constexpr uint8_t kRipReg = 0x10;  // mem_base for RIP-relative addressing (disp is relative to next RIP)

enum SegIndex : uint8_t { ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5 };

struct Operand {
    OpKind kind = OpKind::None;
    uint8_t size = 0;  // bytes: 1, 2, 4, 8, 10 (x87 m80), 16 (xmm), 0 where no access
    uint8_t reg = 0;
};

// Prefix bits present on the instruction.
enum Prefix : uint16_t {
    kPrefixLock = 1 << 0,
    kPrefixRep = 1 << 1,    // F3 (REP/REPE), when not a mandatory SSE prefix
    kPrefixRepne = 1 << 2,  // F2 (REPNE), when not a mandatory SSE prefix
    kPrefixOpsize = 1 << 3, // 66 present
    kPrefixAddrsize = 1 << 4,  // 67 present
    kPrefixSegment = 1 << 5,   // a segment override is present (mem_seg holds it)
    kPrefixRex = 1 << 6,
    kPrefixRexW = 1 << 7,
};

struct DecodedInsn {
    Op op = Op::INVALID;
    uint8_t length = 0;    // 1-15
    uint8_t opsize = 4;    // effective operand size in bytes: 1 for byte forms, 2, 4 or 8
    uint8_t addrsize = 4;  // effective address size: 2, 4 or 8
    uint8_t nops = 0;
    uint8_t cond = 0;      // condition code 0-15 (JCC, SETCC, CMOVCC, FCMOVCC)
    uint16_t prefixes = 0;
    uint8_t map = 0;       // 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A (for diagnostics and the difftest)
    uint8_t opcode = 0;
    uint8_t modrm = 0;
    Operand ops[4];

    // Explicit memory operand (when some ops[i].kind == Mem).
    uint8_t mem_seg = DS;       // effective segment after defaults (SS for rBP/rSP bases) and overrides
    uint8_t mem_base = kNoReg;  // 0-15, kRipReg, or kNoReg
    uint8_t mem_index = kNoReg; // 0-15 or kNoReg
    uint8_t mem_scale = 1;      // 1, 2, 4, 8
    int64_t disp = 0;           // sign-extended; moffs forms put the full offset here

    uint64_t imm = 0;
    uint64_t imm2 = 0;  // ENTER's nesting level; far pointer selector

    bool has(Prefix p) const { return prefixes & p; }
    bool lock() const { return prefixes & kPrefixLock; }
    bool rep() const { return prefixes & kPrefixRep; }
    bool repne() const { return prefixes & kPrefixRepne; }
    int mem_operand() const {
        for (int i = 0; i < nops; ++i)
            if (ops[i].kind == OpKind::Mem) return i;
        return -1;
    }
};

// The execution mode the decoder needs.
enum class CodeMode : uint8_t { Bits16, Bits32, Bits64 };

enum class DecodeStatus : uint8_t {
    Ok,
    Invalid,   // #UD: reserved encoding, LOCK on a non-lockable form, invalid in this mode
    TooLong,   // > 15 bytes: #GP(0)
    NeedMore,  // the bytes given end inside the instruction
};

// Decodes one instruction from bytes[0..avail). Pure: no CPU state beyond mode.
DecodeStatus decode(const uint8_t* bytes, size_t avail, CodeMode mode, DecodedInsn& out);

}  // namespace petrel
