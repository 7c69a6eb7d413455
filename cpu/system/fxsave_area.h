// The 512-byte FXSAVE-format image of the x87 and SSE state: the legacy
// region of the XSAVE area, and exactly what FXSAVE/FXRSTOR store and load.
// Shared by XSAVE (xsave.cpp) and available to the x87/SSE family's
// FXSAVE/FXRSTOR so that both produce the same bytes.
#pragma once
#include <cstdint>

#include "cpu/cpu.h"

namespace petrel {

constexpr uint32_t kMxcsrMask = 0xffff;  // MXCSR_MASK: every MXCSR bit Petrel implements (DAZ included)

// wide: the 64-bit (REX.W) layout with 64-bit FIP/FDP, else FCS/FDS
// selectors with 32-bit offsets. Only the parts named are touched.
void fp_area_store_x87(const Cpu& cpu, uint8_t* area, bool wide);     // bytes 0-23, 32-159
void fp_area_store_sse(const Cpu& cpu, uint8_t* area, unsigned nxmm); // bytes 24-31, 160 + 16 * nxmm
void fp_area_load_x87(Cpu& cpu, const uint8_t* area, bool wide);
// MXCSR must already be known valid (reserved bits are the caller's #GP).
void fp_area_load_sse(Cpu& cpu, const uint8_t* area, unsigned nxmm);

}  // namespace petrel
