// Near control transfers: canonical and CS-limit checks before anything is
// committed, operand-size truncation, LOOP's counter by address size.
#include "tests/unit/cpu/integer_insn.h"

using namespace petrel;
using namespace petrel::test;

TEST_CASE_FIXTURE(SysFixture, "64-bit: a non-canonical branch target is #GP(0) before CALL pushes") {
    long64();
    cpu.s.gpr[RSP] = 0x9000;
    cpu.s.gpr[RAX] = 0x0000800000000000ull;
    const uint64_t rip = cpu.s.rip;
    auto f = attempt(mk(Op::CALL, 8, {gpr(RAX, 8)}));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(f->error == 0);
    CHECK(cpu.s.gpr[RSP] == 0x9000);
    CHECK(cpu.s.rip == rip);
    cpu.s.gpr[RAX] = 0x5000;
    CHECK_FALSE(attempt(mk(Op::CALL, 8, {gpr(RAX, 8)})));
    CHECK(cpu.s.rip == 0x5000);
    CHECK(rd(0x8ff8, 8) == rip + 3);
    DecodedInsn ret = mk(Op::RET, 8, {imm(2)});
    ret.imm = 0x10;
    CHECK_FALSE(attempt(ret));
    CHECK(cpu.s.rip == rip + 3);
    CHECK(cpu.s.gpr[RSP] == 0x9000 + 0x10);
}

TEST_CASE_FIXTURE(SysFixture, "32-bit: a target beyond the CS limit is #GP(0); 16-bit operand size truncates") {
    protected32();
    cpu.s.seg[CS].limit = 0xffff;
    DecodedInsn j = mk(Op::JMP, 4, {rel()}, 4);
    j.imm = 0x20000;
    auto f = attempt(j);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    cpu.s.rip = 0xfff0;
    DecodedInsn j16 = mk(Op::JMP, 2, {rel()}, 4);
    j16.imm = 0x20;  // 0xfff3 + 0x20 wraps to 0x13
    CHECK_FALSE(attempt(j16));
    CHECK(cpu.s.rip == 0x13);
}

TEST_CASE_FIXTURE(SysFixture, "LOOP with a 16-bit address size counts in CX; JCXZ/JECXZ test the same width") {
    protected32();
    cpu.s.gpr[RCX] = 0x10000;  // CX = 0: LOOP makes it 0xffff and branches
    const uint64_t rip = cpu.s.rip;
    DecodedInsn loop = mk(Op::LOOP, 4, {rel()}, 2);
    loop.imm = static_cast<uint64_t>(-16);
    CHECK_FALSE(attempt(loop));
    CHECK(cpu.s.gpr[RCX] == 0x1ffff);
    CHECK(cpu.s.rip == rip + 3 - 16);
    cpu.s.gpr[RCX] = 0x10000;
    cpu.s.rip = rip;
    DecodedInsn jcxz = mk(Op::JCXZ, 4, {rel()}, 2);
    jcxz.imm = 0x40;
    CHECK_FALSE(attempt(jcxz));
    CHECK(cpu.s.rip == rip + 3 + 0x40);
    cpu.s.rip = rip;
    DecodedInsn jecxz = mk(Op::JCXZ, 4, {rel()}, 4);
    jecxz.imm = 0x40;
    CHECK_FALSE(attempt(jecxz));
    CHECK(cpu.s.rip == rip + 3);
}

TEST_CASE_FIXTURE(SysFixture, "Jcc follows the condition codes") {
    long64();
    const uint64_t rip = cpu.s.rip;
    cpu.set_rflags(2 | kZF);
    DecodedInsn jz = mk(Op::JCC, 8, {rel()});
    jz.cond = 4;  // Z
    jz.imm = 0x100;
    CHECK_FALSE(attempt(jz));
    CHECK(cpu.s.rip == rip + 3 + 0x100);
    cpu.s.rip = rip;
    jz.cond = 5;  // NZ
    CHECK_FALSE(attempt(jz));
    CHECK(cpu.s.rip == rip + 3);
}
