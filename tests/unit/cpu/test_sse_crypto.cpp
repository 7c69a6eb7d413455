// AES-NI and PCLMULQDQ against published known answers: the examples of
// Intel's AES-NI white paper (Gueron, rev. 3.0) and carry-less multiplication
// white paper (Gueron & Kounavis, rev. 2.02), and FIPS-197 appendices A-C
// run as a whole cipher with the instructions the way the white paper does.
#include "tests/unit/cpu/sse_insn.h"

using namespace petrel;
using namespace petrel::test;

namespace {

struct SseFixture : SysFixture {
    SseFixture() {
        long64();
        cpu.s.cr4 |= kCR4_OSFXSR;
    }
    XmmReg& x(unsigned i) { return cpu.s.xmm[i]; }
    // dst = op(dst, src[, imm]) on xmm1, xmm2; returns xmm1.
    XmmReg run2(Op op, const XmmReg& a, const XmmReg& b) {
        x(1) = a;
        x(2) = b;
        REQUIRE_FALSE(attempt(sse_rr(op, 1, 2)));
        return x(1);
    }
    XmmReg run2i(Op op, const XmmReg& a, const XmmReg& b, uint8_t ib) {
        x(1) = a;
        x(2) = b;
        REQUIRE_FALSE(attempt(sse_rri(op, 1, 2, ib)));
        return x(1);
    }

    // AES-128 key schedule with AESKEYGENASSIST (white paper, figure
    // "AES-128 key expansion"): the new key is the running XOR of the old
    // key's dwords, each XORed with dword 3 of AESKEYGENASSIST.
    void expand128(const XmmReg& key, XmmReg rk[11]) {
        static constexpr uint8_t kRcon[10] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36};
        rk[0] = key;
        for (unsigned r = 1; r <= 10; ++r) {
            const XmmReg assist = run2i(Op::AESKEYGENASSIST, XmmReg{}, rk[r - 1], kRcon[r - 1]);
            const uint32_t t = static_cast<uint32_t>(assist.q[1] >> 32);
            uint32_t w[4], acc = t;
            for (unsigned i = 0; i < 4; ++i) {
                acc ^= static_cast<uint32_t>(rk[r - 1].q[i / 2] >> (32 * (i % 2)));
                w[i] = acc;
            }
            rk[r] = XmmReg{{w[0] | uint64_t{w[1]} << 32, w[2] | uint64_t{w[3]} << 32}};
        }
    }
    XmmReg encrypt128(const XmmReg& in, const XmmReg rk[11]) {
        XmmReg s{{in.q[0] ^ rk[0].q[0], in.q[1] ^ rk[0].q[1]}};
        for (unsigned r = 1; r < 10; ++r) s = run2(Op::AESENC, s, rk[r]);
        return run2(Op::AESENCLAST, s, rk[10]);
    }
    // The equivalent inverse cipher: round keys 9..1 through AESIMC.
    XmmReg decrypt128(const XmmReg& in, const XmmReg rk[11]) {
        XmmReg s{{in.q[0] ^ rk[10].q[0], in.q[1] ^ rk[10].q[1]}};
        for (unsigned r = 9; r >= 1; --r) s = run2(Op::AESDEC, s, run2(Op::AESIMC, XmmReg{}, rk[r]));
        return run2(Op::AESDECLAST, s, rk[0]);
    }
};

}  // namespace

TEST_CASE_FIXTURE(SseFixture, "AES-NI white paper examples: one round of each instruction") {
    const XmmReg state = x128("7b5b54657374566563746f725d53475d");
    const XmmReg key = x128("48692853686179295b477565726f6e5d");
    CHECK(same(run2(Op::AESENC, state, key), x128("a8311c2f9fdba3c58b104b58ded7e595")));
    CHECK(same(run2(Op::AESENCLAST, state, key), x128("c7fb881e938c5964177ec42553fdc611")));
    CHECK(same(run2(Op::AESDEC, state, key), x128("138ac342faea2787b58eb95eb730392a")));
    CHECK(same(run2(Op::AESDECLAST, state, key), x128("c5a391ef6b317f95d410637b72a593d0")));
    // The paper's InvMixColumns example, through AESIMC.
    CHECK(same(run2(Op::AESIMC, XmmReg{}, x128("8dcab9dc035006bc8f57161e00cafd8d")),
               x128("d635a667928b5eaeeec9cc3bc55f5777")));
    // AESKEYGENASSIST with RCON 1 on the FIPS-197 key 2b7e1516...
    CHECK(same(run2i(Op::AESKEYGENASSIST, XmmReg{}, x128("3c4fcf098815f7aba6d2ae2816157e2b"), 1),
               x128("01eb848beb848a013424b5e524b5e434")));
}

TEST_CASE_FIXTURE(SseFixture, "AESENC: FIPS-197 C.1 round 1") {
    CHECK(same(run2(Op::AESENC, bytes128("00102030405060708090a0b0c0d0e0f0"),
                    bytes128("d6aa74fdd2af72fadaa678f1d6ab76fe")),
               bytes128("89d810e8855ace682d1843d8cb128fe4")));
}

TEST_CASE_FIXTURE(SseFixture, "AES-128 with AES-NI: FIPS-197 appendix B and C.1") {
    XmmReg rk[11];
    SUBCASE("appendix B (key expansion of appendix A.1)") {
        expand128(bytes128("2b7e151628aed2a6abf7158809cf4f3c"), rk);
        CHECK(same(rk[1], bytes128("a0fafe1788542cb123a339392a6c7605")));
        CHECK(same(rk[10], bytes128("d014f9a8c9ee2589e13f0cc8b6630ca6")));
        const XmmReg ct = encrypt128(bytes128("3243f6a8885a308d313198a2e0370734"), rk);
        CHECK(same(ct, bytes128("3925841d02dc09fbdc118597196a0b32")));
        CHECK(same(decrypt128(ct, rk), bytes128("3243f6a8885a308d313198a2e0370734")));
    }
    SUBCASE("appendix C.1") {
        expand128(bytes128("000102030405060708090a0b0c0d0e0f"), rk);
        CHECK(same(rk[1], bytes128("d6aa74fdd2af72fadaa678f1d6ab76fe")));
        CHECK(same(rk[10], bytes128("13111d7fe3944a17f307a78b4d2b30c5")));
        const XmmReg ct = encrypt128(bytes128("00112233445566778899aabbccddeeff"), rk);
        CHECK(same(ct, bytes128("69c4e0d86a7b0430d8cdb78070b4c55a")));
        CHECK(same(decrypt128(ct, rk), bytes128("00112233445566778899aabbccddeeff")));
        // Inverse cipher round 1: istart 7ad5fda7... to round 2's 54d990a1...
        CHECK(same(run2(Op::AESDEC, bytes128("7ad5fda789ef4e272bca100b3d9ff59f"), run2(Op::AESIMC, XmmReg{}, rk[9])),
                   bytes128("54d990a16ba09ab596bbf40ea111702f")));
    }
}

TEST_CASE_FIXTURE(SseFixture, "PCLMULQDQ: the carry-less multiplication white paper's four products") {
    const XmmReg a = x128("7b5b54657374566563746f725d53475d");  // xmm1
    const XmmReg b = x128("48692853686179295b477565726f6e5d");  // xmm2
    // imm8 bit 0 picks xmm1's quadword, bit 4 xmm2's.
    CHECK(same(run2i(Op::PCLMULQDQ, a, b, 0x00), x128("1d4d84c85c3440c0929633d5d36f0451")));
    CHECK(same(run2i(Op::PCLMULQDQ, a, b, 0x10), x128("1bd17c8d556ab5a17fa540ac2a281315")));
    CHECK(same(run2i(Op::PCLMULQDQ, a, b, 0x01), x128("1a2bf6db3a30862fbabf262df4b7d5c9")));
    CHECK(same(run2i(Op::PCLMULQDQ, a, b, 0x11), x128("1d1e1f2c592e7c45d66ee03e410fd4ed")));
    // Other imm8 bits are ignored; x^63 * x^63 = x^126.
    CHECK(same(run2i(Op::PCLMULQDQ, XmmReg{{1ull << 63, 0}}, XmmReg{{1ull << 63, 0}}, 0xee & ~0x11),
               XmmReg{{0, 1ull << 62}}));
}

TEST_CASE_FIXTURE(SseFixture, "AES-NI and PCLMULQDQ: #UD without CR4.OSFXSR, #GP on a misaligned m128") {
    cpu.s.cr4 &= ~uint64_t{kCR4_OSFXSR};
    auto f = attempt(sse_rr(Op::AESENC, 1, 2));
    REQUIRE(f);
    CHECK(f->vector == kVecUD);
    cpu.s.cr4 |= kCR4_OSFXSR;
    DecodedInsn d = mk(Op::PCLMULQDQ, 4, {xmm(1), memop(16), imm(1)});
    at(d, RBX);
    cpu.s.gpr[RBX] = 0x100008;
    f = attempt(d);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
}
