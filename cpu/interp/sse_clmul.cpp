// PCLMULQDQ (SDM vol. 2): the carry-less (GF(2)[x] polynomial) product of
// one quadword of the destination and one of the source, a 128-bit result.
// imm8 bit 0 picks the destination's quadword, bit 4 the source's.
#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

// Shift-and-xor over the bits of b: the product of two degree-63
// polynomials has degree at most 126, so it fits in 128 bits.
XmmReg clmul64(uint64_t a, uint64_t b) {
    XmmReg r{};
    for (unsigned i = 0; i < 64; ++i) {
        if (!((b >> i) & 1)) continue;
        r.q[0] ^= a << i;
        if (i) r.q[1] ^= a >> (64 - i);
    }
    return r;
}

void op_pclmulqdq(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg src = vsrc(cpu, d, 1);
    const XmmReg& dst = cpu.s.xmm[d.ops[0].reg];
    cpu.s.xmm[d.ops[0].reg] = clmul64(dst.q[d.imm & 1], src.q[(d.imm >> 4) & 1]);
}

}  // namespace

void register_sse_clmul(HandlerTable& t) { t.set(Op::PCLMULQDQ, op_pclmulqdq); }

}  // namespace petrel
