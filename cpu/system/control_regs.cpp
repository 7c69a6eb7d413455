// Control registers: MOV to/from CR0, CR2, CR3, CR4, CR8 with the SDM's #GP
// rules, the mode transitions they cause (paging on/off, IA-32e activation),
// PAE PDPTE loading, TLB flushes, and LMSW/SMSW/CLTS.
#include "cpu/interp/operands.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/paging_consts.h"
#include "cpu/system/system_handlers.h"

namespace petrel {

namespace {

constexpr uint64_t kCR0Writable = kCR0_PE | kCR0_MP | kCR0_EM | kCR0_TS | kCR0_ET | kCR0_NE | kCR0_WP | kCR0_AM |
                                  kCR0_NW | kCR0_CD | kCR0_PG;
// Every CR4 bit Petrel implements; the rest are reserved (#GP).
constexpr uint64_t kCR4Writable = kCR4_VME | kCR4_PVI | kCR4_TSD | kCR4_DE | kCR4_PSE | kCR4_PAE | kCR4_MCE |
                                  kCR4_PGE | kCR4_PCE | kCR4_OSFXSR | kCR4_OSXMMEXCPT | kCR4_UMIP |
                                  kCR4_FSGSBASE | kCR4_PCIDE | kCR4_OSXSAVE | kCR4_SMEP | kCR4_SMAP;
// CR4 bits whose change invalidates cached translations.
constexpr uint64_t kCR4PagingBits = kCR4_PSE | kCR4_PAE | kCR4_PGE | kCR4_PCIDE | kCR4_SMEP | kCR4_SMAP;

}  // namespace

// PAE paging outside IA-32e mode caches the four PDPTEs when CR3 is loaded
// (and when paging or PAE is turned on); a reserved bit in a present PDPTE
// makes that MOV #GP(0).
void Cpu::load_pdptes(uint64_t cr3) {
    uint64_t loaded[4];
    uint64_t base = cr3 & 0xffffffe0;
    for (unsigned i = 0; i < 4; ++i) {
        uint64_t e = mem.read((base + i * 8) & a20_mask, 8);
        if ((e & kPteP) && (e & kPdpteReserved)) raise(kVecGP, 0);
        loaded[i] = e;
    }
    for (unsigned i = 0; i < 4; ++i) s.pdpte[i] = loaded[i];
}

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
            if (value >> 32) raise(kVecGP, 0);
            uint64_t v = (value & kCR0Writable) | kCR0_ET;
            if ((v & kCR0_PG) && !(v & kCR0_PE)) raise(kVecGP, 0);
            if ((v & kCR0_NW) && !(v & kCR0_CD)) raise(kVecGP, 0);
            const uint64_t old = s.cr0;
            const bool enabling_pg = (v & kCR0_PG) && !(old & kCR0_PG);
            if (enabling_pg && (s.efer & kEFER_LME)) {
                // Activating IA-32e mode needs PAE and a CS that is not 64-bit.
                if (!(s.cr4 & kCR4_PAE) || s.seg[CS].l()) raise(kVecGP, 0);
            }
            if (!(v & kCR0_PG) && (old & kCR0_PG)) {
                // Leaving paging from 64-bit code, or with PCIDs enabled, is #GP.
                if ((long_mode() && s.seg[CS].l()) || (s.cr4 & kCR4_PCIDE)) raise(kVecGP, 0);
            }
            if (enabling_pg && (s.cr4 & kCR4_PAE) && !(s.efer & kEFER_LME)) load_pdptes(s.cr3);
            s.cr0 = v;
            if ((old ^ v) & (kCR0_PG | kCR0_WP | kCR0_PE)) tlb_flush_all();
            update_mode();
            break;
        }
        case 2: s.cr2 = long_mode() ? value : value & 0xffffffff; break;
        case 3: {
            uint64_t v = value;
            if (long_mode()) {
                if (s.cr4 & kCR4_PCIDE) v &= ~(1ull << 63);  // bit 63: keep this PCID's translations
                if (v >> kPhysAddrBits) raise(kVecGP, 0);
            } else {
                v &= 0xffffffff;
            }
            if (paging() && (s.cr4 & kCR4_PAE) && !long_mode()) load_pdptes(v);
            s.cr3 = v;
            // Translations are not tagged by PCID: a switch must drop them all
            // (dropping more than the architecture requires is always allowed).
            tlb_flush_nonglobal();
            break;
        }
        case 4: {
            if (value & ~kCR4Writable) raise(kVecGP, 0);
            const uint64_t old = s.cr4;
            if (long_mode() && !(value & kCR4_PAE)) raise(kVecGP, 0);
            if ((value & kCR4_PCIDE) && !(old & kCR4_PCIDE) && (!long_mode() || (s.cr3 & 0xfff))) raise(kVecGP, 0);
            if (paging() && !long_mode() && (value & kCR4_PAE) && ((old ^ value) & (kCR4_PAE | kCR4_PSE | kCR4_PGE)))
                load_pdptes(s.cr3);
            s.cr4 = value;
            if ((old ^ value) & kCR4PagingBits) tlb_flush_all();
            break;
        }
        case 8:
            if (value >> 4) raise(kVecGP, 0);
            if (intc) intc->set_tpr(value & 0xf);
            break;
        default: raise(kVecUD);
    }
}

void Cpu::update_mode() {
    // IA-32e mode is active when paging is on with EFER.LME set.
    if ((s.cr0 & kCR0_PG) && (s.efer & kEFER_LME)) s.efer |= kEFER_LMA;
    else s.efer &= ~kEFER_LMA;
    if (!(s.cr0 & kCR0_PE)) s.cpl = 0;
    else if (s.rflags & kVM) s.cpl = 3;
}

namespace {

void require_cpl0(Cpu& cpu) {
    if (cpu.v86_mode() || (cpu.protected_mode() && cpu.s.cpl != 0)) cpu.raise(kVecGP, 0);
}

void op_mov_cr(Cpu& cpu, const DecodedInsn& d) {
    require_cpl0(cpu);
    const unsigned width = cpu.code_mode() == CodeMode::Bits64 ? 8 : 4;
    if (d.ops[0].kind == OpKind::Cr) {
        cpu.write_cr(d.ops[0].reg, cpu.gpr_read(d.ops[1].reg, width));
    } else {
        cpu.gpr_write(d.ops[0].reg, width, cpu.read_cr(d.ops[1].reg));
    }
}

// LMSW: loads PE, MP, EM and TS; can set PE but never clear it.
void op_lmsw(Cpu& cpu, const DecodedInsn& d) {
    require_cpl0(cpu);
    uint64_t v = read_operand(cpu, d, 0) & 0xf;
    uint64_t cr0 = cpu.s.cr0;
    uint64_t nv = (cr0 & ~0xeull) | (v & 0xe) | (cr0 & kCR0_PE) | (v & kCR0_PE);
    cpu.write_cr(0, nv);
}

void op_smsw(Cpu& cpu, const DecodedInsn& d) {
    if ((cpu.s.cr4 & kCR4_UMIP) && cpu.protected_mode() && (cpu.s.cpl > 0 || cpu.v86_mode())) cpu.raise(kVecGP, 0);
    if (d.ops[0].kind == OpKind::Mem) cpu.write_mem(d.mem_seg, effective_address(cpu, d), 2, cpu.s.cr0 & 0xffff);
    else cpu.gpr_write(d.ops[0].reg, d.opsize, cpu.s.cr0);
}

void op_clts(Cpu& cpu, const DecodedInsn&) {
    require_cpl0(cpu);
    cpu.s.cr0 &= ~kCR0_TS;
}

}  // namespace

void register_control_regs(HandlerTable& t) {
    t.set(Op::MOV_CR, op_mov_cr);
    t.set(Op::LMSW, op_lmsw);
    t.set(Op::SMSW, op_smsw);
    t.set(Op::CLTS, op_clts);
}

}  // namespace petrel
