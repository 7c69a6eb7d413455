// AML for executable code and hardware access, on top of bios/aml_builder.h:
// control methods, locals and arguments, the few operators a PCI interrupt
// link needs (Store, And, Or, LEqual, LLess, If/Else, Return), buffer fields
// (CreateDWordField) and operation regions with their fields. Each function
// returns one encoded term, as in aml_builder.h:
//   method("_STA", 0, false, {return_(integer(0x0f))})
// Encodings follow ACPI 6.x chapter 20 (20.2.5 Term Objects Encoding).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "bios/aml_builder.h"

namespace petrel::aml {

// Method(path, nargs, Serialized/NotSerialized) { terms }
Bytes method(std::string_view path, unsigned nargs, bool serialized, std::initializer_list<Bytes> terms);

Bytes local(unsigned n);  // Local0-Local7
Bytes arg(unsigned n);    // Arg0-Arg6
// A reference to a named object, as an operand or a target ("PRQ0", "^LNKA").
Bytes name_ref(std::string_view path);
// A method invocation: the method's name followed by its arguments (the
// method must come earlier in the table, so parsers know its arity).
Bytes call(std::string_view path, std::initializer_list<Bytes> args);
// The empty target of an operator whose result is only returned.
Bytes no_target();

Bytes store(const Bytes& source, const Bytes& target);
Bytes and_(const Bytes& a, const Bytes& b, const Bytes& target);
Bytes or_(const Bytes& a, const Bytes& b, const Bytes& target);
Bytes lequal(const Bytes& a, const Bytes& b);
Bytes lless(const Bytes& a, const Bytes& b);
Bytes if_(const Bytes& predicate, std::initializer_list<Bytes> terms);
Bytes else_(std::initializer_list<Bytes> terms);  // follows an if_ directly
Bytes return_(const Bytes& value);

// CreateDWordField(source, byte_index, name)
Bytes create_dword_field(const Bytes& source, const Bytes& byte_index, std::string_view name);

// Operation region address spaces (ACPI 6.x table 19.x, RegionSpace).
enum class RegionSpace : uint8_t { SystemMemory = 0, SystemIO = 1, PciConfig = 2 };
// OperationRegion(path, space, offset, length)
Bytes operation_region(std::string_view path, RegionSpace space, uint64_t offset, uint64_t length);

// Field(region, ByteAcc, NoLock, Preserve) { name, bits, ... }
struct FieldUnit {
    std::string_view name;  // a NameSeg, or "" for an unnamed gap (Offset)
    unsigned bits;
};
Bytes field_byte_acc(std::string_view region, const std::vector<FieldUnit>& units);

}  // namespace petrel::aml
