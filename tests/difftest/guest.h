// Runs one instruction in Petrel: a Cpu on its own PhysicalMemory, in 64-bit
// long mode at CPL 3, with page tables that map exactly the pages the host
// side maps (the code page, the three data pages), identity. An exception is
// delivered through an IDT whose 32 gates point at distinct ring-0 addresses,
// so after cpu.step() the RIP says which vector was raised and the frame on
// the ring-0 stack holds the state of the faulting instruction.
#pragma once
#include <memory>

#include "cpu/cpu.h"
#include "tests/difftest/difftest.h"

namespace petrel::difftest {

class GuestRunner {
public:
    GuestRunner();
    uint8_t* data();  // host view of the guest's data pages
    // Runs the bytes with cpu.step() (fetch, decode, block cache, handler).
    // With pre set, the bytes are not decoded by Petrel: pre's handler runs
    // as the run loop would run it (used while Petrel's decoder cannot decode).
    // code_page: the host's code page (4 KiB), mirrored into the guest's so
    // that a stray read of it sees the same bytes; the instruction is at
    // kInsnOffset in it.
    RunResult run(const uint8_t* code_page, const State& in, const DecodedInsn* pre = nullptr);
    Cpu& cpu() { return *cpu_; }

private:
    std::unique_ptr<PhysicalMemory> mem_;
    Bus io_;
    std::unique_ptr<Cpu> cpu_;
    Segment user_cs_, user_ss_;
};

}  // namespace petrel::difftest
