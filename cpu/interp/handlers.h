// Handler registration: each family file (arith.cpp, logic.cpp, ...) defines
// one register_* function that fills its ops' slots. handlers.cpp calls them
// all once. An op without a handler raises #UD.
#pragma once
#include "cpu/cpu.h"

namespace petrel {

struct HandlerTable {
    Handler slot[kOpCount] = {};
    void set(Op op, Handler h) { slot[static_cast<size_t>(op)] = h; }
};

// One per family; keep the list in the order of op_list.inc's families.
void register_data_movement(HandlerTable& t);
void register_arith(HandlerTable& t);
void register_logic(HandlerTable& t);
void register_shift(HandlerTable& t);
void register_bits(HandlerTable& t);
void register_flags_ops(HandlerTable& t);
void register_string(HandlerTable& t);
void register_control(HandlerTable& t);
void register_system(HandlerTable& t);
void register_x87(HandlerTable& t);
void register_sse(HandlerTable& t);
void register_hints(HandlerTable& t);  // fences, PAUSE, prefetch hints (hints.cpp)

// Handlers that exist for every op not yet implemented: #UD.
void handle_undefined(Cpu& cpu, const DecodedInsn& insn);

}  // namespace petrel
