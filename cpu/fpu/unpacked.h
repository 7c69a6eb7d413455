// Inside the soft-float: every format is unpacked into one form (sign,
// exponent, 64-bit significand with the integer bit at 63), computed on
// exactly (128-bit intermediates, a sticky bit for what is shifted out),
// and rounded and packed by one routine (round.cpp). Format differences are
// data (FormatInfo), so the three formats share every algorithm.
#pragma once
#include <cstdint>

#include "cpu/fpu/softfloat.h"

namespace petrel::fp {

using u128 = unsigned __int128;

// Static description of a format.
struct FormatInfo {
    int width;   // significand bits including the integer bit: 24, 53, 64
    int emin;    // exponent of the smallest normal
    int emax;    // exponent of the largest finite
    int bias;
    bool x87;    // F80: x87 NaN rules, explicit integer bit, unsupported encodings
};

template <class F> struct Format;
template <> struct Format<F32> { static constexpr FormatInfo info{24, -126, 127, 127, false}; };
template <> struct Format<F64> { static constexpr FormatInfo info{53, -1022, 1023, 1023, false}; };
template <> struct Format<F80> { static constexpr FormatInfo info{64, -16382, 16383, 16383, true}; };

enum class Kind : uint8_t { Zero, Finite, Inf, QNaN, SNaN, Unsupported };

// A value: Finite is sig * 2^(exp - 63) with sig's bit 63 set (denormals
// are normalized, `denormal` remembers them). NaNs keep their payload
// left-aligned: bit 63 set, the quiet bit at 62, the rest below it.
struct Unpacked {
    Kind kind = Kind::Zero;
    bool sign = false;
    bool denormal = false;
    int32_t exp = 0;
    uint64_t sig = 0;

    bool nan() const { return kind == Kind::QNaN || kind == Kind::SNaN; }
};

// A packed result before encoding: the biased exponent field and the
// significand of `width` bits with the integer bit (clear for denormals).
struct Packed {
    bool sign;
    uint32_t expfield;
    uint64_t sig;
};

inline int clz128(u128 v) {
    const uint64_t hi = static_cast<uint64_t>(v >> 64), lo = static_cast<uint64_t>(v);
    if (hi) return __builtin_clzll(hi);
    if (lo) return 64 + __builtin_clzll(lo);
    return 128;
}

// ---- encoding
template <class F> Unpacked unpack(F a, const Env& env);
template <class F> F encode(const Packed& p);

template <> inline F32 encode<F32>(const Packed& p) {
    return (uint32_t{p.sign} << 31) | (p.expfield << 23) | (static_cast<uint32_t>(p.sig) & 0x7fffff);
}
template <> inline F64 encode<F64>(const Packed& p) {
    return (uint64_t{p.sign} << 63) | (uint64_t{p.expfield} << 52) | (p.sig & 0xfffffffffffffull);
}
template <> inline F80 encode<F80>(const Packed& p) {
    return F80{p.sig, static_cast<uint16_t>((uint32_t{p.sign} << 15) | p.expfield)};
}

template <class F> inline F make_zero(bool sign) { return encode<F>(Packed{sign, 0, 0}); }
template <class F> inline F make_inf(bool sign) {
    const FormatInfo& f = Format<F>::info;
    return encode<F>(Packed{sign, static_cast<uint32_t>(2 * f.bias + 1), f.x87 ? 1ull << 63 : 0});
}
// A NaN from an unpacked one (payload truncated to the format), quieted.
template <class F> inline F make_quiet_nan(const Unpacked& u) {
    const FormatInfo& f = Format<F>::info;
    const uint64_t payload = (u.sig | (1ull << 62)) >> (64 - f.width);  // integer bit, quiet bit, payload
    return encode<F>(Packed{u.sign, static_cast<uint32_t>(2 * f.bias + 1), f.x87 ? payload : payload & ~(1ull << (f.width - 1))});
}

// ---- rounding (round.cpp)
// Rounds sig * 2^(e - 127) (sig's bit 127 set; its low bits may carry a
// sticky 1) to p significand bits in format f, raising PE/UE/OE and
// recording rounded_up, and returns the encoding's fields.
Packed round_pack(const FormatInfo& f, int p, bool sign, int32_t e, u128 sig, Env& env);

template <class F> inline F round_to(int p, bool sign, int32_t e, u128 sig, Env& env) {
    return encode<F>(round_pack(Format<F>::info, p, sign, e, sig, env));
}
// The precision arithmetic results of F are rounded to.
template <class F> inline int result_precision(const Env& env) {
    if constexpr (Format<F>::info.x87) return env.precision;
    else return Format<F>::info.width;
}

// ---- NaN rules (arith.cpp)
// The result of an operation with a NaN operand (a or b): SSE picks the
// first NaN operand, x87 a QNaN over an SNaN, then the larger significand.
// IE when one is an SNaN. b may be absent (unary operations).
template <class F> F propagate_nan(const Unpacked& a, const Unpacked* b, Env& env);

}  // namespace petrel::fp
