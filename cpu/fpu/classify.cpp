// Unpacking the three encodings, classification, and the NaN rules.
#include "cpu/fpu/unpacked.h"

namespace petrel::fp {

namespace {

// F32/F64: fraction of `frac_bits`, biased exponent, hidden integer bit.
template <class F>
Unpacked unpack_ieee(F a, int frac_bits, int exp_bits, const Env& env) {
    const FormatInfo& f = Format<F>::info;
    Unpacked u;
    u.sign = (a >> (frac_bits + exp_bits)) & 1;
    const uint32_t expf = static_cast<uint32_t>((a >> frac_bits) & ((1u << exp_bits) - 1));
    const uint64_t frac = static_cast<uint64_t>(a) & ((F{1} << frac_bits) - 1);
    if (expf == (1u << exp_bits) - 1) {
        if (frac == 0) {
            u.kind = Kind::Inf;
        } else {
            u.sig = (1ull << 63) | (frac << (63 - frac_bits));
            u.kind = (u.sig >> 62) & 1 ? Kind::QNaN : Kind::SNaN;
        }
        return u;
    }
    if (expf == 0) {
        if (frac == 0 || env.daz) {
            u.kind = Kind::Zero;
            return u;
        }
        const uint64_t s = frac << (63 - frac_bits);
        const int lz = __builtin_clzll(s);
        u.kind = Kind::Finite;
        u.denormal = true;
        u.sig = s << lz;
        u.exp = f.emin - lz;
        return u;
    }
    u.kind = Kind::Finite;
    u.sig = (1ull << 63) | (frac << (63 - frac_bits));
    u.exp = static_cast<int32_t>(expf) - f.bias;
    return u;
}

}  // namespace

template <> Unpacked unpack<F32>(F32 a, const Env& env) { return unpack_ieee<F32>(a, 23, 8, env); }
template <> Unpacked unpack<F64>(F64 a, const Env& env) { return unpack_ieee<F64>(a, 52, 11, env); }

template <> Unpacked unpack<F80>(F80 a, const Env&) {
    Unpacked u;
    u.sign = a.sign_exp >> 15;
    const uint32_t expf = a.sign_exp & 0x7fff;
    const bool integer = a.significand >> 63;
    if (expf == 0x7fff) {
        if (!integer) {
            u.kind = Kind::Unsupported;  // pseudo-infinity, pseudo-NaN
        } else if ((a.significand << 1) == 0) {
            u.kind = Kind::Inf;
        } else {
            u.sig = a.significand;
            u.kind = (u.sig >> 62) & 1 ? Kind::QNaN : Kind::SNaN;
        }
        return u;
    }
    if (expf == 0) {
        if (a.significand == 0) {
            u.kind = Kind::Zero;
            return u;
        }
        // Denormal, or pseudo-denormal (integer bit set): both read with the
        // exponent of the smallest normal.
        const int lz = __builtin_clzll(a.significand);
        u.kind = Kind::Finite;
        u.denormal = true;
        u.sig = a.significand << lz;
        u.exp = Format<F80>::info.emin - lz;
        return u;
    }
    if (!integer) {
        u.kind = Kind::Unsupported;  // unnormal
        return u;
    }
    u.kind = Kind::Finite;
    u.sig = a.significand;
    u.exp = static_cast<int32_t>(expf) - Format<F80>::info.bias;
    return u;
}

template <class F> bool is_nan(F a) { return unpack<F>(a, Env{}).nan(); }
template <class F> bool is_snan(F a) { return unpack<F>(a, Env{}).kind == Kind::SNaN; }
template <class F> bool is_denormal(F a) { return unpack<F>(a, Env{}).denormal; }
bool is_unsupported(const F80& a) { return unpack<F80>(a, Env{}).kind == Kind::Unsupported; }

template <class F> F default_nan() {
    Unpacked u;
    u.kind = Kind::QNaN;
    u.sign = true;
    u.sig = 3ull << 62;
    return make_quiet_nan<F>(u);
}

template <class F> F quiet(F a) {
    const Unpacked u = unpack<F>(a, Env{});
    return u.nan() ? make_quiet_nan<F>(u) : a;
}

F80 f80(bool sign, uint16_t exp, uint64_t sig) {
    return F80{sig, static_cast<uint16_t>((sign ? 0x8000 : 0) | (exp & 0x7fff))};
}

template <class F> F propagate_nan(const Unpacked& a, const Unpacked* b, Env& env) {
    if (a.kind == Kind::SNaN || (b && b->kind == Kind::SNaN)) env.flags |= kInvalid;
    if (!b || !b->nan()) return make_quiet_nan<F>(a);
    if (!a.nan()) return make_quiet_nan<F>(*b);
    if constexpr (!Format<F>::info.x87) {
        return make_quiet_nan<F>(a);  // SSE: the first source operand
    } else {
        if (a.kind != b->kind) return make_quiet_nan<F>(a.kind == Kind::QNaN ? a : *b);
        if (a.sig != b->sig) return make_quiet_nan<F>(a.sig > b->sig ? a : *b);
        return make_quiet_nan<F>(a.sign ? *b : a);  // equal significands: the positive one
    }
}

#define PETREL_FP_INSTANTIATE(F)                                               \
    template bool is_nan<F>(F);                                                \
    template bool is_snan<F>(F);                                               \
    template bool is_denormal<F>(F);                                           \
    template F default_nan<F>();                                               \
    template F quiet<F>(F);                                                    \
    template F propagate_nan<F>(const Unpacked&, const Unpacked*, Env&);
PETREL_FP_INSTANTIATE(F32)
PETREL_FP_INSTANTIATE(F64)
PETREL_FP_INSTANTIATE(F80)
#undef PETREL_FP_INSTANTIATE

}  // namespace petrel::fp
