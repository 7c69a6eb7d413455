// 8042 controller, keyboard and mouse at the port level: self-test,
// interface tests, command byte, output port (A20, reset), pulse reset,
// keyboard and mouse commands, IRQ1/IRQ12, set 2 -> set 1 translation.
// Port 0x92 (fast A20 / reset) is tested here too.
#include <doctest/doctest.h>

#include "devices/i8042.h"
#include "devices/port92.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

struct KbcFixture {
    I8042 kbc;
    test::RecordingSink pic;
    int resets = 0;
    std::vector<bool> a20;
    KbcFixture() {
        kbc.irq1().connect(&pic, 1);
        kbc.irq12().connect(&pic, 12);
        kbc.on_reset = [this] { ++resets; };
        kbc.on_a20 = [this](bool on) { a20.push_back(on); };
    }
    uint8_t status() { return uint8_t(kbc.command_io().io_read(0, 1)); }
    void cmd(uint8_t v) { kbc.command_io().io_write(0, v, 1); }
    void data(uint8_t v) { kbc.data_io().io_write(0, v, 1); }
    uint8_t read() { return uint8_t(kbc.data_io().io_read(0, 1)); }
    // Reads every byte waiting in the output buffer.
    std::vector<uint8_t> drain() {
        std::vector<uint8_t> out;
        while (status() & 1) out.push_back(read());
        return out;
    }
    using Bytes = std::vector<uint8_t>;
};

}  // namespace

TEST_CASE_FIXTURE(KbcFixture, "i8042: self-test, interface tests and status") {
    CHECK((status() & 0x04) == 0);
    cmd(0xaa);
    CHECK((status() & 0x01) == 0x01);
    CHECK((status() & 0x08) == 0x08);  // last write was a command
    CHECK(read() == 0x55);
    CHECK((status() & 0x04) == 0x04);  // SYS flag
    cmd(0xab);
    CHECK(read() == 0x00);
    cmd(0xa9);
    CHECK(read() == 0x00);
    CHECK((status() & 0x01) == 0);
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: command byte read and write") {
    cmd(0x20);
    CHECK(read() == 0x43);
    cmd(0x60);
    data(0x65);
    CHECK((status() & 0x08) == 0);
    cmd(0x20);
    CHECK(read() == 0x65);
    cmd(0xad);
    cmd(0xa7);
    cmd(0x20);
    CHECK(read() == 0x75);
    cmd(0xae);
    cmd(0xa8);
    cmd(0x20);
    CHECK(read() == 0x45);
    // Other controller RAM bytes are plain storage.
    cmd(0x65);
    data(0x99);
    cmd(0x25);
    CHECK(read() == 0x99);
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: output port carries A20; D1 and DD/DF change it") {
    CHECK(kbc.a20());
    cmd(0xd0);
    CHECK((read() & 0x03) == 0x03);
    cmd(0xd1);
    data(0xcd);  // A20 off, reset inactive
    CHECK_FALSE(kbc.a20());
    CHECK(a20 == std::vector<bool>{false});
    cmd(0xd0);
    CHECK((read() & 0x03) == 0x01);
    cmd(0xdf);
    CHECK(kbc.a20());
    cmd(0xdd);
    CHECK(a20 == std::vector<bool>{false, true, false});
    CHECK(resets == 0);
    cmd(0xd1);
    data(0xce);  // bit 0 low: CPU reset
    CHECK(resets == 1);
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: pulse output port command FE resets, FF does not") {
    cmd(0xff);
    CHECK(resets == 0);
    cmd(0xfe);
    CHECK(resets == 1);
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: keyboard reset, identify, LEDs, typematic, scancode set") {
    data(0xff);
    CHECK(drain() == Bytes{0xfa, 0xaa});
    cmd(0x60);
    data(0x01);  // no translation, so replies are raw
    data(0xf2);
    CHECK(drain() == Bytes{0xfa, 0xab, 0x83});
    uint8_t leds = 0xff;
    kbc.on_leds = [&](uint8_t l) { leds = l; };
    data(0xed);
    CHECK(drain() == Bytes{0xfa});
    data(0x04);
    CHECK(drain() == Bytes{0xfa});
    CHECK(leds == 0x04);
    data(0xf3);
    data(0x20);
    CHECK(drain() == Bytes{0xfa, 0xfa});
    data(0xf0);
    data(0x00);
    CHECK(drain() == Bytes{0xfa, 0xfa, 0x02});
    data(0xf0);
    data(0x01);
    data(0xf0);
    data(0x00);
    CHECK(drain() == Bytes{0xfa, 0xfa, 0xfa, 0xfa, 0x01});
    data(0xee);
    CHECK(drain() == Bytes{0xee});
    data(0x42);  // not a command
    CHECK(drain() == Bytes{0xfe});
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: translated identify reads AB 41 as Linux expects") {
    data(0xf2);
    CHECK(drain() == Bytes{0xfa, 0xab, 0x41});
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: key events raise IRQ1 one byte at a time") {
    cmd(0x60);
    data(0x01);  // IRQ1 on, no translation
    kbc.key_event({0xe0, 0x75});  // up arrow make, set 2
    CHECK(pic.level[1]);
    CHECK(pic.rises[1] == 1);
    CHECK(read() == 0xe0);
    CHECK(pic.level[1]);
    CHECK(pic.rises[1] == 2);  // a new edge for the next byte
    CHECK(read() == 0x75);
    CHECK_FALSE(pic.level[1]);
    // Disabled scanning drops keys; enabling clears the buffer.
    data(0xf5);
    CHECK(drain() == Bytes{0xfa});
    kbc.key_event({0x1c});
    CHECK((status() & 1) == 0);
    data(0xf4);
    CHECK(drain() == Bytes{0xfa});
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: set 2 to set 1 translation in the controller") {
    kbc.key_event({0x1c});              // A make
    kbc.key_event({0xf0, 0x1c});        // A break
    kbc.key_event({0xe0, 0xf0, 0x75});  // up arrow break
    kbc.key_event({0x83});              // F7
    CHECK(drain() == Bytes{0x1e, 0x9e, 0xe0, 0xc8, 0x41});
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: keyboard switched to set 1 sends set 1 itself") {
    cmd(0x60);
    data(0x01);
    data(0xf0);
    data(0x01);
    drain();
    kbc.key_event({0xf0, 0x29});  // space break
    CHECK(drain() == Bytes{0xb9});
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: disabled keyboard port holds bytes; IRQ1 gated by command byte") {
    cmd(0xad);
    kbc.key_event({0x1c});
    CHECK((status() & 1) == 0);
    cmd(0x60);
    data(0x40);  // IRQs off, translation on, keyboard port enabled
    CHECK((status() & 1) == 1);
    CHECK_FALSE(pic.level[1]);
    CHECK(read() == 0x1e);
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: mouse answers reset, ID and enable on IRQ12") {
    cmd(0xa8);
    cmd(0xd4);
    data(0xff);
    CHECK(pic.level[12]);
    CHECK((status() & 0x21) == 0x21);
    CHECK(drain() == Bytes{0xfa, 0xaa, 0x00});
    CHECK_FALSE(pic.level[12]);
    cmd(0xd4);
    data(0xf2);
    CHECK(drain() == Bytes{0xfa, 0x00});
    cmd(0xd4);
    data(0xf3);
    cmd(0xd4);
    data(200);
    CHECK(drain() == Bytes{0xfa, 0xfa});
    cmd(0xd4);
    data(0xe9);
    CHECK(drain() == Bytes{0xfa, 0x00, 0x02, 200});
    kbc.mouse_event(5, -3, 1);  // not reporting yet
    CHECK((status() & 1) == 0);
    cmd(0xd4);
    data(0xf4);
    CHECK(drain() == Bytes{0xfa});
    kbc.mouse_event(5, -3, 1);
    CHECK(pic.level[12]);
    CHECK(drain() == Bytes{0x29, 0x05, 0xfd});
}

TEST_CASE_FIXTURE(KbcFixture, "i8042: D2/D3 write the output buffer as keyboard or mouse") {
    cmd(0xd2);
    data(0x12);
    CHECK((status() & 0x21) == 0x01);
    CHECK(read() == 0x12);
    cmd(0xd3);
    data(0x34);
    CHECK((status() & 0x21) == 0x21);
    CHECK(read() == 0x34);
}

TEST_CASE("port92: fast A20 and fast reset") {
    Port92 p;
    std::vector<bool> a20;
    int resets = 0;
    p.on_a20 = [&](bool on) { a20.push_back(on); };
    p.on_reset = [&] { ++resets; };
    p.io_write(0, 0x02, 1);
    CHECK(p.a20());
    CHECK(p.io_read(0, 1) == 0x02);
    p.io_write(0, 0x02, 1);
    CHECK(a20 == std::vector<bool>{true});
    CHECK(resets == 0);
    p.io_write(0, 0x03, 1);
    CHECK(resets == 1);
    CHECK(p.io_read(0, 1) == 0x02);  // reset bit reads back clear
    p.io_write(0, 0x00, 1);
    CHECK(a20 == std::vector<bool>{true, false});
}
