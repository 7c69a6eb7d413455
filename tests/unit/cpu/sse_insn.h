// Building SSE DecodedInsns by hand for the unit tests, and XMM values
// written the way the SDM and Intel's white papers print them: one 128-bit
// hexadecimal number, most significant byte first.
#pragma once
#include <string_view>

#include "tests/unit/cpu/integer_insn.h"

namespace petrel::test {

inline Operand xmm(uint8_t reg) { return Operand{OpKind::Xmm, 16, reg}; }

// "7b5b5465...5d53475d" (32 hex digits) -> q[1] = first 16, q[0] = last 16.
inline XmmReg x128(std::string_view hex) {
    auto q = [&](size_t at) {
        uint64_t v = 0;
        for (size_t i = at; i < at + 16; ++i) {
            const char c = hex[i];
            v = v << 4 | static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    };
    return XmmReg{{q(16), q(0)}};
}

// FIPS-197 prints a state as its 16 bytes in order (byte 0 first): the
// reverse of x128's order.
inline XmmReg bytes128(std::string_view hex) {
    XmmReg v{};
    for (unsigned i = 0; i < 16; ++i) {
        auto nib = [&](char c) { return static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10); };
        v.q[i / 8] |= (nib(hex[2 * i]) << 4 | nib(hex[2 * i + 1])) << (8 * (i % 8));
    }
    return v;
}

inline bool same(const XmmReg& a, const XmmReg& b) { return a.q[0] == b.q[0] && a.q[1] == b.q[1]; }

// op xmm(dst), xmm(src) [, imm8]
inline DecodedInsn sse_rr(Op op, uint8_t dst, uint8_t src) { return mk(op, 4, {xmm(dst), xmm(src)}); }
inline DecodedInsn sse_rri(Op op, uint8_t dst, uint8_t src, uint8_t ib) {
    DecodedInsn d = mk(op, 4, {xmm(dst), xmm(src), imm(1)});
    d.imm = ib;
    return d;
}

}  // namespace petrel::test
