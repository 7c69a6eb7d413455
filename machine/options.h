// The command line, QEMU-compatible: what a user types for qemu-system-x86_64
// means the same here. Options Petrel does not support yet are rejected by
// name instead of being silently ignored.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace petrel {

// A bad command line: the message names the option; main() exits with status 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CharDevSpec {
    enum class Kind { None, Stdio, File } kind = Kind::None;
    std::string path;  // for File
};

struct DebugExitSpec {
    uint16_t iobase = 0x501;  // QEMU's default
    uint16_t iosize = 2;
};

constexpr size_t kMaxSerialPorts = 4;  // COM1-COM4

enum class CpuTier { Auto, Interp, Jit };

// -icount shift=N[,sleep=on|off][,align=off] (QEMU's spelling): virtual time
// is instructions retired << shift ns, and the run is deterministic (see
// docs/design.md, "Deterministic execution").
struct IcountSpec {
    unsigned shift = 0;       // 0..10, as QEMU; shift=auto picks kIcountAutoShift
    bool sleep = true;        // QEMU's default: idle time also passes on the host
};
constexpr unsigned kIcountMaxShift = 10;   // QEMU's limit
// shift=auto is QEMU's adaptive mode, which follows the host's speed and is
// therefore not deterministic. Petrel fixes it at QEMU's starting guess,
// 3 (8 ns per instruction, 125 MIPS).
constexpr unsigned kIcountAutoShift = 3;
// RDRAND/RDSEED seed of an -icount run without -seed.
constexpr uint64_t kDeterministicSeed = 0;
// RTC start of an -icount run without -rtc base=: 2000-01-01T00:00:00 UTC.
constexpr int64_t kDeterministicRtcEpoch = 946684800;

// -rtc base=utc|localtime|YYYY-MM-DD[THH:MM:SS][,clock=host|vm][,driftfix=none]
struct RtcSpec {
    enum class Base { Default, Utc, Localtime, Fixed } base = Base::Default;
    int64_t epoch = 0;        // Fixed: the guest's UTC seconds at start
    enum class ClockKind { Default, Host, Vm } clock = ClockKind::Default;
};

struct Options {
    uint64_t ram_bytes = 128ull << 20;
    unsigned smp = 1;
    std::string kernel, initrd, append, bios;
    bool nographic = false;
    enum class Display { Default, None, Sdl } display = Display::Default;
    std::vector<CharDevSpec> serial;    // one per -serial: COM1, COM2, ... (at most 4)
    CharDevSpec debugcon;
    uint16_t debugcon_iobase = 0xe9;    // -global isa-debugcon.iobase=N (SeaBIOS logs to 0x402)
    bool no_reboot = false;
    std::vector<DebugExitSpec> debug_exit;
    CpuTier tier = CpuTier::Auto;
    // -cpu NAME: Petrel has one CPU model (GenuineIntel "Petrel Virtual
    // CPU", cpu/system/cpuid.cpp); `max`, `qemu64` and `petrel` all name it,
    // so a QEMU command line that asks for `-cpu max` runs unchanged.
    std::string cpu_model = "petrel";
    std::optional<IcountSpec> icount;   // -icount: deterministic execution
    std::optional<uint64_t> seed;       // -seed N: RDRAND/RDSEED seed
    RtcSpec rtc;
    bool show_help = false;
    bool show_version = false;

    // Serial port COM1 after defaults are applied (no -serial: stdio with
    // -nographic, else none).
    CharDevSpec com1() const;
    // Every serial port's backend, COM1 first, defaults applied: one entry
    // per -serial, at least one.
    std::vector<CharDevSpec> serial_ports() const;
};

// Parses argv (argv[0] skipped). Throws UsageError on any unknown, missing or
// malformed option.
Options parse_options(const std::vector<std::string>& args);
uint64_t parse_size(const std::string& text, const std::string& option);  // "512M", "4G", "256" (MiB)
std::string usage_text();
// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (UTC) -> seconds since the Unix
// epoch. Throws UsageError naming `option` for anything else or an
// impossible date (years 1900-9999).
int64_t parse_datetime(const std::string& text, const std::string& option);

}  // namespace petrel
