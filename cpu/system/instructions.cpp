// System instruction handlers (descriptor tables, control registers, MSRs,
// CPUID, I/O...).
#include "cpu/interp/handlers.h"

namespace petrel {

void register_system(HandlerTable&) {}

}  // namespace petrel
