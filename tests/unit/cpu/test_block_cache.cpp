// The basic-block run loop (Cpu::run with cpu/block_cache): self-modifying
// code inside the running block and from another page, blocks ending at a
// page boundary, instructions crossing one, an interrupt made deliverable by
// STI in straight-line code, and a #PF in the middle of a block.
#include <initializer_list>
#include <vector>

#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;

namespace {

struct BlockFixture : SysFixture {
    void put(uint64_t a, std::initializer_list<uint8_t> bytes) {
        for (uint8_t b : bytes) wr(a++, b, 1);
    }
    // Runs from rip until the CPU halts; returns the instructions retired.
    uint64_t run_to_halt(uint64_t rip) {
        cpu.s.rip = rip;
        cpu.s.halted = false;
        if (cpu.icount == 0) cpu.s.gpr[RDX] = 0;  // reset leaves the CPU signature there
        const uint64_t before = cpu.icount;
        CHECK(cpu.run(1000) == StopReason::Halted);
        return cpu.icount - before;
    }
};

}  // namespace

TEST_CASE_FIXTURE(BlockFixture, "block cache: a store rewriting the next instruction of the running block") {
    protected32();
    // 4000: mov dword [0x400a], 0x90909041   (C7 05 disp32 imm32: 10 bytes)
    // 400a: inc eax; nop; nop; nop            (rewritten to inc ecx; nop x3)
    // 400e: hlt
    put(0x4000, {0xc7, 0x05, 0x0a, 0x40, 0x00, 0x00, 0x41, 0x90, 0x90, 0x90});
    put(0x400a, {0x40, 0x90, 0x90, 0x90, 0xf4});
    CHECK(run_to_halt(0x4000) == 6);  // mov, inc, 3 nops, hlt
    CHECK(cpu.s.gpr[RAX] == 0);
    CHECK(cpu.s.gpr[RCX] == 1);
    CHECK(cpu.s.rip == 0x400f);
}

TEST_CASE_FIXTURE(BlockFixture, "block cache: a write to a code page from another page drops its blocks") {
    protected32();
    put(0x6000, {0x40, 0xf4});  // inc eax; hlt
    CHECK(run_to_halt(0x6000) == 2);
    CHECK(cpu.s.gpr[RAX] == 1);
    // 4000: mov byte [0x6000], 0x41 (C6 05 disp32 imm8); jmp 0x6000 (E9 rel32)
    put(0x4000, {0xc6, 0x05, 0x00, 0x60, 0x00, 0x00, 0x41});
    put(0x4007, {0xe9, 0xf4, 0x1f, 0x00, 0x00});  // 0x400c + 0x1ff4 = 0x6000
    CHECK(run_to_halt(0x4000) == 4);
    CHECK(cpu.s.gpr[RAX] == 1);
    CHECK(cpu.s.gpr[RCX] == 1);
    CHECK(cpu.s.rip == 0x6002);
}

TEST_CASE_FIXTURE(BlockFixture, "block cache: a block ends at the page boundary") {
    protected32();
    for (uint64_t a = 0x4ff0; a < 0x5000; ++a) put(a, {0x40});  // 16 x inc eax
    put(0x5000, {0x41, 0xf4});                                   // inc ecx; hlt
    CHECK(run_to_halt(0x4ff0) == 18);
    CHECK(cpu.s.gpr[RAX] == 16);
    CHECK(cpu.s.gpr[RCX] == 1);
    // The second page changes behind the first one's back (a DMA-like write):
    // the first page's block must not have reached into it.
    put(0x5000, {0x42});  // inc edx
    CHECK(run_to_halt(0x4ff0) == 18);
    CHECK(cpu.s.gpr[RAX] == 32);
    CHECK(cpu.s.gpr[RCX] == 1);
    CHECK(cpu.s.gpr[RDX] == 1);
    CHECK(cpu.s.rip == 0x5002);
}

TEST_CASE_FIXTURE(BlockFixture, "block cache: an instruction crossing a page boundary sees both pages' bytes") {
    protected32();
    put(0x4ffc, {0x90, 0x90});                    // nop; nop
    put(0x4ffe, {0xb8, 0x11, 0x22, 0x33, 0x44});  // mov eax, 0x44332211 (crosses at 0x5000)
    put(0x5003, {0xf4});
    CHECK(run_to_halt(0x4ffc) == 4);
    CHECK(cpu.s.gpr[RAX] == 0x44332211);
    put(0x5001, {0x55});  // the immediate's third byte, on the second page
    CHECK(run_to_halt(0x4ffc) == 4);
    CHECK(cpu.s.gpr[RAX] == 0x44552211);
    CHECK(cpu.s.rip == 0x5004);
}

TEST_CASE_FIXTURE(BlockFixture, "block cache: a page-crossing fetch fault reports the instruction start") {
    long64();
    idt64(kVecPF, 0x10, kHandler, 0x8e);
    put(kHandler, {0xf4});
    wr(kPml4 + 0x2000 + 5 * 8, 0, 8);  // unmap 10-12 MiB
    put(0x9ffffa, {0x48, 0xff, 0xc0});  // inc rax
    put(0x9ffffd, {0x48, 0xc7, 0xc3});  // mov rbx, imm32: its immediate is on the unmapped page
    CHECK(run_to_halt(0x9ffffa) == 2);   // inc, then the handler's hlt
    CHECK(cpu.s.gpr[RAX] == 1);
    CHECK(cpu.s.cr2 == 0xa00000);
    CHECK(rd(cpu.s.gpr[RSP] + 8, 8) == 0x9ffffd);  // pushed RIP: the crossing instruction
    CHECK(cpu.s.rip == kHandler + 1);
}

TEST_CASE_FIXTURE(BlockFixture, "block cache: STI in straight-line code delivers after the next instruction") {
    protected32();
    OneIrq irq;
    cpu.intc = &irq;
    idt32(0x30, make_gate(0x08, kHandler, kIntGate32));
    put(kHandler, {0xbb, 0x01, 0x00, 0x00, 0x00, 0xf4});  // mov ebx, 1; hlt
    // inc eax; sti; inc ecx; inc edx; inc esi; hlt
    put(0x4000, {0x40, 0xfb, 0x41, 0x42, 0x46, 0xf4});
    cpu.s.rflags = 2;
    irq.pending = true;
    CHECK(run_to_halt(0x4000) == 5);  // inc, sti, inc ecx, then the handler's mov and hlt
    CHECK(cpu.s.gpr[RAX] == 1);
    CHECK(cpu.s.gpr[RCX] == 1);
    CHECK(cpu.s.gpr[RDX] == 0);
    CHECK(cpu.s.gpr[RBX] == 1);
    CHECK(rd(cpu.s.gpr[RSP], 4) == 0x4003);  // return EIP: the instruction after the shadow
    CHECK(cpu.s.rip == kHandler + 6);
    cpu.intc = nullptr;
}

TEST_CASE_FIXTURE(BlockFixture, "block cache: an interrupt kicked in while IF = 1 is taken at a block boundary") {
    protected32();
    OneIrq irq;
    cpu.intc = &irq;
    idt32(0x30, make_gate(0x08, kHandler, kIntGate32));
    put(kHandler, {0xf4});
    put(0x4000, {0x40, 0xeb, 0xfd});  // 1: inc eax; jmp 1b
    cpu.s.rip = 0x4000;
    cpu.s.rflags = 2 | kIF;
    CHECK(cpu.run(100) == StopReason::Budget);
    CHECK(cpu.s.gpr[RAX] >= 50);
    irq.pending = true;
    cpu.irq_pending.store(true);
    const uint64_t eax = cpu.s.gpr[RAX];
    CHECK(cpu.run(100) == StopReason::Halted);
    CHECK(cpu.s.gpr[RAX] == eax);  // taken before the next block
    CHECK(cpu.s.rip == kHandler + 1);
    cpu.intc = nullptr;
}

TEST_CASE_FIXTURE(BlockFixture, "block cache: a #PF in the middle of a block: RIP and icount") {
    long64();
    idt64(kVecPF, 0x10, kHandler, 0x8e);
    put(kHandler, {0xf4});
    wr(kPml4 + 0x2000 + 5 * 8, 0, 8);  // unmap 10-12 MiB
    // inc rax; inc rax; mov rbx, [0xa00000]; inc rax; hlt
    put(0x4000, {0x48, 0xff, 0xc0, 0x48, 0xff, 0xc0});
    put(0x4006, {0x48, 0x8b, 0x1c, 0x25, 0x00, 0x00, 0xa0, 0x00});
    put(0x400e, {0x48, 0xff, 0xc0, 0xf4});
    CHECK(run_to_halt(0x4000) == 3);  // two incs, then the handler's hlt
    CHECK(cpu.s.gpr[RAX] == 2);
    CHECK(cpu.s.cr2 == 0xa00000);
    CHECK(rd(cpu.s.gpr[RSP], 8) == 0);           // error code: read, not present, supervisor
    CHECK(rd(cpu.s.gpr[RSP] + 8, 8) == 0x4006);  // RIP of the faulting mov
    CHECK(cpu.s.rip == kHandler + 1);
}
