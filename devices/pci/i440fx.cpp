// i440FX host bridge: PAM and SMRAM registers. See i440fx.h.
#include "devices/pci/i440fx.h"

namespace petrel {

I440fx::I440fx() : PciDevice(0x8086, 0x1237, 0x02, 0x060000) {
    init_reg(kPam0, 1, 0x00, 0x30);  // PAM0: only the 0xF0000 nibble (bits 5:4) exists
    for (unsigned i = 1; i < 7; ++i) init_reg(kPam0 + i, 1, 0x00, 0x33);
    init_reg(kSmram, 1, kSmramBaseSeg, kSmramOpen | kSmramClose | kSmramLock | kSmramEnable);
}

void I440fx::reset() {
    PciDevice::reset();
    last_pam_.fill(0);
    last_smram_ = kSmramBaseSeg;
    if (on_pam_change) on_pam_change(pam_segments());
    if (on_smram_change) on_smram_change(smram());
}

std::array<PamSegment, kPamSegments> I440fx::pam_segments() const {
    std::array<PamSegment, kPamSegments> s{};
    uint8_t p0 = pam(0) >> 4;
    s[0] = PamSegment{0xf0000, 0x10000, bool(p0 & 1), bool(p0 & 2)};
    for (unsigned i = 0; i < 12; ++i) {
        uint8_t field = uint8_t(pam(1 + i / 2) >> (i % 2 ? 4 : 0));
        s[1 + i] = PamSegment{0xc0000 + 0x4000 * i, 0x4000, bool(field & 1), bool(field & 2)};
    }
    return s;
}

void I440fx::config_written(unsigned offset, unsigned size) {
    if (offset <= kSmram && kSmram < offset + size) {
        uint8_t v = smram();
        if (last_smram_ & kSmramLock) {
            // Locked: D_OPEN is forced off and only D_CLS may change.
            v = uint8_t((last_smram_ & ~kSmramClose) | (v & kSmramClose));
            v &= uint8_t(~kSmramOpen);
        } else if ((v & kSmramLock) && (v & kSmramOpen)) {
            v &= uint8_t(~kSmramOpen);  // setting D_LCK closes D_OPEN
        }
        set_cfg8(kSmram, v);
        if (v != last_smram_) {
            last_smram_ = v;
            if (on_smram_change) on_smram_change(v);
        }
    }
    bool pam_changed = false;
    for (unsigned i = 0; i < 7; ++i) {
        if (pam(i) != last_pam_[i]) {
            last_pam_[i] = pam(i);
            pam_changed = true;
        }
    }
    if (pam_changed && on_pam_change) on_pam_change(pam_segments());
}

}  // namespace petrel
