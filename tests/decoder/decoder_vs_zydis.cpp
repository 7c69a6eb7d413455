// decoder-vs-zydis: Petrel's decoder against Zydis 4 (the oracle).
//
//   decoder-vs-zydis --mode 64|32|16 [--cases N] [--seed S] [--examples K]
//   decoder-vs-zydis --binaries [FILE...]
//
// Random mode generates byte strings biased towards the interesting places
// (prefix runs incl. over-long ones, REX, the 0F/0F38/0F3A escapes, VEX BMI,
// ModRM/SIB forms) and decodes each with both decoders in the same machine
// mode. Binary mode decodes the executable sections of real programs
// (/usr/bin/bash, ls, python3, libc, and an uncompressed vmlinux when one is
// around) in 64-bit mode twice: as an instruction stream and at every byte
// offset.
//
// Compared, over the ISA Petrel advertises (an instruction Zydis puts in
// another ISA extension is skipped, counted): validity, length, operation
// (our Op mapped to Zydis' mnemonic), and each operand Zydis shows (kind,
// register, size, memory base/index/scale/displacement/segment, immediate).
// Mismatches are grouped in classes, printed with examples (bytes, mode, both
// decodings). The exit status is 0 when no mismatch is left outside the
// explicit allow-list below, 1 otherwise.
#include <Zydis/Zydis.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "cpu/decoded_insn.h"
#include "cpu/decoder/format.h"

using namespace petrel;

namespace {

// ---------------------------------------------------------------- the ISA

// Zydis ISA extensions that Petrel's CPUID advertises (or, for the hint
// spaces, decodes the same way a CPU without the feature does).
bool in_our_isa(ZydisISAExt e) {
    switch (e) {
        case ZYDIS_ISA_EXT_BASE: case ZYDIS_ISA_EXT_LONGMODE: case ZYDIS_ISA_EXT_X87: case ZYDIS_ISA_EXT_MMX:
        case ZYDIS_ISA_EXT_SSE: case ZYDIS_ISA_EXT_SSE2: case ZYDIS_ISA_EXT_SSE3: case ZYDIS_ISA_EXT_SSSE3:
        case ZYDIS_ISA_EXT_SSE4: case ZYDIS_ISA_EXT_AES: case ZYDIS_ISA_EXT_PCLMULQDQ: case ZYDIS_ISA_EXT_BMI1:
        case ZYDIS_ISA_EXT_BMI2: case ZYDIS_ISA_EXT_ADOX_ADCX: case ZYDIS_ISA_EXT_MOVBE: case ZYDIS_ISA_EXT_LZCNT:
        case ZYDIS_ISA_EXT_RDRAND: case ZYDIS_ISA_EXT_RDSEED: case ZYDIS_ISA_EXT_RDTSCP: case ZYDIS_ISA_EXT_RDPID:
        case ZYDIS_ISA_EXT_RDWRFSGS: case ZYDIS_ISA_EXT_INVPCID: case ZYDIS_ISA_EXT_CLFSH:
        case ZYDIS_ISA_EXT_CLFLUSHOPT: case ZYDIS_ISA_EXT_XSAVE: case ZYDIS_ISA_EXT_XSAVEOPT:
        case ZYDIS_ISA_EXT_MONITOR: case ZYDIS_ISA_EXT_SMAP: case ZYDIS_ISA_EXT_PAUSE:
        case ZYDIS_ISA_EXT_AMD3DNOW_PREFETCH:  // PREFETCHW: a hint, decoded on every CPU
            return true;
        default: return false;
    }
}

// ---------------------------------------------------------------- names

std::string lower(std::string_view s) {
    std::string r(s);
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}


const char* kSegNames[6] = {"es", "cs", "ss", "ds", "fs", "gs"};

std::string reg_name(const Operand& o) {
    switch (o.kind) {
        case OpKind::Gpr: return gpr_name(o.reg, o.size);
        case OpKind::Seg: return o.reg < 6 ? kSegNames[o.reg] : "seg?";
        case OpKind::Cr: return "cr" + std::to_string(o.reg);
        case OpKind::Dr: return "dr" + std::to_string(o.reg);
        case OpKind::Xmm: return "xmm" + std::to_string(o.reg);
        case OpKind::Mmx: return "mm" + std::to_string(o.reg);
        case OpKind::St: return "st" + std::to_string(o.reg);
        default: return "?";
    }
}

// The Zydis mnemonics our decoding may be spelled as.
std::vector<std::string> expected_mnemonics(const DecodedInsn& d) {
    static constexpr const char* kCc[16] = {"o", "no", "b", "nb", "z", "nz", "be", "nbe",
                                            "s", "ns", "p", "np", "l", "nl", "le", "nle"};
    const std::string name = lower(op_name(d.op));
    const std::string cc = kCc[d.cond & 15];
    auto sized = [&](const char* b, const char* w, const char* dd, const char* q) -> std::string {
        switch (d.opsize) {
            case 1: return b;
            case 2: return w;
            case 4: return dd;
            default: return q;
        }
    };
    const bool w = d.has(kPrefixRexW);
    switch (d.op) {
        case Op::JCC: return {"j" + cc};
        case Op::SETCC: return {"set" + cc};
        case Op::CMOVCC: return {"cmov" + cc};
        case Op::FCMOVCC: {
            static constexpr const char* kF[16] = {"", "", "fcmovb", "fcmovnb", "fcmove", "fcmovne", "fcmovbe",
                                                   "fcmovnbe", "", "", "fcmovu", "fcmovnu", "", "", "", ""};
            return {kF[d.cond & 15]};
        }
        case Op::MOVS: return {sized("movsb", "movsw", "movsd", "movsq")};
        case Op::CMPS: return {sized("cmpsb", "cmpsw", "cmpsd", "cmpsq")};
        case Op::STOS: return {sized("stosb", "stosw", "stosd", "stosq")};
        case Op::LODS: return {sized("lodsb", "lodsw", "lodsd", "lodsq")};
        case Op::SCAS: return {sized("scasb", "scasw", "scasd", "scasq")};
        case Op::INS: return {sized("insb", "insw", "insd", "insd")};
        case Op::OUTS: return {sized("outsb", "outsw", "outsd", "outsd")};
        case Op::CBW: return {sized("cbw", "cbw", "cwde", "cdqe")};
        case Op::CWD: return {sized("cwd", "cwd", "cdq", "cqo")};
        case Op::IRET: return {sized("iret", "iret", "iretd", "iretq")};
        case Op::PUSHF: return {sized("pushf", "pushf", "pushfd", "pushfq")};
        case Op::POPF: return {sized("popf", "popf", "popfd", "popfq")};
        case Op::PUSHA: return {sized("pusha", "pusha", "pushad", "pushad")};
        case Op::POPA: return {sized("popa", "popa", "popad", "popad")};
        case Op::JCXZ: return {d.addrsize == 2 ? "jcxz" : d.addrsize == 4 ? "jecxz" : "jrcxz"};
        case Op::MOV_CR: case Op::MOV_DR: case Op::MOV_SREG: return {"mov"};
        case Op::JMP_FAR: return {"jmp"};
        case Op::CALL_FAR: return {"call"};
        case Op::RET_FAR: return {"ret"};
        case Op::PREFETCH:
            return {"prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2", "prefetchw", "prefetch", "nop"};
        case Op::FNOP: return {"fnop", "feni8087_nop", "fdisi8087_nop", "fsetpm287_nop"};
        case Op::FSTP: return {"fstp", "fstpnce"};
        case Op::FXSAVE: return {w ? "fxsave64" : "fxsave"};
        case Op::FXRSTOR: return {w ? "fxrstor64" : "fxrstor"};
        case Op::XSAVE: return {w ? "xsave64" : "xsave"};
        case Op::XRSTOR: return {w ? "xrstor64" : "xrstor"};
        case Op::XSAVEOPT: return {w ? "xsaveopt64" : "xsaveopt"};
        default: return {name};
    }
}

// ---------------------------------------------------------------- mismatch bookkeeping

struct Class {
    uint64_t count = 0;
    std::vector<std::string> examples;
};

struct Report {
    std::map<std::string, Class> classes;
    unsigned max_examples = 3;
    void add(const std::string& key, const std::string& example) {
        Class& c = classes[key];
        ++c.count;
        if (c.examples.size() < max_examples) c.examples.push_back(example);
    }
};

// Classes of disagreement that remain on purpose. Each is an exact class key
// and the reason. Nothing else is tolerated.
struct Allowed {
    const char* key;
    const char* why;
};
constexpr Allowed kAllowed[] = {
    {"zydis-quirk r13d base", "Zydis 4.0 misreports [disp32] (SIB base 101, mod 00, REX.B, 67) as [r13d]"},
    {"status: invalid and over 15 bytes, #UD/#GP order",
     "an encoding that is both invalid (#UD) and longer than 15 bytes (#GP): the SDM does not order the two; "
     "ours decides #UD from the opcode cell, ModRM and mandatory prefix before reading SIB/displacement/"
     "immediates, Zydis by its decoder tree; both agree the bytes do not execute"},
    {"operation: ours xchg, zydis pause",
     "F3 with REX.B 90: the CPU executes XCHG r8, rAX and ignores F3 (the native difftest shows it; the SDM's "
     "PAUSE is F3 90 without REX.B); Zydis says PAUSE"},
    {"validity: ours Invalid, zydis salc",
     "D6 (SALC) is reserved in the SDM's opcode map and has no operation id: we raise #UD"},
};

bool allowed(const std::string& key) {
    for (const Allowed& a : kAllowed)
        if (a.key[0] && key == a.key) return true;
    return false;
}

// ---------------------------------------------------------------- comparing one decoding

const char* mode_name(CodeMode m) {
    return m == CodeMode::Bits64 ? "64" : m == CodeMode::Bits32 ? "32" : "16";
}

std::string hex_bytes(const uint8_t* b, size_t n) {
    std::string s;
    char buf[4];
    for (size_t i = 0; i < n; ++i) {
        snprintf(buf, sizeof buf, "%02x", b[i]);
        if (i) s += ' ';
        s += buf;
    }
    return s;
}

const char* status_name(DecodeStatus st) {
    switch (st) {
        case DecodeStatus::Ok: return "Ok";
        case DecodeStatus::Invalid: return "Invalid";
        case DecodeStatus::TooLong: return "TooLong";
        case DecodeStatus::NeedMore: return "NeedMore";
    }
    return "?";
}

struct Oracle {
    ZydisDecoder dec;
    ZydisFormatter fmt;
    CodeMode mode;

    explicit Oracle(CodeMode m) : mode(m) {
        const ZydisMachineMode mm = m == CodeMode::Bits64   ? ZYDIS_MACHINE_MODE_LONG_64
                                    : m == CodeMode::Bits32 ? ZYDIS_MACHINE_MODE_LEGACY_32
                                                            : ZYDIS_MACHINE_MODE_LEGACY_16;
        const ZydisStackWidth sw = m == CodeMode::Bits64   ? ZYDIS_STACK_WIDTH_64
                                   : m == CodeMode::Bits32 ? ZYDIS_STACK_WIDTH_32
                                                           : ZYDIS_STACK_WIDTH_16;
        ZydisDecoderInit(&dec, mm, sw);
        // The hint-NOP spaces that MPX, CET and CLDEMOTE reuse are NOPs on a
        // CPU without them (ours): make Zydis decode them so.
        ZydisDecoderEnableMode(&dec, ZYDIS_DECODER_MODE_MPX, ZYAN_FALSE);
        ZydisDecoderEnableMode(&dec, ZYDIS_DECODER_MODE_CET, ZYAN_FALSE);
        ZydisDecoderEnableMode(&dec, ZYDIS_DECODER_MODE_CLDEMOTE, ZYAN_FALSE);
        ZydisDecoderEnableMode(&dec, ZYDIS_DECODER_MODE_LZCNT, ZYAN_TRUE);
        ZydisDecoderEnableMode(&dec, ZYDIS_DECODER_MODE_TZCNT, ZYAN_TRUE);
        ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_INTEL);
    }
};

struct Counts {
    uint64_t cases = 0, both_valid = 0, both_invalid = 0, skipped_isa = 0, mismatches = 0, tolerated = 0;
};

std::string zydis_text(const Oracle& z, const ZydisDecodedInstruction& zi, const ZydisDecodedOperand* zo) {
    char buf[256];
    if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&z.fmt, &zi, zo, zi.operand_count_visible, buf, sizeof buf,
                                                      0, nullptr)))
        return "?";
    return std::string(buf) + " [" + ZydisISAExtGetString(zi.meta.isa_ext) + "]";
}

// Compares one operand; returns "" or what differs.
std::string compare_operand(const DecodedInsn& d, int i, const ZydisDecodedInstruction& zi,
                            const ZydisDecodedOperand& z) {
    // (zi: the machine mode, for the r13d quirk below)
    const Operand& o = d.ops[i];
    auto mask = [](unsigned bytes) { return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1; };
    switch (o.kind) {
        case OpKind::None: return "missing";
        case OpKind::Gpr: case OpKind::Seg: case OpKind::Cr: case OpKind::Dr: case OpKind::Xmm: case OpKind::Mmx:
        case OpKind::St:
            if (z.type != ZYDIS_OPERAND_TYPE_REGISTER) return "kind";
            if (reg_name(o) != ZydisRegisterGetString(z.reg.value)) return "register";
            return "";
        case OpKind::Mem: {
            if (z.type != ZYDIS_OPERAND_TYPE_MEMORY) return "kind";
            std::string base = d.mem_base == kNoReg    ? "none"
                               : d.mem_base == kRipReg ? (d.addrsize == 4 ? "eip" : "rip")
                                                       : gpr_name(d.mem_base, d.addrsize);
            std::string zbase = z.mem.base == ZYDIS_REGISTER_NONE ? "none" : ZydisRegisterGetString(z.mem.base);
            if (base != zbase) {
                // Zydis 4.0, 64-bit mode with 67: SIB base 101 + REX.B with
                // mod 00 is disp32 without a base (SDM vol. 2 table 2-5 and
                // its note on REX.B), but Zydis reports base r13d and drops
                // the displacement it did consume.
                if (zi.machine_mode == ZYDIS_MACHINE_MODE_LONG_64 && d.addrsize == 4 && d.mem_base == kNoReg &&
                    z.mem.base == ZYDIS_REGISTER_R13D)
                    return "zydis-quirk r13d base";
                return "mem-base";
            }
            std::string index = d.mem_index == kNoReg ? "none" : gpr_name(d.mem_index, d.addrsize);
            std::string zindex = z.mem.index == ZYDIS_REGISTER_NONE ? "none" : ZydisRegisterGetString(z.mem.index);
            if (index != zindex) return "mem-index";
            if (d.mem_index != kNoReg && d.mem_scale != z.mem.scale) return "mem-scale";
            const int64_t zdisp = z.mem.disp.has_displacement ? z.mem.disp.value : 0;
            if ((static_cast<uint64_t>(d.disp ^ zdisp) & mask(d.addrsize)) != 0) return "mem-disp";
            // LEA computes an address: no segment, no access (Zydis "agen").
            if (z.mem.type == ZYDIS_MEMOP_TYPE_AGEN) return o.size == 0 ? "" : "size";
            if (d.mem_seg > GS || kSegNames[d.mem_seg] != std::string(ZydisRegisterGetString(z.mem.segment)))
                return "mem-segment";
            // FXSAVE/XSAVE areas are larger than Operand::size can say: 0.
            if (o.size == 0 && z.size > 255 * 8) return "";
            if (o.size * 8u != z.size) return "size";
            return "";
        }
        case OpKind::Imm:
            if (z.type == ZYDIS_OPERAND_TYPE_POINTER) {
                if (d.imm != z.ptr.offset || d.imm2 != z.ptr.segment) return "pointer";
                return "";
            }
            if (z.type != ZYDIS_OPERAND_TYPE_IMMEDIATE || z.imm.is_relative) return "kind";
            {
                bool second = false;
                for (int k = 0; k < i; ++k)
                    if (d.ops[k].kind == OpKind::Imm) second = true;
                const uint64_t v = second ? d.imm2 : d.imm;
                const unsigned sz = o.size ? o.size : 8;
                // Zydis' immediate size is the encoded one (an Ib of ADD Ev,Ib
                // is 8 bits); ours is the width the handler works in. The
                // values must agree over our width.
                if (((v ^ z.imm.value.u) & mask(sz)) != 0) return "imm-value";
            }
            return "";
        case OpKind::Rel:
            if (z.type != ZYDIS_OPERAND_TYPE_IMMEDIATE || !z.imm.is_relative) return "kind";
            if (static_cast<int64_t>(d.imm) != z.imm.value.s) return "rel-value";
            return "";
    }
    return "kind";
}

// Operations whose operands Zydis shows and we keep implicit (or the
// reverse) by design: string operations and XLAT have no explicit
// operands in DecodedInsn.
bool skip_operands(const DecodedInsn& d) {
    switch (d.op) {
        case Op::MOVS: case Op::CMPS: case Op::STOS: case Op::LODS: case Op::SCAS: case Op::INS: case Op::OUTS:
        case Op::XLAT:
            return true;
        default: return false;
    }
}

// The effective operand size (DecodedInsn::opsize) against Zydis'
// operand_width, for the general-purpose, system and x87 operations whose
// handlers read it. Not compared, by design:
// - MMX/SSE operations: their operand types fix every width;
// - VEX (BMI): Zydis reports the mode's width with 32-bit operands in
//   16-bit mode; ours is the operands' width;
// - INS/OUTS with REX.W: no 64-bit form, ours says 4 (what the handler
//   moves), Zydis 64;
// - XLAT, PREFETCH hints, SYSCALL, RDPID, CMPXCHG8B/16B: no operand size to
//   speak of (Zydis says 32 for RDPID r64 and for CMPXCHG8B in 16-bit mode);
// - RD/WR FS/GS BASE with 66: Zydis reports 16 with a 32-bit register
//   operand; ours is the register's width.
bool width_agrees(const DecodedInsn& d, const ZydisDecodedInstruction& zi) {
    if (static_cast<size_t>(d.op) >= static_cast<size_t>(Op::MOVD)) return true;
    switch (d.op) {
        case Op::ANDN: case Op::BEXTR: case Op::BLSI: case Op::BLSMSK: case Op::BLSR: case Op::BZHI: case Op::PDEP:
        case Op::PEXT: case Op::RORX: case Op::SARX: case Op::SHLX: case Op::SHRX: case Op::MULX:
        case Op::INS: case Op::OUTS: case Op::XLAT: case Op::PREFETCH: case Op::SYSCALL: case Op::RDPID:
        case Op::CMPXCHG8B: case Op::CMPXCHG16B: case Op::RDFSBASE: case Op::RDGSBASE: case Op::WRFSBASE:
        case Op::WRGSBASE:
            return true;
        default: break;
    }
    return d.opsize * 8u == zi.operand_width;
}

// An encoding over 15 bytes is #GP, an invalid one #UD; when both apply,
// which is reported depends on where a decoder notices (the SDM does not
// say). To tell such order questions from real disagreements, the
// encoding is shortened without changing its meaning: prefix bytes that a
// later prefix of the same group overrides or repeats are dropped (and ES/
// CS/SS/DS overrides in 64-bit mode, which do nothing). Zydis' verdict on the
// shortened bytes says what the instruction is.
enum class Shortened { Valid, ValidOutsideIsa, Invalid, Unknown };

Shortened shortened_verdict(const Oracle& z, const uint8_t* b, size_t avail) {
    auto group = [](uint8_t p) {
        switch (p) {
            case 0xf0: return 1;
            case 0xf2: case 0xf3: return 2;
            case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65: return 3;
            case 0x66: return 4;
            case 0x67: return 5;
            default: return 0;
        }
    };
    std::vector<uint8_t> v(b, b + avail);
    for (;;) {
        size_t run = 0;
        while (run < v.size() && group(v[run])) ++run;
        bool dropped = false;
        for (size_t k = 0; k < run && !dropped; ++k) {
            const int g = group(v[k]);
            bool redundant = z.mode == CodeMode::Bits64 && g == 3 && v[k] != 0x64 && v[k] != 0x65;
            for (size_t j = k + 1; j < run && !redundant; ++j) {
                // Repeats are redundant; so is an F2/F3 that a later F2/F3
                // replaces (the last one is REP/REPNE or the mandatory
                // prefix), and a segment override a later one replaces.
                if (v[j] == v[k]) redundant = true;
                else if (g == 2 && group(v[j]) == 2) redundant = true;
                else if (g == 3 && group(v[j]) == 3 &&
                         !(z.mode == CodeMode::Bits64 && v[j] != 0x64 && v[j] != 0x65))
                    redundant = true;
            }
            if (redundant) {
                v.erase(v.begin() + static_cast<std::ptrdiff_t>(k));
                dropped = true;
            }
        }
        if (!dropped) return Shortened::Unknown;
        // The bytes after the window are unknown: try a memory and a
        // register ModRM there; the verdict counts only if they agree.
        Shortened verdict[2];
        bool more = false;
        for (int k = 0; k < 2; ++k) {
            std::vector<uint8_t> w = v;
            w.push_back(k ? 0xc0 : 0x00);
            w.resize(w.size() + 16, 0);
            ZydisDecodedInstruction zi;
            ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
            const ZyanStatus zs = ZydisDecoderDecodeFull(&z.dec, w.data(), w.size(), &zi, zo);
            if (ZYAN_SUCCESS(zs)) verdict[k] = in_our_isa(zi.meta.isa_ext) ? Shortened::Valid : Shortened::ValidOutsideIsa;
            else if (zs == ZYDIS_STATUS_INSTRUCTION_TOO_LONG) more = true, verdict[k] = Shortened::Unknown;
            else verdict[k] = Shortened::Invalid;
        }
        if (more) continue;
        if (verdict[0] == verdict[1]) return verdict[0];
        // Outside our ISA with one ModRM, invalid with the other: not an
        // instruction we decode either way.
        if (verdict[0] != Shortened::Valid && verdict[1] != Shortened::Valid) return Shortened::ValidOutsideIsa;
        return Shortened::Unknown;
    }
}

// One input: decode with both, compare, record. Returns our length (0 when invalid).
unsigned compare_one(const Oracle& z, const uint8_t* b, size_t avail, Counts& n, Report& rep) {
    ++n.cases;
    DecodedInsn d;
    const DecodeStatus st = decode(b, avail, z.mode, d);
    ZydisDecodedInstruction zi;
    ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
    const ZyanStatus zs = ZydisDecoderDecodeFull(&z.dec, b, avail, &zi, zo);
    const bool zok = ZYAN_SUCCESS(zs);
    const bool ok = st == DecodeStatus::Ok;
    if (zok && !in_our_isa(zi.meta.isa_ext)) {
        ++n.skipped_isa;
        return ok ? d.length : 0;
    }
    if (!zok && !ok) {
        // Too long (#GP) and invalid (#UD) are different faults.
        const bool ztoo = zs == ZYDIS_STATUS_INSTRUCTION_TOO_LONG, too = st == DecodeStatus::TooLong;
        if (ztoo == too || (st == DecodeStatus::NeedMore && zs == ZYDIS_STATUS_NO_MORE_DATA)) {
            ++n.both_invalid;
            return 0;
        }
        const Shortened s = shortened_verdict(z, b, avail);
        if (s == Shortened::ValidOutsideIsa) {
            ++n.skipped_isa;
            return 0;
        }
        std::string key = std::string("status: ours ") + status_name(st) + ", zydis " + (ztoo ? "too long" : "invalid");
        // Invalid and too long at once: only the order of the checks differs.
        if (s == Shortened::Invalid) key = "status: invalid and over 15 bytes, #UD/#GP order";
        if (allowed(key)) {
            ++n.tolerated;
        } else {
            ++n.mismatches;
        }
        rep.add(key, std::string("[") + mode_name(z.mode) + "] " + hex_bytes(b, std::min<size_t>(avail, 15)) +
                         "  ours " + status_name(st) + ", zydis " + (ztoo ? "too long" : "invalid"));
        return 0;
    }
    const std::string where = std::string("[") + mode_name(z.mode) + "] " + hex_bytes(b, std::min<size_t>(avail, 15));
    auto ours = [&] {
        return ok ? format_insn(d) + " (len " + std::to_string(d.length) + ", opsize " + std::to_string(d.opsize) +
                        ")"
                  : std::string(status_name(st));
    };
    auto theirs = [&] {
        return zok ? zydis_text(z, zi, zo) + " (len " + std::to_string(zi.length) + ")"
                   : std::string("zydis status ") + std::to_string(zs);
    };
    auto mismatch = [&](const std::string& key) {
        if (allowed(key)) {
            ++n.tolerated;
        } else {
            ++n.mismatches;
        }
        rep.add(key, where + "\n      ours:  " + ours() + "\n      zydis: " + theirs());
    };
    if (zok != ok) {
        if (zok) mismatch(std::string("validity: ours ") + status_name(st) + ", zydis " + ZydisMnemonicGetString(zi.mnemonic));
        else mismatch("validity: zydis invalid, ours " + lower(op_name(d.op)));
        return ok ? d.length : 0;
    }
    ++n.both_valid;
    const std::string zm = ZydisMnemonicGetString(zi.mnemonic);
    if (d.length != zi.length) {
        mismatch("length: " + zm);
        return d.length;
    }
    // Our own consistency: one byte short is NeedMore, never anything else.
    if (d.length > 1) {
        DecodedInsn t;
        if (decode(b, d.length - 1u, z.mode, t) != DecodeStatus::NeedMore) mismatch("truncated is not NeedMore: " + zm);
    }
    if (!width_agrees(d, zi)) mismatch("operand size: ours " + std::to_string(d.opsize * 8) + ", zydis " +
                                       std::to_string(zi.operand_width) + ": " + zm);
    const auto names = expected_mnemonics(d);
    if (std::find(names.begin(), names.end(), zm) == names.end()) {
        mismatch("operation: ours " + lower(op_name(d.op)) + ", zydis " + zm);
        return d.length;
    }
    if (skip_operands(d)) return d.length;
    // BLENDVPS/BLENDVPD/PBLENDVB: we list <XMM0> (the SDM's syntax names
    // it), Zydis hides it.
    const bool xmm0_extra = (d.op == Op::BLENDVPS || d.op == Op::BLENDVPD || d.op == Op::PBLENDVB) && d.nops == 3 &&
                            d.ops[2].kind == OpKind::Xmm && d.ops[2].reg == 0;
    if (d.nops - (xmm0_extra ? 1 : 0) != zi.operand_count_visible) {
        mismatch("operand count: " + zm);
        return d.length;
    }
    for (int i = 0; i < zi.operand_count_visible; ++i) {
        const std::string what = compare_operand(d, i, zi, zo[i]);
        if (!what.empty()) {
            mismatch(what.rfind("zydis-quirk", 0) == 0 ? what : "operand " + std::to_string(i) + " " + what + ": " + zm);
            break;
        }
    }
    return d.length;
}

// ---------------------------------------------------------------- random inputs

struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
    uint8_t byte() { return static_cast<uint8_t>(next()); }
};

// Fills 15 bytes: prefixes, REX, an escape, opcode, ModRM/SIB, then noise.
void generate(Rng& r, CodeMode mode, uint8_t* out) {
    for (int i = 0; i < 15; ++i) out[i] = r.byte();
    if (r.below(100) < 4) return;  // pure noise
    static constexpr uint8_t kPrefixes[] = {0x66, 0x66, 0x66, 0x67, 0xf2, 0xf2, 0xf3, 0xf3, 0xf0, 0xf0,
                                            0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65};
    size_t i = 0;
    const unsigned pk = r.below(100);
    const unsigned npfx = pk < 45 ? 0 : pk < 80 ? 1 : pk < 93 ? 2 : pk < 97 ? 3 + r.below(3) : 6 + r.below(10);
    for (unsigned k = 0; k < npfx && i < 15; ++k) out[i++] = kPrefixes[r.below(sizeof kPrefixes)];
    if (mode == CodeMode::Bits64 && i < 15 && r.below(100) < 40) {
        out[i++] = static_cast<uint8_t>(0x40 | r.below(16));
        // Sometimes a legacy prefix after REX (which then is ignored).
        if (i < 15 && r.below(100) < 5) out[i++] = kPrefixes[r.below(sizeof kPrefixes)];
    }
    if (i >= 15) return;
    const unsigned m = r.below(100);
    if (m < 34) {
        out[i++] = r.byte();
    } else if (m < 64) {
        out[i++] = 0x0f;
        if (i < 15) out[i++] = r.byte();
    } else if (m < 78) {
        out[i++] = 0x0f;
        if (i < 15) out[i++] = 0x38;
        if (i < 15) out[i++] = r.below(100) < 25 ? static_cast<uint8_t>(0xf0 + r.below(16)) : r.byte();
    } else if (m < 88) {
        out[i++] = 0x0f;
        if (i < 15) out[i++] = 0x3a;
        if (i < 15) out[i++] = r.byte();
    } else if (m < 96) {
        // VEX: mostly the BMI maps and opcodes, L = 0.
        out[i++] = 0xc4;
        uint8_t b1 = r.byte(), b2 = r.byte();
        if (r.below(100) < 85) b1 = static_cast<uint8_t>((b1 & 0xe0) | (2 + r.below(2)));
        if (mode != CodeMode::Bits64 && r.below(100) < 85) b1 |= 0xc0;
        if (r.below(100) < 85) b2 &= ~4;
        if (i < 15) out[i++] = b1;
        if (i < 15) out[i++] = b2;
        if (i < 15) out[i++] = r.below(100) < 80 ? static_cast<uint8_t>(0xf0 + r.below(8)) : r.byte();
    } else {
        out[i++] = static_cast<uint8_t>(0xd8 + r.below(8));  // x87
    }
    if (i >= 15) return;
    // ModRM: a third register forms.
    uint8_t modrm = r.byte();
    if (r.below(100) < 33) modrm |= 0xc0;
    out[i++] = modrm;
}

// ---------------------------------------------------------------- binaries

struct Section {
    std::string name;
    std::vector<uint8_t> bytes;
};

// The executable sections of an ELF64 little-endian file.
std::vector<Section> exec_sections(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return {};
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto rd = [&](size_t off, unsigned n) -> uint64_t {
        if (off + n > file.size()) return 0;
        uint64_t v = 0;
        memcpy(&v, file.data() + off, n);
        return v;
    };
    if (file.size() < 64 || memcmp(file.data(), "\x7f" "ELF", 4) != 0 || file[4] != 2 || file[5] != 1) return {};
    const uint64_t shoff = rd(0x28, 8);
    const unsigned shentsize = static_cast<unsigned>(rd(0x3a, 2)), shnum = static_cast<unsigned>(rd(0x3c, 2)),
                   shstrndx = static_cast<unsigned>(rd(0x3e, 2));
    if (!shoff || shentsize < 64 || shstrndx >= shnum) return {};
    const uint64_t strtab = rd(shoff + uint64_t{shstrndx} * shentsize + 0x18, 8);
    std::vector<Section> out;
    for (unsigned k = 0; k < shnum; ++k) {
        const uint64_t sh = shoff + uint64_t{k} * shentsize;
        const uint32_t type = static_cast<uint32_t>(rd(sh + 4, 4));
        const uint64_t flags = rd(sh + 8, 8), off = rd(sh + 0x18, 8), size = rd(sh + 0x20, 8);
        if (type != 1 /* PROGBITS */ || !(flags & 4) /* SHF_EXECINSTR */) continue;
        if (off + size > file.size()) continue;
        std::string name;
        for (uint64_t p = strtab + rd(sh, 4); p < file.size() && file[p]; ++p) name += static_cast<char>(file[p]);
        out.push_back({name, std::vector<uint8_t>(file.begin() + off, file.begin() + off + size)});
    }
    return out;
}

// ---------------------------------------------------------------- main

void print_report(const Report& rep) {
    std::vector<std::pair<uint64_t, std::string>> order;
    for (const auto& [k, c] : rep.classes) order.emplace_back(c.count, k);
    std::sort(order.rbegin(), order.rend());
    for (const auto& [count, key] : order) {
        const Class& c = rep.classes.at(key);
        printf("  %8llu  %s%s\n", static_cast<unsigned long long>(count), key.c_str(),
               allowed(key) ? "   (allowed)" : "");
        for (const std::string& e : c.examples) printf("      %s\n", e.c_str());
    }
}

void print_counts(const char* what, const Counts& n) {
    printf("%s: %llu cases, %llu both valid, %llu both invalid, %llu outside our ISA (skipped), "
           "%llu mismatches, %llu tolerated\n",
           what, static_cast<unsigned long long>(n.cases), static_cast<unsigned long long>(n.both_valid),
           static_cast<unsigned long long>(n.both_invalid), static_cast<unsigned long long>(n.skipped_isa),
           static_cast<unsigned long long>(n.mismatches), static_cast<unsigned long long>(n.tolerated));
}

int run_random(CodeMode mode, uint64_t cases, uint64_t seed, Report& rep) {
    Oracle z(mode);
    Rng r{seed * 0x1234567 + static_cast<uint64_t>(mode)};
    Counts n;
    uint8_t buf[16] = {};
    for (uint64_t k = 0; k < cases; ++k) {
        generate(r, mode, buf);
        compare_one(z, buf, 15, n, rep);
    }
    print_report(rep);
    char title[64];
    snprintf(title, sizeof title, "random %s-bit", mode_name(mode));
    print_counts(title, n);
    return n.mismatches ? 1 : 0;
}

int run_binaries(std::vector<std::string> files, Report& rep) {
    if (files.empty()) {
        files = {"/usr/bin/bash", "/usr/bin/ls", "/usr/bin/python3", "/lib/x86_64-linux-gnu/libc.so.6"};
        for (const char* v : {"/boot/vmlinux", "/usr/lib/debug/boot/vmlinux"}) files.push_back(v);
    }
    Oracle z(CodeMode::Bits64);
    Counts stream, every;
    unsigned used = 0;
    for (const std::string& path : files) {
        const auto secs = exec_sections(path);
        if (secs.empty()) continue;
        ++used;
        uint64_t bytes = 0;
        for (const Section& s : secs) {
            bytes += s.bytes.size();
            const uint8_t* p = s.bytes.data();
            const size_t size = s.bytes.size();
            // As an instruction stream (what a CPU would see running it).
            for (size_t off = 0; off < size;) {
                const unsigned len = compare_one(z, p + off, std::min<size_t>(15, size - off), stream, rep);
                off += len ? len : 1;
            }
            // At every byte offset (misaligned decodes: dense odd inputs).
            for (size_t off = 0; off < size; ++off) compare_one(z, p + off, std::min<size_t>(15, size - off), every, rep);
        }
        printf("%s: %zu executable sections, %llu bytes\n", path.c_str(), secs.size(),
               static_cast<unsigned long long>(bytes));
    }
    if (!used) {
        printf("no ELF64 binaries found\n");
        return 77;
    }
    print_report(rep);
    print_counts("binaries, instruction stream", stream);
    print_counts("binaries, every byte offset", every);
    return (stream.mismatches || every.mismatches) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    CodeMode mode = CodeMode::Bits64;
    uint64_t cases = 1000000, seed = 1;
    bool binaries = false;
    std::vector<std::string> files;
    Report rep;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--mode") {
            const std::string m = val();
            mode = m == "16" ? CodeMode::Bits16 : m == "32" ? CodeMode::Bits32 : CodeMode::Bits64;
        } else if (a == "--cases") {
            cases = strtoull(val().c_str(), nullptr, 0);
        } else if (a == "--seed") {
            seed = strtoull(val().c_str(), nullptr, 0);
        } else if (a == "--examples") {
            rep.max_examples = static_cast<unsigned>(strtoul(val().c_str(), nullptr, 0));
        } else if (a == "--binaries") {
            binaries = true;
        } else if (binaries && a[0] != '-') {
            files.push_back(a);
        } else {
            fprintf(stderr, "usage: %s --mode 64|32|16 [--cases N] [--seed S] [--examples K] | --binaries [FILE...]\n",
                    argv[0]);
            return 2;
        }
    }
    return binaries ? run_binaries(files, rep) : run_random(mode, cases, seed, rep);
}
