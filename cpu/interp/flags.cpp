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

bool Cpu::cond(unsigned cc) { return eval_cond(*this, cc); }

}  // namespace petrel
