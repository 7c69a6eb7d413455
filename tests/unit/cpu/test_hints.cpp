// The hint instructions (fences, PAUSE, prefetches and the reserved NOPs)
// never fault on their memory operand; CLFLUSH/CLFLUSHOPT check it like a
// byte read (SDM vol. 2 CLFLUSH: "subject to all permission checking and
// faults associated with a byte load").
#include "tests/unit/cpu/integer_insn.h"

using namespace petrel;
using namespace petrel::test;

namespace {

constexpr uint64_t kNonCanonical = 0x0000800000000000ull;
constexpr uint64_t kUnmapped = 0x2000000;  // above the fixture's 16 MiB mapping

DecodedInsn mem_form(Op op, uint8_t base, unsigned size = 1) {
    DecodedInsn d = mk(op, 4, {memop(size)});
    return at(d, base);
}

}  // namespace

TEST_CASE_FIXTURE(SysFixture, "fences and PAUSE retire without touching state") {
    long64();
    const CpuState before = cpu.s;
    for (Op op : {Op::LFENCE, Op::MFENCE, Op::SFENCE, Op::PAUSE}) CHECK_FALSE(attempt(mk(op, 4, {})));
    CHECK(memcmp(cpu.s.gpr, before.gpr, sizeof before.gpr) == 0);
    CHECK(cpu.rflags() == before.rflags);
}

TEST_CASE_FIXTURE(SysFixture, "PREFETCH: non-canonical and unmapped addresses do not fault") {
    long64();
    cpu.s.gpr[RBX] = kNonCanonical;
    CHECK_FALSE(attempt(mem_form(Op::PREFETCH, RBX)));
    cpu.s.gpr[RBX] = kUnmapped;
    CHECK_FALSE(attempt(mem_form(Op::PREFETCH, RBX)));
    // The register form of 0F 0D (PREFETCHW's row) is #UD, other reserved NOPs are not.
    DecodedInsn r = mk(Op::PREFETCH, 4, {gpr(RAX, 4), gpr(RCX, 4)});
    r.map = 1;
    r.opcode = 0x0d;
    auto f = attempt(r);
    REQUIRE(f);
    CHECK(f->vector == kVecUD);
    r.opcode = 0x18;
    CHECK_FALSE(attempt(r));
}

TEST_CASE_FIXTURE(SysFixture, "CLFLUSH/CLFLUSHOPT fault like a byte read") {
    long64();
    for (Op op : {Op::CLFLUSH, Op::CLFLUSHOPT}) {
        CAPTURE(static_cast<int>(op));
        cpu.s.gpr[RBX] = 0x100000;
        CHECK_FALSE(attempt(mem_form(op, RBX)));
        // Non-canonical: #GP(0), or #SS(0) through SS (an RBP/RSP base).
        cpu.s.gpr[RBX] = kNonCanonical;
        auto f = attempt(mem_form(op, RBX));
        REQUIRE(f);
        CHECK(f->vector == kVecGP);
        CHECK(f->error == 0);
        DecodedInsn ss = mem_form(op, RBP);
        ss.mem_seg = SS;
        cpu.s.gpr[RBP] = kNonCanonical;
        f = attempt(ss);
        REQUIRE(f);
        CHECK(f->vector == kVecSS);
        // Not present: #PF with a read's error code (user bit at CPL 3).
        cpu.s.gpr[RBX] = kUnmapped + 5;
        f = attempt(mem_form(op, RBX));
        REQUIRE(f);
        CHECK(f->vector == kVecPF);
        CHECK(f->error == 0);
        CHECK(cpu.s.cr2 == kUnmapped + 5);
        to_cpl3_64();
        f = attempt(mem_form(op, RBX));
        REQUIRE(f);
        CHECK(f->vector == kVecPF);
        CHECK(f->error == 4);
        long64();
    }
}
