// The decoder's table vocabulary: operand codes in the Intel SDM's notation
// (volume 2, appendix A.2: addressing method letter + operand type letters),
// the Row every opcode table is made of, and the selectors that let a row
// defer to a sub-table (ModRM.reg group, mandatory prefix, mod, ...).
//
// A table is a sparse constexpr list of rows; `key` is the opcode (or the
// selector value: ModRM.reg, prefix index...) and `n` the number of
// consecutive keys the row covers (PUSH r16/r32/r64 is one row for 50-57).
// Top-level maps are indexed densely at compile time (dense_index), and the
// sub-tables, at most a few dozen rows, are scanned.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "cpu/decoded_insn.h"

namespace petrel::decoder {

// Addressing methods (SDM A.2.1), plus the codes the SDM spells as register
// names in the maps (AL, rAX, CL, DX, ES...).
enum class Am : uint8_t {
    None,
    A,    // far pointer ptr16:16/32 in the instruction
    B,    // VEX.vvvv general register (BMI)
    C,    // ModRM.reg control register
    D,    // ModRM.reg debug register
    E,    // ModRM r/m: general register or memory
    G,    // ModRM.reg general register
    I,    // immediate
    J,    // relative branch offset
    M,    // ModRM r/m: memory only
    N,    // ModRM.rm MMX register (register form only)
    O,    // moffs: an offset of address size, no ModRM
    P,    // ModRM.reg MMX register
    Q,    // ModRM r/m: MMX register or memory
    R,    // ModRM.rm general register (register form only)
    S,    // ModRM.reg segment register
    U,    // ModRM.rm XMM register (register form only)
    V,    // ModRM.reg XMM register
    W,    // ModRM r/m: XMM register or memory
    Z,    // opcode bits 2:0 (+ REX.B) general register ("rAX/r8" columns of the map)
    Reg,  // a fixed general register (n), e.g. AL, rAX, CL, DX
    Sreg, // a fixed segment register (n), e.g. PUSH ES
    Xmm0, // the implicit <XMM0> of BLENDVPS/BLENDVPD/PBLENDVB
    One,  // the constant 1 of the shift-by-one forms (an Imm operand with value 1)
    St0,  // x87 ST(0)
    Sti,  // x87 ST(i), i = ModRM.rm
};

// Operand types (SDM A.2.2). The sizes they resolve to are in decoder.cpp
// (operand_width).
enum class Sz : uint8_t {
    None,
    b, w, d, q,
    dq,   // 16 bytes
    v,    // operand size: 2, 4 or 8
    z,    // 2 for 16-bit operand size, else 4
    y,    // 4, or 8 with 64-bit operand size
    n,    // "natural": 4, 8 in 64-bit mode whatever the prefixes (MOV CR/DR)
    p,    // far pointer m16:16/32/64: 2 + operand size
    s,    // pseudo-descriptor for LGDT etc.: 6, 10 in 64-bit mode
    a,    // BOUND's pair of operand-size values
    ps, pd, x,  // packed 128-bit (non-VEX x is always 16)
    ss, sd,     // scalar single (4) / double (8)
    bs,   // an Ib sign-extended to the operand size (83 /x, 6A, 6B): the SDM says so in footnotes
    vw,   // register form v, memory form w ("Rv/Mw": MOV Ev,Sw, SLDT, STR, SMSW)
    db,   // register form d, memory form b ("Rd/Mb": PEXTRB, PINSRB)
    dw,   // register form d, memory form w ("Rd/Mw": PEXTRW, PINSRW)
    zw,   // register form z, memory form w (LSL: r16 or r32 source, m16)
    zd,   // register form z, memory form d (MOVSXD with 66: r16 or m32, as Zydis has it)
    cl,   // a cache line, 64 bytes (CLFLUSH, CLFLUSHOPT)
    // x87 memory formats
    t,    // 80-bit real / packed BCD
    env,  // FLDENV/FNSTENV: 14 or 28 bytes
    fst,  // FNSAVE/FRSTOR: 94 or 108 bytes
    fx,   // FXSAVE/FXRSTOR: 512 bytes, more than Operand::size holds: reported as 0
    xs,   // XSAVE area: size not fixed by the encoding (0)
    m0,   // address only, no access (LEA, INVLPG, prefetch, CLFLUSH)
};

struct Opd {
    Am am = Am::None;
    Sz sz = Sz::None;
    uint8_t n = 0;  // register number of Reg/Sreg codes
};

// Row attributes.
enum RowFlag : uint16_t {
    kLock = 1 << 0,    // LOCK allowed (with a memory destination)
    kDef64 = 1 << 1,   // 64-bit mode: operand size 64 by default, 16 with 66 (no 32)
    kF64 = 1 << 2,     // 64-bit mode: operand size always 64 (near branches; Intel ignores 66)
    kI64 = 1 << 3,     // invalid in 64-bit mode
    kO64 = 1 << 4,     // valid only in 64-bit mode
    kCc = 1 << 5,      // condition code in the opcode's low nibble (Jcc, SETcc, CMOVcc)
    kByte = 1 << 6,    // byte operation whatever the operands say (string ops, IN/OUT byte forms)
    kModrm = 1 << 7,   // has a ModRM byte though no operand names it (NOP Ev hints, UD0)
    kNoRex = 1 << 8,   // REX.W does not widen (it still selects registers)
    kRegForm = 1 << 9, // ModRM.mod is ignored: always the register form, no SIB/displacement (MOV CR/DR)
    kOs66 = 1 << 10,   // reached through a mandatory prefix, a 66 still sets the operand size (RDRAND r16)
    kNat = 1 << 11,    // operand size 32, or 64 in 64-bit mode, whatever the prefixes (MOV CR/DR)
};

struct Row;
struct Ctx;
using Fixup = DecodeStatus (*)(Ctx& c, DecodedInsn& d);

// How a row defers to a sub-table.
enum class By : uint8_t {
    None,
    Reg,    // ModRM.reg (groups)
    Mod,    // key 0: memory form, key 3: register form
    Rm,     // ModRM.rm (register forms of 0F 01 and friends)
    Modrm,  // the whole ModRM byte (x87 register forms: C0-FF)
    Pfx,    // mandatory prefix: 0 none, 1 66, 2 F3, 3 F2; a missing variant is #UD
    PfxGp,  // same, but a missing variant falls back to key 0 with the prefix keeping its legacy meaning
    W,      // REX.W / VEX.W
    Mode,   // key 0: 16/32-bit modes, key 1: 64-bit mode
    X87,    // D8-DF: memory forms by ModRM.reg, register forms by the whole ModRM (table_x87.cpp)
};

struct Sel {
    By by = By::None;
    const Row* rows = nullptr;
    uint8_t count = 0;
};

struct Row {
    uint8_t key = 0;
    uint8_t n = 1;
    Op op = Op::INVALID;
    Opd o[4] = {};
    uint16_t f = 0;
    uint8_t cond = 0;   // condition for FCMOVcc (others take it from the opcode, kCc)
    Sel sel = {};
    Fixup fix = nullptr;  // irregular encodings: called after the operands are decoded
};

template <size_t N>
constexpr Sel sel(By by, const Row (&rows)[N]) {
    return Sel{by, rows, static_cast<uint8_t>(N)};
}

// Finds the row covering key in a sparse list (nullptr: reserved, #UD).
inline const Row* find_row(const Row* rows, unsigned count, unsigned key) {
    for (unsigned i = 0; i < count; ++i)
        if (key >= rows[i].key && key < unsigned{rows[i].key} + rows[i].n) return &rows[i];
    return nullptr;
}

// Dense opcode -> row index (0xffff: none) of a map's sparse list, built at
// compile time; overlapping rows are a compile error.
template <size_t N>
constexpr std::array<uint16_t, 256> dense_index(const Row (&rows)[N]) {
    std::array<uint16_t, 256> idx{};
    for (auto& v : idx) v = 0xffff;
    for (size_t i = 0; i < N; ++i)
        for (unsigned k = rows[i].key; k < unsigned{rows[i].key} + rows[i].n; ++k) {
            if (k > 255 || idx[k] != 0xffff) throw "opcode rows overlap";
            idx[k] = static_cast<uint16_t>(i);
        }
    return idx;
}

// ---- operand codes, spelled as in the SDM's opcode maps

// general registers and memory
inline constexpr Opd Eb{Am::E, Sz::b}, Ew{Am::E, Sz::w}, Ed{Am::E, Sz::d}, Eq{Am::E, Sz::q}, Ev{Am::E, Sz::v},
    Ey{Am::E, Sz::y}, Ez{Am::E, Sz::z}, Evw{Am::E, Sz::vw};
inline constexpr Opd Gb{Am::G, Sz::b}, Gw{Am::G, Sz::w}, Gd{Am::G, Sz::d}, Gq{Am::G, Sz::q}, Gv{Am::G, Sz::v},
    Gy{Am::G, Sz::y}, Gz{Am::G, Sz::z}, Gn{Am::G, Sz::n};
inline constexpr Opd Rd{Am::R, Sz::d}, Rv{Am::R, Sz::v}, Ry{Am::R, Sz::y}, Rn{Am::R, Sz::n}, Rvw{Am::R, Sz::vw};
inline constexpr Opd M{Am::M, Sz::m0}, Mb{Am::M, Sz::b}, Mw{Am::M, Sz::w}, Md{Am::M, Sz::d}, Mq{Am::M, Sz::q},
    Mv{Am::M, Sz::v}, My{Am::M, Sz::y}, Mdq{Am::M, Sz::dq}, Mp{Am::M, Sz::p}, Ms{Am::M, Sz::s}, Ma{Am::M, Sz::a},
    Mt{Am::M, Sz::t}, Menv{Am::M, Sz::env}, Mfst{Am::M, Sz::fst}, Mfx{Am::M, Sz::fx}, Mxs{Am::M, Sz::xs},
    Mps{Am::M, Sz::ps}, Mpd{Am::M, Sz::pd}, Mx{Am::M, Sz::x};
inline constexpr Opd Zb{Am::Z, Sz::b}, Zv{Am::Z, Sz::v}, Zy{Am::Z, Sz::y};
inline constexpr Opd By_{Am::B, Sz::y};
// immediates and offsets
inline constexpr Opd Ib{Am::I, Sz::b}, Ibs{Am::I, Sz::bs}, Iw{Am::I, Sz::w}, Iz{Am::I, Sz::z}, Iv{Am::I, Sz::v};
inline constexpr Opd Jb{Am::J, Sz::b}, Jz{Am::J, Sz::z};
inline constexpr Opd Ap{Am::A, Sz::p};
inline constexpr Opd Ob{Am::O, Sz::b}, Ov{Am::O, Sz::v};
inline constexpr Opd One{Am::One, Sz::b};
// system registers
inline constexpr Opd Sw{Am::S, Sz::w}, Cd{Am::C, Sz::n}, Dd{Am::D, Sz::n};
// fixed registers
inline constexpr Opd AL{Am::Reg, Sz::b, 0}, CL{Am::Reg, Sz::b, 1}, DX{Am::Reg, Sz::w, 2}, AX{Am::Reg, Sz::w, 0},
    rAX{Am::Reg, Sz::v, 0}, eAX{Am::Reg, Sz::z, 0};
inline constexpr Opd sES{Am::Sreg, Sz::w, ES}, sCS{Am::Sreg, Sz::w, CS}, sSS{Am::Sreg, Sz::w, SS},
    sDS{Am::Sreg, Sz::w, DS}, sFS{Am::Sreg, Sz::w, FS}, sGS{Am::Sreg, Sz::w, GS};
// x87
inline constexpr Opd ST0{Am::St0}, STi{Am::Sti};
// MMX / XMM
inline constexpr Opd Pq{Am::P, Sz::q}, Pd{Am::P, Sz::d}, Qq{Am::Q, Sz::q}, Qd{Am::Q, Sz::d}, Nq{Am::N, Sz::q};
inline constexpr Opd Vx{Am::V, Sz::x}, Vps{Am::V, Sz::ps}, Vpd{Am::V, Sz::pd}, Vss{Am::V, Sz::ss}, Vsd{Am::V, Sz::sd},
    Vdq{Am::V, Sz::dq}, Vq{Am::V, Sz::q}, Vd{Am::V, Sz::d}, Vy{Am::V, Sz::y};
inline constexpr Opd Wx{Am::W, Sz::x}, Wps{Am::W, Sz::ps}, Wpd{Am::W, Sz::pd}, Wss{Am::W, Sz::ss}, Wsd{Am::W, Sz::sd},
    Wdq{Am::W, Sz::dq}, Wq{Am::W, Sz::q}, Wd{Am::W, Sz::d}, Ww{Am::W, Sz::w}, Wb{Am::W, Sz::b};
inline constexpr Opd Ux{Am::U, Sz::x}, Uq{Am::U, Sz::q}, Ups{Am::U, Sz::ps}, Upd{Am::U, Sz::pd};
inline constexpr Opd XMM0{Am::Xmm0, Sz::dq};
inline constexpr Opd Edb{Am::E, Sz::db}, Edw{Am::E, Sz::dw}, Ezw{Am::E, Sz::zw}, Ezd{Am::E, Sz::zd}, Rw{Am::R, Sz::w},
    Mcl{Am::M, Sz::cl}, Rdq{Am::R, Sz::dq};

// ---- the maps (table_*.cpp)
// A map: a sparse list of rows with its dense index; an opcode it does not
// have is looked up in `more` (the 0F map is split in a general-purpose and
// an MMX/SSE file).
struct MapTable {
    const Row* rows;
    const std::array<uint16_t, 256>* index;
    const MapTable* more = nullptr;
    const Row* at(unsigned opcode) const {
        uint16_t i = (*index)[opcode];
        if (i != 0xffff) return &rows[i];
        return more ? more->at(opcode) : nullptr;
    }
};

extern const MapTable kOneByteMap;
extern const MapTable k0FMap;
extern const MapTable k0FSseMap;
extern const MapTable k0F38Map;
extern const MapTable k0F3AMap;
extern const MapTable kVex0F38Map;  // BMI1/BMI2 only
extern const MapTable kVex0F3AMap;  // RORX only
// x87 escapes D8-DF: memory forms by ModRM.reg, register forms by ModRM.
const Row* x87_row(unsigned escape, uint8_t modrm);

}  // namespace petrel::decoder
