// Whole-file reads for loaders; errors name the file and the OS reason.
#include "bios/file_image.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "bios/boot_state.h"

namespace petrel {

namespace {
struct FileCloser {
    void operator()(FILE* f) const { fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

File open_or_throw(const std::string& path, const char* what, uint64_t& size) {
    File f(fopen(path.c_str(), "rb"));
    if (!f) throw LoadError(fmt::format("cannot open {} '{}': {}", what, path, strerror(errno)));
    if (fseeko(f.get(), 0, SEEK_END) != 0)
        throw LoadError(fmt::format("cannot read {} '{}': not a regular file", what, path));
    off_t end = ftello(f.get());
    if (end < 0) throw LoadError(fmt::format("cannot read {} '{}': {}", what, path, strerror(errno)));
    size = uint64_t(end);
    fseeko(f.get(), 0, SEEK_SET);
    return f;
}
}  // namespace

uint64_t boot_file_size(const std::string& path, const char* what) {
    uint64_t size = 0;
    open_or_throw(path, what, size);
    return size;
}

std::vector<uint8_t> read_boot_file(const std::string& path, const char* what, uint64_t max_bytes) {
    uint64_t size = 0;
    File f = open_or_throw(path, what, size);
    if (size > max_bytes)
        throw LoadError(fmt::format("{} '{}' is too large ({} bytes, at most {} fit)", what, path, size, max_bytes));
    std::vector<uint8_t> data(size);
    if (size && fread(data.data(), 1, size, f.get()) != size)
        throw LoadError(fmt::format("cannot read {} '{}': short read", what, path));
    return data;
}

}  // namespace petrel
