// Paging: linear -> physical translation for 32-bit, PAE and 4-level paging,
// with every check the SDM makes (reserved bits per mode and MAXPHYADDR,
// U/S, R/W with CR0.WP, NX, SMEP, SMAP with implicit supervisor accesses),
// accessed and dirty bits, and the soft TLB that caches the result per access
// type. With paging off the TLB still caches the identity mapping (A20
// applied), so real-mode and flat protected-mode code runs on the fast path.
//
// A TLB entry is filled for an access type only when a later access of that
// type needs no page-table update and no check the entry cannot express:
// write tags only when the dirty bit is already set, supervisor data tags for
// user pages never while SMAP is on (EFLAGS.AC decides per access), no data
// tags on pages watched by a debug-register data breakpoint.
//
// Accessed bits are set only when the whole translation succeeds; the dirty
// bit only on writes. PCIDs are not tagged: MOV CR3 drops non-global entries.
#include "cpu/cpu.h"
#include "cpu/system/paging_consts.h"

namespace petrel {

namespace {
constexpr uint32_t kPfP = 1, kPfW = 2, kPfU = 4, kPfRsvd = 8, kPfI = 16;

struct Level {
    uint64_t addr;   // physical address of the entry
    uint64_t value;
    bool wide;       // 8-byte entry
};

struct Walk {
    Level levels[4];
    unsigned n = 0;
    uint64_t phys = 0;       // physical address of lin's page (page-aligned to 4K)
    unsigned page_shift = 12;
    bool user = true, writable = true, nx = false, global = false;

    void add(uint64_t addr, uint64_t value, bool wide) {
        levels[n++] = Level{addr, value, wide};
        user &= (value & kPteU) != 0;
        writable &= (value & kPteW) != 0;
        if (wide && (value & kPteNX)) nx = true;
    }
    const Level& leaf() const { return levels[n - 1]; }
};
}  // namespace

void Cpu::set_a20(bool enabled) {
    uint64_t m = enabled ? ~0ull : ~(1ull << 20);
    if (m == a20_mask && m == tlb_a20_mask_) return;
    a20_mask = tlb_a20_mask_ = m;
    tlb_flush_all();
    block_cache_.clear();
}

bool Cpu::data_breakpoint_on_page(uint64_t vpn) const {
    uint64_t dr7 = s.dr[7];
    for (unsigned i = 0; i < 4; ++i) {
        if (!((dr7 >> (2 * i)) & 3)) continue;
        unsigned rw = (dr7 >> (16 + 4 * i)) & 3;
        if (rw == 0) continue;  // instruction breakpoint
        if ((s.dr[i] >> 12) == vpn || ((s.dr[i] + 7) >> 12) == vpn) return true;
    }
    return false;
}

uint64_t Cpu::translate(uint64_t lin, Access access, bool user) {
    TlbEntry& e = tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
    const uint64_t vpn = lin >> 12;
    uint64_t tag = access == Access::Read ? e.tag_read : access == Access::Write ? e.tag_write : e.tag_exec;
    if (tag == vpn) return e.phys_page | (lin & 0xfff);

    if (!paging()) {
        uint64_t phys = (lin & 0xffffffffull) & a20_mask;
        uint64_t page = phys & ~0xfffull;
        e = TlbEntry{};
        e.phys_page = page;
        uint8_t* ram = mem.ram_page(page);
        e.host = ram ? ram : const_cast<uint8_t*>(mem.readable_page(page));
        e.tag_exec = vpn;
        bool watched = (s.dr[7] & 0xff) && data_breakpoint_on_page(vpn);
        if (e.host && !watched) e.tag_read = vpn;
        if (ram && !watched && !mem.is_code_page(page)) e.tag_write = vpn;
        return phys;
    }

    const bool nxe = s.efer & kEFER_NXE;
    // I/D: a fetch, with SMEP or with NX in force (PAE/4-level paging and
    // EFER.NXE; 32-bit paging has no NX bit, so NXE alone does not set it).
    const bool nx_paging = nxe && (s.cr4 & kCR4_PAE);
    const uint32_t err = (access == Access::Write ? kPfW : 0) | (user ? kPfU : 0) |
                         (access == Access::Exec && (nx_paging || (s.cr4 & kCR4_SMEP)) ? kPfI : 0);
    auto page_fault = [&](uint32_t extra) {
        s.cr2 = lin;
        raise(kVecPF, err | extra);
    };
    auto read_entry = [&](uint64_t addr, bool wide) -> uint64_t { return mem.read(addr & a20_mask, wide ? 8 : 4); };
    // Reserved in every 8-byte entry: address bits above MAXPHYADDR, and NX without EFER.NXE.
    const uint64_t rsvd64 = kPteAddrReserved | (nxe ? 0 : kPteNX);

    Walk w;
    if (long_mode()) {
        uint64_t table = s.cr3 & kPhysAddrMask;
        for (int level = 4; level >= 1; --level) {
            unsigned shift = 12 + 9 * (level - 1);
            uint64_t addr = table + ((lin >> shift) & 0x1ff) * 8;
            uint64_t ent = read_entry(addr, true);
            if (!(ent & kPteP)) page_fault(0);
            uint64_t rsvd = rsvd64;
            bool large = (level == 2 || level == 3) && (ent & kPtePS);
            if (level == 4) rsvd |= kPtePS;
            if (large) rsvd |= ((1ull << shift) - 1) & ~0x1fffull;  // between the PAT bit (12) and the page base
            if (ent & rsvd) page_fault(kPfP | kPfRsvd);
            w.add(addr, ent, true);
            if (level == 1 || large) {
                w.page_shift = shift;
                w.phys = (ent & kPhysAddrMask & ~((1ull << shift) - 1)) | (lin & ((1ull << shift) - 1) & ~0xfffull);
                break;
            }
            table = ent & kPhysAddrMask;
        }
    } else if (s.cr4 & kCR4_PAE) {
        uint64_t pdpte = s.pdpte[(lin >> 30) & 3];
        if (!(pdpte & kPteP)) page_fault(0);
        uint64_t addr = (pdpte & kPhysAddrMask) + ((lin >> 21) & 0x1ff) * 8;
        uint64_t pde = read_entry(addr, true);
        if (!(pde & kPteP)) page_fault(0);
        if (pde & kPtePS) {
            if (pde & (rsvd64 | 0x1fe000)) page_fault(kPfP | kPfRsvd);
            w.add(addr, pde, true);
            w.page_shift = 21;
            w.phys = (pde & kPhysAddrMask & ~0x1fffffull) | (lin & 0x1ff000);
        } else {
            if (pde & rsvd64) page_fault(kPfP | kPfRsvd);
            w.add(addr, pde, true);
            addr = (pde & kPhysAddrMask) + ((lin >> 12) & 0x1ff) * 8;
            uint64_t pte = read_entry(addr, true);
            if (!(pte & kPteP)) page_fault(0);
            if (pte & rsvd64) page_fault(kPfP | kPfRsvd);
            w.add(addr, pte, true);
            w.phys = pte & kPhysAddrMask;
        }
    } else {
        uint64_t addr = (s.cr3 & 0xfffff000) + ((lin >> 22) & 0x3ff) * 4;
        uint64_t pde = read_entry(addr, false);
        if (!(pde & kPteP)) page_fault(0);
        if ((pde & kPtePS) && (s.cr4 & kCR4_PSE)) {
            // PSE-36: PDE bits 13-20 are physical address bits 32-39; bit 21 is reserved.
            if (pde & (1u << 21)) page_fault(kPfP | kPfRsvd);
            w.add(addr, pde, false);
            w.page_shift = 22;
            w.phys = (pde & 0xffc00000ull) | ((pde >> 13 & 0xff) << 32) | (lin & 0x3ff000);
        } else {
            w.add(addr, pde, false);
            addr = (pde & 0xfffff000) + ((lin >> 12) & 0x3ff) * 4;
            uint64_t pte = read_entry(addr, false);
            if (!(pte & kPteP)) page_fault(0);
            w.add(addr, pte, false);
            w.phys = pte & 0xfffff000;
        }
    }
    const Level& leaf = w.leaf();
    // Global only for leaves, with CR4.PGE (32-bit: 4 MiB pages need PSE, handled above).
    w.global = (leaf.value & kPteG) && (s.cr4 & kCR4_PGE);

    // Permission checks, in the SDM's terms (vol 3, 4.6).
    const bool wp = s.cr0 & kCR0_WP;
    const bool smap = s.cr4 & kCR4_SMAP;
    if (user && !w.user) page_fault(kPfP);
    if (access == Access::Write && !w.writable && (user || wp)) page_fault(kPfP);
    if (access == Access::Exec && w.nx) page_fault(kPfP);
    if (access == Access::Exec && !user && w.user && (s.cr4 & kCR4_SMEP)) page_fault(kPfP);
    // SMAP: supervisor data accesses to user pages, unless an explicit access with AC = 1.
    if (access != Access::Exec && !user && w.user && smap && (implicit_supervisor_access || !(s.rflags & kAC)))
        page_fault(kPfP);

    // The translation succeeds: set accessed bits, and dirty on a write.
    for (unsigned i = 0; i < w.n; ++i) {
        const Level& l = w.levels[i];
        uint64_t v = l.value | kPteA;
        if (i == w.n - 1 && access == Access::Write) v |= kPteD;
        if (v != l.value) mem.write(l.addr & a20_mask, v, l.wide ? 8 : 4);
    }
    const bool dirty = (leaf.value & kPteD) || access == Access::Write;

    uint64_t phys_page = w.phys & a20_mask & ~0xfffull;
    // Fill the TLB for the access types this translation proves valid; keep
    // the other tags only if they came from this same translation.
    if (e.phys_page != phys_page || (e.tag_read != vpn && e.tag_write != vpn && e.tag_exec != vpn)) {
        e = TlbEntry{};
    }
    e.phys_page = phys_page;
    e.global = w.global;
    e.page_shift = static_cast<uint8_t>(w.page_shift);
    uint8_t* ram = mem.ram_page(phys_page);
    e.host = ram ? ram : const_cast<uint8_t*>(mem.readable_page(phys_page));
    const bool user_page_smap = !user && w.user && smap;
    const bool watched = (s.dr[7] & 0xff) && data_breakpoint_on_page(vpn);
    if (!user_page_smap && !watched && e.host) e.tag_read = vpn;
    bool can_write = (user ? w.writable : (w.writable || !wp)) && dirty;
    if (can_write && !user_page_smap && !watched && ram && !mem.is_code_page(phys_page)) e.tag_write = vpn;
    if (!w.nx && !(!user && w.user && (s.cr4 & kCR4_SMEP))) e.tag_exec = vpn;
    return phys_page | (lin & 0xfff);
}

void Cpu::tlb_flush_all() {
    block_cache_.bump_generation();  // chained blocks hold translations
    for (auto& set : tlb_)
        for (TlbEntry& e : set) e = TlbEntry{};
}

void Cpu::tlb_flush_nonglobal() {
    block_cache_.bump_generation();  // chained blocks hold translations
    for (auto& set : tlb_)
        for (TlbEntry& e : set)
            if (!e.global) e = TlbEntry{};
}

void Cpu::tlb_flush_page(uint64_t lin) {
    block_cache_.bump_generation();  // chained blocks hold translations
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
