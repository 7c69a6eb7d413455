// The hardware task switch (SDM vol 3 section 7.3) for 16- and 32-bit TSSs:
// JMP/CALL to a TSS or task gate, interrupts through task gates, and IRET
// with NT set. The whole incoming TSS is read and the outgoing state written
// before any register changes; faults while loading the new task's segments
// happen in the context of the new task, as on hardware.
#include "cpu/system/descriptors.h"

namespace petrel {

namespace {

// The register image a TSS holds, independent of its width.
struct TaskImage {
    uint64_t cr3 = 0;
    uint64_t eip = 0, eflags = 0;
    uint64_t gpr[8] = {};
    uint16_t sel[6] = {};  // ES CS SS DS FS GS
    uint16_t ldt = 0;
    uint16_t back_link = 0;
    bool trap = false;     // T bit: #DB on entry to the task
};

struct TssLayout {
    bool wide;          // 32-bit TSS
    uint32_t min_limit;
    uint32_t cr3, eip, eflags, gpr0, sel0, ldt;
    unsigned gpr_size, step;  // register width; distance between selector slots
};
constexpr TssLayout kTss32{true, 0x67, 0x1c, 0x20, 0x24, 0x28, 0x48, 0x60, 4, 4};
constexpr TssLayout kTss16{false, 0x2b, 0, 0x0e, 0x10, 0x12, 0x22, 0x2a, 2, 2};

const TssLayout& layout_of(unsigned type) { return (type & 8) ? kTss32 : kTss16; }

uint64_t rd(Cpu& cpu, uint64_t base, uint32_t off, unsigned size) {
    return cpu.read_linear((base + off) & 0xffffffff, size, false);
}
void wr(Cpu& cpu, uint64_t base, uint32_t off, unsigned size, uint64_t v) {
    cpu.write_linear((base + off) & 0xffffffff, size, v, false);
}

TaskImage read_task(Cpu& cpu, uint64_t base, const TssLayout& L) {
    TaskImage t;
    t.back_link = static_cast<uint16_t>(rd(cpu, base, 0, 2));
    if (L.wide) t.cr3 = rd(cpu, base, L.cr3, 4);
    t.eip = rd(cpu, base, L.eip, L.gpr_size);
    t.eflags = rd(cpu, base, L.eflags, L.gpr_size);
    for (unsigned i = 0; i < 8; ++i) t.gpr[i] = rd(cpu, base, L.gpr0 + i * L.gpr_size, L.gpr_size);
    for (unsigned i = 0; i < 6; ++i) {
        if (!L.wide && i >= 4) break;  // 16-bit TSS: no FS/GS
        t.sel[i] = static_cast<uint16_t>(rd(cpu, base, L.sel0 + i * L.step, 2));
    }
    t.ldt = static_cast<uint16_t>(rd(cpu, base, L.ldt, 2));
    if (L.wide) t.trap = rd(cpu, base, 0x64, 2) & 1;
    return t;
}

// Saves the dynamic fields of the outgoing task.
void save_task(Cpu& cpu, uint64_t base, const TssLayout& L, uint64_t eip, uint64_t eflags) {
    wr(cpu, base, L.eip, L.gpr_size, eip);
    wr(cpu, base, L.eflags, L.gpr_size, eflags);
    for (unsigned i = 0; i < 8; ++i) wr(cpu, base, L.gpr0 + i * L.gpr_size, L.gpr_size, cpu.s.gpr[i]);
    for (unsigned i = 0; i < 6; ++i) {
        if (!L.wide && i >= 4) break;
        wr(cpu, base, L.sel0 + i * L.step, 2, cpu.s.seg[i].selector);
    }
}

// Loads the new task's segment registers with full checks: #TS for a bad
// selector or descriptor, #NP/#SS when not present.
void load_task_segments(Cpu& cpu, const TaskImage& t, bool ext) {
    CpuState& s = cpu.s;
    // LDT first: the other selectors may index it.
    if (!is_null_selector(t.ldt)) {
        Descriptor ld;
        if ((t.ldt & 4) || !read_descriptor(cpu, t.ldt, ld) || ld.s() || ld.type() != kLdtType)
            cpu.raise(kVecTS, sel_error(t.ldt, ext));
        if (!ld.present()) cpu.raise(kVecTS, sel_error(t.ldt, ext));
        s.ldtr = segment_from(ld, t.ldt);
    }
    if (cpu.v86_mode()) {
        for (unsigned r = 0; r < 6; ++r) cpu.load_segment_real(r, t.sel[r]);
        s.cpl = 3;
        s.interrupt_shadow = false;
        return;
    }
    unsigned cpl = t.sel[CS] & 3;
    // CS
    uint16_t cs = t.sel[CS];
    Descriptor cd;
    if (is_null_selector(cs) || !read_descriptor(cpu, cs, cd) || !cd.is_code()) cpu.raise(kVecTS, sel_error(cs, ext));
    if (cd.conforming() ? cd.dpl() > cpl : cd.dpl() != cpl) cpu.raise(kVecTS, sel_error(cs, ext));
    if (!cd.present()) cpu.raise(kVecNP, sel_error(cs, ext));
    // SS
    Descriptor sd = check_stack_segment(cpu, t.sel[SS], cpl, kVecTS, ext);
    // Data segments.
    Descriptor dd[6];
    for (unsigned r : {ES, DS, FS, GS}) {
        uint16_t sel = t.sel[r];
        if (is_null_selector(sel)) continue;
        Descriptor& d = dd[r];
        if (!read_descriptor(cpu, sel, d) || !d.s() || !d.readable()) cpu.raise(kVecTS, sel_error(sel, ext));
        if (!d.conforming() && ((sel & 3) > d.dpl() || cpl > d.dpl())) cpu.raise(kVecTS, sel_error(sel, ext));
        if (!d.present()) cpu.raise(kVecNP, sel_error(sel, ext));
    }
    set_accessed(cpu, cs, cd);
    set_accessed(cpu, t.sel[SS], sd);
    load_cs(cpu, cs, cd, cpl);
    s.seg[SS] = segment_from(sd, t.sel[SS]);
    for (unsigned r : {ES, DS, FS, GS}) {
        uint16_t sel = t.sel[r];
        if (is_null_selector(sel)) {
            s.seg[r] = null_segment(sel);
            continue;
        }
        set_accessed(cpu, sel, dd[r]);
        s.seg[r] = segment_from(dd[r], sel);
    }
}

}  // namespace

void task_switch(Cpu& cpu, uint16_t tss_sel, Descriptor nd, TaskSwitchReason why, bool ext,
                 bool has_error, uint32_t error, uint64_t saved_eip) {
    CpuState& s = cpu.s;
    if (cpu.long_mode()) cpu.raise(kVecGP, sel_error(tss_sel, ext));  // no task switches in IA-32e mode
    const TssLayout& NL = layout_of(nd.type());
    const uint32_t new_limit = nd.limit();
    if (!nd.present()) cpu.raise(kVecNP, sel_error(tss_sel, ext));
    if (new_limit < NL.min_limit) cpu.raise(kVecTS, sel_error(tss_sel, ext));
    const bool busy = nd.type() & 2;
    if (why == TaskSwitchReason::Iret ? !busy : busy) {
        cpu.raise(why == TaskSwitchReason::Iret ? kVecTS : kVecGP, sel_error(tss_sel, ext));
    }

    const Segment old_tr = s.tr;
    const TssLayout& OL = layout_of(old_tr.type());
    if (old_tr.limit < OL.min_limit) cpu.raise(kVecTS, sel_error(old_tr.selector, ext));

    ImplicitAccess implicit(cpu);
    const uint64_t new_base = nd.base();
    // Read the whole incoming image and probe the outgoing TSS before any change.
    TaskImage t = read_task(cpu, new_base, NL);
    cpu.probe_write((old_tr.base + OL.eip) & 0xffffffff, OL.sel0 + 6 * OL.step - OL.eip, false);

    uint64_t old_flags = cpu.rflags();
    if (why == TaskSwitchReason::Iret) old_flags &= ~kNT;
    if (why == TaskSwitchReason::Jmp || why == TaskSwitchReason::Iret) set_tss_busy(cpu, old_tr.selector, false);
    save_task(cpu, old_tr.base, OL, saved_eip, old_flags);

    if (why == TaskSwitchReason::Call || why == TaskSwitchReason::Interrupt) {
        wr(cpu, new_base, 0, 2, old_tr.selector);
        t.eflags |= kNT;
    }
    if (why != TaskSwitchReason::Iret) set_tss_busy(cpu, tss_sel, true);

    // From here on the new task owns the processor.
    nd.lo |= 2ull << 40;  // busy
    s.tr = segment_from(nd, tss_sel);
    s.cr0 |= kCR0_TS;
    // SDM 17.2.4: L0-L3 are cleared on every task switch (G0-G3 survive).
    // Fewer enables only narrow what the TLB may cache: no flush needed.
    s.dr[7] &= ~0x55ull;
    if (NL.wide && cpu.paging()) cpu.write_cr(3, t.cr3);
    if (!NL.wide) t.eflags = (s.rflags & ~0xffffull) | (t.eflags & 0xffff);
    cpu.set_rflags(t.eflags);
    for (unsigned i = 0; i < 8; ++i) {
        if (NL.wide) s.gpr[i] = t.gpr[i] & 0xffffffff;
        else cpu.gpr_write(static_cast<uint8_t>(i), 2, t.gpr[i]);
    }
    // Selectors first (a fault below reports them), then the descriptors.
    for (unsigned r = 0; r < 6; ++r) {
        s.seg[r].selector = t.sel[r];
        s.seg[r].attr &= ~0x80;  // unusable until loaded
    }
    s.seg[CS].attr |= 0x80;      // CS stays usable for the fault's frame
    s.ldtr = null_segment(0);
    s.rip = cpu.next_rip = t.eip;
    load_task_segments(cpu, t, ext);
    if (is_null_selector(t.ldt)) s.ldtr = null_segment(t.ldt);

    if (has_error) {
        unsigned size = NL.wide ? 4 : 2;
        cpu.push(error, size);
    }
    if (t.eip > s.seg[CS].limit) cpu.raise(kVecGP, ext ? 1 : 0);
    if (t.trap) s.pending_db |= 1u << 15;  // DR6.BT
    cpu.update_mode();
}

}  // namespace petrel
