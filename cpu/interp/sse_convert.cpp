// SSE/SSE2 conversions between single, double and 32/64-bit integers, on
// the soft-float. Float-to-integer conversions round per MXCSR or, in the
// CVTT* forms, toward zero; NaN and out-of-range values give the integer
// indefinite (only the sign bit set) with IE. Forms with an MMX register
// operand (CVTPI2PS with a register source, CVTPS2PI...) make the MMX
// state transition and see pending x87 exceptions.
#include "cpu/interp/sse_fp.h"

namespace petrel {

namespace {

using fp::F32;
using fp::F64;

// Availability for a form that may name an MMX register.
bool convert_available(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const bool mmx = d.ops[0].kind == OpKind::Mmx || d.ops[1].kind == OpKind::Mmx;
    if (mmx) x87_check_pending(cpu);
    return mmx;
}

// Float lanes (From) to float lanes (To): n lanes from the source's low
// lanes into the destination's low lanes. kZeroUpper: the destination's
// other lanes are cleared (CVTPD2PS), else kept (scalar forms) or
// entirely overwritten (n fills it).
template <class To, class From, unsigned kN, bool kZeroUpper>
void op_cvt_float(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = read_vec(cpu, d, 1, sse_requires_alignment(d.op));
    XmmReg r = kZeroUpper ? XmmReg{} : cpu.s.xmm[d.ops[0].reg];
    fp::Env env = sse_env(cpu);
    for (unsigned i = 0; i < kN; ++i) set_lane<To>(r, i, fp::convert<To, From>(lane<From>(b, i), env));
    sse_commit(cpu, env.flags);
    cpu.s.xmm[d.ops[0].reg] = r;
}

// Signed integer lanes (I) to float lanes (To).
template <class To, class I, unsigned kN, bool kZeroUpper>
void op_cvt_from_int(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = convert_available(cpu, d);
    const XmmReg b = read_vec(cpu, d, 1, sse_requires_alignment(d.op));
    XmmReg r = kZeroUpper ? XmmReg{} : cpu.s.xmm[d.ops[0].reg];
    fp::Env env = sse_env(cpu);
    for (unsigned i = 0; i < kN; ++i) set_lane<To>(r, i, fp::from_int<To>(lane<I>(b, i), env));
    // The MMX transition happens even when the conversion raises #XM (as on
    // the host CPU): after the operand reads, before the exception check.
    if (mmx && d.ops[1].kind == OpKind::Mmx) mmx_transition(cpu);
    sse_commit(cpu, env.flags);
    cpu.s.xmm[d.ops[0].reg] = r;
}

// CVTSI2SS / CVTSI2SD: a 32- or 64-bit general register or memory into lane 0.
template <class To>
void op_cvtsi2s(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const unsigned size = d.ops[1].size;
    const int64_t v = sign_extend(read_operand(cpu, d, 1), size);
    fp::Env env = sse_env(cpu);
    const To f = fp::from_int<To>(v, env);
    sse_commit(cpu, env.flags);
    set_lane<To>(cpu.s.xmm[d.ops[0].reg], 0, f);
}

// Float lanes (From) to 32-bit integer lanes: into an XMM register (upper
// lanes cleared when kN = 2) or an MMX register.
template <class From, unsigned kN, bool kTruncate>
void op_cvt_to_int32(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = convert_available(cpu, d);
    const XmmReg b = read_vec(cpu, d, 1, sse_requires_alignment(d.op));
    XmmReg r{};
    fp::Env env = sse_env(cpu);
    for (unsigned i = 0; i < kN; ++i)
        set_lane<uint32_t>(r, i, static_cast<uint32_t>(fp::to_int<From>(lane<From>(b, i), 32, kTruncate, env)));
    if (mmx) mmx_transition(cpu);  // even when #XM follows (see above)
    sse_commit(cpu, env.flags);
    write_vec(cpu, d, 0, r, false);
}

// CVTSS2SI / CVTSD2SI / CVTT*: lane 0 to a 32- or 64-bit general register.
template <class From, bool kTruncate>
void op_cvt_to_gpr(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = read_vec(cpu, d, 1, false);
    const unsigned size = d.ops[0].size;
    fp::Env env = sse_env(cpu);
    const int64_t v = fp::to_int<From>(lane<From>(b, 0), 8 * size, kTruncate, env);
    sse_commit(cpu, env.flags);
    cpu.gpr_write(d.ops[0].reg, size, static_cast<uint64_t>(v));
}

}  // namespace

void register_sse_convert(HandlerTable& t) {
    t.set(Op::CVTPS2PD, op_cvt_float<F64, F32, 2, false>);
    t.set(Op::CVTPD2PS, op_cvt_float<F32, F64, 2, true>);
    t.set(Op::CVTSS2SD, op_cvt_float<F64, F32, 1, false>);
    t.set(Op::CVTSD2SS, op_cvt_float<F32, F64, 1, false>);

    t.set(Op::CVTDQ2PS, op_cvt_from_int<F32, int32_t, 4, false>);
    t.set(Op::CVTDQ2PD, op_cvt_from_int<F64, int32_t, 2, false>);
    t.set(Op::CVTPI2PS, op_cvt_from_int<F32, int32_t, 2, false>);
    t.set(Op::CVTPI2PD, op_cvt_from_int<F64, int32_t, 2, false>);
    t.set(Op::CVTSI2SS, op_cvtsi2s<F32>);
    t.set(Op::CVTSI2SD, op_cvtsi2s<F64>);

    t.set(Op::CVTPS2DQ, op_cvt_to_int32<F32, 4, false>);
    t.set(Op::CVTTPS2DQ, op_cvt_to_int32<F32, 4, true>);
    t.set(Op::CVTPD2DQ, op_cvt_to_int32<F64, 2, false>);
    t.set(Op::CVTTPD2DQ, op_cvt_to_int32<F64, 2, true>);
    t.set(Op::CVTPS2PI, op_cvt_to_int32<F32, 2, false>);
    t.set(Op::CVTTPS2PI, op_cvt_to_int32<F32, 2, true>);
    t.set(Op::CVTPD2PI, op_cvt_to_int32<F64, 2, false>);
    t.set(Op::CVTTPD2PI, op_cvt_to_int32<F64, 2, true>);
    t.set(Op::CVTSS2SI, op_cvt_to_gpr<F32, false>);
    t.set(Op::CVTTSS2SI, op_cvt_to_gpr<F32, true>);
    t.set(Op::CVTSD2SI, op_cvt_to_gpr<F64, false>);
    t.set(Op::CVTTSD2SI, op_cvt_to_gpr<F64, true>);
}

}  // namespace petrel
