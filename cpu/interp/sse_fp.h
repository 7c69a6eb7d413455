// SSE floating point around the soft-float: the environment from MXCSR
// (rounding, masks, DAZ, FTZ) and the exception protocol shared by every
// SSE float instruction:
// - all lanes are computed, their flags ORed;
// - an unmasked pre-computation exception (IE, DE, ZE) in any lane: only
//   those flags are recorded and #XM (or #UD when CR4.OSXMMEXCPT = 0) is
//   raised before anything is written;
// - otherwise every flag is recorded, and an unmasked post-computation
//   exception (OE, UE, PE) raises the same fault, again with the
//   destination unchanged.
#pragma once
#include "cpu/fpu/softfloat.h"
#include "cpu/interp/sse_common.h"

namespace petrel {

inline fp::Env sse_env(const Cpu& cpu) {
    const uint32_t m = cpu.s.mxcsr;
    fp::Env e;
    e.round = static_cast<fp::Round>((m >> 13) & 3);
    e.masked = static_cast<uint8_t>((m >> 7) & 0x3f);
    e.daz = m & (1u << 6);
    e.ftz = m & (1u << 15);
    return e;
}

[[noreturn]] inline void sse_fault(Cpu& cpu) {
    cpu.raise((cpu.s.cr4 & kCR4_OSXMMEXCPT) ? kVecXM : kVecUD);
}

// Records the flags an instruction raised; faults when one is unmasked.
inline void sse_commit(Cpu& cpu, uint8_t flags) {
    constexpr uint8_t kPre = fp::kInvalid | fp::kDenormal | fp::kDivByZero;
    const uint8_t unmasked = static_cast<uint8_t>(~(cpu.s.mxcsr >> 7) & 0x3f);
    if (flags & kPre & unmasked) {
        cpu.s.mxcsr |= flags & kPre;
        sse_fault(cpu);
    }
    cpu.s.mxcsr |= flags;
    if (flags & unmasked) sse_fault(cpu);
}

}  // namespace petrel
