// Near control transfer: JMP (relative, indirect), Jcc, JCXZ/JECXZ/JRCXZ,
// LOOP/LOOPE/LOOPNE, CALL (relative, indirect), RET (with imm16).
//
// Targets are truncated to the operand size; in 64-bit mode a non-canonical
// target is #GP(0), elsewhere a target beyond the CS limit is #GP(0). The
// check happens before anything is committed (the pushed return address, the
// popped stack pointer, a LOOP's decremented counter), so the fault is
// reported on the branch with the state of its start. Far transfers belong
// to cpu/system/far_transfer.cpp.
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

uint64_t checked_target(Cpu& cpu, uint64_t target, unsigned opsize) {
    target &= size_mask(opsize);
    if (cpu.code_mode() == CodeMode::Bits64) {
        if (!is_canonical(target)) cpu.raise(kVecGP, 0);
    } else if (target > cpu.s.seg[CS].limit) {
        cpu.raise(kVecGP, 0);
    }
    return target;
}

// Where a JMP/CALL operand leads: relative to the next instruction, or an
// absolute near pointer in a register or in memory.
uint64_t branch_target(Cpu& cpu, const DecodedInsn& d) {
    if (d.ops[0].kind == OpKind::Rel) return cpu.next_rip + d.imm;
    return read_operand(cpu, d, 0);
}

void op_jmp(Cpu& cpu, const DecodedInsn& d) {
    cpu.next_rip = checked_target(cpu, branch_target(cpu, d), stack_opsize(cpu, d));
}

void op_jcc(Cpu& cpu, const DecodedInsn& d) {
    if (cpu.cond(d.cond)) cpu.next_rip = checked_target(cpu, cpu.next_rip + d.imm, stack_opsize(cpu, d));
}

// The counter of JCXZ/LOOP is CX, ECX or RCX by address size.
void op_jcxz(Cpu& cpu, const DecodedInsn& d) {
    if (cpu.gpr_read(RCX, d.addrsize) == 0) cpu.next_rip = checked_target(cpu, cpu.next_rip + d.imm, stack_opsize(cpu, d));
}

enum class LoopKind { Always, WhileEqual, WhileNotEqual };

template <LoopKind kKind>
void op_loop(Cpu& cpu, const DecodedInsn& d) {
    const uint64_t count = (cpu.gpr_read(RCX, d.addrsize) - 1) & size_mask(d.addrsize);
    bool taken = count != 0;
    if constexpr (kKind == LoopKind::WhileEqual) taken = taken && cpu.zf();
    if constexpr (kKind == LoopKind::WhileNotEqual) taken = taken && !cpu.zf();
    if (taken) cpu.next_rip = checked_target(cpu, cpu.next_rip + d.imm, stack_opsize(cpu, d));
    cpu.gpr_write(RCX, d.addrsize, count);
}

void op_call(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    const uint64_t target = checked_target(cpu, branch_target(cpu, d), size);
    cpu.push(cpu.next_rip & size_mask(size), size);
    cpu.next_rip = target;
}

void op_ret(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    const uint64_t target = checked_target(cpu, cpu.read_stack(0, size), size);
    const unsigned ss = cpu.stack_addr_size();
    const uint64_t imm = d.nops > 0 && d.ops[0].kind == OpKind::Imm ? (d.imm & 0xffff) : 0;
    cpu.gpr_write(RSP, ss, cpu.s.gpr[RSP] + size + imm);
    cpu.next_rip = target;
}

}  // namespace

void register_control(HandlerTable& t) {
    t.set(Op::JMP, op_jmp);
    t.set(Op::JCC, op_jcc);
    t.set(Op::JCXZ, op_jcxz);
    t.set(Op::LOOP, op_loop<LoopKind::Always>);
    t.set(Op::LOOPE, op_loop<LoopKind::WhileEqual>);
    t.set(Op::LOOPNE, op_loop<LoopKind::WhileNotEqual>);
    t.set(Op::CALL, op_call);
    t.set(Op::RET, op_ret);
}

}  // namespace petrel
