// SSE state control: LDMXCSR/STMXCSR and FXSAVE/FXRSTOR. The FXSAVE image
// is built by cpu/system/fxsave_area.h, shared with XSAVE, so both store
// the same bytes.
#include "cpu/interp/sse_common.h"
#include "cpu/system/fxsave_area.h"

namespace petrel {

namespace {

constexpr unsigned kFxAreaSize = 512;

void op_ldmxcsr(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    const uint32_t v = static_cast<uint32_t>(read_operand(cpu, d, 0));
    if (v & ~kMxcsrMask) cpu.raise(kVecGP, 0);
    cpu.s.mxcsr = v;  // flags set under new unmasks are not reported until an SSE instruction raises one
}

void op_stmxcsr(Cpu& cpu, const DecodedInsn& d) {
    sse_available(cpu);
    write_operand(cpu, d, 0, cpu.s.mxcsr);
}

// The FXSAVE area: #NM when CR0.TS or CR0.EM, #GP(0) unless 16-byte aligned.
uint64_t fx_area(Cpu& cpu, const DecodedInsn& d, Access access) {
    if (cpu.s.cr0 & (kCR0_TS | kCR0_EM)) cpu.raise(kVecNM);
    const uint64_t lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), kFxAreaSize, access);
    if (lin & 15) cpu.raise(kVecGP, 0);
    return lin;
}

unsigned fx_xmm_count(const Cpu& cpu) { return cpu.code_mode() == CodeMode::Bits64 ? 16 : 8; }

// FXSAVE writes the x87 part, MXCSR and the XMM registers of the mode;
// the reserved and software-available bytes after them are left alone. The
// access is still all 512 bytes: a not-present or read-only page under the
// unwritten tail faults (as the host CPU does, tests/difftest), and so does
// FXRSTOR's read of it.
void op_fxsave(Cpu& cpu, const DecodedInsn& d) {
    const uint64_t lin = fx_area(cpu, d, Access::Write);
    const unsigned nxmm = fx_xmm_count(cpu), used = 160 + 16 * nxmm;
    uint8_t buf[kFxAreaSize] = {};
    fp_area_store_x87(cpu, buf, d.has(kPrefixRexW));
    fp_area_store_sse(cpu, buf, nxmm);
    const bool user = cpu.s.cpl == 3;
    cpu.probe_write(lin, kFxAreaSize, user);
    for (unsigned i = 0; i < used; i += 8) {
        uint64_t v;
        memcpy(&v, buf + i, 8);
        cpu.write_linear(lin + i, 8, v, user);
    }
}

void op_fxrstor(Cpu& cpu, const DecodedInsn& d) {
    const uint64_t lin = fx_area(cpu, d, Access::Read);
    const unsigned nxmm = fx_xmm_count(cpu);
    uint8_t buf[kFxAreaSize] = {};
    const bool user = cpu.s.cpl == 3;
    for (unsigned i = 0; i < kFxAreaSize; i += 8) {
        const uint64_t v = cpu.read_linear(lin + i, 8, user);
        memcpy(buf + i, &v, 8);
    }
    uint32_t mxcsr;
    memcpy(&mxcsr, buf + 24, 4);
    if (mxcsr & ~kMxcsrMask) cpu.raise(kVecGP, 0);
    fp_area_load_x87(cpu, buf, d.has(kPrefixRexW));
    fp_area_load_sse(cpu, buf, nxmm);
}

}  // namespace

void register_sse_control(HandlerTable& t) {
    t.set(Op::LDMXCSR, op_ldmxcsr);
    t.set(Op::STMXCSR, op_stmxcsr);
    t.set(Op::FXSAVE, op_fxsave);
    t.set(Op::FXRSTOR, op_fxrstor);
}

}  // namespace petrel
