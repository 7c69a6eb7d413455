// Instruction forms to test, enumerated from a decoder: every one-byte, 0F,
// 0F38 and 0F3A opcode with no/66/F2/F3 and no/REX.W prefixes, and the VEX
// 0F38/0F3A space (BMI), each ModRM.reg of groups, register and memory
// forms. A decoded form is tested when it is user-mode, not control flow,
// not privileged, touches only general-purpose, SSE and x87/MMX state (GPRs,
// flags, XMM0-15, MXCSR, the FXSAVE image) and addresses memory through a
// base register (so the harness can point it at the data page).
#pragma once
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/difftest/difftest.h"

namespace petrel::difftest {

using DecodeFn = DecodeStatus (*)(const uint8_t*, size_t, CodeMode, DecodedInsn&);

struct Enumeration {
    std::vector<Form> forms;   // tested forms
    // Decoded x87/SSE forms the harness does not run (other addressing,
    // the XSAVE family), by op.
    std::map<std::string, unsigned> other_user;
};

Enumeration enumerate_forms(DecodeFn decode_fn);

// Ops the harness compares (GPR/flags/memory state, no control flow, no
// privilege, no segment or port access).
bool is_tested_op(Op op);

// A per-case variant of a form: other registers (ModRM reg/rm, REX/VEX
// extension bits, VEX.vvvv) and other immediate bytes. Returns false (and
// leaves bytes/insn as the representative) when the random choice decodes to
// something else or would use RSP as an operand.
bool make_variant(const Form& f, DecodeFn decode_fn, std::mt19937_64& rng, uint64_t imm,
                  std::vector<uint8_t>& bytes, DecodedInsn& insn);

}  // namespace petrel::difftest
