// Lazy flags: flag-setting operations record (op, size, result, src1, src2)
// and the six arithmetic flags are computed only when something reads them.
// Operations whose flags are awkward to recompute (shifts, multiplies, BCD)
// set them eagerly with set_arith_flags().
#pragma once
#include <cstdint>

#include "cpu/cpu.h"

namespace petrel {

enum FlagOp : uint8_t {
    kFlagsEager = 0,  // CpuState::rflags holds the arithmetic flags
    kFlagsAdd,        // src1 + src2 (+ carry-in, recoverable from result)
    kFlagsAdc,
    kFlagsSub,        // src1 - src2 (- borrow-in); also CMP and NEG (src1 = 0)
    kFlagsSbb,
    kFlagsLogic,      // CF = OF = AF = 0
    kFlagsInc,        // src2 holds the preserved CF
    kFlagsDec,
};

// Replaces the six arithmetic flags; other RFLAGS bits are untouched.
inline void set_arith_flags(Cpu& cpu, uint64_t bits) {
    uint64_t f = cpu.rflags();
    cpu.s.rflags = (f & ~kArithFlags) | (bits & kArithFlags);
    cpu.s.lazy.op = kFlagsEager;
}

inline bool parity_even(uint64_t v) { return !__builtin_parity(static_cast<unsigned>(v & 0xff)); }

// The lazy flags in materialized form (only the arithmetic bits).
uint64_t compute_arith_flags(const LazyFlags& lf);

// ZF, SF and PF of a result of the given width (the common part of eagerly
// computed flags).
inline uint64_t szp_flags(uint64_t r, unsigned size) {
    uint64_t m = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
    uint64_t f = 0;
    if ((r & m) == 0) f |= kZF;
    if ((r >> (8 * size - 1)) & 1) f |= kSF;
    if (parity_even(r)) f |= kPF;
    return f;
}

// Replaces only the flags in mask (others, including the other arithmetic
// flags, keep their current values).
inline void set_flags_masked(Cpu& cpu, uint64_t mask, uint64_t bits) {
    uint64_t f = cpu.rflags();
    cpu.s.rflags = (f & ~mask) | (bits & mask);
}

}  // namespace petrel
