// DSDT contents, read back with an independent AML reader: the host bridge
// windows for 512 MiB and 4 GiB guests, the 128-entry _PRT against the
// board's own PIRQ swizzle (PciBus::pirq_of), the link devices' _PRS and
// route register region, and the ISA devices' ids and resources.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "bios/acpi_tables.h"
#include "bios/le_bytes.h"
#include "devices/pci/pci_bus.h"
#include "tests/unit/bios/aml_reader.h"
#include "tests/unit/bios/bios_test_util.h"

using namespace petrel;
namespace ar = petrel::test::aml_reader;

namespace {
AcpiConfig config_for(uint64_t ram) {
    AcpiConfig cfg;
    cfg.cpus = 2;
    uint64_t below = ram >= 0xe0000000ull ? 0xc0000000ull : ram;  // PhysicalMemory's split
    cfg.pci_hole_start = uint32_t(below);
    cfg.above_4g = ram - below;
    return cfg;
}

std::vector<uint8_t> named_buffer(ar::Span body, const std::string& name) {
    auto at = ar::name_value(body, name);
    REQUIRE(at);
    return ar::buffer(body, *at);
}

std::string hid_of(ar::Span body) {
    auto at = ar::name_value(body, "_HID");
    REQUIRE(at);
    REQUIRE(body[*at] == 0x0c);  // DWordPrefix: a compressed EISA id
    return ar::eisa_id(le::get32(body, *at + 1));
}

struct Window {
    uint8_t kind;  // address space resource type: 0 memory, 1 I/O, 2 bus number
    uint64_t min, max;
    bool operator<(const Window& o) const { return std::tie(kind, min, max) < std::tie(o.kind, o.min, o.max); }
    bool operator==(const Window&) const = default;
};

// The address space descriptors (Word 0x08, DWord 0x07, QWord 0x0a) of a template.
std::set<Window> windows(const std::vector<uint8_t>& tmpl) {
    std::set<Window> out;
    for (const ar::Resource& r : ar::resources(tmpl)) {
        if (!r.large) continue;
        unsigned w = r.type == 0x08 ? 2 : r.type == 0x07 ? 4 : r.type == 0x0a ? 8 : 0;
        if (!w) continue;
        REQUIRE(r.data.size() == 3 + 5 * w);
        CHECK((r.data[1] & 0x0c) == 0x0c);  // MinFixed, MaxFixed
        CHECK((r.data[1] & 0x01) == 0);     // producer
        uint64_t min = le::get(r.data, 3 + w, w), max = le::get(r.data, 3 + 2 * w, w);
        CHECK(le::get(r.data, 3 + 4 * w, w) == max - min + 1);  // length
        out.insert({r.data[0], min, max});
    }
    return out;
}
}  // namespace

TEST_CASE("dsdt: header, checksum, and the devices of the pc board") {
    auto t = build_dsdt(config_for(512ull << 20));
    REQUIRE(t.size() > kAcpiHeaderSize);
    CHECK(std::string(t.begin(), t.begin() + 4) == "DSDT");
    CHECK(le::get32(t, 4) == t.size());
    CHECK(test::sum8(t) == 0);
    CHECK(t[8] == 2);  // 64-bit integers
    std::map<std::string, std::string> hids = {
        {"PCI0", "PNP0A03"}, {"KBD_", "PNP0303"}, {"MOU_", "PNP0F13"}, {"COM1", "PNP0501"}, {"RTC_", "PNP0B00"},
        {"LNKA", "PNP0C0F"}, {"LNKB", "PNP0C0F"}, {"LNKC", "PNP0C0F"}, {"LNKD", "PNP0C0F"}, {"LNKS", "PNP0C0F"},
        {"HPET", "PNP0103"}};
    for (const auto& [dev, hid] : hids) {
        CAPTURE(dev);
        auto body = ar::device(t, dev);
        REQUIRE(body);
        CHECK(hid_of(*body) == hid);
    }
    // The ISA devices sit inside the ISA bridge, which sits in PCI0 at 00:01.0.
    auto pci0 = ar::device(t, "PCI0");
    auto isa = ar::device(*pci0, "ISA_");
    REQUIRE(isa);
    size_t at = *ar::name_value(*isa, "_ADR");
    CHECK(ar::integer(*isa, at) == 0x00010000u);
    for (const char* dev : {"KBD_", "MOU_", "COM1", "RTC_"}) CHECK(ar::device(*isa, dev));
    at = *ar::name_value(*pci0, "_BBN");
    CHECK(ar::integer(*pci0, at) == 0u);
    // The PIRQ route registers: OperationRegion(P40C, PCI_Config, 0x60, 4).
    const uint8_t region[] = {0x5b, 0x80, 'P', '4', '0', 'C', 0x02, 0x0a, 0x60, 0x0a, 0x04};
    CHECK(std::search(isa->begin(), isa->end(), std::begin(region), std::end(region)) != isa->end());
}

TEST_CASE("dsdt: ISA device resources (ports and IRQs of the PC/AT assignment)") {
    auto t = build_dsdt(config_for(512ull << 20));
    struct Expect {
        const char* dev;
        std::vector<std::pair<uint16_t, uint8_t>> io;  // base, length
        uint16_t irq_mask;
    } expects[] = {
        {"KBD_", {{0x60, 1}, {0x64, 1}}, 1u << 1},
        {"MOU_", {}, 1u << 12},
        {"COM1", {{0x3f8, 8}}, 1u << 4},
        {"RTC_", {{0x70, 2}}, 1u << 8},
    };
    for (const Expect& e : expects) {
        CAPTURE(e.dev);
        auto body = ar::device(t, e.dev);
        REQUIRE(body);
        auto res = ar::resources(named_buffer(*body, "_CRS"));
        std::vector<std::pair<uint16_t, uint8_t>> io;
        uint16_t irqs = 0;
        bool end = false;
        for (const ar::Resource& r : res) {
            if (r.large) continue;
            if (r.type == 0x08) {  // I/O port: info, min, max, align, length
                REQUIRE(r.data.size() == 7);
                CHECK(le::get16(r.data, 1) == le::get16(r.data, 3));  // fixed at one base
                io.push_back({le::get16(r.data, 1), r.data[6]});
            }
            if (r.type == 0x04) irqs = uint16_t(irqs | le::get16(r.data, 0));
            if (r.type == 0x0f) end = true;
        }
        CHECK(end);
        CHECK(io == e.io);
        CHECK(irqs == e.irq_mask);
    }
    // COM2-COM4 appear only when the board has them.
    CHECK_FALSE(ar::device(t, "COM2"));
    AcpiConfig four = config_for(512ull << 20);
    four.serial_ports = 4;
    auto t4 = build_dsdt(four);
    CHECK(test::sum8(t4) == 0);
    const std::pair<const char*, std::pair<uint16_t, uint16_t>> coms[] = {
        {"COM1", {0x3f8, 1u << 4}}, {"COM2", {0x2f8, 1u << 3}}, {"COM3", {0x3e8, 1u << 4}}, {"COM4", {0x2e8, 1u << 3}}};
    for (const auto& [dev, want] : coms) {
        CAPTURE(dev);
        auto body = ar::device(t4, dev);
        REQUIRE(body);
        CHECK(hid_of(*body) == "PNP0501");
        auto res = ar::resources(named_buffer(*body, "_CRS"));
        REQUIRE(res.size() == 3);
        CHECK(le::get16(res[0].data, 1) == want.first);
        CHECK(res[0].data[6] == 8);
        CHECK(le::get16(res[1].data, 0) == want.second);
    }

    auto hpet = ar::device(t, "HPET");
    auto res = ar::resources(named_buffer(*hpet, "_CRS"));
    REQUIRE(res.size() == 2);
    CHECK(res[0].large);
    CHECK(res[0].type == 0x06);  // 32-bit fixed memory range
    CHECK(le::get32(res[0].data, 1) == 0xfed00000);
    CHECK(le::get32(res[0].data, 5) == 0x400);
}

TEST_CASE("dsdt: PCI0 _CRS windows follow the RAM layout") {
    struct Case {
        uint64_t ram;
        uint64_t hole32, hole64;
    } cases[] = {
        {512ull << 20, 0x20000000, 0x100000000ull},   // 64-bit window at 4 GiB
        {4096ull << 20, 0xc0000000, 0x140000000ull},  // 3 GiB low, 1 GiB high: window at 5 GiB
        {6144ull << 20, 0xc0000000, 0x1c0000000ull},  // 3 GiB high: 7 GiB
    };
    for (const Case& c : cases) {
        CAPTURE(c.ram);
        auto t = build_dsdt(config_for(c.ram));
        CHECK(test::sum8(t) == 0);
        auto pci0 = ar::device(t, "PCI0");
        REQUIRE(pci0);
        std::set<Window> expect = {
            {2, 0, 0xff},                    // buses
            {1, 0, 0xcf7}, {1, 0xd00, 0xffff},
            {0, 0xa0000, 0xbffff},           // VGA
            {0, c.hole32, 0xfebfffff},       // up to the IOAPIC
            {0, c.hole64, c.hole64 + (2ull << 30) - 1},
        };
        CHECK(windows(named_buffer(*pci0, "_CRS")) == expect);
    }
}

TEST_CASE("dsdt: _PRT routes 32 slots x 4 pins as the PIIX wires them") {
    auto t = build_dsdt(config_for(512ull << 20));
    auto pci0 = ar::device(t, "PCI0");
    REQUIRE(pci0);
    ar::Span b = *pci0;
    size_t at = *ar::name_value(b, "_PRT");
    REQUIRE(b[at] == 0x12);  // PackageOp
    size_t used;
    ar::pkg_length(b, at + 1, used);
    at += 1 + used;
    REQUIRE(b[at] == 128);   // NumElements
    ++at;
    for (unsigned i = 0; i < 128; ++i) {
        unsigned slot = i / 4, pin = i % 4;
        CAPTURE(slot);
        CAPTURE(pin);
        REQUIRE(b[at] == 0x12);
        size_t len = ar::pkg_length(b, at + 1, used);
        size_t end = at + 1 + len;
        at += 1 + used;
        REQUIRE(b[at++] == 4);
        CHECK(ar::integer(b, at) == (uint64_t(slot) << 16 | 0xffff));  // any function of the slot
        CHECK(ar::integer(b, at) == pin);
        std::string link = ar::seg(b, at);
        at += 4;
        CHECK(ar::integer(b, at) == 0u);  // source index
        CHECK(at == end);
        // Slot 1 INTA is the PIIX4 PM function's SCI (QEMU's LNKS); every other
        // pin goes to the link of the PIRQ the board raises for it.
        std::string expect = slot == 1 && pin == 0
                                 ? "LNKS"
                                 : std::string("LNK") + char('A' + PciBus::pirq_of(uint8_t(slot << 3), uint8_t(pin + 1)));
        CHECK(link == expect);
    }
    // Spot checks from the i440FX wiring itself: slot 0 INTA -> PIRQD, slot 2 INTA -> PIRQB, slot 3 INTD -> PIRQB.
    CHECK(PciBus::pirq_of(0 << 3, 1) == 3);
    CHECK(PciBus::pirq_of(2 << 3, 1) == 1);
    CHECK(PciBus::pirq_of(3 << 3, 4) == 1);
}

TEST_CASE("dsdt: link devices offer IRQs 5, 10, 11 (level, active high, shared); LNKS is IRQ 9") {
    auto t = build_dsdt(config_for(512ull << 20));
    for (const char* link : {"LNKA", "LNKB", "LNKC", "LNKD", "LNKS"}) {
        CAPTURE(link);
        auto body = ar::device(t, link);
        REQUIRE(body);
        auto res = ar::resources(named_buffer(*body, "_PRS"));
        REQUIRE(res.size() == 2);
        REQUIRE(res[0].large);
        REQUIRE(res[0].type == 0x09);  // extended interrupt
        const auto& d = res[0].data;
        // Flags: consumer (bit 0), level (bit 1 clear), active high (bit 2 clear), shared (bit 3).
        CHECK(d[0] == 0x09);
        std::vector<uint32_t> irqs;
        for (unsigned i = 0; i < d[1]; ++i) irqs.push_back(le::get32(d, 2 + 4 * i));
        CHECK(irqs == (std::string(link) == "LNKS" ? std::vector<uint32_t>{9} : std::vector<uint32_t>{5, 10, 11}));
        CHECK(d.size() == 2 + 4 * irqs.size());
        // _UID 0-4 in order, and the control methods OSPM calls.
        size_t at = *ar::name_value(*body, "_UID");
        CHECK(ar::integer(*body, at) == uint64_t(link[3] == 'S' ? 4 : link[3] - 'A'));
        for (const char* m : {"_CRS", "_SRS", "_DIS"}) {
            const uint8_t method_op = 0x14;
            bool found = false;
            for (size_t i = 0; i + 6 < body->size() && !found; ++i)
                if ((*body)[i] == method_op && ar::seg(*body, i + 2) == m) found = true;
            CHECK_MESSAGE(found, m);
        }
    }
}
