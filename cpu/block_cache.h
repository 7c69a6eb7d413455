// Basic-block cache: code is decoded once into blocks, each the instructions
// from an entry point up to and including the first one that can change
// control flow or the CPU mode (block_ends_after), the end of the 4 KiB page,
// the CS limit / IP wrap, or kMaxBlockInsns. Blocks are keyed by the physical
// address of their entry and the code mode, with every handler resolved.
// Instructions that cross a page boundary, and code outside RAM, are never
// cached: they come back as a one-instruction scratch block (decoded again
// at each execution).
//
// A write to a page holding cached code drops that page's blocks
// (PhysicalMemory reports such writes). A dropped block is marked dead and
// moved to a graveyard, freed only by collect_garbage(), which the run loop
// calls between instructions: a handler can therefore invalidate the block
// it is running from without pulling its DecodedInsn from under it. Every
// drop bumps generation(), which the run loop compares after each
// instruction to leave a block whose code may have changed (x86 requires the
// next instruction to see a store to it).
//
// A direct-mapped array in front of the hash map answers most lookups with
// one compare; every drop from the map clears the slot that points at it.
#pragma once
#include <cstdint>
#include <memory>
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

struct Block {
    uint64_t key = 0;         // (phys << 2) | CodeMode
    uint32_t bytes = 0;       // total length of the instructions
    bool cached = false;      // false: the scratch block (not in the map)
    // The last instruction keeps the code mode and CPL (a near branch, or
    // not a block-ending op at all): the run loop may chain to the next block.
    bool chainable = false;
    std::vector<CachedInsn> insns;
    // Chaining: up to two successors, each valid for one (generation, CPL)
    // and entry RIP; BlockCache::generation() moves on every drop of code
    // and every TLB flush, so a link never outlives its translation.
    mutable const Block* link[2] = {nullptr, nullptr};
    mutable uint64_t link_rip[2] = {0, 0};
    mutable uint64_t link_ctx[2] = {~0ull, ~0ull};  // generation << 2 | CPL
    mutable uint8_t link_next = 0;
};

// True when a block must end after this instruction: control transfers,
// mode/paging/segment/IF changes, I/O, HLT, and every other system op.
bool block_ends_after(const DecodedInsn& insn);
// Near branches: they end a block but keep the code mode and CPL.
bool is_near_branch(Op op);
// A specialised handler for this form in this code mode, or nullptr
// (cpu/interp/fast_forms.cpp; near branches and PUSH/POP in fast_control.cpp).
Handler fast_handler_for(const DecodedInsn& insn, CodeMode mode);
Handler fast_control_handler_for(const DecodedInsn& insn, CodeMode mode);

class BlockCache {
public:
    static constexpr unsigned kMaxBlockInsns = 64;

    // The block at CS:RIP, decoding it if needed; may raise #PF/#GP (fetch)
    // or #UD (decode) for its first instruction only.
    const Block& lookup(Cpu& cpu);
    void invalidate_page(uint64_t phys_page);
    void clear();
    // Frees dropped blocks: only while no handler runs.
    void collect_garbage() {
        if (!graveyard_.empty()) graveyard_.clear();
    }
    uint64_t generation() const { return generation_; }
    // Translations changed (TLB flush): chained links must be looked up again.
    void bump_generation() { ++generation_; }
    size_t size() const { return map_.size(); }

private:
    static constexpr size_t kFastSlots = 8192;
    struct FastSlot {
        uint64_t key = ~0ull;
        const Block* block = nullptr;
    };
    static size_t fast_index(uint64_t key) { return (key ^ (key >> 13)) & (kFastSlots - 1); }
    void forget_fast(uint64_t key) {
        FastSlot& f = fast_[fast_index(key)];
        if (f.key == key) f = FastSlot{};
    }
    const Block& build(Cpu& cpu, uint64_t phys, uint64_t key, CodeMode mode);

    FastSlot fast_[kFastSlots];
    std::unordered_map<uint64_t, std::unique_ptr<Block>> map_;
    std::unordered_map<uint64_t, std::vector<uint64_t>> by_page_;
    std::vector<std::unique_ptr<Block>> graveyard_;
    uint64_t generation_ = 0;
    Block scratch_;  // page-crossing or non-RAM code: one instruction, not cached
};

}  // namespace petrel
