// MC146818 real-time clock and its 128 bytes of CMOS RAM (ports 0x70/0x71).
//
// Guest time is "base_epoch seconds at virtual time base_ns" and advances
// with the virtual Clock; the time registers are regenerated from it on
// every read while the clock runs, in the format register B selects (BCD or
// binary, 12 or 24 hour). While SET is on (or the divider is held in reset)
// updates stop and the registers are plain bytes the guest may rewrite;
// clearing SET restarts time from those bytes, the next update one second
// later. A write to a time register while running is kept: the base moves,
// the phase within the second does not.
//
// Timing facts: the update happens at each second boundary; UIP (register A
// bit 7) reads 1 during the 244 us before it. The periodic rate is
// 32768 >> (RS - 1) Hz (RS 1/2 alias 8/9). One Clock timer per second
// drives UF/AF; a second timer drives PF only while PIE is on — otherwise PF
// is computed when register C is read. IRQ8 is IRQF (register C bit 7),
// cleared by reading C.
//
// The machine maps Rtc at 0x70 (2 ports), connects irq() to ISA IRQ 8 and
// calls fill_pc_defaults() (plus set_byte() for boot order and the like).
#pragma once
#include <array>
#include <cstdint>

#include "devices/clock.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

struct RtcState {
    std::array<uint8_t, 128> cmos{};
    uint8_t index = 0;             // last index written to port 0x70
    bool nmi_masked = false;       // port 0x70 bit 7
    int64_t base_epoch = 0;        // guest UTC seconds ...
    uint64_t base_ns = 0;          // ... beginning at this virtual time
    uint64_t divider_origin_ns = 0;  // periodic interrupt phase reference
    uint64_t periodic_index = 0;   // last periodic tick accounted into PF
    uint64_t next_update_ns = 0;   // second boundary the update timer waits for
};

class Rtc : public IoHandler {
public:
    // Registers for CMOS byte offsets used by firmware.
    static constexpr uint8_t kRegA = 0x0a, kRegB = 0x0b, kRegC = 0x0c, kRegD = 0x0d;
    static constexpr uint8_t kCentury = 0x32;

    Rtc(Clock& clock, int64_t start_epoch_seconds);

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    IrqLine& irq() { return irq_; }
    bool nmi_masked() const { return state_.nmi_masked; }

    // Raw CMOS access for the board (no side effects on the clock).
    void set_byte(uint8_t index, uint8_t value) { state_.cmos[index & 0x7f] = value; }
    uint8_t byte(uint8_t index) const { return state_.cmos[index & 0x7f]; }
    // Memory sizes, equipment byte and CPU count where SeaBIOS and other
    // PC firmware look for them (QEMU's pc CMOS layout).
    void fill_pc_defaults(uint64_t ram_below_4g, uint64_t ram_above_4g, unsigned cpus = 1);

    // Guest time now, in seconds since the Unix epoch (what the registers say).
    int64_t guest_time() const;
    // The chip's RESET pin (machine reset): interrupt enables and flags
    // clear; time, format and CMOS contents survive (battery-backed).
    void reset();
    const RtcState& state() const { return state_; }

private:
    uint8_t read_reg(uint8_t i);
    void write_reg(uint8_t i, uint8_t v);
    void write_reg_a(uint8_t v);
    void write_reg_b(uint8_t v);

    bool running() const;
    bool divider_running() const;
    bool update_in_progress() const;
    void sync_registers();                   // time -> registers (when running)
    void rebase(uint64_t phase_ns);          // registers -> time
    void schedule_update();
    void on_update();
    void schedule_periodic();
    void on_periodic();
    uint64_t periodic_index_at(uint64_t ns) const;
    uint64_t periodic_index_time(uint64_t index) const;
    void catch_up_periodic();
    void update_irq();

    Clock& clock_;
    Timer* update_timer_;
    Timer* periodic_timer_;
    RtcState state_;
    IrqLine irq_;
};

}  // namespace petrel
