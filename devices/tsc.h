// The time-stamp counter's rate: the one place that turns virtual time into
// TSC ticks. The CPU's RDTSC source, CPUID/MSR frequency reports and the
// local APIC's TSC-deadline timer all use these functions, so they agree.
//
// 2.0 GHz is a round, plausible invariant-TSC rate; with it one virtual
// nanosecond is exactly two ticks, so the conversions are exact both ways.
#pragma once
#include <cstdint>

namespace petrel::tsc {

constexpr uint64_t kHz = 2'000'000'000;

// Virtual nanoseconds -> TSC ticks (wraps after ~292 years of virtual time).
constexpr uint64_t from_ns(uint64_t ns) {
    return static_cast<uint64_t>(static_cast<unsigned __int128>(ns) * kHz / 1'000'000'000);
}

// The first virtual nanosecond at which the TSC has reached `ticks`.
constexpr uint64_t to_ns_ceil(uint64_t ticks) {
    unsigned __int128 ns = (static_cast<unsigned __int128>(ticks) * 1'000'000'000 + kHz - 1) / kHz;
    return ns > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(ns);
}

static_assert(from_ns(1'000'000'000) == kHz);
static_assert(from_ns(to_ns_ceil(12345)) >= 12345);

}  // namespace petrel::tsc
