// Data movement: MOV and its extending/byte-swapping forms, exchanges
// (XCHG, XADD, CMPXCHG, CMPXCHG8B/16B), LEA, the stack (PUSH/POP of every
// operand kind, PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE), flag transfers
// (LAHF/SAHF), sign extension of the accumulator (CBW/CWD families), BSWAP,
// XLAT, CMOVcc/SETcc and the far-pointer loads (LDS/LES/LFS/LGS/LSS).
//
// Stack instructions compute their new stack pointer in a local and commit
// it only after every access succeeded, so a #SS/#PF leaves RSP as it was.
// Segment loads go through Cpu::load_segment (cpu/system/segments.cpp) and
// the privileged parts of POPF through Cpu::popf_apply (flags_privilege.cpp).
#include "cpu/interp/flags.h"
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

uint64_t bswap(uint64_t v, unsigned size) {
    switch (size) {
        case 2: return __builtin_bswap16(static_cast<uint16_t>(v));
        case 4: return __builtin_bswap32(static_cast<uint32_t>(v));
        default: return __builtin_bswap64(v);
    }
}

// MOV Sreg, r/m loads a segment register (MOV CS is #UD); MOV r/m, Sreg
// stores the selector (zero-extended into a 32/64-bit register).
void op_mov_sreg(Cpu& cpu, const DecodedInsn& d) {
    if (d.ops[0].kind == OpKind::Seg) {
        if (d.ops[0].reg == CS || d.ops[0].reg > GS) cpu.raise(kVecUD);
        cpu.load_segment(d.ops[0].reg, static_cast<uint16_t>(read_operand(cpu, d, 1)));
        return;
    }
    if (d.ops[1].reg > GS) cpu.raise(kVecUD);
    write_operand(cpu, d, 0, cpu.s.seg[d.ops[1].reg].selector);
}

void op_mov(Cpu& cpu, const DecodedInsn& d) {
    // A segment-register destination needs the descriptor checks of MOV_SREG
    // (in case a decoder reports 8E as a plain MOV).
    if (d.ops[0].kind == OpKind::Seg) return op_mov_sreg(cpu, d);
    const uint64_t v = read_source(cpu, d, 1);
    write_operand(cpu, d, 0, v);
}

void op_nop(Cpu&, const DecodedInsn&) {}

void op_lea(Cpu& cpu, const DecodedInsn& d) { cpu.gpr_write(d.ops[0].reg, d.opsize, effective_address(cpu, d)); }

void op_movzx(Cpu& cpu, const DecodedInsn& d) {
    cpu.gpr_write(d.ops[0].reg, d.ops[0].size, read_operand(cpu, d, 1));
}

// MOVSX and MOVSXD (with a 16/32-bit destination MOVSXD is a plain move).
void op_movsx(Cpu& cpu, const DecodedInsn& d) {
    const uint64_t v = read_operand(cpu, d, 1);
    cpu.gpr_write(d.ops[0].reg, d.ops[0].size, static_cast<uint64_t>(sign_extend(v, d.ops[1].size)));
}

void op_movbe(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    write_operand(cpu, d, 0, bswap(read_operand(cpu, d, 1), size));
}

// XCHG with a memory operand is locked whether or not LOCK is present.
void op_xchg(Cpu& cpu, const DecodedInsn& d) {
    const int mi = d.mem_operand();
    if (mi < 0) {
        const unsigned size = d.ops[0].size;
        const uint64_t a = cpu.gpr_read(d.ops[0].reg, size), b = cpu.gpr_read(d.ops[1].reg, size);
        cpu.gpr_write(d.ops[0].reg, size, b);
        cpu.gpr_write(d.ops[1].reg, size, a);
        return;
    }
    const int ri = 1 - mi;
    const unsigned size = d.ops[ri].size;
    const uint64_t r = cpu.gpr_read(d.ops[ri].reg, size);
    const Loc m = resolve(cpu, d, mi, Access::Write);
    const uint64_t old = rmw(cpu, d, m, [r](uint64_t) { return r; }, true);
    cpu.gpr_write(d.ops[ri].reg, size, old);
}

// XADD: SRC <- DEST, then DEST <- sum (so with one register for both, the sum wins).
void op_xadd(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const uint64_t b = cpu.gpr_read(d.ops[1].reg, size);
    uint64_t a;
    if (d.ops[0].kind == OpKind::Gpr) {
        a = cpu.gpr_read(d.ops[0].reg, size);
        cpu.gpr_write(d.ops[1].reg, size, a);
        cpu.gpr_write(d.ops[0].reg, size, a + b);
    } else {
        const Loc dst = resolve(cpu, d, 0, Access::Write);
        a = rmw(cpu, d, dst, [b](uint64_t v) { return v + b; }) & m;
        cpu.gpr_write(d.ops[1].reg, size, a);
    }
    cpu.set_lazy(kFlagsAdd, size, (a + b) & m, a, b);
}

// CMPXCHG: flags as CMP accumulator, DEST. A memory destination is always
// written (with its own value when unequal), as the bus cycle does; a
// register destination is left alone when unequal.
void op_cmpxchg(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t m = size_mask(size);
    const uint64_t acc = cpu.gpr_read(RAX, size), src = cpu.gpr_read(d.ops[1].reg, size);
    uint64_t old;
    if (d.ops[0].kind == OpKind::Gpr) {
        old = cpu.gpr_read(d.ops[0].reg, size);
        if (old == acc) cpu.gpr_write(d.ops[0].reg, size, src);
    } else {
        const Loc dst = resolve(cpu, d, 0, Access::Write);
        old = rmw(cpu, d, dst, [acc, src, m](uint64_t v) { return (v & m) == acc ? src : v; }) & m;
    }
    if (old != acc) cpu.gpr_write(RAX, size, old);
    cpu.set_lazy(kFlagsSub, size, (acc - old) & m, acc, old);
}

// CMPXCHG8B/16B: EDX:EAX (RDX:RAX) against the memory operand; only ZF changes.
void op_cmpxchg8b(Cpu& cpu, const DecodedInsn& d) {
    const Loc dst = resolve(cpu, d, 0, Access::Write);
    const Loc l{OpKind::Mem, 8, 0, dst.lin};
    const uint64_t expect = (cpu.s.gpr[RDX] << 32) | (cpu.s.gpr[RAX] & 0xffffffff);
    const uint64_t repl = (cpu.s.gpr[RCX] << 32) | (cpu.s.gpr[RBX] & 0xffffffff);
    const uint64_t old = rmw(cpu, d, l, [expect, repl](uint64_t v) { return v == expect ? repl : v; });
    const bool eq = old == expect;
    if (!eq) {
        cpu.gpr_write(RAX, 4, old & 0xffffffff);
        cpu.gpr_write(RDX, 4, old >> 32);
    }
    set_flags_masked(cpu, kZF, eq ? uint64_t{kZF} : 0);
}

void op_cmpxchg16b(Cpu& cpu, const DecodedInsn& d) {
    const uint64_t ea = effective_address(cpu, d);
    const uint64_t lin = cpu.linear_address(d.mem_seg, ea, 16, Access::Write);
    if (lin & 15) cpu.raise(kVecGP, 0);
    const bool u = cpu.s.cpl == 3;
    cpu.probe_write(lin, 16, u);
    // Single-vCPU path: read, compare, write back (the store always happens).
    const uint64_t lo = cpu.read_linear(lin, 8, u), hi = cpu.read_linear(lin + 8, 8, u);
    const bool eq = lo == cpu.s.gpr[RAX] && hi == cpu.s.gpr[RDX];
    if (eq) {
        cpu.write_linear(lin, 8, cpu.s.gpr[RBX], u);
        cpu.write_linear(lin + 8, 8, cpu.s.gpr[RCX], u);
    } else {
        cpu.write_linear(lin, 8, lo, u);
        cpu.write_linear(lin + 8, 8, hi, u);
        cpu.s.gpr[RAX] = lo;
        cpu.s.gpr[RDX] = hi;
    }
    set_flags_masked(cpu, kZF, eq ? uint64_t{kZF} : 0);
}

// ---- stack

uint64_t stack_mask(const Cpu& cpu) { return size_mask(cpu.stack_addr_size()); }

// Commits a new stack pointer at the stack address size (SP, ESP or RSP).
void set_sp(Cpu& cpu, uint64_t sp) { cpu.gpr_write(RSP, cpu.stack_addr_size(), sp); }

void op_push(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    if (d.ops[0].kind == OpKind::Seg) {
        // Recent processors store only the 16-bit selector into the wider slot.
        const uint64_t sp = (cpu.s.gpr[RSP] - size) & stack_mask(cpu);
        cpu.write_mem(SS, sp, 2, cpu.s.seg[d.ops[0].reg].selector);
        set_sp(cpu, sp);
        return;
    }
    uint64_t v;
    if (d.ops[0].kind == OpKind::Imm) {
        v = d.imm;
    } else if (d.ops[0].kind == OpKind::Gpr) {
        v = cpu.gpr_read(d.ops[0].reg, size);
    } else {
        Loc l = resolve(cpu, d, 0, Access::Read);
        l.size = static_cast<uint8_t>(size);  // the stack width, whatever the operand said
        v = load(cpu, d, l);
    }
    cpu.push(v & size_mask(size), size);
}

// POP r/m: the destination address is computed with the incremented RSP
// (SDM), and a fault storing it leaves RSP unchanged.
void op_pop(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    const uint64_t v = cpu.read_stack(0, size);
    const uint64_t old_sp = cpu.s.gpr[RSP];
    if (d.ops[0].kind == OpKind::Seg) {
        cpu.load_segment(d.ops[0].reg, static_cast<uint16_t>(v));
        set_sp(cpu, old_sp + size);
        return;
    }
    set_sp(cpu, old_sp + size);
    if (d.ops[0].kind == OpKind::Gpr) {
        cpu.gpr_write(d.ops[0].reg, size, v);
        return;
    }
    try {
        Loc l = resolve(cpu, d, 0, Access::Write);
        l.size = static_cast<uint8_t>(size);
        store(cpu, l, v);
    } catch (const CpuFault&) {
        cpu.s.gpr[RSP] = old_sp;
        throw;
    }
}

void op_pusha(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const uint64_t sm = stack_mask(cpu);
    const uint64_t regs[8] = {cpu.s.gpr[RAX], cpu.s.gpr[RCX], cpu.s.gpr[RDX], cpu.s.gpr[RBX],
                              cpu.s.gpr[RSP], cpu.s.gpr[RBP], cpu.s.gpr[RSI], cpu.s.gpr[RDI]};
    uint64_t sp = cpu.s.gpr[RSP];
    for (uint64_t r : regs) {
        sp = (sp - size) & sm;
        cpu.write_mem(SS, sp, size, r & size_mask(size));
    }
    set_sp(cpu, sp);
}

void op_popa(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const uint64_t sm = stack_mask(cpu);
    uint64_t v[8];
    uint64_t sp = cpu.s.gpr[RSP];
    for (uint64_t& x : v) {
        x = cpu.read_mem(SS, sp & sm, size);
        sp = (sp + size) & sm;
    }
    // Popped in the order DI SI BP (SP skipped) BX DX CX AX.
    const uint8_t order[8] = {RDI, RSI, RBP, RSP, RBX, RDX, RCX, RAX};
    for (int i = 0; i < 8; ++i)
        if (order[i] != RSP) cpu.gpr_write(order[i], size, v[i]);
    set_sp(cpu, sp);
}

void op_pushf(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    cpu.push(cpu.pushf_image(size), size);
}

void op_popf(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    const uint64_t v = cpu.read_stack(0, size);
    cpu.popf_apply(v, size);
    set_sp(cpu, cpu.s.gpr[RSP] + size);
}

// ENTER size, level: the frame (old rBP, level-1 copied frame pointers, the
// new frame pointer) is written below RSP first; registers change last.
void op_enter(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    const uint64_t sm = stack_mask(cpu);
    const unsigned ss = cpu.stack_addr_size();
    const unsigned level = d.imm2 & 31;
    const uint64_t alloc = d.imm & 0xffff;
    uint64_t sp = (cpu.s.gpr[RSP] - size) & sm;
    cpu.write_mem(SS, sp, size, cpu.s.gpr[RBP] & size_mask(size));
    const uint64_t frame = sp;
    if (level > 0) {
        uint64_t bp = cpu.s.gpr[RBP];
        for (unsigned i = 1; i < level; ++i) {
            bp = (bp - size) & size_mask(ss);
            const uint64_t v = cpu.read_mem(SS, bp & sm, size);
            sp = (sp - size) & sm;
            cpu.write_mem(SS, sp, size, v);
        }
        sp = (sp - size) & sm;
        cpu.write_mem(SS, sp, size, frame & size_mask(size));
    }
    sp = (sp - alloc) & sm;
    // A write at the final stack pointer must be possible (SDM: #SS/#PF "if a
    // write using the final value of the stack pointer" would fault). The
    // host shows the frame already written when that fault is reported, so
    // the check comes last; registers are still untouched.
    cpu.probe_write(cpu.linear_address(SS, sp, size, Access::Write), size, cpu.s.cpl == 3);
    cpu.gpr_write(RBP, ss, frame);
    set_sp(cpu, sp);
}

void op_leave(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = stack_opsize(cpu, d);
    const uint64_t sm = stack_mask(cpu);
    const uint64_t bp = cpu.s.gpr[RBP] & sm;
    const uint64_t v = cpu.read_mem(SS, bp, size);
    set_sp(cpu, bp + size);
    cpu.gpr_write(RBP, size, v);
}

// ---- flags, accumulator conversions, misc

void op_lahf(Cpu& cpu, const DecodedInsn&) {
    const uint64_t f = cpu.rflags() & (kSF | kZF | kAF | kPF | kCF);
    cpu.gpr_write(kHighByteBase, 1, f | 2);  // AH
}

void op_sahf(Cpu& cpu, const DecodedInsn&) {
    const uint64_t ah = (cpu.s.gpr[RAX] >> 8) & 0xff;
    set_flags_masked(cpu, kSF | kZF | kAF | kPF | kCF, ah);
}

// CBW/CWDE/CDQE: the accumulator's lower half sign-extended into all of it.
void op_cbw(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    cpu.gpr_write(RAX, size, static_cast<uint64_t>(sign_extend(cpu.gpr_read(RAX, size / 2), size / 2)));
}

// CWD/CDQ/CQO: rDX filled with the sign of rAX.
void op_cwd(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    cpu.gpr_write(RDX, size, (cpu.gpr_read(RAX, size) & sign_bit(size)) ? ~0ull : 0);
}

// BSWAP of a 16-bit register is undefined; processors clear it.
void op_bswap(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t v = cpu.gpr_read(d.ops[0].reg, size);
    cpu.gpr_write(d.ops[0].reg, size, size == 2 ? 0 : bswap(v, size));
}

void op_xlat(Cpu& cpu, const DecodedInsn& d) {
    const unsigned seg = d.has(kPrefixSegment) ? d.mem_seg : uint8_t{DS};
    const uint64_t addr = (cpu.s.gpr[RBX] + (cpu.s.gpr[RAX] & 0xff)) & size_mask(d.addrsize);
    cpu.gpr_write(RAX, 1, cpu.read_mem(seg, addr, 1));
}

// CMOVcc reads its source even when the condition is false (a memory source
// can fault), and a 32-bit destination is zero-extended either way.
void op_cmovcc(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.ops[0].size;
    const uint64_t v = read_operand(cpu, d, 1);
    if (cpu.cond(d.cond)) cpu.gpr_write(d.ops[0].reg, size, v);
    else if (size == 4) cpu.gpr_write(d.ops[0].reg, 4, cpu.gpr_read(d.ops[0].reg, 4));
}

void op_setcc(Cpu& cpu, const DecodedInsn& d) { write_operand(cpu, d, 0, cpu.cond(d.cond) ? 1 : 0); }

// LDS/LES/LFS/LGS/LSS: offset then selector from memory; the segment is
// loaded (with its checks) before the register is written.
template <unsigned kSeg>
void op_load_far_pointer(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const uint64_t ea = effective_address(cpu, d);
    const uint64_t off = cpu.read_mem(d.mem_seg, ea, size);
    const uint16_t sel = static_cast<uint16_t>(cpu.read_mem(d.mem_seg, (ea + size) & size_mask(d.addrsize), 2));
    cpu.load_segment(kSeg, sel);
    cpu.gpr_write(d.ops[0].reg, size, off);
}

}  // namespace

void register_data_movement(HandlerTable& t) {
    t.set(Op::MOV, op_mov);
    t.set(Op::MOV_SREG, op_mov_sreg);
    t.set(Op::NOP, op_nop);
    t.set(Op::LEA, op_lea);
    t.set(Op::MOVZX, op_movzx);
    t.set(Op::MOVSX, op_movsx);
    t.set(Op::MOVSXD, op_movsx);
    t.set(Op::MOVBE, op_movbe);
    t.set(Op::XCHG, op_xchg);
    t.set(Op::XADD, op_xadd);
    t.set(Op::CMPXCHG, op_cmpxchg);
    t.set(Op::CMPXCHG8B, op_cmpxchg8b);
    t.set(Op::CMPXCHG16B, op_cmpxchg16b);
    t.set(Op::PUSH, op_push);
    t.set(Op::POP, op_pop);
    t.set(Op::PUSHA, op_pusha);
    t.set(Op::POPA, op_popa);
    t.set(Op::PUSHF, op_pushf);
    t.set(Op::POPF, op_popf);
    t.set(Op::ENTER, op_enter);
    t.set(Op::LEAVE, op_leave);
    t.set(Op::LAHF, op_lahf);
    t.set(Op::SAHF, op_sahf);
    t.set(Op::CBW, op_cbw);
    t.set(Op::CWD, op_cwd);
    t.set(Op::BSWAP, op_bswap);
    t.set(Op::XLAT, op_xlat);
    t.set(Op::CMOVCC, op_cmovcc);
    t.set(Op::SETCC, op_setcc);
    t.set(Op::LDS, op_load_far_pointer<DS>);
    t.set(Op::LES, op_load_far_pointer<ES>);
    t.set(Op::LFS, op_load_far_pointer<FS>);
    t.set(Op::LGS, op_load_far_pointer<GS>);
    t.set(Op::LSS, op_load_far_pointer<SS>);
}

}  // namespace petrel
