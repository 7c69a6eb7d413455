// Intel 82441FX PMC, the i440FX host bridge at 00:00.0 (8086:1237, rev 2).
//
// It owns the memory-controller registers a PC guest touches:
//  - PAM0-PAM6 (0x59-0x5f), the Programmable Attribute Map for the legacy
//    BIOS/option-ROM area: each 2-bit field says whether reads and writes of
//    a 0xC0000-0xFFFFF segment go to DRAM (shadow) or to the PCI/ROM side.
//    PAM0's high nibble covers 0xF0000-0xFFFFF (64 KiB); PAM1-6 each hold two
//    16 KiB segments, low nibble first, from 0xC0000 up. The bridge records
//    them and reports changes through on_pam_change; the machine applies the
//    shadowing.
//  - SMRAM (0x72): D_OPEN, D_CLS, D_LCK, G_SMRAME, C_BASE_SEG = 010
//    (0xA0000). Once D_LCK is set only D_CLS stays writable, until reset.
//    Reported through on_smram_change; there is no SMM yet.
// Everything else in the device-specific area reads as its reset value.
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "devices/pci/pci_device.h"

namespace petrel {

struct PamSegment {
    uint32_t base;
    uint32_t size;
    bool read_dram;   // RE: reads hit DRAM
    bool write_dram;  // WE: writes hit DRAM
};
constexpr unsigned kPamSegments = 13;  // 0xF0000 (64 KiB) + 12 x 16 KiB from 0xC0000

class I440fx : public PciDevice {
public:
    static constexpr unsigned kPam0 = 0x59, kSmram = 0x72;
    static constexpr uint8_t kSmramOpen = 1u << 6, kSmramClose = 1u << 5, kSmramLock = 1u << 4,
                             kSmramEnable = 1u << 3, kSmramBaseSeg = 0x02;

    I440fx();

    std::function<void(const std::array<PamSegment, kPamSegments>&)> on_pam_change;
    std::function<void(uint8_t smram)> on_smram_change;

    uint8_t pam(unsigned i) const { return i < 7 ? cfg8(kPam0 + i) : 0; }
    uint8_t smram() const { return cfg8(kSmram); }
    std::array<PamSegment, kPamSegments> pam_segments() const;

    void reset() override;

protected:
    void config_written(unsigned offset, unsigned size) override;

private:
    std::array<uint8_t, 7> last_pam_{};
    uint8_t last_smram_ = kSmramBaseSeg;
};

}  // namespace petrel
