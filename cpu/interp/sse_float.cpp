// SSE/SSE2/SSE3/SSE4.1 floating-point arithmetic on the soft-float:
// add/sub/mul/div/sqrt, min/max, compares into masks (CMPxx) and into
// EFLAGS (COMISx/UCOMISx), ADDSUB, horizontal add/sub, dot products,
// rounding to integral values, and the reciprocal approximations.
//
// Packed (PS/PD) forms compute every lane; scalar (SS/SD) forms lane 0
// and keep the destination's other lanes. Flags and #XM follow sse_fp.h.
#include "cpu/interp/flags.h"
#include "cpu/interp/sse_fp.h"

namespace petrel {

namespace {

using fp::F32;
using fp::F64;

// dst = f(dst, src, env) on lanes of F: all of them, or lane 0 only.
template <class F, bool kScalar, class Fn>
void float_binary(Cpu& cpu, const DecodedInsn& d, Fn f) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    XmmReg r = a;
    fp::Env env = sse_env(cpu);
    const unsigned n = kScalar ? 1 : 16 / sizeof(F);
    for (unsigned i = 0; i < n; ++i) set_lane<F>(r, i, f(lane<F>(a, i), lane<F>(b, i), env));
    sse_commit(cpu, env.flags);
    cpu.s.xmm[d.ops[0].reg] = r;
}

// dst = f(src, env).
template <class F, bool kScalar, class Fn>
void float_unary(Cpu& cpu, const DecodedInsn& d, Fn f) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    XmmReg r = cpu.s.xmm[d.ops[0].reg];
    fp::Env env = sse_env(cpu);
    const unsigned n = kScalar ? 1 : 16 / sizeof(F);
    for (unsigned i = 0; i < n; ++i) set_lane<F>(r, i, f(lane<F>(b, i), env));
    sse_commit(cpu, env.flags);
    cpu.s.xmm[d.ops[0].reg] = r;
}

enum class Arith { Add, Sub, Mul, Div };
template <class F, Arith kOp>
F arith(F a, F b, fp::Env& e) {
    if constexpr (kOp == Arith::Add) return fp::add<F>(a, b, e);
    else if constexpr (kOp == Arith::Sub) return fp::sub<F>(a, b, e);
    else if constexpr (kOp == Arith::Mul) return fp::mul<F>(a, b, e);
    else return fp::div<F>(a, b, e);
}

template <class F, bool kScalar, Arith kOp>
void op_arith(Cpu& cpu, const DecodedInsn& d) {
    float_binary<F, kScalar>(cpu, d, arith<F, kOp>);
}

template <class F, bool kScalar>
void op_sqrt(Cpu& cpu, const DecodedInsn& d) {
    float_unary<F, kScalar>(cpu, d, [](F a, fp::Env& e) { return fp::sqrt<F>(a, e); });
}

// MIN/MAX: the second operand whenever the comparison fails (either is a
// NaN, or both are zeros); any NaN is invalid. With DAZ a denormal result
// operand is returned as the zero it was read as.
template <class F>
F daz_value(F v, const fp::Env& e) {
    if (e.daz && fp::is_denormal<F>(v)) return static_cast<F>(v & (F{1} << (8 * sizeof(F) - 1)));
    return v;
}
template <class F, bool kScalar, bool kMax>
void op_minmax(Cpu& cpu, const DecodedInsn& d) {
    float_binary<F, kScalar>(cpu, d, [](F a, F b, fp::Env& e) {
        const fp::Relation r = fp::compare<F>(a, b, false, e);
        const bool first = kMax ? r == fp::Relation::Greater : r == fp::Relation::Less;
        return daz_value<F>(first ? a : b, e);
    });
}

// CMPPS/CMPPD/CMPSS/CMPSD predicates 0-7: EQ LT LE UNORD NEQ NLT NLE ORD.
// LT/LE/NLT/NLE signal on QNaNs too.
template <class F>
bool predicate(unsigned p, fp::Relation r) {
    using fp::Relation;
    switch (p & 7) {
        case 0: return r == Relation::Equal;
        case 1: return r == Relation::Less;
        case 2: return r == Relation::Less || r == Relation::Equal;
        case 3: return r == Relation::Unordered;
        case 4: return r != Relation::Equal;
        case 5: return r != Relation::Less;
        case 6: return !(r == Relation::Less || r == Relation::Equal);
        default: return r != Relation::Unordered;
    }
}
template <class F, bool kScalar>
void op_cmp(Cpu& cpu, const DecodedInsn& d) {
    const unsigned p = static_cast<unsigned>(d.imm & 7);
    const bool quiet = p == 0 || p == 3 || p == 4 || p == 7;
    float_binary<F, kScalar>(cpu, d, [p, quiet](F a, F b, fp::Env& e) {
        return predicate<F>(p, fp::compare<F>(a, b, quiet, e)) ? static_cast<F>(~F{0}) : F{0};
    });
}

// COMISS/COMISD (every NaN invalid) and UCOMISS/UCOMISD (SNaNs only):
// ZF PF CF = 111 unordered, 100 equal, 001 less, 000 greater; OF SF AF 0.
template <class F, bool kQuiet>
void op_comis(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    fp::Env env = sse_env(cpu);
    const fp::Relation r = fp::compare<F>(lane<F>(cpu.s.xmm[d.ops[0].reg], 0), lane<F>(b, 0), kQuiet, env);
    sse_commit(cpu, env.flags);
    uint64_t f = 0;
    switch (r) {
        case fp::Relation::Unordered: f = kZF | kPF | kCF; break;
        case fp::Relation::Equal: f = kZF; break;
        case fp::Relation::Less: f = kCF; break;
        case fp::Relation::Greater: break;
    }
    set_arith_flags(cpu, f);
}

// ADDSUBPS/PD: even lanes subtract, odd lanes add.
template <class F>
void op_addsub(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    XmmReg r{};
    fp::Env env = sse_env(cpu);
    for (unsigned i = 0; i < 16 / sizeof(F); ++i)
        set_lane<F>(r, i, (i & 1) ? fp::add<F>(lane<F>(a, i), lane<F>(b, i), env)
                                  : fp::sub<F>(lane<F>(a, i), lane<F>(b, i), env));
    sse_commit(cpu, env.flags);
    cpu.s.xmm[d.ops[0].reg] = r;
}

// HADDPx/HSUBPx: adjacent pairs of the destination, then of the source.
template <class F, Arith kOp>
void op_horizontal(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    constexpr unsigned kHalf = 8 / sizeof(F);
    XmmReg r{};
    fp::Env env = sse_env(cpu);
    for (unsigned i = 0; i < kHalf; ++i)
        set_lane<F>(r, i, arith<F, kOp>(lane<F>(a, 2 * i), lane<F>(a, 2 * i + 1), env));
    for (unsigned i = 0; i < kHalf; ++i)
        set_lane<F>(r, kHalf + i, arith<F, kOp>(lane<F>(b, 2 * i), lane<F>(b, 2 * i + 1), env));
    sse_commit(cpu, env.flags);
    cpu.s.xmm[d.ops[0].reg] = r;
}

// DPPS/DPPD: products of the lanes selected by imm[7:4] (others +0),
// summed pairwise ((p0 + p1) + (p2 + p3)), each step rounded; the sum goes
// to the lanes selected by imm[3:0], zero elsewhere. Exceptions are
// determined per stage in the order of execution (SDM): an unmasked one in
// the products raises #XM before the additions add their flags.
template <class F>
void op_dp(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    constexpr unsigned kN = 16 / sizeof(F);
    fp::Env env = sse_env(cpu);
    F p[kN];
    for (unsigned i = 0; i < kN; ++i)
        p[i] = ((d.imm >> (4 + i)) & 1) ? fp::mul<F>(lane<F>(a, i), lane<F>(b, i), env) : F{0};
    sse_commit(cpu, env.flags);
    env.flags = 0;
    F sum;
    if constexpr (kN == 4) {
        const F s01 = fp::add<F>(p[0], p[1], env), s23 = fp::add<F>(p[2], p[3], env);
        sse_commit(cpu, env.flags);
        env.flags = 0;
        sum = fp::add<F>(s01, s23, env);
    } else {
        sum = fp::add<F>(p[0], p[1], env);
    }
    sse_commit(cpu, env.flags);
    XmmReg r{};
    for (unsigned i = 0; i < kN; ++i)
        if ((d.imm >> i) & 1) set_lane<F>(r, i, sum);
    cpu.s.xmm[d.ops[0].reg] = r;
}

// ROUNDPS/PD/SS/SD: imm[1:0] the rounding mode unless imm[2] says MXCSR's;
// imm[3] suppresses the precision exception. Only SNaNs are invalid.
template <class F, bool kScalar>
void op_round(Cpu& cpu, const DecodedInsn& d) {
    const unsigned imm = static_cast<unsigned>(d.imm);
    float_unary<F, kScalar>(cpu, d, [imm](F a, fp::Env& e) {
        const fp::Round mode = (imm & 4) ? e.round : static_cast<fp::Round>(imm & 3);
        return fp::round_to_int<F>(a, mode, !(imm & 8), e);
    });
}

// RCPPS/RCPSS/RSQRTPS/RSQRTSS: 12-bit approximations. They raise no flags
// and ignore MXCSR (DAZ aside, which the hardware applies); the value here
// is the exact result (in double, by the soft-float) cut to 12 significand
// bits, within the SDM's error bound.
uint32_t approx_recip(uint32_t a, bool rsqrt) {
    const uint32_t sign = a & 0x80000000u, mag = a & 0x7fffffffu;
    if (mag > 0x7f800000u) return a | 0x00400000u;  // NaN: quieted
    // Denormal inputs count as zero (SDM), so RSQRT of a negative denormal
    // is -infinity, not the negative-operand NaN.
    if (mag < 0x00800000u) return sign | 0x7f800000u;  // zeros and denormals: infinity
    if (rsqrt && sign) return 0xffc00000u;
    if (mag == 0x7f800000u) return sign;
    // RCP of |x| >= 2^126: the SDM guarantees a tiny result, flushed to 0,
    // up to 1.00000000000110000000001b * 2^126; above, 1/x is below 2^-126
    // anyway (exactly 2^126 would otherwise give the normal 2^-126).
    if (!rsqrt && mag >= 0x7e800000u) return sign;
    fp::Env e;
    F64 x = fp::convert<F64, F32>(mag, e);
    if (rsqrt) x = fp::sqrt<F64>(x, e);
    const F64 one = 0x3ff0000000000000ull;
    const F32 y = fp::convert<F32, F64>(fp::div<F64>(one, x, e) & ~0xffffffffull, e);
    if ((y & 0x7f800000u) == 0) return sign;  // the reciprocal of a huge value: zero
    return sign | (y & 0xfffff000u);
}
template <bool kScalar, bool kRsqrt>
void op_approx(Cpu& cpu, const DecodedInsn& d) {
    float_unary<F32, kScalar>(cpu, d, [](F32 a, fp::Env&) { return approx_recip(a, kRsqrt); });
}

}  // namespace

void register_sse_float(HandlerTable& t) {
    t.set(Op::ADDPS, op_arith<F32, false, Arith::Add>);
    t.set(Op::ADDSS, op_arith<F32, true, Arith::Add>);
    t.set(Op::ADDPD, op_arith<F64, false, Arith::Add>);
    t.set(Op::ADDSD, op_arith<F64, true, Arith::Add>);
    t.set(Op::SUBPS, op_arith<F32, false, Arith::Sub>);
    t.set(Op::SUBSS, op_arith<F32, true, Arith::Sub>);
    t.set(Op::SUBPD, op_arith<F64, false, Arith::Sub>);
    t.set(Op::SUBSD, op_arith<F64, true, Arith::Sub>);
    t.set(Op::MULPS, op_arith<F32, false, Arith::Mul>);
    t.set(Op::MULSS, op_arith<F32, true, Arith::Mul>);
    t.set(Op::MULPD, op_arith<F64, false, Arith::Mul>);
    t.set(Op::MULSD, op_arith<F64, true, Arith::Mul>);
    t.set(Op::DIVPS, op_arith<F32, false, Arith::Div>);
    t.set(Op::DIVSS, op_arith<F32, true, Arith::Div>);
    t.set(Op::DIVPD, op_arith<F64, false, Arith::Div>);
    t.set(Op::DIVSD, op_arith<F64, true, Arith::Div>);
    t.set(Op::SQRTPS, op_sqrt<F32, false>);
    t.set(Op::SQRTSS, op_sqrt<F32, true>);
    t.set(Op::SQRTPD, op_sqrt<F64, false>);
    t.set(Op::SQRTSD, op_sqrt<F64, true>);
    t.set(Op::MINPS, op_minmax<F32, false, false>);
    t.set(Op::MINSS, op_minmax<F32, true, false>);
    t.set(Op::MINPD, op_minmax<F64, false, false>);
    t.set(Op::MINSD, op_minmax<F64, true, false>);
    t.set(Op::MAXPS, op_minmax<F32, false, true>);
    t.set(Op::MAXSS, op_minmax<F32, true, true>);
    t.set(Op::MAXPD, op_minmax<F64, false, true>);
    t.set(Op::MAXSD, op_minmax<F64, true, true>);
    t.set(Op::CMPPS, op_cmp<F32, false>);
    t.set(Op::CMPSS, op_cmp<F32, true>);
    t.set(Op::CMPPD, op_cmp<F64, false>);
    t.set(Op::CMPSD, op_cmp<F64, true>);
    t.set(Op::COMISS, op_comis<F32, false>);
    t.set(Op::COMISD, op_comis<F64, false>);
    t.set(Op::UCOMISS, op_comis<F32, true>);
    t.set(Op::UCOMISD, op_comis<F64, true>);
    t.set(Op::ADDSUBPS, op_addsub<F32>);
    t.set(Op::ADDSUBPD, op_addsub<F64>);
    t.set(Op::HADDPS, op_horizontal<F32, Arith::Add>);
    t.set(Op::HADDPD, op_horizontal<F64, Arith::Add>);
    t.set(Op::HSUBPS, op_horizontal<F32, Arith::Sub>);
    t.set(Op::HSUBPD, op_horizontal<F64, Arith::Sub>);
    t.set(Op::DPPS, op_dp<F32>);
    t.set(Op::DPPD, op_dp<F64>);
    t.set(Op::ROUNDPS, op_round<F32, false>);
    t.set(Op::ROUNDSS, op_round<F32, true>);
    t.set(Op::ROUNDPD, op_round<F64, false>);
    t.set(Op::ROUNDSD, op_round<F64, true>);
    t.set(Op::RCPPS, op_approx<false, false>);
    t.set(Op::RCPSS, op_approx<true, false>);
    t.set(Op::RSQRTPS, op_approx<false, true>);
    t.set(Op::RSQRTSS, op_approx<true, true>);
}

}  // namespace petrel
