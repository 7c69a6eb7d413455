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
    // x87 transcendentals (FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X,
    // FYL2XP1) are not correctly rounded on every CPU: these ST(i) of the
    // result (bit i) are compared within 1 ulp, and C1 (the round-up
    // indication, which follows the last bit) is not compared for them.
    uint8_t approx_st = 0;
    // Memory bytes [mem_skip_addr, +mem_skip_len) not compared: the
    // FIP/FCS/FOP/FDP/FDS fields of an FNSTENV/FNSAVE image, which vendors
    // store differently (AMD only with an exception pending).
    uint64_t mem_skip_addr = 0;
    unsigned mem_skip_len = 0;
};

Undefined undefined_for(const DecodedInsn& d, const State& in);

}  // namespace petrel::difftest
