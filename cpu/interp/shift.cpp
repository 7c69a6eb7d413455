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

namespace petrel {

namespace {

enum class Kind { Rol, Ror, Rcl, Rcr, Shl, Shr, Sar };

unsigned shift_count(Cpu& cpu, const DecodedInsn& d, int i, unsigned size) {
    uint64_t c = d.nops > i ? read_source(cpu, d, i) : 1;
    return static_cast<unsigned>(c & (size == 8 ? 63 : 31));
}

inline uint64_t msb(uint64_t v, unsigned bits) { return (v >> (bits - 1)) & 1; }

template <Kind kKind>
void op_shift(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size, bits = 8 * size;
    const uint64_t m = size_mask(size);
    const unsigned count = shift_count(cpu, d, 1, size);
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    const uint64_t a = load_rmw(cpu, d, dst) & m;
    if (count == 0) {
        // Still a 32-bit register write: the upper half is cleared.
        if (dst.kind == OpKind::Gpr && size == 4) store(cpu, dst, a);
        return;
    }
    const uint64_t f = cpu.rflags();
    const uint64_t cf_in = f & kCF;
    uint64_t r = 0, cf = 0, of = 0;
    if constexpr (kKind == Kind::Shl) {
        r = count < 64 ? (a << count) & m : 0;
        cf = count <= bits ? (a >> (bits - count)) & 1 : 0;
        of = msb(r, bits) ^ cf;
    } else if constexpr (kKind == Kind::Shr) {
        r = a >> count;
        cf = (a >> (count - 1)) & 1;
        of = msb(a, bits);
    } else if constexpr (kKind == Kind::Sar) {
        const int64_t sa = sign_extend(a, size);
        r = static_cast<uint64_t>(sa >> (count > 63 ? 63 : count)) & m;
        cf = static_cast<uint64_t>(sa >> (count - 1 > 63 ? 63 : count - 1)) & 1;
        of = 0;
    } else if constexpr (kKind == Kind::Rol || kKind == Kind::Ror) {
        const unsigned c = count % bits;
        if constexpr (kKind == Kind::Rol) {
            r = c ? ((a << c) | (a >> (bits - c))) & m : a;
            cf = r & 1;
            of = msb(r, bits) ^ cf;
        } else {
            r = c ? ((a >> c) | (a << (bits - c))) & m : a;
            cf = msb(r, bits);
            of = msb(r, bits) ^ ((r >> (bits - 2)) & 1);
        }
    } else {
        // Through carry: a (bits + 1)-bit rotation of CF:value.
        const unsigned c = bits == 8 ? count % 9 : bits == 16 ? count % 17 : count;
        const unsigned __int128 v = (static_cast<unsigned __int128>(cf_in ? 1 : 0) << bits) | a;
        const unsigned __int128 vm = (static_cast<unsigned __int128>(1) << (bits + 1)) - 1;
        unsigned __int128 rv = v;
        if (c) {
            if constexpr (kKind == Kind::Rcl) rv = ((v << c) | (v >> (bits + 1 - c))) & vm;
            else rv = ((v >> c) | (v << (bits + 1 - c))) & vm;
        }
        r = static_cast<uint64_t>(rv) & m;
        cf = static_cast<uint64_t>(rv >> bits) & 1;
        if constexpr (kKind == Kind::Rcl) of = msb(r, bits) ^ cf;
        else of = msb(a, bits) ^ (cf_in ? 1 : 0);
    }
    store(cpu, dst, r);
    uint64_t nf = (cf ? uint64_t{kCF} : 0) | (of ? uint64_t{kOF} : 0);
    if constexpr (kKind == Kind::Shl || kKind == Kind::Shr || kKind == Kind::Sar) {
        set_arith_flags(cpu, nf | szp_flags(r, size));
    } else {
        cpu.s.rflags = (f & ~(kCF | kOF)) | nf;
    }
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
