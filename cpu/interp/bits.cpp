// Bit operations: BT BTS BTR BTC, BSF BSR, POPCNT LZCNT TZCNT, the BMI1/BMI2
// group (ANDN BEXTR BLSI BLSMSK BLSR BZHI PDEP PEXT RORX SARX SHLX SHRX) and
// CRC32 (the Castagnoli polynomial of SSE4.2).
//
// BT* with a memory operand and a register bit offset address a bit string:
// the signed offset selects an operand-sized unit anywhere around the
// effective address (not only inside the addressed word), so the access goes
// to EA + (offset >> log2(width)) * size. An immediate offset is taken modulo
// the width, as for register operands.
#include "cpu/interp/flags.h"
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

enum class BtKind { Test, Set, Reset, Complement };

template <BtKind kKind>
void op_bt(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size, bits = 8 * size;
    const uint64_t off = read_source(cpu, d, 1);
    unsigned bit;
    Loc dst{d.ops[0].kind, d.ops[0].size, d.ops[0].reg, 0};
    const Access acc = kKind == BtKind::Test ? Access::Read : Access::Write;
    if (d.ops[0].kind == OpKind::Mem && d.ops[1].kind != OpKind::Imm) {
        const int64_t soff = sign_extend(off, size);
        const int64_t unit = soff >> (size == 2 ? 4 : size == 4 ? 5 : 6);
        const uint64_t ea = (effective_address(cpu, d) + static_cast<uint64_t>(unit) * size) & size_mask(d.addrsize);
        dst.lin = cpu.linear_address(d.mem_seg, ea, size, acc);
        bit = static_cast<unsigned>(soff & (bits - 1));
    } else {
        bit = static_cast<unsigned>(off & (bits - 1));
        if (d.ops[0].kind == OpKind::Mem) dst.lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), size, acc);
    }
    const uint64_t mask = 1ull << bit;
    uint64_t old;
    if constexpr (kKind == BtKind::Test) {
        old = load(cpu, d, dst);
    } else {
        old = rmw(cpu, d, dst, [mask](uint64_t v) {
            if constexpr (kKind == BtKind::Set) return v | mask;
            else if constexpr (kKind == BtKind::Reset) return v & ~mask;
            else return v ^ mask;
        });
    }
    // CF is the bit; ZF is kept; OF SF AF PF are undefined and kept as well.
    set_flags_masked(cpu, kCF, (old & mask) ? uint64_t{kCF} : 0);
}

// BSF/BSR: a zero source sets ZF and leaves the destination unchanged (what
// every implementation does; the SDM says undefined).
template <bool kForward>
void op_bit_scan(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t src = read_operand(cpu, d, 1) & size_mask(size);
    if (src == 0) {
        set_arith_flags(cpu, kZF);
        return;
    }
    const unsigned r = kForward ? __builtin_ctzll(src) : 63 - __builtin_clzll(src);
    cpu.gpr_write(d.ops[0].reg, size, r);
    set_arith_flags(cpu, 0);
}

void op_popcnt(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t src = read_operand(cpu, d, 1) & size_mask(size);
    cpu.gpr_write(d.ops[0].reg, size, __builtin_popcountll(src));
    set_arith_flags(cpu, src ? 0 : uint64_t{kZF});
}

template <bool kLeading>
void op_count_zeros(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size, bits = 8 * size;
    const uint64_t src = read_operand(cpu, d, 1) & size_mask(size);
    unsigned r = bits;
    if (src) r = kLeading ? __builtin_clzll(src) - (64 - bits) : __builtin_ctzll(src);
    cpu.gpr_write(d.ops[0].reg, size, r);
    set_arith_flags(cpu, (src ? 0 : uint64_t{kCF}) | (r ? 0 : uint64_t{kZF}));
}

// BMI flag helper: ZF and SF of the result plus the given CF/OF bits.
void set_bmi_flags(Cpu& cpu, uint64_t r, unsigned size, uint64_t extra) {
    set_arith_flags(cpu, (szp_flags(r, size) & (kZF | kSF)) | extra);
}

void op_andn(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t r = ~cpu.gpr_read(d.ops[1].reg, size) & read_operand(cpu, d, 2) & size_mask(size);
    cpu.gpr_write(d.ops[0].reg, size, r);
    set_bmi_flags(cpu, r, size, 0);
}

void op_bextr(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size, bits = 8 * size;
    const uint64_t src = read_operand(cpu, d, 1) & size_mask(size);
    const uint64_t ctl = cpu.gpr_read(d.ops[2].reg, size);
    const unsigned start = ctl & 0xff, len = (ctl >> 8) & 0xff;
    uint64_t r = start < bits ? src >> start : 0;
    if (len < 64) r &= (1ull << len) - 1;
    cpu.gpr_write(d.ops[0].reg, size, r);
    set_arith_flags(cpu, r ? 0 : uint64_t{kZF});
}

enum class BlsKind { Isolate, Mask, Reset };

template <BlsKind kKind>
void op_bls(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const uint64_t src = read_operand(cpu, d, 1) & m;
    uint64_t r, cf;
    if constexpr (kKind == BlsKind::Isolate) {
        r = (0 - src) & src & m;
        cf = src ? uint64_t{kCF} : 0;
    } else if constexpr (kKind == BlsKind::Mask) {
        r = ((src - 1) ^ src) & m;
        cf = src ? 0 : uint64_t{kCF};
    } else {
        r = (src - 1) & src & m;
        cf = src ? 0 : uint64_t{kCF};
    }
    cpu.gpr_write(d.ops[0].reg, size, r);
    set_bmi_flags(cpu, r, size, cf);
}

void op_bzhi(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size, bits = 8 * size;
    const uint64_t src = read_operand(cpu, d, 1) & size_mask(size);
    const unsigned n = cpu.gpr_read(d.ops[2].reg, size) & 0xff;
    const uint64_t r = n < bits ? src & ((1ull << n) - 1) : src;
    cpu.gpr_write(d.ops[0].reg, size, r);
    set_bmi_flags(cpu, r, size, n > bits - 1 ? uint64_t{kCF} : 0);
}

void op_pdep(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    uint64_t src = cpu.gpr_read(d.ops[1].reg, size);
    uint64_t mask = read_operand(cpu, d, 2) & size_mask(size);
    uint64_t r = 0;
    for (uint64_t k = 1; mask; k <<= 1) {
        const uint64_t low = mask & (0 - mask);
        if (src & k) r |= low;
        mask &= mask - 1;
    }
    cpu.gpr_write(d.ops[0].reg, size, r);
}

void op_pext(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t src = cpu.gpr_read(d.ops[1].reg, size);
    uint64_t mask = read_operand(cpu, d, 2) & size_mask(size);
    uint64_t r = 0;
    for (uint64_t k = 1; mask; k <<= 1) {
        const uint64_t low = mask & (0 - mask);
        if (src & low) r |= k;
        mask &= mask - 1;
    }
    cpu.gpr_write(d.ops[0].reg, size, r);
}

void op_rorx(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size, bits = 8 * size;
    const uint64_t a = read_operand(cpu, d, 1) & size_mask(size);
    const unsigned c = d.imm & (bits - 1);
    const uint64_t r = c ? ((a >> c) | (a << (bits - c))) & size_mask(size) : a;
    cpu.gpr_write(d.ops[0].reg, size, r);
}

enum class XKind { Sar, Shl, Shr };

template <XKind kKind>
void op_shiftx(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t a = read_operand(cpu, d, 1) & size_mask(size);
    const unsigned c = cpu.gpr_read(d.ops[2].reg, size) & (size == 8 ? 63 : 31);
    uint64_t r;
    if constexpr (kKind == XKind::Sar) r = static_cast<uint64_t>(sign_extend(a, size) >> c);
    else if constexpr (kKind == XKind::Shl) r = a << c;
    else r = a >> c;
    cpu.gpr_write(d.ops[0].reg, size, r & size_mask(size));
}

// CRC32C, bit-reflected, one byte at a time through a table built at compile time.
constexpr auto kCrcTable = [] {
    struct { uint32_t v[256]; } t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        t.v[i] = c;
    }
    return t;
}();

void op_crc32(Cpu& cpu, const DecodedInsn& d) {
    const unsigned src_size = d.ops[1].size;
    const uint64_t src = read_operand(cpu, d, 1);
    uint32_t crc = static_cast<uint32_t>(cpu.gpr_read(d.ops[0].reg, 4));
    for (unsigned i = 0; i < src_size; ++i) crc = kCrcTable.v[(crc ^ (src >> (8 * i))) & 0xff] ^ (crc >> 8);
    cpu.gpr_write(d.ops[0].reg, d.ops[0].size == 8 ? 8 : 4, crc);
}

}  // namespace

void register_bits(HandlerTable& t) {
    t.set(Op::BT, op_bt<BtKind::Test>);
    t.set(Op::BTS, op_bt<BtKind::Set>);
    t.set(Op::BTR, op_bt<BtKind::Reset>);
    t.set(Op::BTC, op_bt<BtKind::Complement>);
    t.set(Op::BSF, op_bit_scan<true>);
    t.set(Op::BSR, op_bit_scan<false>);
    t.set(Op::POPCNT, op_popcnt);
    t.set(Op::LZCNT, op_count_zeros<true>);
    t.set(Op::TZCNT, op_count_zeros<false>);
    t.set(Op::ANDN, op_andn);
    t.set(Op::BEXTR, op_bextr);
    t.set(Op::BLSI, op_bls<BlsKind::Isolate>);
    t.set(Op::BLSMSK, op_bls<BlsKind::Mask>);
    t.set(Op::BLSR, op_bls<BlsKind::Reset>);
    t.set(Op::BZHI, op_bzhi);
    t.set(Op::PDEP, op_pdep);
    t.set(Op::PEXT, op_pext);
    t.set(Op::RORX, op_rorx);
    t.set(Op::SARX, op_shiftx<XKind::Sar>);
    t.set(Op::SHLX, op_shiftx<XKind::Shl>);
    t.set(Op::SHRX, op_shiftx<XKind::Shr>);
    t.set(Op::CRC32, op_crc32);
}

}  // namespace petrel
