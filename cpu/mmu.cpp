// Paging: linear -> physical translation for 32-bit, PAE and 4-level paging,
// with permission checks (U/S, R/W with CR0.WP, NX, SMEP, SMAP), accessed and
// dirty bits, and the soft TLB that caches the result per access type.
//
// A TLB entry is filled for an access type only when a later access of that
// type needs no page-table update and no check the entry cannot express:
// write tags only when the dirty bit is already set, supervisor data tags for
// user pages never while SMAP is on (the AC flag decides per access).
#include "cpu/cpu.h"

namespace petrel {

namespace {
constexpr uint64_t kPteP = 1, kPteW = 2, kPteU = 4, kPteA = 0x20, kPteD = 0x40, kPtePS = 0x80, kPteG = 0x100;
constexpr uint64_t kPteNX = 1ull << 63;
constexpr uint64_t kAddrMask = 0x000ffffffffff000ull;  // 52-bit physical addresses
constexpr uint32_t kPfP = 1, kPfW = 2, kPfU = 4, kPfRsvd = 8, kPfI = 16;

struct Walk {
    uint64_t phys;
    bool user, writable, nx, global;
    uint64_t leaf_addr;  // physical address of the leaf entry
    bool leaf64;         // 8-byte entries
    uint64_t leaf;
};
}  // namespace

uint64_t Cpu::translate(uint64_t lin, Access access, bool user) {
    if (!paging()) return (lin & 0xffffffffull) & a20_mask;
    TlbEntry& e = tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
    uint64_t vpn = lin >> 12;
    uint64_t tag = access == Access::Read ? e.tag_read : access == Access::Write ? e.tag_write : e.tag_exec;
    if (tag == vpn) return e.phys_page | (lin & 0xfff);

    const bool pae = s.cr4 & kCR4_PAE;
    const bool nxe = s.efer & kEFER_NXE;
    uint32_t err = (access == Access::Write ? kPfW : 0) | (user ? kPfU : 0) |
                   (access == Access::Exec && (nxe || (s.cr4 & kCR4_SMEP)) ? kPfI : 0);
    auto page_fault = [&](uint32_t extra) {
        s.cr2 = lin;
        raise(kVecPF, err | extra);
    };
    auto read_pte = [&](uint64_t addr, bool wide) -> uint64_t {
        return mem.read(addr & a20_mask, wide ? 8 : 4);
    };

    Walk w{};
    w.user = w.writable = true;
    uint64_t page_size = 4096;
    uint64_t rsvd_hi = ~0ull << 52 & ~kPteNX;  // bits above MAXPHYADDR
    if (!nxe) rsvd_hi |= kPteNX;

    auto visit = [&](uint64_t entry_addr, uint64_t entry, bool wide) {
        if (!(entry & kPteP)) page_fault(0);
        if (wide && (entry & rsvd_hi)) page_fault(kPfP | kPfRsvd);
        w.user &= (entry & kPteU) != 0;
        w.writable &= (entry & kPteW) != 0;
        if (wide && (entry & kPteNX)) w.nx = true;
        if (!(entry & kPteA)) mem.write(entry_addr & a20_mask, entry | kPteA, wide ? 8 : 4);
    };

    if (long_mode()) {
        uint64_t table = s.cr3 & kAddrMask;
        for (int level = 4; level >= 1; --level) {
            unsigned shift = 12 + 9 * (level - 1);
            uint64_t addr = table + ((lin >> shift) & 0x1ff) * 8;
            uint64_t ent = read_pte(addr, true);
            visit(addr, ent, true);
            bool leaf = level == 1 || ((level == 2 || level == 3) && (ent & kPtePS));
            if (level == 4 && (ent & kPtePS)) page_fault(kPfP | kPfRsvd);
            if (leaf) {
                page_size = 1ull << shift;
                w.phys = (ent & kAddrMask & ~(page_size - 1)) | (lin & (page_size - 1) & ~0xfffull);
                if (level > 1 && (ent & (page_size - 1) & ~0x1fffull)) page_fault(kPfP | kPfRsvd);
                w.leaf_addr = addr; w.leaf = ent; w.leaf64 = true;
                w.global = ent & kPteG;
                break;
            }
            table = ent & kAddrMask;
        }
    } else if (pae) {
        uint64_t pdpte = read_pte((s.cr3 & 0xffffffe0) + ((lin >> 30) & 3) * 8, true);
        if (!(pdpte & kPteP)) page_fault(0);
        uint64_t table = pdpte & kAddrMask;
        uint64_t addr = table + ((lin >> 21) & 0x1ff) * 8;
        uint64_t pde = read_pte(addr, true);
        visit(addr, pde, true);
        if (pde & kPtePS) {
            page_size = 2ull << 20;
            w.phys = (pde & kAddrMask & ~(page_size - 1)) | (lin & 0x1ff000);
            w.leaf_addr = addr; w.leaf = pde;
        } else {
            addr = (pde & kAddrMask) + ((lin >> 12) & 0x1ff) * 8;
            uint64_t pte = read_pte(addr, true);
            visit(addr, pte, true);
            w.phys = pte & kAddrMask;
            w.leaf_addr = addr; w.leaf = pte;
        }
        w.leaf64 = true;
        w.global = w.leaf & kPteG;
    } else {
        uint64_t addr = (s.cr3 & 0xfffff000) + ((lin >> 22) & 0x3ff) * 4;
        uint64_t pde = read_pte(addr, false);
        visit(addr, pde, false);
        if ((pde & kPtePS) && (s.cr4 & kCR4_PSE)) {
            page_size = 4ull << 20;
            // PSE-36: bits 13-20 of the PDE are physical address bits 32-39.
            w.phys = (pde & 0xffc00000ull) | ((pde >> 13 & 0xff) << 32) | (lin & 0x3ff000);
            w.leaf_addr = addr; w.leaf = pde;
        } else {
            addr = (pde & 0xfffff000) + ((lin >> 12) & 0x3ff) * 4;
            uint64_t pte = read_pte(addr, false);
            visit(addr, pte, false);
            w.phys = pte & 0xfffff000;
            w.leaf_addr = addr; w.leaf = pte;
        }
        w.leaf64 = false;
        w.global = w.leaf & kPteG;
    }

    // Permission checks, in the SDM's terms.
    const bool wp = s.cr0 & kCR0_WP;
    const bool smap_blocks = (s.cr4 & kCR4_SMAP) && !user && w.user && !(s.rflags & kAC);
    if (user && !w.user) page_fault(kPfP);
    if (access == Access::Write && !w.writable && (user || wp)) page_fault(kPfP);
    if (access == Access::Exec && w.nx) page_fault(kPfP);
    if (access == Access::Exec && !user && w.user && (s.cr4 & kCR4_SMEP)) page_fault(kPfP);
    if (access != Access::Exec && smap_blocks && !implicit_supervisor_access) page_fault(kPfP);

    if (access == Access::Write && !(w.leaf & kPteD))
        mem.write(w.leaf_addr & a20_mask, w.leaf | kPteD | kPteA, w.leaf64 ? 8 : 4);

    uint64_t phys_page = w.phys & a20_mask & ~0xfffull;
    // Fill the TLB for the access types this translation proves valid.
    if (e.tag_read != vpn && e.tag_write != vpn && e.tag_exec != vpn) {
        e.tag_read = e.tag_write = e.tag_exec = ~0ull;
    }
    e.phys_page = phys_page;
    e.global = w.global && (s.cr4 & kCR4_PGE);
    e.page_shift = static_cast<uint8_t>(__builtin_ctzll(page_size));
    uint8_t* ram = mem.ram_page(phys_page);
    e.host = ram ? ram : const_cast<uint8_t*>(mem.readable_page(phys_page));
    bool user_page_smap = !user && w.user && (s.cr4 & kCR4_SMAP);
    if (!user_page_smap) e.tag_read = vpn;
    bool can_write = (w.writable || (!user && !wp)) && ((w.leaf & kPteD) || access == Access::Write);
    if (can_write && !user_page_smap && ram && !mem.is_code_page(phys_page)) e.tag_write = vpn;
    if (!(w.nx) && !(!user && w.user && (s.cr4 & kCR4_SMEP))) e.tag_exec = vpn;
    if (!ram) {
        // ROM or MMIO: reads of ROM may use the host copy; nothing else may.
        e.tag_write = ~0ull;
        if (!e.host) e.tag_read = ~0ull;
    }
    return w.phys | (lin & 0xfff);
}

void Cpu::tlb_flush_all() {
    for (auto& set : tlb_)
        for (TlbEntry& e : set) e = TlbEntry{};
}

void Cpu::tlb_flush_nonglobal() {
    for (auto& set : tlb_)
        for (TlbEntry& e : set)
            if (!e.global) e = TlbEntry{};
}

void Cpu::tlb_flush_page(uint64_t lin) {
    // Entries of a large guest page sit in many slots: drop every entry that
    // came from the large page containing lin.
    uint64_t vpn = lin >> 12;
    for (auto& set : tlb_) {
        set[vpn % kTlbSize] = TlbEntry{};
        for (TlbEntry& e : set) {
            if (e.page_shift == 12) continue;
            unsigned sh = e.page_shift - 12;
            uint64_t tag = e.tag_read != ~0ull ? e.tag_read : e.tag_write != ~0ull ? e.tag_write : e.tag_exec;
            if (tag != ~0ull && (tag >> sh) == (vpn >> sh)) e = TlbEntry{};
        }
    }
}

void Cpu::tlb_flush_phys_page_writes(uint64_t phys_page) {
    for (auto& set : tlb_)
        for (TlbEntry& e : set)
            if (e.phys_page == phys_page) e.tag_write = ~0ull;
}

}  // namespace petrel
