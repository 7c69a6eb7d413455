// Logic: AND OR XOR NOT TEST. Flags are lazy (kFlagsLogic: CF = OF = 0,
// AF left clear — the SDM calls it undefined — SF/ZF/PF from the result).
#include "cpu/interp/flags.h"
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

enum class LogicOp { And, Or, Xor };

template <LogicOp kOp, bool kStore>
void op_logic(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const uint64_t b = read_source(cpu, d, 1) & m;
    auto compute = [b](uint64_t a) {
        if constexpr (kOp == LogicOp::And) return a & b;
        else if constexpr (kOp == LogicOp::Or) return a | b;
        else return a ^ b;
    };
    const Loc dst = resolve(cpu, d, 0, kStore ? Access::Write : Access::Read);
    uint64_t a;
    if constexpr (kStore) a = rmw(cpu, d, dst, compute) & m;
    else a = load(cpu, d, dst) & m;
    cpu.set_lazy(kFlagsLogic, size, compute(a) & m, a, b);
}

// NOT changes no flags.
void op_not(Cpu& cpu, const DecodedInsn& d) {
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    rmw(cpu, d, dst, [](uint64_t v) { return ~v; });
}

}  // namespace

void register_logic(HandlerTable& t) {
    t.set(Op::AND, op_logic<LogicOp::And, true>);
    t.set(Op::OR, op_logic<LogicOp::Or, true>);
    t.set(Op::XOR, op_logic<LogicOp::Xor, true>);
    t.set(Op::TEST, op_logic<LogicOp::And, false>);
    t.set(Op::NOT, op_not);
}

}  // namespace petrel
