// SYSCALL/SYSRET (Intel semantics: 64-bit mode only) and SYSENTER/SYSEXIT.
// These load flat segment caches straight from MSRs without reading the GDT,
// which is why the OS must lay out its GDT to match (STAR, SYSENTER_CS).
#include "cpu/interp/operands.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

// Flat 4 GiB segment caches: code (64-bit or 32-bit) and writable data.
Segment flat_code(uint16_t sel, unsigned dpl, bool is64) {
    uint16_t attr = static_cast<uint16_t>(0x9b | (dpl << 5) | 0x800 | (is64 ? 0x200 : 0x400));
    return Segment{sel, attr, 0xffffffff, 0};
}
Segment flat_data(uint16_t sel, unsigned dpl) {
    return Segment{sel, static_cast<uint16_t>(0x93 | (dpl << 5) | 0xc00), 0xffffffff, 0};
}

void op_syscall(Cpu& cpu, const DecodedInsn&) {
    CpuState& s = cpu.s;
    if (!(s.efer & kEFER_SCE) || cpu.code_mode() != CodeMode::Bits64) cpu.raise(kVecUD);
    uint16_t sel = static_cast<uint16_t>(s.star >> 32) & 0xfffc;
    s.gpr[RCX] = cpu.next_rip;
    s.gpr[R11] = cpu.rflags() & ~kRF;
    cpu.set_rflags(cpu.rflags() & ~s.fmask & ~kRF);
    s.seg[CS] = flat_code(sel, 0, true);
    s.seg[SS] = flat_data(static_cast<uint16_t>(sel + 8), 0);
    s.cpl = 0;
    cpu.next_rip = s.lstar;
}

void op_sysret(Cpu& cpu, const DecodedInsn& d) {
    CpuState& s = cpu.s;
    if (!(s.efer & kEFER_SCE) || cpu.code_mode() != CodeMode::Bits64) cpu.raise(kVecUD);
    if (s.cpl != 0) cpu.raise(kVecGP, 0);
    uint16_t base = static_cast<uint16_t>(s.star >> 48);
    const bool to64 = d.opsize == 8;
    // Intel checks RCX before anything changes: a non-canonical return
    // address faults at CPL 0 (on the kernel stack).
    if (to64 && !is_canonical(s.gpr[RCX])) cpu.raise(kVecGP, 0);
    if (to64) {
        s.seg[CS] = flat_code(static_cast<uint16_t>((base + 16) | 3), 3, true);
        cpu.next_rip = s.gpr[RCX];
    } else {
        s.seg[CS] = flat_code(static_cast<uint16_t>(base | 3), 3, false);
        cpu.next_rip = s.gpr[RCX] & 0xffffffff;
    }
    // SS keeps its flat cache; only the selector comes from STAR.
    s.seg[SS] = flat_data(static_cast<uint16_t>((base + 8) | 3), 3);
    cpu.set_rflags((s.gpr[R11] & 0x3c7fd7) | 2);
    s.cpl = 3;
}

void op_sysenter(Cpu& cpu, const DecodedInsn&) {
    CpuState& s = cpu.s;
    if (!cpu.protected_mode() || (s.sysenter_cs & 0xfffc) == 0) cpu.raise(kVecGP, 0);
    uint16_t sel = static_cast<uint16_t>(s.sysenter_cs & 0xfffc);
    const bool lm = cpu.long_mode();
    cpu.set_rflags(cpu.rflags() & ~(kVM | kIF | kRF));
    s.seg[CS] = flat_code(sel, 0, lm);
    s.seg[SS] = flat_data(static_cast<uint16_t>(sel + 8), 0);
    s.cpl = 0;
    s.gpr[RSP] = lm ? s.sysenter_esp : s.sysenter_esp & 0xffffffff;
    cpu.next_rip = lm ? s.sysenter_eip : s.sysenter_eip & 0xffffffff;
}

void op_sysexit(Cpu& cpu, const DecodedInsn& d) {
    CpuState& s = cpu.s;
    if (!cpu.protected_mode() || (s.sysenter_cs & 0xfffc) == 0 || s.cpl != 0) cpu.raise(kVecGP, 0);
    uint16_t base = static_cast<uint16_t>(s.sysenter_cs);
    const bool to64 = d.opsize == 8;
    if (to64) {
        if (!is_canonical(s.gpr[RDX]) || !is_canonical(s.gpr[RCX])) cpu.raise(kVecGP, 0);
        s.seg[CS] = flat_code(static_cast<uint16_t>((base + 32) | 3), 3, true);
        s.seg[SS] = flat_data(static_cast<uint16_t>((base + 40) | 3), 3);
        cpu.next_rip = s.gpr[RDX];
        s.gpr[RSP] = s.gpr[RCX];
    } else {
        s.seg[CS] = flat_code(static_cast<uint16_t>((base + 16) | 3), 3, false);
        s.seg[SS] = flat_data(static_cast<uint16_t>((base + 24) | 3), 3);
        cpu.next_rip = s.gpr[RDX] & 0xffffffff;
        s.gpr[RSP] = s.gpr[RCX] & 0xffffffff;
    }
    s.cpl = 3;
}

// ---- FS/GS bases in 64-bit mode

void op_swapgs(Cpu& cpu, const DecodedInsn&) {
    if (cpu.code_mode() != CodeMode::Bits64) cpu.raise(kVecUD);
    if (cpu.s.cpl != 0) cpu.raise(kVecGP, 0);
    std::swap(cpu.s.seg[GS].base, cpu.s.kernel_gs_base);
}

void check_fsgsbase(Cpu& cpu) {
    if (cpu.code_mode() != CodeMode::Bits64 || !(cpu.s.cr4 & kCR4_FSGSBASE)) cpu.raise(kVecUD);
}
void op_rdfsbase(Cpu& cpu, const DecodedInsn& d) {
    check_fsgsbase(cpu);
    cpu.gpr_write(d.ops[0].reg, d.opsize, cpu.s.seg[FS].base);
}
void op_rdgsbase(Cpu& cpu, const DecodedInsn& d) {
    check_fsgsbase(cpu);
    cpu.gpr_write(d.ops[0].reg, d.opsize, cpu.s.seg[GS].base);
}
void write_base(Cpu& cpu, const DecodedInsn& d, unsigned seg) {
    check_fsgsbase(cpu);
    uint64_t v = cpu.gpr_read(d.ops[0].reg, d.opsize);
    if (!is_canonical(v)) cpu.raise(kVecGP, 0);
    cpu.s.seg[seg].base = v;
}
void op_wrfsbase(Cpu& cpu, const DecodedInsn& d) { write_base(cpu, d, FS); }
void op_wrgsbase(Cpu& cpu, const DecodedInsn& d) { write_base(cpu, d, GS); }

}  // namespace

void register_fast_syscalls(HandlerTable& t) {
    t.set(Op::SYSCALL, op_syscall);
    t.set(Op::SYSRET, op_sysret);
    t.set(Op::SYSENTER, op_sysenter);
    t.set(Op::SYSEXIT, op_sysexit);
    t.set(Op::SWAPGS, op_swapgs);
    t.set(Op::RDFSBASE, op_rdfsbase);
    t.set(Op::RDGSBASE, op_rdgsbase);
    t.set(Op::WRFSBASE, op_wrfsbase);
    t.set(Op::WRGSBASE, op_wrgsbase);
}

}  // namespace petrel
