#include "machine/run.h"

#include <cstdio>

#include <fmt/format.h>

namespace petrel {

int run_machine(const Options& opts) {
    if (opts.kernel.empty() && opts.bios.empty()) {
        fmt::print(stderr, "petrel: nothing to boot: give -kernel FILE (or -bios FILE)\n");
        return 1;
    }
    fmt::print(stderr, "petrel: the CPU, devices and loaders exist but the pc board that assembles them is not wired yet (issue 4); nothing is booted\n");
    return 1;
}

}  // namespace petrel
