// The privilege rules of the system flags (IF, IOPL, VIF/VIP, VM, RF) for
// CLI, STI, PUSHF and POPF: CPL against IOPL in protected mode, and in V86
// mode IOPL 3 or CR4.VME's virtual interrupt flag; CR4.PVI gives CPL 3
// protected-mode code the same virtual IF. STI opens the one-instruction
// interrupt shadow when it sets IF.
#include "cpu/interp/handlers.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {
unsigned iopl_of(const CpuState& s) { return (s.rflags >> 12) & 3; }
}  // namespace

void Cpu::cli() {
    if (!protected_mode()) {
        s.rflags &= ~kIF;
        return;
    }
    unsigned iopl = iopl_of(s);
    if (v86_mode()) {
        if (iopl == 3) s.rflags &= ~kIF;
        else if (s.cr4 & kCR4_VME) s.rflags &= ~kVIF;
        else raise(kVecGP, 0);
        return;
    }
    if (s.cpl <= iopl) s.rflags &= ~kIF;
    else if (s.cpl == 3 && (s.cr4 & kCR4_PVI)) s.rflags &= ~kVIF;
    else raise(kVecGP, 0);
}

void Cpu::sti() {
    auto set_if = [this] {
        if (!(s.rflags & kIF)) s.interrupt_shadow = true;
        s.rflags |= kIF;
    };
    auto set_vif = [this] {
        if (s.rflags & kVIP) raise(kVecGP, 0);  // the monitor delivers the pending interrupt
        s.rflags |= kVIF;
    };
    if (!protected_mode()) return set_if();
    unsigned iopl = iopl_of(s);
    if (v86_mode()) {
        if (iopl == 3) return set_if();
        if (s.cr4 & kCR4_VME) return set_vif();
        raise(kVecGP, 0);
    }
    if (s.cpl <= iopl) return set_if();
    if (s.cpl == 3 && (s.cr4 & kCR4_PVI)) return set_vif();
    raise(kVecGP, 0);
}

uint64_t Cpu::pushf_image(unsigned opsize) {
    uint64_t f = rflags() & ~(kVM | kRF);  // the image never shows VM or RF
    if (v86_mode() && iopl_of(s) < 3) {
        if (!(s.cr4 & kCR4_VME) || opsize != 2) raise(kVecGP, 0);
        // VME: the V86 program sees VIF as IF and IOPL 3.
        f = (f & ~kIF) | ((s.rflags & kVIF) ? uint64_t{kIF} : 0) | kIOPL;
    }
    return opsize == 2 ? f & 0xffff : f;
}

void Cpu::popf_apply(uint64_t value, unsigned opsize) {
    uint64_t cur = rflags();
    uint64_t m = kArithFlags | kTF | kDF | kNT | kAC | kID;
    if (v86_mode()) {
        if (iopl_of(s) == 3) {
            m |= kIF;
        } else {
            if (!(s.cr4 & kCR4_VME) || opsize != 2) raise(kVecGP, 0);
            if ((value & kTF) || ((value & kIF) && (cur & kVIP))) raise(kVecGP, 0);
            m &= 0xffff;
            uint64_t nf = (cur & ~m) | (value & m);
            nf = (nf & ~kVIF) | ((value & kIF) ? uint64_t{kVIF} : 0);
            set_rflags(nf & ~kRF);
            return;
        }
    } else {
        if (!protected_mode() || s.cpl == 0) m |= kIOPL;
        if (!protected_mode() || s.cpl <= iopl_of(s)) m |= kIF;
    }
    if (opsize == 2) m &= 0xffff;
    set_rflags(((cur & ~m) | (value & m)) & ~kRF);
}

namespace {
void op_cli(Cpu& cpu, const DecodedInsn&) { cpu.cli(); }
void op_sti(Cpu& cpu, const DecodedInsn&) { cpu.sti(); }

// STAC/CLAC: CPL 0 only (their #UD otherwise, SDM).
void check_smap_insn(Cpu& cpu) {
    if (cpu.v86_mode() || (cpu.protected_mode() && cpu.s.cpl > 0)) cpu.raise(kVecUD);
}
void op_stac(Cpu& cpu, const DecodedInsn&) {
    check_smap_insn(cpu);
    cpu.s.rflags |= kAC;
}
void op_clac(Cpu& cpu, const DecodedInsn&) {
    check_smap_insn(cpu);
    cpu.s.rflags &= ~kAC;
}
}  // namespace

void register_flags_privilege(HandlerTable& t) {
    t.set(Op::CLI, op_cli);
    t.set(Op::STI, op_sti);
    t.set(Op::STAC, op_stac);
    t.set(Op::CLAC, op_clac);
}

}  // namespace petrel
