// Where a character device's output goes and its input comes from (a
// terminal, a file, a test's buffer). Devices hold a CharBackend*; the machine
// connects stdio/file backends, tests connect a recording one.
#pragma once
#include <cstdint>

namespace petrel {

class CharBackend {
public:
    virtual ~CharBackend() = default;
    virtual void write_byte(uint8_t b) = 0;
};

}  // namespace petrel
