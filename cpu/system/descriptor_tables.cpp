// Descriptor-table instructions: LGDT/SGDT/LIDT/SIDT, LLDT/SLDT, LTR/STR,
// and the selector probes LAR/LSL/VERR/VERW and ARPL. SGDT/SIDT/SLDT/STR/SMSW
// are UMIP-protected (CR4.UMIP: #GP(0) above CPL 0).
#include "cpu/interp/operands.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

void require_cpl0(Cpu& cpu) {
    if (cpu.v86_mode() || (cpu.protected_mode() && cpu.s.cpl != 0)) cpu.raise(kVecGP, 0);
}
void require_protected(Cpu& cpu) {
    if (!cpu.protected_mode() || cpu.v86_mode()) cpu.raise(kVecUD);
}
void check_umip(Cpu& cpu) {
    if ((cpu.s.cr4 & kCR4_UMIP) && cpu.protected_mode() && (cpu.s.cpl > 0 || cpu.v86_mode())) cpu.raise(kVecGP, 0);
}
void set_zf(Cpu& cpu, bool z) {
    uint64_t f = cpu.rflags();
    cpu.s.rflags = z ? (f | kZF) : (f & ~kZF);
}

// The pseudo-descriptor operand: limit (2 bytes), then base: 8 bytes in
// 64-bit mode, else 4 bytes of which a 16-bit operand size uses 24 bits.
void load_table(Cpu& cpu, const DecodedInsn& d, DescriptorTable& t) {
    if (d.mem_operand() < 0) cpu.raise(kVecUD);
    require_cpl0(cpu);
    uint64_t ea = effective_address(cpu, d);
    uint64_t limit = cpu.read_mem(d.mem_seg, ea, 2);
    uint64_t base;
    if (cpu.code_mode() == CodeMode::Bits64) {
        base = cpu.read_mem(d.mem_seg, (ea + 2) & size_mask(d.addrsize), 8);
        if (!is_canonical(base)) cpu.raise(kVecGP, 0);
    } else {
        base = cpu.read_mem(d.mem_seg, (ea + 2) & size_mask(d.addrsize), 4);
        if (d.opsize == 2) base &= 0xffffff;
    }
    t.limit = static_cast<uint16_t>(limit);
    t.base = base;
}

void store_table(Cpu& cpu, const DecodedInsn& d, const DescriptorTable& t) {
    if (d.mem_operand() < 0) cpu.raise(kVecUD);
    check_umip(cpu);
    uint64_t ea = effective_address(cpu, d);
    unsigned bsize = cpu.code_mode() == CodeMode::Bits64 ? 8 : 4;
    uint64_t base = d.opsize == 2 && bsize == 4 ? t.base & 0xffffff : t.base;
    // Check both parts before storing either.
    uint64_t lin = cpu.linear_address(d.mem_seg, ea, 2 + bsize, Access::Write);
    cpu.probe_write(lin, 2 + bsize, cpu.s.cpl == 3);
    cpu.write_mem(d.mem_seg, ea, 2, t.limit);
    cpu.write_mem(d.mem_seg, (ea + 2) & size_mask(d.addrsize), bsize, base);
}

void op_lgdt(Cpu& cpu, const DecodedInsn& d) { load_table(cpu, d, cpu.s.gdtr); }
void op_lidt(Cpu& cpu, const DecodedInsn& d) { load_table(cpu, d, cpu.s.idtr); }
void op_sgdt(Cpu& cpu, const DecodedInsn& d) { store_table(cpu, d, cpu.s.gdtr); }
void op_sidt(Cpu& cpu, const DecodedInsn& d) { store_table(cpu, d, cpu.s.idtr); }

// SLDT/STR/SMSW store 16 bits to memory, or zero-extend into a register.
void store_selector_like(Cpu& cpu, const DecodedInsn& d, uint64_t v) {
    if (d.ops[0].kind == OpKind::Mem) {
        cpu.write_mem(d.mem_seg, effective_address(cpu, d), 2, v & 0xffff);
    } else {
        cpu.gpr_write(d.ops[0].reg, d.opsize, v);
    }
}

void op_sldt(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    check_umip(cpu);
    store_selector_like(cpu, d, cpu.s.ldtr.selector);
}

void op_str(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    check_umip(cpu);
    store_selector_like(cpu, d, cpu.s.tr.selector);
}

uint16_t selector_operand(Cpu& cpu, const DecodedInsn& d, int i) {
    const Operand& o = d.ops[i];
    if (o.kind == OpKind::Mem) return static_cast<uint16_t>(cpu.read_mem(d.mem_seg, effective_address(cpu, d), 2));
    return static_cast<uint16_t>(cpu.gpr_read(o.reg, 2));
}

void op_lldt(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    require_cpl0(cpu);
    uint16_t sel = selector_operand(cpu, d, 0);
    if (is_null_selector(sel)) {
        cpu.s.ldtr = null_segment(sel);
        return;
    }
    if (sel & 4) cpu.raise(kVecGP, sel_error(sel));
    Descriptor ld;
    bool ok = cpu.long_mode() ? read_descriptor16(cpu, sel, ld) : read_descriptor(cpu, sel, ld);
    if (!ok || ld.s() || ld.type() != kLdtType) cpu.raise(kVecGP, sel_error(sel));
    if (!ld.present()) cpu.raise(kVecNP, sel_error(sel));
    Segment sg = segment_from(ld, sel);
    if (cpu.long_mode()) {
        sg.base = ld.base64();
        if (!is_canonical(sg.base)) cpu.raise(kVecGP, sel_error(sel));
    }
    cpu.s.ldtr = sg;
}

void op_ltr(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    require_cpl0(cpu);
    uint16_t sel = selector_operand(cpu, d, 0);
    if (is_null_selector(sel)) cpu.raise(kVecGP, 0);
    if (sel & 4) cpu.raise(kVecGP, sel_error(sel));
    Descriptor td;
    bool ok = cpu.long_mode() ? read_descriptor16(cpu, sel, td) : read_descriptor(cpu, sel, td);
    if (!ok || td.s()) cpu.raise(kVecGP, sel_error(sel));
    bool avail = cpu.long_mode() ? td.type() == kTss32Avail : (td.type() == kTss32Avail || td.type() == kTss16Avail);
    if (!avail) cpu.raise(kVecGP, sel_error(sel));
    if (!td.present()) cpu.raise(kVecNP, sel_error(sel));
    Segment sg = segment_from(td, sel);
    if (cpu.long_mode()) {
        sg.base = td.base64();
        if (!is_canonical(sg.base)) cpu.raise(kVecGP, sel_error(sel));
    }
    set_tss_busy(cpu, sel, true);
    sg.attr |= 2;  // busy
    cpu.s.tr = sg;
}

// Privilege test shared by LAR/LSL/VERR/VERW: conforming code is visible at
// any privilege, everything else needs DPL >= max(CPL, RPL).
bool visible(const Cpu& cpu, uint16_t sel, const Descriptor& d) {
    if (d.conforming()) return true;
    return d.dpl() >= cpu.s.cpl && d.dpl() >= (sel & 3u);
}

// System descriptor types LAR and LSL accept (SDM tables in LAR/LSL).
bool lar_type_ok(const Cpu& cpu, unsigned t) {
    if (cpu.long_mode()) return t == kLdtType || t == kTss32Avail || t == kTss32Busy || t == kCallGate32;
    return t == kTss16Avail || t == kLdtType || t == kTss16Busy || t == kCallGate16 || t == kTaskGate ||
           t == kTss32Avail || t == kTss32Busy || t == kCallGate32;
}
bool lsl_type_ok(const Cpu& cpu, unsigned t) {
    if (cpu.long_mode()) return t == kLdtType || t == kTss32Avail || t == kTss32Busy;
    return t == kTss16Avail || t == kLdtType || t == kTss16Busy || t == kTss32Avail || t == kTss32Busy;
}

bool probe(Cpu& cpu, uint16_t sel, Descriptor& d) {
    if (is_null_selector(sel)) return false;
    return read_descriptor(cpu, sel, d);
}

void op_lar(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    uint16_t sel = selector_operand(cpu, d, 1);
    Descriptor desc;
    bool ok = probe(cpu, sel, desc) && (desc.s() || lar_type_ok(cpu, desc.type())) && visible(cpu, sel, desc);
    set_zf(cpu, ok);
    if (!ok) return;
    uint64_t v = (desc.lo >> 32) & (d.opsize == 2 ? 0xff00 : 0x00f0ff00);
    cpu.gpr_write(d.ops[0].reg, d.opsize, v);
}

void op_lsl(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    uint16_t sel = selector_operand(cpu, d, 1);
    Descriptor desc;
    bool ok = probe(cpu, sel, desc) && (desc.s() || lsl_type_ok(cpu, desc.type())) && visible(cpu, sel, desc);
    set_zf(cpu, ok);
    if (ok) cpu.gpr_write(d.ops[0].reg, d.opsize, desc.limit());
}

void op_verr(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    uint16_t sel = selector_operand(cpu, d, 0);
    Descriptor desc;
    set_zf(cpu, probe(cpu, sel, desc) && desc.s() && desc.readable() && visible(cpu, sel, desc));
}

void op_verw(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    uint16_t sel = selector_operand(cpu, d, 0);
    Descriptor desc;
    set_zf(cpu, probe(cpu, sel, desc) && desc.writable_data() && visible(cpu, sel, desc));
}

// ARPL r/m16, r16: raise the destination selector's RPL to the source's.
void op_arpl(Cpu& cpu, const DecodedInsn& d) {
    require_protected(cpu);
    Loc dst = resolve(cpu, d, 0, Access::Write);
    uint64_t v = load(cpu, d, dst) & 0xffff;
    uint64_t src = cpu.gpr_read(d.ops[1].reg, 2);
    if ((v & 3) < (src & 3)) {
        store(cpu, dst, (v & ~3ull) | (src & 3));
        set_zf(cpu, true);
    } else {
        set_zf(cpu, false);
    }
}

}  // namespace

void register_descriptor_tables(HandlerTable& t) {
    t.set(Op::LGDT, op_lgdt);
    t.set(Op::LIDT, op_lidt);
    t.set(Op::SGDT, op_sgdt);
    t.set(Op::SIDT, op_sidt);
    t.set(Op::SLDT, op_sldt);
    t.set(Op::STR, op_str);
    t.set(Op::LLDT, op_lldt);
    t.set(Op::LTR, op_ltr);
    t.set(Op::LAR, op_lar);
    t.set(Op::LSL, op_lsl);
    t.set(Op::VERR, op_verr);
    t.set(Op::VERW, op_verw);
    t.set(Op::ARPL, op_arpl);
}

}  // namespace petrel
