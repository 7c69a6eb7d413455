// Placeholder until the table-driven decoder lands: decodes nothing.
#include "cpu/decoded_insn.h"

namespace petrel {

DecodeStatus decode(const uint8_t*, size_t, CodeMode, DecodedInsn& out) {
    out = DecodedInsn{};
    return DecodeStatus::Invalid;
}

}  // namespace petrel
