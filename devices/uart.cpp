#include "devices/uart.h"

namespace petrel {

namespace {

constexpr uint64_t kUartClockHz = 1843200;  // 16 x 115200

// Register offsets.
enum : uint8_t { kData = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };

constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kIerRda = 0x01, kIerThre = 0x02, kIerRls = 0x04, kIerMs = 0x08;
constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrThre = 0x20, kLsrTemt = 0x40;
constexpr uint8_t kMcrOut2 = 0x08;

// IIR identification codes, highest priority first.
constexpr uint8_t kIirNone = 0x01, kIirRls = 0x06, kIirRda = 0x04, kIirTimeout = 0x0c, kIirThre = 0x02,
                  kIirMs = 0x00;

}  // namespace

Uart::Uart(Clock& clock, CharBackend* out)
    : clock_(clock), timeout_timer_(clock.new_timer([this] {
          if (state_.rx_count && fifo_enabled()) {
              state_.timeout_ipending = true;
              update_irq();
          }
      })),
      out_(out) {
    reset();
}

void Uart::reset() {
    timeout_timer_->cancel();
    uint8_t host = state_.host_modem;
    state_ = UartState{};
    state_.host_modem = host;
    state_.msr = host;
    update_irq();
}

// ---- receive side -------------------------------------------------------------

unsigned Uart::rx_trigger() const {
    static constexpr unsigned kLevels[4] = {1, 4, 8, 14};
    return kLevels[state_.fcr >> 6];
}

// Four character times of the current framing (start + data + parity + stop).
uint64_t Uart::char_time_ns() const {
    unsigned bits = 1 + 5 + (state_.lcr & 3) + ((state_.lcr & 0x08) ? 1 : 0) + ((state_.lcr & 0x04) ? 2 : 1);
    uint64_t divisor = state_.divisor ? state_.divisor : 0x10000;
    return bits * divisor * 16 * 1'000'000'000ull / kUartClockHz;
}

void Uart::arm_timeout() {
    if (state_.rx_count && fifo_enabled()) timeout_timer_->arm_in(4 * char_time_ns());
    else timeout_timer_->cancel();
}

bool Uart::can_receive() const { return !loopback() && state_.rx_count < rx_capacity(); }

void Uart::receive(uint8_t byte) {
    if (loopback()) return;  // the serial input is disconnected in loopback
    push_rx(byte);
}

void Uart::push_rx(uint8_t b) {
    if (state_.rx_count >= rx_capacity()) {
        state_.lsr_errors |= kLsrOe;
        if (!fifo_enabled()) state_.rx[state_.rx_head] = b;  // RBR overwritten; a full FIFO keeps its bytes
    } else {
        state_.rx[(state_.rx_head + state_.rx_count) % 16] = b;
        ++state_.rx_count;
    }
    state_.timeout_ipending = false;
    arm_timeout();
    update_irq();
}

uint8_t Uart::pop_rx() {
    if (!state_.rx_count) return state_.last_rx;
    state_.last_rx = state_.rx[state_.rx_head];
    state_.rx_head = uint8_t((state_.rx_head + 1) % 16);
    --state_.rx_count;
    return state_.last_rx;
}

void Uart::clear_rx() {
    state_.rx_head = 0;
    state_.rx_count = 0;
    state_.timeout_ipending = false;
    timeout_timer_->cancel();
}

// ---- transmit side --------------------------------------------------------------

void Uart::transmit(uint8_t b) {
    state_.thr_ipending = false;  // writing THR clears the THRE interrupt...
    update_irq();
    if (loopback()) push_rx(b);
    else if (out_) out_->write_byte(b);
    state_.thr_ipending = true;   // ...and the instant transmitter empties it again
    update_irq();
}

// ---- status ---------------------------------------------------------------------

uint8_t Uart::lsr() const {
    uint8_t v = state_.lsr_errors | kLsrThre | kLsrTemt;
    if (state_.rx_count) v |= kLsrDr;
    return v;
}

uint8_t Uart::iir() const {
    const UartState& s = state_;
    uint8_t id = kIirNone;
    if ((s.ier & kIerRls) && s.lsr_errors) id = kIirRls;
    else if ((s.ier & kIerRda) && s.rx_count >= (fifo_enabled() ? rx_trigger() : 1)) id = kIirRda;
    else if ((s.ier & kIerRda) && s.timeout_ipending) id = kIirTimeout;
    else if ((s.ier & kIerThre) && s.thr_ipending) id = kIirThre;
    else if ((s.ier & kIerMs) && (s.msr & 0x0f)) id = kIirMs;
    return uint8_t(id | (fifo_enabled() ? 0xc0 : 0));
}

void Uart::update_irq() {
    bool pending = !(iir() & kIirNone);
    bool level = pending && (state_.mcr & kMcrOut2) && !loopback();
    if (level != irq_.level()) irq_.set(level);
}

// New CTS/DSR/RI/DCD levels; deltas accumulate until MSR is read.
void Uart::set_msr_inputs(uint8_t inputs) {
    uint8_t old = state_.msr & 0xf0, changed = old ^ inputs;
    uint8_t delta = state_.msr & 0x0f;
    if (changed & 0x10) delta |= 0x01;
    if (changed & 0x20) delta |= 0x02;
    if ((old & 0x40) && !(inputs & 0x40)) delta |= 0x04;  // RI trailing edge
    if (changed & 0x80) delta |= 0x08;
    state_.msr = uint8_t(inputs | delta);
}

void Uart::set_modem_inputs(bool cts, bool dsr, bool ri, bool dcd) {
    state_.host_modem = uint8_t((cts ? 0x10 : 0) | (dsr ? 0x20 : 0) | (ri ? 0x40 : 0) | (dcd ? 0x80 : 0));
    if (!loopback()) set_msr_inputs(state_.host_modem);
    update_irq();
}

// ---- register access ---------------------------------------------------------------

uint8_t Uart::read_rbr() {
    bool was_full = state_.rx_count >= rx_capacity();
    uint8_t b = pop_rx();
    state_.timeout_ipending = false;
    arm_timeout();
    update_irq();
    if (was_full && on_rx_space) on_rx_space();
    return b;
}

uint8_t Uart::read_iir() {
    uint8_t v = iir();
    if ((v & 0x0f) == kIirThre) {
        state_.thr_ipending = false;
        update_irq();
    }
    return v;
}

uint8_t Uart::read_lsr() {
    uint8_t v = lsr();
    state_.lsr_errors = 0;
    update_irq();
    return v;
}

uint8_t Uart::read_msr() {
    uint8_t v = state_.msr;
    state_.msr &= 0xf0;
    update_irq();
    return v;
}

void Uart::write_ier(uint8_t v) {
    state_.ier = v & 0x0f;
    if ((state_.ier & kIerThre) && (lsr() & kLsrThre)) state_.thr_ipending = true;
    update_irq();
}

void Uart::write_fcr(uint8_t v) {
    bool was_full = state_.rx_count >= rx_capacity();
    if ((v ^ state_.fcr) & 0x01) clear_rx();  // toggling FIFO enable clears both FIFOs
    if (v & 0x02) clear_rx();
    // Bit 2 clears the TX FIFO, which is always empty here.
    state_.fcr = v & 0xc9;
    if (state_.rx_count > rx_capacity()) state_.rx_count = uint8_t(rx_capacity());
    arm_timeout();
    update_irq();
    if (was_full && state_.rx_count < rx_capacity() && on_rx_space) on_rx_space();
}

void Uart::write_mcr(uint8_t v) {
    state_.mcr = v & 0x1f;
    if (loopback()) {
        // Outputs loop back to inputs: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
        uint8_t m = state_.mcr;
        set_msr_inputs(uint8_t(((m & 0x02) << 3) | ((m & 0x01) << 5) | ((m & 0x04) << 4) | ((m & 0x08) << 4)));
    } else {
        set_msr_inputs(state_.host_modem);
    }
    update_irq();
}

uint64_t Uart::io_read(uint64_t offset, unsigned) {
    bool dlab = state_.lcr & kLcrDlab;
    switch (offset) {
    case kData: return dlab ? uint8_t(state_.divisor) : read_rbr();
    case kIer: return dlab ? uint8_t(state_.divisor >> 8) : state_.ier;
    case kIirFcr: return read_iir();
    case kLcr: return state_.lcr;
    case kMcr: return state_.mcr;
    case kLsr: return read_lsr();
    case kMsr: return read_msr();
    case kScr: return state_.scr;
    default: return 0xff;
    }
}

void Uart::io_write(uint64_t offset, uint64_t value, unsigned) {
    uint8_t v = uint8_t(value);
    bool dlab = state_.lcr & kLcrDlab;
    switch (offset) {
    case kData:
        if (dlab) state_.divisor = uint16_t((state_.divisor & 0xff00) | v);
        else transmit(v);
        break;
    case kIer:
        if (dlab) state_.divisor = uint16_t((state_.divisor & 0x00ff) | (v << 8));
        else write_ier(v);
        break;
    case kIirFcr: write_fcr(v); break;
    case kLcr: state_.lcr = v; break;
    case kMcr: write_mcr(v); break;
    case kScr: state_.scr = v; break;
    default: break;  // LSR and MSR are read-only
    }
}

}  // namespace petrel
