// Building DecodedInsns by hand for the integer-family unit tests (what the
// decoder would produce), on top of the system fixture's environments.
#pragma once
#include <initializer_list>

#include "tests/unit/cpu/system_fixture.h"

namespace petrel::test {

inline Operand gpr(uint8_t reg, unsigned size) { return Operand{OpKind::Gpr, static_cast<uint8_t>(size), reg}; }
inline Operand memop(unsigned size) { return Operand{OpKind::Mem, static_cast<uint8_t>(size), 0}; }
inline Operand imm(unsigned size) { return Operand{OpKind::Imm, static_cast<uint8_t>(size), 0}; }
inline Operand rel() { return Operand{OpKind::Rel, 0, 0}; }

inline DecodedInsn mk(Op op, unsigned opsize, std::initializer_list<Operand> ops, unsigned addrsize = 8) {
    DecodedInsn d;
    d.op = op;
    d.opsize = static_cast<uint8_t>(opsize);
    d.addrsize = static_cast<uint8_t>(addrsize);
    d.length = 3;
    for (const Operand& o : ops) d.ops[d.nops++] = o;
    return d;
}

// The memory operand [base + disp] (DS).
inline DecodedInsn& at(DecodedInsn& d, uint8_t base, int64_t disp = 0) {
    d.mem_base = base;
    d.disp = disp;
    d.mem_seg = DS;
    return d;
}

}  // namespace petrel::test
