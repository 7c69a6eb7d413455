// register_system: the handlers of the system family, one file per concept
// (see system_handlers.h for the list).
#include "cpu/system/system_handlers.h"

namespace petrel {

void register_system(HandlerTable& t) {
    register_far_transfer(t);
    register_iret(t);
    register_soft_interrupts(t);
    register_fast_syscalls(t);
    register_descriptor_tables(t);
    register_control_regs(t);
    register_msr_ops(t);
    register_cpuid(t);
    register_io(t);
    register_flags_privilege(t);
    register_xsave(t);
    register_misc_system(t);
    register_debug(t);
}

}  // namespace petrel
