// Exception and interrupt delivery: the real-mode IVT, the protected-mode IDT
// (interrupt, trap and task gates; inner-stack switch from the TSS; entry
// from V86), the long-mode IDT (16-byte gates, IST, aligned 64-bit frames),
// and the double-fault / triple-fault escalation.
//
// Structure: deliver_event() runs one delivery attempt (deliver_once); if the
// attempt itself faults, the SDM's exception classes (vol 3, table 6-5)
// decide between delivering the new exception serially, a #DF, or shutdown.
// An attempt reads every table and writes every frame slot before it changes
// a register, so a fault part-way leaves the state as it was.
#include "cpu/system/descriptors.h"

namespace petrel {

namespace {

using Kind = Cpu::EventKind;

struct Event {
    uint8_t vector;
    Kind kind;
    bool has_error;
    uint32_t error;
};

enum class ExcClass : uint8_t { Benign, Contributory, PageFault, DoubleFault };

ExcClass class_of(const Event& e) {
    if (e.kind != Kind::Exception) return ExcClass::Benign;
    switch (e.vector) {
        case kVecDE: case kVecTS: case kVecNP: case kVecSS: case kVecGP: return ExcClass::Contributory;
        case kVecPF: return ExcClass::PageFault;
        case kVecDF: return ExcClass::DoubleFault;
        default: return ExcClass::Benign;
    }
}

// Software interrupts are the program's own: their faults carry EXT = 0.
// INT1 (ICEBP) counts as a hardware event.
bool is_software(Kind k) { return k == Kind::SoftwareInt || k == Kind::Int3 || k == Kind::Into; }

// Faults (as opposed to traps and interrupts) push RF = 1 so that the
// restarted instruction does not hit its own instruction breakpoint again.
bool pushes_rf(const Event& e) {
    if (e.kind != Kind::Exception) return false;
    switch (e.vector) {
        case kVecDE: case kVecBR: case kVecUD: case kVecNM: case kVecTS: case kVecNP: case kVecSS:
        case kVecGP: case kVecPF: case kVecMF: case kVecAC: case kVecXM:
            return true;
        default:
            return false;
    }
}

bool has_selector_error_format(uint8_t v) { return v == kVecTS || v == kVecNP || v == kVecSS || v == kVecGP; }

uint64_t mask_of(unsigned size) { return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1; }

class Delivery {
public:
    Delivery(Cpu& cpu, const Event& e)
        : cpu_(cpu), s_(cpu.s), e_(e), ext_(!is_software(e.kind)),
          idt_error_(static_cast<uint32_t>(e.vector) * 8 + 2 + (ext_ ? 1 : 0)) {}

    void run() {
        if (!cpu_.protected_mode()) return real_mode();
        if (cpu_.long_mode()) return long_mode();
        return protected_mode();
    }

private:
    Cpu& cpu_;
    CpuState& s_;
    Event e_;
    bool ext_;
    uint32_t idt_error_;

    uint64_t flags_image() {
        uint64_t f = cpu_.rflags();
        if (pushes_rf(e_)) f |= kRF;
        return f;
    }
    uint64_t return_ip() const { return cpu_.return_address(e_.kind); }

    void finish(uint64_t target, bool clear_if) {
        s_.rflags &= ~(kTF | kNT | kRF | kVM);
        if (clear_if) s_.rflags &= ~kIF;
        if (e_.kind == Kind::Nmi) s_.nmi_blocked = true;
        s_.rip = cpu_.next_rip = target;
        s_.halted = false;
        s_.tf_at_start = false;  // the event replaces the single-step trap of this instruction
    }

    void real_mode() {
        // The IVT: 4-byte far pointers at IDTR.base (0 after reset).
        if (e_.vector * 4u + 3 > s_.idtr.limit) cpu_.raise(kVecGP, 0);
        uint64_t entry = cpu_.read_linear((s_.idtr.base + e_.vector * 4u) & 0xffffffff, 4, false);
        StackFrame f(cpu_, s_.seg[SS], s_.gpr[RSP], cpu_.stack_addr_size(), false, 0);
        f.push(cpu_.rflags() & 0xffff, 2);
        f.push(s_.seg[CS].selector, 2);
        f.push(return_ip() & 0xffff, 2);
        cpu_.gpr_write(RSP, cpu_.stack_addr_size(), f.sp());
        s_.rflags &= ~(kIF | kTF | kAC | kRF);
        cpu_.load_segment_real(CS, static_cast<uint16_t>(entry >> 16));
        if (e_.kind == Kind::Nmi) s_.nmi_blocked = true;
        s_.rip = cpu_.next_rip = entry & 0xffff;
        s_.halted = false;
        s_.tf_at_start = false;
    }

    // V86 with CR4.VME: INT n whose bit in the TSS redirection bitmap is clear
    // goes through the V86 task's own IVT at linear 0, like real mode.
    bool v86_redirected() {
        const Segment& tr = s_.tr;
        bool tss32 = tr.type() == kTss32Avail || tr.type() == kTss32Busy;
        if (!tss32 || tr.limit < 0x67) cpu_.raise(kVecGP, 0);  // the bitmap lives in a 32-bit TSS
        ImplicitAccess implicit(cpu_);
        uint32_t iomap = static_cast<uint32_t>(cpu_.read_linear((tr.base + 0x66) & 0xffffffff, 2, false));
        uint32_t byte_off = iomap - 32 + e_.vector / 8;
        if (iomap < 32 || byte_off > tr.limit) cpu_.raise(kVecGP, 0);
        uint64_t bits = cpu_.read_linear((tr.base + byte_off) & 0xffffffff, 1, false);
        return !(bits & (1u << (e_.vector % 8)));
    }

    void v86_redirect() {
        uint64_t entry = cpu_.read_linear(e_.vector * 4u, 4, true);
        unsigned iopl = (s_.rflags >> 12) & 3;
        uint64_t image = cpu_.rflags() & 0xffff;
        if (iopl < 3) {
            // The V86 program sees VIF as IF, and IOPL 3.
            image = (image & ~kIF) | ((s_.rflags & kVIF) ? uint64_t{kIF} : 0) | kIOPL;
        }
        StackFrame f(cpu_, s_.seg[SS], s_.gpr[RSP], 2, true, 0);
        f.push(image, 2);
        f.push(s_.seg[CS].selector, 2);
        f.push(return_ip() & 0xffff, 2);
        cpu_.gpr_write(RSP, 2, f.sp());
        if (iopl == 3) s_.rflags &= ~kIF;
        else s_.rflags &= ~kVIF;
        s_.rflags &= ~(kTF | kRF);
        cpu_.load_segment_real(CS, static_cast<uint16_t>(entry >> 16));
        s_.interrupt_shadow = false;
        s_.rip = cpu_.next_rip = entry & 0xffff;
        s_.tf_at_start = false;
    }

    // Reads and checks the gate; returns false when the vector is a task gate
    // that has been handled.
    Descriptor read_gate(bool wide) {
        unsigned esize = wide ? 16 : 8;
        if (e_.vector * esize + esize - 1 > s_.idtr.limit) cpu_.raise(kVecGP, idt_error_);
        Descriptor g;
        ImplicitAccess implicit(cpu_);
        uint64_t at = table_linear(cpu_, s_.idtr.base + e_.vector * esize);
        g.lo = cpu_.read_linear(at, 8, false);
        if (wide) g.hi = cpu_.read_linear(at + 8, 8, false);
        return g;
    }

    void check_gate_privilege(const Descriptor& g) {
        // INT n, INT3 and INTO may only use gates the program can see.
        if (is_software(e_.kind) && g.dpl() < s_.cpl) cpu_.raise(kVecGP, idt_error_);
        if (!g.present()) cpu_.raise(kVecNP, idt_error_);
    }

    Descriptor target_code(uint16_t cs_sel) {
        if (is_null_selector(cs_sel)) cpu_.raise(kVecGP, ext_ ? 1 : 0);
        Descriptor d;
        if (!read_descriptor(cpu_, cs_sel, d)) cpu_.raise(kVecGP, sel_error(cs_sel, ext_));
        if (!d.is_code() || d.dpl() > s_.cpl) cpu_.raise(kVecGP, sel_error(cs_sel, ext_));
        if (!d.present()) cpu_.raise(kVecNP, sel_error(cs_sel, ext_));
        return d;
    }

    void protected_mode() {
        const bool v86 = cpu_.v86_mode();
        if (v86 && e_.kind == Kind::SoftwareInt) {
            if ((s_.cr4 & kCR4_VME) && v86_redirected()) return v86_redirect();
            if (((s_.rflags >> 12) & 3) < 3) cpu_.raise(kVecGP, 0);
        }
        Descriptor g = read_gate(false);
        unsigned t = g.type();
        bool gate_type_ok = !g.s() && (t == kTaskGate || t == kIntGate16 || t == kTrapGate16 ||
                                       t == kIntGate32 || t == kTrapGate32);
        if (!gate_type_ok) cpu_.raise(kVecGP, idt_error_);
        check_gate_privilege(g);

        if (t == kTaskGate) return through_task_gate(g);

        const bool gate32 = t & 8;
        const bool int_gate = (t & 7) == 6;
        const unsigned psize = gate32 ? 4 : 2;
        uint16_t cs_sel = g.gate_selector();
        Descriptor cd = target_code(cs_sel);
        uint64_t target = gate32 ? g.gate_offset32() : (g.gate_offset32() & 0xffff);
        unsigned new_cpl = cd.conforming() ? s_.cpl : cd.dpl();
        uint64_t flags = flags_image();

        if (new_cpl < s_.cpl) {
            if (v86 && cd.dpl() != 0) cpu_.raise(kVecGP, sel_error(cs_sel, ext_));
            uint16_t ss_sel;
            uint64_t sp;
            tss_stack(cpu_, new_cpl, ext_, ss_sel, sp);
            Descriptor sd = check_stack_segment(cpu_, ss_sel, new_cpl, kVecTS, ext_);
            Segment new_ss = segment_from(sd, ss_sel);
            unsigned as = new_ss.db() ? 4 : 2;
            StackFrame f(cpu_, new_ss, sp & mask_of(as), as, false, sel_error(ss_sel, ext_));
            if (v86) {
                f.push(s_.seg[GS].selector, psize);
                f.push(s_.seg[FS].selector, psize);
                f.push(s_.seg[DS].selector, psize);
                f.push(s_.seg[ES].selector, psize);
            }
            f.push(s_.seg[SS].selector, psize);
            f.push(s_.gpr[RSP] & mask_of(psize), psize);
            f.push(flags & mask_of(psize), psize);
            f.push(s_.seg[CS].selector, psize);
            f.push(return_ip() & mask_of(psize), psize);
            if (e_.has_error) f.push(e_.error, psize);
            if (target > cd.limit()) cpu_.raise(kVecGP, ext_ ? 1 : 0);
            set_accessed(cpu_, ss_sel, sd);
            set_accessed(cpu_, cs_sel, cd);
            // Commit.
            if (v86) {
                for (unsigned r : {ES, DS, FS, GS}) s_.seg[r] = null_segment(0);
            }
            s_.seg[SS] = segment_from(sd, ss_sel);
            cpu_.gpr_write(RSP, as, f.sp());
            s_.rflags &= ~kVM;
            load_cs(cpu_, cs_sel, cd, new_cpl);
        } else {
            if (v86) cpu_.raise(kVecGP, sel_error(cs_sel, ext_));
            unsigned as = cpu_.stack_addr_size();
            StackFrame f(cpu_, s_.seg[SS], s_.gpr[RSP] & mask_of(as), as, s_.cpl == 3, ext_ ? 1 : 0);
            f.push(flags & mask_of(psize), psize);
            f.push(s_.seg[CS].selector, psize);
            f.push(return_ip() & mask_of(psize), psize);
            if (e_.has_error) f.push(e_.error, psize);
            if (target > cd.limit()) cpu_.raise(kVecGP, ext_ ? 1 : 0);
            set_accessed(cpu_, cs_sel, cd);
            cpu_.gpr_write(RSP, as, f.sp());
            load_cs(cpu_, cs_sel, cd, s_.cpl);
        }
        finish(target, int_gate);
    }

    void through_task_gate(const Descriptor& g) {
        uint16_t tss_sel = g.gate_selector();
        Descriptor td;
        if ((tss_sel & 4) || !read_descriptor(cpu_, tss_sel, td)) cpu_.raise(kVecGP, sel_error(tss_sel, ext_));
        if (td.s() || (td.type() != kTss16Avail && td.type() != kTss32Avail))
            cpu_.raise(kVecGP, sel_error(tss_sel, ext_));
        if (!td.present()) cpu_.raise(kVecNP, sel_error(tss_sel, ext_));
        task_switch(cpu_, tss_sel, td, TaskSwitchReason::Interrupt, ext_, e_.has_error, e_.error, return_ip());
        if (e_.kind == Kind::Nmi) s_.nmi_blocked = true;
        s_.halted = false;
        s_.tf_at_start = false;
    }

    void long_mode() {
        Descriptor g = read_gate(true);
        unsigned t = g.type();
        if (g.s() || (t != kIntGate32 && t != kTrapGate32)) cpu_.raise(kVecGP, idt_error_);
        check_gate_privilege(g);
        uint16_t cs_sel = g.gate_selector();
        Descriptor cd = target_code(cs_sel);
        if (!cd.l() || cd.db()) cpu_.raise(kVecGP, sel_error(cs_sel, ext_));
        uint64_t target = g.gate_offset64();
        if (!is_canonical(target)) cpu_.raise(kVecGP, ext_ ? 1 : 0);
        unsigned new_cpl = cd.conforming() ? s_.cpl : cd.dpl();

        uint64_t rsp = s_.gpr[RSP];
        if (g.gate_ist()) {
            rsp = tss_ist(cpu_, g.gate_ist(), ext_);
        } else if (new_cpl < s_.cpl) {
            uint16_t unused;
            tss_stack(cpu_, new_cpl, ext_, unused, rsp);
        }
        if (!is_canonical(rsp) && (g.gate_ist() || new_cpl < s_.cpl)) cpu_.raise(kVecSS, ext_ ? 1 : 0);
        rsp &= ~0xfull;
        StackFrame f(cpu_, s_.seg[SS], rsp, 8, new_cpl == 3, ext_ ? 1 : 0);
        f.push(s_.seg[SS].selector, 8);
        f.push(s_.gpr[RSP], 8);
        f.push(flags_image(), 8);
        f.push(s_.seg[CS].selector, 8);
        f.push(return_ip(), 8);
        if (e_.has_error) f.push(e_.error, 8);
        set_accessed(cpu_, cs_sel, cd);
        // Commit.
        if (new_cpl < s_.cpl) {
            // SS becomes a null selector with RPL = new CPL.
            Segment nul = null_segment(static_cast<uint16_t>(new_cpl));
            nul.attr = static_cast<uint16_t>(new_cpl << 5);
            s_.seg[SS] = nul;
        }
        s_.gpr[RSP] = f.sp();
        load_cs(cpu_, cs_sel, cd, new_cpl);
        finish(target, t == kIntGate32);
    }
};

}  // namespace

// Software interrupts return after the instruction; faults and external
// interrupts return to it (s.rip). Handlers that raise events set next_rip
// first, and every path below sets both s.rip and next_rip to the target.
uint64_t Cpu::return_address(EventKind kind) const {
    switch (kind) {
        case EventKind::SoftwareInt:
        case EventKind::Int3:
        case EventKind::Into:
        case EventKind::Int1:
            return next_rip;
        default:
            return s.rip;
    }
}

void Cpu::deliver_event(uint8_t vector, EventKind kind, bool has_error, uint32_t error) {
    Event ev{vector, kind, has_error, error};
    // Error codes only exist in protected mode.
    if (!protected_mode()) ev.has_error = false;
    for (;;) {
        try {
            Delivery(*this, ev).run();
            return;
        } catch (const CpuFault& f) {
            if (class_of(ev) == ExcClass::DoubleFault) {
                shutdown("triple fault");
                return;
            }
            ExcClass first = class_of(ev);
            Event second{f.vector, EventKind::Exception, f.has_error, f.error};
            ExcClass next = class_of(second);
            bool doubles = (first == ExcClass::Contributory && next == ExcClass::Contributory) ||
                           (first == ExcClass::PageFault &&
                            (next == ExcClass::Contributory || next == ExcClass::PageFault));
            if (doubles) {
                ev = Event{kVecDF, EventKind::Exception, true, 0};
            } else {
                if (!is_software(ev.kind) && has_selector_error_format(second.vector)) second.error |= 1;
                ev = second;
            }
            if (!protected_mode()) ev.has_error = false;
        }
    }
}

}  // namespace petrel
