// Specialised handlers for the commonest integer forms, chosen once when a
// block is decoded (BlockCache): MOV and the ALU ops with 32/64-bit register
// and immediate operands, MOV between a 32/64-bit register and memory,
// MOVZX/MOVSX of bytes and words, INC/DEC of a register.
// Each does exactly what the generic handler does for that form (same
// faults, same lazy-flag record) without the per-access switch on operand
// kinds and sizes of cpu/interp/operands.h.
#include "cpu/block_cache.h"
#include "cpu/interp/flags.h"
#include "cpu/interp/operands.h"

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

template <Alu K, unsigned S, bool kImm>
void alu(Cpu& c, const DecodedInsn& d) {
    constexpr uint64_t m = kMask<S>;
    const uint64_t a = c.s.gpr[d.ops[0].reg] & m;
    const uint64_t b = (kImm ? d.imm : c.s.gpr[d.ops[1].reg]) & m;
    uint64_t r;
    uint8_t fop;
    if constexpr (K == Alu::Add) r = (a + b) & m, fop = kFlagsAdd;
    else if constexpr (K == Alu::Sub || K == Alu::Cmp) r = (a - b) & m, fop = kFlagsSub;
    else if constexpr (K == Alu::And || K == Alu::Test) r = a & b, fop = kFlagsLogic;
    else if constexpr (K == Alu::Or) r = a | b, fop = kFlagsLogic;
    else r = a ^ b, fop = kFlagsLogic;
    if constexpr (K != Alu::Cmp && K != Alu::Test) c.s.gpr[d.ops[0].reg] = r;
    c.set_lazy(fop, S, r, a, b);
}

template <Alu K, bool kImm>
Handler alu_for(unsigned size) {
    return size == 8 ? alu<K, 8, kImm> : alu<K, 4, kImm>;
}

bool gpr(const Operand& o, unsigned size) { return o.kind == OpKind::Gpr && o.size == size && o.reg < 16; }

}  // namespace

Handler fast_handler_for(const DecodedInsn& d) {
    if (d.lock()) return nullptr;
    const unsigned size = d.ops[0].size;
    if (size != 4 && size != 8) return nullptr;
    const Operand& a = d.ops[0];
    const Operand& b = d.ops[1];
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
    if (d.op == Op::MOV) {
        if (rr) return size == 8 ? mov_rr<8> : mov_rr<4>;
        if (ri) return size == 8 ? mov_ri<8> : mov_ri<4>;
        if (gpr(a, size) && b.kind == OpKind::Mem && b.size == size) return size == 8 ? mov_rm<8> : mov_rm<4>;
        if (a.kind == OpKind::Mem && gpr(b, size)) return size == 8 ? mov_mr<8> : mov_mr<4>;
        return nullptr;
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
