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
// All six are replaced, so a pending lazy record is dropped rather than
// materialized (CpuState::rflags always holds the other bits).
inline void set_arith_flags(Cpu& cpu, uint64_t bits) {
    cpu.s.rflags = (cpu.s.rflags & ~kArithFlags) | (bits & kArithFlags);
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

// MUL/IMUL: CF = OF = overflow; SF, ZF and PF from the low half, AF clear
// (SF/ZF/AF/PF are undefined: this is Petrel's deterministic choice).
inline void set_mul_flags(Cpu& cpu, uint64_t lo, unsigned size, bool overflow) {
    set_arith_flags(cpu, szp_flags(lo, size) | (overflow ? uint64_t{kCF | kOF} : 0));
}

// The Jcc/SETcc/CMOVcc condition cc (0-15). Inline so that handlers with a
// constant cc (the fast Jcc forms) keep only their own tests.
inline bool eval_cond(Cpu& cpu, unsigned cc) {
    CpuState& s = cpu.s;
    // CMP/SUB and TEST/AND/OR/XOR followed by Jcc/SETcc/CMOVcc: decide from
    // the operands without materializing RFLAGS.
    if (s.lazy.op == kFlagsSub || s.lazy.op == kFlagsLogic) {
        const LazyFlags& lf = s.lazy;
        const unsigned bits = 8 * lf.size;
        const uint64_t m = bits >= 64 ? ~0ull : (1ull << bits) - 1;
        const uint64_t r = lf.result & m;
        bool res = false, known = true;
        if (lf.op == kFlagsSub) {
            const uint64_t a = lf.src1 & m, b = lf.src2 & m;
            const int64_t sa = static_cast<int64_t>(a << (64 - bits)), sb = static_cast<int64_t>(b << (64 - bits));
            switch (cc >> 1) {
                case 1: res = a < b; break;              // B
                case 2: res = r == 0; break;             // Z
                case 3: res = a <= b; break;             // BE
                case 4: res = (r >> (bits - 1)) & 1; break;  // S
                case 6: res = sa < sb; break;            // L
                case 7: res = sa <= sb; break;           // LE
                default: known = false; break;           // O, P
            }
        } else {
            const bool sf = (r >> (bits - 1)) & 1;
            switch (cc >> 1) {
                case 0: res = false; break;              // O
                case 1: res = false; break;              // B
                case 2: case 3: res = r == 0; break;     // Z, BE
                case 4: case 6: res = sf; break;         // S, L (OF = 0)
                case 7: res = r == 0 || sf; break;       // LE
                default: known = false; break;           // P
            }
        }
        if (known) return (cc & 1) ? !res : res;
    } else if (s.lazy.op != kFlagsEager && ((cc >> 1) == 2 || (cc >> 1) == 4)) {
        // ZF and SF come from the result alone, whatever the operation (DEC/JNZ loops).
        const unsigned bits = 8 * s.lazy.size;
        const uint64_t r = bits >= 64 ? s.lazy.result : s.lazy.result & ((1ull << bits) - 1);
        const bool res = (cc >> 1) == 2 ? r == 0 : ((r >> (bits - 1)) & 1) != 0;
        return (cc & 1) ? !res : res;
    }
    uint64_t f = cpu.rflags();
    bool r;
    switch (cc >> 1) {
        case 0: r = f & kOF; break;                              // O
        case 1: r = f & kCF; break;                              // B
        case 2: r = f & kZF; break;                              // Z
        case 3: r = (f & kCF) || (f & kZF); break;               // BE
        case 4: r = f & kSF; break;                              // S
        case 5: r = f & kPF; break;                              // P
        case 6: r = !(f & kSF) != !(f & kOF); break;             // L
        default: r = (f & kZF) || (!(f & kSF) != !(f & kOF)); break;  // LE
    }
    return (cc & 1) ? !r : r;
}

// Replaces only the flags in mask (others, including the other arithmetic
// flags, keep their current values).
inline void set_flags_masked(Cpu& cpu, uint64_t mask, uint64_t bits) {
    uint64_t f = cpu.rflags();
    cpu.s.rflags = (f & ~mask) | (bits & mask);
}

}  // namespace petrel
