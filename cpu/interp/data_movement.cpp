// Data movement: MOV and friends, stack operations, exchanges, conversions.
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

void op_mov(Cpu& cpu, const DecodedInsn& d) {
    uint64_t v = read_operand(cpu, d, 1);
    write_operand(cpu, d, 0, v);
}

void op_nop(Cpu&, const DecodedInsn&) {}

void op_lea(Cpu& cpu, const DecodedInsn& d) {
    cpu.gpr_write(d.ops[0].reg, d.opsize, effective_address(cpu, d));
}

}  // namespace

void register_data_movement(HandlerTable& t) {
    t.set(Op::MOV, op_mov);
    t.set(Op::NOP, op_nop);
    t.set(Op::LEA, op_lea);
}

}  // namespace petrel
