#include "machine/run.h"

#include <csignal>
#include <cstdio>
#include <exception>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "bios/boot_state.h"
#include "machine/pc.h"

namespace petrel {

namespace {
PcMachine* g_crashing_machine = nullptr;

// A crash is an emulator bug: say where the guest was before dying, so the
// report can be reproduced. (Not async-signal-safe; the process is lost
// anyway, and the default action still follows.)
void report_fatal_signal(int sig) {
    std::signal(sig, SIG_DFL);
    if (g_crashing_machine) {
        PcMachine* m = g_crashing_machine;
        g_crashing_machine = nullptr;
        fmt::print(stderr, "petrel: internal error: signal {} ({})\npetrel: guest state: {}\n", sig,
                   strsignal(sig), m->describe_cpu());
    }
    std::raise(sig);
}
}  // namespace

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
    g_crashing_machine = machine.get();
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, report_fatal_signal);
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
