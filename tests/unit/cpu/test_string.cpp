// String instructions: REP restarts across a page fault, chunked long REPs,
// address-size wrap of SI/DI, REPE/REPNE termination, source overrides.
#include "tests/unit/cpu/integer_insn.h"

using namespace petrel;
using namespace petrel::test;

namespace {
DecodedInsn string_insn(Op op, unsigned size, uint16_t prefixes, unsigned addrsize = 8) {
    DecodedInsn d = mk(op, size, {}, addrsize);
    d.prefixes = prefixes;
    d.length = 2;
    return d;
}
}  // namespace

TEST_CASE_FIXTURE(SysFixture, "REP MOVSB: a #PF mid-string leaves registers at the faulting iteration, and it resumes") {
    long64();
    // Unmap 4-6 MiB (the PDE of a 2 MiB page).
    const uint64_t pde2 = kPml4 + 0x2000 + 2 * 8;
    const uint64_t saved = rd(pde2, 8);
    wr(pde2, 0, 8);
    cpu.tlb_flush_all();
    for (unsigned i = 0; i < 32; ++i) wr(0x3ffff0 + i, 0xa0 + i, 1);
    cpu.s.gpr[RSI] = 0x3ffff0;
    cpu.s.gpr[RDI] = 0x100000;
    cpu.s.gpr[RCX] = 32;
    const uint64_t rip = cpu.s.rip;
    auto f = attempt(string_insn(Op::MOVS, 1, kPrefixRep));
    REQUIRE(f);
    CHECK(f->vector == kVecPF);
    CHECK(cpu.s.cr2 == 0x400000);
    CHECK(cpu.s.rip == rip);
    CHECK(cpu.s.gpr[RCX] == 16);
    CHECK(cpu.s.gpr[RSI] == 0x400000);
    CHECK(cpu.s.gpr[RDI] == 0x100010);
    CHECK(rd(0x10000f, 1) == 0xaf);
    // The "page-fault handler" maps the page; the instruction restarts where it stopped.
    wr(pde2, saved, 8);
    cpu.tlb_flush_all();
    wr(0x400000, 0x55, 1);
    CHECK_FALSE(attempt(string_insn(Op::MOVS, 1, kPrefixRep)));
    CHECK(cpu.s.gpr[RCX] == 0);
    CHECK(cpu.s.gpr[RSI] == 0x400010);
    CHECK(cpu.s.rip == rip + 2);
    CHECK(rd(0x100010, 1) == 0x55);
}

TEST_CASE_FIXTURE(SysFixture, "a long REP STOS runs in chunks, staying on the instruction between them") {
    long64();
    cpu.s.gpr[RAX] = 0x7e;
    cpu.s.gpr[RDI] = 0x200000;
    cpu.s.gpr[RCX] = 5000;
    const uint64_t rip = cpu.s.rip;
    CHECK_FALSE(attempt(string_insn(Op::STOS, 1, kPrefixRep)));
    CHECK(cpu.s.rip == rip);  // more to do: interrupts may be taken here
    CHECK(cpu.s.gpr[RCX] < 5000);
    CHECK(cpu.s.gpr[RCX] > 0);
    for (int i = 0; i < 10 && cpu.s.gpr[RCX]; ++i) attempt(string_insn(Op::STOS, 1, kPrefixRep));
    CHECK(cpu.s.gpr[RCX] == 0);
    CHECK(cpu.s.rip == rip + 2);
    CHECK(cpu.s.gpr[RDI] == 0x200000 + 5000);
    CHECK(rd(0x200000 + 4999, 1) == 0x7e);
    CHECK(rd(0x200000 + 5000, 1) == 0);
}

TEST_CASE_FIXTURE(SysFixture, "16-bit address size: SI and DI wrap at 64 KiB, the upper halves stay") {
    protected32();
    cpu.s.gpr[RSI] = 0x1234ffff;
    cpu.s.gpr[RDI] = 0xabcd0000;
    cpu.s.rflags |= kDF;  // DI goes down from 0: wraps to 0xffff
    wr(0xffff, 0x42, 1);
    CHECK_FALSE(attempt(string_insn(Op::MOVS, 1, 0, 2)));
    CHECK(cpu.s.gpr[RSI] == 0x1234fffe);
    CHECK(cpu.s.gpr[RDI] == 0xabcdffff);
    CHECK(rd(0x0, 1) == 0x42);
    cpu.s.rflags &= ~kDF;
    cpu.s.gpr[RSI] = 0x1234ffff;
    CHECK_FALSE(attempt(string_insn(Op::LODS, 2, 0, 2)));
    CHECK(cpu.s.gpr[RSI] == 0x12340001);
}

TEST_CASE_FIXTURE(SysFixture, "32-bit address size in 64-bit mode: ESI/EDI updates zero-extend") {
    long64();
    cpu.s.gpr[RDI] = 0xffffffff00000000ull;  // EDI = 0
    cpu.s.gpr[RAX] = 0x99;
    cpu.s.rflags |= kDF;
    CHECK_FALSE(attempt(string_insn(Op::STOS, 1, 0, 4)));
    CHECK(rd(0, 1) == 0x99);
    CHECK(cpu.s.gpr[RDI] == 0xffffffffull);
}

TEST_CASE_FIXTURE(SysFixture, "REPE CMPS stops at the first difference; REPNE SCAS at the first match") {
    long64();
    const char a[] = "abcdefgh", b[] = "abcdXfgh";
    for (int i = 0; i < 8; ++i) {
        wr(0x100000 + i, static_cast<uint8_t>(a[i]), 1);
        wr(0x100100 + i, static_cast<uint8_t>(b[i]), 1);
    }
    cpu.s.gpr[RSI] = 0x100000;
    cpu.s.gpr[RDI] = 0x100100;
    cpu.s.gpr[RCX] = 8;
    CHECK_FALSE(attempt(string_insn(Op::CMPS, 1, kPrefixRep)));
    CHECK(cpu.s.gpr[RCX] == 3);
    CHECK(cpu.s.gpr[RSI] == 0x100005);
    CHECK_FALSE(cpu.zf());
    CHECK_FALSE(cpu.cf());  // 'e' > 'X'
    cpu.s.gpr[RDI] = 0x100000;
    cpu.s.gpr[RCX] = 8;
    cpu.s.gpr[RAX] = 'f';
    CHECK_FALSE(attempt(string_insn(Op::SCAS, 1, kPrefixRepne)));
    CHECK(cpu.zf());
    CHECK(cpu.s.gpr[RCX] == 2);
    CHECK(cpu.s.gpr[RDI] == 0x100006);
    // REP with a zero count does nothing, not even the flags.
    cpu.s.gpr[RCX] = 0;
    cpu.s.gpr[RAX] = 0;
    CHECK_FALSE(attempt(string_insn(Op::SCAS, 1, kPrefixRepne)));
    CHECK(cpu.zf());
}

TEST_CASE_FIXTURE(SysFixture, "a segment override applies to the source only") {
    protected32();
    cpu.s.seg[FS].base = 0x10000;
    cpu.s.seg[ES].base = 0x20000;
    wr(0x10010, 0x5a, 1);
    cpu.s.gpr[RSI] = 0x10;
    cpu.s.gpr[RDI] = 0x20;
    DecodedInsn d = string_insn(Op::MOVS, 1, kPrefixSegment, 4);
    d.mem_seg = FS;
    CHECK_FALSE(attempt(d));
    CHECK(rd(0x20020, 1) == 0x5a);
}

TEST_CASE_FIXTURE(SysFixture, "with TF set a REP string runs one iteration per execution") {
    long64();
    cpu.s.gpr[RDI] = 0x200000;
    cpu.s.gpr[RCX] = 3;
    const uint64_t rip = cpu.s.rip;
    cpu.s.tf_at_start = true;  // as the run loop sets it when TF is on
    CHECK_FALSE(attempt(string_insn(Op::STOS, 1, kPrefixRep)));
    CHECK(cpu.s.gpr[RCX] == 2);
    CHECK(cpu.s.rip == rip);
    CHECK_FALSE(attempt(string_insn(Op::STOS, 1, kPrefixRep)));
    CHECK_FALSE(attempt(string_insn(Op::STOS, 1, kPrefixRep)));
    CHECK(cpu.s.gpr[RCX] == 0);
    CHECK(cpu.s.rip == rip + 2);
}

TEST_CASE_FIXTURE(SysFixture, "fast-string REP STOS/MOVS: address-size wrap, segment limit and overlap as the slow path") {
    protected32();
    // 16-bit addresses: DI wraps from 0xffff to 0 in the middle of the run.
    cpu.s.gpr[RDI] = 0xfff8;
    cpu.s.gpr[RCX] = 16;
    cpu.s.gpr[RAX] = 0xab;
    CHECK_FALSE(attempt(string_insn(Op::STOS, 1, kPrefixRep, 2)));
    CHECK(cpu.s.gpr[RCX] == 0);
    CHECK(cpu.s.gpr[RDI] == 0x0008);
    CHECK(rd(0xfff8, 1) == 0xab);
    CHECK(rd(0x0007, 1) == 0xab);
    CHECK(rd(0x10000, 1) == 0);
    // A word at offset 0xffff of a 4 GiB segment: its second byte is at
    // linear 0x10000 (only the offset wraps), then DI wraps to 1.
    cpu.s.gpr[RDI] = 0xfffb;
    cpu.s.gpr[RCX] = 4;
    CHECK_FALSE(attempt(string_insn(Op::STOS, 2, kPrefixRep, 2)));
    CHECK(cpu.s.gpr[RCX] == 0);
    CHECK(cpu.s.gpr[RDI] == 0x0003);
    CHECK(rd(0xffff, 1) == 0xab);
    CHECK(rd(0x10000, 1) == 0x00);
    CHECK(rd(0x0001, 2) == 0x00ab);
    // ES limit: the run stops at the limit with #GP, earlier elements done.
    cpu.s.seg[ES].limit = 0x2003;
    cpu.s.gpr[RDI] = 0x2000;
    cpu.s.gpr[RCX] = 8;
    auto f = attempt(string_insn(Op::STOS, 1, kPrefixRep, 4));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(cpu.s.gpr[RCX] == 4);
    CHECK(cpu.s.gpr[RDI] == 0x2004);
    cpu.s.seg[ES].limit = 0xffffffff;
    // Overlapping forward MOVSB replicates the first bytes (element semantics).
    for (unsigned i = 0; i < 4; ++i) wr(0x3000 + i, 1 + i, 1);
    cpu.s.gpr[RSI] = 0x3000;
    cpu.s.gpr[RDI] = 0x3002;
    cpu.s.gpr[RCX] = 6;
    CHECK_FALSE(attempt(string_insn(Op::MOVS, 1, kPrefixRep, 4)));
    const uint8_t expect[8] = {1, 2, 1, 2, 1, 2, 1, 2};
    for (unsigned i = 0; i < 8; ++i) CHECK(rd(0x3000 + i, 1) == expect[i]);
}
