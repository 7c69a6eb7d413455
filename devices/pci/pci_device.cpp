// PCI configuration space with masks, BAR sizing and INTx. See pci_device.h.
#include "devices/pci/pci_device.h"

#include <stdexcept>

#include "devices/pci/pci_bus.h"

namespace petrel {

using namespace pci_reg;

namespace {

// Command: I/O, memory, bus master, parity error response, SERR#, INTx disable.
constexpr uint16_t kCommandWritable = 0x0547;
// Status: parity/abort/SERR error bits are write-1-to-clear.
constexpr uint16_t kStatusW1c = 0xf900;

}  // namespace

PciDevice::PciDevice(uint16_t vendor, uint16_t device, uint8_t revision, uint32_t class_code, uint8_t header_type) {
    init_reg(kVendorId, 2, vendor);
    init_reg(kDeviceId, 2, device);
    init_reg(kCommand, 2, 0, kCommandWritable);
    init_reg(kStatus, 2, 0, 0, kStatusW1c);
    init_reg(kRevision, 1, revision);
    init_reg(kClassCode, 3, class_code & 0xffffff);
    init_reg(kCacheLineSize, 1, 0, 0xff);
    init_reg(kLatencyTimer, 1, 0, 0xff);
    init_reg(kHeaderType, 1, header_type);
    init_reg(kInterruptLine, 1, 0, 0xff);  // scratch for the OS/firmware
}

void PciDevice::init_reg(unsigned offset, unsigned size, uint32_t value, uint32_t wmask, uint32_t w1c) {
    for (unsigned i = 0; i < size && offset + i < 256; ++i) {
        state_.bytes[offset + i] = initial_.bytes[offset + i] = uint8_t(value >> (8 * i));
        wmask_[offset + i] = uint8_t(wmask >> (8 * i));
        w1cmask_[offset + i] = uint8_t(w1c >> (8 * i));
    }
}

void PciDevice::set_interrupt_pin(uint8_t pin) { init_reg(kInterruptPin, 1, pin <= 4 ? pin : 0); }

void PciDevice::set_subsystem(uint16_t vendor, uint16_t id) {
    init_reg(kSubsystemVendor, 2, vendor);
    init_reg(kSubsystemId, 2, id);
}

void PciDevice::define_bar(unsigned idx, PciBarKind kind, uint64_t size, bool prefetchable) {
    // Board-build errors, never guest input.
    bool pow2 = size && !(size & (size - 1));
    if (idx >= kBarCount || (kind == PciBarKind::Mem64 && idx + 1 >= kBarCount) || !pow2 ||
        (kind == PciBarKind::Io && (size < 4 || size > 0x10000)) ||
        ((kind == PciBarKind::Mem32 || kind == PciBarKind::Mem64) && size < 16) ||
        (kind == PciBarKind::Mem32 && size > 0x80000000ull))
        throw std::logic_error("PciDevice::define_bar: bad BAR");
    bars_[idx] = PciBar{kind, size, prefetchable};
    unsigned off = kBar0 + 4 * idx;
    uint64_t addr_mask = ~(size - 1);
    if (kind == PciBarKind::Io) {
        init_reg(off, 4, 0x1, uint32_t(addr_mask & 0xfffffffc));
    } else {
        uint32_t type = (kind == PciBarKind::Mem64 ? 0x4 : 0x0) | (prefetchable ? 0x8 : 0x0);
        init_reg(off, 4, type, uint32_t(addr_mask & 0xfffffff0));
        if (kind == PciBarKind::Mem64) {
            init_reg(off + 4, 4, 0, uint32_t(addr_mask >> 32));
            bars_[idx + 1] = PciBar{};  // the upper half belongs to this BAR
        }
    }
}

void PciDevice::reset() {
    bool level = state_.intx_level;
    state_ = initial_;
    state_.intx_level = level;
    if (level) state_.bytes[kStatus] |= kStatusInterrupt;
    if (bus_) bus_->intx_changed(*this);
}

// ---- config access -----------------------------------------------------------

uint32_t PciDevice::config_read(unsigned offset, unsigned size) const {
    uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) v |= uint32_t(cfg8(offset + i)) << (8 * i);
    return v;
}

void PciDevice::config_write(unsigned offset, uint32_t value, unsigned size) {
    if (offset >= 256 || size == 0 || size > 4 || offset + size > 256) return;
    std::array<uint64_t, kBarCount> old_addr{};
    for (unsigned i = 0; i < kBarCount; ++i) old_addr[i] = bar_address(i);
    uint16_t old_cmd = command();
    for (unsigned i = 0; i < size; ++i) {
        unsigned o = offset + i;
        uint8_t b = uint8_t(value >> (8 * i));
        uint8_t& c = state_.bytes[o];
        c = uint8_t((c & ~wmask_[o]) | (b & wmask_[o]));
        c &= uint8_t(~(b & w1cmask_[o]));
    }
    config_written(offset, size);
    report_bar_changes(old_addr, old_cmd);
    if (command() != old_cmd) {
        if ((command() ^ old_cmd) & kCmdIntxDisable && bus_) bus_->intx_changed(*this);
        if (on_command_change) on_command_change(command());
    }
}

// ---- BARs --------------------------------------------------------------------

uint64_t PciDevice::bar_address(unsigned idx) const {
    if (idx >= kBarCount) return 0;
    const PciBar& b = bars_[idx];
    unsigned off = kBar0 + 4 * idx;
    switch (b.kind) {
        case PciBarKind::Io: return cfg32(off) & 0xfffffffc;
        case PciBarKind::Mem32: return cfg32(off) & 0xfffffff0;
        case PciBarKind::Mem64: return (uint64_t(cfg32(off + 4)) << 32 | cfg32(off)) & ~0xfull;
        case PciBarKind::None: break;
    }
    return 0;
}

static bool decodes(PciBarKind kind, uint16_t cmd) {
    if (kind == PciBarKind::Io) return cmd & kCmdIo;
    return kind != PciBarKind::None && (cmd & kCmdMemory);
}

bool PciDevice::bar_decoding(unsigned idx) const {
    return idx < kBarCount && decodes(bars_[idx].kind, command()) && bar_address(idx) != 0;
}

void PciDevice::report_bar_changes(const std::array<uint64_t, kBarCount>& old_addr, uint16_t old_cmd) {
    if (!on_bar_change) return;
    for (unsigned i = 0; i < kBarCount; ++i) {
        PciBarKind kind = bars_[i].kind;
        if (kind == PciBarKind::None) continue;
        bool was = decodes(kind, old_cmd) && old_addr[i] != 0;
        bool now = bar_decoding(i);
        if (old_addr[i] != bar_address(i) || was != now) on_bar_change(i, bar_address(i), now);
    }
}

// ---- INTx ----------------------------------------------------------------------

bool PciDevice::intx_out() const { return state_.intx_level && !(command() & kCmdIntxDisable); }

void PciDevice::set_intx(bool level) {
    if (level == state_.intx_level) return;
    state_.intx_level = level;
    uint8_t& status = state_.bytes[kStatus];
    status = level ? (status | kStatusInterrupt) : (status & ~kStatusInterrupt);
    if (bus_) bus_->intx_changed(*this);
}

}  // namespace petrel
