// A 128-bit-significand working float for the x87 transcendental kernels:
// sign, exponent and a normalized 128-bit significand, with truncating
// multiply, add, divide. Each operation loses at most a few units of 2^-127
// relative, so a kernel of a few dozen operations still has ~115 correct
// bits, far more than the 64 the final round_to<F80> needs.
#pragma once
#include "cpu/fpu/unpacked.h"

namespace petrel::fp {

// value = sig * 2^(exp - 127), sig's bit 127 set; sig == 0 is zero.
struct Wide {
    bool sign = false;
    int32_t exp = 0;
    u128 sig = 0;

    bool zero() const { return sig == 0; }
};

inline Wide wide_norm(bool sign, int32_t exp, u128 m) {
    if (m == 0) return Wide{sign, 0, 0};
    const int l = clz128(m);
    return Wide{sign, exp - l, m << l};
}

inline Wide wide_from(const Unpacked& u) {
    if (u.kind != Kind::Finite) return Wide{u.sign, 0, 0};
    return Wide{u.sign, u.exp, u128{u.sig} << 64};
}
inline Wide wide_int(int64_t v) {
    const bool s = v < 0;
    return wide_norm(s, 127, s ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
}
inline Wide wide_neg(Wide a) {
    a.sign = !a.sign;
    return a;
}
inline Wide wide_ldexp(Wide a, int32_t n) {
    if (!a.zero()) a.exp += n;
    return a;
}

inline Wide wide_mul(const Wide& a, const Wide& b) {
    if (a.zero() || b.zero()) return Wide{a.sign != b.sign, 0, 0};
    const u128 a1 = a.sig >> 64, a0 = static_cast<uint64_t>(a.sig);
    const u128 b1 = b.sig >> 64, b0 = static_cast<uint64_t>(b.sig);
    const u128 p11 = a1 * b1, p10 = a1 * b0, p01 = a0 * b1, p00 = a0 * b0;
    const u128 mid = (p00 >> 64) + static_cast<uint64_t>(p10) + static_cast<uint64_t>(p01);
    u128 hi = p11 + (p10 >> 64) + (p01 >> 64) + (mid >> 64);
    const u128 lo = (mid << 64) | static_cast<uint64_t>(p00);
    int32_t e = a.exp + b.exp + 1;
    if (!(hi >> 127)) {
        hi = (hi << 1) | (lo >> 127);
        --e;
        if (lo << 1) hi |= 1;  // sticky
    } else if (lo) {
        hi |= 1;
    }
    return Wide{a.sign != b.sign, e, hi};
}

inline bool wide_mag_less(const Wide& a, const Wide& b) {
    if (a.zero()) return !b.zero();
    if (b.zero()) return false;
    return a.exp != b.exp ? a.exp < b.exp : a.sig < b.sig;
}

inline Wide wide_add(Wide a, Wide b) {
    if (a.zero()) return b;
    if (b.zero()) return a;
    if (wide_mag_less(a, b)) std::swap(a, b);
    const uint32_t d = static_cast<uint32_t>(a.exp - b.exp);
    // Bits of b shifted out are remembered as a sticky low bit that is
    // OR-ed in, never added: the true sum lies strictly between s and s + 1
    // (in units of the last bit), so a result just off a representable
    // value stays inexact and rounds the right way, and several tiny terms
    // cannot carry into a real bit.
    const u128 bs = d >= 128 ? 0 : b.sig >> d;
    const bool lost = d >= 128 || (bs << d) != b.sig;
    if (a.sign == b.sign) {
        const u128 s = a.sig + bs;
        if (s < a.sig) return Wide{a.sign, a.exp + 1, (s >> 1) | (u128{1} << 127) | (s & 1) | lost};
        return Wide{a.sign, a.exp, s | lost};
    }
    return wide_norm(a.sign, a.exp, (a.sig - bs - lost) | lost);
}
inline Wide wide_sub(const Wide& a, const Wide& b) { return wide_add(a, wide_neg(b)); }

inline Wide wide_div(const Wide& a, const Wide& b) {
    if (a.zero()) return Wide{a.sign != b.sign, 0, 0};
    // Restoring division: 128 quotient bits of a.sig / b.sig (a ratio in
    // (1/2, 2)), the first of weight 2^0.
    u128 rem = a.sig, q = 0;
    bool carry = false;
    for (int i = 0; i < 128; ++i) {
        q <<= 1;
        if (carry || rem >= b.sig) {
            rem -= b.sig;
            q |= 1;
        }
        carry = rem >> 127;
        rem <<= 1;
    }
    if (rem != 0 || carry) q |= 1;  // sticky
    return wide_norm(a.sign != b.sign, a.exp - b.exp, q);
}

// Division by a small positive integer.
inline Wide wide_div_small(const Wide& a, uint64_t n) {
    if (a.zero()) return a;
    const u128 hi = a.sig / n, rem = a.sig % n;
    const int l = clz128(hi);
    const u128 q = (hi << l) | ((rem << l) / n) | (((rem << l) % n) != 0);  // low bit sticky
    return Wide{a.sign, a.exp - l, q};
}

inline F80 wide_round(const Wide& a, Env& env) {
    if (a.zero()) return make_zero<F80>(a.sign);
    return round_to<F80>(64, a.sign, a.exp, a.sig, env);
}

}  // namespace petrel::fp
