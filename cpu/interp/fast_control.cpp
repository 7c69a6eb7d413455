// Specialised handlers for near branches and register PUSH/POP, chosen when
// a block is decoded (BlockCache). A block belongs to one code mode, so each
// handler is instantiated for its mode's natural size: W = 8 in 64-bit mode
// (canonical targets), 4 in 32-bit mode, 2 in 16-bit mode (targets checked
// against the CS limit); Jcc is also instantiated per condition. Each does
// exactly what the generic handler in control.cpp / data_movement.cpp does
// for that form: the same checks before anything is committed, the same faults.
#include "cpu/block_cache.h"
#include "cpu/interp/flags.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

template <unsigned W>
constexpr uint64_t kWidthMask = W == 8 ? ~0ull : (1ull << (8 * W)) - 1;

template <unsigned W>
inline uint64_t checked_target(Cpu& c, uint64_t target) {
    target &= kWidthMask<W>;
    if constexpr (W == 8) {
        if (!is_canonical(target)) c.raise(kVecGP, 0);
    } else {
        if (target > c.s.seg[CS].limit) c.raise(kVecGP, 0);
    }
    return target;
}

template <unsigned W, unsigned kCond>
void jcc_rel(Cpu& c, const DecodedInsn& d) {
    if (eval_cond(c, kCond)) c.next_rip = checked_target<W>(c, c.next_rip + d.imm);
}

template <unsigned W>
void jmp_rel(Cpu& c, const DecodedInsn& d) {
    c.next_rip = checked_target<W>(c, c.next_rip + d.imm);
}

template <unsigned W>
void call_rel(Cpu& c, const DecodedInsn& d) {
    const uint64_t target = checked_target<W>(c, c.next_rip + d.imm);
    c.push(c.next_rip & kWidthMask<W>, W);
    c.next_rip = target;
}

template <unsigned W>
void ret_near(Cpu& c, const DecodedInsn&) {
    const uint64_t target = checked_target<W>(c, c.read_stack(0, W));
    const unsigned ss = c.stack_addr_size();
    c.gpr_write(RSP, ss, c.s.gpr[RSP] + W);
    c.next_rip = target;
}

template <unsigned W>
void push_r(Cpu& c, const DecodedInsn& d) {
    c.push(c.s.gpr[d.ops[0].reg] & kWidthMask<W>, W);
}

// POP RSP: the popped value wins over the increment, as in op_pop.
template <unsigned W>
void pop_r(Cpu& c, const DecodedInsn& d) {
    const uint64_t v = c.read_stack(0, W);
    const unsigned ss = c.stack_addr_size();
    c.gpr_write(RSP, ss, c.s.gpr[RSP] + W);
    c.gpr_write(d.ops[0].reg, W, v);
}

template <unsigned W, unsigned... kCc>
Handler jcc_for(unsigned cc, std::integer_sequence<unsigned, kCc...>) {
    static constexpr Handler table[] = {jcc_rel<W, kCc>...};
    return table[cc & 15];
}

template <unsigned W>
Handler control_for(const DecodedInsn& d) {
    const Operand& a = d.ops[0];
    switch (d.op) {
        case Op::JCC:
            return a.kind == OpKind::Rel ? jcc_for<W>(d.cond, std::make_integer_sequence<unsigned, 16>{}) : nullptr;
        case Op::JMP: return a.kind == OpKind::Rel ? jmp_rel<W> : nullptr;
        case Op::CALL: return a.kind == OpKind::Rel ? call_rel<W> : nullptr;
        case Op::RET: return d.nops == 0 ? ret_near<W> : nullptr;
        case Op::PUSH: return a.kind == OpKind::Gpr && a.reg < 16 ? push_r<W> : nullptr;
        case Op::POP: return a.kind == OpKind::Gpr && a.reg < 16 ? pop_r<W> : nullptr;
        default: return nullptr;
    }
}

}  // namespace

Handler fast_control_handler_for(const DecodedInsn& d, CodeMode mode) {
    // The operand size of near branches and stack operations (stack_opsize):
    // only the mode's natural one is specialised.
    switch (mode) {
        case CodeMode::Bits64: return d.opsize == 4 || d.opsize == 8 ? control_for<8>(d) : nullptr;
        case CodeMode::Bits32: return d.opsize == 4 ? control_for<4>(d) : nullptr;
        default: return d.opsize == 2 ? control_for<2>(d) : nullptr;
    }
}

}  // namespace petrel
