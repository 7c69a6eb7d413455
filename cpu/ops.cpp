#include "cpu/ops.h"

#include <array>

namespace petrel {

namespace {
constexpr std::array<std::string_view, kOpCount> kNames = {
#define PETREL_OP(name) #name,
#include "cpu/op_list.inc"
#undef PETREL_OP
};
}  // namespace

std::string_view op_name(Op op) {
    auto i = static_cast<size_t>(op);
    return i < kOpCount ? kNames[i] : "?";
}

}  // namespace petrel
