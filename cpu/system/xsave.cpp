// XSAVE feature set with XCR0 = x87 | SSE: XGETBV, XSETBV, XSAVE, XSAVEOPT
// and XRSTOR in the standard (non-compacted) format. The legacy region
// (bytes 0-511) has the FXSAVE layout; the 64-byte XSAVE header follows.
//
// The legacy region comes from fxsave_area.cpp, the FXSAVE image shared with
// the x87/SSE family.
#include <cstring>

#include "cpu/interp/operands.h"
#include "cpu/system/fxsave_area.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

constexpr uint64_t kXcr0Supported = 3;  // x87, SSE (cpuid.cpp leaf 0xD agrees)
constexpr unsigned kAreaSize = 576;

void check_enabled(Cpu& cpu) {
    if (!(cpu.s.cr4 & kCR4_OSXSAVE)) cpu.raise(kVecUD);
}

void put(uint8_t* p, uint64_t v, unsigned n) { memcpy(p, &v, n); }
uint64_t get(const uint8_t* p, unsigned n) {
    uint64_t v = 0;
    memcpy(&v, p, n);
    return v;
}

void init_x87(Cpu& cpu) {
    cpu.s.x87 = X87State{};
}

unsigned xmm_count(const Cpu& cpu) { return cpu.code_mode() == CodeMode::Bits64 ? 16 : 8; }

struct Area {
    uint64_t lin;
    bool user;
};

Area area_of(Cpu& cpu, const DecodedInsn& d, Access access) {
    check_enabled(cpu);
    if (cpu.s.cr0 & kCR0_TS) cpu.raise(kVecNM);
    uint64_t ea = effective_address(cpu, d);
    uint64_t lin = cpu.linear_address(d.mem_seg, ea, kAreaSize, access);
    if (lin & 63) cpu.raise(kVecGP, 0);
    bool user = cpu.s.cpl == 3;
    if (access == Access::Write) cpu.probe_write(lin, kAreaSize, user);
    return Area{lin, user};
}

void read_area(Cpu& cpu, const Area& ar, uint8_t* buf) {
    for (unsigned i = 0; i < kAreaSize; i += 8) {
        uint64_t v = cpu.read_linear(ar.lin + i, 8, ar.user);
        memcpy(buf + i, &v, 8);
    }
}

void write_area(Cpu& cpu, const Area& ar, const uint8_t* buf, unsigned from, unsigned to) {
    for (unsigned i = from; i < to; i += 8) {
        uint64_t v;
        memcpy(&v, buf + i, 8);
        cpu.write_linear(ar.lin + i, 8, v, ar.user);
    }
}

uint64_t requested(Cpu& cpu) {
    return ((cpu.s.gpr[RDX] << 32) | (cpu.s.gpr[RAX] & 0xffffffff)) & cpu.s.xcr0;
}

void op_xsave(Cpu& cpu, const DecodedInsn& d) {
    Area ar = area_of(cpu, d, Access::Write);
    uint64_t rfbm = requested(cpu);
    bool wide = d.has(kPrefixRexW);
    uint8_t buf[kAreaSize];
    read_area(cpu, ar, buf);  // untouched components keep their bytes
    if (rfbm & 1) fp_area_store_x87(cpu, buf, wide);
    if (rfbm & 2) fp_area_store_sse(cpu, buf, xmm_count(cpu));
    // XSTATE_BV: requested components are recorded as in use; others keep their bit.
    uint64_t bv = get(buf + 512, 8);
    bv = (bv & ~rfbm) | rfbm;
    put(buf + 512, bv, 8);
    write_area(cpu, ar, buf, 0, kAreaSize);
}

void op_xrstor(Cpu& cpu, const DecodedInsn& d) {
    Area ar = area_of(cpu, d, Access::Read);
    uint64_t rfbm = requested(cpu);
    bool wide = d.has(kPrefixRexW);
    uint8_t buf[kAreaSize];
    read_area(cpu, ar, buf);
    uint64_t bv = get(buf + 512, 8), comp = get(buf + 520, 8);
    if (bv & ~cpu.s.xcr0) cpu.raise(kVecGP, 0);
    // Standard form: bytes 23:8 of the header (XCOMP_BV and the 8 bytes
    // after it) must be zero (SDM 13.8.1); 24-63 are not checked. A set
    // XCOMP_BV[63] (the compacted form) is #GP too: XSAVEC is not offered.
    if (comp != 0 || get(buf + 528, 8) != 0) cpu.raise(kVecGP, 0);
    uint32_t mxcsr = static_cast<uint32_t>(get(buf + 24, 4));
    if ((rfbm & 2) && (mxcsr & ~kMxcsrMask)) cpu.raise(kVecGP, 0);
    if (rfbm & 1) {
        if (bv & 1) fp_area_load_x87(cpu, buf, wide);
        else init_x87(cpu);
    }
    if (rfbm & 2) {
        if (bv & 2) {
            fp_area_load_sse(cpu, buf, xmm_count(cpu));
        } else {
            cpu.s.mxcsr = mxcsr;  // MXCSR is loaded even when the SSE state is initialized
            for (unsigned i = 0; i < xmm_count(cpu); ++i) cpu.s.xmm[i] = XmmReg{};
        }
    }
}

void op_xgetbv(Cpu& cpu, const DecodedInsn&) {
    check_enabled(cpu);
    if ((cpu.s.gpr[RCX] & 0xffffffff) != 0) cpu.raise(kVecGP, 0);
    cpu.s.gpr[RAX] = cpu.s.xcr0 & 0xffffffff;
    cpu.s.gpr[RDX] = cpu.s.xcr0 >> 32;
}

void op_xsetbv(Cpu& cpu, const DecodedInsn&) {
    check_enabled(cpu);
    if (cpu.v86_mode() || (cpu.protected_mode() && cpu.s.cpl != 0)) cpu.raise(kVecGP, 0);
    if ((cpu.s.gpr[RCX] & 0xffffffff) != 0) cpu.raise(kVecGP, 0);
    uint64_t v = (cpu.s.gpr[RDX] << 32) | (cpu.s.gpr[RAX] & 0xffffffff);
    if (!(v & 1) || (v & ~kXcr0Supported)) cpu.raise(kVecGP, 0);
    cpu.s.xcr0 = v;
}

}  // namespace

void register_xsave(HandlerTable& t) {
    t.set(Op::XGETBV, op_xgetbv);
    t.set(Op::XSETBV, op_xsetbv);
    t.set(Op::XSAVE, op_xsave);
    t.set(Op::XSAVEOPT, op_xsave);
    t.set(Op::XRSTOR, op_xrstor);
}

}  // namespace petrel
