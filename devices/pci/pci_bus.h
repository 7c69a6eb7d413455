// PCI bus 0 and configuration mechanism #1.
//
// 0xCF8 (dword only) is CONFIG_ADDRESS: bit 31 enable, 23:16 bus, 15:11
// device, 10:8 function, 7:2 register. 0xCFC-0xCFF is CONFIG_DATA: an access
// at 0xCFC + n reaches register byte (CONFIG_ADDRESS & 0xfc) + n, so byte and
// word accesses see their own byte lanes. Only bus 0 exists; a disabled
// address, another bus, or an empty slot reads all ones and drops writes.
// Byte and word accesses inside 0xCF8-0xCFB are not CONFIG_ADDRESS: the one
// at 0xCF9 goes to the `cf9` handler (PIIX3 reset control), others are ignored.
//
// INTx: each function's INTA#-INTD# is swizzled onto PIRQA#-D# as on QEMU's
// i440FX board, (pin - 1 + slot - 1) mod 4, and every PIRQ is the wired OR of
// the functions driving it; the PIRQ levels go to `pirq_sink` pins 0-3
// (the IsaIrqRouter's PIRQ input).
//
// The machine maps address_io() at 0xCF8 (4 ports) and data_io() at 0xCFC
// (4 ports), attaches the functions, and sets pirq_sink and cf9.
#pragma once
#include <array>
#include <cstdint>

#include "devices/irq_line.h"
#include "devices/pci/pci_device.h"
#include "memory/bus.h"

namespace petrel {

constexpr uint8_t pci_devfn(unsigned slot, unsigned fn) { return uint8_t((slot & 31) << 3 | (fn & 7)); }

struct PciBusState {
    uint32_t config_address = 0;
    std::array<uint8_t, 4> pirq_count{};  // functions asserting each PIRQ
};

class PciBus {
public:
    PciBus();

    // Throws std::logic_error if the slot/function is taken.
    void attach(PciDevice& dev, uint8_t devfn);
    PciDevice* device(uint8_t devfn) const { return devices_[devfn]; }

    IoHandler& address_io() { return address_io_; }
    IoHandler& data_io() { return data_io_; }
    IrqSink* pirq_sink = nullptr;  // pins 0-3 = PIRQA#-PIRQD#
    IoHandler* cf9 = nullptr;      // narrow accesses at 0xCF9

    // Direct config access (firmware set-up, tests): offset < 256, any size
    // 1/2/4 inside one dword.
    uint32_t config_read(uint8_t bus, uint8_t devfn, unsigned offset, unsigned size) const;
    void config_write(uint8_t bus, uint8_t devfn, unsigned offset, uint32_t value, unsigned size);

    // The PIRQ (0-3) a function's interrupt pin (1-4) lands on.
    static unsigned pirq_of(uint8_t devfn, uint8_t pin);
    bool pirq_level(unsigned pirq) const { return pirq < 4 && state_.pirq_count[pirq] > 0; }

    void intx_changed(PciDevice& dev);  // from PciDevice
    const PciBusState& state() const { return state_; }

private:
    struct AddressIo : IoHandler {
        explicit AddressIo(PciBus& b) : bus(b) {}
        uint64_t io_read(uint64_t offset, unsigned size) override;
        void io_write(uint64_t offset, uint64_t value, unsigned size) override;
        PciBus& bus;
    };
    struct DataIo : IoHandler {
        explicit DataIo(PciBus& b) : bus(b) {}
        uint64_t io_read(uint64_t offset, unsigned size) override;
        void io_write(uint64_t offset, uint64_t value, unsigned size) override;
        PciBus& bus;
    };

    PciBusState state_;
    std::array<PciDevice*, 256> devices_{};
    std::array<bool, 256> intx_reported_{};  // the level each function last contributed
    AddressIo address_io_{*this};
    DataIo data_io_{*this};
};

}  // namespace petrel
