// AML code encodings (ACPI 6.x 20.2.5): opcodes, and the field list whose
// element lengths use the PkgLength format for a bit count.
#include "bios/aml_code.h"

#include <stdexcept>

namespace petrel::aml {

namespace {
constexpr uint8_t kExtOpPrefix = 0x5b;
constexpr uint8_t kMethodOp = 0x14, kLocal0Op = 0x60, kArg0Op = 0x68, kStoreOp = 0x70;
constexpr uint8_t kAndOp = 0x7b, kOrOp = 0x7d, kCreateDWordFieldOp = 0x8a;
constexpr uint8_t kLEqualOp = 0x93, kLLessOp = 0x95, kIfOp = 0xa0, kElseOp = 0xa1, kReturnOp = 0xa4;
constexpr uint8_t kOpRegionOp = 0x80, kFieldOp = 0x81;  // after kExtOpPrefix
constexpr uint8_t kFieldByteAccNoLockPreserve = 0x01;   // AccessType 1 (Byte), LockRule 0, UpdateRule 0

void append(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

Bytes join(std::initializer_list<Bytes> terms) {
    Bytes out;
    for (const Bytes& t : terms) append(out, t);
    return out;
}

Bytes with_pkg_length(std::initializer_list<uint8_t> opcode, const Bytes& body) {
    Bytes out(opcode);
    append(out, pkg_length(body.size()));
    append(out, body);
    return out;
}

Bytes binary(uint8_t op, const Bytes& a, const Bytes& b) {
    Bytes out{op};
    append(out, a);
    append(out, b);
    return out;
}

// A field element's bit length: PkgLength's encoding of the value itself
// (it does not count its own bytes, unlike a package's length).
Bytes field_length(unsigned bits) {
    if (bits < 0x40) return {uint8_t(bits)};
    if (bits < (1u << 12)) return {uint8_t(0x40 | (bits & 0x0f)), uint8_t(bits >> 4)};
    if (bits < (1u << 20)) return {uint8_t(0x80 | (bits & 0x0f)), uint8_t(bits >> 4), uint8_t(bits >> 12)};
    if (bits < (1u << 28))
        return {uint8_t(0xc0 | (bits & 0x0f)), uint8_t(bits >> 4), uint8_t(bits >> 12), uint8_t(bits >> 20)};
    throw std::length_error("AML field longer than 2^28 bits");
}
}  // namespace

Bytes method(std::string_view path, unsigned nargs, bool serialized, std::initializer_list<Bytes> terms) {
    if (nargs > 7) throw std::invalid_argument("AML method with more than 7 arguments");
    Bytes body = name_string(path);
    body.push_back(uint8_t(nargs | (serialized ? 0x08 : 0)));  // MethodFlags: ArgCount, SerializeFlag, SyncLevel 0
    append(body, join(terms));
    return with_pkg_length({kMethodOp}, body);
}

Bytes local(unsigned n) {
    if (n > 7) throw std::invalid_argument("AML Local index above 7");
    return {uint8_t(kLocal0Op + n)};
}

Bytes arg(unsigned n) {
    if (n > 6) throw std::invalid_argument("AML Arg index above 6");
    return {uint8_t(kArg0Op + n)};
}

Bytes name_ref(std::string_view path) { return name_string(path); }
Bytes call(std::string_view path, std::initializer_list<Bytes> args) {
    Bytes out = name_string(path);
    append(out, join(args));
    return out;
}

Bytes no_target() { return {0x00}; }  // NullName

Bytes store(const Bytes& source, const Bytes& target) { return binary(kStoreOp, source, target); }

Bytes and_(const Bytes& a, const Bytes& b, const Bytes& target) {
    Bytes out = binary(kAndOp, a, b);
    append(out, target);
    return out;
}

Bytes or_(const Bytes& a, const Bytes& b, const Bytes& target) {
    Bytes out = binary(kOrOp, a, b);
    append(out, target);
    return out;
}

Bytes lequal(const Bytes& a, const Bytes& b) { return binary(kLEqualOp, a, b); }
Bytes lless(const Bytes& a, const Bytes& b) { return binary(kLLessOp, a, b); }

Bytes if_(const Bytes& predicate, std::initializer_list<Bytes> terms) {
    Bytes body = predicate;
    append(body, join(terms));
    return with_pkg_length({kIfOp}, body);
}

Bytes else_(std::initializer_list<Bytes> terms) { return with_pkg_length({kElseOp}, join(terms)); }

Bytes return_(const Bytes& value) {
    Bytes out{kReturnOp};
    append(out, value);
    return out;
}

Bytes create_dword_field(const Bytes& source, const Bytes& byte_index, std::string_view name) {
    Bytes out = binary(kCreateDWordFieldOp, source, byte_index);
    append(out, name_string(name));
    return out;
}

Bytes operation_region(std::string_view path, RegionSpace space, uint64_t offset, uint64_t length) {
    Bytes out{kExtOpPrefix, kOpRegionOp};
    append(out, name_string(path));
    out.push_back(uint8_t(space));
    append(out, integer(offset));
    append(out, integer(length));
    return out;
}

Bytes field_byte_acc(std::string_view region, const std::vector<FieldUnit>& units) {
    Bytes body = name_string(region);
    body.push_back(kFieldByteAccNoLockPreserve);
    for (const FieldUnit& u : units) {
        if (u.name.empty()) {
            body.push_back(0x00);  // ReservedField: skip bits
        } else {
            if (u.name.size() != 4) throw std::invalid_argument("AML field names are 4-character NameSegs");
            body.insert(body.end(), u.name.begin(), u.name.end());
        }
        append(body, field_length(u.bits));
    }
    return with_pkg_length({kExtOpPrefix, kFieldOp}, body);
}

}  // namespace petrel::aml
