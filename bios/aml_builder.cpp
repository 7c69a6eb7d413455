// AML encodings. PkgLength is 1 byte up to 63, otherwise a lead byte whose
// top two bits count the following bytes and whose low nibble holds the
// lowest four bits of the length.
#include "bios/aml_builder.h"

#include <stdexcept>
#include <string>

namespace petrel::aml {

namespace {
constexpr uint8_t kZeroOp = 0x00, kOneOp = 0x01, kOnesOp = 0xff;
constexpr uint8_t kNameOp = 0x08, kBytePrefix = 0x0a, kWordPrefix = 0x0b, kDWordPrefix = 0x0c;
constexpr uint8_t kStringPrefix = 0x0d, kQWordPrefix = 0x0e;
constexpr uint8_t kScopeOp = 0x10, kBufferOp = 0x11, kPackageOp = 0x12;
constexpr uint8_t kExtOpPrefix = 0x5b, kDeviceOp = 0x82;
constexpr uint8_t kRootChar = '\\', kParentChar = '^', kDualNamePrefix = 0x2e, kMultiNamePrefix = 0x2f;

void append(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

Bytes with_pkg_length(std::initializer_list<uint8_t> opcode, const Bytes& body) {
    Bytes out(opcode);
    append(out, pkg_length(body.size()));
    append(out, body);
    return out;
}

Bytes join(std::initializer_list<Bytes> terms) {
    Bytes out;
    for (const Bytes& t : terms) append(out, t);
    return out;
}
}  // namespace

Bytes pkg_length(size_t body_len) {
    // The encoded length counts the PkgLength bytes too, which changes the
    // number of bytes needed near the boundaries; try each size in turn.
    if (body_len + 1 <= 0x3f) return {uint8_t(body_len + 1)};
    for (unsigned extra = 1; extra <= 3; ++extra) {
        size_t total = body_len + 1 + extra;
        if (total < (size_t(1) << (4 + 8 * extra))) {
            Bytes out{uint8_t((extra << 6) | (total & 0x0f))};
            for (unsigned i = 0; i < extra; ++i) out.push_back(uint8_t(total >> (4 + 8 * i)));
            return out;
        }
    }
    throw std::length_error("AML package longer than 2^28 bytes");
}

Bytes name_string(std::string_view path) {
    Bytes out;
    while (!path.empty() && (path.front() == kRootChar || path.front() == kParentChar)) {
        out.push_back(uint8_t(path.front()));
        path.remove_prefix(1);
    }
    std::vector<std::string> segs;
    while (!path.empty()) {
        size_t dot = path.find('.');
        std::string seg(path.substr(0, dot));
        if (seg.empty() || seg.size() > 4) throw std::invalid_argument("bad AML name segment: " + seg);
        seg.resize(4, '_');
        segs.push_back(seg);
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
    if (segs.empty()) out.push_back(0);  // NullName
    else if (segs.size() == 2) out.push_back(kDualNamePrefix);
    else if (segs.size() > 2) { out.push_back(kMultiNamePrefix); out.push_back(uint8_t(segs.size())); }
    for (const std::string& s : segs) out.insert(out.end(), s.begin(), s.end());
    return out;
}

Bytes integer(uint64_t v) {
    if (v == 0) return {kZeroOp};
    if (v == 1) return {kOneOp};
    if (v == ~0ull) return {kOnesOp};
    Bytes out;
    unsigned n;
    if (v <= 0xff) { out.push_back(kBytePrefix); n = 1; }
    else if (v <= 0xffff) { out.push_back(kWordPrefix); n = 2; }
    else if (v <= 0xffffffffull) { out.push_back(kDWordPrefix); n = 4; }
    else { out.push_back(kQWordPrefix); n = 8; }
    for (unsigned i = 0; i < n; ++i) out.push_back(uint8_t(v >> (8 * i)));
    return out;
}

Bytes string(std::string_view s) {
    Bytes out;
    out.reserve(s.size() + 2);
    out.push_back(kStringPrefix);
    for (char c : s) out.push_back(uint8_t(c));
    out.push_back(0);
    return out;
}

Bytes eisa_id(std::string_view id) {
    if (id.size() != 7) throw std::invalid_argument("EISA id must be 3 letters + 4 hex digits");
    auto hex = [&](char c) -> uint32_t {
        if (c >= '0' && c <= '9') return uint32_t(c - '0');
        if (c >= 'A' && c <= 'F') return uint32_t(c - 'A' + 10);
        throw std::invalid_argument("EISA id: bad hex digit");
    };
    // Three 5-bit letters ('A' = 1) then the product number, stored big-endian.
    uint32_t v = (uint32_t(id[0] - 0x40) & 0x1f) << 26 | (uint32_t(id[1] - 0x40) & 0x1f) << 21 |
                 (uint32_t(id[2] - 0x40) & 0x1f) << 16 | hex(id[3]) << 12 | hex(id[4]) << 8 |
                 hex(id[5]) << 4 | hex(id[6]);
    uint32_t swapped = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
    return Bytes{kDWordPrefix, uint8_t(swapped), uint8_t(swapped >> 8), uint8_t(swapped >> 16), uint8_t(swapped >> 24)};
}

Bytes name(std::string_view path, const Bytes& value) {
    Bytes out{kNameOp};
    append(out, name_string(path));
    append(out, value);
    return out;
}

Bytes scope(std::string_view path, std::initializer_list<Bytes> terms) {
    Bytes body = name_string(path);
    append(body, join(terms));
    return with_pkg_length({kScopeOp}, body);
}

Bytes device(std::string_view path, std::initializer_list<Bytes> terms) {
    Bytes body = name_string(path);
    append(body, join(terms));
    return with_pkg_length({kExtOpPrefix, kDeviceOp}, body);
}

Bytes package(std::initializer_list<Bytes> elements) {
    if (elements.size() > 255) throw std::length_error("AML package with more than 255 elements");
    Bytes body{uint8_t(elements.size())};
    append(body, join(elements));
    return with_pkg_length({kPackageOp}, body);
}

Bytes buffer(const Bytes& data) {
    Bytes body = integer(data.size());
    append(body, data);
    return with_pkg_length({kBufferOp}, body);
}

Bytes concat(std::initializer_list<Bytes> parts) { return join(parts); }

Bytes concat(const std::vector<Bytes>& parts) {
    Bytes out;
    for (const Bytes& t : parts) append(out, t);
    return out;
}

Bytes scope(std::string_view path, const std::vector<Bytes>& terms) {
    Bytes body = name_string(path);
    append(body, concat(terms));
    return with_pkg_length({kScopeOp}, body);
}

Bytes device(std::string_view path, const std::vector<Bytes>& terms) {
    Bytes body = name_string(path);
    append(body, concat(terms));
    return with_pkg_length({kExtOpPrefix, kDeviceOp}, body);
}

Bytes package(const std::vector<Bytes>& elements) {
    if (elements.size() > 255) throw std::length_error("AML package with more than 255 elements");
    Bytes body{uint8_t(elements.size())};
    append(body, concat(elements));
    return with_pkg_length({kPackageOp}, body);
}

}  // namespace petrel::aml
