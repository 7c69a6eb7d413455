// ACPI fixed hardware of the PIIX4 power-management function, as QEMU's pc
// machine exposes it: the PM1a event and control blocks, the 24-bit PM
// timer, and a GPE0 block; the SCI is ISA IRQ 9 (level, active high).
//
// I/O layout (the FADT writer uses these constants):
//   PM base (PIIX4 PMBA, QEMU 0x600), 64 ports:
//     +0x00 PM1_STS (16, write 1 to clear)   +0x02 PM1_EN (16)
//     +0x04 PM1_CNT (16)                     +0x08 PM_TMR (32, 24 bits valid)
//   GPE0 block (QEMU 0xafe0), 4 ports: +0 GPE0_STS (16, W1C), +2 GPE0_EN (16)
//
// Sleep: writing SLP_EN with SLP_TYP == kSlpTypS5 powers off (on_power_off).
// QEMU's pc DSDT declares \_S5 = {0, 0}; our DSDT must use kSlpTypS5 too.
// Other sleep types (QEMU: S3 = 1, S4 = 2) go to on_sleep, unimplemented.
//
// The PM timer runs at 3.579545 MHz computed from the Clock; TMR_STS is set
// whenever its bit 23 toggles, kept lazily (no periodic host work unless
// TMR_EN asks for an SCI). SCI_EN is set at reset because our FADT has no
// SMI_CMD (an ACPI-only platform, as QEMU does for it).
#pragma once
#include <cstdint>
#include <functional>

#include "devices/clock.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

namespace acpi_pm {
constexpr uint16_t kIoBase = 0x600;     // QEMU's PIIX4 PMBA
constexpr uint16_t kIoSize = 64;        // PIIX4 PM I/O space
constexpr unsigned kPm1Status = 0x00, kPm1Enable = 0x02, kPm1Control = 0x04, kPmTimer = 0x08;
constexpr unsigned kPm1EvtLen = 4, kPm1CntLen = 2, kPmTmrLen = 4;
constexpr uint16_t kGpe0Base = 0xafe0;  // QEMU's GPE0_BLK
constexpr uint16_t kGpe0Size = 4;       // GPE0_BLK_LEN: 16 status bits + 16 enable bits
constexpr uint8_t kSciIrq = 9;
constexpr uint8_t kSlpTypS5 = 0;        // SLP_TYP for soft-off, = the DSDT's \_S5
constexpr uint64_t kTimerHz = 3'579'545;

// PM1 status / enable bits (ACPI spec, "PM1 Event Registers").
constexpr uint16_t kTmr = 1u << 0, kBm = 1u << 4, kGbl = 1u << 5, kPwrBtn = 1u << 8, kRtc = 1u << 10,
                   kWak = 1u << 15;
// PM1 control bits.
constexpr uint16_t kSciEn = 1u << 0, kBmRld = 1u << 1, kGblRls = 1u << 2, kSlpEn = 1u << 13;
constexpr unsigned kSlpTypShift = 10;
}  // namespace acpi_pm

struct AcpiPmState {
    uint16_t pm1_sts = 0;       // latched status bits (TMR_STS also from the lazy check)
    uint16_t pm1_en = 0;
    uint16_t pm1_cnt = 0;
    uint16_t gpe0_sts = 0;
    uint16_t gpe0_en = 0;
    uint64_t tmr_epoch = 0;     // PM timer ticks >> 23 when TMR_STS was last cleared
};

class AcpiPm : public IoHandler {
public:
    explicit AcpiPm(Clock& clock);

    std::function<void()> on_power_off;             // S5
    std::function<void(uint8_t slp_typ)> on_sleep;  // any other SLP_TYP with SLP_EN

    // The PM base block (mapped at the PIIX4 PMBA when PMREGMISC enables it).
    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;
    IoHandler& gpe0_io() { return gpe0_io_; }

    IrqLine& sci_line() { return sci_; }  // connect to ISA IRQ 9

    void press_power_button();
    void set_gpe(unsigned bit);  // a GPE0 event source (hotplug later)
    uint32_t pm_timer() const;   // 24-bit value
    uint16_t pm1_status() const;
    void reset();
    const AcpiPmState& state() const { return state_; }

private:
    struct Gpe0Io : IoHandler {
        explicit Gpe0Io(AcpiPm& p) : pm(p) {}
        uint64_t io_read(uint64_t offset, unsigned size) override;
        void io_write(uint64_t offset, uint64_t value, unsigned size) override;
        AcpiPm& pm;
    };
    uint8_t read_byte(unsigned offset) const;
    void write_byte(unsigned offset, uint8_t v);
    uint64_t timer_ticks() const;
    void update_sci();
    void arm_overflow_timer();
    void sleep_requested();

    Clock& clock_;
    Timer* overflow_timer_;
    AcpiPmState state_;
    IrqLine sci_;
    Gpe0Io gpe0_io_{*this};
};

}  // namespace petrel
