// petrel-img: disk image tool (create/info/convert/check/snapshot), qemu-img
// compatible. Only the usage text exists until the storage issue lands.
#include <cstring>

#include <fmt/format.h>

static void usage(FILE* out) {
    fmt::print(out,
               "usage: petrel-img COMMAND [args]\n"
               "Petrel " PETREL_VERSION " disk image tool\n\n"
               "Commands (not implemented yet):\n"
               "  create [-f fmt] FILE SIZE\n"
               "  info FILE\n"
               "  convert [-O fmt] IN OUT\n"
               "  check FILE\n"
               "  snapshot -l|-c|-a|-d NAME FILE\n");
}

int main(int argc, char** argv) {
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "--version")) {
        fmt::print("petrel-img version {}\n", PETREL_VERSION);
        return 0;
    }
    usage(stderr);
    if (argc >= 2) fmt::print(stderr, "petrel-img: '{}' is not implemented yet\n", argv[1]);
    return 2;
}
