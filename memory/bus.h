// Bus: an address map of devices (port I/O or MMIO). The bus owns placement:
// devices see only offsets inside their own window, and an overlapping
// registration is a programming error reported at board-build time.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace petrel {

// What a device exposes on a bus. Offsets are relative to the window base;
// size is 1, 2, 4 or 8 bytes. Reads of unimplemented registers return what
// the hardware returns (usually all ones); never throw on guest input.
class IoHandler {
public:
    virtual ~IoHandler() = default;
    virtual uint64_t io_read(uint64_t offset, unsigned size) = 0;
    virtual void io_write(uint64_t offset, uint64_t value, unsigned size) = 0;
};

class Bus {
public:
    struct Window {
        uint64_t base;
        uint64_t size;
        IoHandler* handler;
        std::string name;
    };

    // Throws std::logic_error when [base, base+size) overlaps a mapped window.
    void map(uint64_t base, uint64_t size, IoHandler* handler, std::string name);
    void unmap(IoHandler* handler);
    // Moves a device's window (PCI BAR reprogramming); returns false on overlap.
    bool remap(IoHandler* handler, uint64_t new_base);

    const Window* find(uint64_t addr) const;
    // Unmapped reads float high (all ones); unmapped writes are dropped.
    uint64_t read(uint64_t addr, unsigned size) const;
    void write(uint64_t addr, uint64_t value, unsigned size) const;
    const std::vector<Window>& windows() const { return windows_; }

private:
    std::vector<Window> windows_;  // sorted by base, non-overlapping
};

inline uint64_t all_ones(unsigned size) { return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1; }

}  // namespace petrel
