// A small disassembler for traces and test messages: Intel syntax, close to
// what objdump/Zydis print, not meant to be re-assembled.
#pragma once
#include <string>

#include "cpu/decoded_insn.h"

namespace petrel {

// Intel name of a general-purpose register operand (reg >= kHighByteBase: AH..BH).
std::string gpr_name(unsigned reg, unsigned size);

std::string format_insn(const DecodedInsn& d);

}  // namespace petrel
