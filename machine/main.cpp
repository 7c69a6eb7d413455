// petrel: the emulator's entry point. Parses the QEMU-compatible command line,
// builds the machine and runs it; the process exit status is the guest's.
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "machine/options.h"
#include "machine/run.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    petrel::Options opts;
    try {
        opts = petrel::parse_options(args);
    } catch (const petrel::UsageError& e) {
        fmt::print(stderr, "petrel: {}\n", e.what());
        return 2;
    }
    if (opts.show_help) {
        fmt::print("{}", petrel::usage_text());
        return 0;
    }
    if (opts.show_version) {
        fmt::print("Petrel emulator version {}\n", PETREL_VERSION);
        return 0;
    }
    return petrel::run_machine(opts);
}
