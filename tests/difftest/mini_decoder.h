// A stand-in decoder for the difftest while Petrel's table-driven decoder
// (cpu/decoder/) is not there yet: 64-bit mode only, the common
// general-purpose one-byte and 0F opcodes (plus Jcc/JMP relative, which the
// difftest does not compare but small benchmarks need), ModRM with a plain
// base register (no SIB, no RIP-relative). It exists so the interpreter can be compared
// against the host before the real decoder lands; once decode() knows a form
// the harness uses decode() and cpu.step() instead (--fallback-decoder
// forces this one).
#pragma once
#include "cpu/decoded_insn.h"

namespace petrel::difftest {

DecodeStatus mini_decode(const uint8_t* bytes, size_t avail, CodeMode mode, DecodedInsn& out);

}  // namespace petrel::difftest
