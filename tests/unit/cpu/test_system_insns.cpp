// SYSCALL/SYSRET, SYSENTER/SYSEXIT, SWAPGS, MSRs, CPUID, control and debug
// registers, CLI/STI/POPF privilege rules, XSAVE.
#include <cstring>
#include <string>

#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;

TEST_CASE_FIXTURE(SysFixture, "SYSCALL and SYSRET: RCX/R11, FMASK, STAR selectors, CPL") {
    long64();
    cpu.s.star = (uint64_t{0x20} << 48) | (uint64_t{0x10} << 32);  // Linux layout
    cpu.s.lstar = 0xffffffff81000000ull;
    cpu.s.fmask = kIF | kTF | kDF;
    to_cpl3_64();
    cpu.s.rflags = 0x202 | kDF;
    cpu.s.rip = 0x400000;
    exec(insn(Op::SYSCALL));
    CHECK(cpu.s.rip == 0xffffffff81000000ull);
    CHECK(cpu.s.gpr[RCX] == 0x400002);
    CHECK(cpu.s.gpr[R11] == (0x202 | kDF));
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.s.seg[CS].selector == 0x10);
    CHECK(cpu.s.seg[SS].selector == 0x18);
    CHECK(cpu.code_mode() == CodeMode::Bits64);
    CHECK((cpu.s.rflags & (kIF | kDF)) == 0);
    // SYSRET with REX.W back to 64-bit user code.
    exec(insn(Op::SYSRET, 8));
    CHECK(cpu.s.cpl == 3);
    CHECK(cpu.s.rip == 0x400002);
    CHECK(cpu.s.seg[CS].selector == 0x33);
    CHECK(cpu.s.seg[SS].selector == 0x2b);
    CHECK(cpu.code_mode() == CodeMode::Bits64);
    CHECK(cpu.s.rflags == (0x202 | kDF));
    // SYSRET at CPL 3 is #GP(0); SYSCALL with EFER.SCE clear is #UD.
    auto f = attempt(insn(Op::SYSRET, 8));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    cpu.s.efer &= ~kEFER_SCE;
    f = attempt(insn(Op::SYSCALL));
    REQUIRE(f);
    CHECK(f->vector == kVecUD);
}

TEST_CASE_FIXTURE(SysFixture, "SYSRET to a non-canonical RCX faults at CPL 0; 32-bit SYSRET enters compatibility mode") {
    long64();
    cpu.s.star = (uint64_t{0x20} << 48) | (uint64_t{0x10} << 32);
    cpu.s.gpr[RCX] = 0x0000800000000000ull;
    auto f = attempt(insn(Op::SYSRET, 8));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(cpu.s.cpl == 0);
    cpu.s.gpr[RCX] = 0x1'2345'6789ull;
    cpu.s.gpr[R11] = 0x202;
    exec(insn(Op::SYSRET, 4));
    CHECK(cpu.code_mode() == CodeMode::Bits32);
    CHECK(cpu.s.rip == 0x23456789);
    CHECK(cpu.s.seg[CS].selector == 0x23);
}

TEST_CASE_FIXTURE(SysFixture, "SYSENTER/SYSEXIT in 32-bit protected mode") {
    protected32();
    cpu.wrmsr(0x174, 0x08);
    cpu.wrmsr(0x175, 0x9000);
    cpu.wrmsr(0x176, 0x5000);
    to_cpl3_32();
    cpu.s.rflags = 0x202;
    exec(insn(Op::SYSENTER));
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.s.rip == 0x5000);
    CHECK(cpu.s.gpr[RSP] == 0x9000);
    CHECK((cpu.s.rflags & kIF) == 0);
    cpu.s.gpr[RDX] = 0x4100;
    cpu.s.gpr[RCX] = 0x7000;
    exec(insn(Op::SYSEXIT));
    CHECK(cpu.s.cpl == 3);
    CHECK(cpu.s.seg[CS].selector == 0x1b);
    CHECK(cpu.s.seg[SS].selector == 0x23);
    CHECK(cpu.s.rip == 0x4100);
    CHECK(cpu.s.gpr[RSP] == 0x7000);
}

TEST_CASE_FIXTURE(SysFixture, "SWAPGS exchanges GS.base and KERNEL_GS_BASE at CPL 0 only") {
    long64();
    cpu.s.seg[GS].base = 1;
    cpu.wrmsr(0xc0000102, 2);
    exec(insn(Op::SWAPGS));
    CHECK(cpu.s.seg[GS].base == 2);
    uint64_t v = 0;
    CHECK(cpu.rdmsr(0xc0000102, v));
    CHECK(v == 1);
    to_cpl3_64();
    auto f = attempt(insn(Op::SWAPGS));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
}

TEST_CASE_FIXTURE(SysFixture, "MSRs: unknown index, reserved bits and non-canonical values are #GP") {
    uint64_t v;
    CHECK_FALSE(cpu.rdmsr(0x12345678, v));
    CHECK_FALSE(cpu.wrmsr(0x12345678, 0));
    CHECK_FALSE(cpu.wrmsr(0xc0000080, 1ull << 2));             // EFER reserved bit
    CHECK_FALSE(cpu.wrmsr(0xc0000082, 0x0000800000000000ull)); // LSTAR non-canonical
    CHECK_FALSE(cpu.wrmsr(0x277, 0x0007040600070402ull));      // PAT type 2 is reserved
    CHECK(cpu.wrmsr(0x277, 0x0007010600070106ull));
    CHECK_FALSE(cpu.wrmsr(0x3a, 5));                            // FEATURE_CONTROL is locked
    CHECK(cpu.rdmsr(0x3a, v));
    CHECK(v == 1);
    CHECK(cpu.rdmsr(0xfe, v));
    CHECK((v & 0xff) == 8);
    CHECK(cpu.wrmsr(0x2ff, 0xc06));
    CHECK_FALSE(cpu.wrmsr(0x2ff, 0xc02));
    CHECK(cpu.wrmsr(0x201, (0xffffff000ull) | (1u << 11)));     // PHYSMASK0
    CHECK_FALSE(cpu.wrmsr(0x200, 0x3));                         // PHYSBASE0 with a reserved type
    // The TSC MSR: writing sets the value the next read starts from.
    cpu.tsc_source = [] { return uint64_t{1000}; };
    CHECK(cpu.wrmsr(0x10, 5000));
    CHECK(cpu.read_tsc() == 5000);
    // EFER.LME cannot change while paging is on.
    cpu.s.cr0 |= kCR0_PE | kCR0_PG;
    CHECK_FALSE(cpu.wrmsr(0xc0000080, kEFER_LME));
    // APIC base and TSC deadline go through the machine's hooks.
    uint64_t written = 0;
    cpu.on_apic_base_write = [&](uint64_t x) { written = x; };
    CHECK(cpu.wrmsr(0x1b, 0xfee00800));
    CHECK(written == 0xfee00800);
    CHECK_FALSE(cpu.wrmsr(0x1b, 0xfee00c00));  // x2APIC enable: not offered
    cpu.on_tsc_deadline_write = [&](uint64_t x) { written = x; };
    CHECK(cpu.wrmsr(0x6e0, 77));
    CHECK(written == 77);
}

TEST_CASE_FIXTURE(SysFixture, "RDMSR/WRMSR at CPL 3 are #GP(0)") {
    protected32();
    to_cpl3_32();
    cpu.s.gpr[RCX] = 0x10;
    auto f = attempt(insn(Op::RDMSR));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
}

namespace {
std::string regs_string(const uint32_t* r, std::initializer_list<int> order) {
    std::string s;
    for (int i : order) s.append(reinterpret_cast<const char*>(&r[i]), 4);
    return s;
}
}  // namespace

TEST_CASE_FIXTURE(SysFixture, "CPUID: vendor, brand, the features that exist and the ones that do not") {
    uint32_t r[4];
    cpu.cpuid(0, 0, r);
    CHECK(r[0] == 0xd);
    CHECK(regs_string(r, {1, 3, 2}) == "GenuineIntel");
    std::string brand;
    for (uint32_t l = 0x80000002; l <= 0x80000004; ++l) {
        cpu.cpuid(l, 0, r);
        brand += regs_string(r, {0, 1, 2, 3});
    }
    CHECK(std::string(brand.c_str()) == "Petrel Virtual CPU");
    cpu.cpuid(1, 0, r);
    CHECK(((r[0] >> 8) & 0xf) == 6);
    CHECK((r[3] & (1u << 25)) != 0);    // SSE
    CHECK((r[2] & (1u << 20)) != 0);    // SSE4.2
    CHECK((r[2] & (1u << 21)) == 0);    // no x2APIC
    CHECK((r[2] & (1u << 31)) == 0);    // no hypervisor bit
    CHECK((r[2] & (1u << 28)) == 0);    // no AVX
    CHECK((r[2] & (1u << 27)) == 0);    // OSXSAVE follows CR4
    cpu.s.cr4 |= kCR4_OSXSAVE;
    cpu.apic_id = 3;
    cpu.cpuid(1, 0, r);
    CHECK((r[2] & (1u << 27)) != 0);
    CHECK((r[1] >> 24) == 3);
    cpu.cpuid(7, 0, r);
    CHECK((r[1] & (1u << 5)) == 0);     // no AVX2
    CHECK((r[1] & (1u << 20)) != 0);    // SMAP
    cpu.cpuid(0xd, 0, r);
    CHECK(r[0] == 3);
    CHECK(r[2] == 576);
    cpu.cpuid(0x80000001, 0, r);
    CHECK((r[3] & (1u << 29)) != 0);    // LM
    CHECK((r[3] & (1u << 26)) != 0);    // 1 GiB pages
    cpu.cpuid(0x80000008, 0, r);
    CHECK((r[0] & 0xff) == 40);
    CHECK(((r[0] >> 8) & 0xff) == 48);
    cpu.cpuid(0x80000007, 0, r);
    CHECK((r[3] & (1u << 8)) != 0);     // invariant TSC
}

TEST_CASE_FIXTURE(SysFixture, "MOV CR: PG without PE, reserved CR4 bits, long-mode activation rules") {
    CHECK_THROWS_AS(cpu.write_cr(0, kCR0_PG), CpuFault);
    CHECK_THROWS_AS(cpu.write_cr(4, 1ull << 12), CpuFault);  // LA57: not offered
    CHECK_THROWS_AS(cpu.write_cr(4, 1ull << 13), CpuFault);  // VMXE
    protected32();
    cpu.s.cr3 = 0x10000;
    // LME + PG without PAE is #GP.
    cpu.s.efer = kEFER_LME;
    CHECK_THROWS_AS(cpu.write_cr(0, cpu.s.cr0 | kCR0_PG), CpuFault);
    // With PAE it activates IA-32e mode (compatibility mode until CS.L).
    long64();
    cpu.s.cr0 &= ~kCR0_PG;
    cpu.s.efer = kEFER_LME;
    cpu.s.seg[CS] = seg_from(0x08);
    cpu.write_cr(0, cpu.s.cr0 | kCR0_PG);
    CHECK(cpu.long_mode());
    CHECK(cpu.code_mode() == CodeMode::Bits32);
    // PCIDE needs CR3[11:0] = 0; clearing PAE in long mode is #GP.
    cpu.s.cr3 = kPml4 | 5;
    CHECK_THROWS_AS(cpu.write_cr(4, cpu.s.cr4 | kCR4_PCIDE), CpuFault);
    cpu.s.cr3 = kPml4;
    CHECK_NOTHROW(cpu.write_cr(4, cpu.s.cr4 | kCR4_PCIDE));
    CHECK_NOTHROW(cpu.write_cr(3, (1ull << 63) | kPml4 | 7));
    CHECK(cpu.s.cr3 == (kPml4 | 7));  // bit 63 is not stored
    CHECK_THROWS_AS(cpu.write_cr(4, cpu.s.cr4 & ~kCR4_PAE), CpuFault);
    CHECK_THROWS_AS(cpu.write_cr(8, 16), CpuFault);
}

TEST_CASE_FIXTURE(SysFixture, "CLI/STI/POPF privilege rules, VME virtual IF, STI interrupt shadow") {
    protected32();
    cpu.s.rflags = 2;
    cpu.sti();
    CHECK(cpu.s.interrupt_shadow);
    to_cpl3_32();
    cpu.s.rflags = 0x202;  // IOPL 0
    CHECK_THROWS_AS(cpu.cli(), CpuFault);
    cpu.s.cr4 |= kCR4_PVI;
    cpu.cli();
    CHECK((cpu.s.rflags & kIF) != 0);  // real IF untouched
    CHECK((cpu.s.rflags & kVIF) == 0);
    cpu.popf_apply(kIOPL | 0x2, 4);  // CPL 3: IOPL and IF ignored
    CHECK((cpu.s.rflags & kIOPL) == 0);
    CHECK((cpu.s.rflags & kIF) != 0);
    CHECK(cpu.pushf_image(4) == 0x202);
}

TEST_CASE_FIXTURE(SysFixture, "MOV DR: DR4/5 alias DR6/7 unless CR4.DE, GD faults with BD") {
    protected32();
    DecodedInsn to_dr7 = insn(Op::MOV_DR);
    to_dr7.nops = 2;
    to_dr7.ops[0] = Operand{OpKind::Dr, 8, 5};
    to_dr7.ops[1] = Operand{OpKind::Gpr, 4, RAX};
    cpu.s.gpr[RAX] = 0x1;  // L0
    exec(to_dr7);
    CHECK(cpu.s.dr[7] == 0x401);
    cpu.s.cr4 |= kCR4_DE;
    auto f = attempt(to_dr7);
    REQUIRE(f);
    CHECK(f->vector == kVecUD);
    to_dr7.ops[0].reg = 7;
    cpu.s.gpr[RAX] = 0x2000;  // GD
    exec(to_dr7);
    f = attempt(to_dr7);
    REQUIRE(f);
    CHECK(f->vector == kVecDB);
    CHECK((cpu.s.dr[6] & (1u << 13)) != 0);
    CHECK((cpu.s.dr[7] & 0x2000) == 0);
}

TEST_CASE_FIXTURE(SysFixture, "data breakpoints and single-step raise #DB traps with DR6 status") {
    protected32();
    idt32(1, make_gate(0x08, kHandler, kIntGate32));
    cpu.s.dr[0] = 0x600;
    cpu.s.dr[7] = 0x400 | 1 | (1u << 16) | (3u << 18);  // L0, write, 4 bytes
    cpu.tlb_flush_all();
    cpu.write_mem(DS, 0x602, 1, 0xff);
    CHECK(cpu.s.pending_db == 1);
    cpu.read_mem(DS, 0x600, 4);  // reads do not match a write breakpoint
    CHECK(cpu.s.pending_db == 1);
    cpu.s.tf_at_start = true;
    cpu.s.rip = 0x4010;
    cpu.debug_trap_after_instruction();
    CHECK(cpu.s.rip == kHandler);
    CHECK((cpu.s.dr[6] & 0xf) == 1);
    CHECK((cpu.s.dr[6] & (1u << 14)) != 0);  // BS
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4010);   // trap: the next instruction
}

TEST_CASE_FIXTURE(SysFixture, "XSETBV rules and an XSAVE/XRSTOR round trip of SSE state") {
    long64();
    cpu.s.cr4 |= kCR4_OSXSAVE;
    cpu.s.gpr[RCX] = 0;
    cpu.s.gpr[RAX] = 2;  // SSE without x87 is invalid
    cpu.s.gpr[RDX] = 0;
    auto f = attempt(insn(Op::XSETBV));
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    cpu.s.gpr[RAX] = 3;
    exec(insn(Op::XSETBV));
    CHECK(cpu.s.xcr0 == 3);
    cpu.s.xmm[3].q[0] = 0x1122334455667788ull;
    cpu.s.mxcsr = 0x1fa0;
    cpu.s.gpr[RAX] = 3;
    exec(with_mem(Op::XSAVE, 0x200000, 0, 8, 8));
    CHECK(rd(0x200000 + 160 + 48, 8) == 0x1122334455667788ull);
    CHECK(rd(0x200000 + 512, 8) == 3);
    cpu.s.xmm[3].q[0] = 0;
    cpu.s.mxcsr = 0x1f80;
    exec(with_mem(Op::XRSTOR, 0x200000, 0, 8, 8));
    CHECK(cpu.s.xmm[3].q[0] == 0x1122334455667788ull);
    CHECK(cpu.s.mxcsr == 0x1fa0);
    f = attempt(with_mem(Op::XSAVE, 0x200008, 0, 8, 8));  // not 64-byte aligned
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
}

TEST_CASE_FIXTURE(SysFixture, "RDRAND is deterministic for a given seed and sets CF") {
    cpu.seed_rng(42);
    exec(with_gpr(Op::RDRAND, RAX, 8));
    uint64_t first = cpu.s.gpr[RAX];
    CHECK(cpu.cf());
    CHECK_FALSE(cpu.zf());
    cpu.seed_rng(42);
    exec(with_gpr(Op::RDRAND, RAX, 8));
    CHECK(cpu.s.gpr[RAX] == first);
}

namespace {
struct Latch : IoHandler {
    uint64_t last = 0;
    unsigned size = 0;
    uint64_t io_read(uint64_t, unsigned) override { return 0x12345678; }
    void io_write(uint64_t, uint64_t v, unsigned s) override { last = v, size = s; }
};
}  // namespace

TEST_CASE_FIXTURE(SysFixture, "IN/OUT: port from imm8 or DX, size from the opcode, #GP when not permitted") {
    Latch dev;
    io.map(0x80, 4, &dev, "latch");
    protected32();
    cpu.s.gpr[RAX] = 0xaabbccdd;
    DecodedInsn out = insn(Op::OUT, 4);
    out.opcode = 0xe7;  // OUT imm8, eAX
    out.imm = 0x80;
    exec(out);
    CHECK(dev.last == 0xaabbccdd);
    CHECK(dev.size == 4);
    DecodedInsn in = insn(Op::IN, 4);
    in.opcode = 0xec;  // IN AL, DX
    cpu.s.gpr[RDX] = 0x80;
    exec(in);
    CHECK(cpu.s.gpr[RAX] == 0xaabbcc78);
    to_cpl3_32();
    wr(kTss + 0x68 + 0x80 / 8, 1, 1);  // deny port 0x80
    auto f = attempt(in);
    REQUIRE(f);
    CHECK(f->vector == kVecGP);
    CHECK(f->error == 0);
}

TEST_CASE_FIXTURE(SysFixture, "INIT keeps SSE state and MSRs, an AP waits for the SIPI and starts at vector << 12") {
    long64();
    cpu.s.xmm[1].q[0] = 7;
    cpu.wrmsr(0xc0000082, 0xffffffff81000000ull);
    cpu.init_signal(false);
    CHECK(cpu.s.wait_for_sipi);
    CHECK(cpu.s.halted);
    CHECK(cpu.s.xmm[1].q[0] == 7);
    CHECK(cpu.s.lstar == 0xffffffff81000000ull);
    CHECK(cpu.s.efer == 0);
    CHECK_FALSE(cpu.protected_mode());
    cpu.startup_ipi(0x9a);
    CHECK_FALSE(cpu.s.halted);
    CHECK(cpu.s.seg[CS].selector == 0x9a00);
    CHECK(cpu.s.seg[CS].base == 0x9a000);
    CHECK(cpu.s.rip == 0);
    cpu.startup_ipi(0x10);  // ignored once running
    CHECK(cpu.s.seg[CS].selector == 0x9a00);
}
