// PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM: each aggregation, polarity and
// output selection on small strings whose answers follow from the SDM's
// definitions (vol. 1 12.1, vol. 2 "PCMPxSTRx"), and the length rules of
// the explicit forms. The native difftest covers random inputs.
#include <cstring>

#include "tests/unit/cpu/sse_insn.h"

using namespace petrel;
using namespace petrel::test;

namespace {

// A string's bytes in an XMM register, zero-padded (the implicit end).
XmmReg str(const char* s) {
    XmmReg v{};
    memcpy(v.q, s, strnlen(s, 16));
    return v;
}

XmmReg words(std::initializer_list<uint16_t> w) {
    XmmReg v{};
    unsigned i = 0;
    for (uint16_t x : w) {
        v.q[i / 4] |= uint64_t{x} << (16 * (i % 4));
        ++i;
    }
    return v;
}

constexpr uint8_t kEqualAny = 0x00, kRanges = 0x04, kEqualEach = 0x08, kEqualOrdered = 0x0c;
constexpr uint8_t kNegative = 0x10, kMaskedNegative = 0x30, kMsb = 0x40, kWords = 0x01;

struct StrFixture : SysFixture {
    StrFixture() {
        long64();
        cpu.s.cr4 |= kCR4_OSFXSR;
    }
    // Runs op xmm1, xmm2, imm8 and returns ECX (the index forms).
    uint64_t index(Op op, const XmmReg& a, const XmmReg& b, uint8_t ib) {
        cpu.s.xmm[1] = a;
        cpu.s.xmm[2] = b;
        cpu.s.gpr[RCX] = ~0ull;
        REQUIRE_FALSE(attempt(sse_rri(op, 1, 2, ib)));
        return cpu.s.gpr[RCX];
    }
    XmmReg mask(Op op, const XmmReg& a, const XmmReg& b, uint8_t ib) {
        cpu.s.xmm[1] = a;
        cpu.s.xmm[2] = b;
        REQUIRE_FALSE(attempt(sse_rri(op, 1, 2, ib)));
        return cpu.s.xmm[0];
    }
    // CF ZF SF OF as a string, AF and PF must be clear.
    std::string flags() {
        CHECK_FALSE(cpu.af());
        CHECK_FALSE(cpu.pf());
        std::string s;
        if (cpu.cf()) s += "C";
        if (cpu.zf()) s += "Z";
        if (cpu.sf()) s += "S";
        if (cpu.of()) s += "O";
        return s;
    }
};

}  // namespace

TEST_CASE_FIXTURE(StrFixture, "PCMPISTRI equal any: the first (or last) of B's characters found in set A") {
    CHECK(index(Op::PCMPISTRI, str("aeiou"), str("hello"), kEqualAny) == 1);          // 'e'
    CHECK(flags() == "CZS");
    CHECK(index(Op::PCMPISTRI, str("aeiou"), str("hello"), kEqualAny | kMsb) == 4);   // 'o'
    CHECK(index(Op::PCMPISTRI, str("aeiou"), str("rhythm"), kEqualAny) == 16);        // none: 16
    CHECK(flags() == "ZS");
    // A's end is a null, so a null in B past B's end never matches.
    CHECK(index(Op::PCMPISTRI, str("xyz"), str("abc"), kEqualAny) == 16);
}

TEST_CASE_FIXTURE(StrFixture, "PCMPISTRI ranges, with the three other polarities") {
    const XmmReg letters = str("azAZ");
    CHECK(index(Op::PCMPISTRI, letters, str("12aB"), kRanges) == 2);
    CHECK(index(Op::PCMPISTRI, letters, str("ab1"), kRanges | kNegative) == 2);
    // Negative inverts all 16 bits (the last is 15); masked negative only B's 3.
    CHECK(index(Op::PCMPISTRI, letters, str("ab1"), kRanges | kNegative | kMsb) == 15);
    CHECK(index(Op::PCMPISTRI, letters, str("ab1"), kRanges | kMaskedNegative | kMsb) == 2);
    // An odd-length A leaves its last bound unpaired: ignored.
    CHECK(index(Op::PCMPISTRI, str("azA"), str("B"), kRanges) == 16);
    // Bounds 0x80, 0x10: signed [-128, 16] holds 0xff (-1); unsigned
    // [128, 16] is empty.
    const XmmReg bounds{{0x1080, 0}};
    CHECK(index(Op::PCMPISTRI, bounds, XmmReg{{0x01ff, 0}}, kRanges | 0x02) == 0);
    CHECK(index(Op::PCMPISTRI, bounds, XmmReg{{0x01ff, 0}}, kRanges) == 16);
}

TEST_CASE_FIXTURE(StrFixture, "PCMPISTRI equal each: strcmp, past both ends counts as equal") {
    CHECK(index(Op::PCMPISTRI, str("abcd"), str("abxd"), kEqualEach | kNegative) == 2);
    CHECK(flags() == "CZS");
    CHECK(index(Op::PCMPISTRI, str("abcd"), str("abcd"), kEqualEach | kNegative) == 16);
    CHECK(flags() == "ZS");
    // One string longer: its extra element is compared with an invalid one: unequal.
    CHECK(index(Op::PCMPISTRI, str("abc"), str("abcd"), kEqualEach | kNegative) == 3);
}

TEST_CASE_FIXTURE(StrFixture, "PCMPISTRI equal ordered: substring search, partial match at the register's end") {
    CHECK(index(Op::PCMPISTRI, str("wor"), str("hello world"), kEqualOrdered) == 6);
    CHECK(flags() == "CZS");
    // B fills the register (no null, ZF clear); "ab" starts at its last byte.
    CHECK(index(Op::PCMPISTRI, str("ab"), str("xxxxxxxxxxxxxxxa"), kEqualOrdered) == 15);
    CHECK(flags() == "CS");
    // An empty A matches everywhere: bit 0 set gives OF.
    CHECK(index(Op::PCMPISTRI, XmmReg{}, str("abc"), kEqualOrdered) == 0);
    CHECK(flags() == "CZSO");
}

TEST_CASE_FIXTURE(StrFixture, "PCMPISTRM: bit mask or byte mask in XMM0") {
    XmmReg m = mask(Op::PCMPISTRM, str("lo"), str("hello"), kEqualAny);
    CHECK(m.q[0] == 0x1c);
    CHECK(m.q[1] == 0);
    m = mask(Op::PCMPISTRM, str("lo"), str("hello"), kEqualAny | kMsb);
    CHECK(m.q[0] == 0x000000ffffff0000ull);
    CHECK(m.q[1] == 0);
}

TEST_CASE_FIXTURE(StrFixture, "PCMPESTRM words: lengths are |EAX| and |EDX| saturated to 8") {
    cpu.s.gpr[RAX] = 2;                       // A = {1, 2}
    cpu.s.gpr[RDX] = static_cast<uint64_t>(-3);  // |EDX| = 3: B = {2, 5, 1}
    XmmReg m = mask(Op::PCMPESTRM, words({1, 2, 3, 4}), words({2, 5, 1, 1}), kEqualAny | kWords | kMsb);
    CHECK(m.q[0] == 0x0000ffff0000ffffull);
    CHECK(m.q[1] == 0);
    CHECK(flags() == "CZSO");
    // Lengths above 8 (and the most negative value) saturate: ZF and SF clear.
    cpu.s.gpr[RAX] = 0x80000000u;
    cpu.s.gpr[RDX] = 9;
    mask(Op::PCMPESTRM, words({1}), words({1}), kEqualEach | kWords);
    CHECK(cpu.s.xmm[0].q[0] == 0xff);  // all 8 pairs equal (zeros included: the lengths are explicit)
    CHECK(flags() == "CO");
}

TEST_CASE_FIXTURE(StrFixture, "PCMPESTRI: 32-bit lengths, or 64-bit with REX.W") {
    cpu.s.gpr[RAX] = 0x100000000ull;  // EAX = 0: A is empty
    cpu.s.gpr[RDX] = 16;
    CHECK(index(Op::PCMPESTRI, str("a"), str("a"), kEqualAny) == 16);
    CHECK(flags() == "S");
    DecodedInsn d = sse_rri(Op::PCMPESTRI, 1, 2, kEqualAny);
    d.prefixes |= kPrefixRex | kPrefixRexW;  // RAX = 2^32 saturates to 16
    REQUIRE_FALSE(attempt(d));
    CHECK(cpu.s.gpr[RCX] == 0);
    CHECK(flags() == "CO");
    // ECX is written as a 32-bit register: RCX's upper half is cleared.
    CHECK((cpu.s.gpr[RCX] >> 32) == 0);
}

TEST_CASE_FIXTURE(StrFixture, "PCMPxSTRx: an unaligned m128 is allowed") {
    DecodedInsn d = mk(Op::PCMPISTRI, 4, {xmm(1), memop(16), imm(1)});
    at(d, RBX);
    d.imm = kEqualAny;
    cpu.s.gpr[RBX] = 0x100003;
    for (unsigned i = 0; i < 16; ++i) wr(0x100003 + i, 'a' + i, 1);
    cpu.s.xmm[1] = str("d");
    REQUIRE_FALSE(attempt(d));
    CHECK(cpu.s.gpr[RCX] == 3);
}
