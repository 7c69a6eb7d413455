// bits family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_bits(HandlerTable&) {}

}  // namespace petrel
