// Shared set-up for the CPU system-architecture tests: a CPU on 16 MiB of RAM,
// descriptor and gate encoders, ready-made protected-mode and long-mode
// environments (GDT, IDT, TSS, identity page tables), and helpers that run one
// handler the way the run loop does (faults delivered through the IDT).
#pragma once
#include <doctest/doctest.h>

#include <optional>

#include "cpu/cpu.h"
#include "cpu/interp/handlers.h"

namespace petrel::test {

// Code/data descriptor: access byte (P, DPL, S, type) and flags nibble (G=8, D/B=4, L=2).
inline uint64_t make_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags) {
    return (limit & 0xffffull) | (uint64_t{base & 0xffffff} << 16) | (uint64_t{access} << 40) |
           (uint64_t{(limit >> 16) & 0xf} << 48) | (uint64_t{flags & 0xfu} << 52) | (uint64_t{base >> 24} << 56);
}
// Legacy gate: selector, offset, access byte (P, DPL, type), parameter count or IST.
inline uint64_t make_gate(uint16_t sel, uint32_t off, uint8_t access, uint8_t params = 0) {
    return (off & 0xffffull) | (uint64_t{sel} << 16) | (uint64_t{params} << 32) | (uint64_t{access} << 40) |
           (uint64_t{off >> 16} << 48);
}

constexpr uint8_t kCode0 = 0x9b, kData0 = 0x93, kCode3 = 0xfb, kData3 = 0xf3;
constexpr uint8_t kIntGate32 = 0x8e, kTrapGate32 = 0x8f, kIntGate32Dpl3 = 0xee, kCallGate32 = 0x8c;

struct SysFixture {
    PhysicalMemory mem{16ull << 20};
    Bus io;
    Cpu cpu{mem, io};

    static constexpr uint64_t kGdt = 0x1000, kIdt = 0x2000, kTss = 0x3000, kStack0 = 0x9000,
                              kStack3 = 0x8000, kPml4 = 0x10000, kHandler = 0x5000;

    SysFixture() { cpu.seed_rng(1); }

    uint64_t rd(uint64_t a, unsigned n) { return mem.read(a, n); }
    void wr(uint64_t a, uint64_t v, unsigned n) { mem.write(a, v, n); }
    void gdt(unsigned sel, uint64_t d) { wr(kGdt + (sel & ~7u), d, 8); }
    void idt32(unsigned vec, uint64_t g) { wr(kIdt + vec * 8, g, 8); }
    void idt64(unsigned vec, uint16_t sel, uint64_t off, uint8_t access, uint8_t ist = 0) {
        wr(kIdt + vec * 16, make_gate(sel, static_cast<uint32_t>(off), access, ist), 8);
        wr(kIdt + vec * 16 + 8, off >> 32, 8);
    }

    Segment seg_from(unsigned sel) {
        uint64_t d = rd(kGdt + (sel & ~7u), 8);
        Segment s;
        s.selector = static_cast<uint16_t>(sel);
        s.attr = static_cast<uint16_t>(((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 8));
        uint32_t lim = static_cast<uint32_t>((d & 0xffff) | ((d >> 32) & 0xf0000));
        s.limit = (d >> 55) & 1 ? (lim << 12) | 0xfff : lim;
        s.base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
        return s;
    }

    // Flat 32-bit protected mode at CPL 0, paging off.
    // GDT: 08 code0, 10 data0, 18 code3, 20 data3, 28 TSS32.
    void protected32() {
        gdt(0x08, make_desc(0, 0xfffff, kCode0, 0xc));
        gdt(0x10, make_desc(0, 0xfffff, kData0, 0xc));
        gdt(0x18, make_desc(0, 0xfffff, kCode3, 0xc));
        gdt(0x20, make_desc(0, 0xfffff, kData3, 0xc));
        gdt(0x28, make_desc(kTss, 0x67 + 0x2000 / 8 + 1, 0x8b, 0));  // busy: the current task
        wr(kTss + 4, kStack0, 4);    // ESP0
        wr(kTss + 8, 0x10, 2);       // SS0
        wr(kTss + 0x66, 0x68, 2);    // I/O bitmap right after the TSS
        cpu.s.gdtr = DescriptorTable{kGdt, 0xff};
        cpu.s.idtr = DescriptorTable{kIdt, 0x7ff};
        cpu.s.cr0 |= kCR0_PE;
        cpu.s.seg[CS] = seg_from(0x08);
        for (unsigned r : {SS, DS, ES, FS, GS}) cpu.s.seg[r] = seg_from(0x10);
        cpu.s.tr = seg_from(0x28);
        cpu.s.tr.attr |= 2;
        cpu.s.cpl = 0;
        cpu.s.gpr[RSP] = kStack0;
        cpu.s.rip = 0x4000;
    }
    void to_cpl3_32() {
        cpu.s.seg[CS] = seg_from(0x1b);
        for (unsigned r : {SS, DS, ES, FS, GS}) cpu.s.seg[r] = seg_from(0x23);
        cpu.s.cpl = 3;
        cpu.s.gpr[RSP] = kStack3;
    }

    // Long mode at CPL 0 in 64-bit code, identity-mapped 16 MiB (2 MiB user pages).
    // GDT: 08 code32 0, 10 code64 0, 18 data 0, 20 code32 3, 28 data 3, 30 code64 3, 40 TSS64.
    void long64() {
        gdt(0x08, make_desc(0, 0xfffff, kCode0, 0xc));
        gdt(0x10, make_desc(0, 0xfffff, kCode0, 0xa));
        gdt(0x18, make_desc(0, 0xfffff, kData0, 0xc));
        gdt(0x20, make_desc(0, 0xfffff, kCode3, 0xc));
        gdt(0x28, make_desc(0, 0xfffff, kData3, 0xc));
        gdt(0x30, make_desc(0, 0xfffff, kCode3, 0xa));
        gdt(0x40, make_desc(kTss, 0x67, 0x8b, 0));
        gdt(0x48, 0);
        wr(kTss + 4, kStack0, 8);            // RSP0
        wr(kTss + 0x24, 0xa000, 8);          // IST1
        wr(kTss + 0x66, 0x68, 2);
        wr(kPml4, (kPml4 + 0x1000) | 7, 8);
        wr(kPml4 + 0x1000, (kPml4 + 0x2000) | 7, 8);
        for (unsigned i = 0; i < 8; ++i) wr(kPml4 + 0x2000 + i * 8, (uint64_t{i} << 21) | 0x87, 8);
        cpu.s.gdtr = DescriptorTable{kGdt, 0xff};
        cpu.s.idtr = DescriptorTable{kIdt, 0xfff};
        cpu.s.cr3 = kPml4;
        cpu.s.cr4 = kCR4_PAE;
        cpu.s.efer = kEFER_LME | kEFER_LMA | kEFER_SCE | kEFER_NXE;
        cpu.s.cr0 = kCR0_PE | kCR0_PG | kCR0_ET | kCR0_WP;
        cpu.s.seg[CS] = seg_from(0x10);
        for (unsigned r : {SS, DS, ES, FS, GS}) cpu.s.seg[r] = seg_from(0x18);
        cpu.s.tr = seg_from(0x40);
        cpu.s.tr.attr |= 2;
        cpu.s.cpl = 0;
        cpu.s.gpr[RSP] = kStack0;
        cpu.s.rip = 0x4000;
        cpu.tlb_flush_all();
    }
    void to_cpl3_64() {
        cpu.s.seg[CS] = seg_from(0x33);
        for (unsigned r : {SS, DS, ES}) cpu.s.seg[r] = seg_from(0x2b);
        cpu.s.cpl = 3;
        cpu.s.gpr[RSP] = kStack3;
    }

    // Runs one handler as the run loop would; a fault is delivered to the guest.
    void exec(DecodedInsn d) {
        if (!d.length) d.length = 2;
        cpu.next_rip = cpu.s.rip + d.length;
        try {
            handler_for(d.op)(cpu, d);
            cpu.s.rip = cpu.next_rip;
        } catch (const CpuFault& f) {
            cpu.deliver_event(f.vector, Cpu::EventKind::Exception, f.has_error, f.error);
        }
    }
    // Runs one handler and returns its fault, without delivering it.
    std::optional<CpuFault> attempt(DecodedInsn d) {
        if (!d.length) d.length = 2;
        cpu.next_rip = cpu.s.rip + d.length;
        try {
            handler_for(d.op)(cpu, d);
            cpu.s.rip = cpu.next_rip;
        } catch (const CpuFault& f) {
            return f;
        }
        return std::nullopt;
    }

    static DecodedInsn insn(Op op, unsigned opsize = 4) {
        DecodedInsn d;
        d.op = op;
        d.opsize = static_cast<uint8_t>(opsize);
        return d;
    }
    static DecodedInsn with_imm(Op op, uint64_t imm, unsigned opsize = 4) {
        DecodedInsn d = insn(op, opsize);
        d.nops = 1;
        d.ops[0] = Operand{OpKind::Imm, static_cast<uint8_t>(opsize), 0};
        d.imm = imm;
        return d;
    }
    // A far pointer operand in the direct (ptr16:32) form.
    static DecodedInsn far_ptr(Op op, uint16_t sel, uint64_t off, unsigned opsize = 4) {
        DecodedInsn d = insn(op, opsize);
        d.nops = 1;
        d.ops[0] = Operand{OpKind::Imm, static_cast<uint8_t>(opsize), 0};
        d.imm = off;
        d.imm2 = sel;
        return d;
    }
    // One explicit memory operand at absolute address disp (DS).
    static DecodedInsn with_mem(Op op, uint64_t disp, unsigned size, unsigned opsize = 4, unsigned addrsize = 4) {
        DecodedInsn d = insn(op, opsize);
        d.nops = 1;
        d.ops[0] = Operand{OpKind::Mem, static_cast<uint8_t>(size), 0};
        d.mem_seg = DS;
        d.disp = static_cast<int64_t>(disp);
        d.addrsize = static_cast<uint8_t>(addrsize);
        return d;
    }
    static DecodedInsn with_gpr(Op op, uint8_t reg, unsigned opsize = 4) {
        DecodedInsn d = insn(op, opsize);
        d.nops = 1;
        d.ops[0] = Operand{OpKind::Gpr, static_cast<uint8_t>(opsize), reg};
        return d;
    }
};

// An interrupt controller with one request line: set `pending` to raise
// `vector`; acknowledging it clears the request.
struct OneIrq : InterruptController {
    bool pending = false;
    uint8_t vector = 0x30;
    bool has_interrupt() override { return pending; }
    uint8_t acknowledge() override {
        pending = false;
        return vector;
    }
};

}  // namespace petrel::test
