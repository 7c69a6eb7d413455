#include "machine/pc.h"

#include <ctime>

#include <fmt/format.h>

#include "bios/direct_boot.h"
#include "bios/firmware_loader.h"
#include "bios/firmware_tables.h"
#include "devices/tsc.h"
#include "machine/boot_cpu_state.h"

namespace petrel {

namespace {

// The RTC's start (guest UTC seconds): -rtc base=, else the host's time, or
// the fixed kDeterministicRtcEpoch with -icount.
int64_t rtc_start_epoch(const Options& o) {
    int64_t host = static_cast<int64_t>(std::time(nullptr));
    switch (o.rtc.base) {
        case RtcSpec::Base::Fixed: return o.rtc.epoch;
        case RtcSpec::Base::Utc: return host;
        case RtcSpec::Base::Localtime: {
            // The RTC holds local time: shift by the host zone's offset.
            time_t t = static_cast<time_t>(host);
            std::tm local{};
            localtime_r(&t, &local);
            return host + local.tm_gmtoff;
        }
        case RtcSpec::Base::Default: break;
    }
    return o.icount ? kDeterministicRtcEpoch : host;
}

}  // namespace

PcMachine::PcMachine(const Options& opts)
    : opts_(opts),
      clock_(opts.icount ? ClockMode::Deterministic : ClockMode::Realtime),
      mem_(opts.ram_bytes),
      cpu_(mem_, io_) {
    if (opts_.smp != 1) throw UsageError("-smp: only 1 CPU is supported so far");
    if (!opts_.bios.empty() && !opts_.kernel.empty())
        throw UsageError("-kernel with -bios: loading a kernel through firmware (fw_cfg) is not supported yet");
    if (opts_.bios.empty() && opts_.kernel.empty())
        throw UsageError("nothing to boot: give -kernel FILE (or -bios FILE)");

    // Deterministic execution (-icount): time is the instruction count, read
    // live by every device; RDRAND/RDSEED repeat (a fixed seed unless -seed).
    if (opts_.icount) clock_.use_instruction_counter(&cpu_.icount, opts_.icount->shift);
    if (opts_.seed) cpu_.seed_rng(*opts_.seed);
    else if (opts_.icount) cpu_.seed_rng(kDeterministicSeed);

    PcBoardConfig cfg;
    cfg.cpus = opts_.smp;
    for (const CharDevSpec& spec : opts_.serial_ports()) {
        if (spec.kind == CharDevSpec::Kind::Stdio && stdio_serial_ < 0) stdio_serial_ = int(cfg.serial.size());
        cfg.serial.push_back(backend_for(spec));
    }
    if (opts_.debugcon.kind != CharDevSpec::Kind::None) cfg.debugcon = backend_for(opts_.debugcon);
    cfg.debugcon_port = opts_.debugcon_iobase;
    for (const DebugExitSpec& d : opts_.debug_exit) cfg.debug_exit.push_back({d.iobase, d.iosize});
    cfg.rtc_epoch = rtc_start_epoch(opts_);

    PcBoardSignals signals;
    signals.a20 = [this](bool on) { cpu_.set_a20(on); };
    signals.reset = [this](const char* why) { request_reset(why, false); };
    signals.power_off = [this] { request_exit(0); };
    signals.debug_exit = [this](int status) { request_exit(status); };
    signals.memory_remapped = [this](uint64_t base, uint64_t size) {
        for (uint64_t page = base & kPageMask; page < base + size; page += kPageSize)
            cpu_.block_cache().invalidate_page(page);
        cpu_.tlb_flush_all();
    };
    board_ = std::make_unique<PcBoard>(clock_, mem_, io_, cfg, std::move(signals));

    wire_cpu();
    load_guest();
}

CharBackend* PcMachine::backend_for(const CharDevSpec& spec) {
    if (spec.kind == CharDevSpec::Kind::Stdio && stdio_) return stdio_;
    StdioBackend* created = nullptr;
    backends_.push_back(make_backend(spec, created));
    if (created) stdio_ = created;
    return backends_.back().get();
}

void PcMachine::wire_cpu() {
    Lapic& lapic = board_->lapic();
    cpu_.intc = &lapic;
    cpu_.apic_id = lapic.id();
    cpu_.tsc_source = [this] { return tsc::from_ns(clock_.now_ns()); };
    cpu_.on_apic_base_read = [&lapic] { return lapic.apic_base(); };
    cpu_.on_apic_base_write = [&lapic](uint64_t v) { lapic.set_apic_base(v); };
    cpu_.on_tsc_deadline_read = [&lapic] { return lapic.tsc_deadline(); };
    cpu_.on_tsc_deadline_write = [&lapic](uint64_t v) { lapic.set_tsc_deadline(v); };
    cpu_.on_shutdown = [this](const char* why) { request_reset(why, true); };
    cpu_.on_ferr = [this] { board_->fpu_error(); };
    lapic.tsc_offset = [this] { return cpu_.s.tsc_offset; };
    lapic.on_kick = [this] { cpu_.irq_pending.store(true, std::memory_order_relaxed); };
}

void PcMachine::load_guest() {
    if (!opts_.bios.empty()) {
        BootState bs = firmware_loaded_ ? firmware_reset_state() : load_firmware(mem_, opts_.bios);
        firmware_loaded_ = true;
        apply_boot_state(cpu_, bs);
        return;
    }
    // Direct boot: do what the firmware would have done, then load.
    board_->program_firmware_defaults();
    FirmwareConfig fc;
    fc.cpus = opts_.smp;
    fc.serial_ports = unsigned(board_->serial_count());
    FirmwareTables fw = install_firmware_tables(mem_, fc);
    BootState bs = load_direct_kernel(mem_, DirectBootFiles{opts_.kernel, opts_.initrd, opts_.append}, fw);
    apply_firmware_mtrrs(cpu_, mem_.below_4g());
    apply_boot_state(cpu_, bs);
}

void PcMachine::reset_machine() {
    board_->reset();
    cpu_.reset();
    cpu_.clear_shutdown();
    cpu_.set_a20(board_->a20());
    load_guest();
}

void PcMachine::request_exit(int status) {
    if (!exit_status_) exit_status_ = status;
    cpu_.stop_requested.store(true, std::memory_order_relaxed);
}

void PcMachine::request_reset(const char* why, bool triple_fault) {
    if (!reset_reason_) {
        reset_reason_ = why;
        reset_is_triple_fault_ = triple_fault;
    }
    cpu_.stop_requested.store(true, std::memory_order_relaxed);
}

std::string PcMachine::describe_cpu() {
    const CpuState& s = cpu_.s;
    const char* mode = cpu_.code_mode() == CodeMode::Bits64 ? "64-bit"
                       : cpu_.v86_mode()                    ? "virtual-8086"
                       : !cpu_.protected_mode()             ? "real"
                       : cpu_.code_mode() == CodeMode::Bits32 ? "32-bit protected"
                                                              : "16-bit protected";
    std::string bytes;
    for (unsigned i = 0; i < 15; ++i) {
        try {
            uint64_t b = cpu_.read_linear(s.seg[CS].base + s.rip + i, 1, false);
            bytes += fmt::format(" {:02x}", b);
        } catch (const CpuFault&) {
            bytes += " ??";
            break;
        }
    }
    return fmt::format("{} mode, CS:RIP {:04x}:{:016x}, CPL {}, bytes at RIP:{}", mode, s.seg[CS].selector,
                       s.rip, s.cpl, bytes);
}

}  // namespace petrel
