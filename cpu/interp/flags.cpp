#include "cpu/interp/flags.h"

#include "cpu/interp/operands.h"

namespace petrel {

uint64_t compute_arith_flags(const LazyFlags& lf) {
    const unsigned size = lf.size;
    const uint64_t m = size_mask(size), sb = sign_bit(size);
    const uint64_t r = lf.result & m, a = lf.src1 & m, b = lf.src2 & m;
    uint64_t f = 0;
    if (r == 0) f |= kZF;
    if (r & sb) f |= kSF;
    if (parity_even(r)) f |= kPF;
    switch (lf.op) {
        case kFlagsAdd:
        case kFlagsAdc: {
            uint64_t cin = (r - a - b) & m;  // 0 or 1
            if (r < a || (cin && r == a)) f |= kCF;
            if ((a ^ r) & (b ^ r) & sb) f |= kOF;
            if ((a ^ b ^ r) & 0x10) f |= kAF;
            break;
        }
        case kFlagsSub:
        case kFlagsSbb: {
            uint64_t bin = (a - b - r) & m;
            if (a < b || (bin && a == b)) f |= kCF;
            if ((a ^ b) & (a ^ r) & sb) f |= kOF;
            if ((a ^ b ^ r) & 0x10) f |= kAF;
            break;
        }
        case kFlagsLogic:
            break;
        case kFlagsInc:
            if (lf.src2) f |= kCF;
            if (r == sb) f |= kOF;
            if ((a ^ r) & 0x10) f |= kAF;
            break;
        case kFlagsDec:
            if (lf.src2) f |= kCF;
            if (r == sb - 1) f |= kOF;
            if ((a ^ r) & 0x10) f |= kAF;
            break;
        default:
            break;
    }
    return f;
}

uint64_t Cpu::rflags() {
    if (s.lazy.op != kFlagsEager) {
        s.rflags = (s.rflags & ~kArithFlags) | compute_arith_flags(s.lazy);
        s.lazy.op = kFlagsEager;
    }
    return s.rflags | 2;
}

void Cpu::set_rflags(uint64_t value) {
    s.lazy.op = kFlagsEager;
    s.rflags = (value & 0x3f7fd5) | 2;  // bits 1 set; 3, 5, 15, 22+ clear
}

// CF alone, straight from the lazy state: ADC/SBB/INC/DEC/RCL... read it on
// every execution, and materializing all six flags (parity included) for it
// costs more than the operation itself.
bool Cpu::cf() {
    const LazyFlags& lf = s.lazy;
    const uint64_t m = lf.size >= 8 ? ~0ull : (1ull << (8 * lf.size)) - 1;
    const uint64_t r = lf.result & m, a = lf.src1 & m, b = lf.src2 & m;
    switch (lf.op) {
        case kFlagsEager: return s.rflags & kCF;
        case kFlagsAdd:
        case kFlagsAdc: return r < a || (((r - a - b) & m) && r == a);
        case kFlagsSub:
        case kFlagsSbb: return a < b || (((a - b - r) & m) && a == b);
        case kFlagsLogic: return false;
        case kFlagsInc:
        case kFlagsDec: return lf.src2 != 0;
        default: return rflags() & kCF;
    }
}
bool Cpu::pf() { return rflags() & kPF; }
bool Cpu::af() { return rflags() & kAF; }
bool Cpu::zf() { return rflags() & kZF; }
bool Cpu::sf() { return rflags() & kSF; }
bool Cpu::of() { return rflags() & kOF; }

bool Cpu::cond(unsigned cc) {
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
    uint64_t f = rflags();
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

}  // namespace petrel
