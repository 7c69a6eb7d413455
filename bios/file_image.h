// Reading a boot file (kernel, initrd, firmware) whole into memory, with the
// error a user sees naming the file. Loaders then treat the bytes as
// untrusted: every offset and length read from them is checked.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace petrel {

// Reads path; `what` names its role in messages ("kernel", "initrd").
// Files larger than max_bytes are refused before reading (they could not fit
// in guest RAM anyway). Throws LoadError.
std::vector<uint8_t> read_boot_file(const std::string& path, const char* what, uint64_t max_bytes);

// Size of the file without reading it; throws LoadError if it cannot be opened.
uint64_t boot_file_size(const std::string& path, const char* what);

}  // namespace petrel
