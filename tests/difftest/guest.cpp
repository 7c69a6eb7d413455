// The Petrel side of the difftest: builds the long-mode environment once,
// then per case loads the state, runs cpu.step() and reads the result back
// (from the exception frame when the instruction faulted).
#include "tests/difftest/guest.h"

#include <cstring>

#include "cpu/system/fxsave_area.h"

namespace petrel::difftest {

namespace {

// Supervisor-only structures, at low addresses the host process never maps.
constexpr uint64_t kGdt = 0x100000, kIdt = 0x101000, kTss = 0x102000, kStack0Top = 0x108000,
                   kHandlers = 0x110000, kPml4 = 0x200000;
constexpr uint16_t kSelCode0 = 0x08, kSelData3 = 0x1b, kSelCode3 = 0x23, kSelTss = 0x28;

uint64_t desc(uint8_t access, uint8_t flags) {
    // Base 0, limit 0xfffff (4 GiB with G).
    return 0xffffull | (uint64_t{access} << 40) | (0xfull << 48) | (uint64_t{flags} << 52);
}

}  // namespace

GuestRunner::GuestRunner() {
    mem_ = std::make_unique<PhysicalMemory>(32ull << 20);
    cpu_ = std::make_unique<Cpu>(*mem_, io_);
    PhysicalMemory& m = *mem_;
    m.write(kGdt + 0x08, desc(0x9b, 0xa), 8);   // ring-0 64-bit code
    m.write(kGdt + 0x10, desc(0x93, 0xc), 8);   // ring-0 data
    m.write(kGdt + 0x18, desc(0xf3, 0xc), 8);   // ring-3 data
    m.write(kGdt + 0x20, desc(0xfb, 0xa), 8);   // ring-3 64-bit code
    // 64-bit TSS (busy), 16 bytes.
    m.write(kGdt + 0x28, 0x67 | ((kTss & 0xffffff) << 16) | (0x8bull << 40) | ((kTss >> 24) << 56), 8);
    m.write(kGdt + 0x30, kTss >> 32, 8);
    m.write(kTss + 4, kStack0Top, 8);  // RSP0
    for (unsigned v = 0; v < 32; ++v) {
        const uint64_t off = kHandlers + v * 16;
        const uint64_t lo = (off & 0xffff) | (uint64_t{kSelCode0} << 16) | (0x8eull << 40) | ((off >> 16 & 0xffff) << 48);
        m.write(kIdt + v * 16, lo, 8);
        m.write(kIdt + v * 16 + 8, off >> 32, 8);
    }
    // Page tables: PML4 -> PDPT -> PD; PD[0] -> PT_low (supervisor pages),
    // PD[8] -> PT_test (0x1000000.., the code and data pages, user).
    const uint64_t pdpt = kPml4 + 0x1000, pd = kPml4 + 0x2000, pt_low = kPml4 + 0x3000, pt_test = kPml4 + 0x4000;
    m.write(kPml4, pdpt | 7, 8);
    m.write(pdpt, pd | 7, 8);
    m.write(pd, pt_low | 7, 8);
    m.write(pd + 8 * 8, pt_test | 7, 8);
    for (uint64_t a = 0x100000; a < 0x120000; a += 4096) m.write(pt_low + ((a >> 12) & 511) * 8, a | 3, 8);
    auto map_user = [&](uint64_t a, bool writable) {
        m.write(pt_test + ((a >> 12) & 511) * 8, a | 5 | (writable ? 2 : 0), 8);
    };
    map_user(kCodePage, false);
    for (uint64_t i = 0; i < kDataPages; ++i) map_user(kDataLo + i * 4096, true);

    CpuState& s = cpu_->s;
    s.cr0 = kCR0_PE | kCR0_PG | kCR0_ET | kCR0_NE | kCR0_WP | kCR0_MP;
    // CR4.OSXSAVE with XCR0 = x87 | SSE, the state Petrel implements (the
    // harness limits the XSAVE family's EDX:EAX to bits 0-1, so RFBM is the
    // same as under the host's larger XCR0).
    s.cr4 = kCR4_PAE | kCR4_OSFXSR | kCR4_OSXMMEXCPT | kCR4_OSXSAVE;
    s.xcr0 = 3;
    s.efer = kEFER_LME | kEFER_LMA | kEFER_NXE | kEFER_SCE;
    s.cr3 = kPml4;
    s.gdtr = DescriptorTable{kGdt, 0x37};
    s.idtr = DescriptorTable{kIdt, 32 * 16 - 1};
    s.tr = Segment{kSelTss, 0x8b, 0x67, kTss};
    user_cs_ = Segment{kSelCode3, 0xafb, 0xffffffff, 0};
    user_ss_ = Segment{kSelData3, 0xcf3, 0xffffffff, 0};
    cpu_->tlb_flush_all();
}

uint8_t* GuestRunner::data() { return mem_->ram_page(kDataLo); }

RunResult GuestRunner::run(const uint8_t* code_page, const State& in, const DecodedInsn* pre) {
    Cpu& c = *cpu_;
    CpuState& s = c.s;
    // Only the changed bytes are written, through PhysicalMemory, so a
    // changed instruction drops its cached decoding.
    const uint8_t* cur = mem_->ram_page(kCodePage);
    for (unsigned i = 0; i < 4096;) {
        if (cur[i] == code_page[i]) {
            ++i;
            continue;
        }
        unsigned j = i;
        while (j < 4096 && cur[j] != code_page[j]) ++j;
        mem_->write_bytes(kCodePage + i, code_page + i, j - i);
        i = j;
    }

    c.clear_shutdown();
    s.halted = false;
    s.interrupt_shadow = false;
    s.pending_db = 0;
    s.tf_at_start = false;
    s.cpl = 3;
    s.seg[CS] = user_cs_;
    s.seg[SS] = s.seg[DS] = s.seg[ES] = user_ss_;
    s.seg[FS] = s.seg[GS] = Segment{0, 0, 0, 0};
    memcpy(s.gpr, in.gpr, sizeof s.gpr);
    for (int i = 0; i < 16; ++i) memcpy(s.xmm[i].q, in.xmm[i], 16);
    s.mxcsr = in.mxcsr;
    fp_area_load_x87(c, in.fx, true);
    s.rip = kInsnAddr;
    c.set_rflags(in.rflags | kIF);

    if (!pre) {
        c.step();
    } else {
        c.next_rip = s.rip + pre->length;
        try {
            handler_for(pre->op)(c, *pre);
            s.rip = c.next_rip;
        } catch (const CpuFault& f) {
            c.deliver_event(f.vector, Cpu::EventKind::Exception, f.has_error, f.error);
        }
    }

    RunResult r;
    memcpy(r.state.gpr, s.gpr, sizeof s.gpr);
    for (int i = 0; i < 16; ++i) memcpy(r.state.xmm[i], s.xmm[i].q, 16);
    r.state.mxcsr = s.mxcsr;
    memset(r.state.fx, 0, sizeof r.state.fx);
    fp_area_store_x87(c, r.state.fx, true);
    r.state.rflags = c.rflags();
    if (c.is_shut_down()) {
        r.outcome = Outcome::Other;
        r.detail = -1;
    } else if (s.rip >= kHandlers && s.rip < kHandlers + 32 * 16) {
        const unsigned vec = static_cast<unsigned>((s.rip - kHandlers) / 16);
        r.detail = static_cast<int>(vec);
        switch (vec) {
            case kVecDE: case kVecMF: case kVecXM: r.outcome = Outcome::DivideError; break;
            case kVecUD: r.outcome = Outcome::InvalidOpcode; break;
            case kVecSS: case kVecGP: case kVecPF: case kVecAC: r.outcome = Outcome::MemoryFault; break;
            case kVecDB: case kVecBP: r.outcome = Outcome::Trap; break;
            default: r.outcome = Outcome::Other; break;
        }
        // The frame: [error code] RIP CS RFLAGS RSP SS.
        const bool has_err = vec == 8 || (vec >= 10 && vec <= 14) || vec == 17;
        const uint64_t frame = s.gpr[RSP] + (has_err ? 8 : 0);
        r.state.rflags = mem_->read(frame + 16, 8);
        r.state.gpr[RSP] = mem_->read(frame + 24, 8);
    } else {
        r.state.gpr[RSP] = s.gpr[RSP];
    }
    const uint8_t* d = mem_->ram_page(kDataLo);
    r.data.assign(d, d + kDataSize);
    return r;
}

}  // namespace petrel::difftest
