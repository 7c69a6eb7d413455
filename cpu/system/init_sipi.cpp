// INIT and startup IPIs (SDM vol 3, 9.1 and 10.4/11.4 "MP initialization"):
// INIT returns the CPU to the RESET state except for what the SDM's table 9-1
// lists as unchanged by INIT, then either restarts (BSP) or waits for a SIPI.
#include "cpu/cpu.h"

namespace petrel {

void Cpu::init_signal(bool bsp) {
    const CpuState kept = s;
    reset();
    // Unchanged by INIT: x87 and SSE state, MTRRs/PAT and the other MSRs
    // (EFER excepted), and the cache-disable bits of CR0.
    s.x87 = kept.x87;
    for (unsigned i = 0; i < 16; ++i) s.xmm[i] = kept.xmm[i];
    s.mxcsr = kept.mxcsr;
    s.msr = kept.msr;
    s.pat = kept.pat;
    s.star = kept.star, s.lstar = kept.lstar, s.cstar = kept.cstar, s.fmask = kept.fmask;
    s.sysenter_cs = kept.sysenter_cs, s.sysenter_esp = kept.sysenter_esp, s.sysenter_eip = kept.sysenter_eip;
    s.kernel_gs_base = kept.kernel_gs_base;
    s.tsc_offset = kept.tsc_offset;
    s.tsc_aux = kept.tsc_aux;
    s.cr0 = (s.cr0 & ~(kCR0_CD | kCR0_NW)) | (kept.cr0 & (kCR0_CD | kCR0_NW));
    if (!bsp) {
        s.wait_for_sipi = true;
        s.halted = true;
    }
}

void Cpu::startup_ipi(uint8_t vector) {
    if (!s.wait_for_sipi) return;
    s.wait_for_sipi = false;
    s.halted = false;
    s.seg[CS].selector = static_cast<uint16_t>(vector << 8);
    s.seg[CS].base = static_cast<uint64_t>(vector) << 12;
    s.rip = 0;
}

}  // namespace petrel
