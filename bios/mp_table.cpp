// MP 1.4 encodings (spec chapter 4). Entry sizes: processor 20, others 8.
#include "bios/mp_table.h"

#include <fmt/format.h>

#include "bios/boot_state.h"
#include "bios/le_bytes.h"
#include "memory/physical_memory.h"

namespace petrel {

namespace {
constexpr size_t kHeaderSize = 44;
enum : uint8_t { kEntProcessor = 0, kEntBus = 1, kEntIoApic = 2, kEntIoInt = 3, kEntLocalInt = 4 };
enum : uint8_t { kIntINT = 0, kIntNMI = 1, kIntExtINT = 3 };
constexpr uint16_t kLevelActiveHigh = 0x000d;  // polarity 01 = high, trigger 11 = level
// CPUID.1 EAX of the emulated CPU (family 6 model 0x3D) and EDX bits FPU|APIC.
constexpr uint32_t kCpuSignature = pc::kCpuidSignature;
constexpr uint32_t kCpuFeatures = (1u << 0) | (1u << 9);
}  // namespace

std::vector<uint8_t> build_mp_config_table(const MpConfig& cfg) {
    std::vector<uint8_t> t(kHeaderSize, 0);
    le::put_str(t, 0, "PCMP", 4);
    t[6] = 4;  // spec revision 1.4
    le::put_str(t, 8, "PETREL", 8);
    le::put_str(t, 16, "PETREL PC", 12);
    le::put32(t, 36, pc::kLapicBase);
    uint16_t count = 0;
    for (unsigned i = 0; i < cfg.cpus; ++i) {
        size_t o = t.size();
        le::put8(t, o, kEntProcessor);
        le::put8(t, o + 1, uint8_t(i));              // LAPIC id
        le::put8(t, o + 2, 0x14);                    // LAPIC version (integrated xAPIC)
        le::put8(t, o + 3, uint8_t(1 | (i == 0 ? 2 : 0)));  // enabled, bootstrap processor
        le::put32(t, o + 4, kCpuSignature);
        le::put32(t, o + 8, kCpuFeatures);
        le::put64(t, o + 12, 0);
        ++count;
    }
    auto bus = [&](uint8_t id, const char* type) {
        size_t o = t.size();
        le::put8(t, o, kEntBus);
        le::put8(t, o + 1, id);
        le::put_str(t, o + 2, type, 6);
        ++count;
    };
    bus(kMpBusPci, "PCI");
    bus(kMpBusIsa, "ISA");
    size_t o = t.size();
    le::put8(t, o, kEntIoApic);
    le::put8(t, o + 1, pc::kIoApicId);
    le::put8(t, o + 2, pc::kIoApicVersion);
    le::put8(t, o + 3, 1);  // enabled
    le::put32(t, o + 4, pc::kIoApicBase);
    ++count;
    for (uint8_t irq = 0; irq < 16; ++irq) {
        if (irq == 2) continue;  // the 8259 cascade: no ISA device behind it
        size_t p = t.size();
        le::put8(t, p, kEntIoInt);
        le::put8(t, p + 1, kIntINT);
        le::put16(t, p + 2, (cfg.pci_irq_mask >> irq & 1) ? kLevelActiveHigh : 0);
        le::put8(t, p + 4, kMpBusIsa);
        le::put8(t, p + 5, irq);
        le::put8(t, p + 6, pc::kIoApicId);
        le::put8(t, p + 7, irq == 0 ? 2 : irq);  // the PIT is wired to INTIN2
        ++count;
    }
    auto local = [&](uint8_t type, uint8_t lint) {
        size_t p = t.size();
        le::put8(t, p, kEntLocalInt);
        le::put8(t, p + 1, type);
        le::put16(t, p + 2, 0);
        le::put8(t, p + 4, kMpBusIsa);
        le::put8(t, p + 5, 0);
        le::put8(t, p + 6, 0xff);  // all local APICs
        le::put8(t, p + 7, lint);
        ++count;
    };
    local(kIntExtINT, 0);
    local(kIntNMI, 1);
    le::put16(t, 4, uint16_t(t.size()));
    le::put16(t, 34, count);
    t[7] = le::checksum(t);
    return t;
}

std::vector<uint8_t> build_mp_floating_pointer(uint32_t config_addr) {
    std::vector<uint8_t> f(16, 0);
    le::put_str(f, 0, "_MP_", 4);
    le::put32(f, 4, config_addr);
    f[8] = 1;   // length in 16-byte units
    f[9] = 4;   // spec revision 1.4
    f[11] = 0;  // feature 1: a configuration table is present
    f[12] = 0;  // feature 2: IMCR absent, virtual wire mode
    f[10] = le::checksum(f);
    return f;
}

uint64_t install_mp_table(PhysicalMemory& mem, const MpConfig& cfg, uint64_t float_addr, uint64_t config_addr) {
    if (cfg.cpus == 0 || cfg.cpus > 255) throw LoadError(fmt::format("MP table: {} CPUs not supported", cfg.cpus));
    if ((float_addr & 15) || config_addr >= (1ull << 32)) throw LoadError("MP table: bad placement");
    std::vector<uint8_t> table = build_mp_config_table(cfg);
    std::vector<uint8_t> fp = build_mp_floating_pointer(uint32_t(config_addr));
    if (!mem.write_bytes(config_addr, table.data(), table.size()) || !mem.write_bytes(float_addr, fp.data(), fp.size()))
        throw LoadError(fmt::format("MP table at {:#x} is outside guest RAM", config_addr));
    return table.size();
}

}  // namespace petrel
