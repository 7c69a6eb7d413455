// SMBIOS structure encodings (DSP0134 3.x, with each type's 2.8 length).
// A structure is its formatted area (type, length, handle, fields) followed
// by its strings, each NUL-terminated, and one more NUL; string fields hold
// 1-based indexes into that set, 0 for "no string".
#include "bios/smbios.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "bios/boot_state.h"
#include "bios/le_bytes.h"
#include "bios/pc_platform.h"
#include "memory/physical_memory.h"

#ifndef PETREL_VERSION
#define PETREL_VERSION "0.0.0"
#endif

namespace petrel {

namespace {
constexpr uint64_t k4G = 1ull << 32;
constexpr const char* kVendor = "Petrel";
constexpr const char* kProduct = "Standard PC (i440FX + PIIX, 1996)";
constexpr const char* kMachineVersion = "pc";
constexpr const char* kBiosVersion = PETREL_VERSION;
constexpr const char* kBiosReleaseDate = "12/07/2026";  // MM/DD/YYYY
constexpr uint16_t kNoHandle = 0xffff, kNoErrorInfo = 0xfffe;
constexpr unsigned kCpuMhz = 2000;

// "0.1.0" -> (0, 1) for type 0's System BIOS major/minor release.
std::pair<uint8_t, uint8_t> bios_release() {
    unsigned major = 0, minor = 0;
    if (std::sscanf(kBiosVersion, "%u.%u", &major, &minor) < 2) return {0, 0};
    return {uint8_t(major), uint8_t(minor)};
}

class Structure {
public:
    Structure(uint8_t type, uint8_t length, uint16_t handle) : b_(length, 0) {
        b_[0] = type;
        b_[1] = length;
        le::put16(b_, 2, handle);
    }
    void u8(size_t off, uint8_t v) { b_[off] = v; }
    void u16(size_t off, uint16_t v) { le::put16(b_, off, v); }
    void u32(size_t off, uint32_t v) { le::put32(b_, off, v); }
    void u64(size_t off, uint64_t v) { le::put64(b_, off, v); }
    // A string field: its index in the string set, or 0 for none.
    void str(size_t off, const std::string& s) {
        if (s.empty()) { b_[off] = 0; return; }
        strings_.push_back(s);
        b_[off] = uint8_t(strings_.size());
    }
    std::vector<uint8_t> bytes() const {
        std::vector<uint8_t> out = b_;
        for (const std::string& s : strings_) {
            out.insert(out.end(), s.begin(), s.end());
            out.push_back(0);
        }
        if (strings_.empty()) out.push_back(0);  // an empty string set is two NULs
        out.push_back(0);
        return out;
    }

private:
    std::vector<uint8_t> b_;
    std::vector<std::string> strings_;
};

Structure bios_information() {
    Structure s(0, 0x18, 0x0000);
    s.str(0x04, kVendor);
    s.str(0x05, kBiosVersion);
    s.u16(0x06, 0xf000);          // starting segment: the 64 KiB BIOS area at 0xf0000
    s.str(0x08, kBiosReleaseDate);
    s.u8(0x09, 0);                // ROM size 64 KiB * (n + 1)
    s.u64(0x0a, 1u << 3);         // characteristics: "BIOS Characteristics are not supported"
    s.u8(0x12, 0);                // extension byte 1
    s.u8(0x13, 1u << 2 | 1u << 4);  // extension byte 2: targeted content distribution, virtual machine
    auto [major, minor] = bios_release();
    s.u8(0x14, major);
    s.u8(0x15, minor);
    s.u8(0x16, 0xff);             // no embedded controller firmware
    s.u8(0x17, 0xff);
    return s;
}

Structure system_information(const SmbiosConfig& cfg) {
    Structure s(1, 0x1b, 0x0100);
    s.str(0x04, kVendor);
    s.str(0x05, kProduct);
    s.str(0x06, kMachineVersion);
    s.str(0x07, "");
    // UUID: time_low, time_mid, time_hi_and_version little-endian, the rest as is.
    const auto& u = cfg.uuid;
    const uint8_t enc[16] = {u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6],
                             u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]};
    for (unsigned i = 0; i < 16; ++i) s.u8(0x08 + i, enc[i]);
    s.u8(0x18, 0x06);             // wake-up type: power switch
    s.str(0x19, "");
    s.str(0x1a, "");
    return s;
}

Structure system_enclosure() {
    Structure s(3, 0x16, 0x0300);
    s.str(0x04, kVendor);
    s.u8(0x05, 0x01);             // type: Other, no lock
    s.str(0x06, kMachineVersion);
    s.u8(0x09, 0x03);             // boot-up state: safe
    s.u8(0x0a, 0x03);             // power supply state: safe
    s.u8(0x0b, 0x03);             // thermal state: safe
    s.u8(0x0c, 0x02);             // security status: unknown
    // OEM-defined 0, height unspecified, no power cords or contained elements, no SKU.
    return s;
}

Structure processor_information(unsigned cpu) {
    Structure s(4, 0x2a, uint16_t(0x0400 + cpu));
    s.str(0x04, fmt::format("CPU {}", cpu));
    s.u8(0x05, 0x03);             // central processor
    s.u8(0x06, 0x01);             // family: Other (see family 2)
    s.str(0x07, pc::kCpuVendor);
    s.u32(0x08, pc::kCpuidSignature);   // processor ID: CPUID.1 EAX, then EDX
    s.u32(0x0c, pc::kCpuidFeaturesEdx);
    s.str(0x10, pc::kCpuBrand);
    s.u8(0x11, 0);                // voltage: legacy mode, none given
    s.u16(0x12, 0);               // external clock unknown
    s.u16(0x14, kCpuMhz);         // max speed
    s.u16(0x16, kCpuMhz);         // current speed
    s.u8(0x18, 0x41);             // socket populated, CPU enabled
    s.u8(0x19, 0x01);             // upgrade: other
    s.u16(0x1a, kNoHandle);       // no L1/L2/L3 cache structures
    s.u16(0x1c, kNoHandle);
    s.u16(0x1e, kNoHandle);
    s.u8(0x23, 1);                // cores, cores enabled, threads
    s.u8(0x24, 1);
    s.u8(0x25, 1);
    s.u16(0x26, 1u << 2);         // characteristics: 64-bit capable
    s.u16(0x28, 0x01);            // family 2: Other
    return s;
}

Structure memory_array(uint64_t ram, unsigned devices) {
    Structure s(16, 0x17, 0x1000);
    s.u8(0x04, 0x01);             // location: other
    s.u8(0x05, 0x03);             // use: system memory
    s.u8(0x06, 0x03);             // error correction: none
    uint64_t kib = ram >> 10;
    if (kib < 0x80000000ull) {
        s.u32(0x07, uint32_t(kib));
    } else {
        s.u32(0x07, 0x80000000u);  // see the extended maximum capacity
        s.u64(0x0f, ram);
    }
    s.u16(0x0b, kNoErrorInfo);
    s.u16(0x0d, uint16_t(devices));
    return s;
}

Structure memory_device(unsigned n, uint64_t size) {
    Structure s(17, 0x28, uint16_t(0x1100 + n));
    s.u16(0x04, 0x1000);          // the array
    s.u16(0x06, kNoErrorInfo);
    s.u16(0x08, 64);              // total and data width in bits
    s.u16(0x0a, 64);
    uint64_t mib = size >> 20;
    if (mib < 0x7fff) {
        s.u16(0x0c, uint16_t(mib));
    } else {
        s.u16(0x0c, 0x7fff);      // see the extended size
        s.u32(0x1c, uint32_t(mib));
    }
    s.u8(0x0e, 0x09);             // form factor: DIMM
    s.str(0x10, fmt::format("DIMM {}", n));
    s.u8(0x12, 0x07);             // memory type: RAM
    s.u16(0x13, 1u << 1);         // type detail: other
    s.str(0x17, kVendor);
    return s;
}

Structure memory_mapped_range(unsigned n, uint64_t start, uint64_t size) {
    Structure s(19, 0x1f, uint16_t(0x1300 + n));
    uint64_t end = start + size - 1;
    if ((end >> 10) < 0xffffffffull) {
        s.u32(0x04, uint32_t(start >> 10));  // KiB, end inclusive
        s.u32(0x08, uint32_t(end >> 10));
    } else {
        s.u32(0x04, 0xffffffffu);  // see the extended addresses
        s.u32(0x08, 0xffffffffu);
        s.u64(0x0f, start);
        s.u64(0x17, end);
    }
    s.u16(0x0c, 0x1000);
    s.u8(0x0e, 1);                // partition width, as QEMU
    return s;
}

Structure boot_information() {
    Structure s(32, 0x0b, 0x2000);
    s.u8(0x0a, 0);                // no errors detected
    return s;
}
}  // namespace

SmbiosStructures build_smbios_structures(const SmbiosConfig& cfg) {
    std::vector<Structure> list;
    list.push_back(bios_information());
    list.push_back(system_information(cfg));
    list.push_back(system_enclosure());
    for (unsigned i = 0; i < cfg.cpus; ++i) list.push_back(processor_information(i));
    uint64_t ram = cfg.below_4g + cfg.above_4g;
    unsigned devices = unsigned((ram + kSmbiosDimmSize - 1) / kSmbiosDimmSize);
    list.push_back(memory_array(ram, devices));
    for (unsigned i = 0; i < devices; ++i)
        list.push_back(memory_device(i, std::min(kSmbiosDimmSize, ram - uint64_t(i) * kSmbiosDimmSize)));
    unsigned ranges = 0;
    if (cfg.below_4g) list.push_back(memory_mapped_range(ranges++, 0, cfg.below_4g));
    if (cfg.above_4g) list.push_back(memory_mapped_range(ranges++, k4G, cfg.above_4g));
    list.push_back(boot_information());
    list.push_back(Structure(127, 4, 0x7f00));
    SmbiosStructures out;
    for (const Structure& s : list) {
        std::vector<uint8_t> b = s.bytes();
        out.max_structure = std::max<uint16_t>(out.max_structure, uint16_t(b.size()));
        out.bytes.insert(out.bytes.end(), b.begin(), b.end());
    }
    out.count = uint16_t(list.size());
    return out;
}

std::vector<uint8_t> build_smbios_entry_point(uint32_t table_addr, const SmbiosStructures& s) {
    std::vector<uint8_t> e(kSmbiosEntryPointSize, 0);
    le::put_str(e, 0x00, "_SM_", 4);
    e[0x05] = uint8_t(kSmbiosEntryPointSize);
    e[0x06] = kSmbiosMajor;
    e[0x07] = kSmbiosMinor;
    le::put16(e, 0x08, s.max_structure);
    e[0x0a] = 0;                  // entry point revision 0: formatted area reserved
    le::put_str(e, 0x10, "_DMI_", 5);
    le::put16(e, 0x16, uint16_t(s.bytes.size()));
    le::put32(e, 0x18, table_addr);
    le::put16(e, 0x1c, s.count);
    e[0x1e] = uint8_t(kSmbiosMajor << 4 | kSmbiosMinor);  // BCD revision
    e[0x15] = le::checksum(std::span(e).subspan(0x10, 0x0f));  // intermediate: "_DMI_" .. end
    e[0x04] = le::checksum(e);                                  // whole entry point
    return e;
}

std::vector<uint8_t> smbios_dump_file(const SmbiosConfig& cfg) {
    SmbiosStructures s = build_smbios_structures(cfg);
    std::vector<uint8_t> out = build_smbios_entry_point(32, s);
    out.resize(32, 0);
    out.insert(out.end(), s.bytes.begin(), s.bytes.end());
    return out;
}

uint64_t install_smbios(PhysicalMemory& mem, const SmbiosConfig& cfg, uint64_t entry_addr, uint64_t table_addr,
                        uint64_t table_limit) {
    if ((entry_addr & 15) || entry_addr < 0xf0000 || entry_addr + kSmbiosEntryPointSize > 0x100000)
        throw LoadError("SMBIOS: the entry point must be 16-byte aligned in 0xf0000-0xfffff");
    SmbiosStructures s = build_smbios_structures(cfg);
    if (s.bytes.size() > 0xffff || table_addr + s.bytes.size() > table_limit || table_limit > k4G)
        throw LoadError(fmt::format("SMBIOS: {} bytes of structures do not fit at {:#x}", s.bytes.size(), table_addr));
    std::vector<uint8_t> e = build_smbios_entry_point(uint32_t(table_addr), s);
    if (!mem.write_bytes(table_addr, s.bytes.data(), s.bytes.size()) || !mem.write_bytes(entry_addr, e.data(), e.size()))
        throw LoadError(fmt::format("SMBIOS tables at {:#x} are outside guest RAM", table_addr));
    return s.bytes.size();
}

}  // namespace petrel
