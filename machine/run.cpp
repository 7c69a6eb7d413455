#include "machine/run.h"

#include <cstdio>
#include <exception>
#include <memory>

#include <fmt/format.h>

#include "bios/boot_state.h"
#include "machine/pc.h"

namespace petrel {

int run_machine(const Options& opts) {
    std::unique_ptr<PcMachine> machine;
    try {
        machine = std::make_unique<PcMachine>(opts);
    } catch (const UsageError& e) {
        fmt::print(stderr, "petrel: {}\n", e.what());
        return 2;
    } catch (const LoadError& e) {
        fmt::print(stderr, "petrel: {}\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "petrel: cannot build the machine: {}\n", e.what());
        return 1;
    }
    try {
        return machine->run();
    } catch (const std::exception& e) {
        // An emulator bug or an unsupported corner, never the guest's fault:
        // say where the guest was.
        fmt::print(stderr, "petrel: internal error: {}\npetrel: guest state: {}\n", e.what(), machine->describe_cpu());
        return 1;
    }
}

}  // namespace petrel
