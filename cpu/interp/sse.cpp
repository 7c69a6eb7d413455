// sse family handlers.
#include "cpu/interp/handlers.h"

namespace petrel {

void register_sse(HandlerTable&) {}

}  // namespace petrel
