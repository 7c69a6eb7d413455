// The one rounding routine of the soft-float: every result of every format
// passes through round_pack, so the x86 rules live in one place:
// - tininess after rounding (rounded to p bits as if the exponent were
//   unbounded, still below the smallest normal);
// - masked underflow: denormalized result, UE only when tiny and inexact;
//   FTZ: a tiny result is a signed zero with UE and PE;
// - unmasked underflow/overflow: UE whenever tiny / OE, and (x87) the
//   result with its exponent wrapped by +/- 24576;
// - masked overflow: infinity or the largest finite by rounding direction.
#include "cpu/fpu/unpacked.h"

namespace petrel::fp {

namespace {

constexpr int kWrap = 24576;  // x87 exponent bias adjust for unmasked OE/UE (3 * 2^13)

struct Rounded {
    u128 m;        // the kept bits, possibly carried to 2^keep
    bool inexact;
    bool up;       // the magnitude was incremented
};

// Keeps the top `keep` bits of sig (bit 127 set), rounding the rest away
// per mode. keep may be 0 or negative (a value below half, or below a
// quarter, of the unit the caller keeps).
Rounded round_bits(u128 sig, int keep, bool sign, Round mode) {
    u128 m;
    bool half, sticky;
    if (keep >= 128) {
        m = sig;
        half = sticky = false;
    } else if (keep >= 1) {
        m = sig >> (128 - keep);
        const u128 rest = sig << keep;
        half = static_cast<bool>(rest >> 127);
        sticky = (rest << 1) != 0;
    } else if (keep == 0) {
        m = 0;
        half = static_cast<bool>(sig >> 127);
        sticky = (sig << 1) != 0;
    } else {
        m = 0;
        half = false;
        sticky = sig != 0;
    }
    const bool inexact = half || sticky;
    bool inc = false;
    switch (mode) {
        case Round::Nearest: inc = half && (sticky || (m & 1)); break;
        case Round::Zero: inc = false; break;
        case Round::Up: inc = inexact && !sign; break;
        case Round::Down: inc = inexact && sign; break;
    }
    if (inc) m += 1;
    return Rounded{m, inexact, inc};
}

// A normal result: m (p bits, or 2^p after a carry) with its leading bit at exponent e.
Packed pack_normal(const FormatInfo& f, int p, bool sign, int32_t e, u128 m) {
    if (m >> p) {
        m >>= 1;
        ++e;
    }
    return Packed{sign, static_cast<uint32_t>(e + f.bias), static_cast<uint64_t>(m) << (f.width - p)};
}

}  // namespace

Packed round_pack(const FormatInfo& f, int p, bool sign, int32_t e, u128 sig, Env& env) {
    const Rounded u = round_bits(sig, p, sign, env.round);
    const int32_t eu = e + static_cast<int32_t>(u.m >> p);  // exponent after unbounded rounding

    if (eu > f.emax) {
        if (!(env.masked & kOverflow)) {
            env.flags |= kOverflow | (u.inexact ? kInexact : 0);
            env.rounded_up = u.up;
            if (f.x87) return pack_normal(f, p, sign, e - kWrap, u.m);
            return Packed{sign, static_cast<uint32_t>(2 * f.bias + 1), f.x87 ? 1ull << 63 : 0};
        }
        env.flags |= kOverflow | kInexact;
        const bool to_inf = env.round == Round::Nearest || (env.round == Round::Up && !sign) ||
                            (env.round == Round::Down && sign);
        env.rounded_up = to_inf;
        if (to_inf) return Packed{sign, static_cast<uint32_t>(2 * f.bias + 1), f.x87 ? 1ull << 63 : 0};
        const uint64_t max = (p == 64 ? ~0ull : (1ull << p) - 1) << (f.width - p);
        return Packed{sign, static_cast<uint32_t>(f.emax + f.bias), max};
    }

    if (e >= f.emin) {
        if (u.inexact) env.flags |= kInexact;
        env.rounded_up = u.up;
        return pack_normal(f, p, sign, e, u.m);
    }

    // Below the normal range before rounding.
    const bool tiny = eu < f.emin;
    if (!(env.masked & kUnderflow)) {
        if (tiny) env.flags |= kUnderflow;
        if (u.inexact) env.flags |= kInexact;
        env.rounded_up = u.up;
        if (tiny && f.x87) return pack_normal(f, p, sign, e + kWrap, u.m);
        if (!tiny) return pack_normal(f, p, sign, e, u.m);  // rounds up to the smallest normal
        // SSE: the caller discards the result; give the denormalized one.
    } else if (tiny && env.ftz) {
        env.flags |= kUnderflow | kInexact;
        env.rounded_up = false;
        return Packed{sign, 0, 0};
    }

    // Denormalize: the p-bit result shifted right, rounded at the bit where
    // a p-bit result at the smallest normal exponent ends (x87 precision
    // control keeps that position for denormals too).
    const int keep = p - (f.emin - e);
    const Rounded d = round_bits(sig, keep, sign, env.round);
    if (env.masked & kUnderflow) {
        if (d.inexact) env.flags |= kInexact | (tiny ? kUnderflow : 0);
        env.rounded_up = d.up;
    }
    if (d.m == 0) return Packed{sign, 0, 0};
    // The value is d.m * 2^q.
    const int32_t q = e - keep + 1;
    const int t = 127 - clz128(d.m);  // leading bit of d.m
    if (q + t >= f.emin) return Packed{sign, static_cast<uint32_t>(q + t + f.bias), static_cast<uint64_t>(d.m) << (f.width - 1 - t)};
    return Packed{sign, 0, static_cast<uint64_t>(d.m) << (q - f.emin + f.width - 1)};
}

}  // namespace petrel::fp
