// Exception and interrupt delivery: frames in real, protected and long mode,
// privilege checks of INT n, error codes, #DF and triple fault.
#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;
using Kind = Cpu::EventKind;

TEST_CASE_FIXTURE(SysFixture, "real mode: INT n pushes FLAGS, CS, IP of the next instruction and uses the IVT") {
    wr(0x21 * 4, 0x1234'5678, 4);  // 1234:5678
    cpu.s.seg[CS].selector = 0x0100;
    cpu.s.seg[CS].base = 0x1000;
    cpu.s.rip = 0x10;
    cpu.s.seg[SS].selector = 0;
    cpu.s.seg[SS].base = 0;
    cpu.s.gpr[RSP] = 0x800;
    cpu.s.rflags = 0x202 | kTF;
    exec(with_imm(Op::INT, 0x21, 1));
    CHECK(cpu.s.seg[CS].selector == 0x1234);
    CHECK(cpu.s.seg[CS].base == 0x12340);
    CHECK(cpu.s.rip == 0x5678);
    CHECK(cpu.s.gpr[RSP] == 0x7fa);
    CHECK(rd(0x7fa, 2) == 0x12);    // IP after the 2-byte INT
    CHECK(rd(0x7fc, 2) == 0x0100);  // CS
    CHECK(rd(0x7fe, 2) == (0x202 | kTF));
    CHECK_FALSE((cpu.s.rflags & kIF) != 0);
    CHECK_FALSE((cpu.s.rflags & kTF) != 0);
}

TEST_CASE_FIXTURE(SysFixture, "protected mode: a fault through a 32-bit interrupt gate at the same privilege") {
    protected32();
    idt32(13, make_gate(0x08, kHandler, kIntGate32));
    cpu.s.rflags = 0x202;
    cpu.deliver_event(kVecGP, Kind::Exception, true, 0x28);
    CHECK(cpu.s.rip == kHandler);
    CHECK(cpu.next_rip == kHandler);
    CHECK(cpu.s.gpr[RSP] == kStack0 - 16);
    CHECK(rd(kStack0 - 16, 4) == 0x28);       // error code
    CHECK(rd(kStack0 - 12, 4) == 0x4000);     // faulting EIP
    CHECK(rd(kStack0 - 8, 4) == 0x08);        // CS
    CHECK(rd(kStack0 - 4, 4) == (0x202 | kRF));  // faults push RF = 1
    CHECK_FALSE((cpu.s.rflags & kIF) != 0);
}

TEST_CASE_FIXTURE(SysFixture, "protected mode: an interrupt from CPL 3 switches to the TSS stack") {
    protected32();
    idt32(0x80, make_gate(0x08, kHandler, 0xef));  // trap gate, DPL 3
    to_cpl3_32();
    cpu.s.rflags = 0x202;
    exec(with_imm(Op::INT, 0x80, 1));
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.s.seg[CS].selector == 0x08);
    CHECK(cpu.s.seg[SS].selector == 0x10);
    CHECK(cpu.s.gpr[RSP] == kStack0 - 20);
    CHECK(rd(kStack0 - 20, 4) == 0x4002);  // return EIP
    CHECK(rd(kStack0 - 16, 4) == 0x1b);
    CHECK(rd(kStack0 - 12, 4) == 0x202);
    CHECK(rd(kStack0 - 8, 4) == kStack3);
    CHECK(rd(kStack0 - 4, 4) == 0x23);
    CHECK((cpu.s.rflags & kIF) != 0);  // trap gate keeps IF
}

TEST_CASE_FIXTURE(SysFixture, "INT n through a gate of lower DPL is #GP(vector*8+2)") {
    protected32();
    idt32(0x40, make_gate(0x08, kHandler, kIntGate32));  // DPL 0
    idt32(13, make_gate(0x08, 0x6000, kIntGate32));
    to_cpl3_32();
    exec(with_imm(Op::INT, 0x40, 1));
    CHECK(cpu.s.rip == 0x6000);
    CHECK(cpu.s.cpl == 0);
    CHECK(rd(kStack0 - 24, 4) == 0x40 * 8 + 2);  // error code: IDT bit, EXT = 0
    CHECK(rd(kStack0 - 20, 4) == 0x4000);        // the INT instruction itself
}

TEST_CASE_FIXTURE(SysFixture, "a not-present gate is #NP with the IDT bit and EXT for an external interrupt") {
    protected32();
    idt32(0x30, make_gate(0x08, kHandler, 0x0e));  // P = 0
    idt32(11, make_gate(0x08, 0x6000, kIntGate32));
    cpu.deliver_event(0x30, Kind::External, false, 0);
    CHECK(cpu.s.rip == 0x6000);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x30 * 8 + 3);
}

TEST_CASE_FIXTURE(SysFixture, "contributory fault during delivery of a contributory fault is #DF with error 0") {
    protected32();
    idt32(13, make_gate(0x08, kHandler, 0x0e));  // #GP gate not present -> #NP
    idt32(8, make_gate(0x08, 0x7000, kIntGate32));
    cpu.deliver_event(kVecGP, Kind::Exception, true, 0);
    CHECK(cpu.s.rip == 0x7000);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0);
    CHECK_FALSE(cpu.is_shut_down());
}

TEST_CASE_FIXTURE(SysFixture, "page fault during #PF delivery is #DF; a fault delivering #DF is a triple fault") {
    protected32();
    const char* why = nullptr;
    cpu.on_shutdown = [&](const char* w) { why = w; };
    cpu.s.idtr.limit = 0x10;  // nothing but vectors 0-1
    cpu.deliver_event(kVecPF, Kind::Exception, true, 2);
    CHECK(cpu.is_shut_down());
    REQUIRE(why != nullptr);
    CHECK(std::string(why) == "triple fault");
}

TEST_CASE_FIXTURE(SysFixture, "a fault delivering an external interrupt is delivered serially with EXT set") {
    protected32();
    gdt(0x30, make_desc(0, 0xfffff, 0x1b, 0xc));  // code segment, not present
    idt32(0x31, make_gate(0x30, kHandler, kIntGate32));
    idt32(11, make_gate(0x08, 0x6000, kIntGate32));
    cpu.deliver_event(0x31, Kind::External, false, 0);
    CHECK(cpu.s.rip == 0x6000);
    CHECK(rd(cpu.s.gpr[RSP], 4) == (0x30 | 1));  // #NP(selector + EXT)
}

TEST_CASE_FIXTURE(SysFixture, "a stack that cannot take any frame escalates through #SS and #DF to shutdown") {
    protected32();
    idt32(0x31, make_gate(0x08, kHandler, kIntGate32));
    idt32(12, make_gate(0x08, 0x6000, kIntGate32));
    idt32(8, make_gate(0x08, 0x7000, kIntGate32));
    gdt(0x10, make_desc(0, 0x40, kData0, 0x4));  // a 0x41-byte stack segment
    cpu.s.seg[SS] = seg_from(0x10);
    cpu.s.gpr[RSP] = 0x50;
    cpu.deliver_event(0x31, Kind::External, false, 0);
    CHECK(cpu.is_shut_down());
}

TEST_CASE_FIXTURE(SysFixture, "long mode: 64-bit frame, RSP aligned to 16, SS null with the new RPL") {
    long64();
    idt64(0x80, 0x10, 0xffff800000001000ull & 0x7fffff, 0xee);
    to_cpl3_64();
    cpu.s.gpr[RSP] = kStack3 - 8;  // misaligned on purpose: the inner stack is aligned, not this one
    cpu.s.rflags = 0x202;
    exec(with_imm(Op::INT, 0x80, 1));
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.code_mode() == CodeMode::Bits64);
    CHECK(cpu.s.seg[SS].selector == 0);
    CHECK(cpu.s.gpr[RSP] == kStack0 - 40);
    CHECK(rd(kStack0 - 40, 8) == 0x4002);
    CHECK(rd(kStack0 - 32, 8) == 0x33);
    CHECK(rd(kStack0 - 24, 8) == 0x202);
    CHECK(rd(kStack0 - 16, 8) == kStack3 - 8);
    CHECK(rd(kStack0 - 8, 8) == 0x2b);
    CHECK_FALSE((cpu.s.rflags & kIF) != 0);
}

TEST_CASE_FIXTURE(SysFixture, "long mode: IST stack even without a privilege change, aligned frame with error code") {
    long64();
    idt64(kVecPF, 0x10, kHandler, 0x8e, 1);
    cpu.s.gpr[RSP] = 0x7ff8;
    cpu.deliver_event(kVecPF, Kind::Exception, true, 6);
    CHECK(cpu.s.gpr[RSP] == 0xa000 - 48);
    CHECK(rd(0xa000 - 48, 8) == 6);
    CHECK(rd(0xa000 - 16, 8) == 0x7ff8);  // old RSP, always pushed in long mode
    CHECK(rd(0xa000 - 8, 8) == 0x18);     // old SS
    CHECK(cpu.s.seg[SS].selector == 0x18);  // unchanged: no privilege change
}

TEST_CASE_FIXTURE(SysFixture, "long mode: a 32-bit gate type in the IDT is #GP(vector*8+2+EXT)") {
    long64();
    idt64(0x20, 0x10, kHandler, 0x86);  // 16-bit interrupt gate: invalid in IA-32e mode
    idt64(13, 0x10, 0x6000, 0x8e);
    cpu.deliver_event(0x20, Kind::External, false, 0);
    CHECK(cpu.s.rip == 0x6000);
    CHECK(rd(cpu.s.gpr[RSP], 8) == 0x20 * 8 + 3);
}

TEST_CASE_FIXTURE(SysFixture, "NMIs are blocked from NMI delivery until the next IRET") {
    protected32();
    idt32(2, make_gate(0x08, kHandler, kIntGate32));
    cpu.deliver_event(kVecNMI, Kind::Nmi, false, 0);
    CHECK(cpu.s.nmi_blocked);
    exec(insn(Op::IRET, 4));
    CHECK_FALSE(cpu.s.nmi_blocked);
    CHECK(cpu.s.rip == 0x4000);
}

TEST_CASE_FIXTURE(SysFixture, "INTO traps only with OF set; BOUND out of range is #BR") {
    protected32();
    idt32(4, make_gate(0x08, kHandler, kIntGate32));
    idt32(5, make_gate(0x08, 0x6000, kIntGate32));
    cpu.s.rflags = 2;
    exec(insn(Op::INTO));
    CHECK(cpu.s.rip == 0x4002);
    cpu.s.rflags = 2 | kOF;
    exec(insn(Op::INTO));
    CHECK(cpu.s.rip == kHandler);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4004);  // trap: after INTO
    cpu.s.rip = 0x4100;
    wr(0x700, 10, 4);
    wr(0x704, 20, 4);
    DecodedInsn b = insn(Op::BOUND);
    b.nops = 2;
    b.ops[0] = Operand{OpKind::Gpr, 4, RAX};
    b.ops[1] = Operand{OpKind::Mem, 8, 0};
    b.disp = 0x700;
    b.mem_seg = DS;
    cpu.s.gpr[RAX] = 15;
    exec(b);
    CHECK(cpu.s.rip == 0x4102);
    cpu.s.gpr[RAX] = 21;
    exec(b);
    CHECK(cpu.s.rip == 0x6000);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4102);  // fault: the BOUND itself
}
