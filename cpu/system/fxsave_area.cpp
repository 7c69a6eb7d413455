// The FXSAVE-format image of the x87 and SSE state (see fxsave_area.h).
#include "cpu/system/fxsave_area.h"

#include <cstring>

namespace petrel {

namespace {

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

}  // namespace

void fp_area_store_x87(const Cpu& cpu, uint8_t* a, bool wide) {
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

void fp_area_load_x87(Cpu& cpu, const uint8_t* a, bool wide) {
    X87State& x = cpu.s.x87;
    // FCW as FLDCW loads it (reserved bits 7 and 13-15 clear, bit 6 set);
    // ES and B follow the loaded flags and masks (an unmasked flag is a
    // pending exception, whatever the image's ES says), as on the host CPU.
    x.fcw = static_cast<uint16_t>((get(a, 2) & 0x1f3f) | 0x40);
    x.fsw = static_cast<uint16_t>(get(a + 2, 2) & 0x7f7f);
    if (x.fsw & ~x.fcw & 0x3f) x.fsw |= 0x8080;
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

void fp_area_store_sse(const Cpu& cpu, uint8_t* a, unsigned nxmm) {
    put(a + 24, cpu.s.mxcsr, 4);
    put(a + 28, kMxcsrMask, 4);
    for (unsigned i = 0; i < nxmm; ++i) memcpy(a + 160 + 16 * i, &cpu.s.xmm[i], 16);
}

void fp_area_load_sse(Cpu& cpu, const uint8_t* a, unsigned nxmm) {
    cpu.s.mxcsr = static_cast<uint32_t>(get(a + 24, 4));
    for (unsigned i = 0; i < nxmm; ++i) memcpy(&cpu.s.xmm[i], a + 160 + 16 * i, 16);
}

}  // namespace petrel
