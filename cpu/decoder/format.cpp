// format_insn: DecodedInsn -> "add dword ptr [rbp-0x8], 0x1". Operation names
// come from op_list.inc (lowercased, with the condition of JCC/SETCC/CMOVCC
// and the width of string operations spelled out).
#include "cpu/decoder/format.h"

#include <cctype>
#include <cstdio>

namespace petrel {

namespace {

constexpr const char* kCond[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                   "s", "ns", "p", "np", "l", "ge", "le", "g"};
constexpr const char* kSeg[6] = {"es", "cs", "ss", "ds", "fs", "gs"};


std::string hex(uint64_t v) {
    char buf[24];
    snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

const char* ptr_size(unsigned size) {
    switch (size) {
        case 1: return "byte ptr ";
        case 2: return "word ptr ";
        case 4: return "dword ptr ";
        case 6: return "fword ptr ";
        case 8: return "qword ptr ";
        case 10: return "tbyte ptr ";
        case 16: return "xmmword ptr ";
        default: return "";
    }
}

std::string mem_text(const DecodedInsn& d, unsigned size) {
    std::string s = ptr_size(size);
    s += kSeg[d.mem_seg < 6 ? d.mem_seg : unsigned{DS}];
    s += ":[";
    bool any = false;
    if (d.mem_base == kRipReg) {
        s += d.addrsize == 4 ? "eip" : "rip";
        any = true;
    } else if (d.mem_base != kNoReg) {
        s += gpr_name(d.mem_base, d.addrsize);
        any = true;
    }
    if (d.mem_index != kNoReg) {
        if (any) s += "+";
        s += gpr_name(d.mem_index, d.addrsize);
        if (d.mem_scale != 1) s += "*" + std::to_string(d.mem_scale);
        any = true;
    }
    if (d.disp != 0 || !any) {
        if (any && d.disp < 0) s += "-" + hex(static_cast<uint64_t>(-d.disp));
        else s += (any ? "+" : "") + hex(static_cast<uint64_t>(d.disp));
    }
    return s + "]";
}

std::string operand_text(const DecodedInsn& d, int i) {
    const Operand& o = d.ops[i];
    switch (o.kind) {
        case OpKind::None: return "";
        case OpKind::Gpr: return gpr_name(o.reg, o.size);
        case OpKind::Mem: return mem_text(d, o.size);
        case OpKind::Imm: {
            // The second immediate of ENTER and of a far pointer is imm2.
            bool second = false;
            for (int k = 0; k < i; ++k)
                if (d.ops[k].kind == OpKind::Imm) second = true;
            if (d.op == Op::JMP_FAR || d.op == Op::CALL_FAR) return hex(d.imm2) + ":" + hex(d.imm);
            const uint64_t v = second ? d.imm2 : d.imm;
            return hex(o.size >= 8 ? v : v & ((1ull << (8 * o.size)) - 1));
        }
        case OpKind::Rel: {
            const int64_t r = static_cast<int64_t>(d.imm);
            return std::string("$") + (r < 0 ? "-" : "+") + hex(static_cast<uint64_t>(r < 0 ? -r : r));
        }
        case OpKind::Seg: return kSeg[o.reg < 6 ? o.reg : 0];
        case OpKind::Cr: return "cr" + std::to_string(o.reg);
        case OpKind::Dr: return "dr" + std::to_string(o.reg);
        case OpKind::Xmm: return "xmm" + std::to_string(o.reg);
        case OpKind::Mmx: return "mm" + std::to_string(o.reg);
        case OpKind::St: return "st(" + std::to_string(o.reg) + ")";
    }
    return "?";
}

std::string mnemonic(const DecodedInsn& d) {
    std::string name(op_name(d.op));
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const char* cc = kCond[d.cond & 15];
    switch (d.op) {
        case Op::JCC: return std::string("j") + cc;
        case Op::SETCC: return std::string("set") + cc;
        case Op::CMOVCC: return std::string("cmov") + cc;
        case Op::FCMOVCC: return std::string("fcmov") + cc;
        case Op::MOVS: case Op::CMPS: case Op::STOS: case Op::LODS: case Op::SCAS: case Op::INS: case Op::OUTS: {
            static constexpr char kSuffix[9] = {'?', 'b', 'w', '?', 'd', '?', '?', '?', 'q'};
            return name + kSuffix[d.opsize <= 8 ? d.opsize : 0];
        }
        case Op::MOV_CR: case Op::MOV_DR: case Op::MOV_SREG: return "mov";
        case Op::JMP_FAR: return "jmp far";
        case Op::CALL_FAR: return "call far";
        case Op::RET_FAR: return "retf";
        default: return name;
    }
}

}  // namespace

std::string gpr_name(unsigned reg, unsigned size) {
    static constexpr const char* k64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                            "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    static constexpr const char* k32[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    static constexpr const char* k16[8] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    static constexpr const char* k8[8] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    static constexpr const char* kHigh[4] = {"ah", "ch", "dh", "bh"};
    if (reg >= kHighByteBase) return kHigh[(reg - kHighByteBase) & 3];
    reg &= 15;
    if (reg >= 8) {
        std::string r = k64[reg];
        switch (size) {
            case 1: return r + "b";
            case 2: return r + "w";
            case 4: return r + "d";
            default: return r;
        }
    }
    switch (size) {
        case 1: return k8[reg];
        case 2: return k16[reg];
        case 4: return k32[reg];
        default: return k64[reg];
    }
}

std::string format_insn(const DecodedInsn& d) {
    std::string s;
    if (d.lock()) s += "lock ";
    if (d.rep()) s += "rep ";
    if (d.repne()) s += "repne ";
    s += mnemonic(d);
    for (int i = 0; i < d.nops; ++i) {
        s += i ? ", " : " ";
        s += operand_text(d, i);
    }
    return s;
}

}  // namespace petrel
