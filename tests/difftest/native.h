// Runs one instruction on the host CPU: a generated stub in an executable
// page at kCodePage loads a State, executes the instruction, stores the
// State and returns. A faulting instruction raises a signal on an alternate
// stack; the handler records it and siglongjmps back, so #DE/#UD/#GP/#PF
// cost one signal, not the process.
#pragma once
#include <string>

#include "tests/difftest/difftest.h"

namespace petrel::difftest {

class NativeRunner {
public:
    // Maps the code and data pages (with guard pages) at their fixed
    // addresses. On failure ok() is false and why() says why.
    NativeRunner();
    ~NativeRunner();
    bool ok() const { return ok_; }
    const std::string& why() const { return why_; }

    // Host view of the data pages (kDataLo .. kDataLo + kDataSize).
    uint8_t* data() { return data_; }
    // The code page as the last run left it (stub and instruction), so the
    // Petrel side can hold the same bytes.
    const uint8_t* code() const { return code_; }
    // Runs insn (at most 15 bytes) with the given input; data pages must
    // already hold the input memory.
    RunResult run(const uint8_t* insn, unsigned len, const State& in);

private:
    bool ok_ = false;
    std::string why_;
    uint8_t* code_ = nullptr;
    uint8_t* data_ = nullptr;
};

}  // namespace petrel::difftest
