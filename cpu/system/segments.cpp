// Segment register loads (MOV Sreg, POP Sreg, LDS/LES/LFS/LGS/LSS) in every
// mode. Far transfers load CS themselves (far_transfer.cpp) since their
// checks depend on the kind of transfer.
//
// Hidden-cache conventions: a null selector in DS/ES/FS/GS (and SS in 64-bit
// mode) leaves the register unusable, which the cache records as P = 0 with
// base 0 (Intel clears the base of a null load, also FS/GS in 64-bit mode).
// Real and V86 loads change only selector and base (and, in V86, force the
// fixed 64 KiB DPL 3 attributes), which is what gives "big real mode".
#include "cpu/system/descriptors.h"

namespace petrel {

void Cpu::load_segment_real(unsigned seg, uint16_t selector) {
    Segment& sg = s.seg[seg];
    sg.selector = selector;
    sg.base = static_cast<uint64_t>(selector) << 4;
    if (v86_mode()) {
        sg.limit = 0xffff;
        sg.attr = seg == CS ? 0xfb : 0xf3;  // DPL 3 in V86
    }
    if (seg == SS) s.interrupt_shadow = s.ss_debug_shadow = true;
}

void Cpu::load_segment(unsigned seg, uint16_t selector) {
    if (!protected_mode() || v86_mode()) {
        load_segment_real(seg, selector);
        return;
    }
    const unsigned rpl = selector & 3;
    const uint32_t err = sel_error(selector);
    if (seg == CS) {
        // Not reachable from guest code (MOV CS is #UD at decode; far
        // transfers have their own checks): loaders use it to enter a mode.
        // A present code segment, CPL = RPL.
        Descriptor cd;
        if (is_null_selector(selector) || !read_descriptor(*this, selector, cd) || !cd.is_code())
            raise(kVecGP, err);
        if (!cd.present()) raise(kVecNP, err);
        set_accessed(*this, selector, cd);
        load_cs(*this, selector, cd, rpl);
        return;
    }

    if (is_null_selector(selector)) {
        if (seg == SS) {
            // 64-bit mode allows a null SS below CPL 3 when RPL = CPL.
            if (code_mode() != CodeMode::Bits64 || s.cpl == 3 || rpl != s.cpl) raise(kVecGP, 0);
            Segment nul = null_segment(selector);
            nul.attr = static_cast<uint16_t>(s.cpl << 5);  // keeps SS.DPL = CPL
            s.seg[SS] = nul;
            s.interrupt_shadow = s.ss_debug_shadow = true;
            return;
        }
        s.seg[seg] = null_segment(selector);
        return;
    }

    Descriptor d;
    if (!read_descriptor(*this, selector, d)) raise(kVecGP, err);
    if (seg == SS) {
        if (rpl != s.cpl || !d.writable_data() || d.dpl() != s.cpl) raise(kVecGP, err);
        if (!d.present()) raise(kVecSS, err);
    } else {
        if (!d.s() || !d.readable()) raise(kVecGP, err);
        if (!d.conforming() && (rpl > d.dpl() || s.cpl > d.dpl())) raise(kVecGP, err);
        if (!d.present()) raise(kVecNP, err);
    }
    set_accessed(*this, selector, d);
    s.seg[seg] = segment_from(d, selector);
    // MOV SS / POP SS shadow (LSS too; harmless): no interrupt, and no #DB
    // trap, between the SS load and the next instruction (the RSP load).
    if (seg == SS) s.interrupt_shadow = s.ss_debug_shadow = true;
}

}  // namespace petrel
