// System behaviour through the real run loop (Cpu::step / run): fetch faults,
// INT/IRET and SYSCALL/SYSRET from bytes, single-step, the STI shadow with an
// interrupt controller, HLT. Each case first checks that the decoder knows
// its instructions and is skipped (with a message) while it does not.
#include <initializer_list>
#include <vector>

#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;

namespace {

bool decoder_knows(std::initializer_list<std::vector<uint8_t>> insns, CodeMode mode) {
    for (const auto& b : insns) {
        DecodedInsn d;
        if (decode(b.data(), b.size(), mode, d) != DecodeStatus::Ok || d.length != b.size()) {
            MESSAGE("decoder does not handle this instruction yet: skipped");
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE_FIXTURE(SysFixture, "run loop: a fetch from a not-present page is #PF with I/D and CR2 = RIP") {
    long64();
    idt64(kVecPF, 0x10, kHandler, 0x8e);
    wr(kPml4 + 0x2000 + 5 * 8, 0, 8);  // unmap 10-12 MiB
    cpu.s.rip = 0xa00000;
    cpu.step();
    CHECK(cpu.s.rip == kHandler);
    CHECK(cpu.s.cr2 == 0xa00000);
    CHECK(rd(cpu.s.gpr[RSP], 8) == 0x10);  // instruction fetch, not present, supervisor
}

TEST_CASE_FIXTURE(SysFixture, "run loop: INT 21h and IRET in real mode") {
    if (!decoder_knows({{0xcd, 0x21}, {0xcf}}, CodeMode::Bits16)) return;
    wr(0x21 * 4, 0x0000'0600, 4);  // 0000:0600
    wr(0x600, 0xcf, 1);            // IRET
    wr(0x500, 0x21cd, 2);          // INT 21h at 0000:0500
    cpu.s.seg[CS] = Segment{0, 0x9b, 0xffff, 0};
    cpu.s.seg[SS] = Segment{0, 0x93, 0xffff, 0};
    cpu.s.rip = 0x500;
    cpu.s.gpr[RSP] = 0x7000;
    cpu.step();
    CHECK(cpu.s.rip == 0x600);
    cpu.step();
    CHECK(cpu.s.rip == 0x502);
    CHECK(cpu.s.gpr[RSP] == 0x7000);
}

TEST_CASE_FIXTURE(SysFixture, "run loop: SYSCALL and SYSRETQ") {
    if (!decoder_knows({{0x0f, 0x05}, {0x48, 0x0f, 0x07}}, CodeMode::Bits64)) return;
    long64();
    cpu.s.star = (uint64_t{0x20} << 48) | (uint64_t{0x10} << 32);
    cpu.s.lstar = 0x6000;
    wr(0x6000, 0x070f48, 3);  // sysretq
    wr(0x400000, 0x050f, 2);  // syscall
    to_cpl3_64();
    cpu.s.rip = 0x400000;
    cpu.step();
    CHECK(cpu.s.cpl == 0);
    CHECK(cpu.s.rip == 0x6000);
    cpu.step();
    CHECK(cpu.s.cpl == 3);
    CHECK(cpu.s.rip == 0x400002);
}

TEST_CASE_FIXTURE(SysFixture, "run loop: TF traps after the instruction, with DR6.BS") {
    if (!decoder_knows({{0x90}}, CodeMode::Bits32)) return;
    protected32();
    idt32(1, make_gate(0x08, kHandler, kIntGate32));
    wr(0x4000, 0x90, 1);
    cpu.s.rflags = 2 | kTF;
    cpu.step();
    CHECK(cpu.s.rip == kHandler);
    CHECK((cpu.s.dr[6] & (1u << 14)) != 0);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4001);
    CHECK((cpu.s.rflags & kTF) == 0);
}

TEST_CASE_FIXTURE(SysFixture, "run loop: STI delays a pending interrupt by one instruction; HLT wakes on it") {
    if (!decoder_knows({{0xfb}, {0x90}, {0xf4}}, CodeMode::Bits32)) return;
    protected32();
    OneIrq irq;
    cpu.intc = &irq;
    idt32(0x30, make_gate(0x08, kHandler, kIntGate32));
    wr(0x4000, 0xf490fb, 3);  // sti; nop; hlt
    wr(kHandler, 0x90909090, 4);  // the handler: NOPs
    cpu.s.rflags = 2;
    irq.pending = true;
    cpu.step();  // STI
    CHECK(cpu.s.rip == 0x4001);
    cpu.step();  // the shadow: NOP runs first
    CHECK(cpu.s.rip == 0x4002);
    cpu.step();  // now the interrupt, then the handler's first instruction
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4002);
    // HLT with nothing pending halts; an interrupt wakes it after the HLT.
    cpu.s.rip = 0x4002;
    cpu.s.gpr[RSP] = kStack0;
    cpu.s.rflags = 2 | kIF;
    CHECK(cpu.run(10) == StopReason::Halted);
    CHECK(cpu.s.rip == 0x4003);
    irq.pending = true;
    cpu.step();
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4003);
    cpu.intc = nullptr;
}

TEST_CASE_FIXTURE(SysFixture, "run loop: after MOV SS the single-step trap waits one instruction") {
    if (!decoder_knows({{0x8e, 0xd0}, {0x90}}, CodeMode::Bits32)) return;
    protected32();
    idt32(1, make_gate(0x08, kHandler, kIntGate32));
    wr(0x4000, 0x90d08e, 3);  // mov ss, ax; nop
    cpu.s.gpr[RAX] = 0x10;
    cpu.s.rflags = 2 | kTF;
    cpu.step();
    CHECK(cpu.s.rip == 0x4002);  // no trap after MOV SS
    cpu.step();
    CHECK(cpu.s.rip == kHandler);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4003);
}
