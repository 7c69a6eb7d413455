// arith family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_arith(HandlerTable&) {}

}  // namespace petrel
