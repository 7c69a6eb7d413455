// Arithmetic the 64-bit difftest cannot run: the BCD adjustments (legacy
// modes only), and divide errors.
#include "tests/unit/cpu/integer_insn.h"

using namespace petrel;
using namespace petrel::test;

TEST_CASE_FIXTURE(SysFixture, "DAA/DAS/AAA/AAS/AAM/AAD (SDM examples)") {
    protected32();
    cpu.s.gpr[RAX] = 0x79;
    cpu.s.gpr[RBX] = 0x35;
    CHECK_FALSE(attempt(mk(Op::ADD, 1, {gpr(RAX, 1), gpr(RBX, 1)}, 4)));
    CHECK_FALSE(attempt(mk(Op::DAA, 1, {}, 4)));
    CHECK((cpu.s.gpr[RAX] & 0xff) == 0x14);
    CHECK(cpu.cf());

    cpu.s.gpr[RAX] = 0x35;
    cpu.s.gpr[RBX] = 0x47;
    CHECK_FALSE(attempt(mk(Op::SUB, 1, {gpr(RAX, 1), gpr(RBX, 1)}, 4)));
    CHECK_FALSE(attempt(mk(Op::DAS, 1, {}, 4)));
    CHECK((cpu.s.gpr[RAX] & 0xff) == 0x88);
    CHECK(cpu.cf());

    cpu.s.gpr[RAX] = 0x06;
    cpu.s.gpr[RBX] = 0x05;
    CHECK_FALSE(attempt(mk(Op::ADD, 1, {gpr(RAX, 1), gpr(RBX, 1)}, 4)));
    CHECK_FALSE(attempt(mk(Op::AAA, 1, {}, 4)));
    CHECK((cpu.s.gpr[RAX] & 0xffff) == 0x0101);
    CHECK(cpu.cf());
    CHECK(cpu.af());

    cpu.s.gpr[RAX] = 0x0203;  // 2 | 3 unpacked, minus 5
    cpu.s.gpr[RBX] = 0x05;
    CHECK_FALSE(attempt(mk(Op::SUB, 1, {gpr(RAX, 1), gpr(RBX, 1)}, 4)));
    CHECK_FALSE(attempt(mk(Op::AAS, 1, {}, 4)));
    CHECK((cpu.s.gpr[RAX] & 0xffff) == 0x0108);  // 18
    CHECK(cpu.cf());

    cpu.s.gpr[RAX] = 0x3f;
    DecodedInsn aam = mk(Op::AAM, 1, {imm(1)}, 4);
    aam.imm = 10;
    CHECK_FALSE(attempt(aam));
    CHECK((cpu.s.gpr[RAX] & 0xffff) == 0x0603);
    DecodedInsn aad = mk(Op::AAD, 1, {imm(1)}, 4);
    aad.imm = 10;
    CHECK_FALSE(attempt(aad));
    CHECK((cpu.s.gpr[RAX] & 0xffff) == 0x003f);
    aam.imm = 0;
    auto f = attempt(aam);
    REQUIRE(f);
    CHECK(f->vector == kVecDE);
}

TEST_CASE_FIXTURE(SysFixture, "DIV/IDIV: #DE on zero and on a quotient that does not fit, state untouched") {
    long64();
    cpu.s.gpr[RDX] = 1;
    cpu.s.gpr[RAX] = 0;
    cpu.s.gpr[RCX] = 1;  // 2^64 / 1 does not fit
    auto f = attempt(mk(Op::DIV, 8, {gpr(RCX, 8)}));
    REQUIRE(f);
    CHECK(f->vector == kVecDE);
    CHECK(cpu.s.gpr[RAX] == 0);
    CHECK(cpu.s.gpr[RDX] == 1);
    // INT64_MIN / -1.
    cpu.s.gpr[RDX] = ~0ull;
    cpu.s.gpr[RAX] = 0x8000000000000000ull;
    cpu.s.gpr[RCX] = ~0ull;
    f = attempt(mk(Op::IDIV, 8, {gpr(RCX, 8)}));
    REQUIRE(f);
    CHECK(f->vector == kVecDE);
    // -7 / 2 = -3 remainder -1 (truncation towards zero).
    cpu.s.gpr[RAX] = static_cast<uint64_t>(-7);
    cpu.s.gpr[RDX] = ~0ull;
    cpu.s.gpr[RCX] = 2;
    CHECK_FALSE(attempt(mk(Op::IDIV, 8, {gpr(RCX, 8)})));
    CHECK(cpu.s.gpr[RAX] == static_cast<uint64_t>(-3));
    CHECK(cpu.s.gpr[RDX] == static_cast<uint64_t>(-1));
}
