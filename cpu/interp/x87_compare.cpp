// x87 comparisons: FCOM/FCOMP/FCOMPP, FUCOM/FUCOMP/FUCOMPP, FICOM/FICOMP
// (condition codes C3 C2 C0), FCOMI/FCOMIP/FUCOMI/FUCOMIP (ZF PF CF), FTST
// and FXAM.
#include "cpu/interp/flags.h"
#include "cpu/interp/x87_common.h"

namespace petrel {

namespace {

// C3 C2 C0: 000 greater, 001 less, 100 equal, 111 unordered; C1 = 0.
void set_compare_cc(Cpu& cpu, fp::Relation r) {
    switch (r) {
        case fp::Relation::Greater: set_cc(cpu, false, false, false, false); break;
        case fp::Relation::Less: set_cc(cpu, true, false, false, false); break;
        case fp::Relation::Equal: set_cc(cpu, false, false, false, true); break;
        case fp::Relation::Unordered: set_cc(cpu, true, false, true, true); break;
    }
}

// ZF PF CF as C3 C2 C0; OF SF AF cleared. The condition codes are kept
// (C1 too, as the host CPU does; a stack fault clears it).
void set_compare_eflags(Cpu& cpu, fp::Relation r) {
    uint64_t f = 0;
    switch (r) {
        case fp::Relation::Greater: break;
        case fp::Relation::Less: f = kCF; break;
        case fp::Relation::Equal: f = kZF; break;
        case fp::Relation::Unordered: f = kZF | kPF | kCF; break;
    }
    set_arith_flags(cpu, f);
}

// ST(0) against the memory operand or ST(i); kPops registers popped
// afterwards. kEflags: the FCOMI forms.
template <bool kQuiet, unsigned kPops, bool kInt, bool kEflags>
void op_fcom(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    fp::F80 b;
    bool b_denormal = false, empty = st_empty(cpu, 0);
    if (d.mem_operand() >= 0) {
        const MemValue m = x87_read_mem(cpu, d, kInt ? MemFormat::Int : MemFormat::Real);
        b = m.value;
        b_denormal = m.denormal;
    } else {
        const unsigned i = kPops == 2 ? 1 : x87_sti(d);
        empty = empty || st_empty(cpu, i);
        b = st(cpu, i);
    }
    fp::Relation r;
    if (empty) {
        if (!x87_stack_fault(cpu, false)) return;
        r = fp::Relation::Unordered;
    } else {
        const fp::F80 a = st(cpu, 0);
        fp::Env env = x87_op_env(cpu);
        r = fp::compare(a, b, kQuiet, env);
        if (b_denormal && r != fp::Relation::Unordered) env.flags |= fp::kDenormal;
        if (!x87_report(cpu, env.flags)) return;
    }
    if (kEflags) set_compare_eflags(cpu, r);
    else set_compare_cc(cpu, r);
    for (unsigned i = 0; i < kPops; ++i) x87_pop(cpu);
}

void op_ftst(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    if (st_empty(cpu, 0)) {
        if (x87_stack_fault(cpu, false)) set_compare_cc(cpu, fp::Relation::Unordered);
        return;
    }
    fp::Env env = x87_op_env(cpu);
    const fp::Relation r = fp::compare(st(cpu, 0), fp::f80(false, 0, 0), false, env);
    if (!x87_report(cpu, env.flags)) return;
    set_compare_cc(cpu, r);
}

// FXAM: C1 = sign; C3 C2 C0 = the class: 000 unsupported, 001 NaN,
// 010 normal, 011 infinity, 100 zero, 101 empty, 110 denormal.
void op_fxam(Cpu& cpu, const DecodedInsn& d) {
    x87_begin(cpu, d);
    const fp::F80 v = st(cpu, 0);
    const bool sign = fp::sign_of(v);
    const unsigned exp = v.sign_exp & 0x7fff;
    const bool integer = v.significand >> 63;
    unsigned cls;
    if (st_empty(cpu, 0)) cls = 5;
    else if (exp == 0) cls = v.significand == 0 ? 4 : 6;
    else if (!integer) cls = 0;  // unnormal, pseudo-NaN, pseudo-infinity
    else if (exp == 0x7fff) cls = (v.significand << 1) == 0 ? 3 : 1;
    else cls = 2;
    set_cc(cpu, cls & 1, sign, cls & 2, cls & 4);
}

}  // namespace

void register_x87_compare(HandlerTable& t) {
    t.set(Op::FCOM, op_fcom<false, 0, false, false>);
    t.set(Op::FCOMP, op_fcom<false, 1, false, false>);
    t.set(Op::FCOMPP, op_fcom<false, 2, false, false>);
    t.set(Op::FUCOM, op_fcom<true, 0, false, false>);
    t.set(Op::FUCOMP, op_fcom<true, 1, false, false>);
    t.set(Op::FUCOMPP, op_fcom<true, 2, false, false>);
    t.set(Op::FICOM, op_fcom<false, 0, true, false>);
    t.set(Op::FICOMP, op_fcom<false, 1, true, false>);
    t.set(Op::FCOMI, op_fcom<false, 0, false, true>);
    t.set(Op::FCOMIP, op_fcom<false, 1, false, true>);
    t.set(Op::FUCOMI, op_fcom<true, 0, false, true>);
    t.set(Op::FUCOMIP, op_fcom<true, 1, false, true>);
    t.set(Op::FTST, op_ftst);
    t.set(Op::FXAM, op_fxam);
}

}  // namespace petrel
