// Descriptor-table reads and writes, segment caches built from descriptors,
// TSS stack fields, and frames pushed on a stack other than the current one.
#include "cpu/system/descriptors.h"

namespace petrel {

namespace {
// Base and limit of the table a selector indexes; false for an LDT selector
// while LDTR is null.
bool table_of(Cpu& cpu, uint16_t sel, uint64_t& base, uint32_t& limit) {
    if (sel & 4) {
        if (is_null_selector(cpu.s.ldtr.selector) || !cpu.s.ldtr.present()) return false;
        base = cpu.s.ldtr.base;
        limit = cpu.s.ldtr.limit;
    } else {
        base = cpu.s.gdtr.base;
        limit = cpu.s.gdtr.limit;
    }
    return true;
}
}  // namespace

bool read_descriptor(Cpu& cpu, uint16_t sel, Descriptor& out) {
    uint64_t base;
    uint32_t limit;
    if (!table_of(cpu, sel, base, limit)) return false;
    uint32_t index = sel & ~7u;
    if (index + 7ull > limit) return false;
    ImplicitAccess implicit(cpu);
    out.lo = cpu.read_linear(table_linear(cpu, base + index), 8, false);
    out.hi = 0;
    return true;
}

bool read_descriptor16(Cpu& cpu, uint16_t sel, Descriptor& out) {
    uint64_t base;
    uint32_t limit;
    if (!table_of(cpu, sel, base, limit)) return false;
    uint32_t index = sel & ~7u;
    if (index + 15ull > limit) return false;
    ImplicitAccess implicit(cpu);
    out.lo = cpu.read_linear(table_linear(cpu, base + index), 8, false);
    out.hi = cpu.read_linear(table_linear(cpu, base + index + 8), 8, false);
    return true;
}

void set_accessed(Cpu& cpu, uint16_t sel, Descriptor& d) {
    if (d.lo & (1ull << 40)) return;
    d.lo |= 1ull << 40;
    uint64_t base;
    uint32_t limit;
    if (!table_of(cpu, sel, base, limit)) return;
    ImplicitAccess implicit(cpu);
    cpu.write_linear(table_linear(cpu, base + (sel & ~7u) + 5), 1, (d.lo >> 40) & 0xff, false);
}

void set_tss_busy(Cpu& cpu, uint16_t sel, bool busy) {
    uint64_t lin = table_linear(cpu, cpu.s.gdtr.base + (sel & ~7u) + 5);
    ImplicitAccess implicit(cpu);
    uint64_t b = cpu.read_linear(lin, 1, false);
    b = busy ? (b | 2) : (b & ~2ull);
    cpu.write_linear(lin, 1, b, false);
}

Segment segment_from(const Descriptor& d, uint16_t sel) {
    Segment sg;
    sg.selector = sel;
    sg.attr = d.attr();
    sg.limit = d.limit();
    sg.base = d.base();
    return sg;
}

Segment null_segment(uint16_t sel) {
    Segment sg;
    sg.selector = sel;
    return sg;
}

void load_cs(Cpu& cpu, uint16_t sel, const Descriptor& d, unsigned cpl) {
    cpu.s.seg[CS] = segment_from(d, static_cast<uint16_t>((sel & ~3u) | cpl));
    cpu.s.cpl = static_cast<uint8_t>(cpl);
}

void tss_stack(Cpu& cpu, unsigned dpl, bool ext, uint16_t& ss, uint64_t& sp) {
    const Segment& tr = cpu.s.tr;
    uint32_t err = sel_error(tr.selector, ext);
    ImplicitAccess implicit(cpu);
    if (cpu.long_mode()) {
        uint32_t off = 4 + dpl * 8;
        if (off + 7 > tr.limit) cpu.raise(kVecTS, err);
        sp = cpu.read_linear(tr.base + off, 8, false);
        ss = 0;
        return;
    }
    if ((tr.type() & 7) == kTss16Avail) {
        uint32_t off = 2 + dpl * 4;
        if (off + 3 > tr.limit) cpu.raise(kVecTS, err);
        sp = cpu.read_linear((tr.base + off) & 0xffffffff, 2, false);
        ss = static_cast<uint16_t>(cpu.read_linear((tr.base + off + 2) & 0xffffffff, 2, false));
        return;
    }
    uint32_t off = 4 + dpl * 8;
    if (off + 5 > tr.limit) cpu.raise(kVecTS, err);
    sp = cpu.read_linear((tr.base + off) & 0xffffffff, 4, false);
    ss = static_cast<uint16_t>(cpu.read_linear((tr.base + off + 4) & 0xffffffff, 2, false));
}

uint64_t tss_ist(Cpu& cpu, unsigned ist, bool ext) {
    const Segment& tr = cpu.s.tr;
    uint32_t off = 0x24 + (ist - 1) * 8;
    if (off + 7 > tr.limit) cpu.raise(kVecTS, sel_error(tr.selector, ext));
    ImplicitAccess implicit(cpu);
    return cpu.read_linear(tr.base + off, 8, false);
}

Descriptor check_stack_segment(Cpu& cpu, uint16_t ss, unsigned cpl, uint8_t vector, bool ext) {
    if (is_null_selector(ss)) cpu.raise(vector, ext ? 1 : 0);
    Descriptor d;
    if (!read_descriptor(cpu, ss, d)) cpu.raise(vector, sel_error(ss, ext));
    if ((ss & 3) != cpl || !d.writable_data() || d.dpl() != cpl) cpu.raise(vector, sel_error(ss, ext));
    if (!d.present()) cpu.raise(kVecSS, sel_error(ss, ext));
    return d;
}

void invalidate_segments_for_cpl(Cpu& cpu) {
    for (unsigned r : {ES, DS, FS, GS}) {
        Segment& sg = cpu.s.seg[r];
        bool data_or_nonconforming = !sg.is_code() || !(sg.type() & 4);
        // Null selectors stay as they are (in 64-bit mode FS/GS keep their base).
        if (is_null_selector(sg.selector) && !sg.present()) continue;
        if (data_or_nonconforming && sg.dpl() < cpu.s.cpl) sg = null_segment(0);
    }
}

StackFrame::StackFrame(Cpu& cpu, const Segment& ss, uint64_t sp, unsigned addr_size, bool user, uint32_t fault_error)
    : cpu_(cpu), ss_(ss), sp_(sp), addr_size_(addr_size), user_(user), fault_error_(fault_error) {}

void StackFrame::push(uint64_t value, unsigned size) {
    uint64_t mask = addr_size_ == 8 ? ~0ull : addr_size_ == 4 ? 0xffffffffull : 0xffffull;
    uint64_t sp = (sp_ - size) & mask;
    uint64_t lin;
    if (addr_size_ == 8 || (cpu_.long_mode() && ss_.l())) {
        lin = sp;
        if (!is_canonical(lin) || !is_canonical(lin + size - 1)) cpu_.raise(kVecSS, fault_error_);
    } else {
        uint64_t last = sp + size - 1;
        bool expand_down = !ss_.is_code() && (ss_.type() & 4);
        if (expand_down) {
            uint64_t top = ss_.db() ? 0xffffffffull : 0xffffull;
            if (sp <= ss_.limit || last > top) cpu_.raise(kVecSS, fault_error_);
        } else if (last > ss_.limit) {
            cpu_.raise(kVecSS, fault_error_);
        }
        lin = (ss_.base + sp) & 0xffffffffull;
    }
    cpu_.write_linear(lin, size, value, user_);
    sp_ = sp;
}

uint64_t stack_read(Cpu& cpu, uint64_t sp, unsigned size) {
    unsigned as = cpu.stack_addr_size();
    uint64_t mask = as == 8 ? ~0ull : as == 4 ? 0xffffffffull : 0xffffull;
    return cpu.read_mem(SS, sp & mask, size);
}

}  // namespace petrel
