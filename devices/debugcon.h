// Debug console port (Bochs/QEMU "debugcon", port 0xe9): every byte written
// goes to a CharBackend; a read returns the readback value (0xe9 by default,
// so software can detect the port). The machine maps it at 0xe9 (1 port).
#pragma once
#include <cstdint>

#include "devices/char_backend.h"
#include "memory/bus.h"

namespace petrel {

class Debugcon : public IoHandler {
public:
    explicit Debugcon(CharBackend* out = nullptr, uint8_t readback = 0xe9) : out_(out), readback_(readback) {}

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;
    void set_backend(CharBackend* out) { out_ = out; }

private:
    CharBackend* out_;
    uint8_t readback_;
};

}  // namespace petrel
