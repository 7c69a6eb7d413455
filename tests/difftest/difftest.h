// The native differential test: one instruction, the same input state, run
// on the host CPU and in Petrel's CPU, every register, flag and memory byte
// compared (flags the SDM leaves undefined masked per instruction).
//
// Address-space contract shared by both sides (identical linear addresses,
// so a fault, a page crossing or a bit-string offset behaves the same):
//   kCodePage  one page holding the instruction (Petrel) / the stub (host)
//   kDataLo .. kDataHi  three read-write data pages; the memory operand's
//              base register points into the middle one, RSP too
//   everything else unmapped (guard pages are PROT_NONE on the host)
// Petrel additionally owns supervisor-only structures (GDT, IDT, TSS, page
// tables, ring-0 stack) at low addresses the host never maps.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/decoded_insn.h"

namespace petrel::difftest {

constexpr uint64_t kCodePage = 0x1000000;
constexpr uint64_t kInsnOffset = 0x800;  // where the instruction sits in the code page
constexpr uint64_t kInsnAddr = kCodePage + kInsnOffset;
constexpr uint64_t kDataLo = 0x1010000;
constexpr uint64_t kDataPages = 3;
constexpr uint64_t kDataSize = kDataPages * 4096;
constexpr uint64_t kDataMid = kDataLo + 4096;
constexpr uint64_t kStackTop = kDataMid + 0x800;  // RSP of every case

// The architectural state both sides load and store.
struct State {
    uint64_t gpr[16];
    uint64_t rflags;
    uint64_t pad_;
    alignas(16) uint8_t xmm[16][16];  // XMM0-15
    uint32_t mxcsr;
    // x87/MMX state as an FXSAVE64 image (FCW, FSW, abridged FTW, ST0-7 in
    // stack order; its XMM/MXCSR fields are not used: see xmm, mxcsr).
    alignas(16) uint8_t fx[512];
};

// The compared bytes of the FXSAVE image: FCW, FSW, FTW (0-4) and the ten
// bytes of each ST(i). FOP/FIP/FDP are not compared (AMD stores them only
// while an exception is pending).
inline bool fx_byte_compared(unsigned i) { return i < 5 || (i >= 32 && i < 160 && (i - 32) % 16 < 10); }

// How an instruction ended: normally or with an exception vector (host
// signals are translated into the vector class they stand for).
// DivideError stands for every SIGFPE source: #DE, #MF and #XM.
enum class Outcome : uint8_t { Ok, DivideError, InvalidOpcode, MemoryFault, Trap, Other };
const char* outcome_name(Outcome o);

struct RunResult {
    Outcome outcome = Outcome::Ok;
    int detail = 0;  // host: signal number; Petrel: vector
    State state{};
    std::vector<uint8_t> data;  // the data pages after the instruction
};

// One instruction form to test: representative bytes and what the decoder
// says about them, plus where the per-case variable parts are.
struct Form {
    std::vector<uint8_t> bytes;  // representative encoding
    DecodedInsn insn;            // its decoding
    unsigned header = 0;         // bytes before the ModRM (prefixes, REX/VEX, map, opcode)
    bool has_modrm = false;
    bool vex = false;
    bool group = false;          // ModRM.reg selects the operation
    bool rex = false;            // a REX prefix is part of the form (its R/B bits may vary)
    std::string name;            // e.g. "ADD Ev,Gv 48 01 /r"
};

}  // namespace petrel::difftest
