// Page-table entry bits and the physical-address width Petrel reports
// (CPUID 0x80000008) and enforces (reserved-bit checks in the walk and in
// CR3). Shared by cpu/mmu.cpp and cpu/system.
#pragma once
#include <cstdint>

namespace petrel {

constexpr unsigned kPhysAddrBits = 40;   // MAXPHYADDR
constexpr unsigned kLinearAddrBits = 48;
constexpr uint64_t kPhysAddrMask = ((1ull << kPhysAddrBits) - 1) & ~0xfffull;

constexpr uint64_t kPteP = 1, kPteW = 2, kPteU = 4, kPtePWT = 8, kPtePCD = 0x10, kPteA = 0x20, kPteD = 0x40,
                   kPtePS = 0x80, kPteG = 0x100;
constexpr uint64_t kPteNX = 1ull << 63;
// Bits 52-62 are ignored (available to software); between MAXPHYADDR and 51 reserved.
constexpr uint64_t kPteAddrReserved = ((1ull << 52) - 1) & ~((1ull << kPhysAddrBits) - 1);
// PAE PDPTEs: bits 1-2 and 5-8 are reserved, and so is everything above MAXPHYADDR (NX too).
constexpr uint64_t kPdpteReserved = 0x1e6ull | kPteAddrReserved | (0xfffull << 52);

}  // namespace petrel
