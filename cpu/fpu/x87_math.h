// The x87's own math beyond IEEE arithmetic (F80 only): the load-constant
// values and the transcendental functions. Every function takes care of
// its special operands (NaN, infinity, zero, denormal, unsupported
// encodings) the way the SDM's tables say, raises its flags in env, and
// rounds to the full 64-bit significand (precision control does not apply
// to these instructions).
//
// The transcendentals are computed in 128-bit working precision (wide.h)
// and rounded once, so they are within one unit in the last place (nearly
// always correctly rounded); hardware differs by up to 1 ulp from the true
// value itself, which is what the difftest allows for.
#pragma once
#include "cpu/fpu/softfloat.h"

namespace petrel::fp {

enum class X87Constant : uint8_t { Zero, One, Pi, Log2Ten, Log2E, Log10Two, LnTwo };
// The constant rounded in direction rc (FLDPI and friends).
F80 x87_constant(X87Constant c, Round rc);

// FSIN / FCOS / FSINCOS / FPTAN operand range: |x| < 2^63. Outside it (an
// infinite or NaN operand aside) the instruction sets C2 and does nothing.
bool trig_in_range(const F80& x);
// sin and/or cos (either pointer may be null). The operand must be in range.
void sin_cos(const F80& x, F80* sin, F80* cos, Env& env);
F80 tan(const F80& x, Env& env);
// FPATAN: the angle of (x, y), atan(y / x) with the quadrant of x's sign.
F80 atan2(const F80& y, const F80& x, Env& env);
// F2XM1: 2^x - 1 (x in [-1, 1]; outside the result is undefined).
F80 exp2m1(const F80& x, Env& env);
// FYL2X: y * log2(x).
F80 ylog2x(const F80& y, const F80& x, Env& env);
// FYL2XP1: y * log2(x + 1).
F80 ylog2xp1(const F80& y, const F80& x, Env& env);

}  // namespace petrel::fp
