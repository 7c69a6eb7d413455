// MMX/SSE rearrangements: unpacks (integer and PS/PD), packs with
// saturation, shuffles by immediate or by byte index (PSHUFB), PALIGNR,
// blends (by immediate and by XMM0), sign/zero extension (PMOVSX/PMOVZX),
// and the lane inserts/extracts (PINSR*/PEXTR*, INSERTPS/EXTRACTPS).
#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

XmmReg dst_value(Cpu& cpu, const DecodedInsn& d, bool mmx) {
    return mmx ? XmmReg{{mmx_read(cpu, d.ops[0].reg), 0}} : cpu.s.xmm[d.ops[0].reg];
}

// ---- unpack: interleave the low (kHigh = 0) or high halves.
template <class T, bool kHigh>
void op_unpack(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    const XmmReg a = dst_value(cpu, d, mmx);
    const unsigned n = (mmx ? 8 : 16) / sizeof(T), base = kHigh ? n / 2 : 0;
    XmmReg r{};
    for (unsigned i = 0; i < n / 2; ++i) {
        set_lane<T>(r, 2 * i, lane<T>(a, base + i));
        set_lane<T>(r, 2 * i + 1, lane<T>(b, base + i));
    }
    vdst(cpu, d, 0, r);
}

// ---- pack: the destination's lanes then the source's, saturated to To.
template <class From, class To>
void op_pack(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    const XmmReg a = dst_value(cpu, d, mmx);
    const unsigned n = (mmx ? 8 : 16) / sizeof(From);
    XmmReg r{};
    for (unsigned i = 0; i < n; ++i) {
        set_lane<To>(r, i, saturate<To>(int64_t{lane<From>(a, i)}));
        set_lane<To>(r, n + i, saturate<To>(int64_t{lane<From>(b, i)}));
    }
    vdst(cpu, d, 0, r);
}

// ---- shuffles by immediate

// PSHUFW (MMX) / PSHUFD: each lane picks a source lane by a 2-bit field.
template <class T>
void op_pshuf(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    XmmReg r{};
    for (unsigned i = 0; i < 4; ++i) set_lane<T>(r, i, lane<T>(b, (d.imm >> (2 * i)) & 3));
    vdst(cpu, d, 0, r);
}

// PSHUFLW (kHigh = 0) / PSHUFHW: shuffles one half's words, copies the other.
template <unsigned kHigh>
void op_pshuf_half(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    XmmReg r = b;
    for (unsigned i = 0; i < 4; ++i)
        set_lane<uint16_t>(r, 4 * kHigh + i, lane<uint16_t>(b, 4 * kHigh + ((d.imm >> (2 * i)) & 3)));
    cpu.s.xmm[d.ops[0].reg] = r;
}

void op_shufps(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    XmmReg r{};
    set_lane<uint32_t>(r, 0, lane<uint32_t>(a, d.imm & 3));
    set_lane<uint32_t>(r, 1, lane<uint32_t>(a, (d.imm >> 2) & 3));
    set_lane<uint32_t>(r, 2, lane<uint32_t>(b, (d.imm >> 4) & 3));
    set_lane<uint32_t>(r, 3, lane<uint32_t>(b, (d.imm >> 6) & 3));
    cpu.s.xmm[d.ops[0].reg] = r;
}

void op_shufpd(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    cpu.s.xmm[d.ops[0].reg] = XmmReg{{a.q[d.imm & 1], b.q[(d.imm >> 1) & 1]}};
}

// PSHUFB: each byte picks a destination byte by the source's index, or is
// zeroed when the index byte's top bit is set.
void op_pshufb(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    const XmmReg a = dst_value(cpu, d, mmx);
    const unsigned n = mmx ? 8 : 16;
    XmmReg r{};
    for (unsigned i = 0; i < n; ++i) {
        const uint8_t idx = lane<uint8_t>(b, i);
        if (!(idx & 0x80)) set_lane<uint8_t>(r, i, lane<uint8_t>(a, idx & (n - 1)));
    }
    vdst(cpu, d, 0, r);
}

// PALIGNR: the concatenation destination:source shifted right by imm bytes.
void op_palignr(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    const XmmReg a = dst_value(cpu, d, mmx);
    const unsigned n = mmx ? 8 : 16, shift = static_cast<unsigned>(d.imm & 0xff);
    XmmReg r{};
    for (unsigned i = 0; i < n; ++i) {
        const unsigned k = i + shift;  // byte of the 2n-byte concatenation
        if (k < n) set_lane<uint8_t>(r, i, lane<uint8_t>(b, k));
        else if (k < 2 * n) set_lane<uint8_t>(r, i, lane<uint8_t>(a, k - n));
    }
    vdst(cpu, d, 0, r);
}

// ---- blends: lanes of T from the source where the selector says so.
template <class T>
void op_blend_imm(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    XmmReg r = cpu.s.xmm[d.ops[0].reg];
    for (unsigned i = 0; i < 16 / sizeof(T); ++i)
        if ((d.imm >> i) & 1) set_lane<T>(r, i, lane<T>(b, i));
    cpu.s.xmm[d.ops[0].reg] = r;
}

template <class T>
void op_blend_var(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg mask = cpu.s.xmm[0];
    XmmReg r = cpu.s.xmm[d.ops[0].reg];
    for (unsigned i = 0; i < 16 / sizeof(T); ++i)
        if (lane<T>(mask, i) >> (8 * sizeof(T) - 1)) set_lane<T>(r, i, lane<T>(b, i));
    cpu.s.xmm[d.ops[0].reg] = r;
}

// ---- PMOVSX / PMOVZX: the low lanes of From widened to To.
template <class From, class To>
void op_pmov_extend(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = read_vec(cpu, d, 1, false);  // memory forms read only what they widen
    XmmReg r{};
    for (unsigned i = 0; i < 16 / sizeof(To); ++i) set_lane<To>(r, i, static_cast<To>(lane<From>(b, i)));
    cpu.s.xmm[d.ops[0].reg] = r;
}

// ---- extracts and inserts

// PEXTRB/W/D/Q and EXTRACTPS: lane imm (modulo the lane count) to a
// general register (zero-extended) or memory (the lane's width).
template <class T>
void op_extract(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = d.ops[1].kind == OpKind::Mmx;
    if (mmx) mmx_available(cpu);
    else sse_available(cpu);
    const XmmReg v = read_vec(cpu, d, 1, false);
    if (mmx) mmx_transition(cpu);
    const unsigned n = (mmx ? 8 : 16) / sizeof(T);
    const XmmReg r{{static_cast<uint64_t>(lane<T>(v, static_cast<unsigned>(d.imm) & (n - 1))), 0}};
    write_vec(cpu, d, 0, r, false);
}

// PINSRB/W/D/Q: the low T of a general register or memory into lane imm.
template <class T>
void op_insert(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg v = read_vec(cpu, d, 1, false);
    if (mmx) mmx_transition(cpu);
    XmmReg r = dst_value(cpu, d, mmx);
    const unsigned n = (mmx ? 8 : 16) / sizeof(T);
    set_lane<T>(r, static_cast<unsigned>(d.imm) & (n - 1), lane<T>(v, 0));
    vdst(cpu, d, 0, r);
}

// INSERTPS: a single (source lane imm[7:6], or the memory dword) into lane
// imm[5:4], then the lanes named by imm[3:0] zeroed.
void op_insertps(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg v = read_vec(cpu, d, 1, false);
    const unsigned from = d.ops[1].kind == OpKind::Mem ? 0 : (d.imm >> 6) & 3;
    XmmReg r = cpu.s.xmm[d.ops[0].reg];
    set_lane<uint32_t>(r, (d.imm >> 4) & 3, lane<uint32_t>(v, from));
    for (unsigned i = 0; i < 4; ++i)
        if ((d.imm >> i) & 1) set_lane<uint32_t>(r, i, 0);
    cpu.s.xmm[d.ops[0].reg] = r;
}

}  // namespace

void register_sse_shuffle(HandlerTable& t) {
    t.set(Op::PUNPCKLBW, op_unpack<uint8_t, false>);
    t.set(Op::PUNPCKLWD, op_unpack<uint16_t, false>);
    t.set(Op::PUNPCKLDQ, op_unpack<uint32_t, false>);
    t.set(Op::PUNPCKLQDQ, op_unpack<uint64_t, false>);
    t.set(Op::PUNPCKHBW, op_unpack<uint8_t, true>);
    t.set(Op::PUNPCKHWD, op_unpack<uint16_t, true>);
    t.set(Op::PUNPCKHDQ, op_unpack<uint32_t, true>);
    t.set(Op::PUNPCKHQDQ, op_unpack<uint64_t, true>);
    t.set(Op::UNPCKLPS, op_unpack<uint32_t, false>);
    t.set(Op::UNPCKLPD, op_unpack<uint64_t, false>);
    t.set(Op::UNPCKHPS, op_unpack<uint32_t, true>);
    t.set(Op::UNPCKHPD, op_unpack<uint64_t, true>);

    t.set(Op::PACKSSWB, op_pack<int16_t, int8_t>);
    t.set(Op::PACKSSDW, op_pack<int32_t, int16_t>);
    t.set(Op::PACKUSWB, op_pack<int16_t, uint8_t>);
    t.set(Op::PACKUSDW, op_pack<int32_t, uint16_t>);

    t.set(Op::PSHUFW, op_pshuf<uint16_t>);
    t.set(Op::PSHUFD, op_pshuf<uint32_t>);
    t.set(Op::PSHUFLW, op_pshuf_half<0>);
    t.set(Op::PSHUFHW, op_pshuf_half<1>);
    t.set(Op::SHUFPS, op_shufps);
    t.set(Op::SHUFPD, op_shufpd);
    t.set(Op::PSHUFB, op_pshufb);
    t.set(Op::PALIGNR, op_palignr);

    t.set(Op::PBLENDW, op_blend_imm<uint16_t>);
    t.set(Op::BLENDPS, op_blend_imm<uint32_t>);
    t.set(Op::BLENDPD, op_blend_imm<uint64_t>);
    t.set(Op::PBLENDVB, op_blend_var<uint8_t>);
    t.set(Op::BLENDVPS, op_blend_var<uint32_t>);
    t.set(Op::BLENDVPD, op_blend_var<uint64_t>);

    t.set(Op::PMOVSXBW, op_pmov_extend<int8_t, int16_t>);
    t.set(Op::PMOVSXBD, op_pmov_extend<int8_t, int32_t>);
    t.set(Op::PMOVSXBQ, op_pmov_extend<int8_t, int64_t>);
    t.set(Op::PMOVSXWD, op_pmov_extend<int16_t, int32_t>);
    t.set(Op::PMOVSXWQ, op_pmov_extend<int16_t, int64_t>);
    t.set(Op::PMOVSXDQ, op_pmov_extend<int32_t, int64_t>);
    t.set(Op::PMOVZXBW, op_pmov_extend<uint8_t, uint16_t>);
    t.set(Op::PMOVZXBD, op_pmov_extend<uint8_t, uint32_t>);
    t.set(Op::PMOVZXBQ, op_pmov_extend<uint8_t, uint64_t>);
    t.set(Op::PMOVZXWD, op_pmov_extend<uint16_t, uint32_t>);
    t.set(Op::PMOVZXWQ, op_pmov_extend<uint16_t, uint64_t>);
    t.set(Op::PMOVZXDQ, op_pmov_extend<uint32_t, uint64_t>);

    t.set(Op::PEXTRB, op_extract<uint8_t>);
    t.set(Op::PEXTRW, op_extract<uint16_t>);
    t.set(Op::PEXTRD, op_extract<uint32_t>);
    t.set(Op::PEXTRQ, op_extract<uint64_t>);
    t.set(Op::EXTRACTPS, op_extract<uint32_t>);
    t.set(Op::PINSRB, op_insert<uint8_t>);
    t.set(Op::PINSRW, op_insert<uint16_t>);
    t.set(Op::PINSRD, op_insert<uint32_t>);
    t.set(Op::PINSRQ, op_insert<uint64_t>);
    t.set(Op::INSERTPS, op_insertps);
}

}  // namespace petrel
