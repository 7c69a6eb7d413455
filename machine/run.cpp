#include "machine/run.h"

#include <cstdio>

#include <fmt/format.h>

namespace petrel {

int run_machine(const Options& opts) {
    if (opts.kernel.empty() && opts.bios.empty()) {
        fmt::print(stderr, "petrel: nothing to boot: give -kernel FILE (or -bios FILE)\n");
        return 1;
    }
    fmt::print(stderr, "petrel: the CPU and PC platform are not implemented yet (issues 3 and 4)\n");
    return 1;
}

}  // namespace petrel
