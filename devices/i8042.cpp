#include "devices/i8042.h"

#include <algorithm>
#include <array>
#include <utility>

namespace petrel {

namespace {

// Status register bits.
constexpr uint8_t kStObf = 0x01, kStSys = 0x04, kStCmd = 0x08, kStUnlocked = 0x10, kStAuxObf = 0x20;
// Command byte bits.
constexpr uint8_t kCbKbdIrq = 0x01, kCbAuxIrq = 0x02, kCbSys = 0x04, kCbKbdOff = 0x10, kCbAuxOff = 0x20,
                  kCbXlate = 0x40;
// Output port bits.
constexpr uint8_t kOpReset = 0x01, kOpA20 = 0x02, kOpKbdObf = 0x10, kOpAuxObf = 0x20;

constexpr uint8_t kAck = 0xfa, kResend = 0xfe, kBatOk = 0xaa;
constexpr size_t kQueueLimit = 256;

// Scancode set 2 -> set 1, for every key of a 104/105-key keyboard. E0/E1
// prefixed keys share the base codes; bytes not listed pass unchanged.
constexpr std::pair<uint8_t, uint8_t> kSet2ToSet1[] = {
    {0x76, 0x01}, {0x16, 0x02}, {0x1e, 0x03}, {0x26, 0x04}, {0x25, 0x05}, {0x2e, 0x06}, {0x36, 0x07},
    {0x3d, 0x08}, {0x3e, 0x09}, {0x46, 0x0a}, {0x45, 0x0b}, {0x4e, 0x0c}, {0x55, 0x0d}, {0x66, 0x0e},
    {0x0d, 0x0f}, {0x15, 0x10}, {0x1d, 0x11}, {0x24, 0x12}, {0x2d, 0x13}, {0x2c, 0x14}, {0x35, 0x15},
    {0x3c, 0x16}, {0x43, 0x17}, {0x44, 0x18}, {0x4d, 0x19}, {0x54, 0x1a}, {0x5b, 0x1b}, {0x5a, 0x1c},
    {0x14, 0x1d}, {0x1c, 0x1e}, {0x1b, 0x1f}, {0x23, 0x20}, {0x2b, 0x21}, {0x34, 0x22}, {0x33, 0x23},
    {0x3b, 0x24}, {0x42, 0x25}, {0x4b, 0x26}, {0x4c, 0x27}, {0x52, 0x28}, {0x0e, 0x29}, {0x12, 0x2a},
    {0x5d, 0x2b}, {0x1a, 0x2c}, {0x22, 0x2d}, {0x21, 0x2e}, {0x2a, 0x2f}, {0x32, 0x30}, {0x31, 0x31},
    {0x3a, 0x32}, {0x41, 0x33}, {0x49, 0x34}, {0x4a, 0x35}, {0x59, 0x36}, {0x7c, 0x37}, {0x11, 0x38},
    {0x29, 0x39}, {0x58, 0x3a}, {0x05, 0x3b}, {0x06, 0x3c}, {0x04, 0x3d}, {0x0c, 0x3e}, {0x03, 0x3f},
    {0x0b, 0x40}, {0x83, 0x41}, {0x0a, 0x42}, {0x01, 0x43}, {0x09, 0x44}, {0x77, 0x45}, {0x7e, 0x46},
    {0x6c, 0x47}, {0x75, 0x48}, {0x7d, 0x49}, {0x7b, 0x4a}, {0x6b, 0x4b}, {0x73, 0x4c}, {0x74, 0x4d},
    {0x79, 0x4e}, {0x69, 0x4f}, {0x72, 0x50}, {0x7a, 0x51}, {0x70, 0x52}, {0x71, 0x53}, {0x84, 0x54},
    {0x61, 0x56}, {0x78, 0x57}, {0x07, 0x58}, {0x1f, 0x5b}, {0x27, 0x5c}, {0x2f, 0x5d},
};

constexpr std::array<uint8_t, 256> make_translation() {
    std::array<uint8_t, 256> t{};
    for (unsigned i = 0; i < 256; ++i) t[i] = uint8_t(i);
    for (auto [set2, set1] : kSet2ToSet1) t[set2] = set1;
    return t;
}
constexpr std::array<uint8_t, 256> kTranslate = make_translation();

// Set 2 byte stream -> set 1 byte stream (F0 xx becomes xx | 0x80).
struct Translator {
    bool& saw_break;
    // Returns false when the byte is swallowed (an F0 prefix).
    bool operator()(uint8_t in, uint8_t& out) {
        if (in == 0xf0) {
            saw_break = true;
            return false;
        }
        out = kTranslate[in];
        if (saw_break) out |= 0x80;
        saw_break = false;
        return true;
    }
};

void push_limited(std::deque<uint8_t>& q, uint8_t v) {
    if (q.size() < kQueueLimit) q.push_back(v);
}

}  // namespace

I8042::I8042() { reset(); }

void I8042::reset() {
    state_ = I8042State{};
    state_.ram[0] = kCbKbdIrq | kCbAuxIrq | kCbXlate;
    update_irq();
}

// ---- output buffer ------------------------------------------------------------

// Chooses the next byte for the output buffer: controller replies, then the
// keyboard (translated if asked), then the mouse.
bool I8042::next_output(uint8_t& byte, bool& aux) {
    I8042State& s = state_;
    if (!s.replies.empty()) {
        byte = uint8_t(s.replies.front());
        aux = s.replies.front() & 0x100;
        s.replies.pop_front();
        return true;
    }
    if (!(s.ram[0] & kCbKbdOff)) {
        for (;;) {
            auto& q = !s.kbd.replies.empty() ? s.kbd.replies : s.kbd.scancodes;
            if (q.empty()) break;
            uint8_t b = q.front();
            q.pop_front();
            s.kbd.last_sent = b;
            if (!(s.ram[0] & kCbXlate)) {
                byte = b;
                aux = false;
                return true;
            }
            Translator xlate{s.xlate_break};
            if (xlate(b, byte)) {
                aux = false;
                return true;
            }
        }
    }
    if (!(s.ram[0] & kCbAuxOff) && !s.mouse.queue.empty()) {
        byte = s.mouse.queue.front();
        s.mouse.last_sent = byte;
        s.mouse.queue.pop_front();
        aux = true;
        return true;
    }
    return false;
}

void I8042::pump() {
    if (!state_.obf) {
        uint8_t b;
        bool aux;
        if (next_output(b, aux)) {
            state_.out = b;
            state_.obf = true;
            state_.obf_aux = aux;
        }
    }
    update_irq();
}

void I8042::update_irq() {
    const I8042State& s = state_;
    bool kbd = s.obf && !s.obf_aux && (s.ram[0] & kCbKbdIrq);
    bool aux = s.obf && s.obf_aux && (s.ram[0] & kCbAuxIrq);
    if (kbd != irq1_.level()) irq1_.set(kbd);
    if (aux != irq12_.level()) irq12_.set(aux);
}

uint8_t I8042::read_data() {
    uint8_t v = state_.out;  // an empty buffer repeats the last byte
    state_.obf = false;
    update_irq();
    pump();
    return v;
}

uint8_t I8042::read_status() const {
    const I8042State& s = state_;
    uint8_t v = kStUnlocked;
    if (s.obf) v |= kStObf;
    if (s.obf && s.obf_aux) v |= kStAuxObf;
    if (s.sys_flag) v |= kStSys;
    if (s.last_was_command) v |= kStCmd;
    return v;
}

// ---- controller commands ----------------------------------------------------------

void I8042::set_command_byte(uint8_t v) {
    state_.ram[0] = v;
    state_.sys_flag = v & kCbSys;
    pump();
}

void I8042::write_output_port(uint8_t v) {
    bool old_a20 = a20();
    state_.output_port = v;
    if (a20() != old_a20 && on_a20) on_a20(a20());
    if (!(v & kOpReset)) {
        state_.output_port |= kOpReset;  // the reset pulse ends; the line floats back high
        if (on_reset) on_reset();
    }
}

void I8042::write_command(uint8_t v) {
    I8042State& s = state_;
    s.last_was_command = true;
    s.pending_cmd = 0;
    if (v >= 0x20 && v < 0x40) {           // read controller RAM
        reply(s.ram[v & 0x1f]);
    } else if (v >= 0x60 && v < 0x80) {    // write controller RAM: data follows
        s.pending_cmd = v;
    } else if (v >= 0xf0) {                // pulse output port bits 0-3 low where the command has 0
        if (!(v & 0x01)) {
            if (on_reset) on_reset();
        }
    } else {
        switch (v) {
        case 0xa7: s.ram[0] |= kCbAuxOff; break;
        case 0xa8: s.ram[0] &= ~kCbAuxOff; break;
        case 0xa9: reply(0x00); break;      // aux interface test: OK
        case 0xaa:                          // controller self-test
            s.sys_flag = true;
            s.ram[0] |= kCbSys;
            reply(0x55);
            break;
        case 0xab: reply(0x00); break;      // keyboard interface test: OK
        case 0xad: s.ram[0] |= kCbKbdOff; break;
        case 0xae: s.ram[0] &= ~kCbKbdOff; break;
        case 0xc0: reply(0x80); break;      // input port: keyboard not inhibited
        case 0xd0: {                         // read output port, OBF bits live
            uint8_t op = uint8_t(s.output_port & ~(kOpKbdObf | kOpAuxObf));
            if (s.obf && !s.obf_aux) op |= kOpKbdObf;
            if (s.obf && s.obf_aux) op |= kOpAuxObf;
            reply(op);
            break;
        }
        case 0xd1: case 0xd2: case 0xd3: case 0xd4: s.pending_cmd = v; break;
        case 0xdd: write_output_port(uint8_t(s.output_port & ~kOpA20)); break;
        case 0xdf: write_output_port(uint8_t(s.output_port | kOpA20)); break;
        case 0xe0: reply(0x00); break;      // test inputs
        default: break;                     // unknown commands are ignored
        }
    }
    pump();
}

void I8042::controller_data(uint8_t cmd, uint8_t v) {
    switch (cmd) {
    case 0xd1: write_output_port(v); break;
    case 0xd2: reply(v); break;             // as if from the keyboard
    case 0xd3: reply(v, true); break;       // as if from the mouse
    case 0xd4: mouse_write(v); break;
    default:
        if (cmd >= 0x60 && cmd < 0x80) {
            if ((cmd & 0x1f) == 0) set_command_byte(v);
            else state_.ram[cmd & 0x1f] = v;
        }
        break;
    }
}

void I8042::write_data(uint8_t v) {
    state_.last_was_command = false;
    uint8_t cmd = std::exchange(state_.pending_cmd, 0);
    if (cmd) controller_data(cmd, v);
    else keyboard_write(v);
    pump();
}

// ---- keyboard --------------------------------------------------------------------

void I8042::keyboard_reply(uint8_t v) { push_limited(state_.kbd.replies, v); }

void I8042::keyboard_defaults() {
    Ps2KeyboardState& k = state_.kbd;
    k.scancode_set = 2;
    k.typematic = 0x2b;
    k.scancodes.clear();
}

void I8042::keyboard_data(uint8_t cmd, uint8_t v) {
    Ps2KeyboardState& k = state_.kbd;
    switch (cmd) {
    case 0xed:
        k.leds = v & 7;
        if (on_leds) on_leds(k.leds);
        keyboard_reply(kAck);
        break;
    case 0xf3:
        k.typematic = v & 0x7f;
        keyboard_reply(kAck);
        break;
    case 0xf0:
        keyboard_reply(kAck);
        if (v == 0) keyboard_reply(k.scancode_set);
        else if (v <= 3) k.scancode_set = v;
        break;
    default: break;
    }
}

void I8042::keyboard_write(uint8_t v) {
    Ps2KeyboardState& k = state_.kbd;
    // A pending command takes its data byte; a command byte aborts it.
    if (k.pending_cmd && v < 0x80) {
        keyboard_data(std::exchange(k.pending_cmd, 0), v);
        return;
    }
    k.pending_cmd = 0;
    switch (v) {
    case 0xed: case 0xf0: case 0xf3:
        k.pending_cmd = v;
        keyboard_reply(kAck);
        break;
    case 0xee: keyboard_reply(0xee); break;  // echo
    case 0xf2:                               // identify: MF2 keyboard
        keyboard_reply(kAck);
        keyboard_reply(0xab);
        keyboard_reply(0x83);
        break;
    case 0xf4:
        k.scanning = true;
        k.scancodes.clear();
        keyboard_reply(kAck);
        break;
    case 0xf5:
        keyboard_defaults();
        k.scanning = false;
        keyboard_reply(kAck);
        break;
    case 0xf6:
        keyboard_defaults();
        keyboard_reply(kAck);
        break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
        keyboard_reply(kAck);                // set 3 key-type commands: accepted, no effect
        break;
    case 0xfe: keyboard_reply(k.last_sent); break;
    case 0xff:                               // reset and basic assurance test
        keyboard_defaults();
        k.replies.clear();
        k.scanning = true;
        k.leds = 0;
        keyboard_reply(kAck);
        keyboard_reply(kBatOk);
        break;
    default: keyboard_reply(kResend); break;
    }
}

void I8042::key_event(const std::vector<uint8_t>& bytes) {
    Ps2KeyboardState& k = state_.kbd;
    if (!k.scanning) return;
    if (k.scancode_set == 1) {
        bool saw_break = false;
        Translator xlate{saw_break};
        for (uint8_t b : bytes) {
            uint8_t out;
            if (xlate(b, out)) push_limited(k.scancodes, out);
        }
    } else {
        for (uint8_t b : bytes) push_limited(k.scancodes, b);
    }
    pump();
}

// ---- mouse --------------------------------------------------------------------------

void I8042::mouse_reply(uint8_t v) { push_limited(state_.mouse.queue, v); }

void I8042::mouse_defaults() {
    Ps2MouseState& m = state_.mouse;
    m.sample_rate = 100;
    m.resolution = 2;
    m.scaling_2to1 = false;
    m.reporting = false;
    m.remote = false;
}

void I8042::mouse_write(uint8_t v) {
    Ps2MouseState& m = state_.mouse;
    if (m.pending_cmd) {
        if (std::exchange(m.pending_cmd, 0) == 0xf3) m.sample_rate = v;
        else m.resolution = v & 3;
        mouse_reply(kAck);
        return;
    }
    if (m.wrap && v != 0xec && v != 0xff) {
        mouse_reply(v);  // wrap mode echoes
        return;
    }
    switch (v) {
    case 0xe6: m.scaling_2to1 = false; mouse_reply(kAck); break;
    case 0xe7: m.scaling_2to1 = true; mouse_reply(kAck); break;
    case 0xe8: case 0xf3: m.pending_cmd = v; mouse_reply(kAck); break;
    case 0xe9:  // status request
        mouse_reply(kAck);
        mouse_reply(uint8_t((m.remote ? 0x40 : 0) | (m.reporting ? 0x20 : 0) | (m.scaling_2to1 ? 0x10 : 0) |
                            (m.buttons & 7)));
        mouse_reply(m.resolution);
        mouse_reply(m.sample_rate);
        break;
    case 0xea: m.remote = false; mouse_reply(kAck); break;
    case 0xeb:  // read data: an empty movement packet
        mouse_reply(kAck);
        mouse_reply(uint8_t(0x08 | (m.buttons & 7)));
        mouse_reply(0);
        mouse_reply(0);
        break;
    case 0xec: m.wrap = false; mouse_reply(kAck); break;
    case 0xee: m.wrap = true; mouse_reply(kAck); break;
    case 0xf0: m.remote = true; mouse_reply(kAck); break;
    case 0xf2: mouse_reply(kAck); mouse_reply(0x00); break;  // standard PS/2 mouse
    case 0xf4: m.reporting = true; mouse_reply(kAck); break;
    case 0xf5: m.reporting = false; mouse_reply(kAck); break;
    case 0xf6: mouse_defaults(); mouse_reply(kAck); break;
    case 0xfe: mouse_reply(m.last_sent); break;
    case 0xff:
        mouse_defaults();
        m.wrap = false;
        m.queue.clear();
        mouse_reply(kAck);
        mouse_reply(kBatOk);
        mouse_reply(0x00);
        break;
    default: mouse_reply(kResend); break;
    }
}

void I8042::mouse_event(int dx, int dy, uint8_t buttons) {
    Ps2MouseState& m = state_.mouse;
    m.buttons = buttons & 7;
    if (!m.reporting || m.remote) return;
    uint8_t flags = uint8_t(0x08 | m.buttons);
    if (dx < -256 || dx > 255) flags |= 0x40;  // X overflow
    if (dy < -256 || dy > 255) flags |= 0x80;  // Y overflow
    dx = std::clamp(dx, -256, 255);
    dy = std::clamp(dy, -256, 255);
    if (dx < 0) flags |= 0x10;
    if (dy < 0) flags |= 0x20;
    if (m.queue.size() + 3 > kQueueLimit) return;  // drop whole packets, never split one
    mouse_reply(flags);
    mouse_reply(uint8_t(dx));
    mouse_reply(uint8_t(dy));
    pump();
}

}  // namespace petrel
