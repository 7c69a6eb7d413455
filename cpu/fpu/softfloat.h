// Petrel's soft-float: IEEE single and double (SSE) and the x87 80-bit
// extended format, computed with integers only so every host gives the
// results an x86 CPU gives, bit for bit, with x86's exception flags.
//
// The x86 rules it follows (SDM vol. 1 ch. 4, 8, 11; checked against the
// host CPU by tests/unit/cpu/test_softfloat*.cpp):
// - Rounding: the four modes of MXCSR.RC / FCW.RC. F80 arithmetic results
//   are rounded to Env::precision significand bits (x87 precision control)
//   with the extended exponent range.
// - Tininess is detected after rounding (rounded as if the exponent range
//   were unbounded, the result is below the smallest normal). Masked
//   underflow is flagged only when the tiny result is also inexact; unmasked,
//   whenever it is tiny.
// - Unmasked overflow/underflow (x87): the result is the rounded value with
//   the exponent wrapped by -/+ 24576 (SSE callers discard the result).
// - NaNs: F32/F64 operations (SSE) return the first source operand's NaN if
//   it has one, else the second's, quieted; F80 operations (x87) prefer a
//   QNaN to an SNaN and otherwise the larger significand. Invalid operations
//   return the default NaN, negative with a zero payload (0xFFC00000,
//   0xFFF8000000000000, x87 "real indefinite" 0xFFFF C000000000000000).
// - DAZ reads denormal F32/F64 operands as zeros (no DE); FTZ returns a zero
//   for a tiny result while underflow is masked (flags UE and PE).
// - F80 unsupported encodings (pseudo-NaN, pseudo-infinity, unnormal) are
//   invalid operands; pseudo-denormals are read as denormals.
#pragma once
#include <cstdint>

#include "cpu/state.h"

namespace petrel::fp {

// Exception flags, in the bit order of both FSW/FCW and MXCSR.
enum Flag : uint8_t {
    kInvalid = 1 << 0,
    kDenormal = 1 << 1,
    kDivByZero = 1 << 2,
    kOverflow = 1 << 3,
    kUnderflow = 1 << 4,
    kInexact = 1 << 5,
    kAllFlags = 0x3f,
};

// Rounding control, in the x86 encoding.
enum class Round : uint8_t { Nearest = 0, Down = 1, Up = 2, Zero = 3 };

// The floating-point environment of one operation, and what it raised.
struct Env {
    Round round = Round::Nearest;
    uint8_t precision = 64;   // F80 arithmetic: 24, 53 or 64 significand bits
    uint8_t masked = kAllFlags;  // masked exceptions (x87 OE/UE unmasked change the result)
    bool daz = false;         // F32/F64 denormal operands are zeros
    bool ftz = false;         // F32/F64 tiny results are zeros (while UE is masked)
    uint8_t flags = 0;        // raised, accumulated over operations
    bool rounded_up = false;  // the last inexact result was rounded away from zero (x87 C1)
};

using F32 = uint32_t;
using F64 = uint64_t;
using F80 = Float80;

// ---- classification
template <class F> bool is_nan(F a);
template <class F> bool is_snan(F a);
template <class F> bool is_denormal(F a);  // F80: also pseudo-denormals
bool is_unsupported(const F80& a);         // pseudo-NaN, pseudo-infinity, unnormal
template <class F> F default_nan();
template <class F> F quiet(F a);

// ---- arithmetic (F80 results rounded to Env::precision)
template <class F> F add(F a, F b, Env& env);
template <class F> F sub(F a, F b, Env& env);
template <class F> F mul(F a, F b, Env& env);
template <class F> F div(F a, F b, Env& env);
template <class F> F sqrt(F a, Env& env);

// ---- comparison
enum class Relation : uint8_t { Less, Equal, Greater, Unordered };
// quiet: only SNaNs are invalid (UCOMISS, FUCOM); otherwise every NaN is.
template <class F> Relation compare(F a, F b, bool quiet, Env& env);

// ---- conversions
// Between formats (x87 loads and stores, CVTSS2SD...): rounded to the
// destination's full precision and exponent range.
template <class To, class From> To convert(From a, Env& env);
// To a signed integer of `bits` (16, 32, 64): rounded with env.round, or
// toward zero when truncate. NaN, infinity and out-of-range values are
// invalid and return the integer indefinite (only the sign bit set).
template <class F> int64_t to_int(F a, unsigned bits, bool truncate, Env& env);
// From a signed 64-bit integer (exact for F80).
template <class F> F from_int(int64_t v, Env& env);
// Round to an integral value in the same format (FRNDINT, ROUNDSS): the
// inexact flag only when signal_inexact.
template <class F> F round_to_int(F a, Round mode, bool signal_inexact, Env& env);

// ---- x87 specials (F80)
// FSCALE: a * 2^trunc(b).
F80 scale(const F80& a, const F80& b, Env& env);
// FXTRACT: exponent (as a value) and significand (exponent 0).
void extract(const F80& a, F80& exponent, F80& significand, Env& env);
// FPREM (round_nearest false: truncating quotient) / FPREM1: a partial
// remainder. quotient receives the low 3 bits of the quotient; complete is
// false when the reduction is partial (C2 = 1; the caller repeats).
F80 remainder(const F80& a, const F80& b, bool round_nearest, uint64_t& quotient, bool& complete, Env& env);

// F80 constants, built from exact bit patterns.
F80 f80(bool sign, uint16_t exp, uint64_t sig);
inline bool sign_of(const F80& a) { return a.sign_exp >> 15; }

}  // namespace petrel::fp
