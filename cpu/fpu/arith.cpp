// Add, subtract, multiply, divide, square root: special operands first
// (NaNs, unsupported encodings, infinities, zeros), then the exact result
// in 128 bits (a sticky 1 standing for anything shifted out) for
// round_pack. Denormal operands raise DE unless a NaN is involved.
#include "cpu/fpu/unpacked.h"

namespace petrel::fp {

namespace {

// Handles NaN and unsupported operands of a binary operation; true when
// `out` holds the result.
template <class F>
bool binary_special(const Unpacked& x, const Unpacked& y, F& out, Env& env, bool is_div = false) {
    if (x.kind == Kind::Unsupported || y.kind == Kind::Unsupported) {
        env.flags |= kInvalid;
        out = default_nan<F>();
        return true;
    }
    if (x.nan() || y.nan()) {
        out = propagate_nan<F>(x, &y, env);
        return true;
    }
    // Division by zero reports ZE alone, whatever the dividend.
    if ((x.denormal || y.denormal) && !(is_div && y.kind == Kind::Zero)) env.flags |= kDenormal;
    return false;
}

template <class F>
F invalid(Env& env) {
    env.flags |= kInvalid;
    return default_nan<F>();
}

// sig * 2^(exp - 63) as round_pack's 128-bit form.
template <class F>
F round_value(const Unpacked& v, Env& env) {
    return round_to<F>(result_precision<F>(env), v.sign, v.exp, u128{v.sig} << 64, env);
}

template <class F>
F add_signed(F a, F b, bool negate_b, Env& env) {
    Unpacked x = unpack<F>(a, env), y = unpack<F>(b, env);
    F out;
    if (binary_special(x, y, out, env)) return out;
    y.sign ^= negate_b;
    if (x.kind == Kind::Inf || y.kind == Kind::Inf) {
        if (x.kind == Kind::Inf && y.kind == Kind::Inf && x.sign != y.sign) return invalid<F>(env);
        return make_inf<F>(x.kind == Kind::Inf ? x.sign : y.sign);
    }
    if (x.kind == Kind::Zero && y.kind == Kind::Zero)
        return make_zero<F>(x.sign == y.sign ? x.sign : env.round == Round::Down);
    if (x.kind == Kind::Zero) return round_value<F>(y, env);
    if (y.kind == Kind::Zero) return round_value<F>(x, env);

    if (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)) std::swap(x, y);  // |x| >= |y|
    // x's leading bit at 125 (two bits of headroom for the carry), y aligned
    // below it; bits shifted out of y fold into a sticky 1.
    const u128 X = u128{x.sig} << 62;
    const uint32_t d = static_cast<uint32_t>(x.exp - y.exp);
    u128 Y = u128{y.sig} << 62;
    if (d >= 126) Y = 1;
    else if (d) Y = (Y >> d) | ((Y << (128 - d)) != 0 ? 1 : 0);
    u128 S;
    if (x.sign == y.sign) {
        S = X + Y;
    } else {
        S = X - Y;
        if (S == 0) return make_zero<F>(env.round == Round::Down);
    }
    const int lz = clz128(S);
    return round_to<F>(result_precision<F>(env), x.sign, x.exp + 2 - lz, S << lz, env);
}

// Integer square root of a 128-bit value: r = floor(sqrt(n)), rem = n - r^2.
uint64_t isqrt128(u128 n, u128& rem) {
    u128 r = 0, bit = u128{1} << 126;
    while (bit > n) bit >>= 2;
    while (bit) {
        if (n >= r + bit) {
            n -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    rem = n;
    return static_cast<uint64_t>(r);
}

}  // namespace

template <class F> F add(F a, F b, Env& env) { return add_signed<F>(a, b, false, env); }
template <class F> F sub(F a, F b, Env& env) { return add_signed<F>(a, b, true, env); }

template <class F> F mul(F a, F b, Env& env) {
    const Unpacked x = unpack<F>(a, env), y = unpack<F>(b, env);
    F out;
    if (binary_special(x, y, out, env)) return out;
    const bool sign = x.sign != y.sign;
    if (x.kind == Kind::Inf || y.kind == Kind::Inf) {
        if (x.kind == Kind::Zero || y.kind == Kind::Zero) return invalid<F>(env);
        return make_inf<F>(sign);
    }
    if (x.kind == Kind::Zero || y.kind == Kind::Zero) return make_zero<F>(sign);
    u128 P = u128{x.sig} * y.sig;  // in [2^126, 2^128)
    int32_t e = x.exp + y.exp + 1;
    if (!(P >> 127)) {
        P <<= 1;
        --e;
    }
    return round_to<F>(result_precision<F>(env), sign, e, P, env);
}

template <class F> F div(F a, F b, Env& env) {
    const Unpacked x = unpack<F>(a, env), y = unpack<F>(b, env);
    F out;
    if (binary_special(x, y, out, env, true)) return out;
    const bool sign = x.sign != y.sign;
    if (x.kind == Kind::Inf) {
        if (y.kind == Kind::Inf) return invalid<F>(env);
        return make_inf<F>(sign);
    }
    if (y.kind == Kind::Inf) return make_zero<F>(sign);
    if (y.kind == Kind::Zero) {
        if (x.kind == Kind::Zero) return invalid<F>(env);
        env.flags |= kDivByZero;
        return make_inf<F>(sign);
    }
    if (x.kind == Kind::Zero) return make_zero<F>(sign);
    // Two long-division steps give 64 + 64 quotient bits; the remainder
    // becomes the sticky bit.
    const u128 n1 = u128{x.sig} << 64;
    const u128 q1 = n1 / y.sig;  // in (2^63, 2^65)
    const uint64_t r1 = static_cast<uint64_t>(n1 - q1 * y.sig);
    const u128 n2 = u128{r1} << 64;
    const uint64_t q2 = static_cast<uint64_t>(n2 / y.sig);
    const bool rest = (n2 - u128{q2} * y.sig) != 0;
    u128 Q = (q1 << 63) | (q2 >> 1) | ((q2 & 1) || rest ? 1 : 0);
    int32_t e = x.exp - y.exp;
    if (!(Q >> 127)) {
        Q <<= 1;
        --e;
    }
    return round_to<F>(result_precision<F>(env), sign, e, Q, env);
}

template <class F> F sqrt(F a, Env& env) {
    const Unpacked x = unpack<F>(a, env);
    if (x.kind == Kind::Unsupported) return invalid<F>(env);
    if (x.nan()) return propagate_nan<F>(x, nullptr, env);
    if (x.kind == Kind::Zero) return make_zero<F>(x.sign);  // sqrt(-0) = -0; DAZ zeros too
    if (x.sign) return invalid<F>(env);  // IE alone, even for a denormal
    if (x.kind == Kind::Inf) return a;
    if (x.denormal) env.flags |= kDenormal;
    // sqrt(sig * 2^(exp - 63)): scale sig by 2^k (k = 63 or 64) so that the
    // exponent left over is even; the 64-bit root then has its top bit set.
    const int k = (x.exp & 1) ? 64 : 63;
    u128 rem;
    const uint64_t r = isqrt128(u128{x.sig} << k, rem);
    // The bit after r: sqrt(n) >= r + 1/2 exactly when rem > r (never equal).
    const bool half = rem > r;
    const u128 S = (u128{r} << 64) | (half ? u128{1} << 63 : 0) | (rem != 0 ? 1 : 0);
    const int32_t e = (x.exp - 63 - k) / 2 + 63;
    return round_to<F>(result_precision<F>(env), false, e, S, env);
}

template F32 add<F32>(F32, F32, Env&);
template F64 add<F64>(F64, F64, Env&);
template F80 add<F80>(F80, F80, Env&);
template F32 sub<F32>(F32, F32, Env&);
template F64 sub<F64>(F64, F64, Env&);
template F80 sub<F80>(F80, F80, Env&);
template F32 mul<F32>(F32, F32, Env&);
template F64 mul<F64>(F64, F64, Env&);
template F80 mul<F80>(F80, F80, Env&);
template F32 div<F32>(F32, F32, Env&);
template F64 div<F64>(F64, F64, Env&);
template F80 div<F80>(F80, F80, Env&);
template F32 sqrt<F32>(F32, Env&);
template F64 sqrt<F64>(F64, Env&);
template F80 sqrt<F80>(F80, Env&);

}  // namespace petrel::fp
