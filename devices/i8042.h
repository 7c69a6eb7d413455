// 8042 PS/2 controller (ports 0x60 data, 0x64 status/command) with a
// keyboard on the first port and a minimal mouse on the auxiliary port.
//
// One output buffer feeds the guest: the controller's own replies first,
// then keyboard bytes, then mouse bytes, each only while its port is enabled
// in the command byte. IRQ1/IRQ12 are the output-buffer-full level for the
// respective source, gated by command-byte bits 0/1; reading port 0x60 drops
// the line and immediately loads the next byte (a fresh edge per byte).
// With command-byte bit 6 set, keyboard bytes are translated from scancode
// set 2 to set 1 on the way through, as the real controller does.
//
// The keyboard speaks scancode set 2 natively: key_event() takes set 2 bytes
// (the frontend's job is set 2 only); a keyboard switched to set 1 converts
// them itself. Set 3 is accepted and treated as set 2.
//
// The output port carries the A20 gate (bit 1) and the CPU reset line
// (bit 0, active low): on_a20 and on_reset report them. Port 0x92 (see
// port92.h) is the other A20 source; the machine ORs the two.
//
// The machine maps data_io() at 0x60 and command_io() at 0x64 (1 port each),
// connects irq1()/irq12() to ISA IRQ 1 and 12.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

struct Ps2KeyboardState {
    std::deque<uint8_t> replies;   // command responses, sent before scancodes
    std::deque<uint8_t> scancodes;
    uint8_t pending_cmd = 0;       // command waiting for its data byte (ED, F0, F3)
    uint8_t last_sent = 0;         // for the resend command
    uint8_t scancode_set = 2;
    uint8_t leds = 0;
    uint8_t typematic = 0x2b;
    bool scanning = true;
};

struct Ps2MouseState {
    std::deque<uint8_t> queue;
    uint8_t pending_cmd = 0;       // F3 sample rate, E8 resolution
    uint8_t last_sent = 0;
    uint8_t sample_rate = 100;
    uint8_t resolution = 2;
    bool scaling_2to1 = false;
    bool reporting = false;
    bool remote = false;
    bool wrap = false;
    uint8_t buttons = 0;
};

struct I8042State {
    std::deque<uint16_t> replies;  // controller replies; bit 8 = appears as mouse data
    uint8_t ram[32] = {};          // ram[0] is the command byte
    uint8_t out = 0;               // output buffer
    bool obf = false;              // output buffer full
    bool obf_aux = false;          // ...with mouse data
    bool last_was_command = true;  // status bit 3: last write went to port 0x64
    bool sys_flag = false;         // status bit 2, set by a passing self-test
    bool xlate_break = false;      // translation saw an F0 prefix
    uint8_t pending_cmd = 0;       // controller command waiting for a data byte
    uint8_t output_port = 0xcf;    // reset inactive, A20 on
    Ps2KeyboardState kbd;
    Ps2MouseState mouse;
};

class I8042 {
public:
    I8042();

    IoHandler& data_io() { return data_io_; }
    IoHandler& command_io() { return command_io_; }
    IrqLine& irq1() { return irq1_; }
    IrqLine& irq12() { return irq12_; }

    std::function<void()> on_reset;       // output port bit 0 pulsed low (0xFE, 0xD1)
    std::function<void(bool)> on_a20;     // output port bit 1 changed
    std::function<void(uint8_t)> on_leds; // keyboard LEDs: bit 0 scroll, 1 num, 2 caps

    // Frontend input: set 2 scancode bytes for one key event (e.g. {0xe0, 0xf0, 0x75}).
    void key_event(const std::vector<uint8_t>& set2_bytes);
    // Relative motion (PS/2 sense: +dy is up) and buttons (bit 0 left, 1 right, 2 middle).
    void mouse_event(int dx, int dy, uint8_t buttons);

    bool a20() const { return state_.output_port & 0x02; }
    uint8_t command_byte() const { return state_.ram[0]; }
    void reset();
    const I8042State& state() const { return state_; }

private:
    class DataIo : public IoHandler {
    public:
        explicit DataIo(I8042& k) : k_(k) {}
        uint64_t io_read(uint64_t, unsigned) override { return k_.read_data(); }
        void io_write(uint64_t, uint64_t v, unsigned) override { k_.write_data(uint8_t(v)); }
    private:
        I8042& k_;
    };
    class CommandIo : public IoHandler {
    public:
        explicit CommandIo(I8042& k) : k_(k) {}
        uint64_t io_read(uint64_t, unsigned) override { return k_.read_status(); }
        void io_write(uint64_t, uint64_t v, unsigned) override { k_.write_command(uint8_t(v)); }
    private:
        I8042& k_;
    };

    uint8_t read_data();
    uint8_t read_status() const;
    void write_data(uint8_t v);
    void write_command(uint8_t v);
    void controller_data(uint8_t cmd, uint8_t v);
    void reply(uint8_t v, bool aux = false) { state_.replies.push_back(uint16_t(v | (aux ? 0x100 : 0))); }
    void write_output_port(uint8_t v);
    void set_command_byte(uint8_t v);

    void keyboard_write(uint8_t v);
    void keyboard_data(uint8_t cmd, uint8_t v);
    void keyboard_reply(uint8_t v);
    void keyboard_defaults();
    void mouse_write(uint8_t v);
    void mouse_reply(uint8_t v);
    void mouse_defaults();

    bool next_output(uint8_t& byte, bool& aux);
    void pump();
    void update_irq();

    I8042State state_;
    DataIo data_io_{*this};
    CommandIo command_io_{*this};
    IrqLine irq1_, irq12_;
};

}  // namespace petrel
