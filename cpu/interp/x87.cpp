// x87 family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_x87(HandlerTable&) {}

}  // namespace petrel
