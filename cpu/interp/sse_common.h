// What every MMX/SSE handler shares: lane access to a 128-bit vector, the
// availability checks (CR0.EM/TS, CR4.OSFXSR, pending x87 exceptions for
// MMX), the legacy-SSE alignment rule, the MMX state transition, and the
// lane-wise skeletons most integer instructions are one lambda away from.
//
// The MMX and SSE forms of one mnemonic share an Op id: operand 0's kind
// (Mmx or Xmm) tells which, and the vector width follows (8 or 16 bytes).
// An MMX value lives in the low 8 bytes of an XmmReg with the rest zero.
#pragma once
#include <cstring>
#include <limits>
#include <type_traits>

#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"
#include "cpu/interp/x87_stack.h"

namespace petrel {

// ---- lanes

template <class T>
inline T lane(const XmmReg& v, unsigned i) {
    T t;
    memcpy(&t, reinterpret_cast<const uint8_t*>(v.q) + i * sizeof(T), sizeof(T));
    return t;
}
template <class T>
inline void set_lane(XmmReg& v, unsigned i, T t) {
    memcpy(reinterpret_cast<uint8_t*>(v.q) + i * sizeof(T), &t, sizeof(T));
}

// ---- availability

// SSE forms: CR0.EM or CR4.OSFXSR clear is #UD, CR0.TS #NM.
inline void sse_available(Cpu& cpu) {
    if ((cpu.s.cr0 & kCR0_EM) || !(cpu.s.cr4 & kCR4_OSFXSR)) cpu.raise(kVecUD);
    if (cpu.s.cr0 & kCR0_TS) cpu.raise(kVecNM);
}

// The MMX state transition: TOP = 0, every tag valid. As the host CPU
// does, it is made once the instruction's memory accesses succeeded (a
// faulting MMX load or store leaves the x87 state alone), except for
// MASKMOVQ.
inline void mmx_transition(Cpu& cpu) {
    cpu.s.x87.fsw &= static_cast<uint16_t>(~kFswTop);
    cpu.s.x87.ftw = 0;
}

// MMX forms: CR0.EM is #UD, CR0.TS #NM, and like a waiting x87
// instruction an unmasked x87 exception still pending is reported first.
inline void mmx_available(Cpu& cpu) {
    if (cpu.s.cr0 & kCR0_EM) cpu.raise(kVecUD);
    if (cpu.s.cr0 & kCR0_TS) cpu.raise(kVecNM);
    x87_check_pending(cpu);
}

inline bool is_mmx(const DecodedInsn& d) { return d.ops[0].kind == OpKind::Mmx; }

// Checks for an instruction that exists as MMX (operand 0 an MMX register)
// and SSE forms; returns whether it is the MMX form.
inline bool simd_available(Cpu& cpu, const DecodedInsn& d) {
    if (is_mmx(d)) {
        mmx_available(cpu);
        return true;
    }
    sse_available(cpu);
    return false;
}

// Legacy SSE: a 16-byte memory operand must be 16-byte aligned except for
// the explicitly unaligned forms (and the SSE4.2 string compares).
inline bool sse_requires_alignment(Op op) {
    switch (op) {
        case Op::MOVUPS: case Op::MOVUPD: case Op::MOVDQU: case Op::LDDQU:
        case Op::PCMPESTRI: case Op::PCMPESTRM: case Op::PCMPISTRI: case Op::PCMPISTRM:
            return false;
        default:
            return true;
    }
}

// Operand access with the alignment rule of the form. MMX forms have none.
inline XmmReg vsrc(Cpu& cpu, const DecodedInsn& d, int i) {
    return read_vec(cpu, d, i, sse_requires_alignment(d.op));
}
inline void vdst(Cpu& cpu, const DecodedInsn& d, int i, const XmmReg& v) {
    write_vec(cpu, d, i, v, sse_requires_alignment(d.op));
}

// ---- lane-wise skeletons: dst = f(dst, src) per lane of T

template <class T, class F>
inline void simd_binary(Cpu& cpu, const DecodedInsn& d, F f) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    const XmmReg a = mmx ? XmmReg{{mmx_read(cpu, d.ops[0].reg), 0}} : cpu.s.xmm[d.ops[0].reg];
    XmmReg r{};
    const unsigned n = (mmx ? 8 : 16) / sizeof(T);
    for (unsigned i = 0; i < n; ++i) set_lane<T>(r, i, static_cast<T>(f(lane<T>(a, i), lane<T>(b, i))));
    vdst(cpu, d, 0, r);
}

// dst = f(src) per lane.
template <class T, class F>
inline void simd_unary(Cpu& cpu, const DecodedInsn& d, F f) {
    const bool mmx = simd_available(cpu, d);
    const XmmReg b = vsrc(cpu, d, 1);
    if (mmx) mmx_transition(cpu);
    XmmReg r{};
    const unsigned n = (mmx ? 8 : 16) / sizeof(T);
    for (unsigned i = 0; i < n; ++i) set_lane<T>(r, i, static_cast<T>(f(lane<T>(b, i))));
    vdst(cpu, d, 0, r);
}

// Saturation of a wider intermediate to lane type T.
template <class T, class W>
inline T saturate(W v) {
    if (v < static_cast<W>(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
    if (v > static_cast<W>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
}

// Registration per family (sse.cpp calls them all).
void register_sse_moves(HandlerTable& t);
void register_sse_int_arith(HandlerTable& t);
void register_sse_compare(HandlerTable& t);
void register_sse_shuffle(HandlerTable& t);
void register_sse_control(HandlerTable& t);
void register_sse_float(HandlerTable& t);
void register_sse_convert(HandlerTable& t);
void register_sse_string(HandlerTable& t);  // SSE4.2 string compares
void register_sse_aes(HandlerTable& t);
void register_sse_clmul(HandlerTable& t);
void register_mmx(HandlerTable& t);

}  // namespace petrel
