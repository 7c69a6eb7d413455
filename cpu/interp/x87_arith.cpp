// x87 arithmetic: FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR with real, integer and
// register operands (and the popping forms), FSQRT, FABS, FCHS, FRNDINT,
// FSCALE, FXTRACT, FPREM and FPREM1.
#include "cpu/interp/x87_common.h"

namespace petrel {

namespace {

enum class Arith : uint8_t { Add, Sub, Mul, Div };

fp::F80 compute(Arith k, const fp::F80& a, const fp::F80& b, fp::Env& env) {
    switch (k) {
        case Arith::Add: return fp::add(a, b, env);
        case Arith::Sub: return fp::sub(a, b, env);
        case Arith::Mul: return fp::mul(a, b, env);
        default: return fp::div(a, b, env);
    }
}

// dest = dest op src, or src op dest for the reversed (R) forms. Memory
// forms: dest is ST(0) and src the memory operand; register forms name
// dest and src as their two operands (ST(0), ST(i) or ST(i), ST(0)).
template <Arith kOp, bool kReverse, bool kPop, bool kInt>
void op_arith(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    fp::F80 b;
    bool b_denormal = false;
    unsigned dest = 0;
    if (d.ops[0].kind == OpKind::Mem) {
        const MemValue m = x87_read_mem(cpu, d, kInt ? MemFormat::Int : MemFormat::Real);
        if (st_empty(cpu, 0)) {
            x87_underflow_result(cpu, 0, false);
            return;
        }
        b = m.value;
        b_denormal = m.denormal;
    } else {
        dest = d.ops[0].reg;
        const unsigned src = d.ops[1].reg;
        if (st_empty(cpu, dest) || st_empty(cpu, src)) {
            x87_underflow_result(cpu, dest, kPop);
            return;
        }
        b = st(cpu, src);
    }
    fp::F80 a = st(cpu, dest);
    fp::Env env = x87_op_env(cpu);
    // A denormal single/double was widened to a normal F80: its DE is
    // raised here (a NaN in the other operand takes precedence, and a
    // division by zero reports ZE alone).
    if (kReverse) std::swap(a, b);
    const bool by_zero = kOp == Arith::Div && (b.sign_exp & 0x7fff) == 0 && b.significand == 0;
    if (b_denormal && !fp::is_nan(st(cpu, dest)) && !fp::is_unsupported(st(cpu, dest)) && !by_zero)
        env.flags |= fp::kDenormal;
    const fp::F80 r = compute(kOp, a, b, env);
    if (!x87_commit(cpu, env)) return;
    st_write(cpu, dest, r);
    if (kPop) x87_pop(cpu);
}

// Unary operations on ST(0) with a rounded result.
template <class F>
void unary(Cpu& cpu, const DecodedInsn& d, F f) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0)) {
        x87_underflow_result(cpu, 0, false);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    const fp::F80 r = f(st(cpu, 0), env);
    if (!x87_commit(cpu, env)) return;
    st_write(cpu, 0, r);
}

void op_fsqrt(Cpu& cpu, const DecodedInsn& d) {
    unary(cpu, d, [](const fp::F80& a, fp::Env& env) { return fp::sqrt(a, env); });
}

void op_frndint(Cpu& cpu, const DecodedInsn& d) {
    unary(cpu, d, [](const fp::F80& a, fp::Env& env) { return fp::round_to_int(a, env.round, true, env); });
}

// FABS/FCHS change the sign bit only: no exception but stack underflow.
template <bool kNegate>
void op_sign(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0)) {
        x87_underflow_result(cpu, 0, false);
        return;
    }
    fp::F80 v = st(cpu, 0);
    v.sign_exp = static_cast<uint16_t>(kNegate ? v.sign_exp ^ 0x8000 : v.sign_exp & 0x7fff);
    st_write(cpu, 0, v);
    set_c1(cpu, false);
}

void op_fscale(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0) || st_empty(cpu, 1)) {
        x87_underflow_result(cpu, 0, false);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    const fp::F80 r = fp::scale(st(cpu, 0), st(cpu, 1), env);
    if (!x87_commit(cpu, env)) return;
    st_write(cpu, 0, r);
}

// FXTRACT: ST(0) becomes the exponent and the significand is pushed. With
// ST(0) empty or no room to push, the masked response is two indefinites.
void op_fxtract(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0) || !st_empty(cpu, 7)) {
        if (!x87_stack_fault(cpu, !st_empty(cpu, 0))) return;
        st_write(cpu, 0, real_indefinite());
        x87_push(cpu, real_indefinite());
        return;
    }
    fp::Env env = x87_op_env(cpu);
    fp::F80 exponent, significand;
    fp::extract(st(cpu, 0), exponent, significand, env);
    if (!x87_commit(cpu, env)) return;
    st_write(cpu, 0, exponent);
    x87_push(cpu, significand);
}

// FPREM (truncated quotient) / FPREM1 (nearest): C2 = reduction incomplete;
// C0, C3, C1 = quotient bits 2, 1, 0 of a complete reduction.
template <bool kNearest>
void op_fprem(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0) || st_empty(cpu, 1)) {
        cpu.s.x87.fsw &= static_cast<uint16_t>(~kFswC2);  // as the host CPU does
        x87_underflow_result(cpu, 0, false);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    uint64_t q;
    bool complete;
    const fp::F80 r = fp::remainder(st(cpu, 0), st(cpu, 1), kNearest, q, complete, env);
    if (!x87_report(cpu, env.flags)) {
        cpu.s.x87.fsw &= static_cast<uint16_t>(~kFswC2);  // stopped by an unmasked exception: C2 clear, as the host CPU does
        return;
    }
    st_write(cpu, 0, r);
    // A NaN result (NaN operand, invalid operation) computes no quotient:
    // C0 and C3 are kept, C1 and C2 cleared, as the host CPU does.
    const uint16_t fsw = cpu.s.x87.fsw;
    if (fp::is_nan(r)) set_cc(cpu, fsw & kFswC0, false, false, fsw & kFswC3);
    else if (!complete) set_cc(cpu, false, false, true, false);  // partial: only C2 (host behaviour)
    else set_cc(cpu, q & 4, q & 1, false, q & 2);
}

}  // namespace

void register_x87_arith(HandlerTable& t) {
    t.set(Op::FADD, op_arith<Arith::Add, false, false, false>);
    t.set(Op::FADDP, op_arith<Arith::Add, false, true, false>);
    t.set(Op::FIADD, op_arith<Arith::Add, false, false, true>);
    t.set(Op::FSUB, op_arith<Arith::Sub, false, false, false>);
    t.set(Op::FSUBP, op_arith<Arith::Sub, false, true, false>);
    t.set(Op::FISUB, op_arith<Arith::Sub, false, false, true>);
    t.set(Op::FSUBR, op_arith<Arith::Sub, true, false, false>);
    t.set(Op::FSUBRP, op_arith<Arith::Sub, true, true, false>);
    t.set(Op::FISUBR, op_arith<Arith::Sub, true, false, true>);
    t.set(Op::FMUL, op_arith<Arith::Mul, false, false, false>);
    t.set(Op::FMULP, op_arith<Arith::Mul, false, true, false>);
    t.set(Op::FIMUL, op_arith<Arith::Mul, false, false, true>);
    t.set(Op::FDIV, op_arith<Arith::Div, false, false, false>);
    t.set(Op::FDIVP, op_arith<Arith::Div, false, true, false>);
    t.set(Op::FIDIV, op_arith<Arith::Div, false, false, true>);
    t.set(Op::FDIVR, op_arith<Arith::Div, true, false, false>);
    t.set(Op::FDIVRP, op_arith<Arith::Div, true, true, false>);
    t.set(Op::FIDIVR, op_arith<Arith::Div, true, false, true>);
    t.set(Op::FSQRT, op_fsqrt);
    t.set(Op::FRNDINT, op_frndint);
    t.set(Op::FABS, op_sign<false>);
    t.set(Op::FCHS, op_sign<true>);
    t.set(Op::FSCALE, op_fscale);
    t.set(Op::FXTRACT, op_fxtract);
    t.set(Op::FPREM, op_fprem<false>);
    t.set(Op::FPREM1, op_fprem<true>);
}

}  // namespace petrel
