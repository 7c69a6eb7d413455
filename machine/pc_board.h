// PcBoard: the devices of the `pc` machine (i440FX + PIIX3, QEMU's layout)
// and the wires between them: where each sits on the port and MMIO buses,
// which interrupt line goes where, and the board-level signals (A20, reset,
// power-off) handed up to the machine as callbacks.
//
// Interrupt wiring (one CPU):
//   ISA devices -> IsaIrqRouter -> PIC pair (INTR -> LAPIC LINT0)
//                               -> IOAPIC (ISA IRQ 0 on pin 2) -> LAPIC
//   PCI INTx -> PciBus PIRQA-D -> PIIX3 routing -> the ISA side
//   HPET in legacy mode takes IRQ0/IRQ8 from the PIT and RTC.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "devices/acpi_pm.h"
#include "devices/clock.h"
#include "devices/debug_exit.h"
#include "devices/debugcon.h"
#include "devices/fpu_error_latch.h"
#include "devices/hpet.h"
#include "devices/i8042.h"
#include "devices/ignored_port.h"
#include "devices/ioapic.h"
#include "devices/irq_or.h"
#include "devices/isa_irq_router.h"
#include "devices/lapic.h"
#include "devices/pci/i440fx.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/piix3.h"
#include "devices/pci/piix4_pm.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/port61.h"
#include "devices/port92.h"
#include "devices/rtc.h"
#include "devices/uart.h"
#include "memory/physical_memory.h"

namespace petrel {

struct PcBoardConfig {
    unsigned cpus = 1;
    // Serial ports COM1, COM2, ... (at most 4); a nullptr backend drops
    // output. COM1 always exists.
    std::vector<CharBackend*> serial;
    CharBackend* debugcon = nullptr;    // nullptr: no debug console device
    uint16_t debugcon_port = 0xe9;
    struct DebugExitPort {
        uint16_t iobase;
        uint16_t iosize;
    };
    std::vector<DebugExitPort> debug_exit;
    int64_t rtc_epoch = 0;              // guest wall-clock time at start (UTC seconds)
};

// What the board asks of the machine.
struct PcBoardSignals {
    std::function<void(bool enabled)> a20;
    std::function<void(const char* why)> reset;   // keyboard controller, port 92h, 0xCF9
    std::function<void()> power_off;              // ACPI S5
    std::function<void(int status)> debug_exit;   // isa-debug-exit: process status (v << 1) | 1
    // The chipset changed what guest-physical addresses mean (PAM shadowing of
    // 0xC0000-0xFFFFF): host pointers and decoded code for them are stale.
    std::function<void(uint64_t base, uint64_t size)> memory_remapped;
};

class PcBoard {
public:
    PcBoard(Clock& clock, PhysicalMemory& mem, Bus& io, const PcBoardConfig& cfg, PcBoardSignals signals);
    PcBoard(const PcBoard&) = delete;
    PcBoard& operator=(const PcBoard&) = delete;

    // Machine reset: every device to its power-on state (the LAPIC too).
    void reset();
    // Direct boot has no BIOS: do what SeaBIOS does to the chipset, so the
    // ACPI tables' PM1 blocks decode and the PCI interrupt links are routed
    // (PM base 0x600; PIRQA-D to IRQ 10/10/11/11, level in the ELCR).
    void program_firmware_defaults();

    Lapic& lapic() { return lapic_; }
    Uart& com1() { return *com_[0]; }
    size_t serial_count() const { return com_.size(); }
    Uart& serial(size_t i) { return *com_[i]; }
    Rtc& rtc() { return rtc_; }
    I8042& i8042() { return i8042_; }
    bool a20() const { return i8042_.a20() || port92_.a20(); }
    // The CPU's FERR# (x87 error with CR0.NE = 0): IRQ 13 until port 0xF0 is written.
    void fpu_error() { ferr_.assert_ferr(); }

private:
    void map_ports();
    void map_mmio();
    void wire_interrupts();
    void wire_signals();
    void set_legacy_timers_to_hpet(bool hpet);
    void apply_pam(const std::array<PamSegment, kPamSegments>& segments);

    Clock& clock_;
    PhysicalMemory& mem_;
    Bus& io_;
    PcBoardSignals signals_;

    // Interrupt controllers (declared first: devices point at them).
    Pic pic_;
    IoApic ioapic_;
    IsaIrqRouter router_{&pic_, &ioapic_};
    Lapic lapic_;

    // PCI: host bridge, ISA bridge, power management.
    PciBus pci_;
    I440fx i440fx_;
    Piix3 piix3_{&router_};
    Piix4Pm piix4_pm_;
    AcpiPm acpi_pm_;
    bool pm_io_mapped_ = false;

    // ISA devices.
    Pit pit_;
    Port61 port61_{pit_, clock_};
    Rtc rtc_;
    Hpet hpet_;
    std::vector<std::unique_ptr<Uart>> com_;  // COM1..COM4
    IrqOr irq3_shared_{&router_, 3};           // COM2 and COM4
    IrqOr irq4_shared_{&router_, 4};           // COM1 and COM3
    I8042 i8042_;
    Port92 port92_;
    FpuErrorLatch ferr_;
    IgnoredPort post_codes_;   // 0x80: POST codes, also the classic I/O delay
    IgnoredPort io_delay_ed_;  // 0xED: the other I/O-delay port Linux may use
    std::unique_ptr<Debugcon> debugcon_;
    uint16_t debugcon_port_ = 0xe9;
    std::vector<std::unique_ptr<DebugExit>> debug_exits_;
};

}  // namespace petrel
