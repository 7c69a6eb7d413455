// Model-specific registers.
#include "cpu/cpu.h"

namespace petrel {

bool Cpu::rdmsr(uint32_t index, uint64_t& value) {
    switch (index) {
        case 0xc0000080: value = s.efer; return true;
        case 0xc0000100: value = s.seg[FS].base; return true;
        case 0xc0000101: value = s.seg[GS].base; return true;
        case 0xc0000102: value = s.kernel_gs_base; return true;
        default: return false;
    }
}

bool Cpu::wrmsr(uint32_t index, uint64_t value) {
    switch (index) {
        case 0xc0000080:
            s.efer = (s.efer & kEFER_LMA) | (value & (kEFER_SCE | kEFER_LME | kEFER_NXE));
            update_mode();
            tlb_flush_all();
            return true;
        case 0xc0000100: s.seg[FS].base = value; return true;
        case 0xc0000101: s.seg[GS].base = value; return true;
        case 0xc0000102: s.kernel_gs_base = value; return true;
        default: return false;
    }
}

}  // namespace petrel
