// Instruction fetch: bytes at CS:RIP through segmentation and paging. Only the
// bytes an instruction really uses may fault, so the second page is touched
// only when the decoder asks for more.
#include <algorithm>

#include "cpu/cpu.h"

namespace petrel {

static unsigned fetch_page_bytes(Cpu& cpu, uint64_t rip, uint8_t* out, unsigned want) {
    uint64_t lin = cpu.linear_address(CS, rip, 1, Access::Exec);
    unsigned in_page = 4096 - (lin & 0xfff);
    unsigned n = std::min(want, in_page);
    // Stay inside the CS limit outside 64-bit mode: bytes past it would #GP.
    if (cpu.code_mode() != CodeMode::Bits64) {
        uint64_t lim = cpu.s.seg[CS].limit;
        uint64_t off = rip & (cpu.code_mode() == CodeMode::Bits32 ? 0xffffffffull : 0xffffull);
        if (off > lim) cpu.raise(kVecGP, 0);
        n = static_cast<unsigned>(std::min<uint64_t>(n, lim - off + 1));
    }
    uint64_t phys = cpu.translate(lin, Access::Exec, cpu.s.cpl == 3);
    const uint8_t* page = cpu.mem.readable_page(phys);
    if (page) {
        memcpy(out, page + (phys & 0xfff), n);
    } else {
        for (unsigned i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(cpu.mem.read(phys + i, 1));
    }
    return n;
}

DecodeStatus Cpu::fetch_decode(DecodedInsn& insn) {
    uint8_t bytes[16];
    unsigned have = fetch_page_bytes(*this, s.rip, bytes, 15);
    DecodeStatus st = decode(bytes, have, code_mode(), insn);
    if (st == DecodeStatus::NeedMore && have < 15) {
        uint64_t mask = code_mode() == CodeMode::Bits64 ? ~0ull : code_mode() == CodeMode::Bits32 ? 0xffffffffull : 0xffffull;
        have += fetch_page_bytes(*this, (s.rip + have) & mask, bytes + have, 15 - have);
        st = decode(bytes, have, code_mode(), insn);
    }
    if (st == DecodeStatus::NeedMore) {
        // Ran into the CS limit (or 15 bytes): the limit check is #GP.
        return have >= 15 ? DecodeStatus::TooLong : (raise(kVecGP, 0), st);
    }
    return st;
}

}  // namespace petrel
