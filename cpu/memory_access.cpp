// Segmented and linear memory access: limit/type/canonical checks, alignment
// check (#AC), the slow paths behind the inline soft-TLB hits in cpu.h (where
// data breakpoints are checked: the TLB keeps watched pages off the fast
// path), the stack and port I/O.
#include <cstring>

#include "cpu/cpu.h"

namespace petrel {

// #AC: CR0.AM and EFLAGS.AC at CPL 3 make misaligned data accesses fault.
static bool misaligned_ac(const CpuState& s, uint64_t lin, unsigned size, Access access) {
    if (access == Access::Exec || size < 2 || size > 8) return false;
    if (!(s.cr0 & kCR0_AM) || !(s.rflags & kAC) || s.cpl != 3) return false;
    return lin & (size - 1);
}

uint64_t Cpu::linear_address_checked(unsigned seg, uint64_t offset, unsigned size, Access access) {
    const uint8_t fault_vec = seg == SS ? kVecSS : kVecGP;
    if (code_mode() == CodeMode::Bits64) {
        uint64_t lin = offset + ((seg == FS || seg == GS) ? s.seg[seg].base : 0);
        if (!is_canonical(lin) || !is_canonical(lin + size - 1)) raise(fault_vec, 0);
        if (misaligned_ac(s, lin, size, access)) raise(kVecAC, 0);
        return lin;
    }
    const Segment& sg = s.seg[seg];
    if (protected_mode() && !v86_mode()) {
        // A null selector leaves the register unusable (P clear in our cache).
        if (!sg.present()) raise(fault_vec, 0);
        bool code = sg.is_code();
        if (access == Access::Write && (code || !(sg.type() & 2))) raise(fault_vec, 0);
        if (access == Access::Read && code && !(sg.type() & 2)) raise(fault_vec, 0);
    }
    uint64_t last = offset + size - 1;
    if (!sg.is_code() && (sg.type() & 4)) {
        // Expand-down: valid offsets are (limit, top].
        uint64_t top = sg.db() ? 0xffffffffull : 0xffffull;
        if (offset <= sg.limit || last > top) raise(fault_vec, 0);
    } else if (last > sg.limit) {
        raise(fault_vec, 0);
    }
    uint64_t lin = (sg.base + offset) & 0xffffffffull;
    if (misaligned_ac(s, lin, size, access)) raise(kVecAC, 0);
    return lin;
}

uint64_t Cpu::read_linear_slow(uint64_t lin, unsigned size, bool user) {
    if (s.dr[7] & 0xff) check_data_breakpoints(lin, size, false);
    unsigned first = 4096 - (lin & 0xfff);
    if (size <= first) {
        uint64_t phys = translate(lin, Access::Read, user);
        TlbEntry& e = tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
        if (e.tag_read == (lin >> 12) && e.host) {
            uint64_t v = 0;
            memcpy(&v, e.host + (lin & 0xfff), size);
            return v;
        }
        return mem.read(phys, size);
    }
    // Split across two pages: both translations happen before any data moves.
    uint64_t p0 = translate(lin, Access::Read, user);
    uint64_t p1 = translate(lin + first, Access::Read, user);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        uint64_t b = i < first ? mem.read(p0 + i, 1) : mem.read(p1 + (i - first), 1);
        v |= b << (8 * i);
    }
    return v;
}

void Cpu::write_linear_slow(uint64_t lin, unsigned size, uint64_t value, bool user) {
    if (s.dr[7] & 0xff) check_data_breakpoints(lin, size, true);
    unsigned first = 4096 - (lin & 0xfff);
    if (size <= first) {
        uint64_t phys = translate(lin, Access::Write, user);
        TlbEntry& e = tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
        if (e.tag_write == (lin >> 12) && e.host) {
            memcpy(e.host + (lin & 0xfff), &value, size);
            return;
        }
        mem.write(phys, value, size);
        return;
    }
    uint64_t p0 = translate(lin, Access::Write, user);
    uint64_t p1 = translate(lin + first, Access::Write, user);
    for (unsigned i = 0; i < size; ++i) {
        uint64_t b = (value >> (8 * i)) & 0xff;
        if (i < first) mem.write(p0 + i, b, 1);
        else mem.write(p1 + (i - first), b, 1);
    }
}

void Cpu::probe_write(uint64_t lin, unsigned size, bool user) {
    translate(lin, Access::Write, user);
    if (((lin & 0xfff) + size) > 4096) translate((lin | 0xfff) + 1, Access::Write, user);
}

void Cpu::read_mem_bytes(unsigned seg, uint64_t offset, void* out, unsigned size) {
    uint64_t lin = linear_address(seg, offset, size, Access::Read);
    bool user = s.cpl == 3;
    auto* o = static_cast<uint8_t*>(out);
    unsigned i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t v = read_linear(lin + i, 8, user);
        memcpy(o + i, &v, 8);
    }
    for (; i < size; ++i) o[i] = static_cast<uint8_t>(read_linear(lin + i, 1, user));
}

void Cpu::write_mem_bytes(unsigned seg, uint64_t offset, const void* in, unsigned size) {
    uint64_t lin = linear_address(seg, offset, size, Access::Write);
    bool user = s.cpl == 3;
    probe_write(lin, size, user);
    auto* p = static_cast<const uint8_t*>(in);
    unsigned i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        write_linear(lin + i, 8, v, user);
    }
    for (; i < size; ++i) write_linear(lin + i, 1, p[i], user);
}

uint64_t Cpu::port_in(uint16_t port, unsigned size) {
    if (!io_permitted(port, size)) raise(kVecGP, 0);
    if (s.dr[7] & 0xff) check_io_breakpoints(port, size);
    return io.read(port, size);
}

void Cpu::port_out(uint16_t port, unsigned size, uint64_t value) {
    if (!io_permitted(port, size)) raise(kVecGP, 0);
    if (s.dr[7] & 0xff) check_io_breakpoints(port, size);
    io.write(port, value, size);
}

}  // namespace petrel
