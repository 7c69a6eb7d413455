// Operation ids: the contract between the decoder (which produces them) and
// the interpreter/translator (which give them meaning). The list is op_list.inc.
#pragma once
#include <cstdint>
#include <string_view>

namespace petrel {

enum class Op : uint16_t {
#define PETREL_OP(name) name,
#include "cpu/op_list.inc"
#undef PETREL_OP
    COUNT_
};

constexpr size_t kOpCount = static_cast<size_t>(Op::COUNT_);

std::string_view op_name(Op op);

}  // namespace petrel
