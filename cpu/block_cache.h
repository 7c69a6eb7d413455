// Decoded-instruction cache: instructions are decoded once and kept, keyed by
// the physical address of their first byte and the code mode, with their
// handler resolved. A write to a page holding cached code drops that page's
// entries (PhysicalMemory reports such writes). Instructions that cross a
// page boundary are not cached (their second page could change mapping).
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
    std::unordered_map<uint64_t, CachedInsn> map_;
    std::unordered_map<uint64_t, std::vector<uint64_t>> by_page_;
    CachedInsn scratch_;  // page-crossing instructions
};

}  // namespace petrel
