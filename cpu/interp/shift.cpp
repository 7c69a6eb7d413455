// Shifts and rotates: ROL ROR RCL RCR SHL SHR SAR SHLD SHRD.
//
// The count is masked to 5 bits (6 with a 64-bit operand) before anything
// else; a masked count of 0 changes no flag and no value (the memory operand
// is still read, so it can still fault; a 32-bit register destination is
// still written, which clears its upper half). RCL/RCR rotate
// through CF, i.e. over width + 1 bits, so 8- and 16-bit counts are further
// reduced modulo 9 and 17. Flags are set eagerly: OF is defined only for a
// count of 1 and AF never (both still get a deterministic value here; the
// difftest masks them), and rotates touch only CF and OF.
#include "cpu/interp/flags.h"
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"
#include "cpu/interp/shift_core.h"

namespace petrel {

namespace {

using Kind = ShiftKind;

unsigned shift_count(Cpu& cpu, const DecodedInsn& d, int i, unsigned size) {
    uint64_t c = d.nops > i ? read_source(cpu, d, i) : 1;
    return static_cast<unsigned>(c & (size == 8 ? 63 : 31));
}

inline uint64_t msb(uint64_t v, unsigned bits) { return (v >> (bits - 1)) & 1; }

template <Kind kKind>
void op_shift(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const unsigned count = shift_count(cpu, d, 1, size);
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    const uint64_t a = load_rmw(cpu, d, dst) & m;
    if (count == 0) {
        // Still a 32-bit register write: the upper half is cleared.
        if (dst.kind == OpKind::Gpr && size == 4) store(cpu, dst, a);
        return;
    }
    const ShiftOut o = shift_compute<kKind>(cpu, a, count, size);
    store(cpu, dst, o.r);
    shift_set_flags<kKind>(cpu, o, size);
}

// SHLD/SHRD: dest shifted with bits coming in from src. Counts above the
// operand width (16-bit forms only) have undefined results.
template <bool kLeft>
void op_double_shift(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size, bits = 8 * size;
    const uint64_t m = size_mask(size);
    const unsigned count = shift_count(cpu, d, 2, size);
    const uint64_t b = cpu.gpr_read(d.ops[1].reg, size);
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    const uint64_t a = load_rmw(cpu, d, dst) & m;
    if (count == 0) {
        // Still a 32-bit register write: the upper half is cleared.
        if (dst.kind == OpKind::Gpr && size == 4) store(cpu, dst, a);
        return;
    }
    uint64_t r, cf;
    if constexpr (kLeft) {
        const unsigned __int128 v = (static_cast<unsigned __int128>(a) << bits) | b;
        r = static_cast<uint64_t>((v << count) >> bits) & m;
        cf = count <= bits ? (a >> (bits - count)) & 1 : (b >> (2 * bits - count)) & 1;
    } else {
        const unsigned __int128 v = (static_cast<unsigned __int128>(b) << bits) | a;
        r = static_cast<uint64_t>(v >> count) & m;
        cf = static_cast<uint64_t>(v >> (count - 1)) & 1;
    }
    store(cpu, dst, r);
    const uint64_t of = msb(r, bits) ^ msb(a, bits);
    set_arith_flags(cpu, szp_flags(r, size) | (cf ? uint64_t{kCF} : 0) | (of ? uint64_t{kOF} : 0));
}

}  // namespace

void register_shift(HandlerTable& t) {
    t.set(Op::ROL, op_shift<Kind::Rol>);
    t.set(Op::ROR, op_shift<Kind::Ror>);
    t.set(Op::RCL, op_shift<Kind::Rcl>);
    t.set(Op::RCR, op_shift<Kind::Rcr>);
    t.set(Op::SHL, op_shift<Kind::Shl>);
    t.set(Op::SHR, op_shift<Kind::Shr>);
    t.set(Op::SAR, op_shift<Kind::Sar>);
    t.set(Op::SHLD, op_double_shift<true>);
    t.set(Op::SHRD, op_double_shift<false>);
}

}  // namespace petrel
