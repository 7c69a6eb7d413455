#include "tests/difftest/inputs.h"

#include <cstring>

#include "cpu/state.h"

namespace petrel::difftest {

namespace {

constexpr uint64_t kEdges[] = {
    0, 1, 2, ~0ull, ~0ull - 1,
    0x7f, 0x80, 0x81, 0xff, 0xfe,
    0x7fff, 0x8000, 0x8001, 0xffff, 0xfffe,
    0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe,
    0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001,
    0xffffffffffffff80, 0xffffffffffff8000, 0xffffffff80000000,
    0x0f, 0x10, 0x09, 0x99, 0x9a, 0x0101010101010101, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa,
};

constexpr uint64_t kCounts[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 0x100, 0x101};

bool is_string(Op op) { return op == Op::MOVS || op == Op::CMPS || op == Op::STOS || op == Op::LODS || op == Op::SCAS; }

// XCR0 of the host (XGETBV 0: the difftest needs CR4.OSXSAVE, which every
// x86-64 Linux with AVX sets; 3 without it, where XSAVE is #UD anyway).
uint64_t host_xcr0() {
    static const uint64_t v = [] {
        uint32_t a, d, b, c;
        asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
        if (!(c >> 27 & 1)) return uint64_t{3};
        asm volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
        return (uint64_t{d} << 32) | a;
    }();
    return v;
}

bool is_xsave(Op op) { return op == Op::XSAVE || op == Op::XSAVEOPT || op == Op::XRSTOR; }

bool is_string_compare(Op op) {
    return op == Op::PCMPESTRI || op == Op::PCMPESTRM || op == Op::PCMPISTRI || op == Op::PCMPISTRM;
}

// SSE4.2 string compares: random bits almost never give two operands that
// share an element, a zero element (the implicit forms' end) or an explicit
// length below the maximum, so nearly every case would be "no match, both
// strings full". String-shaped operands instead: elements from a small
// alphabet holding the signed/unsigned edges (elements of A and B coincide,
// ranges straddle the sign change), zeros inside, a terminating zero at a
// random place, and sometimes a piece of A copied into B (equal ordered
// then finds it, in full or running off the register's end).
void string_operand(InputGen& g, uint8_t* p, bool words) {
    static constexpr uint16_t kBytes[] = {0x01, 0x41, 0x61, 0x7a, 0x7f, 0x80, 0xfe, 0xff};
    static constexpr uint16_t kWords[] = {0x0001, 0x0041, 0x0061, 0x00ff, 0x7fff, 0x8000, 0x8001, 0xffff};
    const unsigned n = words ? 8 : 16, size = words ? 2 : 1;
    for (unsigned i = 0; i < n; ++i) {
        const uint16_t v = g.below(16) == 0 ? 0 : (words ? kWords : kBytes)[g.below(8)];
        memcpy(p + i * size, &v, size);
    }
    if (g.below(4)) {
        const unsigned end = g.below(n + 1);
        if (end < n) memset(p + end * size, 0, size);
    }
}

void string_overlap(InputGen& g, const uint8_t* a, uint8_t* b, bool words) {
    if (g.below(4)) return;
    const unsigned n = words ? 8 : 16, size = words ? 2 : 1;
    const unsigned at = g.below(n), len = 1 + g.below(n - at);
    memcpy(b + at * size, a, len * size);
}

}  // namespace

uint64_t InputGen::value() {
    const uint64_t r = rng();
    switch (r % 8) {
        case 0: case 1: case 2: return kEdges[(r >> 8) % std::size(kEdges)];
        case 3: return (rng() & ~0xffffull) | kEdges[(r >> 8) % std::size(kEdges)];  // edge in the low bits
        case 4: return kCounts[(r >> 8) % std::size(kCounts)];
        case 5: return 1ull << ((r >> 8) & 63);
        case 6: return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(r >> 8)));
        default: return rng();
    }
}

uint64_t InputGen::count() {
    const uint64_t r = rng();
    if (r & 1) return kCounts[(r >> 8) % std::size(kCounts)];
    return (r >> 8) & 0xff;
}

uint64_t InputGen::flags() {
    return (rng() & (kCF | kPF | kAF | kZF | kSF | kOF | kDF)) | 2;
}

State InputGen::state(const DecodedInsn& d) {
    State s;
    for (uint64_t& g : s.gpr) g = value();
    // Shift/rotate counts come from CL (and BEXTR/BZHI-style controls from
    // registers): bias RCX towards counts.
    if (rng() & 1) s.gpr[RCX] = (s.gpr[RCX] & ~0xffull) | count();
    s.rflags = flags();
    s.gpr[RSP] = kStackTop;
    s.pad_ = 0;
    fp_state(s);
    const int mi = d.mem_operand();
    if (mi >= 0) {
        const unsigned size = d.ops[mi].size ? d.ops[mi].size : 8;
        uint64_t off;
        switch (below(7)) {
            case 6:
                // Crossing from the last data page into the unmapped guard:
                // the access faults, and must not have written its first part.
                off = 2 * 4096 - (size > 1 ? 1 + below(size - 1) : 1) + (size > 1 ? 0 : 1);
                break;
            case 0: off = 0; break;
            case 1: off = 4096 - size; break;                            // last bytes of the page
            case 2: off = 4096 - (size > 1 ? 1 + below(size - 1) : 1); break;  // crossing into the next page
            default: off = below(4096 - 16) & ~static_cast<uint64_t>(below(2) ? size - 1 : 0); break;
        }
        if (d.op == Op::CMPXCHG16B && below(8)) off &= ~15ull;
        if (d.op == Op::FXSAVE || d.op == Op::FXRSTOR) {
            // The 512-byte area must be 16-byte aligned (else #GP): mostly
            // aligned and inside the data pages (crossing from the middle
            // page into the last one too), one case in 8 misaligned, one in
            // 8 aligned but running into the guard page (#PF).
            switch (below(8)) {
                case 0: off = (below((2 * 4096 - 512) / 16 + 1) * 16) | (1 + below(15)); break;
                case 1: off = 2 * 4096 - 16 * (1 + below(31)); break;
                default: off = below((2 * 4096 - 512) / 16 + 1) * 16; break;
            }
        }
        if (is_xsave(d.op)) {
            // The 576-byte area (legacy region and header) must be 64-byte
            // aligned (else #GP): as for FXSAVE, 6 cases in 8 aligned inside
            // the data pages, one misaligned, one aligned but running into
            // the guard page (64-512 bytes mapped: the header, or part of
            // the legacy region too, unmapped).
            switch (below(8)) {
                case 0: off = (below((2 * 4096 - 576) / 64 + 1) * 64) | (1 + below(63)); break;
                case 1: off = 2 * 4096 - 64 * (1 + below(8)); break;
                default: off = below((2 * 4096 - 576) / 64 + 1) * 64; break;
            }
            // EDX:EAX, the requested-feature bitmap: a random subset of
            // {x87, SSE}, the state Petrel implements (XCR0 = 3), so that
            // RFBM is the same under the host's XCR0; random upper halves
            // (ignored). The base is never RAX (forms.cpp); when it is RDX,
            // EDX sets bits 32-63, beyond both XCR0s.
            s.gpr[RAX] = (rng() << 32) | below(4);
            s.gpr[RDX] = rng() << 32;
            // A component in its initial configuration, one case in 8 each:
            // XSAVE may then leave it unwritten (XINUSE = 0).
            if (below(8) == 0) {
                memset(s.fx, 0, 160);
                s.fx[0] = 0x7f;
                s.fx[1] = 0x03;
            }
            if (below(8) == 0) {
                memset(s.xmm, 0, sizeof s.xmm);
                if (below(2)) s.mxcsr = 0x1f80;
            }
        }
        s.gpr[d.mem_base] = kDataMid + off;
    }
    if (is_string(d.op)) {
        s.gpr[RSI] = kDataMid + 0x200 + below(0xc00);
        s.gpr[RDI] = kDataMid + 0x200 + below(0xc00);
        if (d.rep() || d.repne()) s.gpr[RCX] = below(4) ? below(24) : 0;
    }
    if (d.op == Op::XLAT) s.gpr[RBX] = kDataMid + below(0xf00);
    if (d.op == Op::ENTER || d.op == Op::LEAVE) s.gpr[RBP] = kDataMid + 0x100 + (below(0xe00) & ~7u);
    if (is_string_compare(d.op)) {
        const bool words = d.imm & 1;
        uint8_t* a = s.xmm[d.ops[0].reg];
        if (below(8)) string_operand(*this, a, words);
        if (d.ops[1].kind == OpKind::Xmm && d.ops[1].reg != d.ops[0].reg && below(8)) {
            string_operand(*this, s.xmm[d.ops[1].reg], words);
            string_overlap(*this, a, s.xmm[d.ops[1].reg], words);
        }
        // Explicit lengths around the element counts, negative ones too
        // (as 64-bit values, so the REX.W forms see them negative as well);
        // sometimes with random upper halves, which only REX.W reads. (Not
        // when RAX or RDX is the memory operand's base.)
        for (unsigned r : {RAX, RDX}) {
            if (!below(8) || (mi >= 0 && r == d.mem_base)) continue;
            s.gpr[r] = static_cast<uint64_t>(static_cast<int64_t>(below(41)) - 20);
            if (!below(4)) s.gpr[r] = (rng() << 32) | (s.gpr[r] & 0xffffffff);
        }
    }
    return s;
}

void InputGen::fp_state(State& s) {
    // XMM lanes: raw random bits or float/double specials (zeros, ones,
    // infinities, NaNs, denormals, limits) in each 32/64-bit lane.
    static constexpr uint64_t kFp64[] = {0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
                                         0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
                                         0x7ff4000000000000ull, 0x0000000000000001ull, 0x000fffffffffffffull,
                                         0x7fefffffffffffffull, 0x4330000000000000ull};
    static constexpr uint32_t kFp32[] = {0, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x7f800000u, 0xff800000u,
                                         0x7fc00000u, 0x7fa00000u, 0x00000001u, 0x007fffffu, 0x7f7fffffu, 0x4b000000u};
    for (auto& x : s.xmm) {
        for (int lane = 0; lane < 2; ++lane) {
            uint64_t v;
            switch (below(4)) {
                case 0: v = kFp64[below(std::size(kFp64))]; break;
                case 1: v = kFp32[below(std::size(kFp32))] | (uint64_t{kFp32[below(std::size(kFp32))]} << 32); break;
                case 2: v = value(); break;
                default: v = rng(); break;
            }
            memcpy(x + 8 * lane, &v, 8);
        }
    }
    // Rounding, FZ and DAZ at random; exceptions masked, except in one case
    // of 8 a random subset is unmasked (an exception then is #XM: SIGFPE on
    // the host, with the destination unchanged). Sometimes flags already set.
    s.mxcsr = 0x1f80 | (below(4) << 13) | (below(2) ? 0x8000 : 0) | (below(2) ? 0x40 : 0);
    if (below(8) == 0) s.mxcsr &= ~(static_cast<uint32_t>(rng() & 0x3f) << 7);
    if (below(4) == 0) s.mxcsr |= static_cast<uint32_t>(rng() & 0x3f);
    // x87: random rounding and precision control, random TOP and condition
    // codes, random tags, registers with specials (zeros, ones, infinities,
    // NaNs, denormals, pseudo-denormals, unnormals, and normals near 1 as
    // often as normals of any exponent). Exceptions masked, except in one
    // case of 8 a random subset is unmasked: an exception then sets ES and B
    // and is reported (#MF) by the next waiting x87 instruction. In a
    // quarter of those cases a flag of an unmasked exception is already set
    // (ES pending): a waiting x87 or MMX instruction raises #MF, the
    // non-waiting FN- forms run. Otherwise some flags of masked exceptions.
    memset(s.fx, 0, sizeof s.fx);
    uint16_t fcw = static_cast<uint16_t>(0x037f & ~0x0f00) | static_cast<uint16_t>(below(16) << 8);
    uint16_t fsw = static_cast<uint16_t>((below(8) << 11) | (rng() & 0x4700));
    if (below(8) == 0) {
        fcw = static_cast<uint16_t>(fcw & ~(rng() & 0x3f));
        if (below(4) == 0 && (~fcw & 0x3f)) {
            unsigned bit;
            do bit = below(6); while (fcw >> bit & 1);
            fsw = static_cast<uint16_t>(fsw | (1u << bit));
        }
    }
    if (below(4) == 0) fsw = static_cast<uint16_t>(fsw | (rng() & fcw & 0x3f));
    if (fsw & ~fcw & 0x3f) fsw |= 0x8080;  // ES and B, as FXRSTOR computes them
    memcpy(s.fx + 0, &fcw, 2);
    memcpy(s.fx + 2, &fsw, 2);
    s.fx[4] = static_cast<uint8_t>(rng());
    memcpy(s.fx + 24, &s.mxcsr, 4);  // FXRSTOR checks it (reserved bits 0)
    // FOP (11 bits kept), FIP and FDP (canonical: what a non-canonical one
    // loads to differs between vendors).
    const uint16_t fop = static_cast<uint16_t>(rng());
    const uint64_t fip = static_cast<uint64_t>(static_cast<int64_t>(rng() << 16) >> 16);
    const uint64_t fdp = static_cast<uint64_t>(static_cast<int64_t>(rng() << 16) >> 16);
    memcpy(s.fx + 6, &fop, 2);
    memcpy(s.fx + 8, &fip, 8);
    memcpy(s.fx + 16, &fdp, 8);
    for (unsigned i = 0; i < 8; ++i) {
        uint64_t sig;
        uint16_t se;
        const uint16_t sign = below(2) ? 0x8000 : 0;
        switch (below(10)) {
            case 0: sig = 0; se = sign; break;                                       // zero
            case 1: sig = 1ull << 63; se = sign | 0x3fff; break;                      // 1.0
            case 2: sig = 1ull << 63; se = sign | 0x7fff; break;                      // infinity
            case 3: sig = 0xc000000000000000ull | (rng() >> 2); se = sign | 0x7fff; break;  // QNaN
            case 4: sig = 0x8000000000000001ull | ((rng() >> 3) & 0x3fffffffffffffffull); se = sign | 0x7fff; break;  // SNaN
            case 5: sig = rng() >> 1; se = sign; break;                              // denormal
            case 6: sig = (1ull << 63) | rng(); se = sign; break;                    // pseudo-denormal
            case 7: sig = rng() >> 1; se = static_cast<uint16_t>(sign | (1 + below(0x7ffe))); break;  // unnormal
            // Normal, |v| in [2^-66, 2^66): where the transcendentals and
            // conversions to integers do their real work.
            case 8: sig = (1ull << 63) | rng(); se = static_cast<uint16_t>(sign | (0x3fff - 66 + below(132))); break;
            default: sig = (1ull << 63) | rng(); se = static_cast<uint16_t>(sign | (1 + below(0x7ffe))); break;
        }
        memcpy(s.fx + 32 + 16 * i, &sig, 8);
        memcpy(s.fx + 40 + 16 * i, &se, 2);
    }
}

// One case in 8: a reserved MXCSR bit set (#GP on a load; never bit 17,
// AMD's MM, which AMD accepts).
void InputGen::maybe_reserved_mxcsr_bit(uint32_t& mxcsr) {
    if (below(8) == 0) {
        unsigned bit;
        do bit = 16 + below(16); while (bit == 17);
        mxcsr |= 1u << bit;
    }
}

// The legacy 512-byte region FXRSTOR and XRSTOR load: a random x87/SSE
// state made as the harness's own inputs are (fp_state) over the random
// bytes already in img, MXCSR sometimes with a reserved bit, and one case
// in 8 with ES/B disagreeing with the flags (the load recomputes them).
void InputGen::restore_image(uint8_t* img) {
    State t;
    fp_state(t);
    memcpy(img, t.fx, 5);
    memcpy(img + 6, t.fx + 6, 18);
    uint32_t mxcsr = t.mxcsr;
    maybe_reserved_mxcsr_bit(mxcsr);
    memcpy(img + 24, &mxcsr, 4);
    for (unsigned i = 0; i < 8; ++i) memcpy(img + 32 + 16 * i, t.fx + 32 + 16 * i, 10);
    for (unsigned i = 0; i < 16; ++i) memcpy(img + 160 + 16 * i, t.xmm[i], 16);
    if (below(8) == 0) img[3] ^= static_cast<uint8_t>(rng() & 0x80), img[2] ^= static_cast<uint8_t>(rng() & 0x80);
}

// Writes bytes at the explicit memory operand; only those inside the data
// pages (an operand may run into the guard page).
static void put_operand(const DecodedInsn& d, const State& in, uint8_t* data, const uint8_t* bytes, unsigned n) {
    const uint64_t lin = in.gpr[d.mem_base] + static_cast<uint64_t>(d.disp);
    for (unsigned i = 0; i < n; ++i)
        if (lin + i >= kDataLo && lin + i < kDataLo + kDataSize) data[lin + i - kDataLo] = bytes[i];
}

void InputGen::memory(const DecodedInsn& d, const State& in, uint8_t* data) {
    auto scramble = [&](uint64_t lin, unsigned n) {
        for (unsigned i = 0; i < n; i += 8) {
            const uint64_t a = lin + i;
            if (a < kDataLo || a + 8 > kDataLo + kDataSize) continue;
            const uint64_t v = value();
            memcpy(data + (a - kDataLo), &v, 8);
        }
    };
    const int mi = d.mem_operand();
    if (mi >= 0) scramble((in.gpr[d.mem_base] & ~7ull) - 8, 32);
    scramble(in.gpr[RSP] - 32, 64);
    if (d.op == Op::ENTER || d.op == Op::LEAVE) scramble(in.gpr[RBP] - 64, 80);
    if (d.op == Op::XLAT) scramble((in.gpr[RBX] & ~7ull), 264);
    // FXRSTOR's image: a random x87/SSE state as the harness's own inputs
    // are made (fp_state), random bytes where FXRSTOR ignores them (byte 5,
    // MXCSR_MASK, the six bytes after each ST(i), 416-511); sometimes with a
    // reserved MXCSR bit set (#GP; not bit 17, AMD's MM, which AMD accepts),
    // ES/B disagreeing with the flags (FXRSTOR recomputes them) or FCW's
    // reserved bits set. FXSAVE's area: random bytes, so that what it must
    // leave alone (416-511) is seen to stay. Only bytes inside the data
    // pages are written.
    if ((d.op == Op::FXRSTOR || d.op == Op::FXSAVE) && mi >= 0) {
        uint8_t img[512];
        for (auto& b : img) b = static_cast<uint8_t>(rng());
        if (d.op == Op::FXRSTOR) {
            restore_image(img);
            if (below(8) == 0) img[0] |= static_cast<uint8_t>(rng() & 0xc0), img[1] |= static_cast<uint8_t>(rng() & 0xe0);
        }
        put_operand(d, in, data, img, sizeof img);
    }
    // XSAVE/XSAVEOPT: 576 random bytes (the header's XSTATE_BV bits outside
    // RFBM must stay, and XSAVE writes no other header byte). XRSTOR: the
    // legacy region as FXRSTOR's image above (MXCSR with a reserved bit one
    // case in 8), the header valid mostly: XSTATE_BV a random subset of
    // {x87, SSE} (a component whose bit is clear is initialized), XCOMP_BV
    // and bytes 16-63 zero; one case in 16 each sets a bit of XSTATE_BV
    // beyond XCR0 (#GP), a bit of XCOMP_BV (#GP; not bit 63, which selects
    // the compacted form: the host has XSAVEC, Petrel does not offer it),
    // or a byte of 16-63 (#GP in 16-23 only, SDM 13.8.1).
    if (is_xsave(d.op) && mi >= 0) {
        uint8_t img[576];
        for (auto& b : img) b = static_cast<uint8_t>(rng());
        if (d.op == Op::XRSTOR) {
            restore_image(img);
            uint64_t bv = below(4), comp = 0;
            memset(img + 512, 0, 64);
            switch (below(16)) {
                case 0: {
                    // Beyond both XCR0s: the host checks XSTATE_BV against
                    // its own (AVX and more), Petrel against x87 | SSE.
                    unsigned bit;
                    do bit = 2 + below(62); while (host_xcr0() >> bit & 1);
                    bv |= 1ull << bit;
                    break;
                }
                case 1: comp = 1ull << below(63); break;
                case 2: img[528 + below(48)] = static_cast<uint8_t>(1 + below(255)); break;
                default: break;
            }
            memcpy(img + 512, &bv, 8);
            memcpy(img + 520, &comp, 8);
        }
        put_operand(d, in, data, img, sizeof img);
    }
    // LDMXCSR's operand: a valid MXCSR (random controls and flags), one case
    // in 8 with a reserved bit set (#GP; not bit 17, see above).
    if (d.op == Op::LDMXCSR && mi >= 0) {
        uint32_t v = static_cast<uint32_t>(rng() & 0xffff);
        maybe_reserved_mxcsr_bit(v);
        uint8_t b[4];
        memcpy(b, &v, 4);
        put_operand(d, in, data, b, 4);
    }
    // A string compare's memory operand is string B (see string_operand).
    if (is_string_compare(d.op) && mi >= 0 && below(8)) {
        const bool words = d.imm & 1;
        uint8_t b[16];
        string_operand(*this, b, words);
        string_overlap(*this, in.xmm[d.ops[0].reg], b, words);
        put_operand(d, in, data, b, 16);
    }
}

}  // namespace petrel::difftest
