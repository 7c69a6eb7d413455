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


// ---- additions for the integer families (read-modify-write, LOCK, widths)

// The host address of a guest-linear range when the soft TLB already allows
// writing it (RAM, dirty, not a code page) and it does not cross a page;
// nullptr sends the caller to the slow path.
inline uint8_t* host_write_ptr(Cpu& cpu, uint64_t lin, unsigned size) {
    const bool user = cpu.s.cpl == 3;
    TlbEntry& e = cpu.tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
    if (e.tag_write == (lin >> 12) && e.host && ((lin & 0xfff) + size) <= 4096) return e.host + (lin & 0xfff);
    return nullptr;
}

// Loads the destination of a read-modify-write. A memory destination is
// checked for writing first, so a fault reports a write (as hardware does for
// RMW instructions) and the later store cannot fault.
inline uint64_t load_rmw(Cpu& cpu, const DecodedInsn& d, const Loc& l) {
    if (l.kind != OpKind::Mem) return load(cpu, d, l);
    if (!host_write_ptr(cpu, l.lin, l.size)) cpu.probe_write(l.lin, l.size, cpu.s.cpl == 3);
    return cpu.read_linear(l.lin, l.size, cpu.s.cpl == 3);
}

// One host compare-and-swap of a T at p: true when *p still held expected
// (then it holds desired); otherwise expected receives the current value.
template <class T>
inline bool host_cas(uint8_t* p, uint64_t& expected, uint64_t desired) {
    T e = static_cast<T>(expected);
    const bool ok = __atomic_compare_exchange_n(reinterpret_cast<T*>(p), &e, static_cast<T>(desired), false,
                                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    expected = e;
    return ok;
}

// Read-modify-write of a resolved location: f(old) -> new. Returns the old
// value. An atomic memory update on plain RAM is a host compare-and-swap
// loop, so other vCPU threads see one indivisible access; f must therefore
// be free of side effects (it may run more than once). atomic is the LOCK
// prefix, or true for XCHG, which is always locked with a memory operand.
template <class F>
inline uint64_t rmw(Cpu& cpu, const DecodedInsn& d, const Loc& l, F f, bool atomic) {
    uint64_t old = load_rmw(cpu, d, l);
    if (l.kind == OpKind::Mem && atomic) {
        if (uint8_t* p = host_write_ptr(cpu, l.lin, l.size); p && (l.lin & (l.size - 1)) == 0) {
            for (;;) {
                const uint64_t nv = f(old) & size_mask(l.size);
                bool ok;
                switch (l.size) {
                    case 1: ok = host_cas<uint8_t>(p, old, nv); break;
                    case 2: ok = host_cas<uint16_t>(p, old, nv); break;
                    case 4: ok = host_cas<uint32_t>(p, old, nv); break;
                    default: ok = host_cas<uint64_t>(p, old, nv); break;
                }
                if (ok) return old;
            }
        }
        // Misaligned (a split lock) or not yet writable through the TLB:
        // the plain path, atomic only with respect to this vCPU.
    }
    store(cpu, l, f(old));
    return old;
}

template <class F>
inline uint64_t rmw(Cpu& cpu, const DecodedInsn& d, const Loc& l, F f) {
    return rmw(cpu, d, l, f, d.lock());
}

// Operand size dispatch: calls body.template operator()<S>() for S in 1, 2, 4, 8,
// so one template serves every width with constant masks.
template <class Body>
inline void by_size(unsigned size, Body&& body) {
    switch (size) {
        case 1: body.template operator()<1>(); break;
        case 2: body.template operator()<2>(); break;
        case 4: body.template operator()<4>(); break;
        default: body.template operator()<8>(); break;
    }
}

// Address-size masking of an implicit register address (string ops, XLAT, stack).
inline uint64_t addr_mask(unsigned addrsize) { return size_mask(addrsize); }

// A source value: immediates come back as the decoder extended them (to 64
// bits, per the form), everything else loaded at its operand size. Callers
// mask to the width they compute in.
inline uint64_t read_source(Cpu& cpu, const DecodedInsn& d, int i) {
    if (d.ops[i].kind == OpKind::Imm) return d.imm;
    return read_operand(cpu, d, i);
}

// Operand size of near branches and stack operations: in 64-bit mode they
// have no 32-bit form (a 32-bit size means the default, 64), whatever the
// decoder reports.
inline unsigned stack_opsize(const Cpu& cpu, const DecodedInsn& d) {
    return (d.opsize == 4 && cpu.code_mode() == CodeMode::Bits64) ? 8 : d.opsize;
}

// ---- additions for the x87/MMX/SSE families: 8-byte MMX and 16-byte XMM operands

// MMX register mmN is the significand of physical x87 register RN (not
// ST(N)); writing one sets that register's sign and exponent to all ones,
// as the hardware does, so the x87 view of it is a NaN or infinity.
inline uint64_t mmx_read(const Cpu& cpu, unsigned reg) { return cpu.s.x87.st[reg & 7].significand; }
inline void mmx_write(Cpu& cpu, unsigned reg, uint64_t v) {
    cpu.s.x87.st[reg & 7].significand = v;
    cpu.s.x87.st[reg & 7].sign_exp = 0xffff;
}

// Reads size bytes (1-16) at a linear address, zero-extended into a vector.
inline XmmReg read_linear_vec(Cpu& cpu, uint64_t lin, unsigned size) {
    const bool user = cpu.s.cpl == 3;
    XmmReg v{};
    if (size == 16) {
        v.q[0] = cpu.read_linear(lin, 8, user);
        v.q[1] = cpu.read_linear(lin + 8, 8, user);
    } else if (size > 8) {
        v.q[0] = cpu.read_linear(lin, 8, user);
        v.q[1] = cpu.read_linear(lin + 8, size - 8, user);
    } else {
        v.q[0] = cpu.read_linear(lin, size, user);
    }
    return v;
}

// Writes the low size bytes (1-16) of a vector; a multi-part store checks
// every page first so that a fault leaves memory untouched.
inline void write_linear_vec(Cpu& cpu, uint64_t lin, unsigned size, const XmmReg& v) {
    const bool user = cpu.s.cpl == 3;
    if (size <= 8) {
        cpu.write_linear(lin, size, size == 8 ? v.q[0] : v.q[0] & size_mask(size), user);
        return;
    }
    if (!host_write_ptr(cpu, lin, size)) cpu.probe_write(lin, size, user);
    cpu.write_linear(lin, 8, v.q[0], user);
    cpu.write_linear(lin + 8, size - 8, size == 16 ? v.q[1] : v.q[1] & size_mask(size - 8), user);
}

// Loads operand i as a vector: an XMM register whole, an MMX register or a
// general register in the low lane (upper bytes zero), memory at the
// operand's size zero-extended. align16: a 16-byte memory operand must be
// 16-byte aligned (#GP(0) otherwise), the rule of most legacy SSE forms.
inline XmmReg read_vec(Cpu& cpu, const DecodedInsn& d, int i, bool align16) {
    const Operand& o = d.ops[i];
    switch (o.kind) {
        case OpKind::Xmm: return cpu.s.xmm[o.reg];
        case OpKind::Mmx: return XmmReg{{mmx_read(cpu, o.reg), 0}};
        case OpKind::Gpr: return XmmReg{{cpu.gpr_read(o.reg, o.size), 0}};
        case OpKind::Imm: return XmmReg{{d.imm, 0}};
        case OpKind::Mem: {
            const uint64_t lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), o.size, Access::Read);
            if (align16 && o.size == 16 && (lin & 15)) cpu.raise(kVecGP, 0);
            return read_linear_vec(cpu, lin, o.size);
        }
        default: cpu.raise(kVecUD);
    }
}

// Stores a vector to operand i: an XMM register whole, an MMX register its
// low 8 bytes, a general register or memory the operand's size.
inline void write_vec(Cpu& cpu, const DecodedInsn& d, int i, const XmmReg& v, bool align16) {
    const Operand& o = d.ops[i];
    switch (o.kind) {
        case OpKind::Xmm: cpu.s.xmm[o.reg] = v; return;
        case OpKind::Mmx: mmx_write(cpu, o.reg, v.q[0]); return;
        case OpKind::Gpr: cpu.gpr_write(o.reg, o.size, v.q[0]); return;
        case OpKind::Mem: {
            const uint64_t lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), o.size, Access::Write);
            if (align16 && o.size == 16 && (lin & 15)) cpu.raise(kVecGP, 0);
            write_linear_vec(cpu, lin, o.size, v);
            return;
        }
        default: cpu.raise(kVecUD);
    }
}

}  // namespace petrel
