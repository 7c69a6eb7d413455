// Instructions that raise interrupts: INT n, INT3, INTO, INT1 (ICEBP) and
// BOUND. Delivery (gate DPL checks included) is deliver_event's job; these
// only pick the vector and the kind of event.
#include "cpu/interp/operands.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

void op_int(Cpu& cpu, const DecodedInsn& d) {
    cpu.deliver_event(static_cast<uint8_t>(d.imm), Cpu::EventKind::SoftwareInt, false, 0);
}

void op_int3(Cpu& cpu, const DecodedInsn&) { cpu.deliver_event(kVecBP, Cpu::EventKind::Int3, false, 0); }

void op_into(Cpu& cpu, const DecodedInsn&) {
    if (cpu.code_mode() == CodeMode::Bits64) cpu.raise(kVecUD);
    if (cpu.of()) cpu.deliver_event(kVecOF, Cpu::EventKind::Into, false, 0);
}

void op_int1(Cpu& cpu, const DecodedInsn&) { cpu.deliver_event(kVecDB, Cpu::EventKind::Int1, false, 0); }

// BOUND r, m: signed bounds pair at m; out of range is #BR (a fault).
void op_bound(Cpu& cpu, const DecodedInsn& d) {
    if (cpu.code_mode() == CodeMode::Bits64) cpu.raise(kVecUD);
    unsigned sz = d.opsize;
    uint64_t ea = effective_address(cpu, d);
    int64_t lower = sign_extend(cpu.read_mem(d.mem_seg, ea, sz), sz);
    int64_t upper = sign_extend(cpu.read_mem(d.mem_seg, (ea + sz) & size_mask(d.addrsize), sz), sz);
    int64_t v = sign_extend(cpu.gpr_read(d.ops[0].reg, sz), sz);
    if (v < lower || v > upper) cpu.raise(kVecBR);
}

}  // namespace

void register_soft_interrupts(HandlerTable& t) {
    t.set(Op::INT, op_int);
    t.set(Op::INT3, op_int3);
    t.set(Op::INTO, op_into);
    t.set(Op::INT1, op_int1);
    t.set(Op::BOUND, op_bound);
}

}  // namespace petrel
