// The soft-float against the host CPU: add, sub, mul, div, sqrt in single,
// double (SSE, every rounding mode, DAZ/FTZ) and extended precision (x87,
// every rounding mode and precision control), on edge-biased random
// operands; results bit for bit (NaN payloads included) and exception flags.
#include <doctest/doctest.h>

#include <cinttypes>
#include <cstdio>

#include "tests/unit/cpu/test_fp_oracle.h"

using namespace petrel;
using namespace petrel::test;

#if PETREL_HOST_ORACLE

namespace {

constexpr FpOp kOps[] = {FpOp::Add, FpOp::Sub, FpOp::Mul, FpOp::Div, FpOp::Sqrt};
constexpr unsigned kCases = 20000;

// SSE formats: every op x rounding mode x {plain, DAZ, FTZ, both}.
template <class F, class Host, class Gen>
unsigned sse_sweep(const char* fmt, Host host, Gen gen, uint64_t seed) {
    FpGen g(seed);
    unsigned bad = 0;
    for (FpOp op : kOps)
        for (unsigned rc = 0; rc < 4; ++rc)
            for (unsigned mode = 0; mode < 4; ++mode)
                for (unsigned i = 0; i < kCases; ++i) {
                    const F a = gen(g), b = gen(g);
                    uint32_t csr = mxcsr_for(rc, mode & 1, mode & 2);
                    fp::Env env = env_for_mxcsr(csr);
                    const F want = host(op, a, b, csr);
                    const F got = soft_op<F>(op, a, b, env);
                    if (want != got || (csr & 0x3f) != env.flags) {
                        if (++bad <= 12)
                            printf("%s %s rc=%u daz=%u ftz=%u a=%" PRIx64 " b=%" PRIx64 ": host %" PRIx64
                                   " flags %02x, soft %" PRIx64 " flags %02x\n",
                                   fmt, fp_op_name(op), rc, mode & 1, mode >> 1, uint64_t{a}, uint64_t{b},
                                   uint64_t{want}, csr & 0x3f, uint64_t{got}, env.flags);
                    }
                }
    return bad;
}

bool same(const Float80& a, const Float80& b) { return a.significand == b.significand && a.sign_exp == b.sign_exp; }

}  // namespace

TEST_CASE("softfloat F32 arithmetic matches the host's SSE") {
    const unsigned bad = sse_sweep<uint32_t>("f32", host_f32, [](FpGen& g) { return g.f32(); }, 1);
    CHECK(bad == 0);
}

TEST_CASE("softfloat F64 arithmetic matches the host's SSE") {
    const unsigned bad = sse_sweep<uint64_t>("f64", host_f64, [](FpGen& g) { return g.f64(); }, 2);
    CHECK(bad == 0);
}

TEST_CASE("softfloat F80 arithmetic matches the host's x87 (rounding, precision control, masks)") {
    FpGen g(3);
    unsigned bad = 0;
    for (FpOp op : kOps)
        for (unsigned rc = 0; rc < 4; ++rc)
            for (unsigned pc : {0u, 2u, 3u})
                for (unsigned masks : {0x3fu, 0x27u})  // all masked; OE and UE unmasked
                    for (unsigned i = 0; i < kCases / 4; ++i) {
                        const Float80 a = g.f80(), b = g.f80();
                        const uint16_t fcw = static_cast<uint16_t>(0x40 | masks | (pc << 8) | (rc << 10));
                        uint16_t fsw = 0;
                        const Float80 want = host_f80(op, a, b, fcw, fsw);
                        fp::Env env = env_for_fcw(fcw);
                        const Float80 got = soft_op<Float80>(op, a, b, env);
                        // Compare the six flags and C1 (rounded up) when inexact.
                        const unsigned hf = fsw & 0x3f;
                        const bool hc1 = fsw & 0x200;
                        const bool sc1 = (env.flags & fp::kInexact) && env.rounded_up;
                        if (!same(want, got) || hf != env.flags || ((hf & fp::kInexact) && hc1 != sc1)) {
                            if (++bad <= 16)
                                printf("f80 %s rc=%u pc=%u masks=%02x a=%04x:%016" PRIx64 " b=%04x:%016" PRIx64
                                       ": host %04x:%016" PRIx64 " fsw %04x, soft %04x:%016" PRIx64
                                       " flags %02x c1 %d\n",
                                       fp_op_name(op), rc, pc, masks, a.sign_exp, a.significand, b.sign_exp,
                                       b.significand, want.sign_exp, want.significand, fsw, got.sign_exp,
                                       got.significand, env.flags, sc1);
                        }
                    }
    CHECK(bad == 0);
}

#endif  // PETREL_HOST_ORACLE
