// What the SDM leaves undefined, per operation (and, for shifts, per count):
// the flags not to compare, and whether the result itself is undefined (the
// case is then not compared at all).
#pragma once
#include "tests/difftest/difftest.h"

namespace petrel::difftest {

struct Undefined {
    uint64_t flags = 0;   // RFLAGS bits whose value is undefined
    bool result = false;  // the destination is undefined too: skip the case
    uint16_t fsw = 0;     // x87 status-word bits not compared (C0-C3 the SDM leaves undefined)
    // RCP/RSQRT results are approximations whose exact bits differ between
    // CPU models (the SDM only bounds the relative error by 1.5 * 2^-12):
    // these single-precision lanes of the XMM registers are compared
    // against that bound instead of bit for bit.
    uint8_t approx_f32_lanes = 0;
};

Undefined undefined_for(const DecodedInsn& d, const State& in);

}  // namespace petrel::difftest
