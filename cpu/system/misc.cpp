// Small privileged and system instructions: HLT, cache and TLB control
// (WBINVD, INVD, INVLPG, INVPCID, CLFLUSH), time stamps (RDTSC, RDTSCP,
// RDPID), RDPMC, and the random-number instructions RDRAND/RDSEED, which
// draw from a seedable generator so that deterministic runs repeat.
#include <random>

#include "cpu/interp/flags.h"
#include "cpu/interp/operands.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

void Cpu::seed_rng(uint64_t seed) {
    rng_seed_ = seed;
    s.msr.rng_state = seed;
}

uint64_t Cpu::next_random() {
    // splitmix64: full-period, good enough statistically, trivially seedable.
    uint64_t z = (s.msr.rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t Cpu::host_entropy_seed() {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

namespace {

void require_cpl0(Cpu& cpu) {
    if (cpu.v86_mode() || (cpu.protected_mode() && cpu.s.cpl != 0)) cpu.raise(kVecGP, 0);
}

void op_hlt(Cpu& cpu, const DecodedInsn&) {
    require_cpl0(cpu);
    cpu.s.halted = true;
}

void op_cache_nop(Cpu& cpu, const DecodedInsn&) { require_cpl0(cpu); }  // WBINVD, INVD: caches are coherent

void op_invlpg(Cpu& cpu, const DecodedInsn& d) {
    require_cpl0(cpu);
    if (d.mem_operand() < 0) cpu.raise(kVecUD);
    // No segment checks or faults: a bad address simply invalidates nothing useful.
    uint64_t ea = effective_address(cpu, d);
    uint64_t lin = ea + cpu.s.seg[d.mem_seg].base;
    if (cpu.code_mode() != CodeMode::Bits64) lin &= 0xffffffff;
    else if (d.mem_seg != FS && d.mem_seg != GS) lin = ea;
    cpu.tlb_flush_page(lin);
}

void op_invpcid(Cpu& cpu, const DecodedInsn& d) {
    require_cpl0(cpu);  // also V86 mode: #GP(0) there (SDM: "not recognized", but #GP, not #UD)
    uint64_t type = cpu.gpr_read(d.ops[0].reg, cpu.code_mode() == CodeMode::Bits64 ? 8 : 4);
    uint64_t ea = effective_address(cpu, d);
    uint64_t desc_lo = cpu.read_mem(d.mem_seg, ea, 8);
    uint64_t desc_hi = cpu.read_mem(d.mem_seg, (ea + 8) & size_mask(d.addrsize), 8);
    if (type > 3) cpu.raise(kVecGP, 0);
    uint64_t pcid = desc_lo & 0xfff;
    if (desc_lo >> 12) cpu.raise(kVecGP, 0);  // reserved descriptor bits
    if ((type == 0 || type == 1) && pcid != 0 && !(cpu.s.cr4 & kCR4_PCIDE)) cpu.raise(kVecGP, 0);
    switch (type) {
        case 0:  // one address in one PCID
            if (!is_canonical(desc_hi)) cpu.raise(kVecGP, 0);
            cpu.tlb_flush_page(desc_hi);
            break;
        case 1:  // one PCID (entries are not tagged: drop every non-global one)
        case 3:  // all PCIDs, global entries kept
            cpu.tlb_flush_nonglobal();
            break;
        default:  // all PCIDs, global entries too
            cpu.tlb_flush_all();
            break;
    }
}

// CLFLUSH/CLFLUSHOPT: the address must be valid for a read; caches are coherent.
void op_clflush(Cpu& cpu, const DecodedInsn& d) {
    uint64_t lin = cpu.linear_address(d.mem_seg, effective_address(cpu, d), 1, Access::Read);
    cpu.translate(lin, Access::Read, cpu.s.cpl == 3);
}

void check_tsd(Cpu& cpu) {
    if ((cpu.s.cr4 & kCR4_TSD) && cpu.protected_mode() && (cpu.s.cpl > 0 || cpu.v86_mode())) cpu.raise(kVecGP, 0);
}

void op_rdtsc(Cpu& cpu, const DecodedInsn&) {
    check_tsd(cpu);
    uint64_t t = cpu.read_tsc();
    cpu.s.gpr[RAX] = t & 0xffffffff;
    cpu.s.gpr[RDX] = t >> 32;
}

void op_rdtscp(Cpu& cpu, const DecodedInsn&) {
    check_tsd(cpu);
    uint64_t t = cpu.read_tsc();
    cpu.s.gpr[RAX] = t & 0xffffffff;
    cpu.s.gpr[RDX] = t >> 32;
    cpu.s.gpr[RCX] = cpu.s.tsc_aux & 0xffffffff;
}

void op_rdpid(Cpu& cpu, const DecodedInsn& d) {
    unsigned size = cpu.code_mode() == CodeMode::Bits64 ? 8 : 4;
    cpu.gpr_write(d.ops[0].reg, size, cpu.s.tsc_aux & 0xffffffff);
}

// No performance counters are advertised: every counter index is invalid.
void op_rdpmc(Cpu& cpu, const DecodedInsn&) { cpu.raise(kVecGP, 0); }

// RDRAND/RDSEED: always succeed (CF = 1); OF, SF, ZF, AF, PF cleared.
void op_rdrand(Cpu& cpu, const DecodedInsn& d) {
    cpu.gpr_write(d.ops[0].reg, d.opsize, cpu.next_random() & size_mask(d.opsize));
    set_arith_flags(cpu, kCF);
}

}  // namespace

void register_misc_system(HandlerTable& t) {
    t.set(Op::HLT, op_hlt);
    t.set(Op::WBINVD, op_cache_nop);
    t.set(Op::INVD, op_cache_nop);
    t.set(Op::INVLPG, op_invlpg);
    t.set(Op::INVPCID, op_invpcid);
    t.set(Op::CLFLUSH, op_clflush);
    t.set(Op::CLFLUSHOPT, op_clflush);
    t.set(Op::RDTSC, op_rdtsc);
    t.set(Op::RDTSCP, op_rdtscp);
    t.set(Op::RDPID, op_rdpid);
    t.set(Op::RDPMC, op_rdpmc);
    t.set(Op::RDRAND, op_rdrand);
    t.set(Op::RDSEED, op_rdrand);
}

}  // namespace petrel
