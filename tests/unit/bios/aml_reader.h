// A small AML reader for the DSDT tests, written from the ACPI 6.x grammar
// (chapter 20) independently of bios/aml_builder: PkgLength, integers,
// NameSegs, and lookups of Device and Name objects by their 4-character
// segment. Enough for the flat, static shapes the DSDT uses.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace petrel::test::aml_reader {

using Span = std::span<const uint8_t>;

// Decodes the PkgLength at b[at]: sets the number of bytes it used, returns
// the length it encodes (which counts those bytes).
inline size_t pkg_length(Span b, size_t at, size_t& used) {
    uint8_t lead = b[at];
    unsigned follow = lead >> 6;
    used = 1 + follow;
    if (follow == 0) return lead & 0x3f;
    size_t len = lead & 0x0f;
    for (unsigned i = 0; i < follow; ++i) len |= size_t(b[at + 1 + i]) << (4 + 8 * i);
    return len;
}

// An integer term at b[at]; advances at.
inline std::optional<uint64_t> integer(Span b, size_t& at) {
    uint8_t op = b[at++];
    unsigned n = 0;
    switch (op) {
        case 0x00: return 0;
        case 0x01: return 1;
        case 0xff: return ~0ull;
        case 0x0a: n = 1; break;
        case 0x0b: n = 2; break;
        case 0x0c: n = 4; break;
        case 0x0e: n = 8; break;
        default: return std::nullopt;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint64_t(b[at + i]) << (8 * i);
    at += n;
    return v;
}

inline std::string seg(Span b, size_t at) { return std::string(b.begin() + at, b.begin() + at + 4); }

// The body (after the name) of Device(name) anywhere inside b.
inline std::optional<Span> device(Span b, const std::string& name) {
    for (size_t i = 0; i + 8 < b.size(); ++i) {
        if (b[i] != 0x5b || b[i + 1] != 0x82) continue;
        size_t used;
        size_t len = pkg_length(b, i + 2, used);
        size_t name_at = i + 2 + used;
        if (i + 2 + len > b.size() || name_at + 4 > b.size()) continue;
        if (seg(b, name_at) == name) return b.subspan(name_at + 4, i + 2 + len - (name_at + 4));
    }
    return std::nullopt;
}

// Offset just after "Name(name," (NameOp + NameSeg) inside b.
inline std::optional<size_t> name_value(Span b, const std::string& name) {
    for (size_t i = 0; i + 5 <= b.size(); ++i)
        if (b[i] == 0x08 && seg(b, i + 1) == name) return i + 5;
    return std::nullopt;
}

// The bytes of the Buffer at b[at] (BufferOp PkgLength BufferSize data).
inline std::vector<uint8_t> buffer(Span b, size_t at) {
    if (b[at] != 0x11) return {};
    size_t used;
    size_t len = pkg_length(b, at + 1, used);
    size_t p = at + 1 + used;
    auto size = integer(b, p);
    size_t end = at + 1 + len;
    if (!size || end > b.size() || p + *size > end) return {};
    return std::vector<uint8_t>(b.begin() + p, b.begin() + p + *size);
}

// The EISA id ("PNP0A03") of a compressed DWord.
inline std::string eisa_id(uint32_t le_value) {
    uint32_t v = (le_value >> 24) | ((le_value >> 8) & 0xff00) | ((le_value << 8) & 0xff0000) | (le_value << 24);
    std::string s;
    s += char('@' + ((v >> 26) & 0x1f));
    s += char('@' + ((v >> 21) & 0x1f));
    s += char('@' + ((v >> 16) & 0x1f));
    const char* hex = "0123456789ABCDEF";
    for (int sh = 12; sh >= 0; sh -= 4) s += hex[(v >> sh) & 0xf];
    return s;
}

// One resource descriptor of a template.
struct Resource {
    bool large = false;
    uint8_t type = 0;            // small: item name (bits 6:3); large: item name (bits 6:0)
    std::vector<uint8_t> data;   // the bytes after the tag (and the large items' length)
};

inline std::vector<Resource> resources(const std::vector<uint8_t>& t) {
    std::vector<Resource> out;
    size_t i = 0;
    while (i < t.size()) {
        Resource r;
        uint8_t tag = t[i];
        size_t len, hdr;
        if (tag & 0x80) {
            if (i + 3 > t.size()) break;
            r.large = true;
            r.type = tag & 0x7f;
            len = t[i + 1] | size_t(t[i + 2]) << 8;
            hdr = 3;
        } else {
            r.type = (tag >> 3) & 0x0f;
            len = tag & 7;
            hdr = 1;
        }
        if (i + hdr + len > t.size()) break;
        r.data.assign(t.begin() + i + hdr, t.begin() + i + hdr + len);
        out.push_back(r);
        i += hdr + len;
        if (!r.large && r.type == 0x0f) break;  // End Tag
    }
    return out;
}

}  // namespace petrel::test::aml_reader
