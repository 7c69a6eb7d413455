// x87 transcendental instructions: FSIN, FCOS, FSINCOS, FPTAN (C2 = operand
// out of range), FPATAN, F2XM1, FYL2X, FYL2XP1. The math is
// cpu/fpu/x87_transcendental.cpp; here are the stack and status rules.
#include "cpu/fpu/x87_math.h"
#include "cpu/interp/x87_common.h"

namespace petrel {

namespace {

void set_c2(Cpu& cpu, bool c2) {
    cpu.s.x87.fsw = static_cast<uint16_t>((cpu.s.x87.fsw & ~kFswC2) | (c2 ? kFswC2 : 0));
}

template <bool kSin>
void op_fsin_fcos(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0)) {
        set_c2(cpu, false);  // as the host CPU does
        x87_underflow_result(cpu, 0, false);
        return;
    }
    const fp::F80 x = st(cpu, 0);
    if (!fp::trig_in_range(x)) {
        set_c2(cpu, true);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    fp::F80 r;
    fp::sin_cos(x, kSin ? &r : nullptr, kSin ? nullptr : &r, env);
    // C2 = 0 (in range) also when an unmasked exception stops it (as the
    // host CPU does).
    const bool ok = x87_commit(cpu, env);
    set_c2(cpu, false);
    if (!ok) return;
    st_write(cpu, 0, r);
}

// FPTAN and FSINCOS replace ST(0) and push a second result. Empty ST(0) or
// no room to push: the masked response is two indefinites.
template <bool kTan>
void op_two_results(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0) || !st_empty(cpu, 7)) {
        set_c2(cpu, false);  // as the host CPU does
        if (!x87_stack_fault(cpu, !st_empty(cpu, 0))) return;
        st_write(cpu, 0, real_indefinite());
        x87_push(cpu, real_indefinite());
        return;
    }
    const fp::F80 x = st(cpu, 0);
    if (!fp::trig_in_range(x)) {
        set_c2(cpu, true);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    fp::F80 first, second;
    if (kTan) {
        first = fp::tan(x, env);
        second = fp::is_nan(first) ? first : fp::f80(false, 0x3fff, 1ull << 63);  // 1.0
    } else {
        fp::sin_cos(x, &first, &second, env);
    }
    const bool ok = x87_commit(cpu, env);
    set_c2(cpu, false);  // also when an unmasked exception stops it (see above)
    if (!ok) return;
    st_write(cpu, 0, first);
    x87_push(cpu, second);
}

void op_f2xm1(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0)) {
        x87_underflow_result(cpu, 0, false);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    const fp::F80 r = fp::exp2m1(st(cpu, 0), env);
    if (!x87_commit(cpu, env)) return;
    st_write(cpu, 0, r);
}

// ST(1) = f(ST(1), ST(0)), then pop.
enum class Binary : uint8_t { Atan, Log2, Log2p1 };

template <Binary kFn>
void op_binary(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0) || st_empty(cpu, 1)) {
        x87_underflow_result(cpu, 1, true);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    const fp::F80 y = st(cpu, 1), x = st(cpu, 0);
    fp::F80 r;
    switch (kFn) {
        case Binary::Atan: r = fp::atan2(y, x, env); break;
        case Binary::Log2: r = fp::ylog2x(y, x, env); break;
        case Binary::Log2p1: r = fp::ylog2xp1(y, x, env); break;
    }
    if (!x87_commit(cpu, env)) return;
    st_write(cpu, 1, r);
    x87_pop(cpu);
}

}  // namespace

void register_x87_transcendental(HandlerTable& t) {
    t.set(Op::FSIN, op_fsin_fcos<true>);
    t.set(Op::FCOS, op_fsin_fcos<false>);
    t.set(Op::FPTAN, op_two_results<true>);
    t.set(Op::FSINCOS, op_two_results<false>);
    t.set(Op::F2XM1, op_f2xm1);
    t.set(Op::FPATAN, op_binary<Binary::Atan>);
    t.set(Op::FYL2X, op_binary<Binary::Log2>);
    t.set(Op::FYL2XP1, op_binary<Binary::Log2p1>);
}

}  // namespace petrel
