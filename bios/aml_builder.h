// A tiny AML (ACPI Machine Language) encoder, enough for a static DSDT:
// names, scopes, devices, packages, buffers, integers, strings, EISA ids.
// Each function returns the encoded bytes of one term, so a table reads
// like the ASL it stands for:
//   scope("\\_SB", {device("PCI0", {name("_HID", eisa_id("PNP0A03"))})})
// Encodings follow ACPI 6.x chapter 20 (AML grammar). Resource descriptors
// for _CRS/_PRS buffers are in bios/aml_resources.h, methods, operators and
// operation regions in bios/aml_code.h.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace petrel::aml {

using Bytes = std::vector<uint8_t>;

// PkgLength: the length of the whole package including its own bytes.
Bytes pkg_length(size_t body_len);
// NameString: "\\_SB.PCI0", "_HID", "^FOO"; segments padded to 4 with '_'.
Bytes name_string(std::string_view path);

Bytes integer(uint64_t v);                 // Zero/One/Ones or the smallest prefix form
Bytes string(std::string_view s);          // StringPrefix, NUL-terminated
Bytes eisa_id(std::string_view id);        // "PNP0A03" as its compressed DWord
Bytes name(std::string_view path, const Bytes& value);           // Name(path, value)
Bytes scope(std::string_view path, std::initializer_list<Bytes> terms);
Bytes device(std::string_view path, std::initializer_list<Bytes> terms);
Bytes package(std::initializer_list<Bytes> elements);
// The same for term lists built in a loop.
Bytes scope(std::string_view path, const std::vector<Bytes>& terms);
Bytes device(std::string_view path, const std::vector<Bytes>& terms);
Bytes package(const std::vector<Bytes>& elements);
Bytes buffer(const Bytes& data);

Bytes concat(std::initializer_list<Bytes> parts);
Bytes concat(const std::vector<Bytes>& parts);

}  // namespace petrel::aml
