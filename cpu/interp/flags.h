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

}  // namespace petrel
