// The MMX/SSE part of the 0F map (SDM vol. 2 table A-3) and Grp12-14.
#include "cpu/decoder/operand_codes.h"

namespace petrel::decoder {

namespace {

constexpr Row kRows[] = {
    {.key = 0x77, .op = Op::EMMS},
};

constexpr auto kIndex = dense_index(kRows);

}  // namespace

const MapTable k0FSseMap{kRows, &kIndex};

}  // namespace petrel::decoder
