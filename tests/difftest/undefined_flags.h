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
    // Memory bytes not compared (the bits set in `bits` of each byte of
    // [addr, addr + len)): the FIP/FCS/FOP/FDP/FDS fields of an
    // FNSTENV/FNSAVE/FXSAVE image, which vendors store differently (AMD
    // only with an exception pending), and MXCSR_MASK bit 17 (AMD's MM).
    struct MemSkip {
        uint64_t addr = 0;
        unsigned len = 0;
        uint8_t bits = 0xff;
    };
    MemSkip mem_skip[8];
    unsigned n_mem_skip = 0;
    void skip_mem(uint64_t addr, unsigned len, uint8_t bits = 0xff) {
        if (n_mem_skip < 8) mem_skip[n_mem_skip++] = MemSkip{addr, len, bits};
    }
    // The bits of the data byte at linear address a that are compared.
    uint8_t mem_compared(uint64_t a) const {
        uint8_t m = 0xff;
        for (unsigned i = 0; i < n_mem_skip; ++i)
            if (a >= mem_skip[i].addr && a < mem_skip[i].addr + mem_skip[i].len) m &= static_cast<uint8_t>(~mem_skip[i].bits);
        return m;
    }
};

Undefined undefined_for(const DecodedInsn& d, const State& in);

// What the host's result shows to be vendor-specific: where AMD and Intel
// (the SDM) answer differently for an unmasked x87 exception the
// instruction raised, and what XSAVE/XSAVEOPT may leave unwritten.
// in_data/native_data: the data pages before and after (natively).
// May set u.result (the case is then not compared).
void undefined_after(const DecodedInsn& d, const State& in, const State& native, const uint8_t* in_data,
                     const uint8_t* native_data, Undefined& u);

}  // namespace petrel::difftest
