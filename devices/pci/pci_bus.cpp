// PCI configuration mechanism #1 and INTx-to-PIRQ wiring. See pci_bus.h.
#include "devices/pci/pci_bus.h"

#include <stdexcept>

namespace petrel {

namespace {

constexpr uint32_t kConfigEnable = 1u << 31;
constexpr uint32_t kConfigAddressMask = 0x80fffffc;  // enable, bus, device, function, dword register

}  // namespace

PciBus::PciBus() = default;

void PciBus::attach(PciDevice& dev, uint8_t devfn) {
    if (devices_[devfn]) throw std::logic_error("PciBus::attach: slot/function already in use");
    devices_[devfn] = &dev;
    dev.attach(this, devfn);
}

// ---- configuration space --------------------------------------------------------

uint32_t PciBus::config_read(uint8_t bus, uint8_t devfn, unsigned offset, unsigned size) const {
    PciDevice* dev = bus == 0 ? devices_[devfn] : nullptr;
    if (!dev || offset >= 256 || (offset & 3) + size > 4) return uint32_t(all_ones(size));
    return dev->config_read(offset, size);
}

void PciBus::config_write(uint8_t bus, uint8_t devfn, unsigned offset, uint32_t value, unsigned size) {
    PciDevice* dev = bus == 0 ? devices_[devfn] : nullptr;
    if (!dev || offset >= 256 || (offset & 3) + size > 4) return;
    dev->config_write(offset, value, size);
}

uint64_t PciBus::AddressIo::io_read(uint64_t offset, unsigned size) {
    if (offset == 0 && size == 4) return bus.state_.config_address;
    if (offset == 1 && size == 1 && bus.cf9) return bus.cf9->io_read(0, 1);
    return all_ones(size);
}

void PciBus::AddressIo::io_write(uint64_t offset, uint64_t value, unsigned size) {
    if (offset == 0 && size == 4) bus.state_.config_address = uint32_t(value) & kConfigAddressMask;
    else if (offset == 1 && size == 1 && bus.cf9) bus.cf9->io_write(0, value, 1);
}

uint64_t PciBus::DataIo::io_read(uint64_t offset, unsigned size) {
    uint32_t a = bus.state_.config_address;
    if (!(a & kConfigEnable) || offset >= 4) return all_ones(size);
    // An access running past 0xCFF only has the lanes up to it.
    unsigned n = offset + size > 4 ? unsigned(4 - offset) : size;
    uint64_t v = bus.config_read(uint8_t(a >> 16), uint8_t(a >> 8), (a & 0xfc) + unsigned(offset), n);
    return v | (all_ones(size) & ~all_ones(n));
}

void PciBus::DataIo::io_write(uint64_t offset, uint64_t value, unsigned size) {
    uint32_t a = bus.state_.config_address;
    if (!(a & kConfigEnable) || offset >= 4) return;
    unsigned n = offset + size > 4 ? unsigned(4 - offset) : size;
    bus.config_write(uint8_t(a >> 16), uint8_t(a >> 8), (a & 0xfc) + unsigned(offset), uint32_t(value), n);
}

// ---- INTx ---------------------------------------------------------------------------

unsigned PciBus::pirq_of(uint8_t devfn, uint8_t pin) {
    unsigned slot = devfn >> 3;
    return (unsigned(pin) - 1 + slot + 3) & 3;  // (pin - 1) + (slot - 1), mod 4
}

void PciBus::intx_changed(PciDevice& dev) {
    uint8_t devfn = dev.devfn();
    uint8_t pin = dev.interrupt_pin();
    if (devices_[devfn] != &dev || pin < 1 || pin > 4) return;
    bool level = dev.intx_out();
    if (level == intx_reported_[devfn]) return;
    intx_reported_[devfn] = level;
    unsigned pirq = pirq_of(devfn, pin);
    bool before = state_.pirq_count[pirq] > 0;
    state_.pirq_count[pirq] = uint8_t(state_.pirq_count[pirq] + (level ? 1 : -1));
    bool after = state_.pirq_count[pirq] > 0;
    if (before != after && pirq_sink) pirq_sink->set_irq(pirq, after);
}

}  // namespace petrel
