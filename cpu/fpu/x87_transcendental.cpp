// The x87 transcendental functions on F80: special operands per the SDM's
// tables, argument reduction (trig: exact, against 318 bits of π/2), the
// Wide kernels, and one final rounding to 64 bits.
#include "cpu/fpu/wide_functions.h"
#include "cpu/fpu/x87_math.h"

namespace petrel::fp {

namespace {

F80 invalid_f80(Env& env) {
    env.flags |= kInvalid;
    return default_nan<F80>();
}

// Shared special-operand handling: unsupported and NaN operands give their
// result in `out` (true). Otherwise DE for denormals and false.
bool nan_operands(const Unpacked& x, const Unpacked* y, F80& out, Env& env) {
    if (x.kind == Kind::Unsupported || (y && y->kind == Kind::Unsupported)) {
        out = invalid_f80(env);
        return true;
    }
    if (x.nan() || (y && y->nan())) {
        out = propagate_nan<F80>(x, y, env);
        return true;
    }
    if (x.denormal || (y && y->denormal)) env.flags |= kDenormal;
    return false;
}

// A value just below |v| in magnitude (v exact): what a function returns
// for an argument so small that f(v) = v - (something below v's last bit).
Wide just_below(Wide v) {
    v.sig -= 1;
    return wide_norm(v.sign, v.exp, v.sig);
}
Wide just_above(Wide v) {
    v.sig |= 1;
    return v;
}

// ---- trig argument reduction

constexpr int kLimbs = 6;  // 384-bit fixed point, 318 fraction bits
constexpr int kFrac = 318;
using Fixed = uint64_t[kLimbs];

// |x| = k * π/2 + r with k the nearest integer: r in [-π/4, π/4], q = k mod 4.
// The hardware reduces with π rounded to 66 bits (SDM vol. 1 8.3.10 for
// Intel; the AMD host does the same: its results for large arguments match
// a 66-bit π, not the true one), and so does this: r = |x| - k * P66 exactly.
// P66's bits 67-69 are zero, so this is also π to 69 bits.
void reduce(const Unpacked& x, Wide& r, unsigned& q) {
    const WideConstants& c = wide_constants();
    const Wide ax{false, x.exp, u128{x.sig} << 64};
    if (!wide_mag_less(c.pi_quarter, ax)) {
        r = ax;
        q = 0;
        return;
    }
    // k = round(|x| * 2/π); |x| < 2^63 so k < 2^63.
    const Wide kw = wide_mul(ax, c.two_over_pi);
    uint64_t k = 1;
    if (kw.exp >= 0) {
        k = static_cast<uint64_t>(kw.sig >> (127 - kw.exp));
        k += static_cast<uint64_t>(kw.sig >> (126 - kw.exp)) & 1;
    }
    // X = sig << (exp - 63 + kFrac); exp in [-1, 62].
    Fixed X{}, KP{};
    const int s = x.exp - 63 + kFrac;
    X[s / 64] = x.sig << (s % 64);
    if (s % 64) X[s / 64 + 1] = x.sig >> (64 - s % 64);
    // π/2 to 66 bits: bits 318 down to 253 of the fixed-point value.
    uint64_t p66[5] = {0, 0, 0, c.pi_half_fixed[3] & ~((1ull << 61) - 1), c.pi_half_fixed[4]};
    uint64_t carry = 0;
    for (int i = 0; i < 5; ++i) {
        const u128 p = u128{k} * p66[i] + carry;
        KP[i] = static_cast<uint64_t>(p);
        carry = static_cast<uint64_t>(p >> 64);
    }
    KP[5] = carry;
    // R = X - KP, two's complement.
    Fixed R{};
    uint64_t borrow = 0;
    for (int i = 0; i < kLimbs; ++i) {
        const u128 d = u128{X[i]} - KP[i] - borrow;
        R[i] = static_cast<uint64_t>(d);
        borrow = static_cast<uint64_t>(d >> 64) & 1;
    }
    bool neg = R[kLimbs - 1] >> 63;
    if (neg) {
        uint64_t c1 = 1;
        for (int i = 0; i < kLimbs; ++i) {
            const u128 v = u128{static_cast<uint64_t>(~R[i])} + c1;
            R[i] = static_cast<uint64_t>(v);
            c1 = static_cast<uint64_t>(v >> 64);
        }
    }
    int top = kLimbs - 1;
    while (top > 0 && R[top] == 0) --top;
    // The 128 bits from the leading one down, with a sticky bit.
    const int lz = __builtin_clzll(R[top] | 1);
    const int lead = 64 * top + 63 - lz;  // bit position of the leading one
    auto bits_at = [&R](int pos) -> uint64_t {  // the 64 bits below and including pos
        if (pos < 0) return 0;
        const int lo = pos - 63;
        if (lo >= 0) {
            const uint64_t a = R[lo / 64] >> (lo % 64);
            const uint64_t b = (lo % 64) && lo / 64 + 1 < kLimbs ? R[lo / 64 + 1] << (64 - lo % 64) : 0;
            return a | b;
        }
        return R[0] << -lo;
    };
    u128 m = (u128{bits_at(lead)} << 64) | bits_at(lead - 64);
    m |= 1;  // the rest of π/2 was cut: never exact
    r = Wide{neg, lead - kFrac, m};
    q = static_cast<unsigned>(k & 3);
}

}  // namespace

bool trig_in_range(const F80& x) {
    const Unpacked u = unpack<F80>(x, Env{});
    return u.kind != Kind::Finite || u.exp < 63;
}

void sin_cos(const F80& a, F80* sin, F80* cos, Env& env) {
    const Unpacked x = unpack<F80>(a, env);
    F80 special;
    bool have_special = nan_operands(x, nullptr, special, env);
    if (!have_special && x.kind == Kind::Inf) {
        special = invalid_f80(env);
        have_special = true;
    }
    if (have_special) {
        if (sin) *sin = special;
        if (cos) *cos = special;
        return;
    }
    if (x.kind == Kind::Zero) {
        if (sin) *sin = a;
        if (cos) *cos = f80(false, 0x3fff, 1ull << 63);
        return;
    }
    Wide s, c;
    if (x.exp < -64) {
        // sin x = x - x^3/6, cos x = 1 - x^2/2: below the last bit.
        s = just_below(Wide{false, x.exp, u128{x.sig} << 64});
        c = just_below(wide_int(1));
    } else {
        Wide r;
        unsigned q;
        reduce(x, r, q);
        const Wide sr = wide_sin(r), cr = wide_cos(r);
        switch (q) {
            case 0: s = sr; c = cr; break;
            case 1: s = cr; c = wide_neg(sr); break;
            case 2: s = wide_neg(sr); c = wide_neg(cr); break;
            default: s = wide_neg(cr); c = sr; break;
        }
    }
    if (x.sign) s = wide_neg(s);
    if (sin) *sin = wide_round(s, env);
    if (cos) *cos = wide_round(c, env);
}

F80 tan(const F80& a, Env& env) {
    const Unpacked x = unpack<F80>(a, env);
    F80 out;
    if (nan_operands(x, nullptr, out, env)) return out;
    if (x.kind == Kind::Inf) return invalid_f80(env);
    if (x.kind == Kind::Zero) return a;
    Wide t;
    if (x.exp < -64) {
        t = just_above(Wide{false, x.exp, u128{x.sig} << 64});  // tan x = x + x^3/3
    } else {
        Wide r;
        unsigned q;
        reduce(x, r, q);
        const Wide sr = wide_sin(r), cr = wide_cos(r);
        t = (q & 1) ? wide_neg(wide_div(cr, sr)) : wide_div(sr, cr);
    }
    if (x.sign) t = wide_neg(t);
    return wide_round(t, env);
}

F80 atan2(const F80& ay, const F80& ax, Env& env) {
    const Unpacked y = unpack<F80>(ay, env), x = unpack<F80>(ax, env);
    F80 out;
    if (nan_operands(y, &x, out, env)) return out;
    const WideConstants& c = wide_constants();
    Wide angle;  // for |y|, then y's sign applied
    if (y.kind == Kind::Zero) {
        if (!x.sign) return make_zero<F80>(y.sign);  // +0, +finite, +inf
        angle = c.pi;
    } else if (y.kind == Kind::Inf) {
        if (x.kind == Kind::Inf) angle = x.sign ? wide_add(c.pi_half, c.pi_quarter) : c.pi_quarter;
        else angle = c.pi_half;
    } else if (x.kind == Kind::Inf) {
        if (!x.sign) return make_zero<F80>(y.sign);
        angle = c.pi;
    } else if (x.kind == Kind::Zero) {
        angle = c.pi_half;
    } else {
        const Wide wy{false, y.exp, u128{y.sig} << 64}, wx{false, x.exp, u128{x.sig} << 64};
        const bool swap = wide_mag_less(wx, wy);  // |y| > |x|: π/2 - atan(|x|/|y|)
        const Wide t = swap ? wide_div(wx, wy) : wide_div(wy, wx);
        Wide a = t.exp < -64 ? just_below(t) : wide_atan(t);
        if (swap) a = wide_sub(c.pi_half, a);
        angle = x.sign ? wide_sub(c.pi, a) : a;
    }
    angle.sign = y.sign;
    return wide_round(angle, env);
}

F80 exp2m1(const F80& a, Env& env) {
    const Unpacked x = unpack<F80>(a, env);
    F80 out;
    if (nan_operands(x, nullptr, out, env)) return out;
    switch (x.kind) {
        case Kind::Zero: return a;
        case Kind::Inf: return x.sign ? f80(true, 0x3fff, 1ull << 63) : a;
        default: break;
    }
    // 2^x - 1 is rational only at the integers: -1 -> -1/2, 1 -> 1. The
    // host reports them inexact (and +1 rounded up), as its approximation
    // sees them; so does this.
    if (x.exp == 0 && x.sig == 1ull << 63) {
        env.flags |= kInexact;
        env.rounded_up = !x.sign;
        return x.sign ? f80(true, 0x3ffe, 1ull << 63) : a;
    }
    const Wide t = wide_mul(Wide{x.sign, x.exp, u128{x.sig} << 64}, wide_constants().ln2);
    // Far outside [-1, 1] the result is undefined; keep the series finite.
    if (t.exp > 8) return x.sign ? f80(true, 0x3fff, 1ull << 63) : make_inf<F80>(false);
    return wide_round(wide_expm1(t), env);
}

static F80 ylog2x_unordered(const F80& ay, const F80& ax, Env& env) {
    const Unpacked y = unpack<F80>(ay, env), x = unpack<F80>(ax, env);
    F80 out;
    if (nan_operands(x, &y, out, env)) return out;
    if (x.kind == Kind::Zero) {
        // log2(0) = -inf: 0 * -inf invalid, finite y divide-by-zero.
        if (y.kind == Kind::Zero) return invalid_f80(env);
        if (y.kind != Kind::Inf) env.flags |= kDivByZero;
        return make_inf<F80>(!y.sign);
    }
    if (x.sign) return invalid_f80(env);
    if (x.kind == Kind::Inf) {
        if (y.kind == Kind::Zero) return invalid_f80(env);
        return make_inf<F80>(y.sign);
    }
    // log2 x = e + log2 m, m in [1/√2, √2]. A power of two is exact.
    const bool power_of_two = x.sig == 1ull << 63;
    const int32_t e = x.exp;
    const bool log_negative = e < 0;
    if (y.kind == Kind::Inf) {
        if (power_of_two && e == 0) return invalid_f80(env);  // inf * log2(1) = inf * 0
        return make_inf<F80>(y.sign != log_negative);
    }
    if (y.kind == Kind::Zero) return make_zero<F80>(y.sign != log_negative);  // log2(1) = +0
    if (power_of_two) {
        Env exact = env;
        exact.precision = 64;
        Env conv;
        const F80 r = mul<F80>(ay, from_int<F80>(e, conv), exact);
        env.flags |= exact.flags;
        env.rounded_up = exact.rounded_up;
        return r;
    }
    const WideConstants& c = wide_constants();
    Wide m{false, 0, u128{x.sig} << 64};
    int32_t k = e;
    // m above √2: use m/2 and e + 1.
    if (x.sig > 0xb504f333f9de6484ull) {
        m = wide_ldexp(m, -1);
        ++k;
    }
    const Wide log2m = wide_mul(wide_ln(m), c.log2e);
    const Wide l = wide_add(wide_int(k), log2m);
    return wide_round(wide_mul(Wide{y.sign, y.exp, u128{y.sig} << 64}, l), env);
}

static F80 ylog2xp1_unordered(const F80& ay, const F80& ax, Env& env) {
    const Unpacked y = unpack<F80>(ay, env), x = unpack<F80>(ax, env);
    F80 out;
    if (nan_operands(x, &y, out, env)) return out;
    // Outside |x| < 1 - √2/2 the result is undefined; infinities and
    // x <= -1 are treated as the log's domain says.
    if (x.kind == Kind::Inf) {
        if (x.sign || y.kind == Kind::Zero) return invalid_f80(env);
        return make_inf<F80>(y.sign);
    }
    if (x.kind == Kind::Zero) {
        if (y.kind == Kind::Inf) return invalid_f80(env);
        return make_zero<F80>(x.sign != y.sign);
    }
    if (x.sign && x.exp >= 0) {
        if (x.exp > 0 || x.sig != 1ull << 63) return invalid_f80(env);  // x < -1
        if (y.kind == Kind::Zero) return invalid_f80(env);             // x = -1
        if (y.kind != Kind::Inf) env.flags |= kDivByZero;
        return make_inf<F80>(!y.sign);
    }
    if (y.kind == Kind::Inf) return make_inf<F80>(y.sign != x.sign);
    if (y.kind == Kind::Zero) return make_zero<F80>(y.sign != x.sign);
    const Wide wx{x.sign, x.exp, u128{x.sig} << 64};
    Wide l;
    if (x.exp < -64) {
        // ln(1 + x) = x - x^2/2: just below x, in magnitude just above it when x < 0.
        const Wide ax{false, x.exp, u128{x.sig} << 64};
        l = wide_mul(x.sign ? just_above(ax) : just_below(ax), wide_constants().log2e);
        l.sign = x.sign;
    } else {
        l = wide_mul(wide_ln1p(wx), wide_constants().log2e);
    }
    return wide_round(wide_mul(Wide{y.sign, y.exp, u128{y.sig} << 64}, l), env);
}

// IE and ZE outrank DE: a denormal operand of an invalid or divide-by-zero
// logarithm is not reported (as the host CPU does).
template <class Fn>
F80 with_priority(Env& env, Fn fn) {
    Env local = env;
    local.flags = 0;
    const F80 r = fn(local);
    if (local.flags & (kInvalid | kDivByZero)) local.flags &= static_cast<uint8_t>(~kDenormal);
    env.flags |= local.flags;
    env.rounded_up = local.rounded_up;
    return r;
}

F80 ylog2x(const F80& y, const F80& x, Env& env) {
    return with_priority(env, [&](Env& e) { return ylog2x_unordered(y, x, e); });
}
F80 ylog2xp1(const F80& y, const F80& x, Env& env) {
    return with_priority(env, [&](Env& e) { return ylog2xp1_unordered(y, x, e); });
}

}  // namespace petrel::fp
