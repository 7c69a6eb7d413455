// The x87 register stack and status: TOP and the tag word, ST(i) access,
// push/pop with stack-fault rules, the status word's flags and condition
// codes, the soft-float environment from FCW, and exception reporting
// (ES/B, #MF at the next waiting instruction or FERR# when CR0.NE = 0).
//
// Invariants:
// - ftw is the full tag word, two bits per physical register; 3 = empty.
//   A register written through the stack gets the tag its value implies.
// - An unmasked exception sets FSW.ES and B; it is reported (#MF) by the
//   next waiting x87 or MMX instruction, not by the one that raised it.
#pragma once
#include "cpu/cpu.h"
#include "cpu/fpu/softfloat.h"

namespace petrel {

// FSW bits.
enum : uint16_t {
    kFswIE = 1 << 0, kFswDE = 1 << 1, kFswZE = 1 << 2, kFswOE = 1 << 3, kFswUE = 1 << 4, kFswPE = 1 << 5,
    kFswSF = 1 << 6, kFswES = 1 << 7, kFswC0 = 1 << 8, kFswC1 = 1 << 9, kFswC2 = 1 << 10,
    kFswTop = 7 << 11, kFswC3 = 1 << 14, kFswB = 1 << 15,
    kFswCC = kFswC0 | kFswC1 | kFswC2 | kFswC3,
};
// Tags.
enum : unsigned { kTagValid = 0, kTagZero = 1, kTagSpecial = 2, kTagEmpty = 3 };

inline unsigned x87_top(const Cpu& cpu) { return (cpu.s.x87.fsw >> 11) & 7; }
inline void x87_set_top(Cpu& cpu, unsigned top) {
    cpu.s.x87.fsw = static_cast<uint16_t>((cpu.s.x87.fsw & ~kFswTop) | ((top & 7) << 11));
}
inline unsigned x87_phys(const Cpu& cpu, unsigned i) { return (x87_top(cpu) + i) & 7; }
inline unsigned x87_tag(const Cpu& cpu, unsigned phys) { return (cpu.s.x87.ftw >> (2 * phys)) & 3; }
inline void x87_set_tag(Cpu& cpu, unsigned phys, unsigned tag) {
    cpu.s.x87.ftw = static_cast<uint16_t>((cpu.s.x87.ftw & ~(3u << (2 * phys))) | (tag << (2 * phys)));
}

// The tag a value implies: valid, zero or special (NaN, infinity,
// denormal, unsupported).
inline unsigned x87_tag_of(const Float80& f) {
    const unsigned exp = f.sign_exp & 0x7fff;
    if (exp == 0x7fff) return kTagSpecial;
    if (exp == 0) return f.significand == 0 ? kTagZero : kTagSpecial;
    return (f.significand >> 63) ? kTagValid : kTagSpecial;
}

inline bool st_empty(const Cpu& cpu, unsigned i) { return x87_tag(cpu, x87_phys(cpu, i)) == kTagEmpty; }
inline Float80& st(Cpu& cpu, unsigned i) { return cpu.s.x87.st[x87_phys(cpu, i)]; }
inline void st_write(Cpu& cpu, unsigned i, const Float80& v) {
    const unsigned p = x87_phys(cpu, i);
    cpu.s.x87.st[p] = v;
    x87_set_tag(cpu, p, x87_tag_of(v));
}
// Marks ST(0) empty and increments TOP.
inline void x87_pop(Cpu& cpu) {
    x87_set_tag(cpu, x87_phys(cpu, 0), kTagEmpty);
    x87_set_top(cpu, x87_top(cpu) + 1);
}
// Decrements TOP and writes the new ST(0) (the caller checked for overflow).
inline void x87_push(Cpu& cpu, const Float80& v) {
    x87_set_top(cpu, x87_top(cpu) - 1);
    st_write(cpu, 0, v);
}

inline void set_cc(Cpu& cpu, bool c0, bool c1, bool c2, bool c3) {
    uint16_t& fsw = cpu.s.x87.fsw;
    fsw = static_cast<uint16_t>((fsw & ~kFswCC) | (c0 ? kFswC0 : 0) | (c1 ? kFswC1 : 0) | (c2 ? kFswC2 : 0) |
                                (c3 ? kFswC3 : 0));
}
inline void set_c1(Cpu& cpu, bool c1) {
    cpu.s.x87.fsw = static_cast<uint16_t>((cpu.s.x87.fsw & ~kFswC1) | (c1 ? kFswC1 : 0));
}

// ---- availability and pending exceptions

// ESC instructions: CR0.EM or CR0.TS is #NM.
inline void x87_available(Cpu& cpu) {
    if (cpu.s.cr0 & (kCR0_EM | kCR0_TS)) cpu.raise(kVecNM);
}

// A waiting instruction with an unmasked exception pending: #MF when
// CR0.NE = 1; otherwise the PC way, FERR# (IRQ 13 through the machine's
// hook) and the instruction goes on as if IGNNE# were asserted.
inline void x87_check_pending(Cpu& cpu) {
    if (!(cpu.s.x87.fsw & kFswES)) return;
    if (cpu.s.cr0 & kCR0_NE) cpu.raise(kVecMF);
    if (cpu.on_ferr) cpu.on_ferr();
}

// ---- soft-float environment and exception reporting

inline fp::Env x87_env(const Cpu& cpu) {
    const uint16_t fcw = cpu.s.x87.fcw;
    fp::Env e;
    e.round = static_cast<fp::Round>((fcw >> 10) & 3);
    const unsigned pc = (fcw >> 8) & 3;
    e.precision = pc == 0 ? 24 : pc == 2 ? 53 : 64;  // 01 is reserved: the hardware rounds to 64
    e.masked = static_cast<uint8_t>(fcw & 0x3f);
    return e;
}

// Recomputes ES and B from the flags and masks.
inline void x87_update_es(Cpu& cpu) {
    X87State& x = cpu.s.x87;
    if (x.fsw & ~x.fcw & 0x3f) x.fsw |= kFswES | kFswB;
    else x.fsw &= static_cast<uint16_t>(~(kFswES | kFswB));
}

// Merges raised flags into FSW. Returns false when an unmasked invalid,
// denormal or divide-by-zero exception means no result may be stored: the
// operation stops before its result, so only those (pre-computation) flags
// are recorded, no PE/UE/OE of a result never delivered, and C1 (the
// round-up indication) is cleared, as the host CPU does.
inline bool x87_report(Cpu& cpu, uint8_t flags) {
    X87State& x = cpu.s.x87;
    constexpr uint8_t kPre = fp::kInvalid | fp::kDenormal | fp::kDivByZero;
    if (flags & ~x.fcw & kPre) {
        x.fsw |= static_cast<uint16_t>((flags & kPre) | kFswES | kFswB);
        set_c1(cpu, false);
        return false;
    }
    x.fsw |= flags;
    if (flags & ~x.fcw & 0x3f) x.fsw |= kFswES | kFswB;
    return true;
}

// Stack fault (IE with SF; C1 = 1 for overflow, 0 for underflow). Returns
// whether the exception is masked (then the caller stores the indefinite).
inline bool x87_stack_fault(Cpu& cpu, bool overflow) {
    cpu.s.x87.fsw |= kFswIE | kFswSF;
    set_c1(cpu, overflow);
    if (!(cpu.s.x87.fcw & kFswIE)) {
        cpu.s.x87.fsw |= kFswES | kFswB;
        return false;
    }
    return true;
}

}  // namespace petrel
