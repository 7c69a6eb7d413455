// Helpers for the bios unit tests: temporary files, finding the default
// guest images, and little-endian reads from guest memory.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "memory/physical_memory.h"

namespace petrel::test {

// A file in /tmp holding the given bytes, removed when the object dies.
class TempFile {
public:
    explicit TempFile(const std::vector<uint8_t>& data, const char* suffix = "") {
        std::string tmpl = std::string("/tmp/petrel-bios-test-XXXXXX") + suffix;
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back(0);
        int fd = mkstemps(name.data(), int(std::string(suffix).size()));
        if (fd < 0) throw std::runtime_error("mkstemps failed");
        path_ = name.data();
        size_t done = 0;
        while (done < data.size()) {
            ssize_t n = write(fd, data.data() + done, data.size() - done);
            if (n <= 0) break;
            done += size_t(n);
        }
        close(fd);
    }
    ~TempFile() { std::remove(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// images/default/<name> of the source tree, or "" when it was not built.
inline std::string default_image(const std::string& name) {
    std::vector<std::filesystem::path> roots;
    if (const char* e = getenv("PETREL_IMAGES")) roots.emplace_back(e);
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    // The test binary lives in <source>/<build dir>/tests/unit/.
    if (!ec) roots.push_back(exe.parent_path().parent_path().parent_path().parent_path() / "images/default");
    roots.emplace_back("images/default");
    roots.emplace_back("../images/default");
    for (const auto& r : roots)
        if (std::filesystem::is_regular_file(r / name, ec)) return (r / name).string();
    return "";
}

inline std::vector<uint8_t> read_file(const std::string& path) {
    std::vector<uint8_t> out;
    FILE* f = fopen(path.c_str(), "rb");
    if (!f) return out;
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
    fclose(f);
    return out;
}

inline std::vector<uint8_t> guest_bytes(PhysicalMemory& mem, uint64_t addr, size_t len) {
    std::vector<uint8_t> out(len);
    if (!mem.read_bytes(addr, out.data(), len)) out.clear();
    return out;
}

inline uint8_t sum8(const std::vector<uint8_t>& b) {
    uint8_t s = 0;
    for (uint8_t x : b) s = uint8_t(s + x);
    return s;
}

}  // namespace petrel::test
