// The host CPU as the soft-float's oracle: SSE scalar operations with MXCSR
// set per case, x87 operations with the control word set per case (inline
// asm, x86-64 hosts only), and edge-biased random operands.
#pragma once
#include <cstdint>
#include <cstring>
#include <random>

#include "cpu/fpu/softfloat.h"

#if defined(__x86_64__)
#define PETREL_HOST_ORACLE 1
#include <immintrin.h>
#else
#define PETREL_HOST_ORACLE 0
#endif

namespace petrel::test {

enum class FpOp { Add, Sub, Mul, Div, Sqrt };
inline const char* fp_op_name(FpOp op) {
    static const char* kNames[] = {"add", "sub", "mul", "div", "sqrt"};
    return kNames[static_cast<int>(op)];
}

// ---- edge-biased operands

struct FpGen {
    std::mt19937_64 rng;
    explicit FpGen(uint64_t seed) : rng(seed) {}
    uint64_t bits(unsigned n) { return n >= 64 ? rng() : rng() & ((1ull << n) - 1); }
    unsigned pick(unsigned n) { return static_cast<unsigned>(rng() % n); }

    // An IEEE value with frac_bits / exp_bits: mostly the interesting classes.
    uint64_t ieee(unsigned frac_bits, unsigned exp_bits) {
        const uint64_t sign = bits(1) << (frac_bits + exp_bits);
        const uint64_t emax = (1ull << exp_bits) - 1, fmask = (1ull << frac_bits) - 1;
        auto make = [&](uint64_t e, uint64_t f) { return sign | (e << frac_bits) | (f & fmask); };
        switch (pick(16)) {
            case 0: return make(0, 0);                                    // zero
            case 1: return make(0, bits(frac_bits));                      // denormal
            case 2: return make(0, 1ull << pick(frac_bits));              // denormal power of two
            case 3: return make(emax, 0);                                 // infinity
            case 4: return make(emax, (1ull << (frac_bits - 1)) | bits(frac_bits - 1));  // QNaN
            case 5: return make(emax, bits(frac_bits - 1) | 1);           // SNaN
            case 6: return make(1 + pick(3), bits(frac_bits));            // near the smallest normal
            case 7: return make(emax - 1 - pick(3), bits(frac_bits));     // near the largest finite
            case 8: return make(emax - 1, fmask);                         // the largest finite
            case 9: return make((emax >> 1) + pick(8) - 4, bits(frac_bits) & ~(bits(frac_bits) << 3));  // few low bits
            case 10: return make((emax >> 1) + pick(8) - 4, fmask - bits(4));  // all ones
            case 11: return make((emax >> 1) + pick(3) - 1, 0);           // small powers of two
            case 12: return make((emax >> 1) + pick(64) - 32, bits(frac_bits));
            default: return make(bits(exp_bits) % emax, bits(frac_bits));  // any finite
        }
    }
    uint32_t f32() { return static_cast<uint32_t>(ieee(23, 8)); }
    uint64_t f64() { return ieee(52, 11); }

    Float80 f80() {
        const uint16_t sign = static_cast<uint16_t>(bits(1) << 15);
        auto make = [&](uint32_t e, uint64_t s) { return Float80{s, static_cast<uint16_t>(sign | e)}; };
        const uint64_t one = 1ull << 63;
        switch (pick(16)) {
            case 0: return make(0, 0);
            case 1: return make(0, bits(63));                             // denormal
            case 2: return make(0x7fff, one);                             // infinity
            case 3: return make(0x7fff, one | (1ull << 62) | bits(62));   // QNaN
            case 4: return make(0x7fff, one | bits(62) | 1);              // SNaN
            case 5: return make(1 + pick(3), one | bits(63));
            case 6: return make(0x7ffe - pick(3), one | bits(63));
            case 7: return make(0x7ffe, ~0ull);
            case 8: return make(0x3fff + pick(8) - 4, one | (bits(63) & ~(bits(63) << 3)));
            case 9: return make(0x3fff + pick(8) - 4, ~0ull - bits(4));
            case 10: return make(0x3fff + pick(3) - 1, one);
            case 11: return make(0x3fff + pick(64) - 32, one | bits(63));
            // Single/double-representable values: the precision-control cases.
            case 12: return make(0x3fff + pick(64) - 32, one | (bits(23) << 40));
            case 13: return make(0x3c01 + pick(3), one | bits(63));      // near double's range ends
            default: return make(static_cast<uint32_t>(1 + bits(15) % 0x7ffe), one | bits(63));
        }
    }
};

#if PETREL_HOST_ORACLE

// ---- SSE scalar on the host: result and the MXCSR after (flags in 0-5).
struct HostMxcsr {
    uint32_t saved;
    HostMxcsr() : saved(_mm_getcsr()) {}
    ~HostMxcsr() { _mm_setcsr(saved); }
};

inline uint32_t host_f32(FpOp op, uint32_t a, uint32_t b, uint32_t& csr) {
    HostMxcsr keep;
    __m128 x = _mm_castsi128_ps(_mm_cvtsi32_si128(static_cast<int>(a)));
    const __m128 y = _mm_castsi128_ps(_mm_cvtsi32_si128(static_cast<int>(b)));
    uint32_t c = csr;
    switch (op) {
        case FpOp::Add: __asm__ volatile("ldmxcsr %1\n\taddss %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Sub: __asm__ volatile("ldmxcsr %1\n\tsubss %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Mul: __asm__ volatile("ldmxcsr %1\n\tmulss %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Div: __asm__ volatile("ldmxcsr %1\n\tdivss %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Sqrt: __asm__ volatile("ldmxcsr %1\n\tsqrtss %0, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c)); break;
    }
    csr = c;
    return static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_castps_si128(x)));
}

inline uint64_t host_f64(FpOp op, uint64_t a, uint64_t b, uint32_t& csr) {
    HostMxcsr keep;
    __m128d x = _mm_castsi128_pd(_mm_cvtsi64_si128(static_cast<long long>(a)));
    const __m128d y = _mm_castsi128_pd(_mm_cvtsi64_si128(static_cast<long long>(b)));
    uint32_t c = csr;
    switch (op) {
        case FpOp::Add: __asm__ volatile("ldmxcsr %1\n\taddsd %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Sub: __asm__ volatile("ldmxcsr %1\n\tsubsd %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Mul: __asm__ volatile("ldmxcsr %1\n\tmulsd %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Div: __asm__ volatile("ldmxcsr %1\n\tdivsd %2, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c) : "x"(y)); break;
        case FpOp::Sqrt: __asm__ volatile("ldmxcsr %1\n\tsqrtsd %0, %0\n\tstmxcsr %1" : "+x"(x), "+m"(c)); break;
    }
    csr = c;
    return static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_castpd_si128(x)));
}

// ---- x87 on the host. The stack is emptied first and left empty; the
// status word is read (FNSTSW) and cleared (FNCLEX) before the result is
// stored, so unmasked exceptions never trap.
struct alignas(16) X87Mem {
    uint64_t sig;
    uint16_t se;
    uint16_t pad[3];
};
inline X87Mem to_mem(const Float80& f) { return X87Mem{f.significand, f.sign_exp, {}}; }
inline Float80 from_mem(const X87Mem& m) { return Float80{m.sig, m.se}; }

// ST0 = a, ST1 = b; op; result ST0. fsw: the status word after the op.
inline Float80 host_f80(FpOp op, const Float80& a, const Float80& b, uint16_t fcw, uint16_t& fsw) {
    X87Mem A = to_mem(a), B = to_mem(b), R{};
    uint16_t sw = 0;
    switch (op) {
        case FpOp::Add:
            __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\tfadd %%st(1), %%st\n\t"
                             "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\tfstp %%st(0)"
                             : [r] "=m"(R), [sw] "=m"(sw) : [a] "m"(A), [b] "m"(B), [cw] "m"(fcw));
            break;
        case FpOp::Sub:
            __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\tfsub %%st(1), %%st\n\t"
                             "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\tfstp %%st(0)"
                             : [r] "=m"(R), [sw] "=m"(sw) : [a] "m"(A), [b] "m"(B), [cw] "m"(fcw));
            break;
        case FpOp::Mul:
            __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\tfmul %%st(1), %%st\n\t"
                             "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\tfstp %%st(0)"
                             : [r] "=m"(R), [sw] "=m"(sw) : [a] "m"(A), [b] "m"(B), [cw] "m"(fcw));
            break;
        case FpOp::Div:
            __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\tfdiv %%st(1), %%st\n\t"
                             "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\tfstp %%st(0)"
                             : [r] "=m"(R), [sw] "=m"(sw) : [a] "m"(A), [b] "m"(B), [cw] "m"(fcw));
            break;
        case FpOp::Sqrt:
            __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\tfsqrt\n\t"
                             "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]"
                             : [r] "=m"(R), [sw] "=m"(sw) : [a] "m"(A), [cw] "m"(fcw));
            break;
    }
    __asm__ volatile("fninit");
    fsw = sw;
    return from_mem(R);
}

#endif  // PETREL_HOST_ORACLE

// The soft-float's answer to the same question.
template <class F>
inline F soft_op(FpOp op, F a, F b, fp::Env& env) {
    switch (op) {
        case FpOp::Add: return fp::add<F>(a, b, env);
        case FpOp::Sub: return fp::sub<F>(a, b, env);
        case FpOp::Mul: return fp::mul<F>(a, b, env);
        case FpOp::Div: return fp::div<F>(a, b, env);
        case FpOp::Sqrt: return fp::sqrt<F>(a, env);
    }
    return a;
}

// MXCSR for a case: masks all set, rounding, DAZ/FTZ.
inline uint32_t mxcsr_for(unsigned rc, bool daz, bool ftz) {
    return 0x1f80u | (rc << 13) | (daz ? 0x40u : 0) | (ftz ? 0x8000u : 0);
}
inline fp::Env env_for_mxcsr(uint32_t csr) {
    fp::Env e;
    e.round = static_cast<fp::Round>((csr >> 13) & 3);
    e.masked = static_cast<uint8_t>((csr >> 7) & 0x3f);
    e.daz = csr & 0x40;
    e.ftz = csr & 0x8000;
    return e;
}
inline fp::Env env_for_fcw(uint16_t fcw) {
    fp::Env e;
    e.round = static_cast<fp::Round>((fcw >> 10) & 3);
    const unsigned pc = (fcw >> 8) & 3;
    e.precision = pc == 0 ? 24 : pc == 2 ? 53 : 64;
    e.masked = static_cast<uint8_t>(fcw & 0x3f);
    return e;
}

}  // namespace petrel::test
