// The SSE4.2 string compares PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SDM
// vol. 1 ch. 12.1 "SSE4.2 string and text processing", vol. 2 PCMPxSTRx).
// Operand 0 (an XMM register) is string A, operand 1 (XMM or an unaligned
// m128) string B. The explicit forms take their lengths from EAX (A) and
// EDX (B), or RAX/RDX with REX.W; the implicit forms end a string at its
// first zero element. imm8 picks:
//   [1:0] elements: unsigned bytes, unsigned words, signed bytes, signed words
//   [3:2] aggregation: equal any, ranges, equal each, equal ordered
//   [5:4] polarity: positive, negative, masked positive, masked negative
//   [6]   *STRI: least (0) or most (1) significant index to ECX;
//         *STRM: bit mask (0) or element mask (1) to XMM0.
// The intermediate results are bit masks with one bit per element of B
// (IntRes1 before polarity, IntRes2 after).
#include <bit>

#include "cpu/interp/flags.h"
#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

enum Aggregation : unsigned { kEqualAny = 0, kRanges = 1, kEqualEach = 2, kEqualOrdered = 3 };

struct Strings {
    XmmReg a, b;
    unsigned len_a, len_b;  // valid elements, 0..n
};

unsigned element_count(uint64_t imm) { return (imm & 1) ? 8 : 16; }

// Element i as the imm8 says: words or bytes, signed or unsigned.
int32_t element(const XmmReg& v, unsigned i, uint64_t imm) {
    switch (imm & 3) {
        case 0: return lane<uint8_t>(v, i);
        case 1: return lane<uint16_t>(v, i);
        case 2: return lane<int8_t>(v, i);
        default: return lane<int16_t>(v, i);
    }
}

// Implicit length: the index of the first zero element, or n.
unsigned implicit_length(const XmmReg& v, uint64_t imm) {
    const unsigned n = element_count(imm);
    for (unsigned i = 0; i < n; ++i)
        if (element(v, i, imm) == 0) return i;
    return n;
}

// Explicit length: the absolute value of the 32-bit (or, with REX.W,
// 64-bit) register, saturated to n. Computed on the unsigned magnitude so
// the most negative value saturates too.
unsigned explicit_length(uint64_t reg, bool wide, unsigned n) {
    const int64_t v = wide ? static_cast<int64_t>(reg) : static_cast<int64_t>(static_cast<int32_t>(reg));
    const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    return magnitude > n ? n : static_cast<unsigned>(magnitude);
}

// IntRes1. An element past its string's end is invalid; the SDM's table
// "Comparison Result for Each Element Pair BoolRes[i,j]" says what a pair
// with an invalid element counts as, per aggregation (noted at each case).
uint32_t aggregate(const Strings& s, uint64_t imm) {
    const unsigned n = element_count(imm);
    auto a = [&](unsigned i) { return element(s.a, i, imm); };
    auto b = [&](unsigned j) { return element(s.b, j, imm); };
    uint32_t res = 0;
    switch ((imm >> 2) & 3) {
        case kEqualAny:  // B[j] is one of A's characters; invalid pairs false
            for (unsigned j = 0; j < s.len_b; ++j)
                for (unsigned i = 0; i < s.len_a; ++i)
                    if (a(i) == b(j)) res |= 1u << j;
            break;
        case kRanges:  // B[j] in one of A's [lo, hi] pairs; invalid pairs false
            for (unsigned j = 0; j < s.len_b; ++j)
                for (unsigned i = 0; i + 1 < s.len_a; i += 2)
                    if (a(i) <= b(j) && b(j) <= a(i + 1)) res |= 1u << j;
            break;
        case kEqualEach:  // A[i] == B[i]; both invalid true, one invalid false
            for (unsigned i = 0; i < n; ++i) {
                const bool va = i < s.len_a, vb = i < s.len_b;
                if (va && vb ? a(i) == b(i) : !va && !vb) res |= 1u << i;
            }
            break;
        default:  // kEqualOrdered: A occurs in B at j. Past A's end a pair
                  // is true; A valid against B invalid is false; the match
                  // may run off the end of the register (a partial match).
            for (unsigned j = 0; j < n; ++j) {
                bool match = true;
                for (unsigned i = 0; i + j < n && match; ++i) {
                    if (i >= s.len_a) break;
                    match = j + i < s.len_b && a(i) == b(j + i);
                }
                if (match) res |= 1u << j;
            }
            break;
    }
    return res;
}

// IntRes2: negative polarity inverts every bit, masked negative only the
// bits of B's valid elements.
uint32_t apply_polarity(uint32_t res1, const Strings& s, uint64_t imm) {
    const unsigned n = element_count(imm);
    switch ((imm >> 4) & 3) {
        case 1: return res1 ^ ((1u << n) - 1);
        case 3: return res1 ^ ((1u << s.len_b) - 1);
        default: return res1;
    }
}

// CF: any result bit; ZF: B ends inside the register; SF: A does;
// OF: result bit 0; AF and PF cleared.
void set_string_flags(Cpu& cpu, uint32_t res2, const Strings& s, unsigned n) {
    uint64_t f = 0;
    if (res2) f |= kCF;
    if (s.len_b < n) f |= kZF;
    if (s.len_a < n) f |= kSF;
    if (res2 & 1) f |= kOF;
    set_arith_flags(cpu, f);
}

template <bool kExplicit>
Strings load_strings(Cpu& cpu, const DecodedInsn& d) {
    Strings s;
    s.b = vsrc(cpu, d, 1);
    s.a = cpu.s.xmm[d.ops[0].reg];
    const unsigned n = element_count(d.imm);
    if constexpr (kExplicit) {
        const bool wide = d.has(kPrefixRexW);
        s.len_a = explicit_length(cpu.s.gpr[RAX], wide, n);
        s.len_b = explicit_length(cpu.s.gpr[RDX], wide, n);
    } else {
        s.len_a = implicit_length(s.a, d.imm);
        s.len_b = implicit_length(s.b, d.imm);
    }
    return s;
}

// *STRI: the index of the least or most significant result bit in ECX, n
// when there is none.
template <bool kExplicit>
void op_pcmpstri(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const Strings s = load_strings<kExplicit>(cpu, d);
    const unsigned n = element_count(d.imm);
    const uint32_t res2 = apply_polarity(aggregate(s, d.imm), s, d.imm);
    unsigned index = n;
    if (res2) index = (d.imm & 0x40) ? std::bit_width(res2) - 1 : std::countr_zero(res2);
    cpu.gpr_write(RCX, 4, index);
    set_string_flags(cpu, res2, s, n);
}

// *STRM: the result in XMM0, as a bit mask or expanded to whole elements.
template <bool kExplicit>
void op_pcmpstrm(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const Strings s = load_strings<kExplicit>(cpu, d);
    const unsigned n = element_count(d.imm);
    const uint32_t res2 = apply_polarity(aggregate(s, d.imm), s, d.imm);
    XmmReg mask{};
    if (!(d.imm & 0x40)) {
        mask.q[0] = res2;
    } else {
        for (unsigned i = 0; i < n; ++i) {
            if (!((res2 >> i) & 1)) continue;
            if (n == 8) set_lane<uint16_t>(mask, i, 0xffff);
            else set_lane<uint8_t>(mask, i, 0xff);
        }
    }
    cpu.s.xmm[0] = mask;
    set_string_flags(cpu, res2, s, n);
}

}  // namespace

void register_sse_string(HandlerTable& t) {
    t.set(Op::PCMPESTRI, op_pcmpstri<true>);
    t.set(Op::PCMPESTRM, op_pcmpstrm<true>);
    t.set(Op::PCMPISTRI, op_pcmpstri<false>);
    t.set(Op::PCMPISTRM, op_pcmpstrm<false>);
}

}  // namespace petrel
