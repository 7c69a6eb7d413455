// A PCI function's configuration space: the 256-byte type-0 header plus
// device-specific registers, with per-byte write masks (read-only bits) and
// write-1-to-clear masks (status bits). Devices derive from PciDevice,
// describe their BARs and writable registers once, and react to writes in
// config_written().
//
// Invariants:
//  - Every guest write goes through the masks: bits outside wmask never
//    change, bits in w1cmask clear when written with 1.
//  - A BAR's low bits encode its type and read back unchanged; its address
//    bits below the size are read-only zero, so writing all ones and reading
//    back gives the size mask (BAR sizing).
//  - on_bar_change fires after a write that changes a BAR's address or the
//    command-register enable that makes it decode; the machine (or device)
//    moves the window on its bus. on_command_change fires on any command
//    register change (bus mastering, INTx disable).
//  - INTx: set_intx() records the device's interrupt level; the level the
//    bus sees is masked by command bit 10 (INTx disable), and status bit 3
//    reports the unmasked level, as PCI 2.3 specifies.
#pragma once
#include <array>
#include <cstdint>
#include <functional>

namespace petrel {

class PciBus;

enum class PciBarKind : uint8_t { None, Io, Mem32, Mem64 };

struct PciBar {
    PciBarKind kind = PciBarKind::None;
    uint64_t size = 0;        // power of two
    bool prefetchable = false;
};

// Standard header offsets.
namespace pci_reg {
constexpr unsigned kVendorId = 0x00, kDeviceId = 0x02, kCommand = 0x04, kStatus = 0x06, kRevision = 0x08,
                   kClassCode = 0x09, kCacheLineSize = 0x0c, kLatencyTimer = 0x0d, kHeaderType = 0x0e,
                   kBar0 = 0x10, kSubsystemVendor = 0x2c, kSubsystemId = 0x2e, kRomBase = 0x30,
                   kCapabilities = 0x34, kInterruptLine = 0x3c, kInterruptPin = 0x3d;
constexpr uint16_t kCmdIo = 1u << 0, kCmdMemory = 1u << 1, kCmdBusMaster = 1u << 2, kCmdIntxDisable = 1u << 10;
constexpr uint16_t kStatusInterrupt = 1u << 3;
constexpr uint8_t kHeaderMultiFunction = 0x80;
}  // namespace pci_reg

struct PciConfigState {
    std::array<uint8_t, 256> bytes{};
    bool intx_level = false;  // the device's own INTx output, before INTx disable
};

class PciDevice {
public:
    static constexpr unsigned kBarCount = 6;

    // class_code: base class << 16 | subclass << 8 | programming interface.
    PciDevice(uint16_t vendor, uint16_t device, uint8_t revision, uint32_t class_code, uint8_t header_type = 0);
    virtual ~PciDevice() = default;
    PciDevice(const PciDevice&) = delete;
    PciDevice& operator=(const PciDevice&) = delete;

    // Config access: `offset` < 256 and the access stays inside one dword
    // (the bus guarantees it); size 1, 2 or 4.
    uint32_t config_read(unsigned offset, unsigned size) const;
    void config_write(unsigned offset, uint32_t value, unsigned size);

    std::function<void(unsigned bar, uint64_t address, bool decoding)> on_bar_change;
    std::function<void(uint16_t command)> on_command_change;

    uint16_t command() const { return uint16_t(cfg16(pci_reg::kCommand)); }
    const PciBar& bar(unsigned idx) const { return bars_[idx < kBarCount ? idx : 0]; }
    uint64_t bar_address(unsigned idx) const;
    // The BAR is enabled by the command register and holds an address.
    bool bar_decoding(unsigned idx) const;

    // INTx output (pin from the interrupt-pin register).
    void set_intx(bool level);
    uint8_t interrupt_pin() const { return state_.bytes[pci_reg::kInterruptPin]; }

    uint8_t devfn() const { return devfn_; }
    PciBus* bus() const { return bus_; }
    const PciConfigState& config_state() const { return state_; }

    // Back to power-on values: the header as constructed, BARs cleared.
    virtual void reset();

protected:
    // Set-up helpers for derived constructors.
    void define_bar(unsigned idx, PciBarKind kind, uint64_t size, bool prefetchable = false);
    void set_interrupt_pin(uint8_t pin);  // 1 = INTA# ... 4 = INTD#
    void set_subsystem(uint16_t vendor, uint16_t id);
    // Initial value and write mask of a device-specific register range.
    void init_reg(unsigned offset, unsigned size, uint32_t value, uint32_t wmask = 0, uint32_t w1c = 0);

    // Called after every guest write (masks applied) with the touched range.
    virtual void config_written(unsigned offset, unsigned size) { (void)offset; (void)size; }

    // Direct access for the device's own model (no masks, no callbacks).
    uint8_t cfg8(unsigned off) const { return state_.bytes[off & 0xff]; }
    uint32_t cfg16(unsigned off) const { return cfg8(off) | uint32_t(cfg8(off + 1)) << 8; }
    uint32_t cfg32(unsigned off) const { return cfg16(off) | cfg16(off + 2) << 16; }
    void set_cfg8(unsigned off, uint8_t v) { state_.bytes[off & 0xff] = v; }

private:
    friend class PciBus;
    void attach(PciBus* bus, uint8_t devfn) { bus_ = bus; devfn_ = devfn; }
    bool intx_out() const;
    void report_bar_changes(const std::array<uint64_t, kBarCount>& old_addr, uint16_t old_cmd);

    PciConfigState state_;
    PciConfigState initial_;  // what reset() restores: the set-up helpers write both
    std::array<uint8_t, 256> wmask_{};
    std::array<uint8_t, 256> w1cmask_{};
    std::array<PciBar, kBarCount> bars_{};
    PciBus* bus_ = nullptr;
    uint8_t devfn_ = 0;
};

}  // namespace petrel
