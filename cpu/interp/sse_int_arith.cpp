// MMX/SSE2/SSSE3/SSE4.1 integer arithmetic: wrapping and saturating
// add/subtract, multiplies, averages, minimum/maximum, absolute value and
// sign, sums of absolute differences, horizontal add/subtract, bitwise
// logic (the PS/PD logic forms too: they are bit operations), and the
// element-wise shifts. Each is one lambda over a lane type; simd_binary
// supplies the MMX/XMM width, operands and the MMX transition.
#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

template <class T>
using Wide = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;

// ---- add / subtract

template <class T>
void op_add(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return static_cast<T>(a + b); });
}
template <class T>
void op_sub(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return static_cast<T>(a - b); });
}
template <class T>
void op_adds(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return saturate<T>(int64_t{a} + int64_t{b}); });
}
template <class T>
void op_subs(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return saturate<T>(int64_t{a} - int64_t{b}); });
}

// ---- multiply

void op_pmullw(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<int16_t>(cpu, d, [](int16_t a, int16_t b) { return static_cast<int16_t>(int32_t{a} * b); });
}
void op_pmulhw(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<int16_t>(cpu, d, [](int16_t a, int16_t b) { return static_cast<int16_t>((int32_t{a} * b) >> 16); });
}
void op_pmulhuw(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<uint16_t>(cpu, d,
                          [](uint16_t a, uint16_t b) { return static_cast<uint16_t>((uint32_t{a} * b) >> 16); });
}
void op_pmulld(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<uint32_t>(cpu, d, [](uint32_t a, uint32_t b) { return static_cast<uint32_t>(uint64_t{a} * b); });
}
void op_pmuludq(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<uint64_t>(cpu, d, [](uint64_t a, uint64_t b) { return (a & 0xffffffff) * (b & 0xffffffff); });
}
void op_pmuldq(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<uint64_t>(cpu, d, [](uint64_t a, uint64_t b) {
        return static_cast<uint64_t>(int64_t{static_cast<int32_t>(a)} * static_cast<int32_t>(b));
    });
}
void op_pmulhrsw(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<int16_t>(cpu, d, [](int16_t a, int16_t b) {
        return static_cast<int16_t>((((int32_t{a} * b) >> 14) + 1) >> 1);
    });
}

// Pairwise forms: each result lane of R combines two adjacent lanes of T.
template <class T, class R, class F>
void simd_pairwise(Cpu& cpu, const DecodedInsn& d, F f) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    const XmmReg a = mmx ? XmmReg{{mmx_read(cpu, d.ops[0].reg), 0}} : cpu.s.xmm[d.ops[0].reg];
    XmmReg r{};
    const unsigned n = (mmx ? 8 : 16) / sizeof(R);
    for (unsigned i = 0; i < n; ++i)
        set_lane<R>(r, i, f(lane<T>(a, 2 * i), lane<T>(b, 2 * i), lane<T>(a, 2 * i + 1), lane<T>(b, 2 * i + 1)));
    vdst(cpu, d, 0, r);
}

void op_pmaddwd(Cpu& cpu, const DecodedInsn& d) {
    simd_pairwise<int16_t, uint32_t>(cpu, d, [](int16_t a0, int16_t b0, int16_t a1, int16_t b1) {
        return static_cast<uint32_t>(int32_t{a0} * b0) + static_cast<uint32_t>(int32_t{a1} * b1);
    });
}
// Unsigned bytes of the destination times signed bytes of the source.
void op_pmaddubsw(Cpu& cpu, const DecodedInsn& d) {
    simd_pairwise<uint8_t, int16_t>(cpu, d, [](uint8_t a0, uint8_t b0, uint8_t a1, uint8_t b1) {
        return saturate<int16_t>(int32_t{a0} * static_cast<int8_t>(b0) + int32_t{a1} * static_cast<int8_t>(b1));
    });
}

// ---- average, min/max, abs, sign

template <class T>
void op_pavg(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return static_cast<T>((uint32_t{a} + b + 1) >> 1); });
}
template <class T>
void op_min(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return b < a ? b : a; });
}
template <class T>
void op_max(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<T>(cpu, d, [](T a, T b) { return b > a ? b : a; });
}
template <class T>
void op_pabs(Cpu& cpu, const DecodedInsn& d) {
    using U = std::make_unsigned_t<T>;
    simd_unary<T>(cpu, d, [](T a) { return static_cast<T>(a < 0 ? U(0) - static_cast<U>(a) : static_cast<U>(a)); });
}
template <class T>
void op_psign(Cpu& cpu, const DecodedInsn& d) {
    using U = std::make_unsigned_t<T>;
    simd_binary<T>(cpu, d, [](T a, T b) {
        if (b < 0) return static_cast<T>(U(0) - static_cast<U>(a));
        return b == 0 ? T(0) : a;
    });
}

// PSADBW: per 8 bytes, the sum of absolute differences in the low word.
void op_psadbw(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<uint64_t>(cpu, d, [](uint64_t a, uint64_t b) {
        uint64_t sum = 0;
        for (unsigned i = 0; i < 64; i += 8) {
            const int x = static_cast<int>((a >> i) & 0xff), y = static_cast<int>((b >> i) & 0xff);
            sum += static_cast<uint64_t>(x > y ? x - y : y - x);
        }
        return sum;
    });
}

// MPSADBW: eight 4-byte sums of absolute differences, the destination
// window sliding from imm[2]*4, the source block at imm[1:0]*4.
void op_mpsadbw(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    const unsigned ao = ((d.imm >> 2) & 1) * 4, bo = (d.imm & 3) * 4;
    XmmReg r{};
    for (unsigned i = 0; i < 8; ++i) {
        unsigned sum = 0;
        for (unsigned j = 0; j < 4; ++j) {
            const int x = lane<uint8_t>(a, ao + i + j), y = lane<uint8_t>(b, bo + j);
            sum += static_cast<unsigned>(x > y ? x - y : y - x);
        }
        set_lane<uint16_t>(r, i, static_cast<uint16_t>(sum));
    }
    cpu.s.xmm[d.ops[0].reg] = r;
}

// PHMINPOSUW: the smallest unsigned word and its (lowest) index.
void op_phminposuw(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg b = vsrc(cpu, d, 1);
    unsigned best = 0;
    for (unsigned i = 1; i < 8; ++i)
        if (lane<uint16_t>(b, i) < lane<uint16_t>(b, best)) best = i;
    XmmReg r{};
    set_lane<uint16_t>(r, 0, lane<uint16_t>(b, best));
    set_lane<uint16_t>(r, 1, static_cast<uint16_t>(best));
    cpu.s.xmm[d.ops[0].reg] = r;
}

// ---- horizontal add/subtract: the low half of the result from the
// destination's adjacent pairs, the high half from the source's.
template <class T, class F>
void simd_horizontal(Cpu& cpu, const DecodedInsn& d, F f) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    const XmmReg a = mmx ? XmmReg{{mmx_read(cpu, d.ops[0].reg), 0}} : cpu.s.xmm[d.ops[0].reg];
    const unsigned n = (mmx ? 8 : 16) / sizeof(T), half = n / 2;
    XmmReg r{};
    for (unsigned i = 0; i < half; ++i) {
        set_lane<T>(r, i, f(lane<T>(a, 2 * i), lane<T>(a, 2 * i + 1)));
        set_lane<T>(r, half + i, f(lane<T>(b, 2 * i), lane<T>(b, 2 * i + 1)));
    }
    vdst(cpu, d, 0, r);
}

template <class T>
void op_phadd(Cpu& cpu, const DecodedInsn& d) {
    simd_horizontal<T>(cpu, d, [](T x, T y) { return static_cast<T>(x + y); });
}
template <class T>
void op_phsub(Cpu& cpu, const DecodedInsn& d) {
    simd_horizontal<T>(cpu, d, [](T x, T y) { return static_cast<T>(x - y); });
}
void op_phaddsw(Cpu& cpu, const DecodedInsn& d) {
    simd_horizontal<int16_t>(cpu, d, [](int16_t x, int16_t y) { return saturate<int16_t>(int32_t{x} + y); });
}
void op_phsubsw(Cpu& cpu, const DecodedInsn& d) {
    simd_horizontal<int16_t>(cpu, d, [](int16_t x, int16_t y) { return saturate<int16_t>(int32_t{x} - y); });
}

// ---- logic (integer and floating-point forms alike)

enum class Logic { And, AndNot, Or, Xor };
template <Logic kOp>
void op_logic(Cpu& cpu, const DecodedInsn& d) {
    simd_binary<uint64_t>(cpu, d, [](uint64_t a, uint64_t b) {
        if constexpr (kOp == Logic::And) return a & b;
        else if constexpr (kOp == Logic::AndNot) return ~a & b;
        else if constexpr (kOp == Logic::Or) return a | b;
        else return a ^ b;
    });
}

// ---- shifts by a count (an immediate, or the low quadword of the source)

enum class Shift { Left, Right, Arith };
template <class T, Shift kOp>
void op_shift(Cpu& cpu, const DecodedInsn& d) {
    const bool mmx = simd_available(cpu, d);
    const uint64_t count = d.ops[1].kind == OpKind::Imm ? d.imm & 0xff : vsrc(cpu, d, 1).q[0];
    if (mmx) mmx_transition(cpu);
    const XmmReg a = mmx ? XmmReg{{mmx_read(cpu, d.ops[0].reg), 0}} : cpu.s.xmm[d.ops[0].reg];
    constexpr unsigned kBits = 8 * sizeof(T);
    using S = std::make_signed_t<T>;
    XmmReg r{};
    const unsigned n = (mmx ? 8 : 16) / sizeof(T);
    for (unsigned i = 0; i < n; ++i) {
        const T v = lane<T>(a, i);
        T out;
        if constexpr (kOp == Shift::Arith) {
            const unsigned c = count > kBits - 1 ? kBits - 1 : static_cast<unsigned>(count);
            out = static_cast<T>(static_cast<S>(v) >> c);
        } else if (count > kBits - 1) {
            out = 0;
        } else if constexpr (kOp == Shift::Left) {
            out = static_cast<T>(v << count);
        } else {
            out = static_cast<T>(v >> count);
        }
        set_lane<T>(r, i, out);
    }
    vdst(cpu, d, 0, r);
}

// PSLLDQ / PSRLDQ: the whole register by bytes.
template <bool kLeft>
void op_shift_bytes(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const unsigned count = static_cast<unsigned>(d.imm & 0xff);
    const XmmReg a = cpu.s.xmm[d.ops[0].reg];
    XmmReg r{};
    for (unsigned i = 0; i < 16; ++i) {
        const int from = kLeft ? static_cast<int>(i) - static_cast<int>(count) : static_cast<int>(i + count);
        if (from >= 0 && from < 16) set_lane<uint8_t>(r, i, lane<uint8_t>(a, static_cast<unsigned>(from)));
    }
    cpu.s.xmm[d.ops[0].reg] = r;
}

}  // namespace

void register_sse_int_arith(HandlerTable& t) {
    t.set(Op::PADDB, op_add<uint8_t>);
    t.set(Op::PADDW, op_add<uint16_t>);
    t.set(Op::PADDD, op_add<uint32_t>);
    t.set(Op::PADDQ, op_add<uint64_t>);
    t.set(Op::PSUBB, op_sub<uint8_t>);
    t.set(Op::PSUBW, op_sub<uint16_t>);
    t.set(Op::PSUBD, op_sub<uint32_t>);
    t.set(Op::PSUBQ, op_sub<uint64_t>);
    t.set(Op::PADDSB, op_adds<int8_t>);
    t.set(Op::PADDSW, op_adds<int16_t>);
    t.set(Op::PADDUSB, op_adds<uint8_t>);
    t.set(Op::PADDUSW, op_adds<uint16_t>);
    t.set(Op::PSUBSB, op_subs<int8_t>);
    t.set(Op::PSUBSW, op_subs<int16_t>);
    t.set(Op::PSUBUSB, op_subs<uint8_t>);
    t.set(Op::PSUBUSW, op_subs<uint16_t>);

    t.set(Op::PMULLW, op_pmullw);
    t.set(Op::PMULHW, op_pmulhw);
    t.set(Op::PMULHUW, op_pmulhuw);
    t.set(Op::PMULLD, op_pmulld);
    t.set(Op::PMULUDQ, op_pmuludq);
    t.set(Op::PMULDQ, op_pmuldq);
    t.set(Op::PMULHRSW, op_pmulhrsw);
    t.set(Op::PMADDWD, op_pmaddwd);
    t.set(Op::PMADDUBSW, op_pmaddubsw);

    t.set(Op::PAVGB, op_pavg<uint8_t>);
    t.set(Op::PAVGW, op_pavg<uint16_t>);
    t.set(Op::PMINUB, op_min<uint8_t>);
    t.set(Op::PMINUW, op_min<uint16_t>);
    t.set(Op::PMINUD, op_min<uint32_t>);
    t.set(Op::PMINSB, op_min<int8_t>);
    t.set(Op::PMINSW, op_min<int16_t>);
    t.set(Op::PMINSD, op_min<int32_t>);
    t.set(Op::PMAXUB, op_max<uint8_t>);
    t.set(Op::PMAXUW, op_max<uint16_t>);
    t.set(Op::PMAXUD, op_max<uint32_t>);
    t.set(Op::PMAXSB, op_max<int8_t>);
    t.set(Op::PMAXSW, op_max<int16_t>);
    t.set(Op::PMAXSD, op_max<int32_t>);
    t.set(Op::PABSB, op_pabs<int8_t>);
    t.set(Op::PABSW, op_pabs<int16_t>);
    t.set(Op::PABSD, op_pabs<int32_t>);
    t.set(Op::PSIGNB, op_psign<int8_t>);
    t.set(Op::PSIGNW, op_psign<int16_t>);
    t.set(Op::PSIGND, op_psign<int32_t>);
    t.set(Op::PSADBW, op_psadbw);
    t.set(Op::MPSADBW, op_mpsadbw);
    t.set(Op::PHMINPOSUW, op_phminposuw);

    t.set(Op::PHADDW, op_phadd<uint16_t>);
    t.set(Op::PHADDD, op_phadd<uint32_t>);
    t.set(Op::PHSUBW, op_phsub<uint16_t>);
    t.set(Op::PHSUBD, op_phsub<uint32_t>);
    t.set(Op::PHADDSW, op_phaddsw);
    t.set(Op::PHSUBSW, op_phsubsw);

    for (Op op : {Op::PAND, Op::ANDPS, Op::ANDPD}) t.set(op, op_logic<Logic::And>);
    for (Op op : {Op::PANDN, Op::ANDNPS, Op::ANDNPD}) t.set(op, op_logic<Logic::AndNot>);
    for (Op op : {Op::POR, Op::ORPS, Op::ORPD}) t.set(op, op_logic<Logic::Or>);
    for (Op op : {Op::PXOR, Op::XORPS, Op::XORPD}) t.set(op, op_logic<Logic::Xor>);

    t.set(Op::PSLLW, op_shift<uint16_t, Shift::Left>);
    t.set(Op::PSLLD, op_shift<uint32_t, Shift::Left>);
    t.set(Op::PSLLQ, op_shift<uint64_t, Shift::Left>);
    t.set(Op::PSRLW, op_shift<uint16_t, Shift::Right>);
    t.set(Op::PSRLD, op_shift<uint32_t, Shift::Right>);
    t.set(Op::PSRLQ, op_shift<uint64_t, Shift::Right>);
    t.set(Op::PSRAW, op_shift<uint16_t, Shift::Arith>);
    t.set(Op::PSRAD, op_shift<uint32_t, Shift::Arith>);
    t.set(Op::PSLLDQ, op_shift_bytes<true>);
    t.set(Op::PSRLDQ, op_shift_bytes<false>);
}

}  // namespace petrel
