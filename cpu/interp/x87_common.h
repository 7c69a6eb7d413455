// What the x87 handler files share: the instruction prologue (#NM, pending
// #MF, FIP/FCS/FOP/FDP/FDS), operand access (ST(i) index, memory operands in
// the five x87 number formats read exactly into F80), and the way a result
// is committed (exception flags, C1 round-up, masked stack faults).
//
// Order inside a handler: prologue, every memory read (may fault), compute,
// memory write (may fault), then the register stack. A fault therefore
// leaves the x87 state as it was.
#pragma once
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"
#include "cpu/interp/x87_stack.h"

namespace petrel {

// The x87 registration functions, one per handler file (x87.cpp calls them).
void register_x87_load_store(HandlerTable& t);
void register_x87_arith(HandlerTable& t);
void register_x87_compare(HandlerTable& t);
void register_x87_control(HandlerTable& t);
void register_x87_transcendental(HandlerTable& t);

// Records the instruction and data pointers and the opcode (SDM vol. 1
// 8.1.8): done by every non-control instruction, before it can raise an
// x87 exception, so a handler of #MF sees the faulting instruction.
inline void x87_record_pointers(Cpu& cpu, const DecodedInsn& d) {
    X87State& x = cpu.s.x87;
    x.fip = cpu.s.rip;
    x.fcs = cpu.s.seg[CS].selector;
    x.fop = static_cast<uint16_t>(((d.opcode & 7) << 8) | d.modrm);
    if (d.mem_operand() >= 0) {
        x.fdp = effective_address(cpu, d);
        x.fds = cpu.s.seg[d.mem_seg].selector;
    }
}

// Prologue of a waiting, non-control x87 instruction (arithmetic, loads,
// stores, compares): #NM, then a pending unmasked exception, then the
// pointers.
inline void x87_begin(Cpu& cpu, const DecodedInsn& d) {
    x87_available(cpu);
    x87_check_pending(cpu);
    x87_record_pointers(cpu, d);
}

// The ST(i) named by the instruction's register operand other than ST(0)
// (FADD ST(0), ST(i) / ST(i), ST(0); FCOM ST(i); FLD ST(i)); 1 when the
// form has none (FCOMPP, FUCOMPP use ST(1)).
inline unsigned x87_sti(const DecodedInsn& d) {
    for (int i = d.nops - 1; i >= 0; --i)
        if (d.ops[i].kind == OpKind::St && d.ops[i].reg != 0) return d.ops[i].reg;
    for (int i = 0; i < d.nops; ++i)
        if (d.ops[i].kind == OpKind::St) return d.ops[i].reg;
    return 1;
}

inline uint64_t x87_mem_lin(Cpu& cpu, const DecodedInsn& d, Access access) {
    const int mi = d.mem_operand();
    return cpu.linear_address(d.mem_seg, effective_address(cpu, d), d.ops[mi].size, access);
}

// ---- memory number formats

enum class MemFormat : uint8_t { Real, Int, Bcd };

// A single or double real widened to F80 exactly, keeping a signalling NaN
// signalling (the arithmetic that consumes it raises IE and applies the x87
// NaN rules with both operands seen). denormal: the source was denormal
// (the caller raises DE when the operation uses the value).
fp::F80 x87_widen_real(uint64_t bits, unsigned size, bool& denormal);

// Reads a memory operand (m16/32/64 int, m32/64 real, m80 real) as F80.
// Real operands are widened (see above); integers are exact.
struct MemValue {
    fp::F80 value;
    bool denormal = false;
};
inline MemValue x87_read_mem(Cpu& cpu, const DecodedInsn& d, MemFormat fmt) {
    const int mi = d.mem_operand();
    const unsigned size = d.ops[mi].size;
    const uint64_t lin = x87_mem_lin(cpu, d, Access::Read);
    const bool user = cpu.s.cpl == 3;
    MemValue m;
    if (size == 10) {
        m.value.significand = cpu.read_linear(lin, 8, user);
        m.value.sign_exp = static_cast<uint16_t>(cpu.read_linear(lin + 8, 2, user));
        return m;
    }
    const uint64_t bits = cpu.read_linear(lin, size, user);
    if (fmt == MemFormat::Int) {
        fp::Env exact;
        m.value = fp::from_int<fp::F80>(sign_extend(bits, size), exact);
    } else {
        m.value = x87_widen_real(bits, size, m.denormal);
    }
    return m;
}

// ---- committing results

// Environment of one x87 operation (rounded_up cleared).
inline fp::Env x87_op_env(const Cpu& cpu) {
    fp::Env e = x87_env(cpu);
    e.flags = 0;
    e.rounded_up = false;
    return e;
}

// Merges the flags of an operation that produced a rounded result, and sets
// C1 to the round-up indication. Returns whether the result may be stored
// (no unmasked IE, DE or ZE).
inline bool x87_commit(Cpu& cpu, const fp::Env& env) {
    if (!x87_report(cpu, env.flags)) return false;
    set_c1(cpu, (env.flags & fp::kInexact) && env.rounded_up);
    return true;
}

inline fp::F80 real_indefinite() { return fp::default_nan<fp::F80>(); }

// Stack overflow check of a push: ST(7) (the register that becomes ST(0))
// must be empty. On overflow with IE masked the push happens with the real
// indefinite; returns false when the caller has nothing more to do.
inline bool x87_push_check(Cpu& cpu) {
    if (st_empty(cpu, 7)) return true;
    if (x87_stack_fault(cpu, true)) x87_push(cpu, real_indefinite());
    return false;
}

// The result of an operation whose source register was empty: a masked
// stack underflow writes the indefinite to ST(dest) (and pops when asked).
inline void x87_underflow_result(Cpu& cpu, unsigned dest, bool pop) {
    if (!x87_stack_fault(cpu, false)) return;
    st_write(cpu, dest, real_indefinite());
    if (pop) x87_pop(cpu);
}

}  // namespace petrel
