// Arithmetic the 64-bit difftest cannot run: the BCD adjustments (legacy
// modes only), and divide errors.
#include "cpu/interp/flags.h"
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

TEST_CASE_FIXTURE(SysFixture, "lazy flags: the CF and condition fast paths agree with materialized RFLAGS") {
    uint64_t x = 0x9e3779b97f4a7c15ull;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    const uint64_t edges[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
                              0xffffffff, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull};
    for (int i = 0; i < 20000; ++i) {
        const unsigned size = 1u << (next() & 3);
        const uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
        const uint64_t a = (next() & 1 ? edges[next() % 14] : next()) & m;
        const uint64_t b = (next() & 1 ? edges[next() % 14] : next()) & m;
        const uint64_t cin = next() & 1;
        struct Case { uint8_t op; uint64_t r, a, b; } cases[] = {
            {kFlagsAdd, (a + b) & m, a, b}, {kFlagsAdc, (a + b + cin) & m, a, b},
            {kFlagsSub, (a - b) & m, a, b}, {kFlagsSbb, (a - b - cin) & m, a, b},
            {kFlagsLogic, a & b, a, b},     {kFlagsInc, (a + 1) & m, a, cin},
        };
        for (const Case& c : cases) {
            for (unsigned cc = 0; cc < 16; ++cc) {
                cpu.set_lazy(c.op, size, c.r, c.a, c.b);
                const bool fast = cpu.cond(cc);
                const bool fast_cf = (cpu.set_lazy(c.op, size, c.r, c.a, c.b), cpu.cf());
                cpu.set_lazy(c.op, size, c.r, c.a, c.b);
                const uint64_t f = cpu.rflags();
                REQUIRE(fast == cpu.cond(cc));
                REQUIRE(fast_cf == ((f & kCF) != 0));
            }
        }
    }
}
