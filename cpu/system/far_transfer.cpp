// Far control transfers: JMP FAR, CALL FAR and RET FAR in real, V86,
// protected and long mode, with call gates (16/32/64-bit, parameter copy,
// inner-stack switch), jumps and calls to TSSs and task gates, and returns to
// an outer privilege level.
//
// Operand forms: the direct ptr16:16/32 form carries the offset in imm and the
// selector in imm2; the m16:16/32/64 form has a memory operand holding the
// offset (operand size) followed by the selector.
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

struct FarPtr {
    uint16_t sel;
    uint64_t off;
};

FarPtr far_operand(Cpu& cpu, const DecodedInsn& d) {
    int m = d.mem_operand();
    if (m < 0) return FarPtr{static_cast<uint16_t>(d.imm2), d.imm & size_mask(d.opsize)};
    uint64_t ea = effective_address(cpu, d);
    uint64_t off = cpu.read_mem(d.mem_seg, ea, d.opsize);
    uint64_t sel = cpu.read_mem(d.mem_seg, (ea + d.opsize) & size_mask(d.addrsize), 2);
    return FarPtr{static_cast<uint16_t>(sel), off};
}

// The offset a code segment allows, for a target in that segment: 64-bit
// code needs a canonical offset, other code an offset within the limit.
uint64_t checked_target(Cpu& cpu, const Descriptor& cd, uint64_t off, unsigned opsize) {
    if (cpu.long_mode() && cd.l()) {
        if (!is_canonical(off)) cpu.raise(kVecGP, 0);
        return off;
    }
    off &= opsize == 2 ? 0xffff : 0xffffffff;
    if (off > cd.limit()) cpu.raise(kVecGP, 0);
    return off;
}

// The code-segment checks common to far JMP/CALL: privilege of a direct
// transfer (no gate).
Descriptor read_code_for_direct(Cpu& cpu, uint16_t sel) {
    Descriptor cd;
    if (!read_descriptor(cpu, sel, cd)) cpu.raise(kVecGP, sel_error(sel));
    return cd;
}

void check_direct_code(Cpu& cpu, uint16_t sel, const Descriptor& cd) {
    unsigned rpl = sel & 3, cpl = cpu.s.cpl;
    if (cd.conforming() ? cd.dpl() > cpl : (rpl > cpl || cd.dpl() != cpl)) cpu.raise(kVecGP, sel_error(sel));
    if (!cd.present()) cpu.raise(kVecNP, sel_error(sel));
    if (cpu.long_mode() && cd.l() && cd.db()) cpu.raise(kVecGP, sel_error(sel));
}

bool is_tss_type(unsigned t) { return t == kTss16Avail || t == kTss32Avail || t == kTss16Busy || t == kTss32Busy; }

// JMP/CALL to a TSS descriptor or through a task gate.
void far_task(Cpu& cpu, uint16_t sel, const Descriptor& d, TaskSwitchReason why) {
    unsigned rpl = sel & 3;
    if (cpu.long_mode()) cpu.raise(kVecGP, sel_error(sel));
    if (d.dpl() < cpu.s.cpl || d.dpl() < rpl) cpu.raise(kVecGP, sel_error(sel));
    if (!d.present()) cpu.raise(kVecNP, sel_error(sel));
    uint16_t tss_sel = sel;
    Descriptor td = d;
    if (d.type() == kTaskGate) {
        tss_sel = d.gate_selector();
        if ((tss_sel & 4) || !read_descriptor(cpu, tss_sel, td)) cpu.raise(kVecGP, sel_error(tss_sel));
    }
    if (td.s() || (td.type() != kTss16Avail && td.type() != kTss32Avail)) cpu.raise(kVecGP, sel_error(tss_sel));
    if (!td.present()) cpu.raise(kVecNP, sel_error(tss_sel));
    task_switch(cpu, tss_sel, td, why, false, false, 0, cpu.next_rip);
}

struct GateTarget {
    Descriptor gate, code;
    uint16_t cs_sel;
    uint64_t offset;
    unsigned size;  // 2, 4 or 8: the gate's width, which sizes what a CALL pushes
};

GateTarget read_call_gate(Cpu& cpu, uint16_t sel, const Descriptor& first, bool is_call) {
    GateTarget g;
    g.gate = first;
    unsigned rpl = sel & 3, cpl = cpu.s.cpl;
    if (cpu.long_mode()) {
        if (!read_descriptor16(cpu, sel, g.gate)) cpu.raise(kVecGP, sel_error(sel));
        // The upper half's type field must be 0 (it overlays a "descriptor" of type 0).
        if (((g.gate.hi >> 40) & 0x1f) != 0) cpu.raise(kVecGP, sel_error(sel));
    }
    if (g.gate.dpl() < cpl || g.gate.dpl() < rpl) cpu.raise(kVecGP, sel_error(sel));
    if (!g.gate.present()) cpu.raise(kVecNP, sel_error(sel));
    g.cs_sel = g.gate.gate_selector();
    if (is_null_selector(g.cs_sel)) cpu.raise(kVecGP, 0);
    if (!read_descriptor(cpu, g.cs_sel, g.code) || !g.code.is_code()) cpu.raise(kVecGP, sel_error(g.cs_sel));
    // A CALL may go inward to non-conforming code (and conforming code runs
    // at the caller's CPL); a JMP through a gate never changes privilege.
    bool bad_dpl = (is_call || g.code.conforming()) ? g.code.dpl() > cpl : g.code.dpl() != cpl;
    if (bad_dpl) cpu.raise(kVecGP, sel_error(g.cs_sel));
    if (!g.code.present()) cpu.raise(kVecNP, sel_error(g.cs_sel));
    if (cpu.long_mode()) {
        if (!g.code.l() || g.code.db()) cpu.raise(kVecGP, sel_error(g.cs_sel));
        g.size = 8;
        g.offset = g.gate.gate_offset64();
    } else {
        g.size = g.gate.type() == kCallGate32 ? 4 : 2;
        g.offset = g.size == 4 ? g.gate.gate_offset32() : g.gate.gate_offset32() & 0xffff;
    }
    g.offset = checked_target(cpu, g.code, g.offset, g.size);
    return g;
}

void far_jump(Cpu& cpu, FarPtr p, unsigned opsize) {
    CpuState& s = cpu.s;
    if (!cpu.protected_mode() || cpu.v86_mode()) {
        uint64_t off = p.off & (opsize == 2 ? 0xffff : 0xffffffff);
        if (off > s.seg[CS].limit && !cpu.v86_mode()) cpu.raise(kVecGP, 0);
        if (cpu.v86_mode() && off > 0xffff) cpu.raise(kVecGP, 0);
        cpu.load_segment_real(CS, p.sel);
        cpu.next_rip = off;
        return;
    }
    if (is_null_selector(p.sel)) cpu.raise(kVecGP, 0);
    Descriptor d = read_code_for_direct(cpu, p.sel);
    if (d.is_code()) {
        check_direct_code(cpu, p.sel, d);
        uint64_t off = checked_target(cpu, d, p.off, opsize);
        set_accessed(cpu, p.sel, d);
        load_cs(cpu, p.sel, d, s.cpl);
        cpu.next_rip = off;
        cpu.update_mode();
        return;
    }
    unsigned t = d.type();
    if (d.s()) cpu.raise(kVecGP, sel_error(p.sel));
    if (t == kCallGate32 || (t == kCallGate16 && !cpu.long_mode())) {
        GateTarget g = read_call_gate(cpu, p.sel, d, false);
        set_accessed(cpu, g.cs_sel, g.code);
        load_cs(cpu, g.cs_sel, g.code, s.cpl);
        cpu.next_rip = g.offset;
        return;
    }
    if (t == kTaskGate || is_tss_type(t)) return far_task(cpu, p.sel, d, TaskSwitchReason::Jmp);
    cpu.raise(kVecGP, sel_error(p.sel));
}

void far_call(Cpu& cpu, FarPtr p, unsigned opsize) {
    CpuState& s = cpu.s;
    const uint64_t ret = cpu.next_rip;
    if (!cpu.protected_mode() || cpu.v86_mode()) {
        uint64_t off = p.off & (opsize == 2 ? 0xffff : 0xffffffff);
        if (off > s.seg[CS].limit) cpu.raise(kVecGP, 0);
        unsigned as = cpu.stack_addr_size();
        StackFrame f(cpu, s.seg[SS], s.gpr[RSP], as, cpu.v86_mode(), 0);
        f.push(s.seg[CS].selector, opsize);
        f.push(ret, opsize);
        cpu.gpr_write(RSP, as, f.sp());
        cpu.load_segment_real(CS, p.sel);
        cpu.next_rip = off;
        return;
    }
    if (is_null_selector(p.sel)) cpu.raise(kVecGP, 0);
    Descriptor d = read_code_for_direct(cpu, p.sel);
    if (d.is_code()) {
        check_direct_code(cpu, p.sel, d);
        uint64_t off = checked_target(cpu, d, p.off, opsize);
        unsigned as = cpu.stack_addr_size();
        StackFrame f(cpu, s.seg[SS], s.gpr[RSP], as, s.cpl == 3, 0);
        f.push(s.seg[CS].selector, opsize);
        f.push(ret, opsize);
        set_accessed(cpu, p.sel, d);
        cpu.gpr_write(RSP, as, f.sp());
        load_cs(cpu, p.sel, d, s.cpl);
        cpu.next_rip = off;
        cpu.update_mode();
        return;
    }
    unsigned t = d.type();
    if (d.s()) cpu.raise(kVecGP, sel_error(p.sel));
    if (t == kTaskGate || is_tss_type(t)) return far_task(cpu, p.sel, d, TaskSwitchReason::Call);
    if (!(t == kCallGate32 || (t == kCallGate16 && !cpu.long_mode()))) cpu.raise(kVecGP, sel_error(p.sel));

    GateTarget g = read_call_gate(cpu, p.sel, d, true);
    const unsigned new_cpl = g.code.conforming() ? s.cpl : g.code.dpl();
    if (new_cpl < s.cpl) {
        // Inner privilege: switch to the stack the TSS gives for new_cpl.
        uint16_t ss_sel;
        uint64_t sp;
        tss_stack(cpu, new_cpl, false, ss_sel, sp);
        if (cpu.long_mode()) {
            if (!is_canonical(sp)) cpu.raise(kVecSS, 0);
            StackFrame f(cpu, s.seg[SS], sp, 8, false, 0);
            f.push(s.seg[SS].selector, 8);
            f.push(s.gpr[RSP], 8);
            f.push(s.seg[CS].selector, 8);
            f.push(ret, 8);
            set_accessed(cpu, g.cs_sel, g.code);
            Segment nul = null_segment(static_cast<uint16_t>(new_cpl));
            nul.attr = static_cast<uint16_t>(new_cpl << 5);
            s.seg[SS] = nul;
            s.gpr[RSP] = f.sp();
        } else {
            Descriptor sd = check_stack_segment(cpu, ss_sel, new_cpl, kVecTS, false);
            Segment new_ss = segment_from(sd, ss_sel);
            unsigned as = new_ss.db() ? 4 : 2;
            unsigned old_as = cpu.stack_addr_size();
            StackFrame f(cpu, new_ss, sp & (as == 4 ? 0xffffffffull : 0xffffull), as, false, sel_error(ss_sel));
            f.push(s.seg[SS].selector, g.size);
            f.push(s.gpr[RSP] & size_mask(g.size), g.size);
            // Parameters, copied so that they keep their order on the new stack.
            for (unsigned i = g.gate.gate_params(); i-- > 0;) {
                uint64_t v = stack_read(cpu, (s.gpr[RSP] + i * g.size) & size_mask(old_as), g.size);
                f.push(v, g.size);
            }
            f.push(s.seg[CS].selector, g.size);
            f.push(ret, g.size);
            set_accessed(cpu, ss_sel, sd);
            set_accessed(cpu, g.cs_sel, g.code);
            s.seg[SS] = new_ss;
            cpu.gpr_write(RSP, as, f.sp());
        }
        load_cs(cpu, g.cs_sel, g.code, new_cpl);
    } else {
        unsigned as = cpu.stack_addr_size();
        StackFrame f(cpu, s.seg[SS], s.gpr[RSP], as, s.cpl == 3, 0);
        f.push(s.seg[CS].selector, g.size);
        f.push(ret, g.size);
        set_accessed(cpu, g.cs_sel, g.code);
        cpu.gpr_write(RSP, as, f.sp());
        load_cs(cpu, g.cs_sel, g.code, s.cpl);
    }
    cpu.next_rip = g.offset;
    cpu.update_mode();
}

void far_return(Cpu& cpu, unsigned opsize, uint64_t imm) {
    CpuState& s = cpu.s;
    const unsigned as = cpu.stack_addr_size();
    const uint64_t sp = s.gpr[RSP];
    uint64_t off = stack_read(cpu, sp, opsize);
    uint16_t sel = static_cast<uint16_t>(stack_read(cpu, sp + opsize, 2));
    if (!cpu.protected_mode() || cpu.v86_mode()) {
        if (off > s.seg[CS].limit) cpu.raise(kVecGP, 0);
        cpu.gpr_write(RSP, as, sp + 2 * opsize + imm);
        cpu.load_segment_real(CS, sel);
        cpu.next_rip = off;
        return;
    }
    const unsigned rpl = sel & 3;
    if (is_null_selector(sel)) cpu.raise(kVecGP, 0);
    Descriptor cd;
    if (!read_descriptor(cpu, sel, cd) || !cd.is_code()) cpu.raise(kVecGP, sel_error(sel));
    if (rpl < s.cpl) cpu.raise(kVecGP, sel_error(sel));
    if (cd.conforming() ? cd.dpl() > rpl : cd.dpl() != rpl) cpu.raise(kVecGP, sel_error(sel));
    if (!cd.present()) cpu.raise(kVecNP, sel_error(sel));
    if (cpu.long_mode() && cd.l() && cd.db()) cpu.raise(kVecGP, sel_error(sel));

    if (rpl == s.cpl) {
        uint64_t target = checked_target(cpu, cd, off, opsize);
        set_accessed(cpu, sel, cd);
        cpu.gpr_write(RSP, as, sp + 2 * opsize + imm);
        load_cs(cpu, sel, cd, rpl);
        cpu.next_rip = target;
        cpu.update_mode();
        return;
    }
    // Outer privilege: the caller's SS:RSP sit above the parameters.
    uint64_t new_sp = stack_read(cpu, sp + 2 * opsize + imm, opsize);
    uint16_t ss_sel = static_cast<uint16_t>(stack_read(cpu, sp + 3 * opsize + imm, 2));
    const bool to64 = cpu.long_mode() && cd.l();
    Descriptor sd;
    Segment new_ss;
    if (is_null_selector(ss_sel)) {
        if (!to64 || rpl == 3) cpu.raise(kVecGP, 0);
        new_ss = null_segment(ss_sel);
        new_ss.attr = static_cast<uint16_t>(rpl << 5);
    } else {
        if (!read_descriptor(cpu, ss_sel, sd)) cpu.raise(kVecGP, sel_error(ss_sel));
        if ((ss_sel & 3) != rpl || !sd.writable_data() || sd.dpl() != rpl) cpu.raise(kVecGP, sel_error(ss_sel));
        if (!sd.present()) cpu.raise(kVecSS, sel_error(ss_sel));
        new_ss = segment_from(sd, ss_sel);
    }
    uint64_t target = checked_target(cpu, cd, off, opsize);
    set_accessed(cpu, sel, cd);
    if (!is_null_selector(ss_sel)) set_accessed(cpu, ss_sel, sd);
    load_cs(cpu, sel, cd, rpl);
    s.seg[SS] = new_ss;
    cpu.update_mode();
    unsigned new_as = to64 ? 8 : new_ss.db() ? 4 : 2;
    cpu.gpr_write(RSP, new_as == 8 ? 8 : new_as, new_sp + imm);
    invalidate_segments_for_cpl(cpu);
    cpu.next_rip = target;
}

void op_jmp_far(Cpu& cpu, const DecodedInsn& d) { far_jump(cpu, far_operand(cpu, d), d.opsize); }
void op_call_far(Cpu& cpu, const DecodedInsn& d) { far_call(cpu, far_operand(cpu, d), d.opsize); }
void op_ret_far(Cpu& cpu, const DecodedInsn& d) {
    uint64_t imm = d.opcode == 0xca ? d.imm & 0xffff : 0;  // RETF imm16
    far_return(cpu, d.opsize, imm);
}

}  // namespace

void register_far_transfer(HandlerTable& t) {
    t.set(Op::JMP_FAR, op_jmp_far);
    t.set(Op::CALL_FAR, op_call_far);
    t.set(Op::RET_FAR, op_ret_far);
}

}  // namespace petrel
