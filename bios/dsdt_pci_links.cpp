// PCI interrupt link devices (ACPI 6.x 6.2.13, PNP0C0F) for the PIIX3's
// PIRQA#-D#, as QEMU's pc DSDT has them. Each link reads and writes its
// route register PIRQRC[A-D] (PIIX3 config 0x60-0x63: bit 7 disables the
// route, bits 3:0 hold the ISA IRQ; devices/pci/piix3.h) through the field
// PRQ0-PRQ3 over \_SB.PCI0.ISA.P40C:
//   _STA  0x0b (present, enabled, functioning) or 0x09 when bit 7 is set
//   _CRS  Interrupt(level, active high, shared) {route & 0x0f}, IRQ 0 if off
//   _PRS  {5, 10, 11}, the IRQs QEMU offers (SeaBIOS programs 10, 10, 11, 11)
//   _SRS  writes the chosen IRQ; _DIS sets bit 7
// LNKS stands for the SCI (IRQ 9, fixed) that the PIIX4 PM function raises.
#include <string>

#include "bios/aml_code.h"
#include "bios/aml_resources.h"
#include "bios/dsdt.h"

namespace petrel::dsdt {

namespace {
constexpr aml::InterruptFlags kLevelHighShared{true, true, true};

aml::Bytes link_device(unsigned n) {
    using namespace aml;
    const std::string dev = std::string("LNK") + char('A' + n), prq = "PRQ" + std::to_string(n);
    return device(dev, {
        name("_HID", eisa_id("PNP0C0F")),
        name("_UID", integer(n)),
        name("_PRS", buffer(concat({interrupt(kLevelHighShared, {5, 10, 11}), end_tag()}))),
        method("_STA", 0, false, {return_(call("IQST", {name_ref(prq)}))}),
        method("_DIS", 0, false, {or_(name_ref(prq), integer(0x80), name_ref(prq))}),
        method("_CRS", 0, false, {return_(call("IQCR", {name_ref(prq)}))}),
        method("_SRS", 1, false, {create_dword_field(arg(0), integer(kInterruptFirstIrqOffset), "PRRI"),
                                  store(name_ref("PRRI"), name_ref(prq))}),
    });
}

aml::Bytes sci_link() {
    using namespace aml;
    Bytes sci = buffer(concat({interrupt(kLevelHighShared, {pc::kAcpiSciIrq}), end_tag()}));
    return device("LNKS", {
        name("_HID", eisa_id("PNP0C0F")),
        name("_UID", integer(4)),
        name("_STA", integer(0x0b)),
        name("_PRS", sci),
        method("_SRS", 1, false, {}),
        method("_DIS", 0, false, {}),
        method("_CRS", 0, false, {return_(sci)}),
    });
}
}  // namespace

aml::Bytes pci_interrupt_links(const AcpiConfig&) {
    using namespace aml;
    Bytes field = field_byte_acc("PCI0.ISA.P40C", {{"PRQ0", 8}, {"PRQ1", 8}, {"PRQ2", 8}, {"PRQ3", 8}});
    // IQST(route): the link's _STA.
    Bytes iqst = method("IQST", 1, false, {if_(and_(integer(0x80), arg(0), no_target()), {return_(integer(0x09))}),
                                           return_(integer(0x0b))});
    // IQCR(route): the link's _CRS, a fresh buffer per call (hence Serialized).
    Bytes iqcr = method("IQCR", 1, true, {
        name("PRR0", buffer(concat({interrupt(kLevelHighShared, {0}), end_tag()}))),
        create_dword_field(name_ref("PRR0"), integer(kInterruptFirstIrqOffset), "PRRI"),
        if_(lless(arg(0), integer(0x80)), {store(and_(arg(0), integer(0x0f), no_target()), name_ref("PRRI"))}),
        return_(name_ref("PRR0")),
    });
    return concat({field, iqst, iqcr, link_device(0), link_device(1), link_device(2), link_device(3), sci_link()});
}

}  // namespace petrel::dsdt
