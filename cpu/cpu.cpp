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
    const uint64_t end = icount + max_insns;
    // Controllers that never kick irq_pending are still polled once per call.
    bool poll = true;
    const Block* prev = nullptr;  // the block just run, when the next may be chained to it
    uint64_t prev_gen = 0;
    while (icount < end) {
        if (stop_requested.load(std::memory_order_relaxed)) return StopReason::StopRequested;
        if (shutdown_) return StopReason::Shutdown;
        if (s.halted) {
            try {
                check_interrupts();
            } catch (const CpuFault& f) {
                deliver_fault(f);
            }
            if (s.halted) return StopReason::Halted;
            poll = false;
            prev = nullptr;
        }
        // Per-instruction semantics (single-step, shadows, breakpoints, RF,
        // a pending #DB, an A20 change) take the one-instruction path.
        if ((s.rflags & (kTF | kRF)) || (s.dr[7] & 0xff) || s.interrupt_shadow || s.pending_db ||
            a20_mask != tlb_a20_mask_) {
            step();
            poll = false;
            prev = nullptr;
            continue;
        }
        // prev is alive while no code was dropped since it ran.
        if (prev_gen != block_cache_.generation()) prev = nullptr;
        block_cache_.collect_garbage();
        try {
            if (poll || irq_pending.load(std::memory_order_relaxed) || (irq_wait_if_ && (s.rflags & kIF)) ||
                (irq_wait_nmi_ && !s.nmi_blocked)) {
                poll = false;
                if (check_interrupts()) {  // look at the handler's state again
                    prev = nullptr;
                    continue;
                }
            }
            prev = run_block(prev, end);
            prev_gen = block_cache_.generation();
        } catch (const CpuFault& f) {
            prev = nullptr;
            deliver_fault(f);
        }
    }
    return StopReason::Budget;
}

// Runs the block at CS:RIP with the fast-path preconditions of run(): no
// single-step, no breakpoints, no shadow. Stops after an instruction that
// leaves the straight line (a taken branch, a REP chunk, an event), after
// one that dropped cached code (self-modifying code sees the new bytes at the
// next instruction), or after one during which a device set irq_pending. A
// fault leaves s.rip on the faulting instruction and icount counting only
// the instructions before it.
//
// A block left through a near branch (or by falling off its end) goes
// straight on into a successor already linked to it, while the budget
// lasts and nothing is pending: such an exit changes none of what run()
// checks between blocks (mode, CPL, IF, TF, breakpoints, shadows, A20).
const Block* Cpu::run_block(const Block* prev, uint64_t end) {
    const bool bits64 = code_mode() == CodeMode::Bits64;
    const Block* b = nullptr;
    uint64_t ctx = (block_cache_.generation() << 2) | s.cpl;
    // A chained successor skips the lookup; outside 64-bit mode the CS limit
    // check of the lookup is repeated (a link does not know the limit).
    if (prev) b = linked_successor(prev, ctx, bits64);
    if (!b) {
        b = &block_cache_.lookup(*this);
        ctx = (block_cache_.generation() << 2) | s.cpl;  // a lookup may drop code (cache full)
        if (prev && b->cached) {
            const unsigned i = prev->link_next;
            prev->link_next ^= 1;
            prev->link[i] = b;
            prev->link_rip[i] = s.rip;
            prev->link_ctx[i] = ctx;
        }
    }
    const uint64_t gen = ctx >> 2;
    s.tf_at_start = false;
    // icount is exact at every instruction: in deterministic mode the
    // clock (and so RDTSC, the PIT, the LAPIC timer) reads it mid-block.
    for (;;) {
        const CachedInsn* p = b->insns.data();
        const CachedInsn* last = p + b->insns.size() - 1;
        // Outside 64-bit mode the whole block must be inside the CS limit it is
        // entered with (blocks are shared by every CS with the same code mode).
        if (!bits64 && s.rip + b->bytes - 1 > s.seg[CS].limit) last = p;
        for (;;) {
            const uint64_t fall = s.rip + p->insn.length;
            next_rip = fall;
            p->handler(*this, p->insn);
            s.rip = next_rip;
            ++icount;
            if (block_cache_.generation() != gen) return nullptr;
            if (next_rip != fall) break;  // a taken branch, a REP chunk, an event
            if (p == last) break;
            // A device kicked (an MMIO write to the LAPIC, a port write to the
            // PIC): look for the interrupt at the next instruction boundary.
            if (irq_pending.load(std::memory_order_relaxed)) break;
            ++p;
        }
        // Execution left the block at p: chain only when p kept mode and CPL.
        if (!b->cached || (p == last && !b->chainable)) return nullptr;
        if (p != last && block_ends_after(p->insn) && !is_near_branch(p->insn.op)) return nullptr;
        if (icount >= end || irq_pending.load(std::memory_order_relaxed) ||
            stop_requested.load(std::memory_order_relaxed))
            return b;
        const Block* next = linked_successor(b, ctx, bits64);
        if (!next) return b;  // run() looks it up and links it
        b = next;
    }
}

const Block* Cpu::linked_successor(const Block* prev, uint64_t ctx, bool bits64) const {
    if (!bits64 && s.rip > s.seg[CS].limit) return nullptr;
    if (prev->link_rip[0] == s.rip && prev->link_ctx[0] == ctx) return prev->link[0];
    if (prev->link_rip[1] == s.rip && prev->link_ctx[1] == ctx) return prev->link[1];
    return nullptr;
}

void Cpu::deliver_fault(const CpuFault& f) {
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

void Cpu::step() {
    block_cache_.collect_garbage();
    // a20_mask written directly (rather than through set_a20): the TLB caches
    // identity translations made with the old mask.
    if (a20_mask != tlb_a20_mask_) set_a20(a20_mask & (1ull << 20));
    try {
        // A trap-class #DB still pending at an instruction boundary (DR6.BT
        // from a task switch into a TSS with T set, made by an event or by an
        // instruction on the block path) is taken before anything else runs
        // (SDM 17.3.1.5). MOV SS keeps its traps for after the next instruction.
        auto pending_trap = [this] {
            if (!s.pending_db || s.ss_debug_shadow || s.halted) return false;
            debug_trap_after_instruction();
            return true;
        };
        if (pending_trap()) return;
        check_interrupts();
        if (pending_trap()) return;  // an interrupt through a task gate
        if (!s.halted) execute_one();
    } catch (const CpuFault& f) {
        deliver_fault(f);
    }
}

void Cpu::shutdown(const char* why) {
    shutdown_ = true;
    s.halted = true;
    if (on_shutdown) on_shutdown(why);
}

bool Cpu::check_interrupts() {
    if (s.wait_for_sipi) return false;  // INIT state: only a startup IPI (Cpu::startup_ipi)
    if (s.interrupt_shadow) {
        // STI/MOV SS shadow covers exactly one instruction.
        if (!s.halted) { s.interrupt_shadow = false; return false; }
        s.interrupt_shadow = false;
    }
    // Cleared before polling, so a kick racing with the poll is not lost.
    irq_pending.store(false, std::memory_order_relaxed);
    irq_wait_if_ = irq_wait_nmi_ = false;
    if (!intc) return false;
    if (intc->has_nmi()) {
        if (!s.nmi_blocked) {
            intc->acknowledge_nmi();
            s.halted = false;
            irq_pending.store(true, std::memory_order_relaxed);  // more may wait
            deliver_event(kVecNMI, EventKind::Nmi, false, 0);
            return true;
        }
        irq_wait_nmi_ = true;
    }
    if (intc->has_interrupt()) {
        if (s.rflags & kIF) {
            uint8_t vector = intc->acknowledge();
            s.halted = false;
            irq_pending.store(true, std::memory_order_relaxed);
            deliver_event(vector, EventKind::External, false, 0);
            return true;
        }
        irq_wait_if_ = true;
    }
    return false;
}

void Cpu::execute_one() {
    // RF suppresses instruction breakpoints for exactly one instruction.
    if (s.rflags & kRF) s.rflags &= ~kRF;
    else if (s.dr[7] & 0xff) check_instruction_breakpoints();
    s.tf_at_start = s.rflags & kTF;
    s.ss_debug_shadow = false;  // set again by this instruction if it loads SS
    // No copy: a handler that writes to its own code page only moves the
    // block to the cache's graveyard, freed between instructions.
    const CachedInsn& ci = block_cache_.lookup(*this).insns[0];
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
