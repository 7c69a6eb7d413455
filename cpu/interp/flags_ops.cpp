// Flag instructions of user mode: CLC STC CMC CLD STD. CLI/STI (IOPL, VIF,
// the interrupt shadow) and STAC/CLAC are privileged-rule instructions
// registered by cpu/system/flags_privilege.cpp.
#include "cpu/interp/flags.h"
#include "cpu/interp/handlers.h"

namespace petrel {

namespace {

void op_clc(Cpu& cpu, const DecodedInsn&) { set_flags_masked(cpu, kCF, 0); }
void op_stc(Cpu& cpu, const DecodedInsn&) { set_flags_masked(cpu, kCF, kCF); }
void op_cmc(Cpu& cpu, const DecodedInsn&) { set_flags_masked(cpu, kCF, cpu.cf() ? 0 : uint64_t{kCF}); }
// DF is never lazy: no need to materialize the arithmetic flags.
void op_cld(Cpu& cpu, const DecodedInsn&) { cpu.s.rflags &= ~kDF; }
void op_std(Cpu& cpu, const DecodedInsn&) { cpu.s.rflags |= kDF; }

}  // namespace

void register_flags_ops(HandlerTable& t) {
    t.set(Op::CLC, op_clc);
    t.set(Op::STC, op_stc);
    t.set(Op::CMC, op_cmc);
    t.set(Op::CLD, op_cld);
    t.set(Op::STD, op_std);
}

}  // namespace petrel
