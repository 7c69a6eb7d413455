// Cpu: one x86-64 CPU — its state, how it reaches memory and ports, and the
// run loop. Instruction semantics live in cpu/interp/ (one handler per Op,
// one file per family); the page walk in cpu/mmu.cpp; exception and interrupt
// delivery, segment loading and mode changes in cpu/system/.
//
// Invariants:
// - Handlers do every access that can fault before they change architectural
//   state, so a fault leaves the state at the instruction boundary (the run
//   loop restores RIP and RSP-affecting state it committed itself).
// - Guest faults are C++ exceptions of type CpuFault thrown by raise(); the
//   run loop catches them and delivers the exception to the guest.
// - s.rip points at the current instruction while its handler runs;
//   next_rip is where execution continues unless the handler changes it.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>

#include "cpu/block_cache.h"
#include "cpu/decoded_insn.h"
#include "cpu/interrupt_controller.h"
#include "cpu/state.h"
#include "memory/bus.h"
#include "memory/physical_memory.h"

namespace petrel {

struct CpuFault {
    uint8_t vector;
    bool has_error;
    uint32_t error;
};

enum class Access : uint8_t { Read = 0, Write = 1, Exec = 2 };

// Why run() returned.
enum class StopReason : uint8_t { Budget, Halted, StopRequested, Shutdown };

// One soft-TLB entry: a linear page mapped to a physical page, with a host
// pointer when the page is plain RAM. Separate tags per access type let a
// read-only or code page hit for reads while writes take the slow path.
struct TlbEntry {
    uint64_t tag_read = ~0ull;   // linear page number | 0 when valid for reads
    uint64_t tag_write = ~0ull;
    uint64_t tag_exec = ~0ull;
    uint64_t phys_page = 0;
    uint8_t* host = nullptr;     // host address of the page (RAM), or nullptr
    bool global = false;
    uint8_t page_shift = 12;     // 12, 21, 22 or 30: the guest page this entry came from
};

constexpr unsigned kTlbSize = 256;
// TLB sets by privilege of the access (user / supervisor), since page
// permissions differ between them.
constexpr unsigned kTlbUser = 0, kTlbSupervisor = 1, kTlbSets = 2;

class Cpu {
public:
    Cpu(PhysicalMemory& mem, Bus& io);

    CpuState s;
    PhysicalMemory& mem;
    Bus& io;
    InterruptController* intc = nullptr;  // the local APIC, once wired
    // Host-side hooks, set by the machine.
    std::function<uint64_t()> tsc_source;             // raw TSC (virtual time in TSC ticks)
    std::function<void(const char* why)> on_shutdown; // triple fault / shutdown cycle
    std::function<void(uint64_t)> on_apic_base_write; // IA32_APIC_BASE MSR
    std::function<uint64_t()> on_apic_base_read;
    // IA32_TSC_DEADLINE (MSR 0x6E0): the local APIC's deadline timer. Without
    // hooks the MSR reads 0 and ignores writes.
    std::function<void(uint64_t)> on_tsc_deadline_write;
    std::function<uint64_t()> on_tsc_deadline_read;
    // FERR#: with CR0.NE = 0 an unmasked x87 exception pending at a waiting
    // x87/MMX instruction is signalled here (a PC routes it to IRQ 13)
    // instead of as #MF; the instruction then proceeds (IGNNE#).
    std::function<void()> on_ferr;
    uint32_t apic_id = 0;           // CPUID.1:EBX[31:24]; the machine sets it per vCPU

    uint64_t icount = 0;            // instructions retired
    uint64_t a20_mask = ~0ull;      // ~(1 << 20) while the A20 gate is closed: change it with set_a20()
    // Set while the CPU itself reads/writes descriptor tables or the TSS:
    // these are supervisor accesses whatever the CPL, and SMAP blocks user
    // pages for them regardless of EFLAGS.AC.
    bool implicit_supervisor_access = false;
    uint64_t next_rip = 0;          // set before each handler runs
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> irq_pending{false};  // a device changed an interrupt line: re-check

    // Power-on / RESET state (SDM vol 3 table 9-1).
    void reset();
    // INIT (cpu/system/init_sipi.cpp): RESET state except what INIT keeps
    // (x87/SSE state, most MSRs, CR0.CD/NW). A BSP restarts at the reset
    // vector; an AP waits for a startup IPI. startup_ipi() starts a waiting
    // CPU in real mode at vector << 12 and is ignored otherwise.
    void init_signal(bool bsp);
    void startup_ipi(uint8_t vector);
    // Runs up to max_insns instructions (fewer when halted, stopped or shut
    // down; it may overshoot by the rest of one block). Whole cached blocks
    // run at a time; interrupts are looked for at block boundaries, when
    // irq_pending is set (and once per call). Single-step, an interrupt
    // shadow, RF, pending debug traps or enabled DR7 breakpoints make it
    // fall back to step().
    StopReason run(uint64_t max_insns);
    // Executes exactly one instruction (or delivers one pending event); polls
    // the interrupt controller every time.
    void step();

    // The A20 line (i8042 output port / port 92h): masks physical address bit 20
    // when disabled. Flushes the TLB and decoded code when it changes.
    void set_a20(bool enabled);
    // RDRAND/RDSEED generator. Seeded from host entropy at construction; a
    // deterministic run seeds it with a fixed value (reset() restarts from it).
    void seed_rng(uint64_t seed);
    uint64_t next_random();

    // ---- registers
    uint64_t gpr_read(uint8_t reg, unsigned size) const {
        if (reg >= kHighByteBase) return (s.gpr[reg - kHighByteBase] >> 8) & 0xff;
        uint64_t v = s.gpr[reg];
        switch (size) {
            case 1: return v & 0xff;
            case 2: return v & 0xffff;
            case 4: return v & 0xffffffff;
            default: return v;
        }
    }
    void gpr_write(uint8_t reg, unsigned size, uint64_t v) {
        if (reg >= kHighByteBase) {
            uint64_t& r = s.gpr[reg - kHighByteBase];
            r = (r & ~0xff00ull) | ((v & 0xff) << 8);
            return;
        }
        uint64_t& r = s.gpr[reg];
        switch (size) {
            case 1: r = (r & ~0xffull) | (v & 0xff); break;
            case 2: r = (r & ~0xffffull) | (v & 0xffff); break;
            case 4: r = v & 0xffffffff; break;  // 32-bit writes zero-extend
            default: r = v; break;
        }
    }

    // ---- flags (cpu/interp/flags.cpp)
    uint64_t rflags();                  // materialized RFLAGS
    void set_rflags(uint64_t value);    // raw write of every writable bit; no privilege rules
    bool cf(); bool pf(); bool af(); bool zf(); bool sf(); bool of();
    bool cond(unsigned cc);             // Jcc/SETcc/CMOVcc condition 0-15
    // Privileged-flag rules (cpu/system/flags_privilege.cpp). The integer
    // family's PUSHF/POPF use these: pushf_image() is the value PUSHF stores
    // (VM and RF clear, VIF shown as IF under VME), popf_apply() merges a
    // popped value with the IOPL/IF/VIF rules of the current CPL and mode.
    // Both raise #GP(0) where the SDM says. CLI/STI are registered by
    // cpu/system; STI opens the interrupt shadow. MOV SS/POP SS need nothing:
    // load_segment(SS, ...) opens the shadow itself.
    void cli();
    void sti();
    uint64_t pushf_image(unsigned opsize);
    void popf_apply(uint64_t value, unsigned opsize);
    void set_lazy(uint8_t op, unsigned size, uint64_t result, uint64_t src1, uint64_t src2) {
        s.lazy = LazyFlags{result, src1, src2, op, static_cast<uint8_t>(size)};
    }

    // ---- modes
    bool long_mode() const { return s.efer & kEFER_LMA; }
    bool protected_mode() const { return s.cr0 & kCR0_PE; }
    bool v86_mode() const { return s.rflags & kVM; }
    bool paging() const { return s.cr0 & kCR0_PG; }
    CodeMode code_mode() const {
        if (long_mode() && s.seg[CS].l()) return CodeMode::Bits64;
        return s.seg[CS].db() ? CodeMode::Bits32 : CodeMode::Bits16;
    }
    unsigned stack_addr_size() const {
        if (code_mode() == CodeMode::Bits64) return 8;
        return s.seg[SS].db() ? 4 : 2;
    }

    // ---- faults
    [[noreturn]] void raise(uint8_t vector) { throw CpuFault{vector, false, 0}; }
    [[noreturn]] void raise(uint8_t vector, uint32_t error) { throw CpuFault{vector, true, error}; }

    // ---- memory through segments: seg is a SegIndex, offset the effective address.
    // Checks limits/canonical form, then pages; raises #GP/#SS/#PF/#AC as hardware does.
    [[gnu::always_inline]] uint64_t linear_address(unsigned seg, uint64_t offset, unsigned size, Access access) {
        // Fast paths for the accesses that cannot fault here: with EFLAGS.AC
        // clear (no #AC), a canonical 64-bit address, or an offset inside a
        // present, writable, expand-up data segment (which also covers real
        // mode's segments). Everything else takes the full checks.
        if (!(s.rflags & kAC) && access != Access::Exec) {
            if (code_mode() == CodeMode::Bits64) {
                const uint64_t lin = offset + ((seg == FS || seg == GS) ? s.seg[seg].base : 0);
                if (is_canonical(lin) && is_canonical(lin + size - 1)) return lin;
            } else {
                const Segment& sg = s.seg[seg];
                if ((sg.attr & 0x9e) == 0x92 && offset + size - 1 <= sg.limit)
                    return (sg.base + offset) & 0xffffffffull;
            }
        }
        return linear_address_checked(seg, offset, size, access);
    }
    // linear_address with every check (raises the fault).
    uint64_t linear_address_checked(unsigned seg, uint64_t offset, unsigned size, Access access);
    [[gnu::always_inline]] uint64_t read_mem(unsigned seg, uint64_t offset, unsigned size) {
        return read_linear(linear_address(seg, offset, size, Access::Read), size, s.cpl == 3);
    }
    [[gnu::always_inline]] void write_mem(unsigned seg, uint64_t offset, unsigned size, uint64_t value) {
        write_linear(linear_address(seg, offset, size, Access::Write), size, value, s.cpl == 3);
    }
    // 16-byte and 10-byte accesses (SSE, x87, CMPXCHG16B).
    void read_mem_bytes(unsigned seg, uint64_t offset, void* out, unsigned size);
    void write_mem_bytes(unsigned seg, uint64_t offset, const void* in, unsigned size);

    // Little-endian host RAM access of 1, 2, 4 or 8 bytes: fixed-size copies
    // the compiler turns into one move (a memcpy of a variable size is a libc call).
    static uint64_t host_load(const uint8_t* p, unsigned size) {
        switch (size) {
            case 1: return *p;
            case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
            case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
            case 8: { uint64_t v; memcpy(&v, p, 8); return v; }
            default: { uint64_t v = 0; memcpy(&v, p, size); return v; }
        }
    }
    static void host_store(uint8_t* p, unsigned size, uint64_t value) {
        switch (size) {
            case 1: *p = static_cast<uint8_t>(value); return;
            case 2: { uint16_t v = static_cast<uint16_t>(value); memcpy(p, &v, 2); return; }
            case 4: { uint32_t v = static_cast<uint32_t>(value); memcpy(p, &v, 4); return; }
            case 8: memcpy(p, &value, 8); return;
            default: memcpy(p, &value, size); return;
        }
    }

    // ---- memory by linear address (implicit supervisor accesses pass user=false)
    [[gnu::always_inline]] uint64_t read_linear(uint64_t lin, unsigned size, bool user) {
        TlbEntry& e = tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
        if (e.tag_read == (lin >> 12) && e.host && ((lin & 0xfff) + size) <= 4096)
            return host_load(e.host + (lin & 0xfff), size);
        return read_linear_slow(lin, size, user);
    }
    [[gnu::always_inline]] void write_linear(uint64_t lin, unsigned size, uint64_t value, bool user) {
        TlbEntry& e = tlb_[user ? kTlbUser : kTlbSupervisor][(lin >> 12) % kTlbSize];
        if (e.tag_write == (lin >> 12) && e.host && ((lin & 0xfff) + size) <= 4096) {
            host_store(e.host + (lin & 0xfff), size, value);
            return;
        }
        write_linear_slow(lin, size, value, user);
    }
    // Checks that a linear range is writable (all pages) without writing: lets a
    // handler fault before it commits anything (PUSH of several values, ENTER).
    void probe_write(uint64_t lin, unsigned size, bool user);

    // ---- stack (SS, with the stack address size)
    static uint64_t stack_mask_for(unsigned addr_size) {
        return addr_size >= 8 ? ~0ull : (1ull << (8 * addr_size)) - 1;
    }
    [[gnu::always_inline]] void push(uint64_t value, unsigned size) {
        const unsigned ss = stack_addr_size();
        const uint64_t rsp = (s.gpr[RSP] - size) & stack_mask_for(ss);
        write_mem(SS, rsp, size, value);
        gpr_write(RSP, ss, rsp);
    }
    [[gnu::always_inline]] uint64_t pop(unsigned size) {
        const unsigned ss = stack_addr_size();
        const uint64_t rsp = s.gpr[RSP] & stack_mask_for(ss);
        const uint64_t v = read_mem(SS, rsp, size);
        gpr_write(RSP, ss, rsp + size);
        return v;
    }
    [[gnu::always_inline]] uint64_t read_stack(uint64_t offset_from_rsp, unsigned size) {  // without moving RSP
        const unsigned ss = stack_addr_size();
        return read_mem(SS, (s.gpr[RSP] + offset_from_rsp) & stack_mask_for(ss), size);
    }

    // ---- port I/O (permission checks: IOPL / TSS bitmap, in cpu/system)
    uint64_t port_in(uint16_t port, unsigned size);
    void port_out(uint16_t port, unsigned size, uint64_t value);
    bool io_permitted(uint16_t port, unsigned size);

    // ---- paging (cpu/mmu.cpp): linear -> physical or #PF
    uint64_t translate(uint64_t lin, Access access, bool user);
    void tlb_flush_all();          // MOV CR3 without PCID, mode changes
    void tlb_flush_nonglobal();
    void tlb_flush_page(uint64_t lin);
    void tlb_flush_phys_page_writes(uint64_t phys_page);  // a page became a code page

    // ---- system (cpu/system/*.cpp)
    enum class EventKind : uint8_t { External, Nmi, Exception, SoftwareInt, Int3, Into, Int1 };
    // Delivers an interrupt or exception through the IDT/IVT (handles #DF/triple fault).
    // Sets both s.rip and next_rip to the handler, so it works from the run
    // loop and from inside an instruction's handler (INT n).
    void deliver_event(uint8_t vector, EventKind kind, bool has_error, uint32_t error);
    uint64_t return_address(EventKind kind) const;
    // MOV Sreg / POP Sreg / LxS: selector load with every protected-mode check
    // (loading SS opens the MOV SS interrupt shadow). seg == CS is for loaders
    // only: a present code segment, CPL = RPL. Far transfers load CS themselves.
    void load_segment(unsigned seg, uint16_t selector);
    // Real/V86 mode: base = selector << 4, attributes unchanged.
    void load_segment_real(unsigned seg, uint16_t selector);
    void write_cr(unsigned n, uint64_t value);  // with #GP checks and TLB/mode side effects
    uint64_t read_cr(unsigned n);
    bool rdmsr(uint32_t index, uint64_t& value);  // false: #GP
    bool wrmsr(uint32_t index, uint64_t value);
    uint64_t read_tsc();
    void update_mode();  // recompute EFER.LMA/CPL-derived caches after CR0/EFER/CS changes
    void load_pdptes(uint64_t cr3);  // PAE (not IA-32e): cache the 4 PDPTEs; #GP(0) on reserved bits
    void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);  // EAX, EBX, ECX, EDX

    // ---- debug (cpu/system/debug.cpp)
    void check_data_breakpoints(uint64_t lin, unsigned size, bool write);  // records DR6 hits
    void check_instruction_breakpoints();   // #DB fault when an enabled DRn matches CS:RIP
    void check_io_breakpoints(uint16_t port, unsigned size);  // CR4.DE I/O breakpoints (traps)
    void debug_trap_after_instruction();    // single-step / data-breakpoint #DB trap
    bool data_breakpoint_on_page(uint64_t vpn) const;

    // Decoder entry used by the run loop and the block cache.
    DecodeStatus fetch_decode(DecodedInsn& insn);

    TlbEntry tlb_[kTlbSets][kTlbSize];
    BlockCache& block_cache() { return block_cache_; }
    // Triple fault or a fault no handler can take: the machine decides (reset / exit).
    void shutdown(const char* why);
    bool is_shut_down() const { return shutdown_; }
    void clear_shutdown() { shutdown_ = false; }

private:
    void on_code_page_written(uint64_t page);
    BlockCache block_cache_;
    bool shutdown_ = false;
    uint64_t rng_seed_ = host_entropy_seed();
    uint64_t tlb_a20_mask_ = ~0ull;  // the a20_mask the TLB was filled with
    static uint64_t host_entropy_seed();
    uint64_t read_linear_slow(uint64_t lin, unsigned size, bool user);
    void write_linear_slow(uint64_t lin, unsigned size, uint64_t value, bool user);
    void fill_tlb(uint64_t lin, Access access, bool user, uint64_t phys);
    // Polls the interrupt controller and delivers what it may; true when an
    // event was delivered. Keeps irq_pending / irq_wait_* up to date.
    bool check_interrupts();
    void execute_one();
    // The block loop (cpu.cpp): runs the cached block at CS:RIP.
    // Returns the block when the loop may chain from it (see Block::link).
    // end: the icount at which to stop going on into chained blocks.
    const Block* run_block(const Block* prev, uint64_t end);
    const Block* linked_successor(const Block* prev, uint64_t ctx, bool bits64) const;
    void deliver_fault(const CpuFault& f);
    // Something was pending but not deliverable (IF = 0 / NMI blocked): poll
    // again at the next block boundary where that changed.
    bool irq_wait_if_ = false;
    bool irq_wait_nmi_ = false;
};

// The handler of each Op (cpu/interp/handlers.cpp). Unset ops raise #UD.
Handler handler_for(Op op);

}  // namespace petrel
