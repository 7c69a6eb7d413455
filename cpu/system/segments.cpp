// Segment register loads in every mode.
#include "cpu/cpu.h"

namespace petrel {

void Cpu::load_segment_real(unsigned seg, uint16_t selector) {
    Segment& sg = s.seg[seg];
    sg.selector = selector;
    sg.base = static_cast<uint64_t>(selector) << 4;
    if (v86_mode()) {
        sg.limit = 0xffff;
        sg.attr = seg == CS ? 0xfb : 0xf3;  // DPL 3 in V86
    }
}

void Cpu::load_segment(unsigned seg, uint16_t selector) {
    if (!protected_mode() || v86_mode()) {
        load_segment_real(seg, selector);
        return;
    }
    // Minimal protected-mode load; full checks belong to cpu/system.
    if ((selector & ~3) == 0) {
        if (seg == SS && code_mode() != CodeMode::Bits64) raise(kVecGP, 0);
        s.seg[seg] = Segment{selector, 0, 0, 0};
        return;
    }
    const DescriptorTable& table = (selector & 4) ? DescriptorTable{s.ldtr.base, static_cast<uint16_t>(s.ldtr.limit)} : s.gdtr;
    uint32_t index = selector & ~7u;
    if (index + 7 > table.limit) raise(kVecGP, selector & ~3u);
    implicit_supervisor_access = true;
    uint64_t desc = read_linear(table.base + index, 8, false);
    implicit_supervisor_access = false;
    if (!(desc & (1ull << 47))) raise(seg == SS ? kVecSS : kVecNP, selector & ~3u);
    Segment& sg = s.seg[seg];
    sg.selector = selector;
    sg.attr = static_cast<uint16_t>(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
    uint32_t limit = static_cast<uint32_t>((desc & 0xffff) | ((desc >> 32) & 0xf0000));
    sg.limit = sg.g() ? (limit << 12) | 0xfff : limit;
    sg.base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);
}

}  // namespace petrel
