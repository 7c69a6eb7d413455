// isa-debug-exit, compatible with QEMU's device: a write of V asks the
// machine to exit with status (V << 1) | 1 (so a test can never "pass" by
// accident with status 0). The window size (QEMU's iosize, 1/2/4 bytes) is
// a constructor choice; the machine maps it at its iobase (QEMU uses 0x501
// by default, test setups often 0xf4). Reads return 0.
#pragma once
#include <cstdint>
#include <functional>

#include "memory/bus.h"

namespace petrel {

class DebugExit : public IoHandler {
public:
    explicit DebugExit(std::function<void(int)> on_exit, unsigned size = 1)
        : on_exit_(std::move(on_exit)), size_(size == 2 || size == 4 ? size : 1) {}

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    unsigned size() const { return size_; }  // window to map

private:
    std::function<void(int)> on_exit_;
    unsigned size_;
};

}  // namespace petrel
