// Control registers and the mode they select.
#include "cpu/cpu.h"

namespace petrel {

uint64_t Cpu::read_cr(unsigned n) {
    switch (n) {
        case 0: return s.cr0;
        case 2: return s.cr2;
        case 3: return s.cr3;
        case 4: return s.cr4;
        case 8: return intc ? intc->tpr() : 0;
        default: raise(kVecUD);
    }
}

void Cpu::write_cr(unsigned n, uint64_t value) {
    switch (n) {
        case 0: {
            uint64_t old = s.cr0;
            s.cr0 = (value & 0xe005003f) | kCR0_ET;
            if ((old ^ s.cr0) & (kCR0_PG | kCR0_WP | kCR0_PE)) tlb_flush_all();
            update_mode();
            break;
        }
        case 2: s.cr2 = value; break;
        case 3:
            s.cr3 = value;
            tlb_flush_nonglobal();
            break;
        case 4:
            s.cr4 = value;
            tlb_flush_all();
            break;
        case 8:
            if (intc) intc->set_tpr(value & 0xf);
            break;
        default: raise(kVecUD);
    }
}

void Cpu::update_mode() {
    // IA-32e mode is active when paging is on with EFER.LME set.
    if ((s.cr0 & kCR0_PG) && (s.efer & kEFER_LME)) s.efer |= kEFER_LMA;
    else s.efer &= ~kEFER_LMA;
}

uint64_t Cpu::read_tsc() {
    return (tsc_source ? tsc_source() : icount) + s.tsc_offset;
}

bool Cpu::io_permitted(uint16_t, unsigned) {
    if (!protected_mode()) return true;
    unsigned iopl = (s.rflags >> 12) & 3;
    return !v86_mode() && s.cpl <= iopl;
}

}  // namespace petrel
