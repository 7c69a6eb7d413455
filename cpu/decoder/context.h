// What the decoder engine knows about the instruction being decoded, as the
// fixup functions of irregular rows see it (decoder.cpp fills it).
#pragma once
#include <cstddef>
#include <cstdint>

#include "cpu/decoded_insn.h"

namespace petrel::decoder {

struct Ctx {
    const uint8_t* bytes = nullptr;
    size_t avail = 0;
    size_t pos = 0;  // next byte to consume
    CodeMode mode = CodeMode::Bits64;
    bool m64 = false;

    // legacy prefixes
    bool p66 = false, p67 = false, lock = false;
    uint8_t rep = 0;   // the last of F2/F3, or 0
    int seg = -1;      // effective segment override, -1 none
    uint8_t rex = 0;   // the REX byte (0x40-0x4F) immediately before the opcode, or 0

    // VEX (BMI only)
    bool vex = false;
    uint8_t vex_l = 0, vex_w = 0, vvvv = 0;

    // ModRM
    bool has_modrm = false;
    uint8_t modrm = 0, mod = 0, reg = 0, rm = 0;  // reg and rm with REX.R / REX.B applied
    bool is_mem = false;

    uint8_t os = 4, as = 4;       // effective operand / address size
    bool pfx66_used = false;      // 66 consumed as a mandatory prefix
    bool rep_used = false;        // F2/F3 consumed as a mandatory prefix
    unsigned nimm = 0;            // immediates read so far
    DecodeStatus err = DecodeStatus::Ok;  // the first error met (sticky)
    bool ud = false;              // #UD known before the ModRM: raised once the ModRM is read
    bool bad_lock = false;        // LOCK where it is #UD: raised once the whole instruction is read

    bool rex_w() const { return vex ? vex_w : (rex & 8) != 0; }
    bool rex_r() const { return (rex & 4) != 0; }
    bool rex_x() const { return (rex & 2) != 0; }
    bool rex_b() const { return (rex & 1) != 0; }
};

}  // namespace petrel::decoder
