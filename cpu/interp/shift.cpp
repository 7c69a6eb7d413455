// shift family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_shift(HandlerTable&) {}

}  // namespace petrel
