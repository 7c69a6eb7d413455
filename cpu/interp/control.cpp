// control family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_control(HandlerTable&) {}

}  // namespace petrel
