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

bool Cpu::cf() { return rflags() & kCF; }
bool Cpu::pf() { return rflags() & kPF; }
bool Cpu::af() { return rflags() & kAF; }
bool Cpu::zf() { return rflags() & kZF; }
bool Cpu::sf() { return rflags() & kSF; }
bool Cpu::of() { return rflags() & kOF; }

bool Cpu::cond(unsigned cc) {
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
