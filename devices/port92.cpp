#include "devices/port92.h"

namespace petrel {

uint64_t Port92::io_read(uint64_t, unsigned) { return state_.value; }

void Port92::io_write(uint64_t, uint64_t value, unsigned) {
    uint8_t v = uint8_t(value);
    bool old_a20 = a20();
    bool reset_edge = (v & 0x01) && !(state_.value & 0x01);
    state_.value = uint8_t(v & ~0x01);  // the reset bit self-clears
    if (a20() != old_a20 && on_a20) on_a20(a20());
    if (reset_edge && on_reset) on_reset();
}

}  // namespace petrel
