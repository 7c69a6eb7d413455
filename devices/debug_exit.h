// isa-debug-exit, compatible with QEMU's device: a write of V asks the
// machine to exit with status (V << 1) | 1 (so a test can never "pass" by
// accident with status 0). V is the value of the access as written, at its
// own width. The window size is QEMU's iosize (default 2, as QEMU's; test
// setups often use iobase=0xf4,iosize=4); the machine maps size() ports at
// the iobase (QEMU's default 0x501). Reads return 0.
#pragma once
#include <cstdint>
#include <functional>

#include "memory/bus.h"

namespace petrel {

class DebugExit : public IoHandler {
public:
    explicit DebugExit(std::function<void(int)> on_exit, unsigned size = 2)
        : on_exit_(std::move(on_exit)), size_(size >= 1 && size <= 8 ? size : 2) {}

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    unsigned size() const { return size_; }  // window to map

private:
    std::function<void(int)> on_exit_;
    unsigned size_;
};

}  // namespace petrel
