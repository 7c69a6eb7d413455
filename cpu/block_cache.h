// Decoded-instruction cache: instructions are decoded once and kept, keyed by
// the physical address of their first byte and the code mode, with their
// handler resolved. A write to a page holding cached code drops that page's
// entries (PhysicalMemory reports such writes). Instructions that cross a
// page boundary are not cached (their second page could change mapping).
//
// A small direct-mapped array in front of the hash map answers most lookups
// with one compare: it holds pointers to map nodes (stable across rehashing),
// and every erase from the map clears the slot that points at the erased node.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "cpu/decoded_insn.h"

namespace petrel {

class Cpu;
using Handler = void (*)(Cpu&, const DecodedInsn&);

struct CachedInsn {
    DecodedInsn insn;
    Handler handler;
};

class BlockCache {
public:
    // Decodes at CS:RIP if needed; may raise #PF/#GP (fetch) or #UD (decode).
    const CachedInsn& lookup_or_decode(Cpu& cpu);
    void invalidate_page(uint64_t phys_page);
    void clear();
    size_t size() const { return map_.size(); }

private:
    static constexpr size_t kFastSlots = 4096;
    struct FastSlot {
        uint64_t key = ~0ull;
        const CachedInsn* insn = nullptr;
    };
    static size_t fast_index(uint64_t key) { return (key ^ (key >> 14)) & (kFastSlots - 1); }
    void forget_fast(uint64_t key) {
        FastSlot& f = fast_[fast_index(key)];
        if (f.key == key) f = FastSlot{};
    }

    FastSlot fast_[kFastSlots];
    std::unordered_map<uint64_t, CachedInsn> map_;
    std::unordered_map<uint64_t, std::vector<uint64_t>> by_page_;
    CachedInsn scratch_;  // page-crossing instructions
};

}  // namespace petrel
