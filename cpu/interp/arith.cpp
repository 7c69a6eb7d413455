// Binary arithmetic: ADD ADC SUB SBB CMP INC DEC NEG, the multiplies and
// divides, ADCX/ADOX/MULX and the BCD adjustments.
//
// Add/subtract families leave their flags lazy (flags.h): the carry-in of
// ADC/SBB is recoverable from (result, src1, src2), INC/DEC keep the old CF
// in src2. Multiplies, divides and BCD set flags eagerly. Flags the SDM calls
// undefined get what a recent Intel core produces where that is known
// (SF/ZF/PF of the low result for MUL/IMUL, AF clear), otherwise they are
// left as they were; the difftest masks them.
#include "cpu/interp/flags.h"
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

// dest = dest OP src with lazy flags; CMP does not store.
template <uint8_t kFlagOp, bool kStore>
void alu_add_sub(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    uint64_t carry = 0;
    if constexpr (kFlagOp == kFlagsAdc || kFlagOp == kFlagsSbb) carry = cpu.cf();
    // Source first: an immediate or a register never faults, a memory source
    // only occurs when the destination is a register.
    const uint64_t b = read_source(cpu, d, 1) & m;
    const Loc dst = resolve(cpu, d, 0, kStore ? Access::Write : Access::Read);
    auto compute = [&](uint64_t a) {
        if constexpr (kFlagOp == kFlagsAdd || kFlagOp == kFlagsAdc) return (a + b + carry) & m;
        else return (a - b - carry) & m;
    };
    uint64_t a;
    if constexpr (kStore) a = rmw(cpu, d, dst, compute) & m;
    else a = load(cpu, d, dst) & m;
    cpu.set_lazy(kFlagOp, size, compute(a), a, b);
}

void op_inc(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const bool cf = cpu.cf();
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    uint64_t a = rmw(cpu, d, dst, [m](uint64_t v) { return (v + 1) & m; }) & m;
    cpu.set_lazy(kFlagsInc, size, (a + 1) & m, a, cf);
}

void op_dec(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const bool cf = cpu.cf();
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    uint64_t a = rmw(cpu, d, dst, [m](uint64_t v) { return (v - 1) & m; }) & m;
    cpu.set_lazy(kFlagsDec, size, (a - 1) & m, a, cf);
}

void op_neg(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    uint64_t a = rmw(cpu, d, dst, [m](uint64_t v) { return (0 - v) & m; }) & m;
    cpu.set_lazy(kFlagsSub, size, (0 - a) & m, 0, a);
}

// rDX:rAX (or AX for bytes) as the implicit accumulator pair.
uint64_t acc_lo(Cpu& cpu, unsigned size) { return cpu.gpr_read(RAX, size); }
uint64_t acc_hi(Cpu& cpu, unsigned size) { return size == 1 ? cpu.gpr_read(RAX, 2) >> 8 : cpu.gpr_read(RDX, size); }
void acc_write(Cpu& cpu, unsigned size, uint64_t lo, uint64_t hi) {
    if (size == 1) {
        cpu.gpr_write(RAX, 2, (lo & 0xff) | ((hi & 0xff) << 8));
    } else {
        cpu.gpr_write(RAX, size, lo);
        cpu.gpr_write(RDX, size, hi);
    }
}

void op_mul(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t b = read_operand(cpu, d, 0);
    const unsigned __int128 p = static_cast<unsigned __int128>(acc_lo(cpu, size)) * b;
    const uint64_t lo = static_cast<uint64_t>(p) & size_mask(size);
    const uint64_t hi = static_cast<uint64_t>(size == 8 ? p >> 64 : p >> (8 * size)) & size_mask(size);
    acc_write(cpu, size, lo, hi);
    set_mul_flags(cpu, lo, size, hi != 0);
}

void op_imul(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    if (d.nops <= 1) {
        const int64_t b = sign_extend(read_operand(cpu, d, 0), size);
        const __int128 p = static_cast<__int128>(sign_extend(acc_lo(cpu, size), size)) * b;
        const uint64_t lo = static_cast<uint64_t>(p) & size_mask(size);
        const uint64_t hi = static_cast<uint64_t>(size == 8 ? p >> 64 : p >> (8 * size)) & size_mask(size);
        acc_write(cpu, size, lo, hi);
        set_mul_flags(cpu, lo, size, p != static_cast<__int128>(sign_extend(lo, size)));
        return;
    }
    // Two- and three-operand forms: a truncated product in a register.
    const int64_t a = sign_extend(read_operand(cpu, d, 1), size);
    const int64_t b = d.nops >= 3 ? sign_extend(d.imm, size) : sign_extend(cpu.gpr_read(d.ops[0].reg, size), size);
    const __int128 p = static_cast<__int128>(a) * b;
    const uint64_t lo = static_cast<uint64_t>(p) & size_mask(size);
    cpu.gpr_write(d.ops[0].reg, size, lo);
    set_mul_flags(cpu, lo, size, p != static_cast<__int128>(sign_extend(lo, size)));
}

// DIV/IDIV leave every arithmetic flag undefined: they are not touched.
void op_div(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t b = read_operand(cpu, d, 0);
    if (b == 0) cpu.raise(kVecDE);
    const unsigned __int128 n = (static_cast<unsigned __int128>(acc_hi(cpu, size)) << (8 * size)) | acc_lo(cpu, size);
    const unsigned __int128 q = n / b;
    if (q > size_mask(size)) cpu.raise(kVecDE);
    acc_write(cpu, size, static_cast<uint64_t>(q), static_cast<uint64_t>(n % b));
}

void op_idiv(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const int64_t b = sign_extend(read_operand(cpu, d, 0), size);
    if (b == 0) cpu.raise(kVecDE);
    const unsigned __int128 un = (static_cast<unsigned __int128>(acc_hi(cpu, size)) << (8 * size)) | acc_lo(cpu, size);
    // Sign-extend the 2*size-bit dividend to 128 bits.
    const unsigned bits = 16 * size;
    const __int128 n = bits == 128 ? static_cast<__int128>(un)
                                   : static_cast<__int128>(un << (128 - bits)) >> (128 - bits);
    // -2^127 / -1 overflows even the host's 128-bit division: a quotient that
    // large never fits, so it is #DE before dividing.
    const __int128 min128 = static_cast<__int128>(static_cast<unsigned __int128>(1) << 127);
    if (b == -1 && n == min128) cpu.raise(kVecDE);
    const __int128 q = n / b, r = n % b;
    const __int128 lim = static_cast<__int128>(1) << (8 * size - 1);
    if (q >= lim || q < -lim) cpu.raise(kVecDE);
    acc_write(cpu, size, static_cast<uint64_t>(q) & size_mask(size), static_cast<uint64_t>(r) & size_mask(size));
}

// ADCX/ADOX: an add with carry through CF or OF only; no other flag changes.
template <uint64_t kFlag>
void op_adcx_adox(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const uint64_t f = cpu.rflags();
    const uint64_t cin = (f & kFlag) ? 1 : 0;
    const uint64_t b = read_operand(cpu, d, 1) & m;
    const uint64_t a = cpu.gpr_read(d.ops[0].reg, size);
    const unsigned __int128 sum = static_cast<unsigned __int128>(a) + b + cin;
    const bool cout = size == 8 ? (sum >> 64) != 0 : ((sum >> (8 * size)) & 1) != 0;
    cpu.gpr_write(d.ops[0].reg, size, static_cast<uint64_t>(sum) & m);
    cpu.s.rflags = (f & ~kFlag) | (cout ? kFlag : 0);
}

// MULX: unsigned rDX * r/m into two registers, flags untouched. When both
// destinations are the same register it gets the high half.
void op_mulx(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t b = read_operand(cpu, d, 2);
    const unsigned __int128 p = static_cast<unsigned __int128>(cpu.gpr_read(RDX, size)) * b;
    const uint64_t lo = static_cast<uint64_t>(p) & size_mask(size);
    const uint64_t hi = static_cast<uint64_t>(size == 8 ? p >> 64 : p >> 32) & size_mask(size);
    cpu.gpr_write(d.ops[1].reg, size, lo);
    cpu.gpr_write(d.ops[0].reg, size, hi);
}

// ---- BCD (legacy modes only; the decoder rejects them in 64-bit mode)

void op_daa(Cpu& cpu, const DecodedInsn&) {
    const uint64_t f = cpu.rflags();
    const uint8_t old_al = static_cast<uint8_t>(cpu.s.gpr[RAX]);
    const bool old_cf = f & kCF;
    uint8_t al = old_al;
    uint64_t nf = 0;
    if ((al & 0xf) > 9 || (f & kAF)) {
        if (old_cf || al > 0xf9) nf |= kCF;
        al = static_cast<uint8_t>(al + 6);
        nf |= kAF;
    }
    if (old_al > 0x99 || old_cf) {
        al = static_cast<uint8_t>(al + 0x60);
        nf |= kCF;
    } else {
        nf &= ~uint64_t{kCF};
    }
    cpu.gpr_write(RAX, 1, al);
    set_arith_flags(cpu, nf | szp_flags(al, 1));
}

void op_das(Cpu& cpu, const DecodedInsn&) {
    const uint64_t f = cpu.rflags();
    const uint8_t old_al = static_cast<uint8_t>(cpu.s.gpr[RAX]);
    const bool old_cf = f & kCF;
    uint8_t al = old_al;
    uint64_t nf = 0;
    if ((al & 0xf) > 9 || (f & kAF)) {
        if (old_cf || al < 6) nf |= kCF;
        al = static_cast<uint8_t>(al - 6);
        nf |= kAF;
    }
    if (old_al > 0x99 || old_cf) {
        al = static_cast<uint8_t>(al - 0x60);
        nf |= kCF;
    }
    cpu.gpr_write(RAX, 1, al);
    set_arith_flags(cpu, nf | szp_flags(al, 1));
}

void op_aaa(Cpu& cpu, const DecodedInsn&) {
    const uint64_t f = cpu.rflags();
    uint16_t ax = static_cast<uint16_t>(cpu.s.gpr[RAX]);
    uint64_t nf = 0;
    if ((ax & 0xf) > 9 || (f & kAF)) {
        ax = static_cast<uint16_t>(ax + 0x106);
        nf = kAF | kCF;
    }
    ax &= 0xff0f;
    cpu.gpr_write(RAX, 2, ax);
    set_arith_flags(cpu, nf | szp_flags(ax & 0xff, 1));
}

void op_aas(Cpu& cpu, const DecodedInsn&) {
    const uint64_t f = cpu.rflags();
    uint16_t ax = static_cast<uint16_t>(cpu.s.gpr[RAX]);
    uint64_t nf = 0;
    if ((ax & 0xf) > 9 || (f & kAF)) {
        ax = static_cast<uint16_t>(ax - 6);
        ax = static_cast<uint16_t>(ax - 0x100);
        nf = kAF | kCF;
    }
    ax &= 0xff0f;
    cpu.gpr_write(RAX, 2, ax);
    set_arith_flags(cpu, nf | szp_flags(ax & 0xff, 1));
}

void op_aam(Cpu& cpu, const DecodedInsn& d) {
    const uint8_t base = static_cast<uint8_t>(d.imm);
    if (base == 0) cpu.raise(kVecDE);
    const uint8_t al = static_cast<uint8_t>(cpu.s.gpr[RAX]);
    const uint8_t r = al % base;
    cpu.gpr_write(RAX, 2, static_cast<uint16_t>(((al / base) << 8) | r));
    set_arith_flags(cpu, szp_flags(r, 1));
}

void op_aad(Cpu& cpu, const DecodedInsn& d) {
    const uint8_t base = static_cast<uint8_t>(d.imm);
    const uint16_t ax = static_cast<uint16_t>(cpu.s.gpr[RAX]);
    const uint8_t al = static_cast<uint8_t>((ax & 0xff) + (ax >> 8) * base);
    cpu.gpr_write(RAX, 2, al);
    set_arith_flags(cpu, szp_flags(al, 1));
}

}  // namespace

void register_arith(HandlerTable& t) {
    t.set(Op::ADD, alu_add_sub<kFlagsAdd, true>);
    t.set(Op::ADC, alu_add_sub<kFlagsAdc, true>);
    t.set(Op::SUB, alu_add_sub<kFlagsSub, true>);
    t.set(Op::SBB, alu_add_sub<kFlagsSbb, true>);
    t.set(Op::CMP, alu_add_sub<kFlagsSub, false>);
    t.set(Op::INC, op_inc);
    t.set(Op::DEC, op_dec);
    t.set(Op::NEG, op_neg);
    t.set(Op::MUL, op_mul);
    t.set(Op::IMUL, op_imul);
    t.set(Op::DIV, op_div);
    t.set(Op::IDIV, op_idiv);
    t.set(Op::ADCX, op_adcx_adox<kCF>);
    t.set(Op::ADOX, op_adcx_adox<kOF>);
    t.set(Op::MULX, op_mulx);
    t.set(Op::DAA, op_daa);
    t.set(Op::DAS, op_das);
    t.set(Op::AAA, op_aaa);
    t.set(Op::AAS, op_aas);
    t.set(Op::AAM, op_aam);
    t.set(Op::AAD, op_aad);
}

}  // namespace petrel
