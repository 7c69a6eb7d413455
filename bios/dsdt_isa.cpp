// \_SB.PCI0.ISA: the PIIX3 PCI-to-ISA bridge (00:01.0) and the ISA devices
// machine/pc_board.cpp wires, with the ports and IRQs of the PC/AT
// assignment: the i8042 keyboard (0x60, 0x64, IRQ 1) and its mouse port
// (IRQ 12), COM1 (0x3f8-0x3ff, IRQ 4; COM2-COM4 when the board has them,
// pc::kSerialPorts) and the CMOS RTC (0x70-0x71, IRQ 8).
// The board has no floppy controller or parallel port, so unlike QEMU's DSDT
// there is no FDC0 or LPT1. The PIRQ route registers are declared here, as
// OperationRegion P40C over PCI config 0x60-0x63 of this function.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "bios/aml_code.h"
#include "bios/aml_resources.h"
#include "bios/dsdt.h"

namespace petrel::dsdt {

namespace {
aml::Bytes sta_present() { return aml::method("_STA", 0, false, {aml::return_(aml::integer(0x0f))}); }

aml::Bytes isa_device(const char* name_seg, const char* hid, unsigned uid, const aml::Bytes& resources) {
    using namespace aml;
    return device(name_seg, {name("_HID", eisa_id(hid)), name("_UID", integer(uid)), sta_present(),
                             name("_CRS", buffer(concat({resources, end_tag()})))});
}
}  // namespace

aml::Bytes isa_bridge(const AcpiConfig& cfg) {
    using namespace aml;
    std::vector<Bytes> terms{name("_ADR", integer(0x00010000)), operation_region("P40C", RegionSpace::PciConfig, 0x60, 4)};
    terms.push_back(isa_device("KBD", "PNP0303", 0, concat({io_port(0x60, 1), io_port(0x64, 1), irq_no_flags({1})})));
    terms.push_back(isa_device("MOU", "PNP0F13", 0, irq_no_flags({12})));
    unsigned ports = std::clamp(cfg.serial_ports, 1u, unsigned(std::size(pc::kSerialPorts)));
    for (unsigned i = 0; i < ports; ++i) {
        const pc::SerialPort& p = pc::kSerialPorts[i];
        terms.push_back(isa_device(("COM" + std::to_string(i + 1)).c_str(), "PNP0501", i + 1,
                                   concat({io(p.port, p.port, 0, 8), irq_no_flags({p.irq})})));
    }
    terms.push_back(isa_device("RTC", "PNP0B00", 0, concat({io(0x70, 0x70, 1, 2), irq_no_flags({8})})));
    return device("ISA", terms);
}

aml::Bytes hpet_device() {
    using namespace aml;
    return device("HPET", {name("_HID", eisa_id("PNP0103")), name("_UID", integer(0)), sta_present(),
                           name("_CRS", buffer(concat({memory32_fixed(pc::kHpetBase, 0x400, false), end_tag()})))});
}

}  // namespace petrel::dsdt
