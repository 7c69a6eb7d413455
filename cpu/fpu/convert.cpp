// Conversions: between formats, to and from integers, and rounding to an
// integral value; and comparison.
#include "cpu/fpu/unpacked.h"

namespace petrel::fp {

namespace {

// Rounds the finite |x| to an integer (mode), as a magnitude; exact and
// up describe the rounding. Only meaningful while x.exp < 126.
u128 integer_magnitude(const Unpacked& x, Round mode, bool& inexact, bool& up) {
    const u128 sig = u128{x.sig} << 64;
    const int keep = x.exp + 1;  // integer bits of the value
    u128 m;
    bool half, sticky;
    if (keep >= 1) {
        m = sig >> (128 - keep);
        const u128 rest = sig << keep;
        half = static_cast<bool>(rest >> 127);
        sticky = (rest << 1) != 0;
    } else {
        m = 0;
        half = keep == 0;
        sticky = keep == 0 ? (sig << 1) != 0 : true;
    }
    inexact = half || sticky;
    bool inc = false;
    switch (mode) {
        case Round::Nearest: inc = half && (sticky || (m & 1)); break;
        case Round::Zero: break;
        case Round::Up: inc = inexact && !x.sign; break;
        case Round::Down: inc = inexact && x.sign; break;
    }
    up = inc;
    return m + (inc ? 1 : 0);
}

// An exact integer value m (nonzero, below 2^width) in format F.
template <class F>
F exact_integer(bool sign, u128 m) {
    const int t = 127 - clz128(m);
    Env quiet;
    return round_to<F>(Format<F>::info.width, sign, t, m << (127 - t), quiet);
}

}  // namespace

template <class To, class From> To convert(From a, Env& env) {
    const Unpacked x = unpack<From>(a, env);
    switch (x.kind) {
        case Kind::Unsupported:
            env.flags |= kInvalid;
            return default_nan<To>();
        case Kind::QNaN:
        case Kind::SNaN:
            if (x.kind == Kind::SNaN) env.flags |= kInvalid;
            return make_quiet_nan<To>(x);
        case Kind::Inf: return make_inf<To>(x.sign);
        case Kind::Zero: return make_zero<To>(x.sign);
        case Kind::Finite: break;
    }
    // An x87 store from the stack does not report denormal operands; loads
    // and SSE conversions do.
    if (x.denormal && !Format<From>::info.x87) env.flags |= kDenormal;
    return round_to<To>(Format<To>::info.width, x.sign, x.exp, u128{x.sig} << 64, env);
}

template <class F> int64_t to_int(F a, unsigned bits, bool truncate, Env& env) {
    const Unpacked x = unpack<F>(a, env);
    const int64_t indefinite = static_cast<int64_t>(~0ull << (bits - 1));
    if (x.kind == Kind::Zero) return 0;
    if (x.kind != Kind::Finite || x.exp >= 64) {
        env.flags |= kInvalid;
        return indefinite;
    }
    bool inexact, up;
    const u128 m = integer_magnitude(x, truncate ? Round::Zero : env.round, inexact, up);
    const u128 limit = u128{1} << (bits - 1);  // |INT_MIN|
    if (m > limit || (m == limit && !x.sign)) {
        env.flags |= kInvalid;
        return indefinite;
    }
    if (inexact) env.flags |= kInexact;
    env.rounded_up = up;
    const uint64_t v = static_cast<uint64_t>(m);
    return x.sign ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

template <class F> F from_int(int64_t v, Env& env) {
    if (v == 0) return make_zero<F>(false);
    const bool sign = v < 0;
    const uint64_t m = sign ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    const int t = 63 - __builtin_clzll(m);
    return round_to<F>(Format<F>::info.width, sign, t, u128{m} << (127 - t), env);
}

template <class F> F round_to_int(F a, Round mode, bool signal_inexact, Env& env) {
    const Unpacked x = unpack<F>(a, env);
    switch (x.kind) {
        case Kind::Unsupported:
            env.flags |= kInvalid;
            return default_nan<F>();
        case Kind::QNaN:
        case Kind::SNaN: return propagate_nan<F>(x, nullptr, env);
        case Kind::Inf: return a;
        case Kind::Zero: return make_zero<F>(x.sign);
        case Kind::Finite: break;
    }
    if (x.denormal && Format<F>::info.x87) env.flags |= kDenormal;
    if (x.exp >= Format<F>::info.width - 1) return a;  // already integral
    bool inexact, up;
    const u128 m = integer_magnitude(x, mode, inexact, up);
    if (inexact && signal_inexact) env.flags |= kInexact;
    env.rounded_up = up;
    if (m == 0) return make_zero<F>(x.sign);
    return exact_integer<F>(x.sign, m);
}

template <class F> Relation compare(F a, F b, bool quiet, Env& env) {
    const Unpacked x = unpack<F>(a, env), y = unpack<F>(b, env);
    if (x.kind == Kind::Unsupported || y.kind == Kind::Unsupported) {
        env.flags |= kInvalid;
        return Relation::Unordered;
    }
    if (x.nan() || y.nan()) {
        if (!quiet || x.kind == Kind::SNaN || y.kind == Kind::SNaN) env.flags |= kInvalid;
        return Relation::Unordered;
    }
    if (x.denormal || y.denormal) env.flags |= kDenormal;
    if (x.kind == Kind::Zero && y.kind == Kind::Zero) return Relation::Equal;
    // Order of magnitudes, then signs.
    auto key = [](const Unpacked& u) -> int {
        switch (u.kind) {
            case Kind::Zero: return 0;
            case Kind::Inf: return 2;
            default: return 1;
        }
    };
    int mag;  // sign of |x| - |y|
    if (key(x) != key(y)) mag = key(x) < key(y) ? -1 : 1;
    else if (x.kind != Kind::Finite) mag = 0;
    else if (x.exp != y.exp) mag = x.exp < y.exp ? -1 : 1;
    else mag = x.sig == y.sig ? 0 : (x.sig < y.sig ? -1 : 1);
    const bool xneg = x.sign && x.kind != Kind::Zero, yneg = y.sign && y.kind != Kind::Zero;
    if (xneg != yneg) return xneg ? Relation::Less : Relation::Greater;
    if (mag == 0) return Relation::Equal;
    if (xneg) mag = -mag;
    return mag < 0 ? Relation::Less : Relation::Greater;
}

template F64 convert<F64, F32>(F32, Env&);
template F80 convert<F80, F32>(F32, Env&);
template F32 convert<F32, F64>(F64, Env&);
template F80 convert<F80, F64>(F64, Env&);
template F32 convert<F32, F80>(F80, Env&);
template F64 convert<F64, F80>(F80, Env&);
template int64_t to_int<F32>(F32, unsigned, bool, Env&);
template int64_t to_int<F64>(F64, unsigned, bool, Env&);
template int64_t to_int<F80>(F80, unsigned, bool, Env&);
template F32 from_int<F32>(int64_t, Env&);
template F64 from_int<F64>(int64_t, Env&);
template F80 from_int<F80>(int64_t, Env&);
template F32 round_to_int<F32>(F32, Round, bool, Env&);
template F64 round_to_int<F64>(F64, Round, bool, Env&);
template F80 round_to_int<F80>(F80, Round, bool, Env&);
template Relation compare<F32>(F32, F32, bool, Env&);
template Relation compare<F64>(F64, F64, bool, Env&);
template Relation compare<F80>(F80, F80, bool, Env&);

}  // namespace petrel::fp
