#pragma once
#include "machine/options.h"

namespace petrel {
// Builds the PC described by opts, runs it to the end, returns the exit status.
int run_machine(const Options& opts);
}
