// Series for sin, cos, e^t - 1, ln and atan on Wide, and the constants.
// Each series runs until its terms fall below the sum's last bit (the last
// one still added: its sticky bit keeps an inexact sum inexact); the
// callers' reductions keep the arguments small enough that this takes at
// most about fifty terms.
#include "cpu/fpu/wide_functions.h"

namespace petrel::fp {

namespace {

// A term no longer changes a 128-bit sum.
bool negligible(const Wide& term, const Wide& sum) { return term.zero() || term.exp < sum.exp - 130; }

// z + z^3/3 + z^5/5 + ... (alternating: z - z^3/3 + ...).
Wide odd_power_series(const Wide& z, bool alternate) {
    const Wide z2 = wide_mul(z, z);
    Wide sum = z, pw = z;
    for (uint64_t k = 1; k < 400; ++k) {
        pw = wide_mul(pw, z2);
        Wide term = wide_div_small(pw, 2 * k + 1);
        if (alternate && (k & 1)) term = wide_neg(term);
        sum = wide_add(sum, term);  // even a negligible term leaves its sticky bit
        if (negligible(term, sum)) break;
    }
    return sum;
}

Wide one() { return wide_int(1); }

// π - 3, the first 576 bits (the Blowfish P-array is exactly these words).
constexpr uint32_t kPiFraction[18] = {
    0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89, 0x452821e6,
    0x38d01377, 0xbe5466cf, 0x34e90c6c, 0xc0ac29b7, 0xc97c50dd, 0x3f84d5b5, 0xb5470917, 0x9216d5d9, 0x8979fb1b,
};

WideConstants build() {
    WideConstants c{};
    // π/2 = 1.1b followed by the bits of π - 3 (π/2 = 1.5 + (π - 3)/2).
    constexpr int kFrac = 318;
    auto set_bit = [&c](int pos) { c.pi_half_fixed[pos / 64] |= 1ull << (pos % 64); };
    set_bit(kFrac);
    set_bit(kFrac - 1);
    for (int j = 1; kFrac - 1 - j >= 0; ++j) {
        const uint32_t w = kPiFraction[(j - 1) / 32];
        if ((w >> (31 - (j - 1) % 32)) & 1) set_bit(kFrac - 1 - j);
    }
    // The top 128 bits (bit 318 down) with a sticky bit for the rest.
    const u128 top = (u128{c.pi_half_fixed[4]} << 65) | (u128{c.pi_half_fixed[3]} << 1) | (c.pi_half_fixed[2] >> 63);
    c.pi_half = Wide{false, 0, top | 1};
    c.pi = wide_ldexp(c.pi_half, 1);
    c.pi_quarter = wide_ldexp(c.pi_half, -1);
    c.two_over_pi = wide_div(one(), c.pi_half);
    // ln 2 = 2 atanh(1/3); log2(10) = 3 + ln(5/4) / ln 2 = 3 + 2 atanh(1/9) / ln 2.
    c.ln2 = wide_ldexp(odd_power_series(wide_div_small(one(), 3), false), 1);
    c.log2e = wide_div(one(), c.ln2);
    const Wide ln_five_quarters = wide_ldexp(odd_power_series(wide_div_small(one(), 9), false), 1);
    c.log2ten = wide_add(wide_int(3), wide_div(ln_five_quarters, c.ln2));
    c.log10two = wide_div(one(), c.log2ten);
    return c;
}

}  // namespace

const WideConstants& wide_constants() {
    static const WideConstants c = build();
    return c;
}

Wide wide_sin(const Wide& r) {
    const Wide r2 = wide_mul(r, r);
    Wide sum = r, term = r;
    for (uint64_t k = 1; k < 100; ++k) {
        term = wide_neg(wide_div_small(wide_mul(term, r2), (2 * k) * (2 * k + 1)));
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return sum;
}

Wide wide_cos(const Wide& r) {
    const Wide r2 = wide_mul(r, r);
    Wide sum = one(), term = one();
    for (uint64_t k = 1; k < 100; ++k) {
        term = wide_neg(wide_div_small(wide_mul(term, r2), (2 * k - 1) * (2 * k)));
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return sum;
}

Wide wide_expm1(const Wide& t) {
    Wide sum = t, term = t;
    for (uint64_t k = 2; k < 200; ++k) {
        term = wide_div_small(wide_mul(term, t), k);
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return sum;
}

// ln m = 2 atanh((m - 1) / (m + 1)).
Wide wide_ln(const Wide& m) {
    const Wide z = wide_div(wide_sub(m, one()), wide_add(m, one()));
    if (z.zero()) return z;
    return wide_ldexp(odd_power_series(z, false), 1);
}

// ln(1 + x) = 2 atanh(x / (2 + x)).
Wide wide_ln1p(const Wide& x) {
    const Wide z = wide_div(x, wide_add(wide_int(2), x));
    if (z.zero()) return z;
    return wide_ldexp(odd_power_series(z, false), 1);
}

// atan t = π/4 + atan((t - 1) / (t + 1)) above tan(π/8), so the series
// always sees |u| <= 0.4143.
Wide wide_atan(const Wide& t) {
    if (t.zero()) return t;
    const Wide tan_pi_8 = Wide{false, -2, u128{0xd413cccfe7799211ull} << 64};  // 0.41421356...
    if (wide_mag_less(t, tan_pi_8)) return odd_power_series(t, true);
    const Wide u = wide_div(wide_sub(t, one()), wide_add(t, one()));
    return wide_add(wide_constants().pi_quarter, odd_power_series(u, true));
}

}  // namespace petrel::fp
