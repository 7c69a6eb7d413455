// Intel 82371SB PIIX3 function 0, the PCI-to-ISA bridge at 00:01.0
// (8086:7000), multi-function (its IDE/USB/PM siblings live at 00:01.x).
//
// Registers modelled: the PIRQ route control registers PIRQRC[A:D]
// (0x60-0x63; bit 7 = routing disabled, bits 3:0 = ISA IRQ), which feed the
// IsaIrqRouter on every change and at reset; the other PIIX3 registers the
// BIOS programs keep their reset values and are plain read/write storage.
// It also holds the Reset Control Register at I/O 0xCF9 (reached through
// PciBus::cf9): writing RST_CPU (bit 2) resets, a hard reset when SYS_RST
// (bit 1) is set too — 0x06 is the FADT's RESET_VALUE.
#pragma once
#include <cstdint>
#include <functional>

#include "devices/pci/pci_device.h"
#include "memory/bus.h"

namespace petrel {

class IsaIrqRouter;

// Beyond config space (PciDevice::config_state()), the reset control register.
struct Piix3State {
    uint8_t rcr = 0;  // keeps SYS_RST (bit 1) between writes
};

class Piix3 : public PciDevice {
public:
    static constexpr unsigned kPirqRoute = 0x60;  // PIRQRC[A] .. 0x63 PIRQRC[D]

    // `router` may be null (tests that only look at config space).
    explicit Piix3(IsaIrqRouter* router);

    std::function<void(bool hard)> on_reset;
    IoHandler& reset_control_io() { return rcr_io_; }

    uint8_t pirq_route(unsigned pirq) const { return pirq < 4 ? cfg8(kPirqRoute + pirq) : 0x80; }
    void reset() override;
    const Piix3State& state() const { return state_; }

protected:
    void config_written(unsigned offset, unsigned size) override;

private:
    struct RcrIo : IoHandler {
        explicit RcrIo(Piix3& p) : piix(p) {}
        uint64_t io_read(uint64_t offset, unsigned size) override;
        void io_write(uint64_t offset, uint64_t value, unsigned size) override;
        Piix3& piix;
    };
    void push_routes();

    IsaIrqRouter* router_;
    Piix3State state_;
    RcrIo rcr_io_{*this};
};

}  // namespace petrel
