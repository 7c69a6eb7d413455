// The path Linux's 32-bit boot protocol entry takes into long mode, one
// system instruction at a time: flat protected mode with paging off, LGDT,
// CR4.PAE, EFER.LME, CR3, CR0.PG (IA-32e active, compatibility mode), LTR,
// a far return into 64-bit code, then LIDT and an interrupt in 64-bit mode.
#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;

namespace {
DecodedInsn mov_to_cr(unsigned cr, uint8_t reg) {
    DecodedInsn d = SysFixture::insn(Op::MOV_CR, 4);
    d.nops = 2;
    d.ops[0] = Operand{OpKind::Cr, 4, static_cast<uint8_t>(cr)};
    d.ops[1] = Operand{OpKind::Gpr, 4, reg};
    d.length = 3;
    return d;
}
}  // namespace

TEST_CASE_FIXTURE(SysFixture, "32-bit boot protocol entry to 64-bit mode") {
    // The state a 32-bit boot loader hands over: flat 4 GiB CS/DS, CPL 0, no paging.
    protected32();
    // The kernel's GDT: 0x10 64-bit code, 0x18 data, 0x20 TSS (base 0x3000).
    const uint64_t gdt2 = 0x1800;
    wr(gdt2 + 0x10, make_desc(0, 0xfffff, 0x9a, 0xa), 8);
    wr(gdt2 + 0x18, make_desc(0, 0xfffff, 0x92, 0xc), 8);
    wr(gdt2 + 0x20, make_desc(kTss, 0x67, 0x89, 0), 8);
    wr(0x700, 0x2f, 2);
    wr(0x702, gdt2, 4);
    exec(with_mem(Op::LGDT, 0x700, 6));
    CHECK(cpu.s.gdtr.base == gdt2);
    // Page tables: identity-map the first 16 MiB with 2 MiB pages.
    wr(kPml4, (kPml4 + 0x1000) | 3, 8);
    wr(kPml4 + 0x1000, (kPml4 + 0x2000) | 3, 8);
    for (unsigned i = 0; i < 8; ++i) wr(kPml4 + 0x2000 + i * 8, (uint64_t{i} << 21) | 0x83, 8);
    cpu.s.gpr[RAX] = kCR4_PAE;
    exec(mov_to_cr(4, RAX));
    cpu.s.gpr[RCX] = 0xc0000080;
    cpu.s.gpr[RAX] = kEFER_LME;
    cpu.s.gpr[RDX] = 0;
    exec(insn(Op::RDMSR));  // read-modify-write, as the kernel does
    cpu.s.gpr[RAX] |= kEFER_LME;
    exec(insn(Op::WRMSR));
    CHECK(cpu.s.efer == kEFER_LME);
    cpu.s.gpr[RAX] = kPml4;
    exec(mov_to_cr(3, RAX));
    // LTR needs the descriptor while still in legacy protected mode.
    cpu.s.gpr[RAX] = 0x20;
    exec(with_gpr(Op::LTR, RAX, 2));
    // push $__KERNEL_CS; push $startup_64; then paging on.
    cpu.s.gpr[RSP] = 0x9000;
    wr(0x9000 - 8, 0x200000, 4);
    wr(0x9000 - 4, 0x10, 4);
    cpu.s.gpr[RSP] = 0x9000 - 8;
    cpu.s.gpr[RAX] = kCR0_PG | kCR0_PE;
    exec(mov_to_cr(0, RAX));
    CHECK(cpu.long_mode());
    CHECK(cpu.code_mode() == CodeMode::Bits32);  // compatibility mode until CS is reloaded
    exec(insn(Op::RET_FAR, 4));
    CHECK(cpu.code_mode() == CodeMode::Bits64);
    CHECK(cpu.s.rip == 0x200000);
    CHECK(cpu.s.seg[CS].selector == 0x10);
    CHECK(cpu.s.gpr[RSP] == 0x9000);
    // 64-bit: data segments may be null; LIDT takes a 64-bit base.
    cpu.load_segment(DS, 0);
    cpu.load_segment(SS, 0x18);
    wr(0x710, 0xfff, 2);
    wr(0x712, kIdt, 8);
    exec(with_mem(Op::LIDT, 0x710, 10, 4, 8));
    CHECK(cpu.s.idtr.base == kIdt);
    idt64(0x30, 0x10, 0x300000, 0x8e);
    cpu.s.rflags |= kIF;
    cpu.deliver_event(0x30, Cpu::EventKind::External, false, 0);
    CHECK(cpu.s.rip == 0x300000);
    CHECK(rd(cpu.s.gpr[RSP], 8) == 0x200002);  // the interrupted RIP (after the 2-byte LIDT stand-in)
    CHECK(cpu.s.gpr[RSP] == 0x9000 - 40);
    exec(insn(Op::IRET, 8));
    CHECK(cpu.s.rip == 0x200002);
    CHECK(cpu.s.gpr[RSP] == 0x9000);
    CHECK((cpu.s.rflags & kIF) != 0);
    // Accessed and dirty bits on the pages used.
    CHECK((rd(kPml4, 8) & 0x20) != 0);
}
