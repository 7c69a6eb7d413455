// x87 family registration. The handlers live by concern:
//   x87_load_store.cpp     FLD/FILD/FBLD, FST/FIST/FISTTP/FBSTP, FXCH, FCMOVcc, constants
//   x87_arith.cpp          FADD..FDIVR (all forms), FSQRT, FABS, FCHS, FRNDINT, FSCALE, FXTRACT, FPREM(1)
//   x87_compare.cpp        FCOM/FUCOM/FICOM (+P/PP), FCOMI/FUCOMI(P), FTST, FXAM
//   x87_transcendental.cpp FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1
//   x87_control.cpp        FNINIT, FNCLEX, FLDCW, FNSTCW, FNSTSW, FLDENV/FNSTENV, FRSTOR/FNSAVE, FINCSTP...
// Shared rules: x87_stack.h (stack, status, exceptions), x87_common.h
// (prologue, operands, committing results). The math: cpu/fpu/.
#include "cpu/interp/x87_common.h"

namespace petrel {

void register_x87(HandlerTable& t) {
    register_x87_load_store(t);
    register_x87_arith(t);
    register_x87_compare(t);
    register_x87_transcendental(t);
    register_x87_control(t);
}

}  // namespace petrel
