// The values of FLDZ, FLD1, FLDPI, FLDL2T, FLDL2E, FLDLG2 and FLDLN2: the
// 128-bit constants rounded in the direction of FCW.RC (SDM vol. 1 8.3.8:
// the hardware holds them with more bits than it loads and rounds them by
// RC, not by precision control; no exception is reported).
#include "cpu/fpu/wide_functions.h"
#include "cpu/fpu/x87_math.h"

namespace petrel::fp {

F80 x87_constant(X87Constant c, Round rc) {
    const WideConstants& w = wide_constants();
    Wide v;
    switch (c) {
        case X87Constant::Zero: return make_zero<F80>(false);
        case X87Constant::One: return f80(false, 0x3fff, 1ull << 63);
        case X87Constant::Pi: v = w.pi; break;
        case X87Constant::Log2Ten: v = w.log2ten; break;
        case X87Constant::Log2E: v = w.log2e; break;
        case X87Constant::Log10Two: v = w.log10two; break;
        case X87Constant::LnTwo: v = w.ln2; break;
    }
    Env env;
    env.round = rc;
    return wide_round(v, env);
}

}  // namespace petrel::fp
