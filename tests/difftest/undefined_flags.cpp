// The table of undefined flags, from the SDM's "Flags Affected" sections.
#include "tests/difftest/undefined_flags.h"

#include <cstring>

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

// The input's ST(0): the FXSAVE image holds ST(0) first.
struct St0 {
    bool empty;
    uint16_t se;
    uint64_t sig;
};
St0 input_st0(const State& in) {
    uint16_t fsw, se;
    uint64_t sig;
    memcpy(&fsw, in.fx + 2, 2);
    memcpy(&sig, in.fx + 32, 8);
    memcpy(&se, in.fx + 40, 2);
    const unsigned top = (fsw >> 11) & 7;
    return St0{!((in.fx[4] >> top) & 1), se, sig};
}

// |v| <= 2^e_limit * sig_limit / 2^63 for a finite v (integer bit set).
bool magnitude_above(const St0& v, uint16_t exp, uint64_t sig) {
    const uint16_t e = v.se & 0x7fff;
    return e > exp || (e == exp && v.sig > sig);
}

// The x87 part of an FXSAVE/XSAVE image (area at the memory operand).
void fxsave_x87_skips(const DecodedInsn& d, const State& in, Undefined& u) {
    const uint64_t a = in.gpr[d.mem_base] + static_cast<uint64_t>(d.disp);
    // FOP/FIP/FCS/FDP/FDS (bytes 6-23): the harness loads them from the
    // input image (FXRSTOR64), and without a pending unmasked exception
    // AMD stores zeros where Intel stores what was loaded. With one
    // pending both store the loaded values; only FCS and FDS of the
    // 32-bit layout stay uncompared (newer Intel CPUs store them as 0:
    // CPUID.7.0:EBX[13], FCS/FDS deprecated).
    uint16_t fcw, fsw;
    memcpy(&fcw, in.fx, 2);
    memcpy(&fsw, in.fx + 2, 2);
    const bool pending = fsw & ~fcw & 0x3f;
    if (!pending) {
        u.skip_mem(a + 6, 18);
    } else if (!d.has(kPrefixRexW)) {
        u.skip_mem(a + 12, 2);
        u.skip_mem(a + 20, 2);
    }
}

void x87_undefined(const DecodedInsn& d, const State& in, Undefined& u) {
    const St0 s0 = input_st0(in);
    switch (d.op) {
        case Op::FSIN: case Op::FCOS: case Op::FPATAN: case Op::FYL2X: u.approx_st = 0x1; break;
        case Op::FSINCOS: case Op::FPTAN: u.approx_st = 0x3; break;
        case Op::F2XM1:
            u.approx_st = 0x1;
            // Defined for -1 <= x <= +1 only.
            if (!s0.empty && (s0.se & 0x7fff) != 0x7fff && magnitude_above(s0, 0x3fff, 1ull << 63)) u.result = true;
            break;
        case Op::FYL2XP1:
            u.approx_st = 0x1;
            // Defined for |x| < 1 - sqrt(2)/2 = 0.29289321881345...
            if (!s0.empty && magnitude_above(s0, 0x3ffd, 0x95f619980c4336f7ull)) u.result = true;
            break;
        case Op::FSTP:
            // D9 D8+i (FSTPNCE on AMD) with ST(0) empty copies a value the
            // FXSAVE image does not show.
            if (d.opcode == 0xd9 && d.mem_operand() < 0 && s0.empty) u.result = true;
            break;
        case Op::FNSTENV: case Op::FNSAVE: {
            const bool wide = d.ops[0].size == 28 || d.ops[0].size == 108;
            u.skip_mem(in.gpr[d.mem_base] + static_cast<uint64_t>(d.disp) + (wide ? 12 : 6), wide ? 16 : 8);
            break;
        }
        case Op::FXSAVE: {
            fxsave_x87_skips(d, in, u);
            // MXCSR_MASK: AMD sets bit 17 (MM, the misaligned-SSE exception
            // mask, which Petrel does not implement); the rest must agree.
            u.skip_mem(in.gpr[d.mem_base] + static_cast<uint64_t>(d.disp) + 30, 1, 0x02);
            break;
        }
        default: break;
    }
    if (u.approx_st) u.fsw |= 1u << 9;  // C1
}

// Whether the input's x87 state is in its initial configuration (SDM 13.6:
// FCW 037FH, FSW 0, all tags empty, FOP/FIP/FDP 0, registers 0).
bool x87_initial(const State& in) {
    static const uint8_t kInit[5] = {0x7f, 0x03, 0, 0, 0};
    if (memcmp(in.fx, kInit, 5) != 0) return false;
    for (unsigned i = 6; i < 24; ++i)
        if (in.fx[i]) return false;
    for (unsigned i = 0; i < 8; ++i)
        for (unsigned j = 0; j < 10; ++j)
            if (in.fx[32 + 16 * i + j]) return false;
    return true;
}

// ... and the SSE state's (XMM0-15 zero; MXCSR not asked, since processors
// differ in whether XINUSE[1] covers it).
bool sse_initial(const State& in) {
    for (const auto& x : in.xmm)
        for (uint8_t b : x)
            if (b) return false;
    return true;
}

// XSAVE and XSAVEOPT with RFBM = EAX[1:0] (inputs.cpp: EDX:EAX requests x87
// and SSE only; EDX's bits are beyond XCR0).
void xsave_after(const DecodedInsn& d, const State& in, const uint8_t* in_data, const uint8_t* native_data,
                 Undefined& u) {
    const uint64_t a = in.gpr[d.mem_base] + static_cast<uint64_t>(d.disp);
    const unsigned rfbm = static_cast<unsigned>(in.gpr[RAX] & 3);
    // XSTATE_BV[i] for i in RFBM is XINUSE[i], which may be 1 while the
    // component is in its initial configuration (SDM 13.6: implementation
    // specific): not compared then. (Petrel's XINUSE is always 1.)
    uint8_t bv_skip = 0;
    if ((rfbm & 1) && x87_initial(in)) bv_skip |= 1;
    if ((rfbm & 2) && sse_initial(in)) bv_skip |= 2;
    if (bv_skip) u.skip_mem(a + 512, 1, bv_skip);
    if (rfbm & 1) fxsave_x87_skips(d, in, u);
    if (rfbm & 2) u.skip_mem(a + 30, 1, 0x02);  // MXCSR_MASK bit 17 (AMD's MM), as for FXSAVE
    if (d.op != Op::XSAVEOPT) return;
    // XSAVEOPT may skip a component in RFBM: one not in use (XINUSE[i] = 0,
    // the init optimization) and one not modified since the XRSTOR that
    // last loaded it from this same area (the modified optimization, SDM
    // 13.9; the host's kernel XRSTORs its own buffers, but which ones the
    // CPU tracks is its business). Petrel's XSAVEOPT is XSAVE, which the SDM
    // allows. So a region of a requested component that the host left as
    // it was (the input bytes are random, a written one almost surely
    // differs) is not compared; one the host wrote must agree.
    auto unchanged = [&](unsigned from, unsigned to) {
        for (unsigned i = from; i < to; ++i) {
            const uint64_t x = a + i;
            if (x < kDataLo || x >= kDataLo + kDataSize) continue;
            if (in_data[x - kDataLo] != native_data[x - kDataLo]) return false;
        }
        return true;
    };
    if ((rfbm & 1) && unchanged(0, 24) && unchanged(32, 160)) {
        u.skip_mem(a, 24);
        u.skip_mem(a + 32, 128);
    }
    if ((rfbm & 2) && unchanged(24, 32)) u.skip_mem(a + 24, 8);
    if ((rfbm & 2) && unchanged(160, 416)) u.skip_mem(a + 160, 256);
}

}  // namespace

void undefined_after(const DecodedInsn& d, const State& in, const State& native, const uint8_t* in_data,
                     const uint8_t* native_data, Undefined& u) {
    if (d.op == Op::XSAVE || d.op == Op::XSAVEOPT) {
        xsave_after(d, in, in_data, native_data, u);
        return;
    }
    if (d.op < Op::FLD || d.op > Op::FXRSTOR) return;
    uint16_t fcw, fsw_in, fsw_out;
    memcpy(&fcw, in.fx, 2);
    memcpy(&fsw_in, in.fx + 2, 2);
    memcpy(&fsw_out, native.fx + 2, 2);
    // Exceptions this instruction raised with their mask clear.
    const unsigned raised = fsw_out & ~fsw_in & ~fcw & 0x3f;
    if (!raised) return;
    switch (d.op) {
        // An unmasked invalid operation or denormal operand in a compare: the
        // SDM leaves the condition codes (FCOMI: the flags) unset, AMD sets
        // them (invalid: "unordered"; denormal: the compare's result).
        case Op::FCOM: case Op::FCOMP: case Op::FCOMPP: case Op::FUCOM: case Op::FUCOMP: case Op::FUCOMPP:
        case Op::FICOM: case Op::FICOMP: case Op::FTST:
        case Op::FCOMI: case Op::FCOMIP: case Op::FUCOMI: case Op::FUCOMIP:
            if (raised & 3) {
                u.fsw |= 0x4700;
                u.flags |= ZF | PF | CF | OF | SF | AF;
            }
            break;
        // A denormal single or double loaded with DE unmasked: the SDM
        // leaves TOP and the registers alone, AMD loads the value.
        case Op::FLD:
            if ((raised & 2) && d.ops[0].kind == OpKind::Mem && d.ops[0].size != 10) u.result = true;
            break;
        // An unmasked overflow or underflow of FSCALE: the SDM stores the
        // result with its exponent biased by 24576, AMD the masked response
        // (infinity, zero) with PE.
        case Op::FSCALE:
            if (raised & 0x18) u.result = true;
            break;
        default: break;
    }
}

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
            if (c > width) {
                u.flags = CF | OF | SF | ZF | AF | PF;
                u.result = true;
            }
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
    if (d.op >= Op::FLD && d.op <= Op::FXRSTOR) x87_undefined(d, in, u);
    return u;
}

}  // namespace petrel::difftest
