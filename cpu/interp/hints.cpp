// Instructions that are hints to a real CPU's pipeline, caches or memory
// ordering and have no architectural effect here: LFENCE, MFENCE, SFENCE,
// PAUSE, and PREFETCH (the prefetch hints and the reserved-NOP 0F 18-1F
// space). CLFLUSH/CLFLUSHOPT, which can fault, are in cpu/system/misc.cpp.
#include "cpu/interp/handlers.h"

namespace petrel {

namespace {

// The fences: one CPU runs on one host thread and its accesses are done in
// program order, so every load and store is already globally visible in
// order when the next instruction starts. (LOCK, a prefix on these, is #UD
// in the decoder.)
void op_fence(Cpu&, const DecodedInsn&) {}

// PAUSE: a spin-wait hint. The run loop has no spin-loop detection to
// inform, so it retires like a NOP.
void op_pause(Cpu&, const DecodedInsn&) {}

// PREFETCHh / PREFETCHW and the reserved NOPs: the memory operand is never
// accessed, so not even a non-canonical or unmapped address faults.
// 0F 0D (PREFETCHW's row) exists only with a memory operand: the decoder
// accepts the register form as a NOP, as Zydis does, but the CPU raises
// #UD for it (the native difftest shows it; the SDM defines no such form).
void op_prefetch(Cpu& cpu, const DecodedInsn& d) {
    if (d.map == 1 && d.opcode == 0x0d && d.ops[0].kind != OpKind::Mem) cpu.raise(kVecUD);
}

}  // namespace

void register_hints(HandlerTable& t) {
    t.set(Op::LFENCE, op_fence);
    t.set(Op::MFENCE, op_fence);
    t.set(Op::SFENCE, op_fence);
    t.set(Op::PAUSE, op_pause);
    t.set(Op::PREFETCH, op_prefetch);
}

}  // namespace petrel
