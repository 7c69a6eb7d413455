// ACPI table encodings (ACPI 6.x chapter 5). Every table gets the common
// 36-byte header with the same OEM ids; checksums are filled last.
#include "bios/acpi_tables.h"

#include <fmt/format.h>

#include "bios/boot_state.h"
#include "bios/le_bytes.h"
#include "memory/physical_memory.h"

namespace petrel {

namespace {
constexpr const char* kOemId = "PETREL";
constexpr uint32_t kCreatorId = 0x4c525450;  // "PTRL"
}  // namespace

std::vector<uint8_t> acpi_table_header(const char* sig, uint8_t revision, const char* table_id) {
    std::vector<uint8_t> t(kAcpiHeaderSize, 0);
    le::put_str(t, 0, sig, 4);
    t[8] = revision;
    le::put_str(t, 10, kOemId, 6);
    le::put_str(t, 16, table_id, 8);
    le::put32(t, 24, 1);           // OEM revision
    le::put32(t, 28, kCreatorId);
    le::put32(t, 32, 1);           // creator revision
    return t;
}

std::vector<uint8_t> acpi_table_finish(std::vector<uint8_t> t) {
    le::put32(t, 4, uint32_t(t.size()));
    t[9] = 0;
    t[9] = le::checksum(t);
    return t;
}

namespace {
std::vector<uint8_t> header(const char* sig, uint8_t revision, const char* table_id) {
    return acpi_table_header(sig, revision, table_id);
}
std::vector<uint8_t> finish(std::vector<uint8_t> t) { return acpi_table_finish(std::move(t)); }

// Generic Address Structure (12 bytes).
void put_gas(std::vector<uint8_t>& t, size_t off, uint8_t space, uint8_t bit_width, uint8_t access_size, uint64_t addr) {
    le::put8(t, off, space);
    le::put8(t, off + 1, bit_width);
    le::put8(t, off + 2, 0);
    le::put8(t, off + 3, access_size);
    le::put64(t, off + 4, addr);
}
constexpr uint8_t kSpaceMemory = 0, kSpaceIo = 1;
}  // namespace

std::vector<uint8_t> build_facs() {
    std::vector<uint8_t> t(kFacsSize, 0);
    le::put_str(t, 0, "FACS", 4);
    le::put32(t, 4, kFacsSize);
    t[32] = 2;  // version (ACPI 4.0+ layout with 64-bit waking vector)
    return t;   // no checksum in the FACS
}

std::vector<uint8_t> build_fadt(const AcpiConfig& cfg, uint32_t facs_addr, uint32_t dsdt_addr) {
    std::vector<uint8_t> t = header("FACP", 3, "PETRLFAC");
    t.resize(kFadtRev3Size, 0);
    const uint32_t pm1a_evt = cfg.pm_base + 0x00, pm1a_cnt = cfg.pm_base + 0x04, pm_tmr = cfg.pm_base + 0x08;
    le::put32(t, 36, facs_addr);
    le::put32(t, 40, dsdt_addr);
    t[44] = 1;                      // INT_MODEL (ACPI 1.0 field): multiple APIC
    t[45] = 0;                      // preferred PM profile: unspecified
    le::put16(t, 46, cfg.sci_irq);
    le::put32(t, 48, 0);            // SMI_CMD: none, always in ACPI mode
    le::put32(t, 56, pm1a_evt);
    le::put32(t, 64, pm1a_cnt);
    le::put32(t, 76, pm_tmr);
    t[88] = 4;                      // PM1_EVT_LEN
    t[89] = 2;                      // PM1_CNT_LEN
    t[91] = 4;                      // PM_TMR_LEN
    le::put16(t, 96, 0x0fff);       // P_LVL2_LAT > 100: no C2
    le::put16(t, 98, 0x0fff);       // P_LVL3_LAT > 1000: no C3
    t[108] = pc::kRtcCenturyIndex;
    le::put16(t, 109, 0x0003);      // IAPC_BOOT_ARCH: LEGACY_DEVICES | 8042
    uint32_t flags = 1u << 0        // WBINVD works
                   | 1u << 2        // PROC_C1
                   | 1u << 5        // SLP_BUTTON: no fixed sleep button (power button is fixed)
                   | 1u << 7        // RTC_S4
                   | 1u << 10       // RESET_REG_SUP
                   | 1u << 15;      // USE_PLATFORM_CLOCK (PM timer)
    if (cfg.cpus > 8) flags |= 1u << 19;  // FORCE_APIC_CLUSTER_MODEL: flat logical holds 8 CPUs
    le::put32(t, 112, flags);
    put_gas(t, 116, kSpaceIo, 8, 1, pc::kResetPort);
    t[128] = pc::kResetValue;
    // X_FIRMWARE_CTRL (132) stays 0: ACPI 6.x 5.2.9 says it must be zero when
    // FIRMWARE_CTRL holds the address (Linux would install the FACS twice).
    le::put64(t, 140, dsdt_addr);   // X_DSDT
    put_gas(t, 148, kSpaceIo, 32, 0, pm1a_evt);
    put_gas(t, 172, kSpaceIo, 16, 0, pm1a_cnt);
    put_gas(t, 208, kSpaceIo, 32, 0, pm_tmr);
    return finish(std::move(t));
}

std::vector<uint8_t> build_madt(const AcpiConfig& cfg) {
    std::vector<uint8_t> t = header("APIC", 3, "PETRLAPC");
    le::put32(t, 36, pc::kLapicBase);
    le::put32(t, 40, 1);  // PCAT_COMPAT: dual 8259s present
    for (unsigned i = 0; i < cfg.cpus; ++i) {
        size_t o = t.size();
        le::put8(t, o, 0);                 // Processor Local APIC
        le::put8(t, o + 1, 8);
        le::put8(t, o + 2, uint8_t(i));    // ACPI processor uid
        le::put8(t, o + 3, uint8_t(i));    // APIC id
        le::put32(t, o + 4, 1);            // enabled
    }
    size_t o = t.size();
    le::put8(t, o, 1);                     // I/O APIC
    le::put8(t, o + 1, 12);
    le::put8(t, o + 2, pc::kIoApicId);
    le::put8(t, o + 3, 0);
    le::put32(t, o + 4, pc::kIoApicBase);
    le::put32(t, o + 8, 0);                // GSI base
    auto override_entry = [&](uint8_t irq, uint32_t gsi, uint16_t flags) {
        size_t p = t.size();
        le::put8(t, p, 2);                 // Interrupt Source Override
        le::put8(t, p + 1, 10);
        le::put8(t, p + 2, 0);             // bus: ISA
        le::put8(t, p + 3, irq);
        le::put32(t, p + 4, gsi);
        le::put16(t, p + 8, flags);
    };
    override_entry(0, 2, 0);               // PIT on IOAPIC pin 2, conforming
    for (uint8_t irq = 1; irq < 16; ++irq)
        if ((cfg.pci_irq_mask >> irq & 1) || irq == cfg.sci_irq)
            override_entry(irq, irq, 0x000d);  // active high (01), level (11), as QEMU's
    o = t.size();
    le::put8(t, o, 4);                     // Local APIC NMI
    le::put8(t, o + 1, 6);
    le::put8(t, o + 2, 0xff);              // all processors
    le::put16(t, o + 3, 0);                // conforming
    le::put8(t, o + 5, 1);                 // LINT1
    return finish(std::move(t));
}

std::vector<uint8_t> build_hpet_table() {
    std::vector<uint8_t> t = header("HPET", 1, "PETRLHPT");
    le::put32(t, 36, pc::kHpetBlockId);
    put_gas(t, 40, kSpaceMemory, 64, 0, pc::kHpetBase);
    le::put8(t, 52, 0);        // HPET number
    le::put16(t, 53, 128);     // minimum periodic tick, in counter clocks
    le::put8(t, 55, 0);        // no page protection
    return finish(std::move(t));
}

std::vector<uint8_t> build_rsdt(const std::vector<uint32_t>& tables) {
    std::vector<uint8_t> t = header("RSDT", 1, "PETRLRSD");
    for (uint32_t a : tables) le::put32(t, t.size(), a);
    return finish(std::move(t));
}

std::vector<uint8_t> build_xsdt(const std::vector<uint64_t>& tables) {
    std::vector<uint8_t> t = header("XSDT", 1, "PETRLXSD");
    for (uint64_t a : tables) le::put64(t, t.size(), a);
    return finish(std::move(t));
}

std::vector<uint8_t> build_rsdp(uint32_t rsdt_addr, uint64_t xsdt_addr) {
    std::vector<uint8_t> t(kRsdpSize, 0);
    le::put_str(t, 0, "RSD PTR ", 8);
    le::put_str(t, 9, kOemId, 6);
    t[15] = 2;  // revision: ACPI 2.0+ (XSDT present)
    le::put32(t, 16, rsdt_addr);
    le::put32(t, 20, kRsdpSize);
    le::put64(t, 24, xsdt_addr);
    t[8] = le::checksum(std::span(t).first(20));  // ACPI 1.0 part
    t[32] = le::checksum(t);                       // whole structure
    return t;
}

AcpiInstall install_acpi_tables(PhysicalMemory& mem, const AcpiConfig& cfg, uint64_t rsdp_addr,
                                uint64_t region_base, uint64_t region_size) {
    if (cfg.cpus == 0 || cfg.cpus > 255) throw LoadError(fmt::format("ACPI tables: {} CPUs not supported", cfg.cpus));
    if (rsdp_addr & 15) throw LoadError("ACPI tables: RSDP must be 16-byte aligned");
    if (region_base + region_size > (1ull << 32))
        throw LoadError("ACPI tables: the table region must lie below 4 GiB (RSDT holds 32-bit pointers)");
    AcpiInstall out;
    uint64_t at = region_base;
    // Each table 64-byte aligned (the FACS must be; the others do not mind).
    auto place = [&](const std::string& sig, std::vector<uint8_t> bytes) -> uint32_t {
        at = (at + 63) & ~uint64_t(63);
        if (at + bytes.size() > region_base + region_size)
            throw LoadError(fmt::format("ACPI tables do not fit in {} bytes at {:#x}", region_size, region_base));
        uint64_t addr = at;
        at += bytes.size();
        out.tables.push_back({sig, addr, std::move(bytes)});
        return uint32_t(addr);
    };
    out.tables.push_back({"RSD PTR ", rsdp_addr, {}});  // filled last
    uint32_t facs = place("FACS", build_facs());
    uint32_t dsdt = place("DSDT", build_dsdt(cfg));
    std::vector<uint32_t> entries;
    entries.push_back(place("FACP", build_fadt(cfg, facs, dsdt)));
    entries.push_back(place("APIC", build_madt(cfg)));
    if (cfg.hpet) entries.push_back(place("HPET", build_hpet_table()));
    uint32_t rsdt = place("RSDT", build_rsdt(entries));
    uint32_t xsdt = place("XSDT", build_xsdt(std::vector<uint64_t>(entries.begin(), entries.end())));
    out.tables[0].bytes = build_rsdp(rsdt, xsdt);
    out.rsdp_addr = rsdp_addr;
    out.region_used = at - region_base;
    for (const AcpiTable& tb : out.tables)
        if (!mem.write_bytes(tb.addr, tb.bytes.data(), tb.bytes.size()))
            throw LoadError(fmt::format("ACPI table {} at {:#x} is outside guest RAM", tb.signature, tb.addr));
    return out;
}

}  // namespace petrel
