// PIIX4 ACPI power management: PM1 event/control, PM timer, GPE0, SCI.
// See acpi_pm.h.
#include "devices/acpi_pm.h"

namespace petrel {

using namespace acpi_pm;

namespace {

constexpr uint16_t kPm1StsW1c = kTmr | kBm | kGbl | kPwrBtn | kRtc | kWak;
constexpr uint16_t kPm1EnWritable = kTmr | kGbl | kPwrBtn | kRtc;
constexpr uint16_t kPm1CntStored = kSciEn | kBmRld | (7u << kSlpTypShift);  // GBL_RLS, SLP_EN write-only
constexpr uint16_t kSciSources = kTmr | kGbl | kPwrBtn | kRtc;
constexpr unsigned kTmrBits = 24, kTmrToggleBit = 23;

uint16_t set16_byte(uint16_t reg, unsigned byte, uint8_t v) {
    return byte ? uint16_t((reg & 0x00ff) | v << 8) : uint16_t((reg & 0xff00) | v);
}

}  // namespace

AcpiPm::AcpiPm(Clock& clock)
    : clock_(clock), overflow_timer_(clock.new_timer([this] {
          update_sci();           // TMR_STS is now visible (lazily); raise the SCI
          arm_overflow_timer();
      })) {
    reset();
}

void AcpiPm::reset() {
    overflow_timer_->cancel();
    state_ = AcpiPmState{};
    state_.pm1_cnt = kSciEn;  // ACPI-only platform: no SMI_CMD handshake
    state_.tmr_epoch = timer_ticks() >> kTmrToggleBit;
    update_sci();
}

// ---- PM timer ------------------------------------------------------------------

uint64_t AcpiPm::timer_ticks() const {
    return uint64_t(static_cast<unsigned __int128>(clock_.now_ns()) * kTimerHz / 1'000'000'000);
}

uint32_t AcpiPm::pm_timer() const { return uint32_t(timer_ticks() & ((1u << kTmrBits) - 1)); }

uint16_t AcpiPm::pm1_status() const {
    uint16_t s = state_.pm1_sts;
    if ((timer_ticks() >> kTmrToggleBit) != state_.tmr_epoch) s |= kTmr;
    return s;
}

void AcpiPm::arm_overflow_timer() {
    overflow_timer_->cancel();
    // Only an enabled, not yet pending TMR_STS needs a wake-up.
    if (!(state_.pm1_en & kTmr) || (pm1_status() & kTmr)) return;
    unsigned __int128 next = static_cast<unsigned __int128>(state_.tmr_epoch + 1) << kTmrToggleBit;
    overflow_timer_->arm(uint64_t((next * 1'000'000'000 + kTimerHz - 1) / kTimerHz));
}

// ---- SCI ------------------------------------------------------------------------

void AcpiPm::update_sci() {
    bool level = (pm1_status() & state_.pm1_en & kSciSources) || (state_.gpe0_sts & state_.gpe0_en);
    if (level != sci_.level()) sci_.set(level);
}

void AcpiPm::press_power_button() {
    state_.pm1_sts |= kPwrBtn;
    update_sci();
}

void AcpiPm::set_gpe(unsigned bit) {
    if (bit >= 16) return;
    state_.gpe0_sts |= uint16_t(1u << bit);
    update_sci();
}

// ---- PM base block ------------------------------------------------------------------

uint8_t AcpiPm::read_byte(unsigned offset) const {
    switch (offset) {
        case kPm1Status: case kPm1Status + 1: return uint8_t(pm1_status() >> (8 * (offset & 1)));
        case kPm1Enable: case kPm1Enable + 1: return uint8_t(state_.pm1_en >> (8 * (offset & 1)));
        case kPm1Control: case kPm1Control + 1: return uint8_t(state_.pm1_cnt >> (8 * (offset & 1)));
        case kPmTimer: case kPmTimer + 1: case kPmTimer + 2: case kPmTimer + 3:
            return uint8_t(pm_timer() >> (8 * (offset - kPmTimer)));
        default: return 0;  // the PIIX4's other PM registers: not modelled
    }
}

void AcpiPm::write_byte(unsigned offset, uint8_t v) {
    switch (offset) {
        case kPm1Status: case kPm1Status + 1: {
            uint16_t clear = uint16_t(v << (8 * (offset & 1))) & kPm1StsW1c;
            if (clear & kTmr) state_.tmr_epoch = timer_ticks() >> kTmrToggleBit;
            state_.pm1_sts &= uint16_t(~clear);
            break;
        }
        case kPm1Enable: case kPm1Enable + 1:
            state_.pm1_en = set16_byte(state_.pm1_en, offset & 1, v) & kPm1EnWritable;
            break;
        case kPm1Control: case kPm1Control + 1: {
            uint16_t written = set16_byte(state_.pm1_cnt, offset & 1, v);
            state_.pm1_cnt = written & kPm1CntStored;
            if (written & kSlpEn) sleep_requested();
            break;
        }
        default: break;  // PM timer and unmodelled registers: read-only here
    }
}

void AcpiPm::sleep_requested() {
    uint8_t typ = (state_.pm1_cnt >> kSlpTypShift) & 7;
    if (typ == kSlpTypS5) {
        if (on_power_off) on_power_off();
    } else if (on_sleep) {
        on_sleep(typ);
    }
}

uint64_t AcpiPm::io_read(uint64_t offset, unsigned size) {
    uint64_t v = 0;
    for (unsigned i = 0; i < size && i < 8; ++i)
        if (offset + i < kIoSize) v |= uint64_t(read_byte(unsigned(offset + i))) << (8 * i);
    return v;
}

void AcpiPm::io_write(uint64_t offset, uint64_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 8; ++i)
        if (offset + i < kIoSize) write_byte(unsigned(offset + i), uint8_t(value >> (8 * i)));
    update_sci();
    arm_overflow_timer();
}

// ---- GPE0 block --------------------------------------------------------------------

uint64_t AcpiPm::Gpe0Io::io_read(uint64_t offset, unsigned size) {
    uint32_t block = uint32_t(pm.state_.gpe0_sts) | uint32_t(pm.state_.gpe0_en) << 16;
    uint64_t v = 0;
    for (unsigned i = 0; i < size && i < 8; ++i)
        if (offset + i < kGpe0Size) v |= uint64_t((block >> (8 * (offset + i))) & 0xff) << (8 * i);
    return v;
}

void AcpiPm::Gpe0Io::io_write(uint64_t offset, uint64_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 8; ++i) {
        uint64_t o = offset + i;
        uint8_t b = uint8_t(value >> (8 * i));
        if (o < 2) pm.state_.gpe0_sts &= uint16_t(~(b << (8 * o)));  // write 1 to clear
        else if (o < kGpe0Size) pm.state_.gpe0_en = set16_byte(pm.state_.gpe0_en, unsigned(o & 1), b);
    }
    pm.update_sci();
}

}  // namespace petrel
