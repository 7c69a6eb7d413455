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

// IN AL/eAX, imm8 (E4/E5) and OUT imm8 (E6/E7) name the port in the
// immediate; EC-EF use DX. Byte forms are the even opcodes; the others use
// the operand size, which is at most 4 (REX.W does not widen port I/O).
uint16_t port_of(Cpu& cpu, const DecodedInsn& d) {
    if (d.opcode >= 0xe4 && d.opcode <= 0xe7) return static_cast<uint16_t>(d.imm & 0xff);
    return static_cast<uint16_t>(cpu.s.gpr[RDX]);
}
unsigned size_of(const DecodedInsn& d) {
    if (!(d.opcode & 1)) return 1;
    return d.opsize == 2 ? 2 : 4;
}

void op_in(Cpu& cpu, const DecodedInsn& d) {
    unsigned size = size_of(d);
    uint64_t v = cpu.port_in(port_of(cpu, d), size);
    cpu.gpr_write(RAX, size, v);
}

void op_out(Cpu& cpu, const DecodedInsn& d) {
    unsigned size = size_of(d);
    cpu.port_out(port_of(cpu, d), size, cpu.gpr_read(RAX, size));
}

}  // namespace

void register_io(HandlerTable& t) {
    t.set(Op::IN, op_in);
    t.set(Op::OUT, op_out);
}

}  // namespace petrel
