// flags_ops family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_flags_ops(HandlerTable&) {}

}  // namespace petrel
