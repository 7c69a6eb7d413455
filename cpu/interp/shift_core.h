// The arithmetic of SHL/SHR/SAR/ROL/ROR/RCL/RCR on a value already loaded,
// shared by the generic handler (cpu/interp/shift.cpp, every operand kind
// and width) and the register forms of cpu/interp/fast_forms.cpp, which
// instantiate it with a constant width. The rules are described in shift.cpp.
#pragma once
#include "cpu/interp/flags.h"
#include "cpu/interp/operands.h"

namespace petrel {

enum class ShiftKind { Rol, Ror, Rcl, Rcr, Shl, Shr, Sar };

constexpr bool is_rotate(ShiftKind k) { return k != ShiftKind::Shl && k != ShiftKind::Shr && k != ShiftKind::Sar; }

struct ShiftOut {
    uint64_t r, cf, of;
};

// a: the operand masked to size; count: the masked count, not 0.
template <ShiftKind kKind>
inline ShiftOut shift_compute(Cpu& cpu, uint64_t a, unsigned count, unsigned size) {
    const unsigned bits = 8 * size;
    const uint64_t m = size_mask(size);
    auto msb = [bits](uint64_t v) { return (v >> (bits - 1)) & 1; };
    uint64_t r = 0, cf = 0, of = 0;
    if constexpr (kKind == ShiftKind::Shl) {
        r = count < 64 ? (a << count) & m : 0;
        cf = count <= bits ? (a >> (bits - count)) & 1 : 0;
        of = msb(r) ^ cf;
    } else if constexpr (kKind == ShiftKind::Shr) {
        r = a >> count;
        cf = (a >> (count - 1)) & 1;
        of = msb(a);
    } else if constexpr (kKind == ShiftKind::Sar) {
        const int64_t sa = sign_extend(a, size);
        r = static_cast<uint64_t>(sa >> (count > 63 ? 63 : count)) & m;
        cf = static_cast<uint64_t>(sa >> (count - 1 > 63 ? 63 : count - 1)) & 1;
        of = 0;
    } else if constexpr (kKind == ShiftKind::Rol || kKind == ShiftKind::Ror) {
        const unsigned c = count % bits;
        if constexpr (kKind == ShiftKind::Rol) {
            r = c ? ((a << c) | (a >> (bits - c))) & m : a;
            cf = r & 1;
            of = msb(r) ^ cf;
        } else {
            r = c ? ((a >> c) | (a << (bits - c))) & m : a;
            cf = msb(r);
            of = msb(r) ^ ((r >> (bits - 2)) & 1);
        }
    } else {
        // Through carry: a (bits + 1)-bit rotation of CF:value.
        const uint64_t cf_in = cpu.cf() ? 1 : 0;
        const unsigned c = bits == 8 ? count % 9 : bits == 16 ? count % 17 : count;
        const unsigned __int128 v = (static_cast<unsigned __int128>(cf_in) << bits) | a;
        const unsigned __int128 vm = (static_cast<unsigned __int128>(1) << (bits + 1)) - 1;
        unsigned __int128 rv = v;
        if (c) {
            if constexpr (kKind == ShiftKind::Rcl) rv = ((v << c) | (v >> (bits + 1 - c))) & vm;
            else rv = ((v >> c) | (v << (bits + 1 - c))) & vm;
        }
        r = static_cast<uint64_t>(rv) & m;
        cf = static_cast<uint64_t>(rv >> bits) & 1;
        if constexpr (kKind == ShiftKind::Rcl) of = msb(r) ^ cf;
        else of = msb(a) ^ cf_in;
    }
    return ShiftOut{r, cf, of};
}

// Shifts replace all six arithmetic flags (AF cleared, OF computed even
// where undefined); rotates only CF and OF, the others materialized.
template <ShiftKind kKind>
inline void shift_set_flags(Cpu& cpu, const ShiftOut& o, unsigned size) {
    const uint64_t nf = (o.cf ? uint64_t{kCF} : 0) | (o.of ? uint64_t{kOF} : 0);
    if constexpr (!is_rotate(kKind)) set_arith_flags(cpu, nf | szp_flags(o.r, size));
    else cpu.s.rflags = (cpu.rflags() & ~(kCF | kOF)) | nf;
}

}  // namespace petrel
