// Little-endian byte helpers for building firmware structures (boot_params,
// ACPI and MP tables, multiboot info) in host buffers before they are copied
// into guest RAM, and for reading fields of untrusted files. Readers take the
// whole buffer and check bounds; callers check ranges first, so an
// out-of-range read is a programming error and returns 0 rather than crashing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace petrel::le {

inline void put8(std::vector<uint8_t>& b, size_t off, uint8_t v) {
    if (b.size() < off + 1) b.resize(off + 1);
    b[off] = v;
}
inline void put16(std::vector<uint8_t>& b, size_t off, uint16_t v) {
    if (b.size() < off + 2) b.resize(off + 2);
    b[off] = uint8_t(v); b[off + 1] = uint8_t(v >> 8);
}
inline void put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
    if (b.size() < off + 4) b.resize(off + 4);
    for (int i = 0; i < 4; ++i) b[off + i] = uint8_t(v >> (8 * i));
}
inline void put64(std::vector<uint8_t>& b, size_t off, uint64_t v) {
    if (b.size() < off + 8) b.resize(off + 8);
    for (int i = 0; i < 8; ++i) b[off + i] = uint8_t(v >> (8 * i));
}
// Copies text into a fixed-width field, padding with pad (ACPI/MP ids are space padded).
inline void put_str(std::vector<uint8_t>& b, size_t off, std::string_view s, size_t width, char pad = ' ') {
    if (b.size() < off + width) b.resize(off + width);
    for (size_t i = 0; i < width; ++i) b[off + i] = uint8_t(i < s.size() ? s[i] : pad);
}

inline uint64_t get(std::span<const uint8_t> b, size_t off, unsigned size) {
    if (off > b.size() || b.size() - off < size) return 0;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i) v |= uint64_t(b[off + i]) << (8 * i);
    return v;
}
inline uint8_t get8(std::span<const uint8_t> b, size_t off) { return uint8_t(get(b, off, 1)); }
inline uint16_t get16(std::span<const uint8_t> b, size_t off) { return uint16_t(get(b, off, 2)); }
inline uint32_t get32(std::span<const uint8_t> b, size_t off) { return uint32_t(get(b, off, 4)); }
inline uint64_t get64(std::span<const uint8_t> b, size_t off) { return get(b, off, 8); }

// Byte that makes the 8-bit sum of the range zero (ACPI and MP checksums).
inline uint8_t checksum(std::span<const uint8_t> b) {
    uint8_t s = 0;
    for (uint8_t x : b) s = uint8_t(s + x);
    return uint8_t(-s);
}

}  // namespace petrel::le
