#include "devices/debug_exit.h"

namespace petrel {

uint64_t DebugExit::io_read(uint64_t, unsigned) { return 0; }

void DebugExit::io_write(uint64_t, uint64_t value, unsigned size) {
    uint64_t v = value & all_ones(size);
    if (on_exit_) on_exit_(int((v << 1) | 1));  // as QEMU: the status is truncated to an int
}

}  // namespace petrel
