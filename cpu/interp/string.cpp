// string family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_string(HandlerTable&) {}

}  // namespace petrel
