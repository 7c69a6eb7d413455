// MMX/SSE integer compares (all-ones / all-zeros lanes) and PTEST.
#include "cpu/interp/flags.h"
#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

template <class T>
void op_pcmpeq(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return a == b ? static_cast<T>(~T(0)) : T(0); });
}

template <class T>  // T signed
void op_pcmpgt(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return a > b ? static_cast<T>(-1) : T(0); });
}

// PTEST: ZF = (dst AND src) == 0, CF = (NOT dst AND src) == 0; AF, OF,
// PF, SF cleared.
void op_ptest(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg& a = cpu.s.xmm[d.ops[0].reg];
    const bool zf = ((a.q[0] & b.q[0]) | (a.q[1] & b.q[1])) == 0;
    const bool cf = ((~a.q[0] & b.q[0]) | (~a.q[1] & b.q[1])) == 0;
    set_arith_flags(cpu, (zf ? uint64_t{kZF} : 0) | (cf ? uint64_t{kCF} : 0));
}

}  // namespace

void register_sse_compare(HandlerTable& t) {
    t.set(Op::PCMPEQB, op_pcmpeq<uint8_t>);
    t.set(Op::PCMPEQW, op_pcmpeq<uint16_t>);
    t.set(Op::PCMPEQD, op_pcmpeq<uint32_t>);
    t.set(Op::PCMPEQQ, op_pcmpeq<uint64_t>);
    t.set(Op::PCMPGTB, op_pcmpgt<int8_t>);
    t.set(Op::PCMPGTW, op_pcmpgt<int16_t>);
    t.set(Op::PCMPGTD, op_pcmpgt<int32_t>);
    t.set(Op::PCMPGTQ, op_pcmpgt<int64_t>);
    t.set(Op::PTEST, op_ptest);
}

}  // namespace petrel
