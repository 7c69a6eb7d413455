// The three-byte map 0F 38 (SDM vol. 2 table A-4): SSSE3/SSE4.1/SSE4.2/AES
// rows by mandatory prefix, and the general-purpose MOVBE, CRC32, ADCX/ADOX,
// INVPCID. Also the VEX 0F 38 map, of which only the BMI1/BMI2
// general-purpose instructions exist here (no AVX).
#include "cpu/decoder/operand_codes.h"

namespace petrel::decoder {

namespace {

// ---- legacy 0F 38

constexpr Row kF0[] = {{.key = 0, .op = Op::MOVBE, .o = {Gv, Mv}}, {.key = 3, .op = Op::CRC32, .o = {Gy, Eb}}};
constexpr Row kF1[] = {{.key = 0, .op = Op::MOVBE, .o = {Mv, Gv}}, {.key = 3, .op = Op::CRC32, .o = {Gy, Ev}}};
constexpr Row kF6[] = {{.key = 1, .op = Op::ADCX, .o = {Gy, Ey}}, {.key = 2, .op = Op::ADOX, .o = {Gy, Ey}}};
constexpr Row k82[] = {{.key = 1, .op = Op::INVPCID, .o = {Gn, Mdq}}};

constexpr Row kRows[] = {
    {.key = 0x82, .sel = sel(By::Pfx, k82)},
    {.key = 0xf0, .sel = sel(By::PfxGp, kF0)},
    {.key = 0xf1, .sel = sel(By::PfxGp, kF1)},
    {.key = 0xf6, .sel = sel(By::PfxGp, kF6)},
};

// ---- VEX 0F 38 (BMI1, BMI2); the prefix key is VEX.pp

constexpr Row kGrp17[] = {
    {.key = 1, .op = Op::BLSR, .o = {By_, Ey}},
    {.key = 2, .op = Op::BLSMSK, .o = {By_, Ey}},
    {.key = 3, .op = Op::BLSI, .o = {By_, Ey}},
};
constexpr Row kVexF2[] = {{.key = 0, .op = Op::ANDN, .o = {Gy, By_, Ey}}};
constexpr Row kVexF3[] = {{.key = 0, .sel = sel(By::Reg, kGrp17)}};
constexpr Row kVexF5[] = {
    {.key = 0, .op = Op::BZHI, .o = {Gy, Ey, By_}},
    {.key = 2, .op = Op::PEXT, .o = {Gy, By_, Ey}},
    {.key = 3, .op = Op::PDEP, .o = {Gy, By_, Ey}},
};
constexpr Row kVexF6[] = {{.key = 3, .op = Op::MULX, .o = {Gy, By_, Ey}}};
constexpr Row kVexF7[] = {
    {.key = 0, .op = Op::BEXTR, .o = {Gy, Ey, By_}},
    {.key = 1, .op = Op::SHLX, .o = {Gy, Ey, By_}},
    {.key = 2, .op = Op::SARX, .o = {Gy, Ey, By_}},
    {.key = 3, .op = Op::SHRX, .o = {Gy, Ey, By_}},
};
constexpr Row kVexRows[] = {
    {.key = 0xf2, .sel = sel(By::Pfx, kVexF2)},
    {.key = 0xf3, .sel = sel(By::Pfx, kVexF3)},
    {.key = 0xf5, .sel = sel(By::Pfx, kVexF5)},
    {.key = 0xf6, .sel = sel(By::Pfx, kVexF6)},
    {.key = 0xf7, .sel = sel(By::Pfx, kVexF7)},
};

constexpr auto kIndex = dense_index(kRows);
constexpr auto kVexIndex = dense_index(kVexRows);

}  // namespace

const MapTable k0F38Map{kRows, &kIndex};
const MapTable kVex0F38Map{kVexRows, &kVexIndex};

}  // namespace petrel::decoder
