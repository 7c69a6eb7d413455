// The DSDT: \_SB with the host bridge (and ISA bridge inside it), the PCI
// interrupt links and the HPET, then \_S5. Revision 2: 64-bit integers.
#include "bios/dsdt.h"

#include "bios/aml_code.h"

namespace petrel {

std::vector<uint8_t> build_dsdt(const AcpiConfig& cfg) {
    using namespace aml;
    // \_S5: SLP_TYPa, SLP_TYPb, reserved, reserved.
    Bytes s5 = name("\\_S5", package({integer(pc::kAcpiSlpTypS5), integer(pc::kAcpiSlpTypS5), integer(0), integer(0)}));
    // PCI0 comes first: the link devices' field names the region inside it.
    std::vector<Bytes> sb{dsdt::pci_host_bridge(cfg), dsdt::pci_interrupt_links(cfg)};
    if (cfg.hpet) sb.push_back(dsdt::hpet_device());
    std::vector<uint8_t> t = acpi_table_header("DSDT", 2, "PETRLDSD");
    Bytes body = concat({scope("\\_SB", sb), s5});
    t.insert(t.end(), body.begin(), body.end());
    return acpi_table_finish(std::move(t));
}

}  // namespace petrel
