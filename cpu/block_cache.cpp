#include "cpu/block_cache.h"

#include "cpu/cpu.h"

namespace petrel {

namespace {
constexpr size_t kMaxEntries = 1 << 20;  // bound host memory on self-modifying guests

Handler resolve(const DecodedInsn& insn) { return handler_for(insn.op); }
}  // namespace

const CachedInsn& BlockCache::lookup_or_decode(Cpu& cpu) {
    CodeMode mode = cpu.code_mode();
    // 64-bit code: CS has no base or limit, so a canonical RIP that hits the
    // soft TLB's exec tag needs no call at all; anything else takes the full
    // checks (linear_address raises #GP for a non-canonical RIP).
    const uint64_t rip = cpu.s.rip;
    const bool user = cpu.s.cpl == 3;
    uint64_t phys;
    const TlbEntry& te = cpu.tlb_[user ? kTlbUser : kTlbSupervisor][(rip >> 12) % kTlbSize];
    if (mode == CodeMode::Bits64 && te.tag_exec == (rip >> 12) &&
        static_cast<uint64_t>(static_cast<int64_t>(rip << 16) >> 16) == rip) {
        phys = te.phys_page | (rip & 0xfff);
    } else {
        const uint64_t lin = cpu.linear_address(CS, rip, 1, Access::Exec);
        phys = cpu.translate(lin, Access::Exec, user);
    }
    uint64_t key = (phys << 2) | static_cast<uint64_t>(mode);
    FastSlot& fast = fast_[fast_index(key)];
    if (fast.key == key) return *fast.insn;
    if (auto it = map_.find(key); it != map_.end()) {
        fast = FastSlot{key, &it->second};
        return it->second;
    }

    DecodedInsn insn;
    DecodeStatus st = cpu.fetch_decode(insn);
    if (st == DecodeStatus::TooLong) cpu.raise(kVecGP, 0);
    if (st != DecodeStatus::Ok) cpu.raise(kVecUD);
    bool crosses = ((phys & 0xfff) + insn.length) > 4096;
    if (crosses || !cpu.mem.ram_page(phys)) {
        scratch_ = CachedInsn{insn, resolve(insn)};
        return scratch_;
    }
    if (map_.size() >= kMaxEntries) clear();
    cpu.mem.mark_code_page(phys);
    cpu.tlb_flush_phys_page_writes(phys & kPageMask);
    by_page_[phys & kPageMask].push_back(key);
    const CachedInsn& entry = map_.emplace(key, CachedInsn{insn, resolve(insn)}).first->second;
    // fast may be stale if clear() ran above: look the slot up again.
    fast_[fast_index(key)] = FastSlot{key, &entry};
    return entry;
}

void BlockCache::invalidate_page(uint64_t phys_page) {
    auto it = by_page_.find(phys_page);
    if (it == by_page_.end()) return;
    for (uint64_t key : it->second) {
        forget_fast(key);
        map_.erase(key);
    }
    by_page_.erase(it);
}

void BlockCache::clear() {
    for (FastSlot& f : fast_) f = FastSlot{};
    map_.clear();
    by_page_.clear();
}

}  // namespace petrel
