// V86 entry and exit, VME interrupt redirection, 64-bit call gates, task
// gates in the IDT.
#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;
using Kind = Cpu::EventKind;

namespace {
// CPL 0 IRET with VM set in the EFLAGS image: enter V86 at 2000:0100.
void enter_v86(SysFixture& f, uint64_t eflags) {
    uint64_t sp = SysFixture::kStack0 - 36;
    uint32_t frame[9] = {0x100, 0x2000, static_cast<uint32_t>(eflags | kVM), 0xfffe, 0x3000, 0x11, 0x22, 0x33, 0x44};
    for (unsigned i = 0; i < 9; ++i) f.wr(sp + 4 * i, frame[i], 4);
    f.cpu.s.gpr[RSP] = sp;
    f.exec(SysFixture::insn(Op::IRET, 4));
}
}  // namespace

TEST_CASE_FIXTURE(SysFixture, "IRET to V86 loads real-mode style segments; an interrupt leaves V86 through the TSS") {
    protected32();
    enter_v86(*this, 0x202);
    CHECK(cpu.v86_mode());
    CHECK(cpu.s.cpl == 3);
    CHECK(cpu.s.seg[CS].base == 0x20000);
    CHECK(cpu.s.rip == 0x100);
    CHECK(cpu.s.seg[SS].base == 0x30000);
    CHECK(cpu.s.gpr[RSP] == 0xfffe);
    CHECK(cpu.s.seg[ES].selector == 0x11);
    CHECK(cpu.s.seg[GS].selector == 0x44);
    CHECK(cpu.code_mode() == CodeMode::Bits16);

    idt32(0x20, make_gate(0x08, kHandler, kIntGate32));
    cpu.deliver_event(0x20, Kind::External, false, 0);
    CHECK_FALSE(cpu.v86_mode());
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.s.rip == kHandler);
    CHECK(cpu.s.seg[DS].selector == 0);
    // Frame: GS FS DS ES SS ESP EFLAGS CS EIP.
    uint64_t sp = cpu.s.gpr[RSP];
    CHECK(sp == kStack0 - 36);
    CHECK(rd(sp, 4) == 0x100);
    CHECK(rd(sp + 4, 4) == 0x2000);
    CHECK((rd(sp + 8, 4) & kVM) != 0);
    CHECK(rd(sp + 12, 4) == 0xfffe);
    CHECK(rd(sp + 16, 4) == 0x3000);
    CHECK(rd(sp + 20, 4) == 0x11);
    CHECK(rd(sp + 32, 4) == 0x44);
    // And back.
    exec(insn(Op::IRET, 4));
    CHECK(cpu.v86_mode());
    CHECK(cpu.s.rip == 0x100);
}

TEST_CASE_FIXTURE(SysFixture, "V86: IOPL-sensitive CLI and INT n; VME redirects INT n to the V86 IVT") {
    protected32();
    idt32(13, make_gate(0x08, kHandler, kIntGate32));
    enter_v86(*this, 0x202);  // IOPL 0
    auto f = attempt(insn(Op::CLI));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    exec(with_imm(Op::INT, 0x10, 1));  // #GP(0), delivered out of V86
    CHECK_FALSE(cpu.v86_mode());
    CHECK(cpu.s.rip == kHandler);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0);
    CHECK(rd(cpu.s.gpr[RSP] + 4, 4) == 0x100);  // the INT itself
    enter_v86(*this, 0x202);
    // With VME: CLI clears VIF, and INT 10h (bit clear in the redirection
    // bitmap, which sits just below the I/O bitmap) uses the IVT at linear 0.
    cpu.s.cr4 |= kCR4_VME;
    cpu.s.rflags |= kVIF;
    exec(insn(Op::CLI));
    CHECK((cpu.s.rflags & kVIF) == 0);
    CHECK((cpu.s.rflags & kIF) != 0);
    wr(0x10 * 4, 0xc000'0040, 4);  // C000:0040
    exec(with_imm(Op::INT, 0x10, 1));
    CHECK(cpu.v86_mode());
    CHECK(cpu.s.seg[CS].selector == 0xc000);
    CHECK(cpu.s.rip == 0x40);
    uint64_t sp = 0x30000 + cpu.s.gpr[RSP];
    CHECK(rd(sp, 2) == 0x104);     // IP after CLI and INT (2 bytes each here)
    CHECK(rd(sp + 2, 2) == 0x2000);
    CHECK((rd(sp + 4, 2) & kIF) == 0);         // IF image = VIF (clear)
    CHECK((rd(sp + 4, 2) & kIOPL) == kIOPL);   // IOPL image = 3
}

TEST_CASE_FIXTURE(SysFixture, "64-bit call gate from CPL 3: RSP from the TSS, null SS, 8-byte frame; RETFQ back") {
    long64();
    // 16-byte call gate at 0x50 -> 64-bit code 0x10 at kHandler, DPL 3.
    wr(kGdt + 0x50, make_gate(0x10, kHandler, 0xec), 8);
    wr(kGdt + 0x58, 0, 8);
    to_cpl3_64();
    cpu.s.rip = 0x4000;
    DecodedInsn call = far_ptr(Op::CALL_FAR, 0x53, 0, 4);
    call.ops[0] = Operand{OpKind::Mem, 6, 0};  // m16:32 (the direct form is invalid in 64-bit mode)
    call.disp = 0x700;
    call.mem_seg = DS;
    call.addrsize = 8;
    wr(0x700, 0, 4);
    wr(0x704, 0x53, 2);
    exec(call);
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.s.rip == kHandler);
    CHECK(cpu.s.seg[SS].selector == 0);
    uint64_t sp = cpu.s.gpr[RSP];
    CHECK(sp == kStack0 - 32);
    CHECK(rd(sp, 8) == 0x4002);
    CHECK(rd(sp + 8, 8) == 0x33);
    CHECK(rd(sp + 16, 8) == kStack3);
    CHECK(rd(sp + 24, 8) == 0x2b);
    exec(insn(Op::RET_FAR, 8));
    CHECK(cpu.s.cpl == 3);
    CHECK(cpu.s.rip == 0x4002);
    CHECK(cpu.s.gpr[RSP] == kStack3);
    CHECK(cpu.s.seg[SS].selector == 0x2b);
}

TEST_CASE_FIXTURE(SysFixture, "a task gate in the IDT switches tasks and pushes the error code on the new stack") {
    protected32();
    const uint64_t tss2 = 0x3800;
    gdt(0x38, make_desc(tss2, 0x67, 0x89, 0));
    wr(tss2 + 0x20, 0x6000, 4);
    wr(tss2 + 0x24, 0x2, 4);
    wr(tss2 + 0x38, 0x7000, 4);
    wr(tss2 + 0x4c, 0x08, 2);
    wr(tss2 + 0x50, 0x10, 2);
    wr(tss2 + 0x54, 0x10, 2);
    idt32(8, make_gate(0x38, 0, 0x85));  // task gate for #DF
    cpu.deliver_event(kVecDF, Kind::Exception, true, 0);
    CHECK(cpu.s.tr.selector == 0x38);
    CHECK(cpu.s.rip == 0x6000);
    CHECK(cpu.s.gpr[RSP] == 0x7000 - 4);
    CHECK(rd(0x7000 - 4, 4) == 0);
    CHECK(rd(tss2, 2) == 0x28);  // back link to the interrupted task
    CHECK((cpu.s.rflags & kNT) != 0);
}

TEST_CASE_FIXTURE(SysFixture, "JMP to a TSS: the old task is no longer busy, no back link, NT clear") {
    protected32();
    const uint64_t tss2 = 0x3800;
    gdt(0x38, make_desc(tss2, 0x67, 0x89, 0));
    wr(tss2 + 0x20, 0x6000, 4);
    wr(tss2 + 0x24, 0x2, 4);
    wr(tss2 + 0x4c, 0x08, 2);
    wr(tss2 + 0x50, 0x10, 2);
    exec(far_ptr(Op::JMP_FAR, 0x38, 0, 4));
    CHECK(cpu.s.tr.selector == 0x38);
    CHECK(cpu.s.rip == 0x6000);
    CHECK((cpu.s.rflags & kNT) == 0);
    CHECK(((rd(kGdt + 0x28 + 5, 1) >> 1) & 1) == 0);
    CHECK(((rd(kGdt + 0x38 + 5, 1) >> 1) & 1) == 1);
    CHECK(rd(tss2, 2) == 0);
    // Jumping to a busy TSS is #GP(selector).
    auto f = attempt(far_ptr(Op::JMP_FAR, 0x38, 0, 4));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(f->error == 0x38);
}

TEST_CASE_FIXTURE(SysFixture, "a task switch clears the local breakpoint enables L0-L3 of DR7, keeps G0-G3") {
    protected32();
    const uint64_t tss2 = 0x3800;
    gdt(0x38, make_desc(tss2, 0x67, 0x89, 0));
    wr(tss2 + 0x20, 0x6000, 4);
    wr(tss2 + 0x24, 0x2, 4);
    wr(tss2 + 0x4c, 0x08, 2);
    wr(tss2 + 0x50, 0x10, 2);
    cpu.s.dr[0] = 0x7100;
    cpu.s.dr[1] = 0x7200;
    cpu.s.dr[7] = 0x400 | 0x55 | 0x08;  // L0-L3, G1
    exec(far_ptr(Op::JMP_FAR, 0x38, 0, 4));
    CHECK(cpu.s.tr.selector == 0x38);
    CHECK(cpu.s.dr[7] == (0x400 | 0x08));
}

TEST_CASE_FIXTURE(SysFixture, "the T bit's #DB comes before the new task's first instruction") {
    protected32();
    const uint64_t tss2 = 0x3800;
    gdt(0x38, make_desc(tss2, 0x67, 0x89, 0));
    wr(tss2 + 0x20, 0x6000, 4);
    wr(tss2 + 0x24, 0x2, 4);
    wr(tss2 + 0x38, 0x7000, 4);
    wr(tss2 + 0x4c, 0x08, 2);
    wr(tss2 + 0x50, 0x10, 2);
    wr(tss2 + 0x54, 0x10, 2);
    wr(tss2 + 0x64, 1, 2);                   // T
    wr(0x6000, 0x90, 1);                     // the task's first instruction: NOP
    idt32(0x41, make_gate(0x38, 0, 0x85));   // task gate
    idt32(1, make_gate(0x08, 0x6800, 0x8e)); // #DB
    cpu.deliver_event(0x41, Kind::External, false, 0);
    REQUIRE(cpu.s.tr.selector == 0x38);
    cpu.step();
    CHECK(cpu.s.rip == 0x6800);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x6000);  // saved EIP: the NOP did not run
    CHECK((cpu.s.dr[6] & 0x8000) != 0);      // BT
}

TEST_CASE_FIXTURE(SysFixture, "16-bit TSS task switch through a task gate") {
    protected32();
    const uint64_t tss16 = 0x3900;
    gdt(0x40, make_desc(tss16, 0x2b, 0x81, 0));  // available 16-bit TSS
    gdt(0x48, make_desc(0, 0xffff, kCode0, 0));  // 16-bit code
    gdt(0x50, make_desc(0, 0xffff, kData0, 0));  // 16-bit data
    wr(tss16 + 0x0e, 0x1234, 2);   // IP
    wr(tss16 + 0x10, 0x0002, 2);   // FLAGS
    wr(tss16 + 0x12, 0xbeef, 2);   // AX
    wr(tss16 + 0x1a, 0x0800, 2);   // SP
    wr(tss16 + 0x24, 0x48, 2);     // CS
    wr(tss16 + 0x26, 0x50, 2);     // SS
    wr(tss16 + 0x28, 0x50, 2);     // DS
    idt32(0x41, make_gate(0x40, 0, 0x85));
    cpu.deliver_event(0x41, Kind::External, false, 0);
    CHECK(cpu.s.tr.selector == 0x40);
    CHECK(cpu.s.rip == 0x1234);
    CHECK(cpu.code_mode() == CodeMode::Bits16);
    CHECK((cpu.s.gpr[RAX] & 0xffff) == 0xbeef);
    CHECK(cpu.s.seg[DS].selector == 0x50);
    CHECK(rd(tss16, 2) == 0x28);
}

TEST_CASE_FIXTURE(SysFixture, "instruction breakpoints fault before the instruction unless RF is set") {
    protected32();
    cpu.s.dr[0] = 0x4000;
    cpu.s.dr[7] = 0x401;  // L0, execute
    CHECK_THROWS_AS(cpu.check_instruction_breakpoints(), CpuFault);
    CHECK((cpu.s.dr[6] & 1) == 1);
    cpu.s.rip = 0x4001;
    CHECK_NOTHROW(cpu.check_instruction_breakpoints());
}

TEST_CASE_FIXTURE(SysFixture, "STAC/CLAC toggle AC at CPL 0 and are #UD at CPL 3") {
    protected32();
    exec(insn(Op::STAC));
    CHECK((cpu.s.rflags & kAC) != 0);
    exec(insn(Op::CLAC));
    CHECK((cpu.s.rflags & kAC) == 0);
    to_cpl3_32();
    auto f = attempt(insn(Op::STAC));
    REQUIRE(f);
    CHECK(f->vector == kVecUD);
}

TEST_CASE_FIXTURE(SysFixture, "V86 mode: STAC and CLAC are #UD, INVPCID is #GP(0) (SDM)") {
    protected32();
    enter_v86(*this, 0x3202);  // IOPL 3: nothing IOPL-sensitive about them either
    REQUIRE(cpu.v86_mode());
    DecodedInsn d = insn(Op::INVPCID, 4);
    d.nops = 2;
    d.ops[0] = Operand{OpKind::Gpr, 4, RAX};
    d.ops[1] = Operand{OpKind::Mem, 16, 0};
    d.disp = 0x900;
    d.mem_seg = DS;
    d.addrsize = 2;
    cpu.s.gpr[RAX] = 2;
    auto f = attempt(d);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(f->error == 0);
    for (const DecodedInsn& i : {insn(Op::STAC), insn(Op::CLAC)}) {
        f = attempt(i);
        REQUIRE(f);
        CHECK(f->vector == kVecUD);
    }
}
