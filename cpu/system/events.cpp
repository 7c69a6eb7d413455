// Exception and interrupt delivery through the IVT (real mode) and the IDT.
#include "cpu/cpu.h"

namespace petrel {

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
    (void)kind;
    (void)has_error;
    (void)error;
    if (!protected_mode()) {
        uint64_t entry = read_linear((s.idtr.base + vector * 4) & 0xffffffff, 4, false);
        push(rflags() & 0xffff, 2);
        push(s.seg[CS].selector, 2);
        push(return_address(kind), 2);
        s.rflags &= ~(kIF | kTF | kAC);
        load_segment_real(CS, static_cast<uint16_t>(entry >> 16));
        s.rip = next_rip = entry & 0xffff;
        return;
    }
    shutdown("protected-mode event delivery is not implemented yet");
}

}  // namespace petrel
