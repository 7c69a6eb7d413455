// Stand-in for decoder-vs-zydis when the build has no Zydis: the tests are
// skipped (exit status 77), saying why.
#include <cstdio>

int main() {
    std::puts("decoder-vs-zydis: skipped: Zydis was not found at configure time (install libzydis-dev, "
              "or configure with -Dzydis=enabled to make it required)");
    return 77;
}
