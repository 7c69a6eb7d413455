// IRET in every mode: real mode, V86 (IOPL 3, and VME's virtual IF), nested
// task return (NT), protected mode to the same or an outer privilege level,
// return to V86 from CPL 0, and IRETQ / IRET in IA-32e mode (which always
// pops SS:RSP from 64-bit mode). Every IRET unblocks NMIs.
#include "cpu/interp/operands.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

constexpr uint64_t kAlwaysWritable = kCF | kPF | kAF | kZF | kSF | kTF | kDF | kOF | kNT | kRF | kAC | kID;

// Which RFLAGS bits a protected-mode IRET (or POPF) may change, by privilege.
uint64_t writable_flags(unsigned cpl, unsigned iopl, unsigned opsize) {
    uint64_t m = kAlwaysWritable;
    if (cpl <= iopl) m |= kIF;
    if (cpl == 0) m |= kIOPL | kVIF | kVIP;
    if (opsize == 2) m &= 0xffff;
    return m;
}

void iret_real(Cpu& cpu, unsigned opsize) {
    CpuState& s = cpu.s;
    uint64_t sp = s.gpr[RSP];
    uint64_t ip = stack_read(cpu, sp, opsize);
    uint16_t cs = static_cast<uint16_t>(stack_read(cpu, sp + opsize, 2));
    uint64_t fl = stack_read(cpu, sp + 2 * opsize, opsize);
    if (ip > s.seg[CS].limit) cpu.raise(kVecGP, 0);
    uint64_t m = opsize == 2 ? 0xffff : (0x257fd5ull);  // VM, VIF, VIP keep their values
    cpu.set_rflags((cpu.rflags() & ~m) | (fl & m));
    cpu.gpr_write(RSP, cpu.stack_addr_size(), sp + 3 * opsize);
    cpu.load_segment_real(CS, cs);
    s.interrupt_shadow = false;
    cpu.next_rip = ip;
}

void iret_v86(Cpu& cpu, unsigned opsize) {
    CpuState& s = cpu.s;
    unsigned iopl = (s.rflags >> 12) & 3;
    bool vme = s.cr4 & kCR4_VME;
    if (iopl < 3 && !(vme && opsize == 2)) cpu.raise(kVecGP, 0);
    uint64_t sp = s.gpr[RSP];
    uint64_t ip = stack_read(cpu, sp, opsize);
    uint16_t cs = static_cast<uint16_t>(stack_read(cpu, sp + opsize, 2));
    uint64_t fl = stack_read(cpu, sp + 2 * opsize, opsize);
    if (ip > 0xffff) cpu.raise(kVecGP, 0);
    uint64_t cur = cpu.rflags();
    if (iopl == 3) {
        uint64_t m = kAlwaysWritable | kIF;  // VM, IOPL, VIF, VIP stay
        if (opsize == 2) m &= 0xffff;
        cpu.set_rflags((cur & ~m) | (fl & m));
    } else {
        // VME: IF of the image goes to VIF; TF set or a pending virtual
        // interrupt about to be enabled is #GP for the monitor to handle.
        if ((fl & kTF) || ((fl & kIF) && (cur & kVIP))) cpu.raise(kVecGP, 0);
        uint64_t m = kAlwaysWritable & 0xffff & ~(kIOPL);
        uint64_t nf = (cur & ~m) | (fl & m);
        nf = (nf & ~kVIF) | ((fl & kIF) ? uint64_t{kVIF} : 0);
        cpu.set_rflags(nf);
    }
    cpu.gpr_write(RSP, cpu.stack_addr_size(), sp + 3 * opsize);
    cpu.load_segment_real(CS, cs);
    s.interrupt_shadow = false;
    cpu.next_rip = ip;
}

void iret_task_return(Cpu& cpu) {
    CpuState& s = cpu.s;
    uint16_t link;
    {
        ImplicitAccess implicit(cpu);
        link = static_cast<uint16_t>(cpu.read_linear(s.tr.base & 0xffffffff, 2, false));
    }
    Descriptor td;
    if ((link & 4) || !read_descriptor(cpu, link, td)) cpu.raise(kVecTS, sel_error(link));
    if (td.s() || (td.type() != kTss16Busy && td.type() != kTss32Busy)) cpu.raise(kVecTS, sel_error(link));
    if (!td.present()) cpu.raise(kVecNP, sel_error(link));
    task_switch(cpu, link, td, TaskSwitchReason::Iret, false, false, 0, cpu.next_rip);
}

// CPL 0 IRET whose EFLAGS image has VM set: back to a V86 task.
void iret_to_v86(Cpu& cpu, uint64_t sp, uint64_t eip, uint16_t cs, uint64_t fl) {
    CpuState& s = cpu.s;
    uint64_t new_esp = stack_read(cpu, sp + 12, 4);
    uint16_t sel[6];
    sel[SS] = static_cast<uint16_t>(stack_read(cpu, sp + 16, 4));
    sel[ES] = static_cast<uint16_t>(stack_read(cpu, sp + 20, 4));
    sel[DS] = static_cast<uint16_t>(stack_read(cpu, sp + 24, 4));
    sel[FS] = static_cast<uint16_t>(stack_read(cpu, sp + 28, 4));
    sel[GS] = static_cast<uint16_t>(stack_read(cpu, sp + 32, 4));
    sel[CS] = cs;
    if ((eip & 0xffff) != eip) cpu.raise(kVecGP, 0);
    cpu.set_rflags(fl);  // CPL 0: every bit, VM included
    for (unsigned r = 0; r < 6; ++r) cpu.load_segment_real(r, sel[r]);
    s.gpr[RSP] = new_esp & 0xffffffff;
    s.cpl = 3;
    s.interrupt_shadow = false;
    cpu.next_rip = eip;
    cpu.update_mode();
}

void iret_protected(Cpu& cpu, unsigned opsize) {
    CpuState& s = cpu.s;
    if (s.rflags & kNT) {
        if (cpu.long_mode()) cpu.raise(kVecGP, 0);
        return iret_task_return(cpu);
    }
    const bool from64 = cpu.code_mode() == CodeMode::Bits64;
    const uint64_t sp = s.gpr[RSP];
    uint64_t ip = stack_read(cpu, sp, opsize);
    uint16_t cs = static_cast<uint16_t>(stack_read(cpu, sp + opsize, 2));
    uint64_t fl = stack_read(cpu, sp + 2 * opsize, opsize);
    if (opsize == 2) fl = (s.rflags & ~0xffffull) | fl;

    if (!cpu.long_mode() && (fl & kVM) && s.cpl == 0 && opsize == 4) return iret_to_v86(cpu, sp, ip, cs, fl);

    const unsigned rpl = cs & 3;
    if (is_null_selector(cs)) cpu.raise(kVecGP, 0);
    Descriptor cd;
    if (!read_descriptor(cpu, cs, cd) || !cd.is_code()) cpu.raise(kVecGP, sel_error(cs));
    if (rpl < s.cpl) cpu.raise(kVecGP, sel_error(cs));
    if (cd.conforming() ? cd.dpl() > rpl : cd.dpl() != rpl) cpu.raise(kVecGP, sel_error(cs));
    if (!cd.present()) cpu.raise(kVecNP, sel_error(cs));
    if (cpu.long_mode() && cd.l() && cd.db()) cpu.raise(kVecGP, sel_error(cs));
    const bool to64 = cpu.long_mode() && cd.l();

    // Target offset checks: canonical for 64-bit code, else the CS limit.
    uint64_t target = ip;
    if (to64) {
        if (!is_canonical(target)) cpu.raise(kVecGP, 0);
    } else {
        target &= opsize == 2 ? 0xffff : 0xffffffff;
        if (target > cd.limit()) cpu.raise(kVecGP, 0);
    }
    const unsigned old_cpl = s.cpl, iopl = (s.rflags >> 12) & 3;
    uint64_t m = writable_flags(old_cpl, iopl, opsize);
    if (cpu.long_mode()) m &= ~kVM;
    uint64_t new_flags = (cpu.rflags() & ~m) | (fl & m);

    if (rpl == s.cpl && !from64) {
        set_accessed(cpu, cs, cd);
        cpu.gpr_write(RSP, cpu.stack_addr_size(), sp + 3 * opsize);
        load_cs(cpu, cs, cd, rpl);
        cpu.set_rflags(new_flags);
        cpu.next_rip = target;
        cpu.update_mode();
        return;
    }
    // A stack switch: outer privilege, or any IRET from 64-bit mode.
    uint64_t new_sp = stack_read(cpu, sp + 3 * opsize, opsize);
    uint16_t ss_sel = static_cast<uint16_t>(stack_read(cpu, sp + 4 * opsize, 2));
    Descriptor sd;
    Segment new_ss;
    if (is_null_selector(ss_sel)) {
        // IA-32e: a null SS is fine for a 64-bit target below CPL 3.
        if (!cpu.long_mode() || !to64 || rpl == 3 || (ss_sel & 3) != rpl) cpu.raise(kVecGP, 0);
        new_ss = null_segment(ss_sel);
        new_ss.attr = static_cast<uint16_t>(rpl << 5);
    } else {
        if (!read_descriptor(cpu, ss_sel, sd)) cpu.raise(kVecGP, sel_error(ss_sel));
        if ((ss_sel & 3) != rpl || !sd.writable_data() || sd.dpl() != rpl) cpu.raise(kVecGP, sel_error(ss_sel));
        if (!sd.present()) cpu.raise(kVecSS, sel_error(ss_sel));
        new_ss = segment_from(sd, ss_sel);
    }
    set_accessed(cpu, cs, cd);
    if (!is_null_selector(ss_sel)) set_accessed(cpu, ss_sel, sd);
    load_cs(cpu, cs, cd, rpl);
    s.seg[SS] = new_ss;
    cpu.set_rflags(new_flags);
    if (to64) s.gpr[RSP] = new_sp;
    else if (new_ss.db()) s.gpr[RSP] = new_sp & 0xffffffff;  // a 32-bit stack pointer zero-extends
    else cpu.gpr_write(RSP, 2, new_sp);
    cpu.update_mode();
    if (rpl > old_cpl) invalidate_segments_for_cpl(cpu);
    cpu.next_rip = target;
}

void op_iret(Cpu& cpu, const DecodedInsn& d) {
    cpu.s.nmi_blocked = false;
    if (!cpu.protected_mode()) iret_real(cpu, d.opsize);
    else if (cpu.v86_mode()) iret_v86(cpu, d.opsize);
    else iret_protected(cpu, d.opsize);
}

}  // namespace

void register_iret(HandlerTable& t) { t.set(Op::IRET, op_iret); }

}  // namespace petrel
