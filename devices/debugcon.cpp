#include "devices/debugcon.h"

namespace petrel {

uint64_t Debugcon::io_read(uint64_t, unsigned) { return readback_; }

void Debugcon::io_write(uint64_t, uint64_t value, unsigned) {
    if (out_) out_->write_byte(uint8_t(value));
}

}  // namespace petrel
