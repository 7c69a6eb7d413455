// x87 data transfer: FLD/FILD/FBLD (push), FST/FSTP/FIST/FISTP/FISTTP/FBSTP
// (store, optionally pop), FXCH, FCMOVcc and the constant loads (FLDZ,
// FLD1, FLDPI, FLDL2T, FLDL2E, FLDLG2, FLDLN2).
#include "cpu/fpu/x87_math.h"
#include "cpu/interp/x87_common.h"

namespace petrel {

fp::F80 x87_widen_real(uint64_t bits, unsigned size, bool& denormal) {
    const int frac_bits = size == 4 ? 23 : 52, exp_bits = size == 4 ? 8 : 11;
    const int bias = (1 << (exp_bits - 1)) - 1;
    const bool sign = (bits >> (frac_bits + exp_bits)) & 1;
    const uint32_t expf = static_cast<uint32_t>((bits >> frac_bits) & ((1u << exp_bits) - 1));
    const uint64_t frac = bits & ((1ull << frac_bits) - 1);
    denormal = false;
    if (expf == (1u << exp_bits) - 1)  // infinity or NaN, quiet bit where it was
        return fp::f80(sign, 0x7fff, (1ull << 63) | (frac << (63 - frac_bits)));
    if (expf == 0) {
        if (frac == 0) return fp::f80(sign, 0, 0);
        denormal = true;
        const uint64_t s = frac << (63 - frac_bits);
        const int lz = __builtin_clzll(s);
        return fp::f80(sign, static_cast<uint16_t>(1 - bias - lz + 16383), s << lz);
    }
    return fp::f80(sign, static_cast<uint16_t>(static_cast<int>(expf) - bias + 16383),
                   (1ull << 63) | (frac << (63 - frac_bits)));
}

namespace {

bool is_store_int(Op op) { return op == Op::FIST || op == Op::FISTP || op == Op::FISTTP; }

// ---- loads

void op_fld(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    fp::F80 v;
    fp::Env env = x87_op_env(cpu);
    if (d.ops[0].kind == OpKind::Mem) {
        const MemValue m = x87_read_mem(cpu, d, MemFormat::Real);
        v = m.value;
        if (d.ops[0].size != 10) {
            // A single or double is converted: an SNaN is IE (quieted), a
            // denormal DE.
            if (fp::is_snan(v)) {
                env.flags |= fp::kInvalid;
                v = fp::quiet(v);
            }
            if (m.denormal) env.flags |= fp::kDenormal;
        }
    } else {
        const unsigned i = d.ops[0].reg;
        if (st_empty(cpu, i)) {
            // An empty source is an underflow even when ST(7) is full too
            // (as the host CPU reports it).
            if (x87_stack_fault(cpu, false)) x87_push(cpu, real_indefinite());
            return;
        }
        v = st(cpu, i);
    }
    if (!x87_push_check(cpu)) return;
    if (!x87_report(cpu, env.flags)) return;
    set_c1(cpu, false);
    x87_push(cpu, v);
}

void op_fild(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    const fp::F80 v = x87_read_mem(cpu, d, MemFormat::Int).value;
    if (!x87_push_check(cpu)) return;
    set_c1(cpu, false);
    x87_push(cpu, v);
}

// FBLD: 18 packed BCD digits (bytes 0-8, low digit first) and a sign in
// bit 79. Digits above 9 are undefined; they are weighted as read.
void op_fbld(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    const uint64_t lin = x87_mem_lin(cpu, d, Access::Read);
    const bool user = cpu.s.cpl == 3;
    const uint64_t lo = cpu.read_linear(lin, 8, user);
    const uint64_t hi = cpu.read_linear(lin + 8, 2, user);
    uint64_t n = 0;
    for (int i = 1; i >= 0; --i) n = n * 10 + ((hi >> (4 * i)) & 15);
    for (int i = 15; i >= 0; --i) n = n * 10 + ((lo >> (4 * i)) & 15);
    fp::Env exact;
    fp::F80 v = fp::from_int<fp::F80>(static_cast<int64_t>(n), exact);
    if (hi & 0x8000) v.sign_exp |= 0x8000;
    if (!x87_push_check(cpu)) return;
    set_c1(cpu, false);
    x87_push(cpu, v);
}

// FLDZ, FLD1 and the rounded constants: the value the op names, rounded by
// RC (precision control does not apply), no exception but stack overflow.
template <fp::X87Constant kConst>
void op_fldconst(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (!x87_push_check(cpu)) return;
    set_c1(cpu, false);
    x87_push(cpu, fp::x87_constant(kConst, x87_env(cpu).round));
}

// ---- stores

// The masked response to a store whose value is invalid: the indefinite of
// the destination format.
uint64_t indefinite_bits(Op op, unsigned size) {
    if (is_store_int(op)) return 1ull << (8 * size - 1);
    return size == 4 ? 0xffc00000ull : 0xfff8000000000000ull;
}

// Stores ST(0) to memory (FST/FSTP m32/m64/m80, FIST/FISTP/FISTTP m16/32/64).
void store_memory(Cpu& cpu, const DecodedInsn& d, bool pop) {
    const unsigned size = d.ops[0].size;
    const uint64_t lin = x87_mem_lin(cpu, d, Access::Write);
    const bool user = cpu.s.cpl == 3;
    cpu.probe_write(lin, size, user);  // a faulting store changes no x87 state
    if (st_empty(cpu, 0)) {
        if (!x87_stack_fault(cpu, false)) return;
        if (size == 10) {
            const fp::F80 v = real_indefinite();
            cpu.write_linear(lin, 8, v.significand, user);
            cpu.write_linear(lin + 8, 2, v.sign_exp, user);
        } else {
            cpu.write_linear(lin, size, indefinite_bits(d.op, size), user);
        }
        if (pop) x87_pop(cpu);
        return;
    }
    const fp::F80 v = st(cpu, 0);
    fp::Env env = x87_op_env(cpu);
    if (size == 10) {
        cpu.write_linear(lin, 8, v.significand, user);
        cpu.write_linear(lin + 8, 2, v.sign_exp, user);
        set_c1(cpu, false);
        if (pop) x87_pop(cpu);
        return;
    }
    uint64_t bits;
    if (is_store_int(d.op)) bits = static_cast<uint64_t>(fp::to_int(v, 8 * size, d.op == Op::FISTTP, env));
    else if (size == 4) bits = fp::convert<fp::F32>(v, env);
    else bits = fp::convert<fp::F64>(v, env);
    // Unmasked invalid, overflow or underflow: memory and the stack are left
    // alone (the handler sees the operand in ST(0)); no value was delivered,
    // so no precision exception and C1 clear, as on the host CPU.
    if (env.flags & ~cpu.s.x87.fcw & (fp::kInvalid | fp::kOverflow | fp::kUnderflow)) {
        x87_report(cpu, env.flags & ~fp::kInexact);
        set_c1(cpu, false);
        return;
    }
    cpu.write_linear(lin, size, bits & size_mask(size), user);
    x87_commit(cpu, env);
    if (pop) x87_pop(cpu);
}

// FST/FSTP ST(i): a register copy, no exception but underflow.
void store_register(Cpu& cpu, const DecodedInsn& d, bool pop) {
    const unsigned i = d.ops[0].reg;
    if (d.opcode == 0xd9) {
        // D9 D8+i, the undocumented FSTP alias, is FSTPNCE on the host: no
        // check for an empty ST(0) (the copy is tagged by its contents).
        st_write(cpu, i, st(cpu, 0));
        x87_pop(cpu);
        set_c1(cpu, false);
        return;
    }
    if (st_empty(cpu, 0)) {
        x87_underflow_result(cpu, i, pop);
        return;
    }
    st_write(cpu, i, st(cpu, 0));
    set_c1(cpu, false);
    if (pop) x87_pop(cpu);
}

template <bool kPop>
void op_fst(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (d.ops[0].kind == OpKind::Mem) store_memory(cpu, d, kPop);
    else store_register(cpu, d, kPop);
}

// FBSTP: ST(0) rounded by RC to an integer of at most 18 decimal digits.
void op_fbstp(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    const uint64_t lin = x87_mem_lin(cpu, d, Access::Write);
    const bool user = cpu.s.cpl == 3;
    cpu.probe_write(lin, 10, user);
    uint64_t lo = 0, hi = 0;
    fp::Env env = x87_op_env(cpu);
    bool invalid = st_empty(cpu, 0);
    if (!invalid) {
        const fp::F80 v = st(cpu, 0);
        const int64_t n = fp::to_int(v, 64, false, env);
        const uint64_t mag = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
        if ((env.flags & fp::kInvalid) || mag > 999999999999999999ull) {
            env.flags = fp::kInvalid;
            invalid = true;
        } else {
            uint64_t m = mag;
            for (int i = 0; i < 16; ++i, m /= 10) lo |= (m % 10) << (4 * i);
            for (int i = 0; i < 2; ++i, m /= 10) hi |= (m % 10) << (4 * i);
            if (fp::sign_of(v)) hi |= 0x8000;
        }
    }
    if (invalid) {
        const bool masked = st_empty(cpu, 0) ? x87_stack_fault(cpu, false) : (cpu.s.x87.fcw & fp::kInvalid);
        if (!masked) {
            x87_report(cpu, env.flags);
            return;
        }
        lo = 0xc000000000000000ull;  // the packed BCD indefinite: FFFF C000000000000000
        hi = 0xffff;
    }
    cpu.write_linear(lin, 8, lo, user);
    cpu.write_linear(lin + 8, 2, hi, user);
    if (!st_empty(cpu, 0)) x87_commit(cpu, env);
    x87_pop(cpu);
}

// ---- register moves

void op_fxch(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    const unsigned i = x87_sti(d);
    if (st_empty(cpu, 0) || st_empty(cpu, i)) {
        if (!x87_stack_fault(cpu, false)) return;
        if (st_empty(cpu, 0)) st_write(cpu, 0, real_indefinite());
        if (st_empty(cpu, i)) st_write(cpu, i, real_indefinite());
    } else {
        set_c1(cpu, false);
    }
    const fp::F80 a = st(cpu, 0), b = st(cpu, i);
    st_write(cpu, 0, b);
    st_write(cpu, i, a);
}

void op_fcmov(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    const unsigned i = x87_sti(d);
    if (st_empty(cpu, 0) || st_empty(cpu, i)) {
        x87_underflow_result(cpu, 0, false);
        return;
    }
    if (cpu.cond(d.cond)) st_write(cpu, 0, st(cpu, i));
}

}  // namespace

void register_x87_load_store(HandlerTable& t) {
    t.set(Op::FLD, op_fld);
    t.set(Op::FILD, op_fild);
    t.set(Op::FBLD, op_fbld);
    t.set(Op::FST, op_fst<false>);
    t.set(Op::FSTP, op_fst<true>);
    t.set(Op::FIST, op_fst<false>);
    t.set(Op::FISTP, op_fst<true>);
    t.set(Op::FISTTP, op_fst<true>);
    t.set(Op::FBSTP, op_fbstp);
    t.set(Op::FXCH, op_fxch);
    t.set(Op::FCMOVCC, op_fcmov);
    t.set(Op::FLDZ, op_fldconst<fp::X87Constant::Zero>);
    t.set(Op::FLD1, op_fldconst<fp::X87Constant::One>);
    t.set(Op::FLDPI, op_fldconst<fp::X87Constant::Pi>);
    t.set(Op::FLDL2T, op_fldconst<fp::X87Constant::Log2Ten>);
    t.set(Op::FLDL2E, op_fldconst<fp::X87Constant::Log2E>);
    t.set(Op::FLDLG2, op_fldconst<fp::X87Constant::Log10Two>);
    t.set(Op::FLDLN2, op_fldconst<fp::X87Constant::LnTwo>);
}

}  // namespace petrel
