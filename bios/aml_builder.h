// A tiny AML (ACPI Machine Language) encoder, enough for a static DSDT:
// names, scopes, devices, packages, buffers, integers, strings, EISA ids.
// Each function returns the encoded bytes of one term, so a table reads
// like the ASL it stands for:
//   scope("\\_SB", {device("PCI0", {name("_HID", eisa_id("PNP0A03"))})})
// Encodings follow ACPI 6.x chapter 20 (AML grammar).
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
Bytes buffer(const Bytes& data);

// Resource descriptors for _CRS buffers.
Bytes memory32_fixed(uint32_t base, uint32_t length, bool writable);
// Bridge windows (ResourceProducer, MinFixed, MaxFixed, PosDecode), as a
// PCI host bridge's _CRS lists them.
Bytes word_bus_number(uint16_t min, uint16_t max);
Bytes word_io(uint16_t min, uint16_t max);  // EntireRange
Bytes dword_memory(uint32_t min, uint32_t max, bool cacheable);  // ReadWrite
Bytes io_port(uint16_t base, uint8_t length);  // IO(Decode16, base, base, 1, length)
Bytes end_tag();  // EndTag with checksum 0 ("ignore")

Bytes concat(std::initializer_list<Bytes> parts);

}  // namespace petrel::aml
