// The difftest's stand-in decoder. Rows name the opcode, the ModRM.reg of a
// group (-1: any), the operation and the operand pattern in the SDM's
// notation (E/G/I with b/v/z sizes).
#include "tests/difftest/mini_decoder.h"

#include <cstring>

#include "cpu/state.h"

namespace petrel::difftest {

namespace {

enum class Pat : uint8_t {
    None, EbGb, EvGv, GbEb, GvEv, ALIb, rAXIz, EbIb, EvIz, EvIb, Eb1, Ev1, EbCL, EvCL, Eb, Ev,
    GvEb, GvEw, GvEd, GvM, GvEvIb, GvEvIz, EvGvIb, EvGvCL, ZbIb, ZvIv, Zv, ZvAX,
    Str,     // string instruction: width from the opcode's low bit
    Stack,   // PUSH/POP/LEAVE/PUSHF: 64-bit by default, 16 with 66
    StackZ,  // PUSH/POP r64 (opcode register)
    StackE,  // PUSH/POP r/m64
    StackI,  // PUSH imm (Ib or Iz)
    Enter,   // ENTER Iw, Ib
    Mq,      // CMPXCHG8B/16B m64/m128
    GvMv,    // MOVBE Gv, Mv
    MvGv,    // MOVBE Mv, Gv
    GdEb,    // CRC32 Gd/q, Eb
    GdEv,    // CRC32 Gd/q, Ev
    EbIb_grp3, EvIz_grp3,
    Jb, Jz,  // relative branches (not difftest forms: benchmarks and tools)
    GyEy,    // ADCX/ADOX: 32 or 64 bits by REX.W
};

struct Row {
    uint8_t map;    // 0 one-byte, 1 0F
    uint8_t opcode;
    int8_t reg;     // group's ModRM.reg, or -1
    uint8_t rep;    // required F3 (1) or none (0) where it changes the op; 2: don't care
    Op op;
    Pat pat;
};

constexpr Op kAlu[8] = {Op::ADD, Op::OR, Op::ADC, Op::SBB, Op::AND, Op::SUB, Op::XOR, Op::CMP};
constexpr Op kShift[8] = {Op::ROL, Op::ROR, Op::RCL, Op::RCR, Op::SHL, Op::SHR, Op::SHL, Op::SAR};
constexpr Op kGrp3[8] = {Op::TEST, Op::TEST, Op::NOT, Op::NEG, Op::MUL, Op::IMUL, Op::DIV, Op::IDIV};

// Looks up the row for (map, opcode, reg, F3 present).
bool find(uint8_t map, uint8_t opc, unsigned reg, bool f3, bool f2, Row& r) {
    auto set = [&](Op op, Pat p) {
        r = Row{map, opc, -1, 2, op, p};
        return true;
    };
    if (map == 0) {
        if (opc < 0x40 && (opc & 7) < 6) {
            static constexpr Pat kPats[6] = {Pat::EbGb, Pat::EvGv, Pat::GbEb, Pat::GvEv, Pat::ALIb, Pat::rAXIz};
            return set(kAlu[opc >> 3], kPats[opc & 7]);
        }
        switch (opc) {
            case 0x63: return set(Op::MOVSXD, Pat::GvEd);
            case 0x69: return set(Op::IMUL, Pat::GvEvIz);
            case 0x6b: return set(Op::IMUL, Pat::GvEvIb);
            case 0x80: return set(kAlu[reg], Pat::EbIb);
            case 0x81: return set(kAlu[reg], Pat::EvIz);
            case 0x83: return set(kAlu[reg], Pat::EvIb);
            case 0x84: return set(Op::TEST, Pat::EbGb);
            case 0x85: return set(Op::TEST, Pat::EvGv);
            case 0x86: return set(Op::XCHG, Pat::EbGb);
            case 0x87: return set(Op::XCHG, Pat::EvGv);
            case 0x88: return set(Op::MOV, Pat::EbGb);
            case 0x89: return set(Op::MOV, Pat::EvGv);
            case 0x8a: return set(Op::MOV, Pat::GbEb);
            case 0x8b: return set(Op::MOV, Pat::GvEv);
            case 0x8d: return set(Op::LEA, Pat::GvM);
            case 0x98: return set(Op::CBW, Pat::None);
            case 0x99: return set(Op::CWD, Pat::None);
            case 0x9e: return set(Op::SAHF, Pat::None);
            case 0x9f: return set(Op::LAHF, Pat::None);
            case 0xa4: case 0xa5: return set(Op::MOVS, Pat::Str);
            case 0xa6: case 0xa7: return set(Op::CMPS, Pat::Str);
            case 0xaa: case 0xab: return set(Op::STOS, Pat::Str);
            case 0xac: case 0xad: return set(Op::LODS, Pat::Str);
            case 0xae: case 0xaf: return set(Op::SCAS, Pat::Str);
            case 0x68: case 0x6a: return set(Op::PUSH, Pat::StackI);
            case 0x8f: return reg == 0 && set(Op::POP, Pat::StackE);
            case 0x9c: return set(Op::PUSHF, Pat::Stack);
            case 0xc8: return set(Op::ENTER, Pat::Enter);
            case 0xc9: return set(Op::LEAVE, Pat::Stack);
            case 0xd7: return set(Op::XLAT, Pat::None);
            case 0xa8: return set(Op::TEST, Pat::ALIb);
            case 0xa9: return set(Op::TEST, Pat::rAXIz);
            case 0xc0: return set(kShift[reg], Pat::EbIb);
            case 0xc1: return set(kShift[reg], Pat::EvIb);
            case 0xc6: return reg == 0 && set(Op::MOV, Pat::EbIb);
            case 0xc7: return reg == 0 && set(Op::MOV, Pat::EvIz);
            case 0xd0: return set(kShift[reg], Pat::Eb1);
            case 0xd1: return set(kShift[reg], Pat::Ev1);
            case 0xd2: return set(kShift[reg], Pat::EbCL);
            case 0xd3: return set(kShift[reg], Pat::EvCL);
            case 0xf5: return set(Op::CMC, Pat::None);
            case 0xf6: return set(kGrp3[reg], reg < 2 ? Pat::EbIb_grp3 : Pat::Eb);
            case 0xf7: return set(kGrp3[reg], reg < 2 ? Pat::EvIz_grp3 : Pat::Ev);
            case 0xf8: return set(Op::CLC, Pat::None);
            case 0xf9: return set(Op::STC, Pat::None);
            case 0xfc: return set(Op::CLD, Pat::None);
            case 0xfd: return set(Op::STD, Pat::None);
            case 0xfe: return reg < 2 && set(reg ? Op::DEC : Op::INC, Pat::Eb);
            case 0xff: return (reg < 2 && set(reg ? Op::DEC : Op::INC, Pat::Ev)) || (reg == 6 && set(Op::PUSH, Pat::StackE));
            default: break;
        }
        if (opc >= 0x70 && opc <= 0x7f) return set(Op::JCC, Pat::Jb);
        if (opc == 0xeb) return set(Op::JMP, Pat::Jb);
        if (opc == 0xe9) return set(Op::JMP, Pat::Jz);
        if (opc >= 0x50 && opc <= 0x57) return set(Op::PUSH, Pat::StackZ);
        if (opc >= 0x58 && opc <= 0x5f) return set(Op::POP, Pat::StackZ);
        if (opc >= 0x90 && opc <= 0x97) return set(Op::XCHG, Pat::ZvAX);  // 90 without REX.B: NOP, below
        if (opc >= 0xb0 && opc <= 0xb7) return set(Op::MOV, Pat::ZbIb);
        if (opc >= 0xb8 && opc <= 0xbf) return set(Op::MOV, Pat::ZvIv);
        return false;
    }
    if (map == 2) {
        if (opc == 0xf0) return f2 ? set(Op::CRC32, Pat::GdEb) : set(Op::MOVBE, Pat::GvMv);
        if (opc == 0xf1) return f2 ? set(Op::CRC32, Pat::GdEv) : set(Op::MOVBE, Pat::MvGv);
        if (opc == 0xf6 && f3) return set(Op::ADOX, Pat::GyEy);
        if (opc == 0xf6) return set(Op::ADCX, Pat::GyEy);  // with 66 (checked below)
        return false;
    }
    if (opc >= 0x80 && opc <= 0x8f) return set(Op::JCC, Pat::Jz);
    if (opc >= 0x40 && opc <= 0x4f) return set(Op::CMOVCC, Pat::GvEv);
    if (opc >= 0x90 && opc <= 0x9f) return set(Op::SETCC, Pat::Eb);
    if (opc >= 0xc8 && opc <= 0xcf) return set(Op::BSWAP, Pat::Zv);
    switch (opc) {
        case 0xa3: return set(Op::BT, Pat::EvGv);
        case 0xab: return set(Op::BTS, Pat::EvGv);
        case 0xb3: return set(Op::BTR, Pat::EvGv);
        case 0xbb: return set(Op::BTC, Pat::EvGv);
        case 0xba: {
            static constexpr Op kBt[8] = {Op::INVALID, Op::INVALID, Op::INVALID, Op::INVALID, Op::BT, Op::BTS, Op::BTR, Op::BTC};
            return reg >= 4 && set(kBt[reg], Pat::EvIb);
        }
        case 0xa4: return set(Op::SHLD, Pat::EvGvIb);
        case 0xa5: return set(Op::SHLD, Pat::EvGvCL);
        case 0xac: return set(Op::SHRD, Pat::EvGvIb);
        case 0xad: return set(Op::SHRD, Pat::EvGvCL);
        case 0xaf: return set(Op::IMUL, Pat::GvEv);
        case 0xb0: return set(Op::CMPXCHG, Pat::EbGb);
        case 0xb1: return set(Op::CMPXCHG, Pat::EvGv);
        case 0xb6: return set(Op::MOVZX, Pat::GvEb);
        case 0xb7: return set(Op::MOVZX, Pat::GvEw);
        case 0xbe: return set(Op::MOVSX, Pat::GvEb);
        case 0xbf: return set(Op::MOVSX, Pat::GvEw);
        case 0xb8: return f3 && set(Op::POPCNT, Pat::GvEv);
        case 0xbc: return set(f3 ? Op::TZCNT : Op::BSF, Pat::GvEv);
        case 0xbd: return set(f3 ? Op::LZCNT : Op::BSR, Pat::GvEv);
        case 0xc7: return reg == 1 && set(Op::CMPXCHG8B, Pat::Mq);
        case 0xc0: return set(Op::XADD, Pat::EbGb);
        case 0xc1: return set(Op::XADD, Pat::EvGv);
        default: return false;
    }
}

bool needs_modrm(Pat p) {
    switch (p) {
        case Pat::None: case Pat::ALIb: case Pat::rAXIz: case Pat::ZbIb: case Pat::ZvIv: case Pat::Zv: case Pat::ZvAX:
        case Pat::Str: case Pat::Stack: case Pat::StackZ: case Pat::StackI: case Pat::Enter:
        case Pat::Jb: case Pat::Jz: return false;
        default: return true;
    }
}

// VEX-encoded BMI1/BMI2 (three-byte C4 form only, L = 0). Operands in the
// SDM's order: G = ModRM.reg, B = VEX.vvvv, E = ModRM.rm.
DecodeStatus decode_vex(const uint8_t* b, size_t avail, size_t i, DecodedInsn& d) {
    if (i + 5 > avail) return DecodeStatus::NeedMore;
    const uint8_t p1 = b[i + 1], p2 = b[i + 2], opc = b[i + 3], m = b[i + 4];
    const unsigned map = p1 & 0x1f, pp = p2 & 3, size = (p2 & 0x80) ? 8 : 4;
    if ((p2 & 4) || d.prefixes) return DecodeStatus::Invalid;  // L = 1, or legacy prefixes before VEX
    const unsigned g = ((m >> 3) & 7) | ((~p1 >> 4) & 8), rm = (m & 7) | ((~p1 >> 2) & 8);
    const unsigned vvvv = (~p2 >> 3) & 15;
    i += 5;
    Operand G{OpKind::Gpr, static_cast<uint8_t>(size), static_cast<uint8_t>(g)};
    Operand B{OpKind::Gpr, static_cast<uint8_t>(size), static_cast<uint8_t>(vvvv)};
    Operand E{OpKind::Gpr, static_cast<uint8_t>(size), static_cast<uint8_t>(rm)};
    if ((m >> 6) != 3) {
        if ((m & 7) == 4 || ((m >> 6) == 0 && (m & 7) == 5)) return DecodeStatus::Invalid;
        E = Operand{OpKind::Mem, static_cast<uint8_t>(size), 0};
        d.mem_base = static_cast<uint8_t>(rm);
        d.mem_seg = rm == RBP ? SS : DS;
        if ((m >> 6) == 1) {
            if (i + 1 > avail) return DecodeStatus::NeedMore;
            d.disp = static_cast<int8_t>(b[i++]);
        } else if ((m >> 6) == 2) {
            if (i + 4 > avail) return DecodeStatus::NeedMore;
            int32_t d32;
            memcpy(&d32, b + i, 4);
            d.disp = d32;
            i += 4;
        }
    }
    auto ops = [&](std::initializer_list<Operand> l) {
        d.nops = 0;
        for (const Operand& o : l) d.ops[d.nops++] = o;
    };
    d.modrm = m;
    d.opcode = opc;
    d.map = static_cast<uint8_t>(map);
    d.opsize = static_cast<uint8_t>(size);
    if (map == 2 && opc == 0xf2 && pp == 0) { d.op = Op::ANDN; ops({G, B, E}); }
    else if (map == 2 && opc == 0xf3 && pp == 0 && ((m >> 3) & 7) >= 1 && ((m >> 3) & 7) <= 3) {
        static constexpr Op kBls[4] = {Op::INVALID, Op::BLSR, Op::BLSMSK, Op::BLSI};
        d.op = kBls[(m >> 3) & 7];
        ops({B, E});
    }
    else if (map == 2 && opc == 0xf5 && pp == 0) { d.op = Op::BZHI; ops({G, E, B}); }
    else if (map == 2 && opc == 0xf5 && pp == 3) { d.op = Op::PDEP; ops({G, B, E}); }
    else if (map == 2 && opc == 0xf5 && pp == 2) { d.op = Op::PEXT; ops({G, B, E}); }
    else if (map == 2 && opc == 0xf6 && pp == 3) { d.op = Op::MULX; ops({G, B, E}); }
    else if (map == 2 && opc == 0xf7) {
        static constexpr Op kX[4] = {Op::BEXTR, Op::SHLX, Op::SARX, Op::SHRX};
        d.op = kX[pp];
        ops({G, E, B});
    }
    else if (map == 3 && opc == 0xf0 && pp == 3 && vvvv == 0) {  // vvvv unused: must be 1111b
        if (i + 1 > avail) return DecodeStatus::NeedMore;
        d.imm = b[i++];
        d.op = Op::RORX;
        ops({G, E, Operand{OpKind::Imm, 1, 0}});
    }
    else return DecodeStatus::Invalid;
    d.length = static_cast<uint8_t>(i);
    d.addrsize = 8;
    return DecodeStatus::Ok;
}

}  // namespace

DecodeStatus mini_decode(const uint8_t* b, size_t avail, CodeMode mode, DecodedInsn& d) {
    d = DecodedInsn{};
    if (mode != CodeMode::Bits64) return DecodeStatus::Invalid;
    size_t i = 0;
    uint8_t rex = 0;
    bool f3 = false;
    auto need = [&](size_t n) { return i + n <= avail; };
    for (;; ++i) {
        if (!need(1)) return DecodeStatus::NeedMore;
        const uint8_t p = b[i];
        if (p == 0x66) d.prefixes |= kPrefixOpsize;
        else if (p == 0xf3) f3 = true;
        else if (p == 0xf0) d.prefixes |= kPrefixLock;
        else if (p == 0xf2) d.prefixes |= kPrefixRepne;
        else break;
    }
    if (b[i] == 0xc4) return decode_vex(b, avail, i, d);
    if (b[i] >= 0x40 && b[i] <= 0x4f) {
        rex = b[i++];
        d.prefixes |= kPrefixRex;
        if (rex & 8) d.prefixes |= kPrefixRexW;
    }
    if (!need(1)) return DecodeStatus::NeedMore;
    uint8_t map = 0;
    if (b[i] == 0x0f) {
        map = 1;
        ++i;
        if (!need(1)) return DecodeStatus::NeedMore;
        if (b[i] == 0x38) {
            map = 2;
            ++i;
            if (!need(1)) return DecodeStatus::NeedMore;
        }
    }
    const uint8_t opc = b[i++];
    const unsigned reg_peek = need(1) ? (b[i] >> 3) & 7 : 0;
    Row row;
    const bool f2 = d.has(kPrefixRepne);
    if (!find(map, opc, reg_peek, f3, f2, row)) return DecodeStatus::Invalid;
    // F3/F2 only where they mean something (REP on strings, the F3 and F2
    // opcode variants); elsewhere refuse rather than guess.
    const bool str = row.pat == Pat::Str;
    const bool f3_ok = str || (map == 1 && (opc == 0xb8 || opc == 0xbc || opc == 0xbd)) || row.op == Op::ADOX;
    const bool f2_ok = str || row.op == Op::CRC32;
    if ((f3 && !f3_ok) || (f2 && !f2_ok) || (f3 && f2)) return DecodeStatus::Invalid;
    if (f3) d.prefixes |= kPrefixRep;
    if (f2 && !str) d.prefixes &= ~kPrefixRepne;  // mandatory prefix of CRC32, not REPNE
    d.op = row.op;
    d.map = map;
    d.opcode = opc;
    const unsigned v = (rex & 8) ? 8 : d.has(kPrefixOpsize) ? 2 : 4;
    auto gpr = [&](unsigned n, unsigned size) {
        Operand o{OpKind::Gpr, static_cast<uint8_t>(size), static_cast<uint8_t>(n)};
        if (size == 1 && !rex && n >= 4 && n < 8) o.reg = static_cast<uint8_t>(kHighByteBase + n - 4);
        return o;
    };
    Operand e{};
    unsigned greg = 0;
    const bool modrm_form = needs_modrm(row.pat);
    bool is_mem = false;
    if (modrm_form) {
        if (!need(1)) return DecodeStatus::NeedMore;
        const uint8_t m = d.modrm = b[i++];
        const unsigned mod = m >> 6, rm = (m & 7) | ((rex & 1) << 3);
        greg = ((m >> 3) & 7) | ((rex & 4) << 1);
        if (mod == 3) {
            e = Operand{OpKind::Gpr, 0, static_cast<uint8_t>(rm)};
        } else {
            if ((m & 7) == 4 || (mod == 0 && (m & 7) == 5)) return DecodeStatus::Invalid;  // SIB / RIP: not here
            is_mem = true;
            e = Operand{OpKind::Mem, 0, 0};
            d.mem_base = static_cast<uint8_t>(rm);
            d.mem_seg = (rm == RBP) ? SS : DS;
            if (mod == 1) {
                if (!need(1)) return DecodeStatus::NeedMore;
                d.disp = static_cast<int8_t>(b[i++]);
            } else if (mod == 2) {
                if (!need(4)) return DecodeStatus::NeedMore;
                int32_t d32;
                memcpy(&d32, b + i, 4);
                d.disp = d32;
                i += 4;
            }
        }
    }
    auto E = [&](unsigned size) {
        Operand o = e;
        o.size = static_cast<uint8_t>(size);
        if (o.kind == OpKind::Gpr) o = gpr(e.reg, size);
        return o;
    };
    auto imm = [&](unsigned n, bool sext) -> bool {
        if (!need(n)) return false;
        uint64_t x = 0;
        memcpy(&x, b + i, n);
        i += n;
        if (sext && n < 8) {
            const unsigned sh = 64 - 8 * n;
            x = static_cast<uint64_t>(static_cast<int64_t>(x << sh) >> sh);
        }
        d.imm = x;
        return true;
    };
    const unsigned zsize = v == 2 ? 2 : 4;
    const unsigned sv = (rex & 8) || !d.has(kPrefixOpsize) ? 8 : 2;  // stack operand size (REX.W beats 66)
    const Operand immop{OpKind::Imm, 0, 0};
    auto ops = [&](std::initializer_list<Operand> l) {
        d.nops = 0;
        for (const Operand& o : l) d.ops[d.nops++] = o;
    };
    auto with_size = [](Operand o, unsigned s) {
        o.size = static_cast<uint8_t>(s);
        return o;
    };
    d.opsize = static_cast<uint8_t>(v);
    switch (row.pat) {
        case Pat::None: d.nops = 0; break;
        case Pat::EbGb: d.opsize = 1; ops({E(1), gpr(greg, 1)}); break;
        case Pat::EvGv: ops({E(v), gpr(greg, v)}); break;
        case Pat::GbEb: d.opsize = 1; ops({gpr(greg, 1), E(1)}); break;
        case Pat::GvEv: ops({gpr(greg, v), E(v)}); break;
        case Pat::ALIb: d.opsize = 1; if (!imm(1, false)) return DecodeStatus::NeedMore; ops({gpr(RAX, 1), with_size(immop, 1)}); break;
        case Pat::rAXIz: if (!imm(zsize, true)) return DecodeStatus::NeedMore; ops({gpr(RAX, v), with_size(immop, v)}); break;
        case Pat::EbIb: case Pat::EbIb_grp3: d.opsize = 1; if (!imm(1, false)) return DecodeStatus::NeedMore; ops({E(1), with_size(immop, 1)}); break;
        case Pat::EvIz: case Pat::EvIz_grp3: if (!imm(zsize, true)) return DecodeStatus::NeedMore; ops({E(v), with_size(immop, v)}); break;
        case Pat::EvIb: if (!imm(1, true)) return DecodeStatus::NeedMore; ops({E(v), with_size(immop, v)}); break;
        case Pat::Eb1: d.opsize = 1; ops({E(1)}); break;
        case Pat::Ev1: ops({E(v)}); break;
        case Pat::EbCL: d.opsize = 1; ops({E(1), gpr(RCX, 1)}); break;
        case Pat::EvCL: ops({E(v), gpr(RCX, 1)}); break;
        case Pat::Eb: d.opsize = 1; ops({E(1)}); break;
        case Pat::Ev: ops({E(v)}); break;
        case Pat::GvEb: ops({gpr(greg, v), E(1)}); break;
        case Pat::GvEw: ops({gpr(greg, v), E(2)}); break;
        case Pat::GvEd: ops({gpr(greg, v), E(4)}); break;
        case Pat::GvM: if (!is_mem) return DecodeStatus::Invalid; ops({gpr(greg, v), E(0)}); break;
        case Pat::GvEvIb: if (!imm(1, true)) return DecodeStatus::NeedMore; ops({gpr(greg, v), E(v), with_size(immop, v)}); break;
        case Pat::GvEvIz: if (!imm(zsize, true)) return DecodeStatus::NeedMore; ops({gpr(greg, v), E(v), with_size(immop, v)}); break;
        case Pat::EvGvIb: if (!imm(1, false)) return DecodeStatus::NeedMore; ops({E(v), gpr(greg, v), with_size(immop, 1)}); break;
        case Pat::EvGvCL: ops({E(v), gpr(greg, v), gpr(RCX, 1)}); break;
        case Pat::ZbIb: d.opsize = 1; if (!imm(1, false)) return DecodeStatus::NeedMore; ops({gpr((opc & 7) | ((rex & 1) << 3), 1), with_size(immop, 1)}); break;
        case Pat::ZvIv: if (!imm(v == 8 ? 8 : zsize, false)) return DecodeStatus::NeedMore; ops({gpr((opc & 7) | ((rex & 1) << 3), v), with_size(immop, v)}); break;
        case Pat::Zv: ops({gpr((opc & 7) | ((rex & 1) << 3), v)}); break;
        case Pat::ZvAX:
            if (opc == 0x90 && !(rex & 1)) {
                d.op = Op::NOP;
                d.nops = 0;
            } else {
                ops({gpr((opc & 7) | ((rex & 1) << 3), v), gpr(RAX, v)});
            }
            break;
        case Pat::Jb: case Pat::Jz:
            d.opsize = 8;
            if (!imm(row.pat == Pat::Jb ? 1 : 4, true)) return DecodeStatus::NeedMore;
            ops({Operand{OpKind::Rel, 8, 0}});
            break;
        case Pat::Str: d.opsize = static_cast<uint8_t>((opc & 1) ? v : 1); d.nops = 0; break;
        case Pat::Stack: d.opsize = static_cast<uint8_t>(sv); d.nops = 0; break;
        case Pat::StackZ: d.opsize = static_cast<uint8_t>(sv); ops({gpr((opc & 7) | ((rex & 1) << 3), sv)}); break;
        case Pat::StackE: d.opsize = static_cast<uint8_t>(sv); ops({E(sv)}); break;
        case Pat::StackI:
            d.opsize = static_cast<uint8_t>(sv);
            if (!imm(opc == 0x6a ? 1 : zsize, true)) return DecodeStatus::NeedMore;
            ops({with_size(immop, sv)});
            break;
        case Pat::Enter: {
            d.opsize = static_cast<uint8_t>(sv);
            if (!imm(1, false)) return DecodeStatus::NeedMore;  // placeholder to read Iw below
            i -= 1;
            if (!need(3)) return DecodeStatus::NeedMore;
            d.imm = static_cast<uint64_t>(b[i] | (b[i + 1] << 8));
            d.imm2 = b[i + 2];
            i += 3;
            ops({with_size(immop, 2), with_size(immop, 1)});
            break;
        }
        case Pat::Mq:
            if (!is_mem) return DecodeStatus::Invalid;
            if (rex & 8) d.op = Op::CMPXCHG16B;
            ops({E((rex & 8) ? 16 : 8)});
            break;
        case Pat::GvMv: if (!is_mem) return DecodeStatus::Invalid; ops({gpr(greg, v), E(v)}); break;
        case Pat::MvGv: if (!is_mem) return DecodeStatus::Invalid; ops({E(v), gpr(greg, v)}); break;
        case Pat::GdEb: ops({gpr(greg, (rex & 8) ? 8 : 4), E(1)}); break;
        case Pat::GdEv: ops({gpr(greg, (rex & 8) ? 8 : 4), E(v)}); break;
        case Pat::GyEy:
            if (row.op == Op::ADCX ? !d.has(kPrefixOpsize) : d.has(kPrefixOpsize)) return DecodeStatus::Invalid;
            d.opsize = (rex & 8) ? 8 : 4;
            ops({gpr(greg, d.opsize), E(d.opsize)});
            break;
    }
    if (row.op == Op::CMOVCC || row.op == Op::SETCC || row.op == Op::JCC) d.cond = opc & 15;
    // LOCK only on a memory destination of the lockable operations.
    if (d.lock()) {
        const bool lockable = is_mem && d.ops[0].kind == OpKind::Mem &&
                              (row.op == Op::ADD || row.op == Op::OR || row.op == Op::ADC || row.op == Op::SBB ||
                               row.op == Op::AND || row.op == Op::SUB || row.op == Op::XOR || row.op == Op::NOT ||
                               row.op == Op::NEG || row.op == Op::INC || row.op == Op::DEC || row.op == Op::XCHG ||
                               row.op == Op::XADD || row.op == Op::CMPXCHG || row.op == Op::BTS || row.op == Op::BTR ||
                               row.op == Op::BTC);
        if (!lockable) return DecodeStatus::Invalid;
    }
    if (i > 15) return DecodeStatus::TooLong;
    d.length = static_cast<uint8_t>(i);
    d.addrsize = 8;
    return DecodeStatus::Ok;
}

}  // namespace petrel::difftest
