// The three-byte map 0F 3A (SDM vol. 2 table A-5): SSSE3/SSE4.1/SSE4.2/AES/
// PCLMULQDQ rows with their imm8, by mandatory prefix; and the VEX 0F 3A
// map, of which only BMI2's RORX exists here (no AVX).
#include "cpu/decoder/operand_codes.h"
#include "cpu/decoder/sse_patterns.h"

namespace petrel::decoder {

namespace {

constexpr Row k0A[] = {{.key = 1, .op = Op::ROUNDSS, .o = {Vx, Wss, Ib}}};
constexpr Row k0B[] = {{.key = 1, .op = Op::ROUNDSD, .o = {Vx, Wsd, Ib}}};
constexpr Row k14[] = {{.key = 1, .op = Op::PEXTRB, .o = {Edb, Vx, Ib}}};
constexpr Row k15[] = {{.key = 1, .op = Op::PEXTRW, .o = {Edw, Vx, Ib}}};
constexpr Row kPextrdq[] = {{.key = 0, .op = Op::PEXTRD, .o = {Ed, Vx, Ib}}, {.key = 1, .op = Op::PEXTRQ, .o = {Eq, Vx, Ib}}};
constexpr Row k16[] = {{.key = 1, .sel = sel(By::W, kPextrdq)}};
constexpr Row k17[] = {{.key = 1, .op = Op::EXTRACTPS, .o = {Ed, Vx, Ib}}};
constexpr Row k20[] = {{.key = 1, .op = Op::PINSRB, .o = {Vx, Edb, Ib}}};
constexpr Row k21[] = {{.key = 1, .op = Op::INSERTPS, .o = {Vx, Wd, Ib}}};
constexpr Row kPinsrdq[] = {{.key = 0, .op = Op::PINSRD, .o = {Vx, Ed, Ib}}, {.key = 1, .op = Op::PINSRQ, .o = {Vx, Eq, Ib}}};
constexpr Row k22[] = {{.key = 1, .sel = sel(By::W, kPinsrdq)}};

constexpr Row kRows[] = {
    // SSE4.1
    {.key = 0x08, .sel = sel(By::Pfx, kVx66Ib<Op::ROUNDPS>)},
    {.key = 0x09, .sel = sel(By::Pfx, kVx66Ib<Op::ROUNDPD>)},
    {.key = 0x0a, .sel = sel(By::Pfx, k0A)},
    {.key = 0x0b, .sel = sel(By::Pfx, k0B)},
    {.key = 0x0c, .sel = sel(By::Pfx, kVx66Ib<Op::BLENDPS>)},
    {.key = 0x0d, .sel = sel(By::Pfx, kVx66Ib<Op::BLENDPD>)},
    {.key = 0x0e, .sel = sel(By::Pfx, kVx66Ib<Op::PBLENDW>)},
    {.key = 0x0f, .sel = sel(By::Pfx, kPqVxIb<Op::PALIGNR>)},  // SSSE3
    {.key = 0x14, .sel = sel(By::Pfx, k14)},
    {.key = 0x15, .sel = sel(By::Pfx, k15)},
    {.key = 0x16, .sel = sel(By::Pfx, k16)},
    {.key = 0x17, .sel = sel(By::Pfx, k17)},
    {.key = 0x20, .sel = sel(By::Pfx, k20)},
    {.key = 0x21, .sel = sel(By::Pfx, k21)},
    {.key = 0x22, .sel = sel(By::Pfx, k22)},
    {.key = 0x40, .sel = sel(By::Pfx, kVx66Ib<Op::DPPS>)},
    {.key = 0x41, .sel = sel(By::Pfx, kVx66Ib<Op::DPPD>)},
    {.key = 0x42, .sel = sel(By::Pfx, kVx66Ib<Op::MPSADBW>)},
    {.key = 0x44, .sel = sel(By::Pfx, kVx66Ib<Op::PCLMULQDQ>)},
    // SSE4.2 string compares
    {.key = 0x60, .sel = sel(By::Pfx, kVx66Ib<Op::PCMPESTRM>)},
    {.key = 0x61, .sel = sel(By::Pfx, kVx66Ib<Op::PCMPESTRI>)},
    {.key = 0x62, .sel = sel(By::Pfx, kVx66Ib<Op::PCMPISTRM>)},
    {.key = 0x63, .sel = sel(By::Pfx, kVx66Ib<Op::PCMPISTRI>)},
    {.key = 0xdf, .sel = sel(By::Pfx, kVx66Ib<Op::AESKEYGENASSIST>)},
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
