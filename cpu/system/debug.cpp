// Debug registers and debug exceptions: MOV DR (DR4/DR5 aliasing, CR4.DE,
// the DR7.GD general-detect fault), instruction breakpoints (faults checked
// before an instruction runs, suppressed by RF), data breakpoints (traps
// recorded by the slow memory path and raised after the instruction), and
// single-step (TF at the start of an instruction traps after it).
//
// Data breakpoints cost nothing when DR7 enables none: the TLB never caches
// data tags for a watched page (mmu.cpp), so accesses to it take the slow
// path, which checks the breakpoints only when DR7's enable bits are set.
#include "cpu/interp/handlers.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {
constexpr uint64_t kDr6Fixed = 0xffff0ff0;  // reads as 1 (bit 16: no RTM)
constexpr uint64_t kDr6BD = 1u << 13, kDr6BS = 1u << 14;
constexpr uint64_t kDr7GD = 1u << 13;

bool bp_enabled(uint64_t dr7, unsigned i) { return (dr7 >> (2 * i)) & 3; }
unsigned bp_rw(uint64_t dr7, unsigned i) { return (dr7 >> (16 + 4 * i)) & 3; }
unsigned bp_len(uint64_t dr7, unsigned i) {
    static constexpr unsigned kLen[4] = {1, 2, 8, 4};
    return kLen[(dr7 >> (18 + 4 * i)) & 3];
}
}  // namespace

void Cpu::check_data_breakpoints(uint64_t lin, unsigned size, bool write) {
    uint64_t dr7 = s.dr[7];
    for (unsigned i = 0; i < 4; ++i) {
        if (!bp_enabled(dr7, i)) continue;
        unsigned rw = bp_rw(dr7, i);
        if (rw != 3 && !(rw == 1 && write)) continue;  // 01: writes, 11: reads and writes
        unsigned len = bp_len(dr7, i);
        uint64_t start = s.dr[i] & ~static_cast<uint64_t>(len - 1);
        if (lin < start + len && start < lin + size) s.pending_db |= 1u << i;
    }
}

void Cpu::check_io_breakpoints(uint16_t port, unsigned size) {
    if (!(s.cr4 & kCR4_DE)) return;  // RW = 10 means I/O only with CR4.DE
    uint64_t dr7 = s.dr[7];
    for (unsigned i = 0; i < 4; ++i) {
        if (!bp_enabled(dr7, i) || bp_rw(dr7, i) != 2) continue;
        unsigned len = bp_len(dr7, i);
        uint64_t start = (s.dr[i] & 0xffff) & ~static_cast<uint64_t>(len - 1);
        if (port < start + len && start < port + size) s.pending_db |= 1u << i;
    }
}

void Cpu::check_instruction_breakpoints() {
    uint64_t dr7 = s.dr[7];
    // 64-bit code ignores the CS base.
    uint64_t lin = code_mode() == CodeMode::Bits64 ? s.rip : (s.seg[CS].base + s.rip) & 0xffffffff;
    uint64_t hits = 0;
    for (unsigned i = 0; i < 4; ++i)
        if (bp_enabled(dr7, i) && bp_rw(dr7, i) == 0 && s.dr[i] == lin) hits |= 1u << i;
    if (!hits) return;
    s.dr[6] = (s.dr[6] & ~0xfull) | hits | kDr6Fixed;
    raise(kVecDB);
}

void Cpu::debug_trap_after_instruction() {
    uint64_t bits = s.pending_db;
    if (s.tf_at_start) bits |= kDr6BS;
    s.pending_db = 0;
    s.tf_at_start = false;
    if (!bits) return;
    if (bits & 0xf) s.dr[6] &= ~0xfull;
    s.dr[6] |= bits | kDr6Fixed;
    // A trap: the saved RIP is the next instruction, already in s.rip.
    deliver_event(kVecDB, EventKind::Exception, false, 0);
}

namespace {

void op_mov_dr(Cpu& cpu, const DecodedInsn& d) {
    CpuState& s = cpu.s;
    if (cpu.v86_mode() || (cpu.protected_mode() && s.cpl != 0)) cpu.raise(kVecGP, 0);
    bool to_dr = d.ops[0].kind == OpKind::Dr;
    unsigned n = to_dr ? d.ops[0].reg : d.ops[1].reg;
    if (n == 4 || n == 5) {
        if (s.cr4 & kCR4_DE) cpu.raise(kVecUD);
        n += 2;  // DR4/DR5 alias DR6/DR7
    }
    if (n > 7) cpu.raise(kVecUD);
    if (s.dr[7] & kDr7GD) {
        // General detect: the access faults, DR6.BD reports it, and GD is cleared
        // so the handler can use the debug registers.
        s.dr[6] |= kDr6BD;
        s.dr[7] &= ~kDr7GD;
        cpu.raise(kVecDB);
    }
    const unsigned width = cpu.code_mode() == CodeMode::Bits64 ? 8 : 4;
    if (!to_dr) {
        cpu.gpr_write(d.ops[0].reg, width, s.dr[n]);
        return;
    }
    uint64_t v = cpu.gpr_read(d.ops[1].reg, width);
    switch (n) {
        case 6:
            if (v >> 32) cpu.raise(kVecGP, 0);
            s.dr[6] = (v & 0xe00f) | kDr6Fixed;
            break;
        case 7:
            if (v >> 32) cpu.raise(kVecGP, 0);
            s.dr[7] = (v & 0xffff2bffull) | 0x400;
            cpu.tlb_flush_all();  // data breakpoints change which pages may be cached
            break;
        default:
            s.dr[n] = v;
            if (s.dr[7] & 0xff) cpu.tlb_flush_all();
            break;
    }
}

}  // namespace

void register_debug(HandlerTable& t) { t.set(Op::MOV_DR, op_mov_dr); }

}  // namespace petrel
