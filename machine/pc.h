// PcMachine: the whole `pc` machine of one run — guest RAM, the port bus,
// CPU 0, the board's devices, the host ends of the character devices — and
// what happens at its edges: loading the guest (direct kernel boot or
// -bios), machine reset, power-off and the process exit status.
//
// Threading: one thread runs the CPU, the devices' timers and the host I/O
// polling, in the run loop (pc_run_loop.cpp).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "devices/clock.h"
#include "machine/char_backends.h"
#include "machine/options.h"
#include "machine/pc_board.h"
#include "memory/bus.h"
#include "memory/physical_memory.h"

namespace petrel {

class PcMachine {
public:
    // Builds the machine and loads the guest. Throws UsageError for an
    // impossible configuration, LoadError for a bad kernel/firmware file,
    // std::runtime_error when the host cannot provide something (RAM, a file).
    explicit PcMachine(const Options& opts);
    PcMachine(const PcMachine&) = delete;
    PcMachine& operator=(const PcMachine&) = delete;

    // Runs until the guest powers off, exits through isa-debug-exit, resets
    // under -no-reboot, or the user quits. Returns the process exit status.
    int run();

    // For error reports: mode, CS:RIP and the instruction bytes there.
    std::string describe_cpu();

private:
    void wire_cpu();
    void load_guest();
    void reset_machine();
    void request_exit(int status);
    void request_reset(const char* why, bool triple_fault);
    void pump_serial_input();
    void wait_for_event();
    void skip_idle_time();
    uint64_t slice_budget();
    bool deterministic() const { return opts_.icount.has_value(); }
    void flush_output();

    Options opts_;
    Clock clock_;  // Realtime, or Deterministic (instruction count) with -icount
    PhysicalMemory mem_;
    Bus io_;
    Cpu cpu_;
    CharBackend* backend_for(const CharDevSpec& spec);

    std::vector<std::unique_ptr<CharBackend>> backends_;
    StdioBackend* stdio_ = nullptr;  // the terminal, shared by the devices that use it
    int stdio_serial_ = -1;          // the serial port that takes terminal input (COM1 = 0)
    Uart* stdio_uart() { return stdio_serial_ >= 0 ? &board_->serial(size_t(stdio_serial_)) : nullptr; }
    std::unique_ptr<PcBoard> board_;

    std::optional<int> exit_status_;
    const char* reset_reason_ = nullptr;
    bool reset_is_triple_fault_ = false;
    bool firmware_loaded_ = false;   // -bios: the ROM is mapped once per machine
};

}  // namespace petrel
