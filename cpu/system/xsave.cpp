// XSAVE feature set with XCR0 = x87 | SSE: XGETBV, XSETBV, XSAVE, XSAVEOPT
// and XRSTOR in the standard (non-compacted) format. The legacy region
// (bytes 0-511) has the FXSAVE layout; the 64-byte XSAVE header follows.
//
// The legacy region is built here from CpuState; it matches FXSAVE's layout
// byte for byte (the x87/SSE family's FXSAVE/FXRSTOR produce the same image).
#include <cstring>

#include "cpu/interp/operands.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

constexpr uint64_t kXcr0Supported = 3;  // x87, SSE (cpuid.cpp leaf 0xD agrees)
constexpr unsigned kAreaSize = 576;
constexpr uint32_t kMxcsrMask = 0xffff;

void check_enabled(Cpu& cpu) {
    if (!(cpu.s.cr4 & kCR4_OSXSAVE)) cpu.raise(kVecUD);
}

// Abridged tag (FXSAVE): one bit per physical register, 1 = not empty.
uint8_t abridged_tags(uint16_t ftw) {
    uint8_t t = 0;
    for (unsigned i = 0; i < 8; ++i)
        if (((ftw >> (2 * i)) & 3) != 3) t |= 1u << i;
    return t;
}

// Full tag of a non-empty register from its contents: valid, zero or special.
unsigned tag_of(const Float80& f) {
    unsigned exp = f.sign_exp & 0x7fff;
    if (exp == 0x7fff) return 2;
    if (exp == 0) return f.significand == 0 ? 1 : 2;
    return (f.significand >> 63) ? 0 : 2;  // unnormal: special
}

void put(uint8_t* p, uint64_t v, unsigned n) { memcpy(p, &v, n); }
uint64_t get(const uint8_t* p, unsigned n) {
    uint64_t v = 0;
    memcpy(&v, p, n);
    return v;
}

void save_x87(const Cpu& cpu, uint8_t* a, bool wide) {
    const X87State& x = cpu.s.x87;
    put(a + 0, x.fcw, 2);
    put(a + 2, x.fsw, 2);
    a[4] = abridged_tags(x.ftw);
    a[5] = 0;
    put(a + 6, x.fop, 2);
    if (wide) {
        put(a + 8, x.fip, 8);
        put(a + 16, x.fdp, 8);
    } else {
        put(a + 8, x.fip & 0xffffffff, 4);
        put(a + 12, x.fcs, 2);
        put(a + 14, 0, 2);
        put(a + 16, x.fdp & 0xffffffff, 4);
        put(a + 20, x.fds, 2);
        put(a + 22, 0, 2);
    }
    unsigned top = (x.fsw >> 11) & 7;
    for (unsigned i = 0; i < 8; ++i) {
        const Float80& f = x.st[(top + i) & 7];
        uint8_t* r = a + 32 + 16 * i;
        memset(r, 0, 16);
        put(r, f.significand, 8);
        put(r + 8, f.sign_exp, 2);
    }
}

void restore_x87(Cpu& cpu, const uint8_t* a, bool wide) {
    X87State& x = cpu.s.x87;
    x.fcw = static_cast<uint16_t>(get(a, 2));
    x.fsw = static_cast<uint16_t>(get(a + 2, 2));
    x.fop = static_cast<uint16_t>(get(a + 6, 2) & 0x7ff);
    if (wide) {
        x.fip = get(a + 8, 8);
        x.fdp = get(a + 16, 8);
        x.fcs = x.fds = 0;
    } else {
        x.fip = get(a + 8, 4);
        x.fcs = static_cast<uint16_t>(get(a + 12, 2));
        x.fdp = get(a + 16, 4);
        x.fds = static_cast<uint16_t>(get(a + 20, 2));
    }
    unsigned top = (x.fsw >> 11) & 7;
    for (unsigned i = 0; i < 8; ++i) {
        Float80& f = x.st[(top + i) & 7];
        f.significand = get(a + 32 + 16 * i, 8);
        f.sign_exp = static_cast<uint16_t>(get(a + 32 + 16 * i + 8, 2));
    }
    uint8_t abridged = a[4];
    uint16_t ftw = 0;
    for (unsigned p = 0; p < 8; ++p) {
        unsigned tag = (abridged >> p) & 1 ? tag_of(x.st[p]) : 3;
        ftw |= static_cast<uint16_t>(tag << (2 * p));
    }
    x.ftw = ftw;
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
    if (rfbm & 1) {
        uint8_t tmp[512];
        save_x87(cpu, tmp, wide);
        memcpy(buf, tmp, 24);
        memcpy(buf + 32, tmp + 32, 128);
    }
    if (rfbm & 2) {
        put(buf + 24, cpu.s.mxcsr, 4);
        put(buf + 28, kMxcsrMask, 4);
        for (unsigned i = 0; i < xmm_count(cpu); ++i) memcpy(buf + 160 + 16 * i, &cpu.s.xmm[i], 16);
    }
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
    if (comp != 0) cpu.raise(kVecGP, 0);  // no compacted format (XSAVEC not offered)
    for (unsigned i = 528; i < 576; ++i)
        if (buf[i]) cpu.raise(kVecGP, 0);
    uint32_t mxcsr = static_cast<uint32_t>(get(buf + 24, 4));
    if ((rfbm & 2) && (mxcsr & ~kMxcsrMask)) cpu.raise(kVecGP, 0);
    if (rfbm & 1) {
        if (bv & 1) restore_x87(cpu, buf, wide);
        else init_x87(cpu);
    }
    if (rfbm & 2) {
        cpu.s.mxcsr = mxcsr;
        for (unsigned i = 0; i < xmm_count(cpu); ++i) {
            if (bv & 2) memcpy(&cpu.s.xmm[i], buf + 160 + 16 * i, 16);
            else cpu.s.xmm[i] = XmmReg{};
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
