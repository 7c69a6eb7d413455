// Stands in for the difftest where it cannot run; meson counts exit 77 as skipped.
#include <cstdio>

int main() {
    std::printf("difftest: skipped: %s\n", PETREL_DIFFTEST_SKIP_REASON);
    return 77;
}
