// \_SB.PCI0: the i440FX host bridge. _CRS lists what the bridge forwards to
// PCI (QEMU's windows): buses 0-255, the config ports 0xcf8-0xcff as a
// consumed range, I/O 0-0xcf7 and 0xd00-0xffff, the VGA window, the 32-bit
// hole from the end of low RAM to below the IOAPIC and, as on QEMU, a 64-bit
// window of 2 GiB at the first 1 GiB boundary above RAM.
#include <string>
#include <vector>

#include "bios/aml_code.h"
#include "bios/aml_resources.h"
#include "bios/dsdt.h"

namespace petrel::dsdt {

namespace {
constexpr uint64_t k4G = 1ull << 32, k1G = 1ull << 30;
constexpr uint64_t kPciHole64Size = 2 * k1G;  // QEMU's i440FX default (pci-hole64-size)
}  // namespace

aml::Bytes pci_host_bridge_resources(const AcpiConfig& cfg) {
    using namespace aml;
    std::vector<Bytes> r{word_bus_number(0, 0xff), io_port(0xcf8, 8), word_io(0x0000, 0x0cf7), word_io(0x0d00, 0xffff),
                         dword_memory(0xa0000, 0xbffff, true)};
    if (cfg.pci_hole_start < pc::kIoApicBase) r.push_back(dword_memory(cfg.pci_hole_start, pc::kIoApicBase - 1, false));
    if (cfg.pci_hole64) {
        uint64_t start = (k4G + cfg.above_4g + k1G - 1) & ~(k1G - 1);
        r.push_back(qword_memory(start, start + kPciHole64Size - 1, false));
    }
    r.push_back(end_tag());
    return concat(r);
}

aml::Bytes pci_routing_table() {
    using namespace aml;
    static const char* const kLinks[4] = {"LNKA", "LNKB", "LNKC", "LNKD"};
    std::vector<Bytes> entries;
    for (unsigned slot = 0; slot < 32; ++slot)
        for (unsigned pin = 0; pin < 4; ++pin) {
            const char* link = slot == kSciLinkSlot && pin == 0 ? "LNKS" : kLinks[pirq_of_slot(slot, pin)];
            // Address (device in the high word, any function), pin, source, source index.
            entries.push_back(package({integer(uint64_t(slot) << 16 | 0xffff), integer(pin), name_ref(link), integer(0)}));
        }
    return name("_PRT", package(entries));
}

aml::Bytes pci_host_bridge(const AcpiConfig& cfg) {
    using namespace aml;
    return device("PCI0", {name("_HID", eisa_id("PNP0A03")), name("_ADR", integer(0)), name("_BBN", integer(0)),
                           name("_UID", integer(0)), name("_CRS", buffer(pci_host_bridge_resources(cfg))),
                           pci_routing_table(), isa_bridge(cfg)});
}

}  // namespace petrel::dsdt
