// AES-NI (Intel AES-NI white paper; SDM vol. 2 AESENC..AESKEYGENASSIST):
// one AES round on the 128-bit state in the destination XMM register with
// the round key from the source. The state is FIPS-197's column-major
// 4x4 byte matrix: byte 4c + r of the register is row r of column c.
//
// The S-box is derived at compile time from its definition (multiplicative
// inverse in GF(2^8) followed by the affine map), so there is no 256-entry
// table to mistype; the unit tests check it against FIPS-197's vectors.
#include <array>

#include "cpu/interp/sse_common.h"

namespace petrel {

namespace {

using State = std::array<uint8_t, 16>;

// Multiplication in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1.
constexpr uint8_t gf_mul(uint8_t a, uint8_t b) {
    uint8_t p = 0;
    for (int i = 0; i < 8; ++i) {
        if (b & 1) p ^= a;
        const bool carry = a & 0x80;
        a = static_cast<uint8_t>(a << 1);
        if (carry) a ^= 0x1b;
        b >>= 1;
    }
    return p;
}

constexpr uint8_t rotl8(uint8_t x, int n) { return static_cast<uint8_t>((x << n) | (x >> (8 - n))); }

struct SBoxes {
    std::array<uint8_t, 256> fwd{}, inv{};
};

// S(x) = A(x^-1) + 0x63 with 0^-1 = 0 (FIPS-197 5.1.1); the inverse box is
// the inverse permutation. Inverses come from powers of the generator 03:
// x = 03^k has the inverse 03^(255-k).
constexpr SBoxes make_sboxes() {
    std::array<uint8_t, 256> pow{}, log{};
    uint8_t p = 1;
    for (unsigned k = 0; k < 255; ++k) {
        pow[k] = p;
        log[p] = static_cast<uint8_t>(k);
        p = gf_mul(p, 3);
    }
    SBoxes s;
    for (unsigned x = 0; x < 256; ++x) {
        const uint8_t inv = x ? pow[(255 - log[x]) % 255] : 0;
        const uint8_t b = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
        s.fwd[x] = b;
        s.inv[b] = static_cast<uint8_t>(x);
    }
    return s;
}
constexpr SBoxes kSBox = make_sboxes();

State to_state(const XmmReg& v) {
    State s;
    for (unsigned i = 0; i < 16; ++i) s[i] = lane<uint8_t>(v, i);
    return s;
}
XmmReg from_state(const State& s) {
    XmmReg v{};
    for (unsigned i = 0; i < 16; ++i) set_lane<uint8_t>(v, i, s[i]);
    return v;
}

// Row r rotates left by r columns (inverse: right).
State shift_rows(const State& in, bool inverse) {
    State out;
    for (unsigned c = 0; c < 4; ++c)
        for (unsigned r = 0; r < 4; ++r) {
            const unsigned from = inverse ? (c + 4 - r) % 4 : (c + r) % 4;
            out[4 * c + r] = in[4 * from + r];
        }
    return out;
}

State sub_bytes(State s, bool inverse) {
    for (uint8_t& b : s) b = inverse ? kSBox.inv[b] : kSBox.fwd[b];
    return s;
}

// Each column times the circulant matrix with first row m (FIPS-197 5.1.3:
// {02 03 01 01}; InvMixColumns 5.3.3: {0e 0b 0d 09}).
State mix_columns(const State& in, bool inverse) {
    static constexpr uint8_t kFwd[4] = {2, 3, 1, 1}, kInv[4] = {0x0e, 0x0b, 0x0d, 0x09};
    const uint8_t* m = inverse ? kInv : kFwd;
    State out;
    for (unsigned c = 0; c < 4; ++c)
        for (unsigned r = 0; r < 4; ++r) {
            uint8_t acc = 0;
            for (unsigned k = 0; k < 4; ++k) acc ^= gf_mul(m[(k + 4 - r) % 4], in[4 * c + k]);
            out[4 * c + r] = acc;
        }
    return out;
}

XmmReg xor_key(const State& s, const XmmReg& key) {
    XmmReg v = from_state(s);
    v.q[0] ^= key.q[0];
    v.q[1] ^= key.q[1];
    return v;
}

enum class Round { Enc, EncLast, Dec, DecLast };

// AESENC: ShiftRows, SubBytes, MixColumns, AddRoundKey; the last round
// omits MixColumns. AESDEC is the equivalent inverse cipher's round:
// InvShiftRows, InvSubBytes, InvMixColumns, AddRoundKey.
template <Round kRound>
void op_aes_round(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg key = vsrc(cpu, d, 1);
    constexpr bool inverse = kRound == Round::Dec || kRound == Round::DecLast;
    constexpr bool last = kRound == Round::EncLast || kRound == Round::DecLast;
    State s = sub_bytes(shift_rows(to_state(cpu.s.xmm[d.ops[0].reg]), inverse), inverse);
    if (!last) s = mix_columns(s, inverse);
    cpu.s.xmm[d.ops[0].reg] = xor_key(s, key);
}

// AESIMC: InvMixColumns of a round key, for the equivalent inverse cipher.
void op_aesimc(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    cpu.s.xmm[d.ops[0].reg] = from_state(mix_columns(to_state(vsrc(cpu, d, 1)), true));
}

uint32_t sub_word(uint32_t w) {
    uint32_t r = 0;
    for (unsigned i = 0; i < 4; ++i) r |= uint32_t{kSBox.fwd[(w >> (8 * i)) & 0xff]} << (8 * i);
    return r;
}
uint32_t rot_word(uint32_t w) { return (w >> 8) | (w << 24); }

// AESKEYGENASSIST: from the source's dwords X1 and X3, SubWord(X) and
// RotWord(SubWord(X)) ^ RCON, with RCON the zero-extended imm8.
void op_aeskeygenassist(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const XmmReg src = vsrc(cpu, d, 1);
    const uint32_t rcon = static_cast<uint32_t>(d.imm & 0xff);
    const uint32_t x1 = sub_word(lane<uint32_t>(src, 1)), x3 = sub_word(lane<uint32_t>(src, 3));
    XmmReg r{};
    set_lane<uint32_t>(r, 0, x1);
    set_lane<uint32_t>(r, 1, rot_word(x1) ^ rcon);
    set_lane<uint32_t>(r, 2, x3);
    set_lane<uint32_t>(r, 3, rot_word(x3) ^ rcon);
    cpu.s.xmm[d.ops[0].reg] = r;
}

}  // namespace

void register_sse_aes(HandlerTable& t) {
    t.set(Op::AESENC, op_aes_round<Round::Enc>);
    t.set(Op::AESENCLAST, op_aes_round<Round::EncLast>);
    t.set(Op::AESDEC, op_aes_round<Round::Dec>);
    t.set(Op::AESDECLAST, op_aes_round<Round::DecLast>);
    t.set(Op::AESIMC, op_aesimc);
    t.set(Op::AESKEYGENASSIST, op_aeskeygenassist);
}

}  // namespace petrel
