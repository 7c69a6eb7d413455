#include "devices/rtc.h"

#include <algorithm>

namespace petrel {

namespace {

constexpr uint64_t kNsPerSec = 1'000'000'000;
constexpr uint64_t kUipWindowNs = 244'000;
constexpr uint64_t kTimebaseHz = 32768;

// Register indices of the clock fields.
enum : uint8_t { kSec = 0, kSecAlarm = 1, kMin = 2, kMinAlarm = 3, kHour = 4, kHourAlarm = 5,
                 kWeekday = 6, kDay = 7, kMonth = 8, kYear = 9 };

// Register bits.
constexpr uint8_t kAUip = 0x80;
constexpr uint8_t kBSet = 0x80, kBPie = 0x40, kBAie = 0x20, kBUie = 0x10, kBBinary = 0x04, kB24h = 0x02;
constexpr uint8_t kCIrqf = 0x80, kCPf = 0x40, kCAf = 0x20, kCUf = 0x10;
constexpr uint8_t kDVrt = 0x80;

// Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = unsigned(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

struct CivilTime {
    int64_t year;
    unsigned month, day, hour, minute, second, weekday;  // weekday 0 = Sunday
};

CivilTime civil_from_epoch(int64_t t) {
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    CivilTime c{};
    c.hour = unsigned(secs / 3600);
    c.minute = unsigned(secs / 60 % 60);
    c.second = unsigned(secs % 60);
    c.weekday = unsigned(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = unsigned(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = int64_t(yoe) + era * 400 + (c.month <= 2);
    return c;
}

}  // namespace

Rtc::Rtc(Clock& clock, int64_t start_epoch_seconds)
    : clock_(clock),
      update_timer_(clock.new_timer([this] { on_update(); })),
      periodic_timer_(clock.new_timer([this] { on_periodic(); })) {
    uint64_t now = clock_.now_ns();
    state_.cmos[kRegA] = 0x26;  // 32.768 kHz time base, 1024 Hz periodic rate
    state_.cmos[kRegB] = kB24h;
    state_.cmos[kRegD] = kDVrt;
    state_.base_epoch = start_epoch_seconds;
    state_.base_ns = now;
    state_.divider_origin_ns = now;
    sync_registers();
    schedule_update();
}

void Rtc::reset() {
    state_.cmos[kRegB] &= uint8_t(~(kBPie | kBAie | kBUie | 0x08));  // and SQWE
    state_.cmos[kRegC] = 0;
    schedule_periodic();
    update_irq();
}

// ---- register formats ---------------------------------------------------------

namespace {

uint8_t encode(uint8_t regb, unsigned v) {
    return (regb & kBBinary) ? uint8_t(v) : uint8_t(((v / 10 % 10) << 4) | (v % 10));
}
unsigned decode(uint8_t regb, uint8_t r) {
    return (regb & kBBinary) ? r : (r >> 4) * 10u + (r & 0xf);
}
uint8_t encode_hour(uint8_t regb, unsigned h) {
    if (regb & kB24h) return encode(regb, h);
    unsigned h12 = h % 12 == 0 ? 12 : h % 12;
    return uint8_t(encode(regb, h12) | (h >= 12 ? 0x80 : 0));
}
unsigned decode_hour(uint8_t regb, uint8_t r) {
    if (regb & kB24h) return decode(regb, r) % 24;
    unsigned h = decode(regb, r & 0x7f) % 12;
    return h + ((r & 0x80) ? 12 : 0);
}

}  // namespace

bool Rtc::divider_running() const { return (state_.cmos[kRegA] & 0x70) <= 0x20; }
bool Rtc::running() const { return divider_running() && !(state_.cmos[kRegB] & kBSet); }

int64_t Rtc::guest_time() const {
    if (!running()) {
        // Halted: the registers are the truth.
        uint8_t b = state_.cmos[kRegB];
        const auto& r = state_.cmos;
        int64_t year = int64_t(decode(b, r[kCentury])) * 100 + decode(b, r[kYear]);
        unsigned month = std::clamp(decode(b, r[kMonth]), 1u, 12u);
        unsigned day = std::clamp(decode(b, r[kDay]), 1u, 31u);
        return days_from_civil(year, month, day) * 86400 + int64_t(decode_hour(b, r[kHour])) * 3600 +
               int64_t(decode(b, r[kMin]) % 60) * 60 + decode(b, r[kSec]) % 60;
    }
    return state_.base_epoch + int64_t((clock_.now_ns() - state_.base_ns) / kNsPerSec);
}

void Rtc::sync_registers() {
    if (!running()) return;
    CivilTime c = civil_from_epoch(guest_time());
    uint8_t b = state_.cmos[kRegB];
    auto& r = state_.cmos;
    r[kSec] = encode(b, c.second);
    r[kMin] = encode(b, c.minute);
    r[kHour] = encode_hour(b, c.hour);
    r[kWeekday] = encode(b, c.weekday + 1);
    r[kDay] = encode(b, c.day);
    r[kMonth] = encode(b, c.month);
    r[kYear] = encode(b, unsigned(((c.year % 100) + 100) % 100));
    r[kCentury] = encode(b, unsigned(std::clamp<int64_t>(c.year / 100, 0, 99)));
}

// Restarts time from the registers; `phase_ns` into the current second.
void Rtc::rebase(uint64_t phase_ns) {
    uint64_t now = clock_.now_ns();
    // guest_time() reads registers only while halted; compute as if halted.
    uint8_t saved_b = state_.cmos[kRegB];
    state_.cmos[kRegB] |= kBSet;
    int64_t t = guest_time();
    state_.cmos[kRegB] = saved_b;
    state_.base_epoch = t;
    state_.base_ns = now >= phase_ns ? now - phase_ns : 0;
    schedule_update();
}

bool Rtc::update_in_progress() const {
    if (!running()) return false;
    uint64_t phase = (clock_.now_ns() - state_.base_ns) % kNsPerSec;
    return phase >= kNsPerSec - kUipWindowNs;
}

// ---- interrupts -------------------------------------------------------------

void Rtc::update_irq() {
    uint8_t& c = state_.cmos[kRegC];
    uint8_t b = state_.cmos[kRegB];
    bool irqf = ((c & kCPf) && (b & kBPie)) || ((c & kCAf) && (b & kBAie)) || ((c & kCUf) && (b & kBUie));
    c = irqf ? (c | kCIrqf) : (c & ~kCIrqf);
    if (irqf != irq_.level()) irq_.set(irqf);
}

void Rtc::schedule_update() {
    if (!running()) {
        update_timer_->cancel();
        return;
    }
    uint64_t now = clock_.now_ns();
    uint64_t seconds = (now - state_.base_ns) / kNsPerSec + 1;
    state_.next_update_ns = state_.base_ns + seconds * kNsPerSec;
    update_timer_->arm(state_.next_update_ns);
}

// The update cycle at a second boundary: UF always, AF when the alarm matches.
void Rtc::on_update() {
    if (!running()) return;
    uint8_t b = state_.cmos[kRegB];
    auto& r = state_.cmos;
    int64_t t = state_.base_epoch + int64_t((state_.next_update_ns - state_.base_ns) / kNsPerSec);
    CivilTime c = civil_from_epoch(t);
    auto matches = [](uint8_t alarm, uint8_t value) { return (alarm & 0xc0) == 0xc0 || alarm == value; };
    r[kRegC] |= kCUf;
    if (matches(r[kSecAlarm], encode(b, c.second)) && matches(r[kMinAlarm], encode(b, c.minute)) &&
        matches(r[kHourAlarm], encode_hour(b, c.hour)))
        r[kRegC] |= kCAf;
    update_irq();
    schedule_update();
}

uint64_t Rtc::periodic_index_at(uint64_t ns) const {
    unsigned rs = state_.cmos[kRegA] & 0x0f;
    if (rs == 0) return 0;
    unsigned shift = rs <= 2 ? rs + 6 : rs - 1;  // RS 1/2 behave as 8/9 on a 32.768 kHz base
    uint64_t ticks = uint64_t((unsigned __int128)(ns - state_.divider_origin_ns) * kTimebaseHz / kNsPerSec);
    return ticks >> shift;
}

uint64_t Rtc::periodic_index_time(uint64_t index) const {
    unsigned rs = state_.cmos[kRegA] & 0x0f;
    unsigned shift = rs <= 2 ? rs + 6 : rs - 1;
    unsigned __int128 ticks = (unsigned __int128)index << shift;
    return state_.divider_origin_ns + uint64_t((ticks * kNsPerSec + kTimebaseHz - 1) / kTimebaseHz);
}

void Rtc::schedule_periodic() {
    state_.periodic_index = periodic_index_at(clock_.now_ns());
    bool on = (state_.cmos[kRegA] & 0x0f) && divider_running() && (state_.cmos[kRegB] & kBPie);
    if (!on) {
        periodic_timer_->cancel();
        return;
    }
    periodic_timer_->arm(periodic_index_time(state_.periodic_index + 1));
}

void Rtc::on_periodic() {
    state_.cmos[kRegC] |= kCPf;
    update_irq();
    schedule_periodic();
}

// PF without the timer (PIE off): set if a periodic tick passed since last time.
void Rtc::catch_up_periodic() {
    if (!(state_.cmos[kRegA] & 0x0f) || !divider_running()) return;
    uint64_t idx = periodic_index_at(clock_.now_ns());
    if (idx > state_.periodic_index) {
        state_.cmos[kRegC] |= kCPf;
        state_.periodic_index = idx;
    }
}

// ---- registers ------------------------------------------------------------------

uint8_t Rtc::read_reg(uint8_t i) {
    switch (i) {
    case kRegA:
        return uint8_t((state_.cmos[kRegA] & ~kAUip) | (update_in_progress() ? kAUip : 0));
    case kRegC: {
        catch_up_periodic();
        uint8_t v = state_.cmos[kRegC];
        state_.cmos[kRegC] = 0;  // read-to-clear, drops IRQ8
        update_irq();
        return v;
    }
    case kRegD:
        return kDVrt;  // battery good
    default:
        if (i <= kYear || i == kCentury) sync_registers();
        return state_.cmos[i];
    }
}

void Rtc::write_reg(uint8_t i, uint8_t v) {
    switch (i) {
    case kRegA: write_reg_a(v); return;
    case kRegB: write_reg_b(v); return;
    case kRegC: case kRegD: return;  // read-only
    default: break;
    }
    bool time_field = (i <= kYear && i != kSecAlarm && i != kMinAlarm && i != kHourAlarm) || i == kCentury;
    if (time_field && running()) {
        sync_registers();
        state_.cmos[i] = v;
        rebase((clock_.now_ns() - state_.base_ns) % kNsPerSec);
        return;
    }
    state_.cmos[i] = v;
}

void Rtc::write_reg_a(uint8_t v) {
    catch_up_periodic();  // a tick at the old rate still counts
    bool was_dividing = divider_running();
    bool was_running = running();
    if (was_running) sync_registers();
    state_.cmos[kRegA] = v & ~kAUip;
    if (!was_dividing && divider_running()) {
        // Leaving divider reset: the first update comes 500 ms later.
        state_.divider_origin_ns = clock_.now_ns();
        if (running()) rebase(kNsPerSec / 2);
    } else if (was_running && !running()) {
        update_timer_->cancel();
    }
    schedule_periodic();
    update_irq();
}

void Rtc::write_reg_b(uint8_t v) {
    bool was_running = running();
    if (v & kBSet) {
        if (was_running) sync_registers();  // freeze the current time into the registers
        v &= ~kBUie;                         // SET clears UIE
    }
    state_.cmos[kRegB] = v;
    if (!was_running && running()) rebase(0);  // SET cleared: next update in one second
    else if (!running()) update_timer_->cancel();
    catch_up_periodic();
    schedule_periodic();
    update_irq();
}

// ---- ports -----------------------------------------------------------------------

uint64_t Rtc::io_read(uint64_t offset, unsigned) {
    if (offset == 1) return read_reg(state_.index);
    return 0xff;  // the index port is write-only
}

void Rtc::io_write(uint64_t offset, uint64_t value, unsigned) {
    if (offset == 0) {
        state_.index = uint8_t(value) & 0x7f;
        state_.nmi_masked = value & 0x80;
    } else if (offset == 1) {
        write_reg(state_.index, uint8_t(value));
    }
}

// ---- board defaults ---------------------------------------------------------------

void Rtc::fill_pc_defaults(uint64_t below, uint64_t above, unsigned cpus) {
    constexpr uint64_t KiB = 1024, MiB = 1024 * KiB;
    auto put16 = [this](uint8_t lo, uint64_t v) {
        set_byte(lo, uint8_t(v));
        set_byte(uint8_t(lo + 1), uint8_t(v >> 8));
    };
    put16(0x15, std::min<uint64_t>(below / KiB, 640));                               // base memory, KiB
    uint64_t ext = below > MiB ? std::min<uint64_t>((below - MiB) / KiB, 65535) : 0;  // 1 MiB..65 MiB, KiB
    put16(0x17, ext);
    put16(0x30, ext);
    put16(0x34, below > 16 * MiB ? std::min<uint64_t>((below - 16 * MiB) / (64 * KiB), 65535) : 0);
    uint64_t high = above / (64 * KiB);                                                // above 4 GiB, 64 KiB units
    set_byte(0x5b, uint8_t(high));
    set_byte(0x5c, uint8_t(high >> 8));
    set_byte(0x5d, uint8_t(high >> 16));
    set_byte(0x5f, uint8_t(cpus ? cpus - 1 : 0));
    set_byte(0x10, 0x00);  // no floppy drives
    set_byte(0x14, 0x06);  // equipment: FPU present, PS/2 mouse installed, no floppies
}

}  // namespace petrel
