// The table of undefined flags, from the SDM's "Flags Affected" sections.
#include "tests/difftest/undefined_flags.h"

#include "cpu/state.h"

namespace petrel::difftest {

namespace {

constexpr uint64_t CF = kCF, PF = kPF, AF = kAF, ZF = kZF, SF = kSF, OF = kOF;

// The masked count of a shift/rotate (0-31, or 0-63 with a 64-bit operand).
unsigned masked_count(const DecodedInsn& d, const State& in, int count_operand) {
    uint64_t c = 1;
    if (d.nops > count_operand) {
        const Operand& o = d.ops[count_operand];
        c = o.kind == OpKind::Imm ? d.imm : in.gpr[RCX];
    }
    return static_cast<unsigned>(c & (d.ops[0].size == 8 ? 63 : 31));
}

}  // namespace

Undefined undefined_for(const DecodedInsn& d, const State& in) {
    Undefined u;
    const unsigned width = 8 * d.ops[0].size;
    switch (d.op) {
        case Op::RCPPS: case Op::RSQRTPS: u.approx_f32_lanes = 0xf; break;
        case Op::RCPSS: case Op::RSQRTSS: u.approx_f32_lanes = 0x1; break;
        case Op::MUL:
        case Op::IMUL: u.flags = SF | ZF | AF | PF; break;
        case Op::DIV:
        case Op::IDIV: u.flags = CF | OF | SF | ZF | AF | PF; break;
        case Op::AND: case Op::OR: case Op::XOR: case Op::TEST: u.flags = AF; break;
        case Op::SHL: case Op::SHR: case Op::SAR: {
            const unsigned c = masked_count(d, in, 1);
            if (c == 0) break;
            u.flags = AF;
            if (c != 1) u.flags |= OF;
            if (d.op != Op::SAR && c >= width) u.flags |= CF;
            break;
        }
        case Op::ROL: case Op::ROR: case Op::RCL: case Op::RCR: {
            const unsigned c = masked_count(d, in, 1);
            if (c > 1) u.flags = OF;
            break;
        }
        case Op::SHLD: case Op::SHRD: {
            const unsigned c = masked_count(d, in, 2);
            if (c == 0) break;
            u.flags = AF;
            if (c != 1) u.flags |= OF;
            if (c > width) u = Undefined{CF | OF | SF | ZF | AF | PF, true};
            break;
        }
        case Op::BT: case Op::BTS: case Op::BTR: case Op::BTC: u.flags = OF | SF | AF | PF; break;
        case Op::BSF: case Op::BSR: u.flags = CF | OF | SF | AF | PF; break;
        case Op::LZCNT: case Op::TZCNT: u.flags = OF | SF | AF | PF; break;
        case Op::ANDN: case Op::BLSI: case Op::BLSMSK: case Op::BLSR: case Op::BZHI: u.flags = AF | PF; break;
        case Op::BEXTR: u.flags = AF | SF | PF; break;
        case Op::DAA: case Op::DAS: u.flags = OF; break;
        case Op::AAA: case Op::AAS: u.flags = OF | SF | ZF | PF; break;
        case Op::AAM: case Op::AAD: u.flags = OF | AF | CF; break;
        case Op::BSWAP: if (d.ops[0].size == 2) u.result = true; break;
        default: break;
    }
    return u;
}

}  // namespace petrel::difftest
