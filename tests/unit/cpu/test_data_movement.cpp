// Data movement: stack instructions that must leave RSP alone on a fault,
// ENTER's nested frames, PUSH/POP of segment registers, LSS, POPF at CPL 3.
#include "tests/unit/cpu/integer_insn.h"

using namespace petrel;
using namespace petrel::test;

TEST_CASE_FIXTURE(SysFixture, "POP to memory: address computed with the new RSP; a fault leaves RSP unchanged") {
    long64();
    cpu.s.gpr[RSP] = 0x9000;
    wr(0x9000, 0x1122334455667788ull, 8);
    DecodedInsn d = mk(Op::POP, 8, {memop(8)});
    at(d, RSP, 8);  // [rsp + 8] with the incremented RSP: 0x9010
    CHECK_FALSE(attempt(d));
    CHECK(cpu.s.gpr[RSP] == 0x9008);
    CHECK(rd(0x9010, 8) == 0x1122334455667788ull);
    // Destination unmapped (beyond 16 MiB): #PF, RSP as before.
    DecodedInsn bad = mk(Op::POP, 8, {memop(8)});
    at(bad, kNoReg, 0x4000000);
    cpu.s.gpr[RSP] = 0x9000;
    auto f = attempt(bad);
    REQUIRE(f);
    CHECK(f->vector == kVecPF);
    CHECK(cpu.s.gpr[RSP] == 0x9000);
}

TEST_CASE_FIXTURE(SysFixture, "PUSH onto an unmapped stack faults without moving RSP") {
    long64();
    cpu.s.gpr[RSP] = 0x4000008;
    auto f = attempt(mk(Op::PUSH, 8, {gpr(RAX, 8)}));
    REQUIRE(f);
    CHECK(f->vector == kVecPF);
    CHECK(cpu.s.gpr[RSP] == 0x4000008);
}

TEST_CASE_FIXTURE(SysFixture, "ENTER with nesting level 3 copies two frame pointers and pushes the new one") {
    long64();
    cpu.s.gpr[RSP] = 0x9000;
    cpu.s.gpr[RBP] = 0x9800;
    wr(0x97f8, 0xaaaa, 8);
    wr(0x97f0, 0xbbbb, 8);
    DecodedInsn d = mk(Op::ENTER, 8, {imm(2), imm(1)});
    d.imm = 0x20;
    d.imm2 = 3;
    CHECK_FALSE(attempt(d));
    CHECK(rd(0x8ff8, 8) == 0x9800);  // old RBP
    CHECK(rd(0x8ff0, 8) == 0xaaaa);
    CHECK(rd(0x8fe8, 8) == 0xbbbb);
    CHECK(rd(0x8fe0, 8) == 0x8ff8);  // the new frame pointer
    CHECK(cpu.s.gpr[RBP] == 0x8ff8);
    CHECK(cpu.s.gpr[RSP] == 0x8fe0 - 0x20);
    CHECK_FALSE(attempt(mk(Op::LEAVE, 8, {})));
    CHECK(cpu.s.gpr[RSP] == 0x9000);
    CHECK(cpu.s.gpr[RBP] == 0x9800);
}

TEST_CASE_FIXTURE(SysFixture, "PUSH/POP segment registers and LSS in protected mode") {
    protected32();
    cpu.s.gpr[RSP] = 0x9000;
    CHECK_FALSE(attempt(mk(Op::PUSH, 4, {Operand{OpKind::Seg, 2, DS}})));
    CHECK(cpu.s.gpr[RSP] == 0x8ffc);
    CHECK(rd(0x8ffc, 2) == 0x10);
    wr(0x8ffc, 0x20, 4);  // the ring-3 data selector: DPL 3 > CPL 0 is fine for data
    CHECK_FALSE(attempt(mk(Op::POP, 4, {Operand{OpKind::Seg, 2, ES}})));
    CHECK(cpu.s.seg[ES].selector == 0x20);
    CHECK(cpu.s.gpr[RSP] == 0x9000);
    // A bad selector: #GP with the selector, RSP unchanged.
    cpu.s.gpr[RSP] = 0x8ffc;
    wr(0x8ffc, 0x1f8, 4);
    auto f = attempt(mk(Op::POP, 4, {Operand{OpKind::Seg, 2, DS}}));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(cpu.s.gpr[RSP] == 0x8ffc);
    // LSS esp, [0x7000]: offset then selector.
    wr(0x7000, 0x6000, 4);
    wr(0x7004, 0x10, 2);
    DecodedInsn lss = mk(Op::LSS, 4, {gpr(RSP, 4), memop(6)}, 4);
    at(lss, kNoReg, 0x7000);
    CHECK_FALSE(attempt(lss));
    CHECK(cpu.s.gpr[RSP] == 0x6000);
    CHECK(cpu.s.seg[SS].selector == 0x10);
}

TEST_CASE_FIXTURE(SysFixture, "POPF at CPL 3 keeps IOPL and IF; PUSHF hides RF and VM") {
    protected32();
    to_cpl3_32();
    cpu.s.rflags = 2 | kIF;
    cpu.s.gpr[RSP] = 0x8000;
    wr(0x7ffc, 0x3000 | kCF | kDF | kAC, 4);  // IOPL 3, IF clear
    cpu.s.gpr[RSP] = 0x7ffc;
    CHECK_FALSE(attempt(mk(Op::POPF, 4, {})));
    CHECK(cpu.s.gpr[RSP] == 0x8000);
    const uint64_t f = cpu.rflags();
    CHECK((f & kIOPL) == 0);
    CHECK((f & kIF) != 0);
    CHECK((f & kCF) != 0);
    CHECK((f & kDF) != 0);
    CHECK((f & kAC) != 0);
    cpu.s.rflags |= kRF;
    CHECK_FALSE(attempt(mk(Op::PUSHF, 4, {})));
    CHECK((rd(0x7ffc, 4) & kRF) == 0);
}

TEST_CASE_FIXTURE(SysFixture, "PUSHA/POPA in 32-bit mode: the pushed ESP is the original, POPA skips it") {
    protected32();
    for (unsigned r = 0; r < 8; ++r) cpu.s.gpr[r] = 0x100 + r;
    cpu.s.gpr[RSP] = 0x9000;
    CHECK_FALSE(attempt(mk(Op::PUSHA, 4, {})));
    CHECK(cpu.s.gpr[RSP] == 0x9000 - 32);
    CHECK(rd(0x9000 - 4, 4) == 0x100);       // EAX first
    CHECK(rd(0x9000 - 20, 4) == 0x9000);     // ESP as it was
    CHECK(rd(0x9000 - 32, 4) == 0x107);      // EDI last
    for (unsigned r = 0; r < 8; ++r)
        if (r != RSP) cpu.s.gpr[r] = 0;
    CHECK_FALSE(attempt(mk(Op::POPA, 4, {})));
    CHECK(cpu.s.gpr[RSP] == 0x9000);
    CHECK(cpu.s.gpr[RAX] == 0x100);
    CHECK(cpu.s.gpr[RDI] == 0x107);
}
