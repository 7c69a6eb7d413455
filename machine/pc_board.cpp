#include "machine/pc_board.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "bios/pc_platform.h"

namespace petrel {

namespace {
// ISA IRQs of the legacy devices (the PC/AT assignment every OS assumes).
constexpr unsigned kIrqPit = 0, kIrqKeyboard = 1, kIrqRtc = 8, kIrqMouse = 12, kIrqFpu = 13;

// Ports of the fixed ISA devices.
constexpr uint16_t kPortPicMaster = 0x20, kPortPicSlave = 0xa0, kPortElcr = 0x4d0;
constexpr uint16_t kPortPit = 0x40, kPortSystemControlB = 0x61, kPortRtc = 0x70;
constexpr uint16_t kPortKbdData = 0x60, kPortKbdCommand = 0x64, kPortA20Fast = 0x92;
// COM1-COM4: I/O base and ISA IRQ (COM3/COM4 share IRQ 4/3 with COM1/COM2).
struct SerialSlot {
    uint16_t port;
    unsigned irq;
};
constexpr SerialSlot kSerialSlots[] = {{0x3f8, 4}, {0x2f8, 3}, {0x3e8, 4}, {0x2e8, 3}};
constexpr uint16_t kPortPost = 0x80, kPortIoDelay = 0xed, kPortFpuErrorClear = 0xf0;
// What the firmware programs into PIIX3 PIRQRC[A-D] (bytes, A lowest) and
// the slave ELCR (IRQ 10 and 11 level-triggered).
constexpr uint8_t kPamRamRw = 0x3;  // a PAM field: reads and writes to DRAM
constexpr uint32_t kFirmwarePirqRoutes = 0x0b0b0a0a;
constexpr uint8_t kFirmwareElcrSlave = (1u << (10 - 8)) | (1u << (11 - 8));
constexpr uint16_t kPortPciAddress = 0xcf8, kPortPciData = 0xcfc;
}  // namespace

PcBoard::PcBoard(Clock& clock, PhysicalMemory& mem, Bus& io, const PcBoardConfig& cfg, PcBoardSignals signals)
    : clock_(clock),
      mem_(mem),
      io_(io),
      signals_(std::move(signals)),
      ioapic_(pc::kIoApicVersion),
      lapic_(clock, /*apic_id=*/0, /*bsp=*/true, &pic_),
      acpi_pm_(clock),
      pit_(clock),
      rtc_(clock, cfg.rtc_epoch),
      hpet_(clock, &ioapic_, &router_) {
    const size_t ports = std::clamp<size_t>(cfg.serial.size(), 1, std::size(kSerialSlots));
    for (size_t i = 0; i < ports; ++i)
        com_.push_back(std::make_unique<Uart>(clock, i < cfg.serial.size() ? cfg.serial[i] : nullptr));
    if (cfg.debugcon) debugcon_ = std::make_unique<Debugcon>(cfg.debugcon);
    debugcon_port_ = cfg.debugcon_port;
    for (const auto& d : cfg.debug_exit)
        debug_exits_.push_back(std::make_unique<DebugExit>(
            [this](int status) { if (signals_.debug_exit) signals_.debug_exit(status); }, d.iosize));

    pci_.attach(i440fx_, pci_devfn(0, 0));
    pci_.attach(piix3_, pci_devfn(1, 0));
    pci_.attach(piix4_pm_, pci_devfn(1, 3));

    map_ports();
    for (size_t i = 0; i < cfg.debug_exit.size(); ++i)
        io_.map(cfg.debug_exit[i].iobase, debug_exits_[i]->size(), debug_exits_[i].get(), "isa-debug-exit");
    map_mmio();
    wire_interrupts();
    wire_signals();
    rtc_.fill_pc_defaults(mem.below_4g(), mem.above_4g(), cfg.cpus);
}

void PcBoard::map_ports() {
    io_.map(kPortPicMaster, 2, &pic_.master_io(), "pic-master");
    io_.map(kPortPicSlave, 2, &pic_.slave_io(), "pic-slave");
    io_.map(kPortElcr, 2, &pic_.elcr_io(), "elcr");
    io_.map(kPortPit, 4, &pit_, "pit");
    io_.map(kPortSystemControlB, 1, &port61_, "port61");
    io_.map(kPortRtc, 2, &rtc_, "rtc");
    io_.map(kPortKbdData, 1, &i8042_.data_io(), "i8042-data");
    io_.map(kPortKbdCommand, 1, &i8042_.command_io(), "i8042-command");
    io_.map(kPortA20Fast, 1, &port92_, "port92");
    for (size_t i = 0; i < com_.size(); ++i)
        io_.map(kSerialSlots[i].port, 8, com_[i].get(), fmt::format("com{}", i + 1));
    io_.map(kPortPost, 1, &post_codes_, "post-codes");
    io_.map(kPortIoDelay, 1, &io_delay_ed_, "io-delay");
    io_.map(kPortFpuErrorClear, 1, &ferr_, "fpu-error");
    io_.map(kPortPciAddress, 4, &pci_.address_io(), "pci-address");  // 0xCF9 (PIIX3 RCR) inside
    io_.map(kPortPciData, 4, &pci_.data_io(), "pci-data");
    io_.map(acpi_pm::kGpe0Base, acpi_pm::kGpe0Size, &acpi_pm_.gpe0_io(), "acpi-gpe0");
    if (debugcon_) io_.map(debugcon_port_, 1, debugcon_.get(), "debugcon");
    pci_.cf9 = &piix3_.reset_control_io();
}

void PcBoard::map_mmio() {
    Bus& mmio = mem_.mmio();
    mmio.map(pc::kIoApicBase, IoApic::kWindowSize, &ioapic_, "ioapic");
    mmio.map(pc::kHpetBase, Hpet::kWindowSize, &hpet_, "hpet");
    mmio.map(Lapic::kDefaultBase, Lapic::kPageSize, &lapic_, "lapic");
    // The guest may move its APIC page (IA32_APIC_BASE); a move onto another
    // window is ignored, as a decode conflict would make it useless anyway.
    lapic_.on_base_change = [this](uint64_t base) { mem_.mmio().remap(&lapic_, base); };
    // The i440FX PAM registers decide, per segment of 0xC0000-0xFFFFF,
    // whether reads and writes reach RAM or the ROM/PCI side.
    i440fx_.on_pam_change = [this](const std::array<PamSegment, kPamSegments>& s) { apply_pam(s); };
    apply_pam(i440fx_.pam_segments());
    // The PIIX4 PM block moves where the guest's PMBA says, when enabled.
    piix4_pm_.on_pm_io_change = [this](bool enabled, uint16_t base) {
        if (pm_io_mapped_) io_.unmap(&acpi_pm_);
        pm_io_mapped_ = false;
        if (!enabled || base == 0) return;
        try {
            io_.map(base, acpi_pm::kIoSize, &acpi_pm_, "acpi-pm");
            pm_io_mapped_ = true;
        } catch (const std::logic_error&) {
            // overlaps another device: the block does not decode
        }
    };
}

void PcBoard::wire_interrupts() {
    pic_.intr_line().connect(&lapic_, 0);  // INTR -> LINT0 (virtual wire)
    ioapic_.on_message = [this](const ApicMessage& m) { lapic_.receive(m); };
    lapic_.on_eoi_broadcast = [this](uint8_t vector) { ioapic_.eoi(vector); };
    pci_.pirq_sink = &router_.pirq_sink();

    pit_.irq0().connect(&router_, kIrqPit);
    rtc_.irq().connect(&router_, kIrqRtc);
    for (size_t i = 0; i < com_.size(); ++i)
        com_[i]->irq().connect(kSerialSlots[i].irq == 4 ? &irq4_shared_ : &irq3_shared_, unsigned(i));
    i8042_.irq1().connect(&router_, kIrqKeyboard);
    i8042_.irq12().connect(&router_, kIrqMouse);
    acpi_pm_.sci_line().connect(&router_, acpi_pm::kSciIrq);
    ferr_.irq13().connect(&router_, kIrqFpu);
    hpet_.on_legacy_change = [this](bool legacy) { set_legacy_timers_to_hpet(legacy); };
}

// HPET legacy replacement: timer 0 drives IRQ0 and timer 1 IRQ8 in place of
// the PIT and the RTC, whose outputs are cut off from the router.
void PcBoard::set_legacy_timers_to_hpet(bool hpet) {
    if (hpet) {
        if (pit_.irq0().level()) router_.set_irq(kIrqPit, false);
        if (rtc_.irq().level()) router_.set_irq(kIrqRtc, false);
        pit_.irq0().connect(nullptr, kIrqPit);
        rtc_.irq().connect(nullptr, kIrqRtc);
    } else {
        pit_.irq0().connect(&router_, kIrqPit);
        rtc_.irq().connect(&router_, kIrqRtc);
        router_.set_irq(kIrqPit, pit_.irq0().level());
        router_.set_irq(kIrqRtc, rtc_.irq().level());
    }
}

void PcBoard::apply_pam(const std::array<PamSegment, kPamSegments>& segments) {
    for (const PamSegment& seg : segments) mem_.set_shadow(seg.base, seg.size, seg.read_dram, seg.write_dram);
    if (signals_.memory_remapped)
        signals_.memory_remapped(PhysicalMemory::kShadowBase, PhysicalMemory::kShadowEnd - PhysicalMemory::kShadowBase);
}

void PcBoard::wire_signals() {
    auto a20_changed = [this](bool) { if (signals_.a20) signals_.a20(a20()); };
    i8042_.on_a20 = a20_changed;
    port92_.on_a20 = a20_changed;
    i8042_.on_reset = [this] { if (signals_.reset) signals_.reset("keyboard controller reset"); };
    port92_.on_reset = [this] { if (signals_.reset) signals_.reset("port 92h reset"); };
    piix3_.on_reset = [this](bool) { if (signals_.reset) signals_.reset("reset control register (0xCF9)"); };
    acpi_pm_.on_power_off = [this] { if (signals_.power_off) signals_.power_off(); };
}

void PcBoard::reset() {
    if (hpet_.legacy()) set_legacy_timers_to_hpet(false);
    pic_.reset();
    ioapic_.reset();
    lapic_.reset();
    mem_.mmio().remap(&lapic_, Lapic::kDefaultBase);
    i440fx_.reset();
    piix3_.reset();
    piix4_pm_.reset();
    acpi_pm_.reset();
    pit_.reset();
    port61_.reset();
    rtc_.reset();
    hpet_.reset();
    for (auto& c : com_) c->reset();
    i8042_.reset();
    port92_.reset();
    ferr_.reset();
}

void PcBoard::program_firmware_defaults() {
    piix4_pm_.program_pm_base(pc::kAcpiPmBase);
    // 0xC0000-0xFFFFF is RAM, readable and writable (where the firmware
    // tables at 0xF0000 live).
    for (unsigned i = 0; i < 7; ++i)
        pci_.config_write(0, pci_devfn(0, 0), I440fx::kPam0 + i, i == 0 ? kPamRamRw << 4 : kPamRamRw * 0x11, 1);
    // SeaBIOS's PCI interrupt routing: PIRQA-D -> IRQ 10, 10, 11, 11, and
    // those IRQs level-triggered in the ELCR (a PCI line is level, shared).
    pci_.config_write(0, pci_devfn(1, 0), Piix3::kPirqRoute, kFirmwarePirqRoutes, 4);
    pic_.elcr_io().io_write(1, kFirmwareElcrSlave, 1);
}

}  // namespace petrel
