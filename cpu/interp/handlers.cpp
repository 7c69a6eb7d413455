#include "cpu/interp/handlers.h"

namespace petrel {

void handle_undefined(Cpu& cpu, const DecodedInsn&) { cpu.raise(kVecUD); }

namespace {
HandlerTable build() {
    HandlerTable t;
    for (Handler& h : t.slot) h = handle_undefined;
    register_data_movement(t);
    register_arith(t);
    register_logic(t);
    register_shift(t);
    register_bits(t);
    register_flags_ops(t);
    register_string(t);
    register_control(t);
    register_system(t);
    register_x87(t);
    register_sse(t);
    register_hints(t);
    return t;
}
const HandlerTable kTable = build();
}  // namespace

Handler handler_for(Op op) {
    auto i = static_cast<size_t>(op);
    return i < kOpCount ? kTable.slot[i] : handle_undefined;
}

}  // namespace petrel
