// Loading operands and writing results in one shared place, so each handler
// does only its operation. A memory operand is resolved once (segment checks
// and linear address) and then loaded and/or stored.
#pragma once
#include "cpu/cpu.h"

namespace petrel {

inline uint64_t size_mask(unsigned size) { return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1; }
inline uint64_t sign_bit(unsigned size) { return 1ull << (8 * size - 1); }
inline int64_t sign_extend(uint64_t v, unsigned size) {
    unsigned sh = 64 - 8 * size;
    return static_cast<int64_t>(v << sh) >> sh;
}

// Offset of the explicit memory operand within its segment (before segmentation).
inline uint64_t effective_address(const Cpu& cpu, const DecodedInsn& d) {
    uint64_t ea = static_cast<uint64_t>(d.disp);
    if (d.mem_base == kRipReg) ea += cpu.next_rip;
    else if (d.mem_base != kNoReg) ea += cpu.s.gpr[d.mem_base];
    if (d.mem_index != kNoReg) ea += cpu.s.gpr[d.mem_index] * d.mem_scale;
    return ea & size_mask(d.addrsize);
}

// A resolved operand location.
struct Loc {
    OpKind kind;
    uint8_t size;
    uint8_t reg;
    uint64_t lin;  // memory: linear address
};

inline Loc resolve(Cpu& cpu, const DecodedInsn& d, int i, Access access) {
    const Operand& o = d.ops[i];
    Loc l{o.kind, o.size, o.reg, 0};
    if (o.kind == OpKind::Mem) l.lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), o.size, access);
    return l;
}

inline uint64_t load(Cpu& cpu, const DecodedInsn& d, const Loc& l) {
    switch (l.kind) {
        case OpKind::Gpr: return cpu.gpr_read(l.reg, l.size);
        case OpKind::Mem: return cpu.read_linear(l.lin, l.size, cpu.s.cpl == 3);
        case OpKind::Imm: return d.imm & size_mask(l.size);
        case OpKind::Seg: return cpu.s.seg[l.reg].selector;
        default: cpu.raise(kVecUD);
    }
}

inline void store(Cpu& cpu, const Loc& l, uint64_t v) {
    switch (l.kind) {
        case OpKind::Gpr: cpu.gpr_write(l.reg, l.size, v); return;
        case OpKind::Mem: cpu.write_linear(l.lin, l.size, v & size_mask(l.size), cpu.s.cpl == 3); return;
        default: cpu.raise(kVecUD);
    }
}

// Convenience for read-only operands.
inline uint64_t read_operand(Cpu& cpu, const DecodedInsn& d, int i) {
    return load(cpu, d, resolve(cpu, d, i, Access::Read));
}
inline void write_operand(Cpu& cpu, const DecodedInsn& d, int i, uint64_t v) {
    store(cpu, resolve(cpu, d, i, Access::Write), v);
}

}  // namespace petrel
