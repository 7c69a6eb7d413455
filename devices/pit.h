// 8254 programmable interval timer (ports 0x40-0x43).
//
// Three counters clocked at 1.193182 MHz. Nothing ticks: a counter remembers
// when its count was loaded (in virtual Clock time) and every read computes
// the current value and OUT level from the elapsed input clocks. Only
// channel 0's OUT has a consumer that needs events (IRQ0), so one Clock timer
// fires at each of its OUT transitions and sets the IrqLine to the new level.
// Channel 2's gate and OUT are reached through port 0x61 (see port61.h).
//
// A new count written to a running mode 2/3 counter waits for the end of
// the current period (the next reload), as the datasheet says; it is applied
// lazily by settle() when time has passed that reload. Channels 0 and 1 have
// their gates tied high as on the PC.
//
// The machine maps Pit at 0x40 (4 ports) and connects irq0() to ISA IRQ 0.
#pragma once
#include <cstdint>

#include "devices/clock.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

inline constexpr uint64_t kPitHz = 1193182;

struct PitChannelState {
    uint32_t count = 0x10000;    // reload value in input clocks (0 -> 65536, or 10000 in BCD)
    uint16_t written = 0;        // raw count register as the guest wrote it
    uint8_t mode = 0;            // 0-5 (6/7 alias 2/3)
    uint8_t access = 3;          // 1 lsb, 2 msb, 3 lsb then msb
    bool bcd = false;
    bool has_count = false;      // a full count was written since the control word
    bool counting = false;       // a count has been loaded (and, modes 1/5, triggered)
    bool null_count = true;      // count written but not yet loaded into the counter
    bool gate = true;
    bool write_msb_next = false; // lsb/msb write toggle
    bool read_msb_next = false;  // lsb/msb read toggle
    bool count_latched = false;
    uint16_t latched_count = 0;
    uint8_t latched_access = 0;  // access mode in force when latched
    bool latched_msb_next = false;
    bool status_latched = false;
    uint8_t latched_status = 0;
    uint64_t load_ns = 0;        // virtual time the counter (re)started ...
    uint64_t tick_origin = 0;    // ... and clocks since then that belong to earlier periods
    uint64_t frozen_ticks = 0;   // elapsed clocks while the gate holds counting
    bool frozen = false;
    uint64_t irq_tick = 0;       // channel 0: tick of the next scheduled OUT transition
    bool reload_pending = false; // modes 2/3: a count waits for the next reload ...
    uint32_t reload_count = 0;   // ... this count ...
    uint64_t reload_tick = 0;    // ... at this many clocks after load_ns
};

struct PitState {
    PitChannelState ch[3];
};

class Pit : public IoHandler {
public:
    explicit Pit(Clock& clock);

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    IrqLine& irq0() { return irq0_; }
    void set_gate(unsigned channel, bool level);
    bool gate(unsigned channel) const { return channel < 3 && state_.ch[channel].gate; }
    bool out(unsigned channel) const;
    // Current counter value as the guest would read it (binary, not BCD).
    uint32_t counter(unsigned channel) const;

    void reset();
    const PitState& state() const { return state_; }

private:
    uint64_t elapsed_ticks(const PitChannelState& c) const;
    void settle(PitChannelState& c) const;
    PitChannelState settled(unsigned ch) const;
    uint8_t read_channel(unsigned ch);
    void write_count(unsigned ch, uint8_t v);
    void write_control(uint8_t v);
    void latch_count(unsigned ch);
    void latch_status(unsigned ch);
    void load_count(unsigned ch);
    void schedule_irq();
    void irq_timer_fired();

    Clock& clock_;
    Timer* timer_;
    PitState state_;
    IrqLine irq0_;
};

}  // namespace petrel
