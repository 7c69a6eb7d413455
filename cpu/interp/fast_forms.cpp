// Specialised handlers for the commonest integer forms, chosen once when a
// block is decoded (BlockCache), all with 32/64-bit operands: MOV and the ALU
// ops between registers and immediates, MOV between a register and memory
// and of an immediate to memory, ALU ops with a memory source (and CMP/TEST
// of memory), MOVZX/MOVSX of bytes and words, INC/DEC, LEA, IMUL with two
// and three operands, shifts and rotates of a register, CMOVcc. Near
// branches and PUSH/POP are in fast_control.cpp.
// Each does exactly what the generic handler does for that form (same
// faults, same lazy-flag record) without the per-access switch on operand
// kinds and sizes of cpu/interp/operands.h.
#include "cpu/block_cache.h"
#include "cpu/interp/flags.h"
#include "cpu/interp/operands.h"
#include "cpu/interp/shift_core.h"

namespace petrel {

namespace {

template <unsigned S>
constexpr uint64_t kMask = S == 8 ? ~0ull : 0xffffffffull;

template <unsigned S>
inline void set_reg(Cpu& c, uint8_t r, uint64_t v) {
    c.s.gpr[r] = v & kMask<S>;  // 32-bit writes zero-extend
}

template <unsigned S>
void mov_rr(Cpu& c, const DecodedInsn& d) { set_reg<S>(c, d.ops[0].reg, c.s.gpr[d.ops[1].reg]); }
template <unsigned S>
void mov_ri(Cpu& c, const DecodedInsn& d) { set_reg<S>(c, d.ops[0].reg, d.imm); }
template <unsigned S>
void mov_rm(Cpu& c, const DecodedInsn& d) {
    set_reg<S>(c, d.ops[0].reg, c.read_mem(d.mem_seg, effective_address(c, d), S));
}
template <unsigned S>
void mov_mr(Cpu& c, const DecodedInsn& d) {
    c.write_mem(d.mem_seg, effective_address(c, d), S, c.s.gpr[d.ops[1].reg] & kMask<S>);
}

// MOVZX/MOVSX from memory (S = 1 or 2 bytes) into a 32/64-bit register.
template <unsigned D, unsigned S, bool kSigned>
void movx_rm(Cpu& c, const DecodedInsn& d) {
    uint64_t v = c.read_mem(d.mem_seg, effective_address(c, d), S);
    if constexpr (kSigned) v = static_cast<uint64_t>(sign_extend(v, S));
    set_reg<D>(c, d.ops[0].reg, v);
}
// ... and from a register (gpr_read handles AH-BH).
template <unsigned D, unsigned S, bool kSigned>
void movx_rr(Cpu& c, const DecodedInsn& d) {
    uint64_t v = c.gpr_read(d.ops[1].reg, S);
    if constexpr (kSigned) v = static_cast<uint64_t>(sign_extend(v, S));
    set_reg<D>(c, d.ops[0].reg, v);
}

template <bool kSigned>
Handler movx_for(unsigned dsize, const Operand& src) {
    const bool mem = src.kind == OpKind::Mem;
    if (src.size == 1) {
        if (dsize == 8) return mem ? movx_rm<8, 1, kSigned> : movx_rr<8, 1, kSigned>;
        return mem ? movx_rm<4, 1, kSigned> : movx_rr<4, 1, kSigned>;
    }
    if (dsize == 8) return mem ? movx_rm<8, 2, kSigned> : movx_rr<8, 2, kSigned>;
    return mem ? movx_rm<4, 2, kSigned> : movx_rr<4, 2, kSigned>;
}

// INC/DEC of a 32/64-bit register: CF is kept in the lazy record's src2.
template <unsigned S, bool kInc>
void incdec_r(Cpu& c, const DecodedInsn& d) {
    constexpr uint64_t m = kMask<S>;
    const bool cf = c.cf();
    const uint64_t a = c.s.gpr[d.ops[0].reg] & m;
    const uint64_t r = (kInc ? a + 1 : a - 1) & m;
    c.s.gpr[d.ops[0].reg] = r;
    c.set_lazy(kInc ? kFlagsInc : kFlagsDec, S, r, a, cf);
}

enum class Alu { Add, Sub, Cmp, And, Or, Xor, Test };

// The operation itself: a op b into register reg (CMP/TEST only set flags).
template <Alu K, unsigned S>
inline void alu_apply(Cpu& c, uint8_t reg, uint64_t a, uint64_t b) {
    constexpr uint64_t m = kMask<S>;
    a &= m, b &= m;
    uint64_t r;
    uint8_t fop;
    if constexpr (K == Alu::Add) r = (a + b) & m, fop = kFlagsAdd;
    else if constexpr (K == Alu::Sub || K == Alu::Cmp) r = (a - b) & m, fop = kFlagsSub;
    else if constexpr (K == Alu::And || K == Alu::Test) r = a & b, fop = kFlagsLogic;
    else if constexpr (K == Alu::Or) r = a | b, fop = kFlagsLogic;
    else r = a ^ b, fop = kFlagsLogic;
    if constexpr (K != Alu::Cmp && K != Alu::Test) c.s.gpr[reg] = r;
    c.set_lazy(fop, S, r, a, b);
}

template <Alu K, unsigned S, bool kImm>
void alu(Cpu& c, const DecodedInsn& d) {
    alu_apply<K, S>(c, d.ops[0].reg, c.s.gpr[d.ops[0].reg], kImm ? d.imm : c.s.gpr[d.ops[1].reg]);
}

template <Alu K, bool kImm>
Handler alu_for(unsigned size) {
    return size == 8 ? alu<K, 8, kImm> : alu<K, 4, kImm>;
}

// ALU with a memory source: reg op= [mem].
template <Alu K, unsigned S>
void alu_rm(Cpu& c, const DecodedInsn& d) {
    const uint64_t b = c.read_mem(d.mem_seg, effective_address(c, d), S);
    alu_apply<K, S>(c, d.ops[0].reg, c.s.gpr[d.ops[0].reg], b);
}

// CMP/TEST of memory with a register or an immediate (memory is only read).
template <Alu K, unsigned S, bool kImm>
void cmp_test_m(Cpu& c, const DecodedInsn& d) {
    static_assert(K == Alu::Cmp || K == Alu::Test);
    const uint64_t a = c.read_mem(d.mem_seg, effective_address(c, d), S);
    alu_apply<K, S>(c, 0, a, kImm ? d.imm : c.s.gpr[d.ops[1].reg]);
}

template <unsigned S>
void mov_mi(Cpu& c, const DecodedInsn& d) { c.write_mem(d.mem_seg, effective_address(c, d), S, d.imm & kMask<S>); }

template <unsigned S>
void lea(Cpu& c, const DecodedInsn& d) { set_reg<S>(c, d.ops[0].reg, effective_address(c, d)); }

// IMUL r, r/m (kImm false) and IMUL r, r/m, imm: a truncated product.
template <unsigned S, bool kMem, bool kImm>
void imul_r(Cpu& c, const DecodedInsn& d) {
    const uint64_t src = kMem ? c.read_mem(d.mem_seg, effective_address(c, d), S) : c.s.gpr[d.ops[1].reg];
    const int64_t a = sign_extend(src & kMask<S>, S);
    const int64_t b = sign_extend((kImm ? d.imm : c.s.gpr[d.ops[0].reg]) & kMask<S>, S);
    const __int128 p = static_cast<__int128>(a) * b;
    const uint64_t lo = static_cast<uint64_t>(p) & kMask<S>;
    set_reg<S>(c, d.ops[0].reg, lo);
    set_mul_flags(c, lo, S, p != static_cast<__int128>(sign_extend(lo, S)));
}

// Shifts and rotates of a register by an immediate, by 1 or by CL.
enum class Count { Imm, One, Cl };

template <ShiftKind K, unsigned S, Count kCount>
void shift_r(Cpu& c, const DecodedInsn& d) {
    const uint64_t raw = kCount == Count::Imm ? d.imm : kCount == Count::One ? 1 : c.s.gpr[RCX];
    const unsigned count = static_cast<unsigned>(raw & (S == 8 ? 63 : 31));
    const uint64_t a = c.s.gpr[d.ops[0].reg] & kMask<S>;
    if (count == 0) {
        set_reg<S>(c, d.ops[0].reg, a);  // a 32-bit destination still loses its upper half
        return;
    }
    const ShiftOut o = shift_compute<K>(c, a, count, S);
    set_reg<S>(c, d.ops[0].reg, o.r);
    shift_set_flags<K>(c, o, S);
}

template <ShiftKind K, unsigned S>
Handler shift_for_count(const DecodedInsn& d) {
    if (d.nops == 1) return shift_r<K, S, Count::One>;
    const Operand& n = d.ops[1];
    if (n.kind == OpKind::Imm) return shift_r<K, S, Count::Imm>;
    if (n.kind == OpKind::Gpr && n.reg == RCX && n.size == 1) return shift_r<K, S, Count::Cl>;
    return nullptr;
}

template <ShiftKind K>
Handler shift_for(const DecodedInsn& d, unsigned size) {
    return size == 8 ? shift_for_count<K, 8>(d) : shift_for_count<K, 4>(d);
}

// CMOVcc: the source is read (and may fault) whatever the condition; a
// 32-bit destination is written (upper half cleared) either way.
template <unsigned S, bool kMem>
void cmov(Cpu& c, const DecodedInsn& d) {
    const uint64_t v = kMem ? c.read_mem(d.mem_seg, effective_address(c, d), S) : c.s.gpr[d.ops[1].reg];
    const uint8_t r = d.ops[0].reg;
    set_reg<S>(c, r, eval_cond(c, d.cond) ? v : c.s.gpr[r]);
}

// MOV of bytes and words: registers through gpr_read/gpr_write (AH-BH,
// the rest of the register kept).
enum class Mov { RegMem, MemReg, MemImm, RegReg, RegImm };

template <unsigned S, Mov K>
void mov_narrow(Cpu& c, const DecodedInsn& d) {
    if constexpr (K == Mov::RegMem) c.gpr_write(d.ops[0].reg, S, c.read_mem(d.mem_seg, effective_address(c, d), S));
    else if constexpr (K == Mov::MemReg) c.write_mem(d.mem_seg, effective_address(c, d), S, c.gpr_read(d.ops[1].reg, S));
    else if constexpr (K == Mov::MemImm) c.write_mem(d.mem_seg, effective_address(c, d), S, d.imm & size_mask(S));
    else if constexpr (K == Mov::RegReg) c.gpr_write(d.ops[0].reg, S, c.gpr_read(d.ops[1].reg, S));
    else c.gpr_write(d.ops[0].reg, S, d.imm);
}

template <unsigned S>
Handler mov_narrow_for(const Operand& a, const Operand& b) {
    const bool ra = a.kind == OpKind::Gpr, rb = b.kind == OpKind::Gpr;
    const bool ma = a.kind == OpKind::Mem && a.size == S, mb = b.kind == OpKind::Mem && b.size == S;
    if (ra && mb) return mov_narrow<S, Mov::RegMem>;
    if (ma && rb) return mov_narrow<S, Mov::MemReg>;
    if (ma && b.kind == OpKind::Imm) return mov_narrow<S, Mov::MemImm>;
    if (ra && rb) return mov_narrow<S, Mov::RegReg>;
    if (ra && b.kind == OpKind::Imm) return mov_narrow<S, Mov::RegImm>;
    return nullptr;
}

bool gpr(const Operand& o, unsigned size) { return o.kind == OpKind::Gpr && o.size == size && o.reg < 16; }

}  // namespace

Handler fast_handler_for(const DecodedInsn& d, CodeMode mode) {
    if (d.lock()) return nullptr;
    if (Handler h = fast_control_handler_for(d, mode)) return h;
    const unsigned size = d.ops[0].size;
    const Operand& a = d.ops[0];
    const Operand& b = d.ops[1];
    if (d.op == Op::MOV && d.nops == 2 && a.size == b.size) {
        if (size == 1) return mov_narrow_for<1>(a, b);
        if (size == 2) return mov_narrow_for<2>(a, b);
    }
    if (size != 4 && size != 8) return nullptr;
    const bool wide = size == 8;
    if (d.op == Op::LEA && gpr(a, size)) return wide ? lea<8> : lea<4>;
    if (d.op == Op::IMUL && gpr(a, size) && (d.nops == 2 || (d.nops == 3 && d.ops[2].kind == OpKind::Imm))) {
        const bool mem = b.kind == OpKind::Mem && b.size == size;
        if (!mem && !gpr(b, size)) return nullptr;
        if (d.nops == 3) return mem ? (wide ? imul_r<8, true, true> : imul_r<4, true, true>)
                                    : (wide ? imul_r<8, false, true> : imul_r<4, false, true>);
        return mem ? (wide ? imul_r<8, true, false> : imul_r<4, true, false>)
                   : (wide ? imul_r<8, false, false> : imul_r<4, false, false>);
    }
    if (gpr(a, size) && (d.nops == 1 || d.nops == 2)) {
        switch (d.op) {
            case Op::SHL: return shift_for<ShiftKind::Shl>(d, size);
            case Op::SHR: return shift_for<ShiftKind::Shr>(d, size);
            case Op::SAR: return shift_for<ShiftKind::Sar>(d, size);
            case Op::ROL: return shift_for<ShiftKind::Rol>(d, size);
            case Op::ROR: return shift_for<ShiftKind::Ror>(d, size);
            case Op::RCL: return shift_for<ShiftKind::Rcl>(d, size);
            case Op::RCR: return shift_for<ShiftKind::Rcr>(d, size);
            default: break;
        }
    }
    if (d.nops == 1 && gpr(a, size) && (d.op == Op::INC || d.op == Op::DEC)) {
        if (d.op == Op::INC) return size == 8 ? incdec_r<8, true> : incdec_r<4, true>;
        return size == 8 ? incdec_r<8, false> : incdec_r<4, false>;
    }
    if (d.nops != 2) return nullptr;
    if ((d.op == Op::MOVZX || d.op == Op::MOVSX) && gpr(a, size) &&
        (b.kind == OpKind::Mem || b.kind == OpKind::Gpr) && (b.size == 1 || b.size == 2)) {
        return d.op == Op::MOVZX ? movx_for<false>(size, b) : movx_for<true>(size, b);
    }
    const bool rr = gpr(a, size) && gpr(b, size);
    const bool ri = gpr(a, size) && b.kind == OpKind::Imm;
    const bool rm = gpr(a, size) && b.kind == OpKind::Mem && b.size == size;
    const bool mem_dst = a.kind == OpKind::Mem && a.size == size;
    if (d.op == Op::MOV) {
        if (rr) return size == 8 ? mov_rr<8> : mov_rr<4>;
        if (ri) return size == 8 ? mov_ri<8> : mov_ri<4>;
        if (rm) return size == 8 ? mov_rm<8> : mov_rm<4>;
        if (a.kind == OpKind::Mem && gpr(b, size)) return size == 8 ? mov_mr<8> : mov_mr<4>;
        if (mem_dst && b.kind == OpKind::Imm) return size == 8 ? mov_mi<8> : mov_mi<4>;
        return nullptr;
    }
    if (d.op == Op::CMOVCC && gpr(a, size)) {
        if (rm) return wide ? cmov<8, true> : cmov<4, true>;
        if (gpr(b, size)) return wide ? cmov<8, false> : cmov<4, false>;
        return nullptr;
    }
    if (mem_dst && (d.op == Op::CMP || d.op == Op::TEST) && (gpr(b, size) || b.kind == OpKind::Imm)) {
        const bool imm = b.kind == OpKind::Imm;
        if (d.op == Op::CMP) return imm ? (wide ? cmp_test_m<Alu::Cmp, 8, true> : cmp_test_m<Alu::Cmp, 4, true>)
                                        : (wide ? cmp_test_m<Alu::Cmp, 8, false> : cmp_test_m<Alu::Cmp, 4, false>);
        return imm ? (wide ? cmp_test_m<Alu::Test, 8, true> : cmp_test_m<Alu::Test, 4, true>)
                   : (wide ? cmp_test_m<Alu::Test, 8, false> : cmp_test_m<Alu::Test, 4, false>);
    }
    if (rm) {
        switch (d.op) {
            case Op::ADD: return wide ? alu_rm<Alu::Add, 8> : alu_rm<Alu::Add, 4>;
            case Op::SUB: return wide ? alu_rm<Alu::Sub, 8> : alu_rm<Alu::Sub, 4>;
            case Op::CMP: return wide ? alu_rm<Alu::Cmp, 8> : alu_rm<Alu::Cmp, 4>;
            case Op::AND: return wide ? alu_rm<Alu::And, 8> : alu_rm<Alu::And, 4>;
            case Op::OR: return wide ? alu_rm<Alu::Or, 8> : alu_rm<Alu::Or, 4>;
            case Op::XOR: return wide ? alu_rm<Alu::Xor, 8> : alu_rm<Alu::Xor, 4>;
            default: return nullptr;
        }
    }
    if (!rr && !ri) return nullptr;
    switch (d.op) {
        case Op::ADD: return rr ? alu_for<Alu::Add, false>(size) : alu_for<Alu::Add, true>(size);
        case Op::SUB: return rr ? alu_for<Alu::Sub, false>(size) : alu_for<Alu::Sub, true>(size);
        case Op::CMP: return rr ? alu_for<Alu::Cmp, false>(size) : alu_for<Alu::Cmp, true>(size);
        case Op::AND: return rr ? alu_for<Alu::And, false>(size) : alu_for<Alu::And, true>(size);
        case Op::OR: return rr ? alu_for<Alu::Or, false>(size) : alu_for<Alu::Or, true>(size);
        case Op::XOR: return rr ? alu_for<Alu::Xor, false>(size) : alu_for<Alu::Xor, true>(size);
        case Op::TEST: return rr ? alu_for<Alu::Test, false>(size) : alu_for<Alu::Test, true>(size);
        default: return nullptr;
    }
}

}  // namespace petrel
