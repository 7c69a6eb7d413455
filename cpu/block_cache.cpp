#include "cpu/block_cache.h"

#include <algorithm>

#include "cpu/cpu.h"

namespace petrel {

namespace {
constexpr size_t kMaxBlocks = 1 << 18;  // bound host memory on self-modifying guests

Handler resolve(const DecodedInsn& insn, CodeMode mode) {
    if (Handler h = fast_handler_for(insn, mode)) return h;
    return handler_for(insn.op);
}

struct EndTable {
    bool ends[kOpCount] = {};
    EndTable() {
        // Control transfers and events.
        for (Op op : {Op::INVALID, Op::JMP, Op::JMP_FAR, Op::JCC, Op::JCXZ, Op::LOOP, Op::LOOPE, Op::LOOPNE,
                      Op::CALL, Op::CALL_FAR, Op::RET, Op::RET_FAR, Op::INT, Op::INT3, Op::INTO, Op::INT1,
                      Op::IRET, Op::BOUND, Op::SYSCALL, Op::SYSRET, Op::SYSENTER, Op::SYSEXIT})
            ends[static_cast<size_t>(op)] = true;
        // Segment loads (CS/SS: mode, shadow), RFLAGS.IF/TF writers, control
        // and debug registers.
        for (Op op : {Op::MOV_SREG, Op::MOV_CR, Op::MOV_DR, Op::POPF, Op::LDS, Op::LES, Op::LFS, Op::LGS,
                      Op::LSS, Op::CLI, Op::STI})
            ends[static_cast<size_t>(op)] = true;
        // Everything in the system family except a few pure ones.
        for (Op op : {Op::HLT, Op::UD0, Op::UD1, Op::UD2, Op::CPUID, Op::RDMSR, Op::WRMSR, Op::RDPMC, Op::IN,
                      Op::OUT, Op::INS, Op::OUTS, Op::LGDT, Op::SGDT, Op::LIDT, Op::SIDT, Op::LLDT, Op::SLDT,
                      Op::LTR, Op::STR, Op::LMSW, Op::SMSW, Op::CLTS, Op::ARPL, Op::LAR, Op::LSL, Op::VERR,
                      Op::VERW, Op::INVD, Op::WBINVD, Op::INVLPG, Op::INVPCID, Op::SWAPGS, Op::XSETBV,
                      Op::XRSTOR, Op::WRFSBASE, Op::WRGSBASE, Op::MONITOR, Op::MWAIT, Op::RSM})
            ends[static_cast<size_t>(op)] = true;
    }
};
const EndTable kEnds;
}  // namespace

bool block_ends_after(const DecodedInsn& insn) {
    if (kEnds.ends[static_cast<size_t>(insn.op)]) return true;
    // POP SS / POP DS...: a segment load.
    if (insn.op == Op::POP && insn.nops > 0 && insn.ops[0].kind == OpKind::Seg) return true;
    // MOV Sreg spelled as a plain MOV by the decoder.
    if (insn.op == Op::MOV && insn.ops[0].kind == OpKind::Seg) return true;
    return false;
}

bool is_near_branch(Op op) {
    switch (op) {
        case Op::JMP: case Op::JCC: case Op::JCXZ: case Op::LOOP: case Op::LOOPE: case Op::LOOPNE:
        case Op::CALL: case Op::RET:
            return true;
        default:
            return false;
    }
}

const Block& BlockCache::lookup(Cpu& cpu) {
    const CodeMode mode = cpu.code_mode();
    const uint64_t rip = cpu.s.rip;
    const bool user = cpu.s.cpl == 3;
    uint64_t lin;
    if (mode == CodeMode::Bits64) {
        // CS has no base or limit: a canonical RIP needs no segment checks.
        lin = rip;
        if (!is_canonical(rip))
            lin = cpu.linear_address(CS, rip, 1, Access::Exec);  // raises #GP
    } else {
        // CS always holds a present code segment (never expand-down).
        const Segment& cs = cpu.s.seg[CS];
        if (rip > cs.limit) cpu.raise(kVecGP, 0);
        lin = (cs.base + rip) & 0xffffffffull;
    }
    uint64_t phys;
    const TlbEntry& te = cpu.tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
    if (te.tag_exec == (lin >> 12)) phys = te.phys_page | (lin & 0xfff);
    else phys = cpu.translate(lin, Access::Exec, user);

    const uint64_t key = (phys << 2) | static_cast<uint64_t>(mode);
    FastSlot& fast = fast_[fast_index(key)];
    if (fast.key == key) return *fast.block;
    if (auto it = map_.find(key); it != map_.end()) {
        fast = FastSlot{key, it->second.get()};
        return *it->second;
    }
    return build(cpu, phys, key, mode);
}

const Block& BlockCache::build(Cpu& cpu, uint64_t phys, uint64_t key, CodeMode mode) {
    DecodedInsn insn;
    DecodeStatus st = cpu.fetch_decode(insn);
    if (st == DecodeStatus::TooLong) cpu.raise(kVecGP, 0);
    if (st != DecodeStatus::Ok) cpu.raise(kVecUD);
    const unsigned in_page = 4096 - (phys & 0xfff);
    const uint8_t* page = insn.length <= in_page ? cpu.mem.ram_page(phys) : nullptr;
    if (!page) {
        scratch_.key = key;
        scratch_.bytes = insn.length;
        scratch_.cached = false;
        scratch_.insns.assign(1, CachedInsn{insn, resolve(insn, mode)});
        return scratch_;
    }
    if (map_.size() >= kMaxBlocks) clear();
    auto b = std::make_unique<Block>();
    b->key = key;
    b->cached = true;
    b->insns.reserve(8);
    b->insns.push_back(CachedInsn{insn, resolve(insn, mode)});
    unsigned bytes = insn.length;
    // Outside 64-bit mode the block stays inside the CS limit and the IP
    // wrap (the run loop checks the limit again at entry).
    uint64_t seg_room = ~0ull;
    if (mode != CodeMode::Bits64) {
        const uint64_t wrap = mode == CodeMode::Bits32 ? 0xffffffffull : 0xffffull;
        const uint64_t top = std::min<uint64_t>(cpu.s.seg[CS].limit, wrap);
        const uint64_t off = cpu.s.rip;
        seg_room = off <= top ? top - off + 1 : 0;
    }
    const uint8_t* host = page + (phys & 0xfff);
    while (!block_ends_after(b->insns.back().insn) && b->insns.size() < kMaxBlockInsns) {
        const uint64_t avail = std::min<uint64_t>(in_page, seg_room);
        if (bytes >= avail) break;
        DecodedInsn next;
        if (decode(host + bytes, avail - bytes, mode, next) != DecodeStatus::Ok) break;
        b->insns.push_back(CachedInsn{next, resolve(next, mode)});
        bytes += next.length;
    }
    b->bytes = bytes;
    const DecodedInsn& last = b->insns.back().insn;
    b->chainable = !block_ends_after(last) || is_near_branch(last.op);
    b->insns.shrink_to_fit();
    cpu.mem.mark_code_page(phys);
    cpu.tlb_flush_phys_page_writes(phys & kPageMask);
    by_page_[phys & kPageMask].push_back(key);
    const Block* raw = b.get();
    map_.emplace(key, std::move(b));
    fast_[fast_index(key)] = FastSlot{key, raw};
    return *raw;
}

void BlockCache::invalidate_page(uint64_t phys_page) {
    auto it = by_page_.find(phys_page);
    if (it == by_page_.end()) return;
    for (uint64_t key : it->second) {
        forget_fast(key);
        if (auto m = map_.find(key); m != map_.end()) {
            graveyard_.push_back(std::move(m->second));
            map_.erase(m);
        }
    }
    by_page_.erase(it);
    ++generation_;
}

void BlockCache::clear() {
    for (FastSlot& f : fast_) f = FastSlot{};
    for (auto& [key, b] : map_) graveyard_.push_back(std::move(b));
    map_.clear();
    by_page_.clear();
    ++generation_;
}

}  // namespace petrel
