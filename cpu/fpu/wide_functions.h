// Elementary functions on Wide (128-bit working precision) over the small
// ranges the x87 kernels reduce to, and the constants they need, built once
// from π's bits and from series (no host floating point anywhere).
#pragma once
#include "cpu/fpu/wide.h"

namespace petrel::fp {

Wide wide_sin(const Wide& r);    // |r| <= π/4
Wide wide_cos(const Wide& r);    // |r| <= π/4
Wide wide_expm1(const Wide& t);  // e^t - 1, |t| <= 1
Wide wide_ln(const Wide& m);     // ln m, m in [1/√2, √2]
Wide wide_ln1p(const Wide& x);   // ln(1 + x), |x| < 1 - 1/√2
Wide wide_atan(const Wide& t);   // atan t, 0 <= t <= 1

struct WideConstants {
    Wide pi, pi_half, pi_quarter, two_over_pi;
    Wide ln2, log2e, log2ten, log10two;
    // π/2 as a fixed-point number with 318 fraction bits (five 64-bit limbs,
    // least significant first): argument reduction needs far more bits of
    // π than a Wide holds.
    uint64_t pi_half_fixed[5];
};
const WideConstants& wide_constants();

}  // namespace petrel::fp
