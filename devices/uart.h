// 16550A UART: eight registers (DLAB-switched divisor latch), 16-byte FIFOs.
//
// Transmission is immediate: a byte written to THR goes straight to the
// CharBackend and the transmitter is empty again, so THRE/TEMT read 1 and a
// THRE interrupt is re-armed after every write (the edge drivers wait for).
// Receive side is modelled exactly: RX FIFO with trigger level 1/4/8/14,
// overrun, and the character-timeout interrupt after four character times
// (from the divisor and LCR framing) without FIFO activity, on a Clock timer.
//
// Interrupt priority (IIR): line status > received data > character timeout
// > THR empty > modem status. The THRE source is cleared by reading IIR when
// it is the one reported, or by writing THR; it is (re)raised by an IER write
// enabling it while THR is empty. As on PC boards, MCR.OUT2 gates the IRQ
// onto the bus (and loopback mode disconnects it).
//
// The machine maps Uart at 0x3f8 (8 ports), connects irq() to ISA IRQ 4,
// sets a CharBackend, and pumps host input with can_receive()/receive();
// on_rx_space (optional) tells it when the guest has made room.
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "devices/char_backend.h"
#include "devices/clock.h"
#include "devices/irq_line.h"
#include "memory/bus.h"

namespace petrel {

struct UartState {
    std::array<uint8_t, 16> rx{};  // receive FIFO ring (capacity 1 with FIFOs off)
    uint8_t rx_head = 0;
    uint8_t rx_count = 0;
    uint8_t last_rx = 0;           // what RBR shows when empty
    uint8_t ier = 0;
    uint8_t lcr = 0x03;            // 8N1
    uint8_t mcr = 0;
    uint8_t lsr_errors = 0;        // OE/PE/FE/BI, cleared by reading LSR
    uint8_t msr = 0;               // inputs (bits 4-7) and deltas (bits 0-3)
    uint8_t host_modem = 0xb0;     // host side CTS, DSR, DCD asserted
    uint8_t fcr = 0;
    uint8_t scr = 0;
    uint16_t divisor = 12;         // 9600 baud
    bool thr_ipending = false;
    bool timeout_ipending = false;
};

class Uart : public IoHandler {
public:
    explicit Uart(Clock& clock, CharBackend* out = nullptr);

    uint64_t io_read(uint64_t offset, unsigned size) override;
    void io_write(uint64_t offset, uint64_t value, unsigned size) override;

    void set_backend(CharBackend* out) { out_ = out; }
    IrqLine& irq() { return irq_; }

    // Host input: can_receive() is false while the RX FIFO (or RBR) is full
    // or in loopback mode, so the pump holds bytes instead of overrunning.
    bool can_receive() const;
    void receive(uint8_t byte);
    std::function<void()> on_rx_space;

    // Host side modem inputs (MSR bits 4-7: CTS, DSR, RI, DCD).
    void set_modem_inputs(bool cts, bool dsr, bool ri, bool dcd);

    void reset();
    const UartState& state() const { return state_; }

private:
    bool fifo_enabled() const { return state_.fcr & 0x01; }
    bool loopback() const { return state_.mcr & 0x10; }
    unsigned rx_capacity() const { return fifo_enabled() ? 16 : 1; }
    unsigned rx_trigger() const;
    uint64_t char_time_ns() const;

    void push_rx(uint8_t b);
    uint8_t pop_rx();
    void clear_rx();
    void transmit(uint8_t b);
    uint8_t lsr() const;
    uint8_t iir() const;
    void set_msr_inputs(uint8_t inputs);
    void arm_timeout();
    void update_irq();

    void write_ier(uint8_t v);
    void write_fcr(uint8_t v);
    void write_mcr(uint8_t v);
    uint8_t read_rbr();
    uint8_t read_iir();
    uint8_t read_lsr();
    uint8_t read_msr();

    Clock& clock_;
    Timer* timeout_timer_;
    CharBackend* out_;
    UartState state_;
    IrqLine irq_;
};

}  // namespace petrel
