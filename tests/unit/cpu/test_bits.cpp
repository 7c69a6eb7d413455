// Bit instructions the difftest cannot reach well: BT* on memory with a
// register offset addressing a bit string far outside the operand, and the
// LOCKed forms.
#include "tests/unit/cpu/integer_insn.h"

using namespace petrel;
using namespace petrel::test;

namespace {
DecodedInsn bt_mem_reg(Op op, unsigned size, uint8_t offset_reg) {
    DecodedInsn d = mk(op, size, {memop(size), gpr(offset_reg, size)});
    return at(d, RBX);
}
}  // namespace

TEST_CASE_FIXTURE(SysFixture, "BT with a register offset addresses a bit string around the operand") {
    long64();
    cpu.s.gpr[RBX] = 0x100000;
    // Offset -1 (32-bit): bit 31 of the dword below the operand.
    wr(0x0ffffc, 0x80000000u, 4);
    cpu.s.gpr[RCX] = 0xffffffff;
    CHECK_FALSE(attempt(bt_mem_reg(Op::BT, 4, RCX)));
    CHECK(cpu.cf());
    // Offset 100: dword at +12, bit 4, set by BTS.
    cpu.s.gpr[RCX] = 100;
    CHECK_FALSE(attempt(bt_mem_reg(Op::BTS, 4, RCX)));
    CHECK_FALSE(cpu.cf());
    CHECK(rd(0x10000c, 4) == 0x10);
    // 16-bit: offset -17 is word -2 (bytes -4..-3), bit 15.
    wr(0x0ffffc, 0, 4);
    cpu.s.gpr[RCX] = 0xffef;
    CHECK_FALSE(attempt(bt_mem_reg(Op::BTC, 2, RCX)));
    CHECK(rd(0x0ffffc, 2) == 0x8000);
    // 64-bit: a huge positive offset reaches 0x100000 + 2^30 bytes, far
    // outside RAM and the mapping: #PF at that address.
    cpu.s.gpr[RCX] = 1ull << 33;
    auto f = attempt(bt_mem_reg(Op::BT, 8, RCX));
    REQUIRE(f);
    CHECK(f->vector == kVecPF);
    CHECK(cpu.s.cr2 == 0x100000 + (1ull << 30));
}

TEST_CASE_FIXTURE(SysFixture, "BT with an immediate offset stays inside the operand (modulo its width)") {
    long64();
    cpu.s.gpr[RBX] = 0x100000;
    wr(0x100000, 0x8, 4);
    DecodedInsn d = mk(Op::BTR, 4, {memop(4), imm(1)});
    at(d, RBX);
    d.imm = 35;  // bit 3
    CHECK_FALSE(attempt(d));
    CHECK(cpu.cf());
    CHECK(rd(0x100000, 4) == 0);
    CHECK(rd(0x100004, 4) == 0);
}

TEST_CASE_FIXTURE(SysFixture, "LOCK BTS/ADD/XADD/CMPXCHG/XCHG on memory") {
    long64();
    cpu.s.gpr[RBX] = 0x100040;
    DecodedInsn bts = mk(Op::BTS, 8, {memop(8), imm(1)});
    at(bts, RBX);
    bts.imm = 63;
    bts.prefixes = kPrefixLock;
    CHECK_FALSE(attempt(bts));
    CHECK_FALSE(cpu.cf());
    CHECK_FALSE(attempt(bts));
    CHECK(cpu.cf());
    CHECK(rd(0x100040, 8) == 0x8000000000000000ull);

    DecodedInsn add = mk(Op::ADD, 8, {memop(8), gpr(RAX, 8)});
    at(add, RBX);
    add.prefixes = kPrefixLock;
    cpu.s.gpr[RAX] = 0x8000000000000000ull;
    CHECK_FALSE(attempt(add));
    CHECK(rd(0x100040, 8) == 0);
    CHECK(cpu.cf());
    CHECK(cpu.zf());
    CHECK(cpu.of());

    DecodedInsn xadd = mk(Op::XADD, 4, {memop(4), gpr(RCX, 4)});
    at(xadd, RBX);
    xadd.prefixes = kPrefixLock;
    wr(0x100040, 5, 4);
    cpu.s.gpr[RCX] = 0xffffffff00000003ull;
    CHECK_FALSE(attempt(xadd));
    CHECK(rd(0x100040, 4) == 8);
    CHECK(cpu.s.gpr[RCX] == 5);  // 32-bit register write zero-extends

    DecodedInsn cx = mk(Op::CMPXCHG, 2, {memop(2), gpr(RDX, 2)});
    at(cx, RBX);
    cx.prefixes = kPrefixLock;
    cpu.s.gpr[RAX] = 8;
    cpu.s.gpr[RDX] = 0x1234;
    CHECK_FALSE(attempt(cx));
    CHECK(cpu.zf());
    CHECK(rd(0x100040, 2) == 0x1234);
    CHECK_FALSE(attempt(cx));  // now AX (8) != 0x1234: AX gets the memory value
    CHECK_FALSE(cpu.zf());
    CHECK((cpu.s.gpr[RAX] & 0xffff) == 0x1234);

    // XCHG with memory is locked without a prefix; misaligned (split) too.
    DecodedInsn xchg = mk(Op::XCHG, 8, {memop(8), gpr(RSI, 8)});
    at(xchg, RBX, 3);
    wr(0x100043, 0x1111111111111111ull, 8);
    cpu.s.gpr[RSI] = 0x2222222222222222ull;
    CHECK_FALSE(attempt(xchg));
    CHECK(rd(0x100043, 8) == 0x2222222222222222ull);
    CHECK(cpu.s.gpr[RSI] == 0x1111111111111111ull);
}

TEST_CASE_FIXTURE(SysFixture, "CMPXCHG16B: #GP(0) when misaligned; compare and exchange when aligned") {
    long64();
    cpu.s.gpr[RBX] = 0x100008;
    DecodedInsn d = mk(Op::CMPXCHG16B, 8, {memop(16)});
    at(d, RDI);
    cpu.s.gpr[RDI] = 0x100008;
    auto f = attempt(d);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(f->error == 0);
    cpu.s.gpr[RDI] = 0x100010;
    wr(0x100010, 1, 8);
    wr(0x100018, 2, 8);
    cpu.s.gpr[RAX] = 1;
    cpu.s.gpr[RDX] = 2;
    cpu.s.gpr[RBX] = 0xaaaa;
    cpu.s.gpr[RCX] = 0xbbbb;
    CHECK_FALSE(attempt(d));
    CHECK(cpu.zf());
    CHECK(rd(0x100010, 8) == 0xaaaa);
    CHECK(rd(0x100018, 8) == 0xbbbb);
    CHECK_FALSE(attempt(d));
    CHECK_FALSE(cpu.zf());
    CHECK(cpu.s.gpr[RAX] == 0xaaaa);
    CHECK(cpu.s.gpr[RDX] == 0xbbbb);
}
