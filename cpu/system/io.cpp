// Port I/O: IN/OUT and the permission check every port access makes
// (IN/OUT here, INS/OUTS in the string family through Cpu::port_in/out):
// in protected mode CPL <= IOPL allows any port, otherwise (and always in
// V86 mode) the TSS I/O permission bitmap decides, all bits of the access
// clear meaning allowed.
#include "cpu/interp/operands.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

bool Cpu::io_permitted(uint16_t port, unsigned size) {
    if (!protected_mode()) return true;
    unsigned iopl = (s.rflags >> 12) & 3;
    if (!v86_mode() && s.cpl <= iopl) return true;
    // Only a 32-bit (or 64-bit) TSS has a bitmap.
    const Segment& tr = s.tr;
    if ((tr.type() & 7) != 1 && (tr.type() & 7) != 3) return false;
    if ((tr.type() & 8) == 0 || tr.limit < 0x67) return false;
    ImplicitAccess implicit(*this);
    uint64_t base = long_mode() ? tr.base : tr.base & 0xffffffff;
    uint32_t map = static_cast<uint32_t>(read_linear(base + 0x66, 2, false));
    uint32_t off = map + port / 8;
    if (off + 1 > tr.limit) return false;  // both bytes must be inside the TSS
    uint64_t bits = read_linear(base + off, 2, false);
    uint64_t want = ((1u << size) - 1) << (port & 7);
    return (bits & want) == 0;
}

namespace {

uint16_t port_operand(Cpu& cpu, const DecodedInsn& d, int i) {
    const Operand& o = d.ops[i];
    if (o.kind == OpKind::Imm) return static_cast<uint16_t>(d.imm & 0xff);
    return static_cast<uint16_t>(cpu.s.gpr[RDX]);
}

void op_in(Cpu& cpu, const DecodedInsn& d) {
    unsigned size = d.ops[0].size;
    uint64_t v = cpu.port_in(port_operand(cpu, d, 1), size);
    cpu.gpr_write(RAX, size, v);
}

void op_out(Cpu& cpu, const DecodedInsn& d) {
    unsigned size = d.ops[1].size;
    cpu.port_out(port_operand(cpu, d, 0), size, cpu.gpr_read(RAX, size));
}

}  // namespace

void register_io(HandlerTable& t) {
    t.set(Op::IN, op_in);
    t.set(Op::OUT, op_out);
}

}  // namespace petrel
