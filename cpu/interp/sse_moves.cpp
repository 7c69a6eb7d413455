// MMX/SSE data movement: MOVD/MOVQ, whole-register moves (aligned,
// unaligned, non-temporal: caches are not modelled, so MOVNT* are plain
// stores), scalar and half-register moves, duplicates, sign masks, the
// MMX<->XMM moves and the byte-masked stores MASKMOVQ/MASKMOVDQU.
#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

bool any_mmx(const DecodedInsn& d) {
    for (int i = 0; i < d.nops; ++i)
        if (d.ops[i].kind == OpKind::Mmx) return true;
    return false;
}

// MOVD (N = 4) / MOVQ (N = 8) in every form: the low N bytes of the
// source, zero-extended into a register destination.
template <unsigned N>
void op_movd_q(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = any_mmx(d);
    if (mmx) mmx_available(cpu);
    else sse_available(cpu);
    const XmmReg v = read_vec(cpu, d, 1, false);
    const XmmReg r{{N == 4 ? v.q[0] & 0xffffffffull : v.q[0], 0}};
    write_vec(cpu, d, 0, r, false);
    if (mmx) mmx_transition(cpu);
}

// Whole-register moves (MOVAPS, MOVDQU, MOVNTDQ, LDDQU...), MMX MOVNTQ.
void op_move(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = any_mmx(d);
    if (mmx) mmx_available(cpu);
    else sse_available(cpu);
    vdst(cpu, d, 0, vsrc(cpu, d, 1));
    if (mmx) mmx_transition(cpu);
}

// MOVNTI: a general-purpose store (no SSE state involved).
void op_movnti(Cpu& cpu, const DecodedInsn& d) {
    write_operand(cpu, d, 0, read_operand(cpu, d, 1));
}

// MOVSS (N = 4) / MOVSD (N = 8): a load from memory zeroes the rest of the
// register; a register-to-register move replaces only the low N bytes.
template <unsigned N>
void op_move_scalar(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg v = read_vec(cpu, d, 1, false);
    if (d.ops[1].kind == OpKind::Mem || d.ops[0].kind == OpKind::Mem) {
        write_vec(cpu, d, 0, v, false);
        return;
    }
    XmmReg& dst = cpu.s.xmm[d.ops[0].reg];
    if constexpr (N == 4) set_lane<uint32_t>(dst, 0, lane<uint32_t>(v, 0));
    else dst.q[0] = v.q[0];
}

// MOVLPS/MOVLPD (half 0) and MOVHPS/MOVHPD (half 1): one 8-byte half
// to or from memory.
template <unsigned kHalf>
void op_move_half(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    if (d.ops[0].kind == OpKind::Mem) {
        const XmmReg& src = cpu.s.xmm[d.ops[1].reg];
        write_vec(cpu, d, 0, XmmReg{{src.q[kHalf], 0}}, false);
        return;
    }
    const XmmReg v = read_vec(cpu, d, 1, false);
    cpu.s.xmm[d.ops[0].reg].q[kHalf] = v.q[0];
}

void op_movhlps(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    cpu.s.xmm[d.ops[0].reg].q[0] = cpu.s.xmm[d.ops[1].reg].q[1];
}

void op_movlhps(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    cpu.s.xmm[d.ops[0].reg].q[1] = cpu.s.xmm[d.ops[1].reg].q[0];
}

// MOVMSKPS / MOVMSKPD / PMOVMSKB: the sign bit of each lane of T.
template <class T>
void op_movmsk(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = d.ops[1].kind == OpKind::Mmx;
    if (mmx) mmx_available(cpu);
    else sse_available(cpu);
    const XmmReg v = read_vec(cpu, d, 1, false);
    if (mmx) mmx_transition(cpu);
    const unsigned n = (mmx ? 8 : 16) / sizeof(T);
    uint32_t m = 0;
    for (unsigned i = 0; i < n; ++i) m |= static_cast<uint32_t>(lane<T>(v, i) >> (8 * sizeof(T) - 1)) << i;
    cpu.gpr_write(d.ops[0].reg, d.ops[0].size, m);
}

// MOVQ2DQ / MOVDQ2Q: SSE2 instructions touching an MMX register; they
// transition to MMX state and see pending x87 exceptions.
void op_movq2dq(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    x87_check_pending(cpu);
    mmx_transition(cpu);
    cpu.s.xmm[d.ops[0].reg] = XmmReg{{mmx_read(cpu, d.ops[1].reg), 0}};
}

void op_movdq2q(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    x87_check_pending(cpu);
    mmx_transition(cpu);
    mmx_write(cpu, d.ops[0].reg, cpu.s.xmm[d.ops[1].reg].q[0]);
}

// MOVDDUP: the low double twice (an 8-byte memory read, no alignment).
void op_movddup(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg v = read_vec(cpu, d, 1, false);
    cpu.s.xmm[d.ops[0].reg] = XmmReg{{v.q[0], v.q[0]}};
}

// MOVSLDUP (odd = 0) / MOVSHDUP (odd = 1): even or odd singles duplicated.
template <unsigned kOdd>
void op_movsdup(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg v = vsrc(cpu, d, 1);
    XmmReg r{};
    for (unsigned i = 0; i < 4; i += 2) {
        const uint32_t x = lane<uint32_t>(v, i + kOdd);
        set_lane<uint32_t>(r, i, x);
        set_lane<uint32_t>(r, i + 1, x);
    }
    cpu.s.xmm[d.ops[0].reg] = r;
}

// MASKMOVQ / MASKMOVDQU: the bytes of operand 0 whose mask byte (operand
// 1) has its top bit set go to DS:rDI (segment overridable). The whole
// range is checked for writing first, even with an all-zero mask (as the
// host CPU does), so a fault stores nothing; unlike other MMX stores, a
// faulting MASKMOVQ has already made the MMX state transition.
void op_maskmov(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = is_mmx(d);
    if (mmx) mmx_available(cpu);
    else sse_available(cpu);
    const unsigned n = mmx ? 8 : 16;
    const XmmReg data = read_vec(cpu, d, 0, false), mask = read_vec(cpu, d, 1, false);
    if (mmx) mmx_transition(cpu);
    const uint64_t ea = cpu.s.gpr[RDI] & size_mask(d.addrsize);
    const uint64_t lin = cpu.linear_address(d.mem_seg, ea, n, Access::Write);
    const bool user = cpu.s.cpl == 3;
    cpu.probe_write(lin, n, user);
    for (unsigned i = 0; i < n; ++i)
        if (lane<uint8_t>(mask, i) & 0x80) cpu.write_linear(lin + i, 1, lane<uint8_t>(data, i), user);
}

}  // namespace

void register_sse_moves(HandlerTable& t) {
    t.set(Op::MOVD, op_movd_q<4>);
    t.set(Op::MOVQ, op_movd_q<8>);
    for (Op op : {Op::MOVAPS, Op::MOVAPD, Op::MOVUPS, Op::MOVUPD, Op::MOVDQA, Op::MOVDQU, Op::LDDQU, Op::MOVNTPS,
                  Op::MOVNTPD, Op::MOVNTDQ, Op::MOVNTDQA, Op::MOVNTQ})
        t.set(op, op_move);
    t.set(Op::MOVNTI, op_movnti);
    t.set(Op::MOVSS, op_move_scalar<4>);
    t.set(Op::MOVSD, op_move_scalar<8>);
    t.set(Op::MOVLPS, op_move_half<0>);
    t.set(Op::MOVLPD, op_move_half<0>);
    t.set(Op::MOVHPS, op_move_half<1>);
    t.set(Op::MOVHPD, op_move_half<1>);
    t.set(Op::MOVHLPS, op_movhlps);
    t.set(Op::MOVLHPS, op_movlhps);
    t.set(Op::MOVMSKPS, op_movmsk<uint32_t>);
    t.set(Op::MOVMSKPD, op_movmsk<uint64_t>);
    t.set(Op::PMOVMSKB, op_movmsk<uint8_t>);
    t.set(Op::MOVQ2DQ, op_movq2dq);
    t.set(Op::MOVDQ2Q, op_movdq2q);
    t.set(Op::MOVDDUP, op_movddup);
    t.set(Op::MOVSLDUP, op_movsdup<0>);
    t.set(Op::MOVSHDUP, op_movsdup<1>);
    t.set(Op::MASKMOVQ, op_maskmov);
    t.set(Op::MASKMOVDQU, op_maskmov);
}

}  // namespace petrel
