#include "cpu/cpu.h"

namespace petrel {

Cpu::Cpu(PhysicalMemory& m, Bus& ports) : mem(m), io(ports) {
    mem.set_code_write_listener([this](uint64_t page) { on_code_page_written(page); });
    reset();
}

void Cpu::reset() {
    s = CpuState{};
    s.rip = 0xfff0;
    s.rflags = 2;
    for (Segment& sg : s.seg) sg = Segment{0, 0x93, 0xffff, 0};  // present, writable data, accessed
    s.seg[CS] = Segment{0xf000, 0x9b, 0xffff, 0xffff0000};           // reset vector at 0xfffffff0
    s.ldtr = Segment{0, 0x82, 0xffff, 0};
    s.tr = Segment{0, 0x8b, 0xffff, 0};
    s.gdtr = s.idtr = DescriptorTable{0, 0xffff};
    s.gpr[RDX] = 0x600;  // family/model/stepping signature: family 6
    s.halted = false;
    s.msr.rng_state = rng_seed_;
    tlb_flush_all();
    block_cache_.clear();
}

void Cpu::on_code_page_written(uint64_t page) {
    block_cache_.invalidate_page(page);
    tlb_flush_phys_page_writes(page);
}

StopReason Cpu::run(uint64_t max_insns) {
    uint64_t end = icount + max_insns;
    while (icount < end) {
        if (stop_requested.load(std::memory_order_relaxed)) return StopReason::StopRequested;
        if (shutdown_) return StopReason::Shutdown;
        if (s.halted) {
            check_interrupts();
            if (s.halted) return StopReason::Halted;
        }
        step();
    }
    return StopReason::Budget;
}

void Cpu::step() {
    // a20_mask written directly (rather than through set_a20): the TLB caches
    // identity translations made with the old mask.
    if (a20_mask != tlb_a20_mask_) set_a20(a20_mask & (1ull << 20));
    try {
        check_interrupts();
        if (!s.halted) execute_one();
    } catch (const CpuFault& f) {
        // A faulting instruction has no trap-class #DB of its own.
        s.pending_db = 0;
        s.tf_at_start = false;
        // The faulting instruction left RIP at its start: deliver the exception.
        try {
            deliver_event(f.vector, EventKind::Exception, f.has_error, f.error);
        } catch (const CpuFault&) {
            // deliver_event escalates to #DF / shutdown itself; nothing may escape.
            shutdown("fault while delivering a fault");
        }
    }
}

void Cpu::shutdown(const char* why) {
    shutdown_ = true;
    s.halted = true;
    if (on_shutdown) on_shutdown(why);
}

void Cpu::check_interrupts() {
    if (s.wait_for_sipi) return;  // INIT state: only a startup IPI (Cpu::startup_ipi)
    if (s.interrupt_shadow) {
        // STI/MOV SS shadow covers exactly one instruction.
        if (!s.halted) { s.interrupt_shadow = false; return; }
        s.interrupt_shadow = false;
    }
    if (!intc) return;
    if (intc->has_nmi() && !s.nmi_blocked) {
        intc->acknowledge_nmi();
        s.halted = false;
        deliver_event(kVecNMI, EventKind::Nmi, false, 0);
        return;
    }
    if ((s.rflags & kIF) && intc->has_interrupt()) {
        uint8_t vector = intc->acknowledge();
        s.halted = false;
        deliver_event(vector, EventKind::External, false, 0);
    }
}

void Cpu::execute_one() {
    // RF suppresses instruction breakpoints for exactly one instruction.
    if (s.rflags & kRF) s.rflags &= ~kRF;
    else if (s.dr[7] & 0xff) check_instruction_breakpoints();
    s.tf_at_start = s.rflags & kTF;
    s.ss_debug_shadow = false;  // set again by this instruction if it loads SS
    // A copy: the handler may write to its own code page, which drops the
    // cache entry while the handler still reads the instruction.
    const CachedInsn ci = block_cache_.lookup_or_decode(*this);
    next_rip = s.rip + ci.insn.length;
    ci.handler(*this, ci.insn);
    s.rip = next_rip;
    ++icount;
    if (s.tf_at_start || s.pending_db) {
        if (s.ss_debug_shadow) s.tf_at_start = false;  // MOV SS: its traps come after the next instruction
        else debug_trap_after_instruction();
    }
}

}  // namespace petrel
