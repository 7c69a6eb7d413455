// The x86 decoder: bytes -> DecodedInsn, for 16-, 32- and 64-bit code.
//
// Layout. This file is the engine: prefixes, escapes, ModRM/SIB/displacement,
// immediates, operand sizes, and the #UD rules that are not a property of one
// opcode. What each opcode is lives in the tables, one sparse constexpr list
// of rows per map, written in the SDM's notation (operand_codes.h):
//   table_onebyte.cpp  one-byte map and its groups (Grp1-5, 11)
//   table_0f.cpp       0F map, system and general-purpose rows; Grp6-9,
//                      15, 16 and the hint-NOP space
//   table_0f_sse.cpp   0F map, MMX/SSE rows by mandatory prefix; Grp12-14
//                      (sse_patterns.h: the recurring prefix patterns)
//   table_0f38.cpp     0F 38 map (SSSE3/SSE4/AES, MOVBE/CRC32/ADX/INVPCID),
//                      VEX 0F 38 (BMI1/BMI2)
//   table_0f3a.cpp     0F 3A map (SSE4/AES/PCLMUL), VEX 0F 3A (RORX)
//   table_x87.cpp      D8-DF: memory forms by ModRM.reg, register forms by
//                      the whole ModRM byte
//   format.cpp         format_insn, a small disassembler for traces
// A row either describes an instruction (op, up to four operand codes,
// attribute flags) or defers to a sub-table through a selector: ModRM.reg
// (groups), mod (memory vs register form), ModRM.rm, the mandatory prefix,
// REX.W, the mode. Irregular encodings get a named fixup function on
// their row, run once the operands are decoded (NOP/PAUSE/XCHG at 90, MOV CR
// register checks...).
//
// Where the tables differ from the SDM's maps, and why:
// - Operands the SDM's assembly syntax names implicitly are explicit: ADD
//   AL,Ib has AL as ops[0], shifts by CL have CL, IN/OUT have DX (Gpr RDX,
//   size 2) or the Ib port, XCHG 91-97 has rAX, the shift-by-one forms have
//   an Imm 1, BLENDVPS has <XMM0>. Handlers read them like any operand.
//   Registers the syntax does not name stay implicit: MUL/DIV/IMUL r/m's
//   rDX:rAX (so IMUL's forms are told apart by nops), string and stack
//   operations' rSI/rDI/rSP, CPUID's registers. That matches the interpreter's
//   handlers, which read one explicit operand for MUL/DIV.
// - Immediates are one Imm operand each: imm holds the first, imm2 the
//   second (ENTER: size, level; far pointers: offset, selector). Ib that the
//   SDM sign-extends to the operand size (83 /x, 6A, 6B) is written Ibs.
// - Operand types the SDM writes as "Rv/Mw" (register form v, memory form w)
//   get their own codes (Evw, Edb, Ezw), instead of two rows.
// - Groups are keyed by ModRM.reg and, where the register forms differ
//   (0F 01, 0F AE, 0F C7), by mod then ModRM.rm, as the SDM's group table.
// - Near branches in 64-bit mode have operand size 64 whatever 66 says:
//   Intel's behaviour (AMD honours 66), which is also what Zydis does in its
//   default mode. So kF64 rows report opsize 8.
// - Operand widths follow Zydis where the SDM leaves room (the oracle test
//   compares them): the hint NOPs show ModRM.reg as a second operand, LSL's
//   register source is r32 with REX.W, PEXTRW/PINSRW/PMOVMSKB use r32,
//   MOVSXD with 66 reads m32 or r16, FUCOMP lists ST(0).
// - The 0F map's MMX/SSE rows are selected by the mandatory prefix: the last
//   of F2/F3 if any, otherwise 66. A missing variant is #UD (By::Pfx). The
//   few general-purpose opcodes that use F3/F2 to pick a different
//   instruction (POPCNT, TZCNT, LZCNT, CRC32, ADOX) use By::PfxGp, where a
//   missing variant falls back to the no-prefix row and the prefix keeps its
//   legacy meaning (66 = operand size, F3 = ignored REP).
// - VEX is decoded only for the general-purpose BMI1/BMI2 instructions; every
//   other VEX/EVEX/XOP encoding is #UD, as on a CPU without AVX. In 64-bit
//   mode C4/C5/62 are always VEX/EVEX; elsewhere only when the next byte has
//   mod = 11 (otherwise LES/LDS/BOUND).
// - 3DNow!, TSX, SGX, VMX/SVM, CET, MPX, SHA, AMX, XOP and friends are #UD.
//   Hint spaces that are NOPs on CPUs without the feature stay NOP/PREFETCH
//   (0F 18-1F, 0F 0D).
//
// - Faults: #UD for an encoding with no row (opcode, group member, mod
//   form) is decided before its SIB/displacement/immediates are read; a
//   missing mandatory-prefix variant once its ModRM is read; LOCK misuse
//   only after the whole instruction. So an invalid encoding that also runs
//   past 15 bytes is TooLong or Invalid by that order (the SDM gives none;
//   it is Zydis' order too).
//
// Invariants: decode() reads at most 15 bytes and never past avail; it
// returns NeedMore only when the instruction does not end within avail (and
// 15); TooLong when it would need a 16th byte. Errors are sticky in
// Ctx::err: the first one stands, reads after it return zeros without
// touching the bytes, and each step checks err before it uses what it
// read (no exceptions: NeedMore at a page end and #UD must stay cheap).
#include <cstring>

#include "cpu/decoder/context.h"
#include "cpu/decoder/operand_codes.h"
#include "cpu/state.h"

namespace petrel {

using namespace decoder;

namespace {

constexpr size_t kMaxLength = 15;

// Records the first error; returns false so callers can `return fail(...)`.
inline bool fail(Ctx& c, DecodeStatus st) {
    if (c.err == DecodeStatus::Ok) c.err = st;
    return false;
}

// Are n more bytes there? (If not: TooLong past 15 bytes, else NeedMore.)
inline bool need(Ctx& c, size_t n) {
    if (c.err != DecodeStatus::Ok) return false;
    if (c.pos + n > kMaxLength) return fail(c, DecodeStatus::TooLong);
    if (c.pos + n > c.avail) return fail(c, DecodeStatus::NeedMore);
    return true;
}

inline uint8_t next_byte(Ctx& c) {
    if (!need(c, 1)) return 0;
    return c.bytes[c.pos++];
}

inline uint64_t read_le(Ctx& c, unsigned n) {
    if (!need(c, n)) return 0;
    uint64_t v = 0;
    for (unsigned k = 0; k < n; ++k) v |= uint64_t{c.bytes[c.pos + k]} << (8 * k);
    c.pos += n;
    return v;
}

inline uint64_t sext(uint64_t v, unsigned bytes) {
    if (bytes >= 8) return v;
    const unsigned sh = 64 - 8 * bytes;
    return static_cast<uint64_t>(static_cast<int64_t>(v << sh) >> sh);
}

inline bool invalid(Ctx& c) { return fail(c, DecodeStatus::Invalid); }

Operand gpr(const Ctx& c, unsigned n, unsigned size) {
    Operand o{OpKind::Gpr, static_cast<uint8_t>(size), static_cast<uint8_t>(n)};
    // Without REX, byte registers 4-7 are AH, CH, DH, BH; with any REX they
    // are SPL, BPL, SIL, DIL.
    if (size == 1 && !c.rex && n >= 4 && n < 8) o.reg = static_cast<uint8_t>(kHighByteBase + n - 4);
    return o;
}

// ---- operand widths

unsigned operand_width(const Ctx& c, Sz sz, bool mem) {
    switch (sz) {
        case Sz::None: case Sz::m0: case Sz::xs: return 0;
        case Sz::b: return 1;
        case Sz::w: return 2;
        case Sz::d: case Sz::ss: return 4;
        case Sz::q: case Sz::sd: return 8;
        case Sz::dq: case Sz::ps: case Sz::pd: case Sz::x: return 16;
        case Sz::v: case Sz::bs: return c.os;
        case Sz::z: return c.os == 2 ? 2 : 4;
        case Sz::y: return c.os == 8 ? 8 : 4;
        case Sz::n: return c.m64 ? 8 : 4;
        case Sz::p: return 2 + c.os;
        case Sz::s: return c.m64 ? 10 : 6;
        case Sz::a: return 2 * c.os;
        case Sz::vw: return mem ? 2 : c.os;
        case Sz::db: return mem ? 1 : 4;
        case Sz::dw: return mem ? 2 : 4;
        case Sz::zw: return mem ? 2 : (c.os == 2 ? 2 : 4);
        case Sz::zd: return mem ? 4 : (c.os == 2 ? 2 : 4);
        case Sz::cl: return 64;
        case Sz::t: return 10;
        case Sz::env: return c.os == 2 ? 14 : 28;
        case Sz::fst: return c.os == 2 ? 94 : 108;
        case Sz::fx: return 0;  // 512 does not fit Operand::size
    }
    return 0;
}

// ---- ModRM memory forms

void parse_mem16(Ctx& c, DecodedInsn& d) {
    static constexpr uint8_t kBase[8] = {RBX, RBX, RBP, RBP, RSI, RDI, RBP, RBX};
    static constexpr uint8_t kIndex[8] = {RSI, RDI, RSI, RDI, kNoReg, kNoReg, kNoReg, kNoReg};
    const unsigned rm = c.modrm & 7;
    d.mem_index = kIndex[rm];
    if (c.mod == 0 && rm == 6) {
        d.mem_base = kNoReg;
        d.disp = static_cast<int64_t>(sext(read_le(c, 2), 2));
    } else {
        d.mem_base = kBase[rm];
        if (c.mod == 1) d.disp = static_cast<int8_t>(next_byte(c));
        else if (c.mod == 2) d.disp = static_cast<int64_t>(sext(read_le(c, 2), 2));
    }
    d.mem_seg = d.mem_base == RBP ? SS : DS;
}

void parse_mem32_64(Ctx& c, DecodedInsn& d) {
    const unsigned rm = c.modrm & 7;
    bool disp32 = false;
    if (rm == 4) {
        const uint8_t sib = next_byte(c);
        const unsigned base = sib & 7, index = ((sib >> 3) & 7) | (c.rex_x() ? 8 : 0);
        d.mem_scale = static_cast<uint8_t>(1u << (sib >> 6));
        d.mem_index = index == 4 ? kNoReg : static_cast<uint8_t>(index);  // RSP cannot be an index; R12 can
        if (base == 5 && c.mod == 0) {
            d.mem_base = kNoReg;
            disp32 = true;
        } else {
            d.mem_base = static_cast<uint8_t>(base | (c.rex_b() ? 8 : 0));
        }
    } else if (rm == 5 && c.mod == 0) {
        // disp32 alone; in 64-bit mode it is relative to the next RIP.
        d.mem_base = c.m64 ? kRipReg : kNoReg;
        disp32 = true;
    } else {
        d.mem_base = static_cast<uint8_t>(rm | (c.rex_b() ? 8 : 0));
    }
    if (c.mod == 1) d.disp = static_cast<int8_t>(next_byte(c));
    else if (c.mod == 2 || disp32) d.disp = static_cast<int64_t>(sext(read_le(c, 4), 4));
    // Only rSP and rBP (not R12/R13) make SS the default segment.
    d.mem_seg = (d.mem_base == RSP || d.mem_base == RBP) ? SS : DS;
    if (d.mem_index == kNoReg) d.mem_scale = 1;
}

// ---- operands

bool is_modrm_method(Am am) {
    switch (am) {
        case Am::C: case Am::D: case Am::E: case Am::G: case Am::M: case Am::N: case Am::P: case Am::Q:
        case Am::R: case Am::S: case Am::U: case Am::V: case Am::W: case Am::Sti:
            return true;
        default: return false;
    }
}

bool reg_only(Am am) { return am == Am::R || am == Am::N || am == Am::U; }

uint64_t read_imm(Ctx& c, unsigned bytes, bool sign) {
    const uint64_t v = read_le(c, bytes);
    return sign ? sext(v, bytes) : v;
}

void put_imm(Ctx& c, DecodedInsn& d, uint64_t v) {
    if (c.nimm++ == 0) d.imm = v;
    else d.imm2 = v;
}

Operand decode_operand(Ctx& c, DecodedInsn& d, const Opd& o) {
    const unsigned w = operand_width(c, o.sz, c.is_mem);
    auto mem = [&] { return Operand{OpKind::Mem, static_cast<uint8_t>(w), 0}; };
    switch (o.am) {
        case Am::None: return {};
        case Am::E: return c.is_mem ? mem() : gpr(c, c.rm, w);
        case Am::M: return mem();
        case Am::R: return gpr(c, c.rm, w);
        case Am::G: return gpr(c, c.reg, w);
        case Am::B: return gpr(c, c.vvvv, w);
        case Am::Z: return gpr(c, (d.opcode & 7) | (c.rex_b() ? 8 : 0), w);
        case Am::Reg: return gpr(c, o.n, w);
        case Am::S: return Operand{OpKind::Seg, 2, static_cast<uint8_t>(c.reg & 7)};
        case Am::Sreg: return Operand{OpKind::Seg, 2, o.n};
        case Am::C: return Operand{OpKind::Cr, static_cast<uint8_t>(w), c.reg};
        case Am::D: return Operand{OpKind::Dr, static_cast<uint8_t>(w), c.reg};
        case Am::P: return Operand{OpKind::Mmx, 8, static_cast<uint8_t>(c.reg & 7)};
        case Am::N: return Operand{OpKind::Mmx, 8, static_cast<uint8_t>(c.rm & 7)};
        case Am::Q: return c.is_mem ? mem() : Operand{OpKind::Mmx, 8, static_cast<uint8_t>(c.rm & 7)};
        case Am::V: return Operand{OpKind::Xmm, 16, c.reg};
        case Am::U: return Operand{OpKind::Xmm, 16, c.rm};
        case Am::W: return c.is_mem ? mem() : Operand{OpKind::Xmm, 16, c.rm};
        case Am::Xmm0: return Operand{OpKind::Xmm, 16, 0};
        case Am::St0: return Operand{OpKind::St, 10, 0};
        case Am::Sti: return Operand{OpKind::St, 10, static_cast<uint8_t>(c.modrm & 7)};
        case Am::One:
            put_imm(c, d, 1);
            return Operand{OpKind::Imm, 1, 0};
        case Am::I: {
            unsigned bytes = 0, size = w;
            bool sign = false;
            switch (o.sz) {
                case Sz::b: bytes = 1; break;
                case Sz::bs: bytes = 1; sign = true; break;
                case Sz::w: bytes = 2; break;
                case Sz::z: bytes = c.os == 2 ? 2 : 4; sign = true; size = c.os; break;
                case Sz::v: bytes = c.os; break;  // MOV r64, imm64
                default: bytes = w; break;
            }
            put_imm(c, d, read_imm(c, bytes, sign));
            return Operand{OpKind::Imm, static_cast<uint8_t>(size), 0};
        }
        case Am::J: {
            const unsigned bytes = o.sz == Sz::b ? 1 : (c.os == 2 ? 2 : 4);
            put_imm(c, d, sext(read_le(c, bytes), bytes));
            return Operand{OpKind::Rel, c.os, 0};
        }
        case Am::A: {
            // ptr16:16 / ptr16:32: the offset first, then the selector.
            const unsigned off = c.os == 2 ? 2 : 4;
            d.imm = read_le(c, off);
            d.imm2 = read_le(c, 2);
            c.nimm = 2;
            return Operand{OpKind::Imm, static_cast<uint8_t>(off), 0};
        }
        case Am::O: {
            // moffs: an absolute offset of address size, in disp.
            d.mem_base = kNoReg;
            d.mem_index = kNoReg;
            d.mem_scale = 1;
            d.mem_seg = DS;
            d.disp = static_cast<int64_t>(read_le(c, c.as));
            c.is_mem = true;
            return Operand{OpKind::Mem, static_cast<uint8_t>(w), 0};
        }
    }
    return {};
}

// ---- rows

bool row_needs_modrm(const Row& r) {
    if (r.f & kModrm) return true;
    for (const Opd& o : r.o)
        if (is_modrm_method(o.am)) return true;
    return false;
}

void read_modrm(Ctx& c) {
    if (c.has_modrm || c.err != DecodeStatus::Ok) return;
    c.modrm = next_byte(c);
    c.has_modrm = true;
    c.mod = c.modrm >> 6;
    c.reg = static_cast<uint8_t>(((c.modrm >> 3) & 7) | (c.rex_r() ? 8 : 0));
    c.rm = static_cast<uint8_t>((c.modrm & 7) | (c.rex_b() ? 8 : 0));
}

// The mandatory-prefix index: the last of F2/F3 wins, else 66.
unsigned prefix_key(const Ctx& c) {
    if (c.vex) return c.rep == 0xf3 ? 2 : c.rep == 0xf2 ? 3 : c.p66 ? 1 : 0;  // vex.pp mapped by the caller
    if (c.rep == 0xf3) return 2;
    if (c.rep == 0xf2) return 3;
    return c.p66 ? 1 : 0;
}

// A row that stands in for a missing mandatory-prefix variant, only to
// give the (invalid) instruction its length: any real row of the cell.
const Row* shape_row(const Sel& s) {
    for (unsigned i = 0; i < s.count; ++i)
        if (s.rows[i].op != Op::INVALID || s.rows[i].sel.by != By::None) return &s.rows[i];
    return nullptr;
}

// Follows selectors down to an instruction row. nullptr: no such
// instruction (#UD at once). A row may come back with c.ud set: a
// mandatory-prefix variant that does not exist, which still has the shape
// of its cell, so the length is known and a length over 15 is #GP rather
// than #UD (this is where Zydis draws the line as well).
const Row* resolve_row(Ctx& c, const Row* r, unsigned opcode_byte) {
    while (r && r->sel.by != By::None) {
        if ((r->f & kI64) && c.m64) return nullptr;
        if ((r->f & kO64) && !c.m64) return nullptr;
        const Sel& s = r->sel;
        unsigned key = 0;
        switch (s.by) {
            case By::None: break;
            case By::Reg: read_modrm(c); key = (c.modrm >> 3) & 7; break;
            case By::Mod: read_modrm(c); key = c.mod == 3 ? 3 : 0; break;
            case By::Rm: read_modrm(c); key = c.modrm & 7; break;
            case By::Modrm: read_modrm(c); key = c.modrm; break;
            case By::W: key = c.rex_w() ? 1 : 0; break;
            case By::Mode: key = c.m64 ? 1 : 0; break;
            case By::X87: {
                read_modrm(c);
                return x87_row(opcode_byte - 0xd8, c.modrm);
            }
            case By::Pfx: case By::PfxGp: {
                key = prefix_key(c);
                const Row* hit = find_row(s.rows, s.count, key);
                if (!hit && s.by == By::PfxGp) {
                    hit = find_row(s.rows, s.count, 0);
                    key = 0;  // the prefix keeps its legacy meaning
                }
                if (hit && hit->op == Op::INVALID && hit->sel.by == By::None) hit = nullptr;
                if (hit) {
                    // A mandatory prefix is not an operand-size prefix; with
                    // F2/F3 mandatory, a 66 is ignored as well.
                    if (key == 1 && !(hit->f & kOs66)) c.pfx66_used = true;
                    if (key >= 2) {
                        c.rep_used = true;
                        if (s.by == By::Pfx && !(hit->f & kOs66)) c.pfx66_used = true;
                    }
                } else {
                    c.ud = true;
                    hit = shape_row(s);
                }
                r = hit;
                continue;
            }
        }
        r = find_row(s.rows, s.count, key);
    }
    if (r && r->op == Op::INVALID) return nullptr;
    if (r && (((r->f & kI64) && c.m64) || ((r->f & kO64) && !c.m64))) return nullptr;
    return r;
}

unsigned operand_size(const Ctx& c, const Row& r) {
    const bool p66 = c.p66 && !c.pfx66_used;
    if (c.vex) return c.m64 && c.vex_w ? 8 : 4;
    if (r.f & kNat) return c.m64 ? 8 : 4;
    if (c.m64) {
        if (r.f & kF64) return 8;
        if (r.f & kDef64) return c.rex_w() ? 8 : p66 ? 2 : 8;
        // kNoRex (INS/OUTS, IN/OUT eAX): no 64-bit form, but REX.W still
        // cancels a 66 (Zydis agrees with the SDM's precedence here).
        if (r.f & kNoRex) return (c.rex_w() || !p66) ? 4 : 2;
        if (c.rex_w()) return 8;
        return p66 ? 2 : 4;
    }
    return ((c.mode == CodeMode::Bits16) != p66) ? 2 : 4;
}

bool finish_row(Ctx& c, DecodedInsn& d, const Row& r) {
    d.op = r.op;
    c.os = static_cast<uint8_t>(operand_size(c, r));

    const bool modrm = c.has_modrm || row_needs_modrm(r) || d.map >= 2;
    bool any_mem_only = false, any_reg_only = false;
    for (const Opd& o : r.o) {
        if (o.am == Am::M) any_mem_only = true;
        if (reg_only(o.am)) any_reg_only = true;
    }
    // When an invalid encoding is also longer than 15 bytes, which fault
    // wins depends on how far decoding gets before it knows. Ours, which is
    // Zydis' order: no instruction for the opcode, ModRM.reg or the mod
    // form, or (c.ud) a missing mandatory-prefix variant of a cell: #UD
    // once the ModRM byte is read; LOCK on a form that does not take it:
    // #UD only after the whole instruction (SIB, displacement, immediates)
    // fits in 15 bytes.
    bool reg_form = true;
    if (modrm) {
        read_modrm(c);
        if (c.err != DecodeStatus::Ok) return false;
        reg_form = c.mod == 3 || (r.f & kRegForm);
        if (any_mem_only && reg_form) return invalid(c);
        if (any_reg_only && !reg_form) return invalid(c);
    }
    if (c.ud) return invalid(c);
    // LOCK: only lockable operations, and only with a memory destination.
    if (c.lock && !((r.f & kLock) && (r.o[0].am == Am::E || r.o[0].am == Am::M) && !reg_form)) c.bad_lock = true;
    if (modrm && !reg_form) {
        bool uses_rm_mem = false;
        for (const Opd& o : r.o)
            if (o.am == Am::E || o.am == Am::M || o.am == Am::Q || o.am == Am::W) uses_rm_mem = true;
        // A memory ModRM on a row whose operands are all registers (after
        // kModrm rows, which name none) is #UD.
        if (!uses_rm_mem && !(r.f & kModrm)) return invalid(c);
        c.is_mem = true;
        if (c.as == 2) parse_mem16(c, d);
        else parse_mem32_64(c, d);
    }

    for (int k = 0; k < 4 && r.o[k].am != Am::None; ++k) d.ops[d.nops++] = decode_operand(c, d, r.o[k]);
    if (c.err != DecodeStatus::Ok) return false;

    // Operation width: 1 for byte forms, else the operand size.
    d.opsize = c.os;
    if (r.f & kByte) {
        d.opsize = 1;
    } else if (d.nops > 0 && d.ops[0].kind != OpKind::Imm && r.o[0].sz == Sz::b &&
               (r.o[0].am == Am::E || r.o[0].am == Am::G || r.o[0].am == Am::Z || r.o[0].am == Am::Reg ||
                r.o[0].am == Am::O || r.o[0].am == Am::M)) {
        d.opsize = 1;
    }
    // Instructions of only 32/64-bit forms (Gy, Ey, Gn...) report that width.
    // (CRC32 Gy, Ev is sized by its source.)
    bool v_operand = false;
    for (const Opd& o : r.o)
        if (o.sz == Sz::v || (o.sz == Sz::b && (o.am == Am::E || o.am == Am::G))) v_operand = true;
    if (d.nops > 0 && (d.ops[0].kind == OpKind::Gpr || d.ops[0].kind == OpKind::Mem) &&
        (r.o[0].sz == Sz::y || r.o[0].sz == Sz::n) && !v_operand)
        d.opsize = d.ops[0].size;
    if (r.f & kCc) d.cond = d.opcode & 15;
    else d.cond = r.cond;
    return true;
}



// ---- VEX (BMI1/BMI2)

bool decode_vex(Ctx& c, DecodedInsn& d, uint8_t first) {
    const uint8_t b1 = next_byte(c);
    unsigned map = 1, pp, R, X = 1, B = 1;
    if (first == 0xc5) {
        R = b1 >> 7;
        c.vvvv = static_cast<uint8_t>((~b1 >> 3) & 15);
        c.vex_l = (b1 >> 2) & 1;
        pp = b1 & 3;
    } else {
        const uint8_t b2 = next_byte(c);
        R = b1 >> 7;
        X = (b1 >> 6) & 1;
        B = (b1 >> 5) & 1;
        map = b1 & 0x1f;
        c.vex_w = b2 >> 7;
        c.vvvv = static_cast<uint8_t>((~b2 >> 3) & 15);
        c.vex_l = (b2 >> 2) & 1;
        pp = b2 & 3;
    }
    c.vex = true;
    // An unused vvvv must be 1111b, all four bits even outside 64-bit mode
    // (where a used vvvv names one of eight registers): Zydis' reading.
    const uint8_t vvvv_raw = c.vvvv;
    if (c.m64) {
        c.rex = static_cast<uint8_t>(0x40 | (c.vex_w << 3) | ((!R) << 2) | ((!X) << 1) | (!B));
    } else {
        // Outside 64-bit mode only eight registers: vvvv bit 3 and VEX.B are
        // ignored (R and X are 1: they are the bits that made this VEX).
        c.vvvv &= 7;
    }
    if (c.err != DecodeStatus::Ok) return false;
    const MapTable* t = map == 2 ? &kVex0F38Map : map == 3 ? &kVex0F3AMap : nullptr;
    if (!t) return invalid(c);
    d.map = static_cast<uint8_t>(map);
    d.opcode = next_byte(c);
    if (c.err != DecodeStatus::Ok) return false;
    // The tables key VEX rows by pp through By::Pfx: present it as the
    // legacy prefix it replaces.
    c.p66 = pp == 1;
    c.rep = pp == 2 ? 0xf3 : pp == 3 ? 0xf2 : 0;
    const Row* r = resolve_row(c, t->at(d.opcode), d.opcode);
    c.p66 = false;
    c.rep = 0;
    if (c.err != DecodeStatus::Ok) return false;
    if (!r) return invalid(c);
    if (c.vex_l) c.ud = true;  // every BMI instruction is L0
    bool uses_vvvv = false;
    for (const Opd& o : r->o)
        if (o.am == Am::B) uses_vvvv = true;
    if (!uses_vvvv && vvvv_raw != 0) c.ud = true;
    return finish_row(c, d, *r);
}

// EVEX (62 as an escape): no AVX-512 here; #UD once its three payload
// bytes are there.
bool decode_evex(Ctx& c) {
    if (!need(c, 3)) return false;
    return invalid(c);
}

DecodeStatus decode_impl(Ctx& c, DecodedInsn& d) {
    // Legacy prefixes, then REX. A REX followed by another prefix is ignored.
    uint8_t b;
    for (;;) {
        b = next_byte(c);
        if (c.err != DecodeStatus::Ok) return c.err;
        switch (b) {
            case 0x26: case 0x2e: case 0x36: case 0x3e:
                // ES/CS/SS/DS overrides do nothing in 64-bit mode (not even
                // replace an earlier FS/GS one).
                if (!c.m64) c.seg = (b >> 3) & 3;
                c.rex = 0;
                continue;
            case 0x64: case 0x65:
                c.seg = b == 0x64 ? FS : GS;
                c.rex = 0;
                continue;
            case 0x66: c.p66 = true; c.rex = 0; continue;
            case 0x67: c.p67 = true; c.rex = 0; continue;
            case 0xf0: c.lock = true; c.rex = 0; continue;
            case 0xf2: case 0xf3: c.rep = b; c.rex = 0; continue;
            default: break;
        }
        if (c.m64 && (b & 0xf0) == 0x40) {
            c.rex = b;
            continue;
        }
        break;
    }
    c.as = c.m64 ? (c.p67 ? 4 : 8) : ((c.mode == CodeMode::Bits16) != c.p67) ? 2 : 4;
    d.addrsize = c.as;

    // VEX / EVEX escapes (the next byte is looked at in every mode).
    if (b == 0xc4 || b == 0xc5 || b == 0x62) {
        if (!need(c, 1)) return c.err;
        if (c.m64 || (c.bytes[c.pos] >> 6) == 3) {
            // Legacy 66/F2/F3/LOCK or REX before VEX/EVEX are #UD.
            if (c.p66 || c.rep || c.lock || c.rex) invalid(c);
            else if (b == 0x62) decode_evex(c);
            else decode_vex(c, d, b);
            return c.err;
        }
    }

    const MapTable* t = &kOneByteMap;
    d.map = 0;
    if (b == 0x0f) {
        b = next_byte(c);
        t = &k0FMap;
        d.map = 1;
        if (b == 0x38 || b == 0x3a) {
            t = b == 0x38 ? &k0F38Map : &k0F3AMap;
            d.map = b == 0x38 ? 2 : 3;
            b = next_byte(c);
        }
    }
    if (c.err != DecodeStatus::Ok) return c.err;
    d.opcode = b;
    const Row* r = resolve_row(c, t->at(b), b);
    if (c.err != DecodeStatus::Ok) return c.err;
    if (!r) return DecodeStatus::Invalid;
    if (!finish_row(c, d, *r)) return c.err;
    if (c.bad_lock) return DecodeStatus::Invalid;
    if (r->fix) return r->fix(c, d);
    return DecodeStatus::Ok;
}

}  // namespace

DecodeStatus decode(const uint8_t* bytes, size_t avail, CodeMode mode, DecodedInsn& out) {
    out = DecodedInsn{};
    Ctx c;
    c.bytes = bytes;
    c.avail = avail;
    c.mode = mode;
    c.m64 = mode == CodeMode::Bits64;
    const DecodeStatus st = decode_impl(c, out);
    if (st != DecodeStatus::Ok) {
        const DecodedInsn blank{};
        out = blank;
        return st;
    }
    out.length = static_cast<uint8_t>(c.pos);
    out.modrm = c.modrm;  // x87 FOP is built from it
    // Prefix bits: F3/F2 are REP/REPNE only when not a mandatory prefix.
    uint16_t p = 0;
    if (c.lock) p |= kPrefixLock;
    if (c.rep == 0xf3 && !c.rep_used) p |= kPrefixRep;
    if (c.rep == 0xf2 && !c.rep_used) p |= kPrefixRepne;
    if (c.p66) p |= kPrefixOpsize;
    if (c.p67) p |= kPrefixAddrsize;
    if (c.rex && !c.vex) p |= kPrefixRex;
    if (c.rex_w()) p |= kPrefixRexW;
    if (c.seg >= 0) {
        p |= kPrefixSegment;
        out.mem_seg = static_cast<uint8_t>(c.seg);
    }
    out.prefixes = p;
    return DecodeStatus::Ok;
}

}  // namespace petrel
