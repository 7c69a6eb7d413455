// Descriptors and the small helpers every system file shares: reading a
// descriptor named by a selector (GDT or LDT), its fields, the accessed-bit
// write, loading a segment cache, selector error codes and the TSS fields.
// Internal to cpu/system.
#pragma once
#include <cstdint>

#include "cpu/cpu.h"

namespace petrel {

// Descriptor types (bits 40-43) of system descriptors (S = 0).
enum : unsigned {
    kTss16Avail = 1, kLdtType = 2, kTss16Busy = 3, kCallGate16 = 4, kTaskGate = 5,
    kIntGate16 = 6, kTrapGate16 = 7, kTss32Avail = 9, kTss32Busy = 0xb, kCallGate32 = 0xc,
    kIntGate32 = 0xe, kTrapGate32 = 0xf,
};

// A descriptor as read from a table. hi is the second quadword of the 16-byte
// system descriptors of long mode (LDT, TSS, gates); 0 otherwise.
struct Descriptor {
    uint64_t lo = 0, hi = 0;

    unsigned type() const { return (lo >> 40) & 0xf; }
    bool s() const { return (lo >> 44) & 1; }
    unsigned dpl() const { return (lo >> 45) & 3; }
    bool present() const { return (lo >> 47) & 1; }
    bool is_code() const { return s() && (type() & 8); }
    bool is_data() const { return s() && !(type() & 8); }
    bool conforming() const { return is_code() && (type() & 4); }
    bool readable() const { return !is_code() || (type() & 2); }   // code: R bit; data always
    bool writable_data() const { return is_data() && (type() & 2); }
    bool l() const { return (lo >> 53) & 1; }
    bool db() const { return (lo >> 54) & 1; }
    uint16_t attr() const { return static_cast<uint16_t>(((lo >> 40) & 0xff) | (((lo >> 52) & 0xf) << 8)); }
    uint32_t limit() const {
        uint32_t raw = static_cast<uint32_t>((lo & 0xffff) | ((lo >> 32) & 0xf0000));
        return (lo >> 55) & 1 ? (raw << 12) | 0xfff : raw;
    }
    uint64_t base() const { return ((lo >> 16) & 0xffffff) | (((lo >> 56) & 0xff) << 24); }
    uint64_t base64() const { return base() | ((hi & 0xffffffff) << 32); }  // long-mode LDT/TSS

    // Gates.
    uint16_t gate_selector() const { return static_cast<uint16_t>(lo >> 16); }
    uint32_t gate_offset32() const { return static_cast<uint32_t>((lo & 0xffff) | ((lo >> 32) & 0xffff0000)); }
    uint64_t gate_offset64() const { return gate_offset32() | ((hi & 0xffffffff) << 32); }
    unsigned gate_params() const { return (lo >> 32) & 0x1f; }  // call-gate parameter count
    unsigned gate_ist() const { return (lo >> 32) & 7; }         // long-mode interrupt gates
};

// Descriptor-table and TSS accesses are implicit supervisor accesses: paging
// treats them as CPL 0 and SMAP blocks user pages regardless of EFLAGS.AC.
class ImplicitAccess {
public:
    explicit ImplicitAccess(Cpu& cpu) : cpu_(cpu), saved_(cpu.implicit_supervisor_access) {
        cpu.implicit_supervisor_access = true;
    }
    ~ImplicitAccess() { cpu_.implicit_supervisor_access = saved_; }
    ImplicitAccess(const ImplicitAccess&) = delete;
    ImplicitAccess& operator=(const ImplicitAccess&) = delete;

private:
    Cpu& cpu_;
    bool saved_;
};

inline bool is_null_selector(uint16_t sel) { return (sel & ~3u) == 0; }
// Error code naming a selector: index and TI, with EXT in bit 0.
inline uint32_t sel_error(uint16_t sel, bool ext = false) { return (sel & 0xfffcu) | (ext ? 1u : 0u); }

// Reads the 8-byte descriptor of sel from the GDT or LDT. Returns false when
// the selector lies outside the table (or names the LDT while LDTR is null);
// the caller raises its own fault for that.
bool read_descriptor(Cpu& cpu, uint16_t sel, Descriptor& out);
// Long mode: the 16-byte form (LDT, TSS, call gates). Checks the whole 16 bytes fit.
bool read_descriptor16(Cpu& cpu, uint16_t sel, Descriptor& out);
// Sets the accessed bit (type bit 0) of a code/data descriptor in memory.
void set_accessed(Cpu& cpu, uint16_t sel, Descriptor& d);
// Sets or clears the busy bit of a TSS descriptor in the GDT.
void set_tss_busy(Cpu& cpu, uint16_t sel, bool busy);
// The segment cache a descriptor loads.
Segment segment_from(const Descriptor& d, uint16_t sel);
// Loads CS and the CPL (= RPL of the new CS) and recomputes the code mode.
void load_cs(Cpu& cpu, uint16_t sel, const Descriptor& d, unsigned cpl);
// A null selector in a data-segment register: unusable (P clear).
Segment null_segment(uint16_t sel);

// Linear address of a descriptor-table entry, for implicit accesses.
inline uint64_t table_linear(Cpu& cpu, uint64_t a) { return cpu.long_mode() ? a : a & 0xffffffffull; }

// Inner stack of privilege level dpl from the current TSS (16-, 32- or 64-bit).
// Raises #TS(TR selector) when the TSS is too small.
void tss_stack(Cpu& cpu, unsigned dpl, bool ext, uint16_t& ss, uint64_t& sp);
uint64_t tss_ist(Cpu& cpu, unsigned ist, bool ext);

// Checks of a stack segment about to be loaded on a privilege change
// (inner stack from the TSS, or the outer stack of a far return / IRET).
// vector is #TS for TSS stacks and #GP for returns.
Descriptor check_stack_segment(Cpu& cpu, uint16_t ss, unsigned cpl, uint8_t vector, bool ext);

// After a return to an outer privilege level: data segment registers whose
// DPL is below the new CPL become null (SDM RET/IRET "validate segments").
void invalidate_segments_for_cpl(Cpu& cpu);

// Hardware task switch (cpu/system/task_switch.cpp).
enum class TaskSwitchReason : uint8_t { Jmp, Call, Iret, Interrupt };
// saved_eip is what the outgoing task's TSS records (the return address).
// Sets s.rip and next_rip to the new task's EIP.
void task_switch(Cpu& cpu, uint16_t tss_sel, Descriptor tss, TaskSwitchReason why, bool ext,
                 bool has_error, uint32_t error, uint64_t saved_eip);

// Writes pushed by a control transfer onto a stack that is not necessarily
// the current one (inner stack of a privilege change). Every write is checked
// against the segment before anything is committed.
class StackFrame {
public:
    // sp is the stack pointer before the pushes; addr_size 2, 4 or 8.
    StackFrame(Cpu& cpu, const Segment& ss, uint64_t sp, unsigned addr_size, bool user, uint32_t fault_error);
    void push(uint64_t value, unsigned size);
    uint64_t sp() const { return sp_; }

private:
    Cpu& cpu_;
    Segment ss_;
    uint64_t sp_;
    unsigned addr_size_;
    bool user_;
    uint32_t fault_error_;
};

// Reads from a stack that is the current SS but at a given offset (far
// returns and IRET read their whole frame before committing).
uint64_t stack_read(Cpu& cpu, uint64_t sp, unsigned size);

}  // namespace petrel
