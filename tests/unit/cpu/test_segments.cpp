// Segment loads, far transfers (call gates, outer-privilege returns), IRET,
// task switches, descriptor-table instructions and I/O permission.
#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;

namespace {
std::optional<CpuFault> load(Cpu& cpu, unsigned seg, uint16_t sel) {
    try {
        cpu.load_segment(seg, sel);
    } catch (const CpuFault& f) {
        return f;
    }
    return std::nullopt;
}
}  // namespace

TEST_CASE_FIXTURE(SysFixture, "protected-mode data and stack segment loads: checks, error codes, accessed bit") {
    protected32();
    gdt(0x30, make_desc(0x100000, 0xffff, 0x92, 0));  // data DPL 0, not yet accessed
    CHECK_FALSE(load(cpu, DS, 0x30));
    CHECK(cpu.s.seg[DS].base == 0x100000);
    CHECK((rd(kGdt + 0x30 + 5, 1) & 1) == 1);
    // Null selectors are fine for DS..GS, not for SS outside 64-bit mode.
    CHECK_FALSE(load(cpu, ES, 0));
    auto f = load(cpu, SS, 0);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(f->error == 0);
    // Beyond the GDT limit.
    f = load(cpu, DS, 0x1f8);
    REQUIRE(f);
    CHECK(f->error == 0x1f8);
    // Not present: #NP for DS, #SS for SS.
    gdt(0x38, make_desc(0, 0xffff, 0x12, 0));
    f = load(cpu, DS, 0x38);
    REQUIRE(f);
    CHECK(f->vector == kVecNP);
    CHECK(f->error == 0x38);
    f = load(cpu, SS, 0x38);
    REQUIRE(f);
    CHECK(f->vector == kVecSS);
    // CPL 3 may not load a DPL 0 data segment, nor SS with RPL != CPL.
    to_cpl3_32();
    f = load(cpu, DS, 0x33);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(f->error == 0x30);
    f = load(cpu, SS, 0x20);
    REQUIRE(f);
    CHECK(f->error == 0x20);
    // Execute-only code is not loadable into DS; readable code is.
    gdt(0x40, make_desc(0, 0xfffff, 0xf8, 0xc));
    CHECK(load(cpu, DS, 0x43));
    gdt(0x40, make_desc(0, 0xfffff, 0xfa, 0xc));
    CHECK_FALSE(load(cpu, DS, 0x43));
}

TEST_CASE_FIXTURE(SysFixture, "64-bit mode: null SS at CPL 0, null FS clears the base") {
    long64();
    cpu.s.seg[FS].base = 0x1234;
    CHECK_FALSE(load(cpu, SS, 0));
    CHECK_FALSE(load(cpu, FS, 0));
    CHECK(cpu.s.seg[FS].base == 0);
    to_cpl3_64();
    CHECK(load(cpu, SS, 3));
}

TEST_CASE_FIXTURE(SysFixture, "far JMP to 64-bit code and back to compatibility mode") {
    long64();
    exec(far_ptr(Op::JMP_FAR, 0x08, 0x2000, 4));
    CHECK(cpu.code_mode() == CodeMode::Bits32);
    CHECK(cpu.s.rip == 0x2000);
    exec(far_ptr(Op::JMP_FAR, 0x10, 0x3000, 4));
    CHECK(cpu.code_mode() == CodeMode::Bits64);
    CHECK(cpu.s.rip == 0x3000);
}

TEST_CASE_FIXTURE(SysFixture, "CALL FAR through a call gate to CPL 0 copies parameters; RETF returns to CPL 3") {
    protected32();
    gdt(0x38, make_gate(0x08, kHandler, 0xec, 2));  // 32-bit call gate, DPL 3, 2 parameters
    to_cpl3_32();
    wr(kStack3 - 8, 0x1111, 4);  // parameters as the caller pushed them
    wr(kStack3 - 4, 0x2222, 4);
    cpu.s.gpr[RSP] = kStack3 - 8;
    exec(far_ptr(Op::CALL_FAR, 0x3b, 0, 4));
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.s.rip == kHandler);
    CHECK(cpu.s.seg[SS].selector == 0x10);
    // New stack: SS, ESP, param1, param0 (same order), CS, EIP.
    uint64_t sp = cpu.s.gpr[RSP];
    CHECK(sp == kStack0 - 24);
    CHECK(rd(sp, 4) == 0x4002);
    CHECK(rd(sp + 4, 4) == 0x1b);
    CHECK(rd(sp + 8, 4) == 0x1111);
    CHECK(rd(sp + 12, 4) == 0x2222);
    CHECK(rd(sp + 16, 4) == kStack3 - 8);
    CHECK(rd(sp + 20, 4) == 0x23);
    // RETF 8 releases the parameters on both stacks.
    cpu.s.seg[DS] = seg_from(0x10);  // a DPL 0 data segment: nulled on the way out
    DecodedInsn r = with_imm(Op::RET_FAR, 8, 4);
    r.opcode = 0xca;
    exec(r);
    CHECK(cpu.s.cpl == 3);
    CHECK(cpu.s.rip == 0x4002);
    CHECK(cpu.s.seg[SS].selector == 0x23);
    CHECK(cpu.s.gpr[RSP] == kStack3);
    CHECK(cpu.s.seg[DS].selector == 0);
    CHECK_FALSE(cpu.s.seg[DS].present());
}

TEST_CASE_FIXTURE(SysFixture, "call gate DPL below CPL is #GP(gate selector)") {
    protected32();
    gdt(0x38, make_gate(0x08, kHandler, 0x8c, 0));  // DPL 0
    idt32(13, make_gate(0x08, 0x6000, kIntGate32));
    to_cpl3_32();
    exec(far_ptr(Op::CALL_FAR, 0x3b, 0, 4));
    CHECK(cpu.s.rip == 0x6000);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x38);
}

TEST_CASE_FIXTURE(SysFixture, "IRETQ to CPL 3 loads SS:RSP and RFLAGS with the privilege rules") {
    long64();
    uint64_t sp = kStack0 - 40;
    wr(sp, 0x7000, 8);
    wr(sp + 8, 0x33, 8);
    wr(sp + 16, 0x202 | kIOPL | kAC, 8);
    wr(sp + 24, 0x7ff0, 8);
    wr(sp + 32, 0x2b, 8);
    cpu.s.gpr[RSP] = sp;
    exec(insn(Op::IRET, 8));
    CHECK(cpu.s.cpl == 3);
    CHECK(cpu.s.rip == 0x7000);
    CHECK(cpu.s.gpr[RSP] == 0x7ff0);
    CHECK(cpu.s.seg[SS].selector == 0x2b);
    CHECK((cpu.s.rflags & kIOPL) == kIOPL);  // CPL 0 may change IOPL
    CHECK((cpu.s.rflags & kAC) != 0);
    // Back at CPL 3, IRET may change neither IOPL nor IF.
    sp = 0x7000 - 40 + 0x800;
    wr(sp, 0x7100, 8);
    wr(sp + 8, 0x33, 8);
    wr(sp + 16, 0x2, 8);
    wr(sp + 24, 0x7ff0, 8);
    wr(sp + 32, 0x2b, 8);
    cpu.s.rflags = 0x202;  // IOPL 0
    cpu.s.gpr[RSP] = sp;
    exec(insn(Op::IRET, 8));
    CHECK(cpu.s.rip == 0x7100);
    CHECK((cpu.s.rflags & kIF) != 0);
}

TEST_CASE_FIXTURE(SysFixture, "hardware task switch: CALL sets busy and back link, IRET with NT returns") {
    protected32();
    const uint64_t tss2 = 0x3800;
    gdt(0x38, make_desc(tss2, 0x67, 0x89, 0));
    wr(tss2 + 0x20, 0x6000, 4);          // EIP
    wr(tss2 + 0x24, 0x2, 4);             // EFLAGS
    wr(tss2 + 0x28, 0xaaaa, 4);          // EAX
    wr(tss2 + 0x38, 0x7000, 4);          // ESP
    wr(tss2 + 0x48, 0x10, 2);            // ES
    wr(tss2 + 0x4c, 0x08, 2);            // CS
    wr(tss2 + 0x50, 0x10, 2);            // SS
    wr(tss2 + 0x54, 0x10, 2);            // DS
    cpu.s.gpr[RAX] = 0x5555;
    exec(far_ptr(Op::CALL_FAR, 0x38, 0, 4));
    CHECK(cpu.s.tr.selector == 0x38);
    CHECK(cpu.s.rip == 0x6000);
    CHECK(cpu.s.gpr[RAX] == 0xaaaa);
    CHECK(cpu.s.gpr[RSP] == 0x7000);
    CHECK((cpu.s.rflags & kNT) != 0);
    CHECK((cpu.s.cr0 & kCR0_TS) != 0);
    CHECK(rd(tss2, 2) == 0x28);                        // back link
    CHECK(((rd(kGdt + 0x38 + 5, 1) >> 1) & 1) == 1);   // new TSS busy
    CHECK(rd(kTss + 0x20, 4) == 0x4002);               // outgoing EIP saved
    CHECK(rd(kTss + 0x28, 4) == 0x5555);               // outgoing EAX saved
    exec(insn(Op::IRET, 4));
    CHECK(cpu.s.tr.selector == 0x28);
    CHECK(cpu.s.rip == 0x4002);
    CHECK(cpu.s.gpr[RAX] == 0x5555);
    CHECK(((rd(kGdt + 0x38 + 5, 1) >> 1) & 1) == 0);   // the nested task is no longer busy
}

TEST_CASE_FIXTURE(SysFixture, "LGDT/SGDT base width by operand size, LTR marks the TSS busy") {
    protected32();
    wr(0x700, 0x0fff, 2);
    wr(0x702, 0x12345678, 4);
    exec(with_mem(Op::LGDT, 0x700, 6, 2));
    CHECK(cpu.s.gdtr.base == 0x345678);  // 16-bit operand size: 24-bit base
    exec(with_mem(Op::LGDT, 0x700, 6, 4));
    CHECK(cpu.s.gdtr.base == 0x12345678);
    CHECK(cpu.s.gdtr.limit == 0xfff);
    cpu.s.gdtr = DescriptorTable{kGdt, 0xff};
    exec(with_mem(Op::SGDT, 0x800, 6, 4));
    CHECK(rd(0x800, 2) == 0xff);
    CHECK(rd(0x802, 4) == kGdt);
    gdt(0x28, make_desc(kTss, 0x67, 0x89, 0));
    cpu.s.gpr[RAX] = 0x28;
    exec(with_gpr(Op::LTR, RAX, 2));
    CHECK(cpu.s.tr.selector == 0x28);
    CHECK(((rd(kGdt + 0x28 + 5, 1) >> 1) & 1) == 1);
    // UMIP: SGDT at CPL 3 is #GP(0).
    cpu.s.cr4 |= kCR4_UMIP;
    to_cpl3_32();
    auto f = attempt(with_mem(Op::SGDT, 0x800, 6, 4));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
}

TEST_CASE_FIXTURE(SysFixture, "LAR/LSL/VERR/VERW report through ZF") {
    protected32();
    DecodedInsn lar = insn(Op::LAR);
    lar.nops = 2;
    lar.ops[0] = Operand{OpKind::Gpr, 4, RAX};
    lar.ops[1] = Operand{OpKind::Gpr, 2, RBX};
    cpu.s.gpr[RBX] = 0x08;
    exec(lar);
    CHECK(cpu.zf());
    CHECK(cpu.s.gpr[RAX] == 0x00c09b00);  // flags and access byte; limit bits masked
    DecodedInsn lsl = lar;
    lsl.op = Op::LSL;
    exec(lsl);
    CHECK(cpu.s.gpr[RAX] == 0xffffffff);
    to_cpl3_32();
    exec(lar);  // DPL 0 not visible at CPL 3
    CHECK_FALSE(cpu.zf());
    cpu.s.gpr[RBX] = 0x23;
    exec(with_gpr(Op::VERW, RBX, 2));
    CHECK(cpu.zf());
    cpu.s.gpr[RBX] = 0x1b;
    exec(with_gpr(Op::VERW, RBX, 2));
    CHECK_FALSE(cpu.zf());
    exec(with_gpr(Op::VERR, RBX, 2));
    CHECK(cpu.zf());
}

TEST_CASE_FIXTURE(SysFixture, "I/O permission: IOPL first, then the TSS bitmap") {
    protected32();
    CHECK(cpu.io_permitted(0x3f8, 1));
    to_cpl3_32();
    CHECK(cpu.io_permitted(0x3f8, 1));       // bitmap all zero: allowed
    wr(kTss + 0x68 + 0x3f8 / 8, 1u << (0x3f9 & 7), 1);
    CHECK(cpu.io_permitted(0x3f8, 1));
    CHECK_FALSE(cpu.io_permitted(0x3f8, 2));  // the second byte's bit is set
    cpu.s.rflags |= kIOPL;
    CHECK(cpu.io_permitted(0x3f8, 2));        // CPL <= IOPL skips the bitmap
    CHECK_FALSE(cpu.io_permitted(0xffff, 1) == false);
}

TEST_CASE_FIXTURE(SysFixture, "real mode far CALL and RETF") {
    cpu.s.seg[CS] = Segment{0x100, 0x9b, 0xffff, 0x1000};
    cpu.s.seg[SS] = Segment{0, 0x93, 0xffff, 0};
    cpu.s.rip = 0x20;
    cpu.s.gpr[RSP] = 0x800;
    exec(far_ptr(Op::CALL_FAR, 0x2000, 0x1234, 2));
    CHECK(cpu.s.seg[CS].base == 0x20000);
    CHECK(cpu.s.rip == 0x1234);
    CHECK(rd(0x7fc, 2) == 0x22);
    CHECK(rd(0x7fe, 2) == 0x100);
    exec(insn(Op::RET_FAR, 2));
    CHECK(cpu.s.seg[CS].selector == 0x100);
    CHECK(cpu.s.rip == 0x22);
    CHECK(cpu.s.gpr[RSP] == 0x800);
}

TEST_CASE_FIXTURE(SysFixture, "LLDT, then segment loads through the LDT; SLDT and STR store selectors") {
    protected32();
    const uint64_t ldt = 0x1400;
    gdt(0x30, make_desc(ldt, 0x1f, 0x82, 0));
    wr(ldt + 8, make_desc(0x222000, 0xffff, 0x92, 0), 8);
    cpu.s.gpr[RAX] = 0x30;
    exec(with_gpr(Op::LLDT, RAX, 2));
    CHECK(cpu.s.ldtr.base == ldt);
    cpu.load_segment(ES, 0x0c);  // index 1, TI = 1
    CHECK(cpu.s.seg[ES].base == 0x222000);
    exec(with_gpr(Op::SLDT, RBX, 4));
    CHECK(cpu.s.gpr[RBX] == 0x30);
    exec(with_mem(Op::STR, 0x900, 2));
    CHECK(rd(0x900, 2) == 0x28);
    // Beyond the LDT limit.
    CHECK_THROWS_AS(cpu.load_segment(ES, 0x24), CpuFault);
    // A GDT selector that is not an LDT descriptor.
    cpu.s.gpr[RAX] = 0x10;
    auto f = attempt(with_gpr(Op::LLDT, RAX, 2));
    REQUIRE(f);
    CHECK(f->error == 0x10);
}

TEST_CASE_FIXTURE(SysFixture, "LMSW cannot clear PE; CLTS; SMSW") {
    protected32();
    cpu.s.cr0 |= kCR0_TS;
    cpu.s.gpr[RAX] = 0x0;
    exec(with_gpr(Op::LMSW, RAX, 2));
    CHECK(cpu.protected_mode());
    CHECK((cpu.s.cr0 & kCR0_TS) == 0);
    cpu.s.cr0 |= kCR0_TS;
    exec(insn(Op::CLTS));
    CHECK((cpu.s.cr0 & kCR0_TS) == 0);
    exec(with_gpr(Op::SMSW, RBX, 4));
    CHECK(cpu.s.gpr[RBX] == cpu.s.cr0);
}

TEST_CASE_FIXTURE(SysFixture, "privileged instructions at CPL 3 are #GP(0); RDTSC only under CR4.TSD") {
    protected32();
    to_cpl3_32();
    for (Op op : {Op::HLT, Op::WBINVD, Op::INVD, Op::CLTS, Op::WRMSR}) {
        auto f = attempt(insn(op));
        REQUIRE(f);
        CHECK(f->vector == kVecGP);
        CHECK(f->error == 0);
    }
    CHECK_FALSE(attempt(insn(Op::RDTSC)));
    cpu.s.cr4 |= kCR4_TSD;
    auto f = attempt(insn(Op::RDTSC));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    f = attempt(insn(Op::RDPMC));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
}

TEST_CASE_FIXTURE(SysFixture, "INVPCID: invalid type is #GP; type 0 drops one page") {
    long64();
    cpu.translate(0x1000, Access::Read, false);
    DecodedInsn d = insn(Op::INVPCID, 8);
    d.nops = 2;
    d.ops[0] = Operand{OpKind::Gpr, 8, RAX};
    d.ops[1] = Operand{OpKind::Mem, 16, 0};
    d.disp = 0x900;
    d.mem_seg = DS;
    d.addrsize = 8;
    wr(0x900, 0, 8);
    wr(0x908, 0x1000, 8);
    cpu.s.gpr[RAX] = 4;
    auto f = attempt(d);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    cpu.s.gpr[RAX] = 0;
    CHECK_FALSE(attempt(d));
    wr(0x908, 0x0000800000000000ull, 8);
    f = attempt(d);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
}
