// Random inputs with a bias towards the values where instructions go wrong:
// 0, 1, -1, the signed limits of every width, small shift/rotate counts
// around the operand widths, single bits.
#pragma once
#include <random>

#include "tests/difftest/difftest.h"

namespace petrel::difftest {

class InputGen {
public:
    explicit InputGen(uint64_t seed) : rng(seed) {}
    std::mt19937_64 rng;

    uint64_t value();      // a register or immediate value
    uint64_t count();      // a shift/rotate count (edge counts and above)
    uint64_t flags();      // CF PF AF ZF SF OF DF at random (bit 1 set)
    unsigned below(unsigned n) { return static_cast<unsigned>(rng() % n); }
    // Input state for one case of insn: random GPRs, RSP at the stack, the
    // memory base and the implicit pointers (string ops, XLAT, ENTER/LEAVE)
    // inside the data pages.
    State state(const DecodedInsn& insn);
    // The x87/SSE part of an input: XMM0-15, MXCSR and the x87 image.
    void fp_state(State& s);
    // Fills the bytes around the operands of insn in the data image.
    void memory(const DecodedInsn& insn, const State& in, uint8_t* data);

private:
    void maybe_reserved_mxcsr_bit(uint32_t& mxcsr);
    void restore_image(uint8_t* img);  // the 512-byte legacy region for FXRSTOR/XRSTOR
};

}  // namespace petrel::difftest
