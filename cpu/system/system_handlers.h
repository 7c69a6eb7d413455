// The registration functions of cpu/system's instruction files; register_system
// (instructions.cpp) calls them all.
#pragma once
#include "cpu/interp/handlers.h"

namespace petrel {

void register_far_transfer(HandlerTable& t);   // far_transfer.cpp
void register_iret(HandlerTable& t);           // iret.cpp
void register_soft_interrupts(HandlerTable& t);  // soft_interrupts.cpp
void register_fast_syscalls(HandlerTable& t);  // fast_syscalls.cpp
void register_descriptor_tables(HandlerTable& t);  // descriptor_tables.cpp
void register_control_regs(HandlerTable& t);   // control_regs.cpp
void register_msr_ops(HandlerTable& t);        // msr.cpp
void register_cpuid(HandlerTable& t);          // cpuid.cpp
void register_io(HandlerTable& t);             // io.cpp
void register_flags_privilege(HandlerTable& t);  // flags_privilege.cpp
void register_xsave(HandlerTable& t);          // xsave.cpp
void register_misc_system(HandlerTable& t);    // misc.cpp
void register_debug(HandlerTable& t);          // debug.cpp

}  // namespace petrel
