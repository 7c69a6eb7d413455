// MMX state: EMMS. (The MMX forms of the integer instructions share their
// SSE2 twins' handlers: see sse_common.h.)
#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

// EMMS: every x87 register empty again (and TOP = 0, as the host CPU
// leaves it), so x87 code can follow MMX code.
void op_emms(Cpu& cpu, const DecodedInsn&) {
    mmx_available(cpu);
    mmx_transition(cpu);
    cpu.s.x87.ftw = 0xffff;
}

}  // namespace

void register_mmx(HandlerTable& t) { t.set(Op::EMMS, op_emms); }

}  // namespace petrel
