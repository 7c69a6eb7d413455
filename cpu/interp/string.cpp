// String instructions: MOVS CMPS STOS LODS SCAS INS OUTS, with REP, REPE and
// REPNE.
//
// - rSI, rDI and rCX are SI/ESI/RSI... by address size; an iteration adds or
//   subtracts the element size by DF, wrapping at the address size (a 32-bit
//   update zero-extends in 64-bit mode, like any 32-bit register write).
// - The source segment (DS) may be overridden; the destination is always ES.
// - Restartable: an iteration does every access that can fault before it
//   commits its register updates, so a fault in the middle of a REP leaves
//   rSI/rDI/rCX describing the iterations done and RIP at the instruction.
// - A REP runs at most kChunk iterations per execution; if work remains, RIP
//   stays on the instruction (next_rip = rip) and the run loop comes back to
//   it after checking for interrupts, as hardware takes interrupts between
//   iterations. With TF set it runs one iteration per execution, so the
//   single-step trap comes after each iteration (RIP on the instruction
//   until the last), as hardware does.
// - REP MOVS/STOS forward runs that stay inside one RAM page the TLB already
//   allows go through host memory directly (see bulk_room below).
// - F2 and F3 both mean REP for the instructions that do not test ZF; only
//   CMPS and SCAS distinguish REPE (F3) from REPNE (F2).
#include <algorithm>
#include <cstring>

#include "cpu/interp/flags.h"
#include "cpu/interp/handlers.h"
#include "cpu/interp/operands.h"

namespace petrel {

namespace {

constexpr uint64_t kChunk = 1024;

struct StringRegs {
    unsigned as;       // address size
    uint64_t am;       // address mask
    int64_t step;      // +size or -size by DF
    unsigned src_seg;  // DS or the override

    StringRegs(Cpu& cpu, const DecodedInsn& d)
        : as(d.addrsize), am(size_mask(d.addrsize)),
          step((cpu.s.rflags & kDF) ? -static_cast<int64_t>(d.opsize) : d.opsize),
          src_seg(d.has(kPrefixSegment) ? d.mem_seg : uint8_t{DS}) {}
    uint64_t get(Cpu& cpu, unsigned r) const { return cpu.s.gpr[r] & am; }
    void advance(Cpu& cpu, unsigned r) const { cpu.gpr_write(r, as, cpu.s.gpr[r] + step); }
};

// The repeat driver: body(regs) performs one iteration and returns false when
// a REPE/REPNE condition ends the loop. bulk(regs, max) may do up to max
// iterations at once (the fast-string path) and returns how many it did; 0
// sends the iteration through body.
template <class Body, class Bulk>
void repeat(Cpu& cpu, const DecodedInsn& d, Body body, Bulk bulk) {
    const StringRegs r(cpu, d);
    if (!(d.rep() || d.repne())) {
        body(r);
        return;
    }
    uint64_t count = r.get(cpu, RCX);
    // Single-step traps after every iteration (RIP still on the instruction
    // while iterations remain), and so does a data breakpoint hit.
    const uint64_t chunk = cpu.s.tf_at_start ? 1 : kChunk;
    for (uint64_t n = 0; n < chunk;) {
        if (count == 0) return;
        if (chunk > 1) {
            const uint64_t k = bulk(r, std::min(count, chunk - n));
            if (k) {
                count = (count - k) & r.am;
                cpu.gpr_write(RCX, r.as, count);
                n += k;
                continue;
            }
        }
        const bool go_on = body(r);
        count = (count - 1) & r.am;
        cpu.gpr_write(RCX, r.as, count);
        ++n;
        if (!go_on) return;
        if (cpu.s.pending_db) break;
    }
    if (count != 0) cpu.next_rip = cpu.s.rip;  // more to do: come back after interrupts
}

template <class Body>
void repeat(Cpu& cpu, const DecodedInsn& d, Body body) {
    repeat(cpu, d, body, [](const StringRegs&, uint64_t) -> uint64_t { return 0; });
}

// ---- the fast-string path: forward (DF = 0) runs inside one page of plain
// RAM that the soft TLB already allows, element by element in host memory.
// It applies only where the slow path could not fault on any of the
// elements (same page, within the segment limit, no address-size wrap), so
// it is invisible except in speed. Watched (DR7) and code pages never have
// TLB data tags, so breakpoints and self-modifying code take the slow path.

const uint8_t* host_read_ptr(Cpu& cpu, uint64_t lin, unsigned size) {
    const bool u = cpu.s.cpl == 3;
    const TlbEntry& e = cpu.tlb_[u ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
    if (e.tag_read == (lin >> 12) && e.host && ((lin & 0xfff) + size) <= 4096) return e.host + (lin & 0xfff);
    return nullptr;
}

// How many elements from offset off fit before the segment limit, the
// address-size wrap and the end of the page holding lin (0: no fast path).
uint64_t bulk_room(Cpu& cpu, unsigned seg, uint64_t off, uint64_t lin, unsigned size, const StringRegs& r,
                   uint64_t max) {
    uint64_t n = std::min<uint64_t>(max, (4096 - (lin & 0xfff)) / size);
    if (r.am != ~0ull) n = std::min<uint64_t>(n, (r.am - off + 1) / size);  // whole elements before the wrap
    if (cpu.code_mode() != CodeMode::Bits64) {
        const Segment& sg = cpu.s.seg[seg];
        if (!sg.is_code() && (sg.type() & 4)) return 0;  // expand-down: leave it to the slow path
        if (off > sg.limit) return 0;
        n = std::min<uint64_t>(n, (static_cast<uint64_t>(sg.limit) - off + 1) / size);
    }
    return n;
}

bool user(const Cpu& cpu) { return cpu.s.cpl == 3; }

void op_movs(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    auto body = [&](const StringRegs& r) {
        const uint64_t v = cpu.read_mem(r.src_seg, r.get(cpu, RSI), size);
        cpu.write_mem(ES, r.get(cpu, RDI), size, v);
        r.advance(cpu, RSI);
        r.advance(cpu, RDI);
        return true;
    };
    auto bulk = [&](const StringRegs& r, uint64_t max) -> uint64_t {
        if (r.step < 0) return 0;
        const uint64_t si = r.get(cpu, RSI), di = r.get(cpu, RDI);
        const uint64_t ls = cpu.linear_address(r.src_seg, si, size, Access::Read);
        const uint64_t ld = cpu.linear_address(ES, di, size, Access::Write);
        uint64_t n = bulk_room(cpu, r.src_seg, si, ls, size, r, max);
        n = bulk_room(cpu, ES, di, ld, size, r, n);
        if (n < 2) return 0;
        const uint8_t* src = host_read_ptr(cpu, ls, static_cast<unsigned>(n * size));
        uint8_t* dst = host_write_ptr(cpu, ld, static_cast<unsigned>(n * size));
        if (!src || !dst) return 0;
        // Element by element, so overlapping moves behave as the slow path.
        by_size(size, [&]<unsigned S>() {
            for (uint64_t i = 0; i < n * S; i += S) {
                uint8_t v[S];
                memcpy(v, src + i, S);
                memcpy(dst + i, v, S);
            }
        });
        cpu.gpr_write(RSI, r.as, si + n * size);
        cpu.gpr_write(RDI, r.as, di + n * size);
        return n;
    };
    repeat(cpu, d, body, bulk);
}

void op_stos(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const uint64_t v = cpu.gpr_read(RAX, size);
    auto body = [&](const StringRegs& r) {
        cpu.write_mem(ES, r.get(cpu, RDI), size, v);
        r.advance(cpu, RDI);
        return true;
    };
    auto bulk = [&](const StringRegs& r, uint64_t max) -> uint64_t {
        if (r.step < 0) return 0;
        const uint64_t di = r.get(cpu, RDI);
        const uint64_t ld = cpu.linear_address(ES, di, size, Access::Write);
        const uint64_t n = bulk_room(cpu, ES, di, ld, size, r, max);
        if (n < 2) return 0;
        uint8_t* dst = host_write_ptr(cpu, ld, static_cast<unsigned>(n * size));
        if (!dst) return 0;
        by_size(size, [&]<unsigned S>() {
            if constexpr (S == 1) {
                memset(dst, static_cast<int>(v), n);
            } else {
                for (uint64_t i = 0; i < n * S; i += S) memcpy(dst + i, &v, S);
            }
        });
        cpu.gpr_write(RDI, r.as, di + n * size);
        return n;
    };
    repeat(cpu, d, body, bulk);
}

void op_lods(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    repeat(cpu, d, [&](const StringRegs& r) {
        const uint64_t v = cpu.read_mem(r.src_seg, r.get(cpu, RSI), size);
        cpu.gpr_write(RAX, size, v);
        r.advance(cpu, RSI);
        return true;
    });
}

// CMPS: [src:rSI] - [ES:rDI]; SCAS: rAX - [ES:rDI]. Flags as CMP.
void op_cmps(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const bool want_zf = d.rep();  // REPE continues while equal
    repeat(cpu, d, [&](const StringRegs& r) {
        const uint64_t a = cpu.read_mem(r.src_seg, r.get(cpu, RSI), size);
        const uint64_t b = cpu.read_mem(ES, r.get(cpu, RDI), size);
        cpu.set_lazy(kFlagsSub, size, (a - b) & size_mask(size), a, b);
        r.advance(cpu, RSI);
        r.advance(cpu, RDI);
        return (a == b) == want_zf;
    });
}

void op_scas(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const bool want_zf = d.rep();
    const uint64_t a = cpu.gpr_read(RAX, size);
    repeat(cpu, d, [&](const StringRegs& r) {
        const uint64_t b = cpu.read_mem(ES, r.get(cpu, RDI), size);
        cpu.set_lazy(kFlagsSub, size, (a - b) & size_mask(size), a, b);
        r.advance(cpu, RDI);
        return (a == b) == want_zf;
    });
}

// INS: the destination is checked for writing before the port is read, since
// a port read can have side effects that a restarted instruction would repeat.
void op_ins(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const uint16_t port = static_cast<uint16_t>(cpu.s.gpr[RDX]);
    repeat(cpu, d, [&](const StringRegs& r) {
        const uint64_t lin = cpu.linear_address(ES, r.get(cpu, RDI), size, Access::Write);
        cpu.probe_write(lin, size, user(cpu));
        const uint64_t v = cpu.port_in(port, size);
        cpu.write_linear(lin, size, v, user(cpu));
        r.advance(cpu, RDI);
        return true;
    });
}

void op_outs(Cpu& cpu, const DecodedInsn& d) {
    const unsigned size = d.opsize;
    const uint16_t port = static_cast<uint16_t>(cpu.s.gpr[RDX]);
    repeat(cpu, d, [&](const StringRegs& r) {
        const uint64_t v = cpu.read_mem(r.src_seg, r.get(cpu, RSI), size);
        cpu.port_out(port, size, v);
        r.advance(cpu, RSI);
        return true;
    });
}

}  // namespace

void register_string(HandlerTable& t) {
    t.set(Op::MOVS, op_movs);
    t.set(Op::CMPS, op_cmps);
    t.set(Op::STOS, op_stos);
    t.set(Op::LODS, op_lods);
    t.set(Op::SCAS, op_scas);
    t.set(Op::INS, op_ins);
    t.set(Op::OUTS, op_outs);
}

}  // namespace petrel
