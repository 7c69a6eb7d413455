// The x87 operations that are exact by nature: FSCALE (a * 2^trunc(b)),
// FXTRACT (exponent and significand) and FPREM/FPREM1 (partial remainder).
// Their results never need more than one rounding of an exact value.
#include "cpu/fpu/unpacked.h"

namespace petrel::fp {

namespace {

F80 invalid_f80(Env& env) {
    env.flags |= kInvalid;
    return default_nan<F80>();
}

// The exact value sig * 2^(exp - 63) + nothing, through the rounder (it is
// exact unless it leaves the normal range).
F80 pack_exact(bool sign, int32_t exp, uint64_t sig, Env& env) {
    if (sig == 0) return make_zero<F80>(sign);
    const int l = __builtin_clzll(sig);
    return round_to<F80>(64, sign, exp - l, u128{sig << l} << 64, env);
}

}  // namespace

F80 scale(const F80& a, const F80& b, Env& env) {
    const Unpacked x = unpack<F80>(a, env), y = unpack<F80>(b, env);
    if (x.kind == Kind::Unsupported || y.kind == Kind::Unsupported) return invalid_f80(env);
    if (x.nan() || y.nan()) return propagate_nan<F80>(x, &y, env);
    if (x.denormal || y.denormal) env.flags |= kDenormal;
    if (y.kind == Kind::Inf) {
        // 0 * 2^+inf and inf * 2^-inf are invalid; otherwise the infinity
        // or zero the limit gives.
        if (x.kind == Kind::Zero) return y.sign ? a : invalid_f80(env);
        if (x.kind == Kind::Inf) return y.sign ? invalid_f80(env) : a;
        return y.sign ? make_zero<F80>(x.sign) : make_inf<F80>(x.sign);
    }
    if (x.kind != Kind::Finite) return x.kind == Kind::Zero ? make_zero<F80>(x.sign) : a;
    int64_t n = 0;  // trunc(b), clamped well beyond any exponent that can matter
    if (y.kind == Kind::Finite && y.exp >= 0) {
        n = y.exp >= 20 ? (1 << 20) : static_cast<int64_t>(y.sig >> (63 - y.exp));
        if (y.sign) n = -n;
    }
    return round_to<F80>(64, x.sign, x.exp + static_cast<int32_t>(n), u128{x.sig} << 64, env);
}

void extract(const F80& a, F80& exponent, F80& significand, Env& env) {
    const Unpacked x = unpack<F80>(a, env);
    switch (x.kind) {
        case Kind::Unsupported:
            exponent = significand = invalid_f80(env);
            return;
        case Kind::QNaN:
        case Kind::SNaN:
            exponent = significand = propagate_nan<F80>(x, nullptr, env);
            return;
        case Kind::Inf:
            exponent = make_inf<F80>(false);
            significand = a;
            return;
        case Kind::Zero:
            env.flags |= kDivByZero;
            exponent = make_inf<F80>(true);
            significand = make_zero<F80>(x.sign);
            return;
        case Kind::Finite: break;
    }
    if (x.denormal) env.flags |= kDenormal;
    Env exact;
    exponent = from_int<F80>(x.exp, exact);
    significand = f80(x.sign, 0x3fff, x.sig);
}

F80 remainder(const F80& a, const F80& b, bool round_nearest, uint64_t& quotient, bool& complete, Env& env) {
    quotient = 0;
    complete = true;
    const Unpacked x = unpack<F80>(a, env), y = unpack<F80>(b, env);
    if (x.kind == Kind::Unsupported || y.kind == Kind::Unsupported) return invalid_f80(env);
    if (x.nan() || y.nan()) return propagate_nan<F80>(x, &y, env);
    if (x.kind == Kind::Inf || y.kind == Kind::Zero) return invalid_f80(env);
    if (x.denormal || y.denormal) env.flags |= kDenormal;
    if (x.kind == Kind::Zero) return make_zero<F80>(x.sign);
    if (y.kind == Kind::Inf) return x.denormal ? pack_exact(x.sign, x.exp, x.sig, env) : a;  // normalized

    const int32_t d = x.exp - y.exp;
    if (d >= 64) {
        // Partial: reduce by a quotient of N = 32..63 bits (the hardware's
        // choice, 32 + D mod 32), truncated for both instructions.
        const int n = 32 + (d & 31);
        const u128 A = u128{x.sig} << n;
        const u128 r = A % y.sig;
        complete = false;
        quotient = static_cast<uint64_t>(A / y.sig);
        return pack_exact(x.sign, x.exp - n, static_cast<uint64_t>(r), env);
    }
    if (d < -1) {
        // |a| < |b| / 2: the quotient is 0 in both rounding senses.
        if (x.denormal) return pack_exact(x.sign, x.exp, x.sig, env);
        return a;
    }
    // Both significands on the grid of the smaller exponent.
    const int32_t e = d >= 0 ? y.exp : x.exp;
    const u128 A = d >= 0 ? u128{x.sig} << d : u128{x.sig};
    const u128 B = d >= 0 ? u128{y.sig} : u128{y.sig} << 1;
    u128 q = A / B, r = A % B;
    bool sign = x.sign;
    if (round_nearest && (2 * r > B || (2 * r == B && (q & 1)))) {
        r = B - r;
        ++q;
        sign = !sign;
    }
    quotient = static_cast<uint64_t>(q);
    // r < B <= 2^65: an exact value on the 2^(e - 63) grid (B was doubled
    // when d = -1, so r may have 65 bits).
    if (r >> 64) return round_to<F80>(64, sign, e + 1, r << 63, env);
    if (r == 0) return make_zero<F80>(x.sign);
    return pack_exact(sign, e, static_cast<uint64_t>(r), env);
}

}  // namespace petrel::fp
