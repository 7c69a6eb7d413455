// Form enumeration: asks the decoder about every encoding skeleton and keeps
// one representative per (encoding, operation, operand signature, group reg).
#include "tests/difftest/forms.h"

#include <cstring>
#include <map>
#include <string>

#include "cpu/ops.h"
#include "cpu/state.h"

namespace petrel::difftest {

namespace {

bool is_legacy_prefix_or_escape(uint8_t b) {
    switch (b) {
        case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65: case 0x66: case 0x67:
        case 0xf0: case 0xf2: case 0xf3: case 0x0f: case 0xc4: case 0xc5: case 0x8f:
            return true;
        default:
            return b >= 0x40 && b <= 0x4f;  // REX in 64-bit mode
    }
}

// Whether the decoded operands fit the harness: GPRs, immediates, and one
// memory operand addressed by a plain base register.
bool fits_harness(const DecodedInsn& d) {
    if (d.addrsize != 8) return false;
    for (int i = 0; i < d.nops; ++i) {
        switch (d.ops[i].kind) {
            case OpKind::Gpr:
            case OpKind::Imm:
            case OpKind::Xmm:
            case OpKind::Mmx:
            case OpKind::St:
                break;
            case OpKind::Mem:
                if (d.mem_base == kNoReg || d.mem_base == kRipReg || d.mem_index != kNoReg) return false;
                break;
            default:
                return false;
        }
    }
    return true;
}

bool has_kind(const DecodedInsn& d, OpKind k) {
    for (int i = 0; i < d.nops; ++i)
        if (d.ops[i].kind == k) return true;
    return false;
}

// An SSE op some of whose forms have no XMM operand: LDMXCSR/STMXCSR, and
// the memory forms of the scalar conversions to integers (r32/r64, m32/m64).
bool is_sse_state_op(Op op) {
    switch (op) {
        case Op::LDMXCSR: case Op::STMXCSR:
        case Op::CVTSS2SI: case Op::CVTTSS2SI: case Op::CVTSD2SI: case Op::CVTTSD2SI:
            return true;
        default:
            return false;
    }
}

// A form the harness compares: a listed general-purpose op, an SSE form
// (XMM operands: XMM0-15 and MXCSR are compared) or an x87/MMX form (the
// FXSAVE image is compared), FXSAVE/FXRSTOR included (the FIP/FDP/FOP
// fields vendors store differently are left out of the comparison, as for
// FNSTENV/FNSAVE: undefined_flags.cpp), and the XSAVE family restricted to
// x87 and SSE (EDX:EAX holds bits 0-1 only: inputs.cpp; what the host may
// leave unwritten: undefined_flags.cpp).
bool is_xsave_op(Op op) { return op == Op::XSAVE || op == Op::XSAVEOPT || op == Op::XRSTOR; }

bool is_tested_form(const DecodedInsn& d) {
    if (is_tested_op(d.op) || is_sse_state_op(d.op) || is_xsave_op(d.op)) return true;
    if (d.op >= Op::FLD && d.op <= Op::EMMS) return true;
    return has_kind(d, OpKind::Xmm) || has_kind(d, OpKind::Mmx) || has_kind(d, OpKind::St);
}

std::string signature(const DecodedInsn& d) {
    static const char* kKind[] = {"-", "r", "m", "i", "rel", "seg", "cr", "dr", "xmm", "mm", "st"};
    std::string s;
    for (int i = 0; i < d.nops; ++i) {
        if (i) s += ',';
        s += kKind[static_cast<int>(d.ops[i].kind)];
        s += std::to_string(8 * d.ops[i].size);
    }
    if (d.nops == 0) s += "o" + std::to_string(8 * d.opsize);
    return s;
}

std::string hex(const uint8_t* p, size_t n) {
    std::string s;
    char buf[4];
    for (size_t i = 0; i < n; ++i) {
        snprintf(buf, sizeof buf, "%02x", p[i]);
        if (i) s += ' ';
        s += buf;
    }
    return s;
}

bool uses_rsp(const DecodedInsn& d) {
    for (int i = 0; i < d.nops; ++i)
        if (d.ops[i].kind == OpKind::Gpr && d.ops[i].reg == RSP) return true;
    return d.mem_operand() >= 0 && d.mem_base == RSP;
}

struct Skeleton {
    std::vector<uint8_t> header;  // prefixes, REX/VEX, map bytes, opcode
    bool rex = false, vex = false;
};

void collect(const Skeleton& sk, DecodeFn decode_fn, std::map<std::string, Form>& out,
             std::map<std::string, unsigned>& other_user) {
    const unsigned h = static_cast<unsigned>(sk.header.size());
    auto build = [&](uint8_t modrm, std::vector<uint8_t>& b) {
        b = sk.header;
        b.push_back(modrm);
        b.resize(h + 1 + 10, 0);
    };
    std::vector<uint8_t> b;
    DecodedInsn per_reg[2][8];
    bool ok[2][8] = {};
    for (int mem = 0; mem < 2; ++mem) {
        for (unsigned reg = 0; reg < 8; ++reg) {
            const uint8_t modrm = mem ? static_cast<uint8_t>(0x03 | (reg << 3)) : static_cast<uint8_t>(0xc1 | (reg << 3));
            build(modrm, b);
            ok[mem][reg] = decode_fn(b.data(), b.size(), CodeMode::Bits64, per_reg[mem][reg]) == DecodeStatus::Ok;
        }
    }
    // A group when the reg field changes the operation.
    bool group = false;
    for (int mem = 0; mem < 2; ++mem)
        for (unsigned reg = 1; reg < 8; ++reg)
            if (ok[mem][reg] != ok[mem][0] || (ok[mem][reg] && per_reg[mem][reg].op != per_reg[mem][0].op)) group = true;
    // ModRM present: a RIP-relative rm adds a disp32 (or is rejected).
    bool has_modrm = true;
    if (ok[0][0]) {
        build(0x05, b);
        DecodedInsn rip;
        if (decode_fn(b.data(), b.size(), CodeMode::Bits64, rip) == DecodeStatus::Ok && rip.length == per_reg[0][0].length)
            has_modrm = false;
    }
    for (int mem = 0; mem < 2; ++mem) {
        for (unsigned reg = 0; reg < 8; ++reg) {
            if (!ok[mem][reg]) continue;
            const DecodedInsn& d = per_reg[mem][reg];
            if (!is_tested_form(d) || !fits_harness(d)) {
                // Counted once per (skeleton, op, signature) below as not covered by this harness.
                continue;
            }
            if (!has_modrm && mem) continue;  // same bytes as the register variant
            std::vector<uint8_t> kh = sk.header;
            if (sk.vex) kh[2] &= 0x87;  // the vvvv register is not part of the form
            std::string key = hex(kh.data(), h) + (group ? "/" + std::to_string(reg) : "") +
                              (has_modrm ? (mem ? " m " : " r ") : " - ") + std::string(op_name(d.op)) + " " +
                              signature(d);
            if (out.count(key)) continue;
            Form f;
            build(mem ? static_cast<uint8_t>(0x03 | (reg << 3)) : static_cast<uint8_t>(0xc1 | (reg << 3)), f.bytes);
            f.bytes.resize(d.length);
            f.insn = d;
            f.header = h;
            f.has_modrm = has_modrm;
            f.vex = sk.vex;
            f.rex = sk.rex;
            f.group = group;
            f.name = std::string(op_name(d.op)) + " " + signature(d) + " [" + hex(f.bytes.data(), f.bytes.size()) + "]";
            out.emplace(key, std::move(f));
        }
    }
    // The x87 escapes D8-DF name many register forms by the whole ModRM byte
    // (D9 FE is FSIN, DF E0 FNSTSW AX), which the ModRM bytes above (rm = 1)
    // never reach: try every register ModRM of them.
    if (ok[0][0] && per_reg[0][0].map == 0 && per_reg[0][0].opcode >= 0xd8 && per_reg[0][0].opcode <= 0xdf) {
        for (unsigned m = 0xc0; m <= 0xff; ++m) {
            DecodedInsn d;
            build(static_cast<uint8_t>(m), b);
            if (decode_fn(b.data(), b.size(), CodeMode::Bits64, d) != DecodeStatus::Ok) continue;
            if (!is_tested_form(d) || !fits_harness(d)) continue;
            const std::string key = hex(sk.header.data(), h) + "/" + std::to_string((m >> 3) & 7) + " r " +
                                    std::string(op_name(d.op)) + " " + signature(d);
            if (out.count(key)) continue;
            Form f;
            build(static_cast<uint8_t>(m), f.bytes);
            f.bytes.resize(d.length);
            f.insn = d;
            f.header = h;
            f.has_modrm = true;
            f.vex = false;
            f.rex = sk.rex;
            f.group = true;
            f.name = std::string(op_name(d.op)) + " " + signature(d) + " [" + hex(f.bytes.data(), f.bytes.size()) + "]";
            out.emplace(key, std::move(f));
        }
    }
    // Decoded user-mode forms outside this harness's state (x87, SSE): counted
    // so the summary says how much is left for later state kinds.
    std::map<std::string, bool> seen;
    for (int mem = 0; mem < 2; ++mem)
        for (unsigned reg = 0; reg < 8; ++reg) {
            if (!ok[mem][reg]) continue;
            const DecodedInsn& d = per_reg[mem][reg];
            if (is_tested_form(d) && fits_harness(d)) continue;
            const bool fp = has_kind(d, OpKind::Mmx) || has_kind(d, OpKind::St) || has_kind(d, OpKind::Xmm) ||
                            (d.op >= Op::FLD && d.op <= Op::EMMS) || is_sse_state_op(d.op) || d.op == Op::XSAVE ||
                            d.op == Op::XRSTOR || d.op == Op::XSAVEOPT;
            if (fp && seen.emplace(std::string(op_name(d.op)) + signature(d) + (mem ? "m" : "r"), true).second)
                ++other_user[std::string(op_name(d.op))];
        }
}

}  // namespace

bool is_tested_op(Op op) {
    switch (op) {
        // data movement (no segment registers, no POPF: its TF/AC bits would
        // disturb the host; PUSHA/POPA and friends do not exist in 64-bit mode)
        case Op::MOV: case Op::MOVSX: case Op::MOVSXD: case Op::MOVZX: case Op::MOVBE:
        case Op::XCHG: case Op::XADD: case Op::CMPXCHG: case Op::CMPXCHG8B: case Op::CMPXCHG16B:
        case Op::LEA: case Op::PUSH: case Op::POP: case Op::PUSHF:
        case Op::LAHF: case Op::SAHF: case Op::CBW: case Op::CWD: case Op::BSWAP: case Op::XLAT:
        case Op::CMOVCC: case Op::SETCC: case Op::ENTER: case Op::LEAVE: case Op::NOP:
        // arithmetic
        case Op::ADD: case Op::ADC: case Op::SUB: case Op::SBB: case Op::CMP: case Op::INC: case Op::DEC:
        case Op::NEG: case Op::MUL: case Op::IMUL: case Op::DIV: case Op::IDIV: case Op::ADCX: case Op::ADOX:
        case Op::MULX: case Op::DAA: case Op::DAS: case Op::AAA: case Op::AAS: case Op::AAM: case Op::AAD:
        // logic, shifts, bits
        case Op::AND: case Op::OR: case Op::XOR: case Op::NOT: case Op::TEST:
        case Op::ROL: case Op::ROR: case Op::RCL: case Op::RCR: case Op::SHL: case Op::SHR: case Op::SAR:
        case Op::SHLD: case Op::SHRD:
        case Op::BT: case Op::BTS: case Op::BTR: case Op::BTC: case Op::BSF: case Op::BSR:
        case Op::POPCNT: case Op::LZCNT: case Op::TZCNT: case Op::ANDN: case Op::BEXTR: case Op::BLSI:
        case Op::BLSMSK: case Op::BLSR: case Op::BZHI: case Op::PDEP: case Op::PEXT: case Op::RORX:
        case Op::SARX: case Op::SHLX: case Op::SHRX: case Op::CRC32:
        // flags, strings
        case Op::CLC: case Op::STC: case Op::CMC: case Op::CLD: case Op::STD:
        case Op::MOVS: case Op::CMPS: case Op::STOS: case Op::LODS: case Op::SCAS:
        // user-mode system ops without architectural results (a memory operand can still fault)
        case Op::PAUSE: case Op::LFENCE: case Op::MFENCE: case Op::SFENCE: case Op::PREFETCH:
        case Op::CLFLUSH: case Op::CLFLUSHOPT: case Op::MOVNTI:
            return true;
        default:
            return false;
    }
}

Enumeration enumerate_forms(DecodeFn decode_fn) {
    std::map<std::string, Form> found;
    Enumeration e;
    static const std::vector<uint8_t> kMaps[4] = {{}, {0x0f}, {0x0f, 0x38}, {0x0f, 0x3a}};
    // F0: LOCKed read-modify-write forms (the decoder rejects the others).
    static const std::vector<uint8_t> kLegacy[6] = {{}, {0x66}, {0xf2}, {0xf3}, {0xf0}, {0x66, 0xf0}};
    for (const auto& lp : kLegacy)
        for (int rex = 0; rex < 2; ++rex)
            for (int map = 0; map < 4; ++map)
                for (unsigned op = 0; op < 256; ++op) {
                    if (map == 0 && is_legacy_prefix_or_escape(static_cast<uint8_t>(op))) continue;
                    Skeleton sk;
                    sk.header = lp;
                    if (rex) sk.header.push_back(0x48);
                    sk.rex = rex;
                    sk.header.insert(sk.header.end(), kMaps[map].begin(), kMaps[map].end());
                    sk.header.push_back(static_cast<uint8_t>(op));
                    collect(sk, decode_fn, found, e.other_user);
                }
    // VEX (three-byte C4 form): R/X/B clear (inverted 111), L = 0, vvvv = RDX
    // or unused (1111b, which some forms require).
    for (const unsigned vreg : {unsigned{RDX}, 0u})
    for (int map = 2; map <= 3; ++map)
        for (int w = 0; w < 2; ++w)
            for (int pp = 0; pp < 4; ++pp)
                for (unsigned op = 0; op < 256; ++op) {
                    Skeleton sk;
                    sk.vex = true;
                    const uint8_t vvvv = static_cast<uint8_t>(~vreg & 15);
                    sk.header = {0xc4, static_cast<uint8_t>(0xe0 | map),
                                 static_cast<uint8_t>((w << 7) | (vvvv << 3) | pp), static_cast<uint8_t>(op)};
                    collect(sk, decode_fn, found, e.other_user);
                }
    for (auto& [k, f] : found) e.forms.push_back(std::move(f));
    return e;
}

bool make_variant(const Form& f, DecodeFn decode_fn, std::mt19937_64& rng, uint64_t imm,
                  std::vector<uint8_t>& bytes, DecodedInsn& insn) {
    bytes = f.bytes;
    insn = f.insn;
    std::vector<uint8_t> b = f.bytes;
    b.resize(f.bytes.size() + 10, 0);
    const uint64_t r = rng();
    if (f.has_modrm) {
        uint8_t& modrm = b[f.header];
        const bool mem = (modrm >> 6) != 3;
        static const uint8_t kBases[6] = {0, 1, 2, 3, 6, 7};
        // A group's reg field selects the operation: keep it.
        const uint8_t reg = f.group ? static_cast<uint8_t>((modrm >> 3) & 7) : static_cast<uint8_t>(r & 7);
        const uint8_t rm = mem ? kBases[(r >> 3) % 6] : static_cast<uint8_t>((r >> 3) & 7);
        const uint8_t new_modrm = static_cast<uint8_t>((modrm & 0xc0) | (reg << 3) | rm);
        modrm = new_modrm;
    }
    if (f.rex) {
        for (unsigned i = 0; i + 1 < f.header; ++i)  // not the opcode (0F 4x is CMOVcc)
            if ((b[i] & 0xf0) == 0x40) b[i] = static_cast<uint8_t>(0x48 | ((r >> 8) & 5));  // R and B
    }
    if (f.vex) {
        b[1] = static_cast<uint8_t>((b[1] & 0x5f) | ((r >> 8) & 0xa0));                    // ~R, ~B
        if ((r >> 20) & 1) b[2] = static_cast<uint8_t>((b[2] & 0x87) | (((r >> 12) & 15) << 3));  // ~vvvv
    }
    // Immediate bytes: everything after the ModRM (no SIB/displacement in our forms).
    const unsigned imm_at = f.header + (f.has_modrm ? 1 : 0);
    for (unsigned i = imm_at; i < f.bytes.size(); ++i) b[i] = static_cast<uint8_t>(imm >> (8 * (i - imm_at)));
    DecodedInsn d;
    if (decode_fn(b.data(), b.size(), CodeMode::Bits64, d) != DecodeStatus::Ok) return false;
    if (d.op != f.insn.op || d.length != f.insn.length || signature(d) != signature(f.insn) || !fits_harness(d) ||
        uses_rsp(d))
        return false;
    // The XSAVE family's EAX is its requested-feature bitmap: not the base
    // (an address would request AVX and more of the host's XCR0).
    if (is_xsave_op(d.op) && d.mem_base == RAX) return false;
    b.resize(d.length);
    bytes = b;
    insn = d;
    return true;
}

}  // namespace petrel::difftest
