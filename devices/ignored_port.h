// A port that must exist but does nothing: 0x80 (POST codes, also the
// classic I/O delay), 0xed (alternative delay port). Writes are dropped and
// reads float high, as on a PC with no POST card. Map one instance at as
// many single-port windows as needed.
#pragma once
#include <cstdint>

#include "memory/bus.h"

namespace petrel {

class IgnoredPort : public IoHandler {
public:
    uint64_t io_read(uint64_t, unsigned size) override { return all_ones(size); }
    void io_write(uint64_t, uint64_t, unsigned) override {}
};

}  // namespace petrel
