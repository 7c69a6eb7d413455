// The three-byte map 0F 3A (SDM vol. 2 table A-5): SSSE3/SSE4.1/SSE4.2/AES/
// PCLMULQDQ rows with their imm8, by mandatory prefix; and the VEX 0F 3A
// map, of which only BMI2's RORX exists here (no AVX).
#include "cpu/decoder/operand_codes.h"

namespace petrel::decoder {

namespace {

constexpr Row kRows[] = {
    {.key = 0x0f, .op = Op::INVALID},
};

constexpr Row kVexF0[] = {{.key = 3, .op = Op::RORX, .o = {Gy, Ey, Ib}}};
constexpr Row kVexRows[] = {
    {.key = 0xf0, .sel = sel(By::Pfx, kVexF0)},
};

constexpr auto kIndex = dense_index(kRows);
constexpr auto kVexIndex = dense_index(kVexRows);

}  // namespace

const MapTable k0F3AMap{kRows, &kIndex};
const MapTable kVex0F3AMap{kVexRows, &kVexIndex};

}  // namespace petrel::decoder
