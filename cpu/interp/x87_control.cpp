// x87 control instructions: FNINIT, FNCLEX, FLDCW, FNSTCW, FNSTSW, FLDENV,
// FNSTENV, FRSTOR, FNSAVE, FINCSTP, FDECSTP, FFREE, FFREEP, FNOP, FWAIT.
// They do not update FIP/FDP/FOP. The FN- forms do not wait (no pending
// #MF check); the rest do.
//
// The environment image (SDM vol. 1 8.1.10, figs. 8-9 to 8-12) has four
// layouts: 14 bytes (16-bit operand size) or 28 bytes (32-bit; 64-bit mode
// uses it too), each in a protected-mode form (FIP/FDP offsets and FCS/FDS
// selectors) and a real-mode form (20-bit linear FIP/FDP split around FOP),
// the latter in real and virtual-8086 mode. Reserved upper halves of the
// 32-bit fields are stored as ones.
#include <cstring>

#include "cpu/interp/x87_common.h"

namespace petrel {

namespace {

constexpr unsigned kRegsSize = 80;  // FNSAVE/FRSTOR: eight 10-byte registers after the environment

// A waiting control instruction: #NM, pending #MF.
void x87_control_wait(Cpu& cpu) {
    x87_available(cpu);
    x87_check_pending(cpu);
}

// FCW as loaded by FLDCW/FLDENV/FRSTOR: the reserved bits as the hardware
// keeps them (bits 13-15 and 7 clear, bit 6 set).
uint16_t loaded_fcw(uint64_t v) { return static_cast<uint16_t>((v & 0x1f3f) | 0x40); }

void fninit_state(Cpu& cpu) {
    X87State& x = cpu.s.x87;
    x.fcw = 0x037f;
    x.fsw = 0;
    x.ftw = 0xffff;
    x.fop = 0;
    x.fip = x.fdp = 0;
    x.fcs = x.fds = 0;
}

// The full tag word as FNSTENV/FNSAVE store it: empty as recorded, the
// other tags from the register contents.
uint16_t stored_tags(const Cpu& cpu) {
    uint16_t t = 0;
    for (unsigned p = 0; p < 8; ++p) {
        const unsigned tag = x87_tag(cpu, p) == kTagEmpty ? kTagEmpty : x87_tag_of(cpu.s.x87.st[p]);
        t = static_cast<uint16_t>(t | (tag << (2 * p)));
    }
    return t;
}

bool real_layout(const Cpu& cpu) { return !cpu.protected_mode() || cpu.v86_mode(); }

void put(uint8_t* p, uint64_t v, unsigned n) { memcpy(p, &v, n); }
uint64_t get(const uint8_t* p, unsigned n) {
    uint64_t v = 0;
    memcpy(&v, p, n);
    return v;
}

// Builds the environment image; returns its size (14 or 28).
unsigned store_env(const Cpu& cpu, unsigned size, uint8_t* b) {
    const X87State& x = cpu.s.x87;
    const uint16_t words[3] = {x.fcw, x.fsw, stored_tags(cpu)};
    const bool wide = size >= 28;
    const unsigned step = wide ? 4 : 2;
    for (unsigned i = 0; i < 3; ++i) put(b + i * step, words[i] | (wide ? 0xffff0000u : 0), step);
    uint8_t* p = b + 3 * step;
    if (real_layout(cpu)) {
        // The real-mode image holds 20-bit (or 32-bit) linear pointers.
        const uint32_t ip = static_cast<uint32_t>(x.fip + (uint32_t{x.fcs} << 4));
        const uint32_t dp = static_cast<uint32_t>(x.fdp + (uint32_t{x.fds} << 4));
        if (wide) {
            put(p + 0, (ip & 0xffff) | 0xffff0000u, 4);
            put(p + 4, ((ip >> 16) << 12) | (x.fop & 0x7ff), 4);
            put(p + 8, (dp & 0xffff) | 0xffff0000u, 4);
            put(p + 12, (dp >> 16) << 12, 4);
        } else {
            put(p + 0, ip & 0xffff, 2);
            put(p + 2, (((ip >> 16) & 0xf) << 12) | (x.fop & 0x7ff), 2);
            put(p + 4, dp & 0xffff, 2);
            put(p + 6, ((dp >> 16) & 0xf) << 12, 2);
        }
    } else if (wide) {
        put(p + 0, x.fip & 0xffffffff, 4);
        put(p + 4, x.fcs | (uint32_t{x.fop & 0x7ffu} << 16), 4);
        put(p + 8, x.fdp & 0xffffffff, 4);
        put(p + 12, x.fds | 0xffff0000u, 4);
    } else {
        put(p + 0, x.fip & 0xffff, 2);
        put(p + 2, x.fcs, 2);
        put(p + 4, x.fdp & 0xffff, 2);
        put(p + 6, x.fds, 2);
    }
    return wide ? 28 : 14;
}

void load_env(Cpu& cpu, unsigned size, const uint8_t* b) {
    X87State& x = cpu.s.x87;
    const bool wide = size >= 28;
    const unsigned step = wide ? 4 : 2;
    x.fcw = loaded_fcw(get(b, 2));
    x.fsw = static_cast<uint16_t>(get(b + step, 2));
    const uint16_t tags = static_cast<uint16_t>(get(b + 2 * step, 2));
    const uint8_t* p = b + 3 * step;
    if (real_layout(cpu)) {
        if (wide) {
            x.fip = (get(p, 2)) | ((get(p + 4, 4) >> 12 & 0xffff) << 16);
            x.fop = static_cast<uint16_t>(get(p + 4, 2) & 0x7ff);
            x.fdp = (get(p + 8, 2)) | ((get(p + 12, 4) >> 12 & 0xffff) << 16);
        } else {
            x.fip = get(p, 2) | ((get(p + 2, 2) >> 12) << 16);
            x.fop = static_cast<uint16_t>(get(p + 2, 2) & 0x7ff);
            x.fdp = get(p + 4, 2) | ((get(p + 6, 2) >> 12) << 16);
        }
        x.fcs = x.fds = 0;
    } else if (wide) {
        x.fip = get(p, 4);
        x.fcs = static_cast<uint16_t>(get(p + 4, 2));
        x.fop = static_cast<uint16_t>(get(p + 6, 2) & 0x7ff);
        x.fdp = get(p + 8, 4);
        x.fds = static_cast<uint16_t>(get(p + 12, 2));
    } else {
        x.fip = get(p, 2);
        x.fcs = static_cast<uint16_t>(get(p + 2, 2));
        x.fdp = get(p + 4, 2);
        x.fds = static_cast<uint16_t>(get(p + 6, 2));
    }
    // Empty tags are taken as stored; the others follow the contents.
    uint16_t ftw = 0;
    for (unsigned reg = 0; reg < 8; ++reg) {
        const unsigned tag = ((tags >> (2 * reg)) & 3) == kTagEmpty ? kTagEmpty : x87_tag_of(x.st[reg]);
        ftw = static_cast<uint16_t>(ftw | (tag << (2 * reg)));
    }
    x.ftw = ftw;
    x87_update_es(cpu);
}

// Reads / writes n bytes at the memory operand; writes check the whole
// range first so a fault leaves memory untouched.
void read_area(Cpu& cpu, const DecodedInsn& d, uint8_t* b, unsigned n) {
    const uint64_t lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), n, Access::Read);
    const bool user = cpu.s.cpl == 3;
    for (unsigned i = 0; i < n; i += 2) put(b + i, cpu.read_linear(lin + i, 2, user), 2);
}
void write_area(Cpu& cpu, const DecodedInsn& d, const uint8_t* b, unsigned n) {
    const uint64_t lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), n, Access::Write);
    const bool user = cpu.s.cpl == 3;
    cpu.probe_write(lin, n, user);
    for (unsigned i = 0; i < n; i += 2) cpu.write_linear(lin + i, 2, get(b + i, 2), user);
}

void op_fninit(Cpu& cpu, const DecodedInsn&) {
    x87_available(cpu);
    fninit_state(cpu);
}

// FNCLEX: the exception flags, SF, ES and B.
void op_fnclex(Cpu& cpu, const DecodedInsn&) {
    x87_available(cpu);
    cpu.s.x87.fsw &= static_cast<uint16_t>(~(0x3f | kFswSF | kFswES | kFswB));
}

// FLDCW: a flag left unmasked-and-set becomes pending (ES) for the next
// waiting instruction.
void op_fldcw(Cpu& cpu, const DecodedInsn& d) {
    x87_control_wait(cpu);
    const uint16_t v = static_cast<uint16_t>(read_operand(cpu, d, 0));
    cpu.s.x87.fcw = loaded_fcw(v);
    x87_update_es(cpu);
}

void op_fnstcw(Cpu& cpu, const DecodedInsn& d) {
    x87_available(cpu);
    write_operand(cpu, d, 0, cpu.s.x87.fcw);
}

void op_fnstsw(Cpu& cpu, const DecodedInsn& d) {
    x87_available(cpu);
    write_operand(cpu, d, 0, cpu.s.x87.fsw);
}

void op_fnstenv(Cpu& cpu, const DecodedInsn& d) {
    x87_available(cpu);
    uint8_t b[28];
    const unsigned n = store_env(cpu, d.ops[0].size, b);
    write_area(cpu, d, b, n);
    cpu.s.x87.fcw |= 0x3f;  // every exception masked afterwards
    x87_update_es(cpu);     // so none is pending any more: ES and B clear
}

void op_fldenv(Cpu& cpu, const DecodedInsn& d) {
    x87_control_wait(cpu);
    uint8_t b[28];
    const unsigned n = d.ops[0].size >= 28 ? 28 : 14;
    read_area(cpu, d, b, n);
    load_env(cpu, n, b);
}

// FNSAVE: the environment, then ST(0)..ST(7) as 80-bit values; then FNINIT.
void op_fnsave(Cpu& cpu, const DecodedInsn& d) {
    x87_available(cpu);
    uint8_t b[28 + kRegsSize];
    const unsigned n = store_env(cpu, d.ops[0].size >= 108 ? 28 : 14, b);
    for (unsigned i = 0; i < 8; ++i) {
        const Float80& f = st(cpu, i);
        put(b + n + 10 * i, f.significand, 8);
        put(b + n + 10 * i + 8, f.sign_exp, 2);
    }
    write_area(cpu, d, b, n + kRegsSize);
    fninit_state(cpu);
}

void op_frstor(Cpu& cpu, const DecodedInsn& d) {
    x87_control_wait(cpu);
    uint8_t b[28 + kRegsSize];
    const unsigned n = d.ops[0].size >= 108 ? 28 : 14;
    read_area(cpu, d, b, n + kRegsSize);
    // The registers are ST(i) relative to the TOP the image holds.
    const unsigned top = (get(b + (n == 28 ? 4 : 2), 2) >> 11) & 7;
    for (unsigned i = 0; i < 8; ++i) {
        Float80& f = cpu.s.x87.st[(top + i) & 7];
        f.significand = get(b + n + 10 * i, 8);
        f.sign_exp = static_cast<uint16_t>(get(b + n + 10 * i + 8, 2));
    }
    load_env(cpu, n, b);
}

template <int kDelta>
void op_fstp_adjust(Cpu& cpu, const DecodedInsn&) {
    x87_control_wait(cpu);
    x87_set_top(cpu, x87_top(cpu) + kDelta);
    set_c1(cpu, false);
}

template <bool kPop>
void op_ffree(Cpu& cpu, const DecodedInsn& d) {
    x87_control_wait(cpu);
    x87_set_tag(cpu, x87_phys(cpu, d.ops[0].reg), kTagEmpty);
    set_c1(cpu, false);  // as the host CPU does (the SDM leaves C1 undefined)
    if (kPop) x87_pop(cpu);
}

// FNOP (D9 D0) waits; DB E0, E1, E4 (the 8087's FNENI and FNDISI, the
// 287's FNSETPM, no-ops since) do not: no pending #MF, as on the host CPU.
void op_fnop(Cpu& cpu, const DecodedInsn& d) {
    if (d.opcode == 0xdb) x87_available(cpu);
    else x87_control_wait(cpu);
}

// WAIT/FWAIT: #NM only when both CR0.MP and CR0.TS are set.
void op_fwait(Cpu& cpu, const DecodedInsn&) {
    if ((cpu.s.cr0 & (kCR0_MP | kCR0_TS)) == (kCR0_MP | kCR0_TS)) cpu.raise(kVecNM);
    x87_check_pending(cpu);
}

}  // namespace

void register_x87_control(HandlerTable& t) {
    t.set(Op::FNINIT, op_fninit);
    t.set(Op::FNCLEX, op_fnclex);
    t.set(Op::FLDCW, op_fldcw);
    t.set(Op::FNSTCW, op_fnstcw);
    t.set(Op::FNSTSW, op_fnstsw);
    t.set(Op::FNSTENV, op_fnstenv);
    t.set(Op::FLDENV, op_fldenv);
    t.set(Op::FNSAVE, op_fnsave);
    t.set(Op::FRSTOR, op_frstor);
    t.set(Op::FINCSTP, op_fstp_adjust<1>);
    t.set(Op::FDECSTP, op_fstp_adjust<-1>);
    t.set(Op::FFREE, op_ffree<false>);
    t.set(Op::FFREEP, op_ffree<true>);
    t.set(Op::FNOP, op_fnop);
    t.set(Op::FWAIT, op_fwait);
}

}  // namespace petrel
