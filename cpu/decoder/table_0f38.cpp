// The three-byte map 0F 38 (SDM vol. 2 table A-4): SSSE3/SSE4.1/SSE4.2/AES
// rows by mandatory prefix, and the general-purpose MOVBE, CRC32, ADCX/ADOX,
// INVPCID. Also the VEX 0F 38 map, of which only the BMI1/BMI2
// general-purpose instructions exist here (no AVX).
#include "cpu/decoder/operand_codes.h"
#include "cpu/decoder/sse_patterns.h"

namespace petrel::decoder {

namespace {

// ---- legacy 0F 38

// MOVBE (66 = operand size) / F2 CRC32; F3 is #UD.
constexpr Row kF0[] = {
    {.key = 0, .op = Op::MOVBE, .o = {Gv, Mv}}, {.key = 2, .op = Op::INVALID},
    {.key = 3, .op = Op::CRC32, .o = {Gy, Eb}},
};
constexpr Row kF1[] = {
    {.key = 0, .op = Op::MOVBE, .o = {Mv, Gv}}, {.key = 2, .op = Op::INVALID},
    {.key = 3, .op = Op::CRC32, .o = {Gy, Ev}},
};
constexpr Row kF6[] = {{.key = 1, .op = Op::ADCX, .o = {Gy, Ey}}, {.key = 2, .op = Op::ADOX, .o = {Gy, Ey}}};
constexpr Row k82[] = {{.key = 1, .op = Op::INVPCID, .o = {Gn, Mdq}}};

// BLENDV*: the mask register <XMM0> is an explicit third operand.
template <Op kOp>
inline constexpr Row kBlendv[] = {{.key = 1, .op = kOp, .o = {Vx, Wx, XMM0}}};
constexpr Row k2A[] = {{.key = 1, .op = Op::MOVNTDQA, .o = {Vx, Mx}}};

constexpr Row kRows[] = {
    // SSSE3: MMX forms without prefix, SSE forms with 66
    {.key = 0x00, .sel = sel(By::Pfx, kPqVx<Op::PSHUFB>)},
    {.key = 0x01, .sel = sel(By::Pfx, kPqVx<Op::PHADDW>)},
    {.key = 0x02, .sel = sel(By::Pfx, kPqVx<Op::PHADDD>)},
    {.key = 0x03, .sel = sel(By::Pfx, kPqVx<Op::PHADDSW>)},
    {.key = 0x04, .sel = sel(By::Pfx, kPqVx<Op::PMADDUBSW>)},
    {.key = 0x05, .sel = sel(By::Pfx, kPqVx<Op::PHSUBW>)},
    {.key = 0x06, .sel = sel(By::Pfx, kPqVx<Op::PHSUBD>)},
    {.key = 0x07, .sel = sel(By::Pfx, kPqVx<Op::PHSUBSW>)},
    {.key = 0x08, .sel = sel(By::Pfx, kPqVx<Op::PSIGNB>)},
    {.key = 0x09, .sel = sel(By::Pfx, kPqVx<Op::PSIGNW>)},
    {.key = 0x0a, .sel = sel(By::Pfx, kPqVx<Op::PSIGND>)},
    {.key = 0x0b, .sel = sel(By::Pfx, kPqVx<Op::PMULHRSW>)},
    {.key = 0x1c, .sel = sel(By::Pfx, kPqVx<Op::PABSB>)},
    {.key = 0x1d, .sel = sel(By::Pfx, kPqVx<Op::PABSW>)},
    {.key = 0x1e, .sel = sel(By::Pfx, kPqVx<Op::PABSD>)},
    // SSE4.1
    {.key = 0x10, .sel = sel(By::Pfx, kBlendv<Op::PBLENDVB>)},
    {.key = 0x14, .sel = sel(By::Pfx, kBlendv<Op::BLENDVPS>)},
    {.key = 0x15, .sel = sel(By::Pfx, kBlendv<Op::BLENDVPD>)},
    {.key = 0x17, .sel = sel(By::Pfx, kVx66<Op::PTEST>)},
    {.key = 0x20, .sel = sel(By::Pfx, kVx66M<Op::PMOVSXBW, Sz::q>)},
    {.key = 0x21, .sel = sel(By::Pfx, kVx66M<Op::PMOVSXBD, Sz::d>)},
    {.key = 0x22, .sel = sel(By::Pfx, kVx66M<Op::PMOVSXBQ, Sz::w>)},
    {.key = 0x23, .sel = sel(By::Pfx, kVx66M<Op::PMOVSXWD, Sz::q>)},
    {.key = 0x24, .sel = sel(By::Pfx, kVx66M<Op::PMOVSXWQ, Sz::d>)},
    {.key = 0x25, .sel = sel(By::Pfx, kVx66M<Op::PMOVSXDQ, Sz::q>)},
    {.key = 0x28, .sel = sel(By::Pfx, kVx66<Op::PMULDQ>)},
    {.key = 0x29, .sel = sel(By::Pfx, kVx66<Op::PCMPEQQ>)},
    {.key = 0x2a, .sel = sel(By::Pfx, k2A)},
    {.key = 0x2b, .sel = sel(By::Pfx, kVx66<Op::PACKUSDW>)},
    {.key = 0x30, .sel = sel(By::Pfx, kVx66M<Op::PMOVZXBW, Sz::q>)},
    {.key = 0x31, .sel = sel(By::Pfx, kVx66M<Op::PMOVZXBD, Sz::d>)},
    {.key = 0x32, .sel = sel(By::Pfx, kVx66M<Op::PMOVZXBQ, Sz::w>)},
    {.key = 0x33, .sel = sel(By::Pfx, kVx66M<Op::PMOVZXWD, Sz::q>)},
    {.key = 0x34, .sel = sel(By::Pfx, kVx66M<Op::PMOVZXWQ, Sz::d>)},
    {.key = 0x35, .sel = sel(By::Pfx, kVx66M<Op::PMOVZXDQ, Sz::q>)},
    {.key = 0x37, .sel = sel(By::Pfx, kVx66<Op::PCMPGTQ>)},  // SSE4.2
    {.key = 0x38, .sel = sel(By::Pfx, kVx66<Op::PMINSB>)},
    {.key = 0x39, .sel = sel(By::Pfx, kVx66<Op::PMINSD>)},
    {.key = 0x3a, .sel = sel(By::Pfx, kVx66<Op::PMINUW>)},
    {.key = 0x3b, .sel = sel(By::Pfx, kVx66<Op::PMINUD>)},
    {.key = 0x3c, .sel = sel(By::Pfx, kVx66<Op::PMAXSB>)},
    {.key = 0x3d, .sel = sel(By::Pfx, kVx66<Op::PMAXSD>)},
    {.key = 0x3e, .sel = sel(By::Pfx, kVx66<Op::PMAXUW>)},
    {.key = 0x3f, .sel = sel(By::Pfx, kVx66<Op::PMAXUD>)},
    {.key = 0x40, .sel = sel(By::Pfx, kVx66<Op::PMULLD>)},
    {.key = 0x41, .sel = sel(By::Pfx, kVx66<Op::PHMINPOSUW>)},
    // INVPCID
    {.key = 0x82, .sel = sel(By::Pfx, k82)},
    // AES-NI
    {.key = 0xdb, .sel = sel(By::Pfx, kVx66<Op::AESIMC>)},
    {.key = 0xdc, .sel = sel(By::Pfx, kVx66<Op::AESENC>)},
    {.key = 0xdd, .sel = sel(By::Pfx, kVx66<Op::AESENCLAST>)},
    {.key = 0xde, .sel = sel(By::Pfx, kVx66<Op::AESDEC>)},
    {.key = 0xdf, .sel = sel(By::Pfx, kVx66<Op::AESDECLAST>)},
    // general purpose
    {.key = 0xf0, .sel = sel(By::PfxGp, kF0)},
    {.key = 0xf1, .sel = sel(By::PfxGp, kF1)},
    {.key = 0xf6, .sel = sel(By::Pfx, kF6)},  // 66 ADCX, F3 ADOX (66 then ignored)
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
