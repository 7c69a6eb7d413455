// logic family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_logic(HandlerTable&) {}

}  // namespace petrel
