// PIIX3 ISA bridge: PIRQ routing registers and the reset control register.
// See piix3.h.
#include "devices/pci/piix3.h"

#include "devices/isa_irq_router.h"

namespace petrel {

namespace {

// Reset values of the PIIX3 registers a BIOS programs (82371SB datasheet,
// function 0 configuration space); all are plain storage here.
struct InitReg {
    uint8_t offset;
    uint8_t value;
    uint8_t wmask;
};
constexpr InitReg kInitRegs[] = {
    {0x4c, 0x4d, 0xff},                                         // IORT: ISA I/O recovery timer
    {0x4e, 0x03, 0xff}, {0x4f, 0x00, 0xff},                     // XBCS: X-bus chip select
    {0x60, 0x80, 0x8f}, {0x61, 0x80, 0x8f}, {0x62, 0x80, 0x8f}, {0x63, 0x80, 0x8f},  // PIRQRC[A:D]
    {0x69, 0x02, 0xff},                                         // TOM: top of memory
    {0x6a, 0x00, 0xff}, {0x6b, 0x00, 0xff},                     // MSTAT
    {0x70, 0x80, 0xff}, {0x71, 0x80, 0xff},                     // MBIRQ0/1
    {0x76, 0x0c, 0xff}, {0x77, 0x0c, 0xff},                     // MBDMA0/1
    {0x78, 0x02, 0xff}, {0x79, 0x00, 0xff},                     // PCSC
    {0x80, 0x00, 0xff},                                         // APICBASE
    {0x82, 0x00, 0xff},                                         // DLC
    {0xa0, 0x08, 0xff}, {0xa2, 0x00, 0xff}, {0xa3, 0x00, 0xff}, // SMICNTL, SMIEN
    {0xa4, 0x00, 0xff}, {0xa5, 0x00, 0xff}, {0xa6, 0x00, 0xff}, {0xa7, 0x00, 0xff},  // SEE
    {0xa8, 0x0f, 0xff},                                         // FTMR
    {0xaa, 0x00, 0xff}, {0xab, 0x00, 0xff},                     // SMIREQ
    {0xac, 0x00, 0xff}, {0xae, 0x00, 0xff},                     // CTLTMR, CTHTMR
};

constexpr uint8_t kRcrSysRst = 1u << 1, kRcrRstCpu = 1u << 2;

}  // namespace

Piix3::Piix3(IsaIrqRouter* router)
    : PciDevice(0x8086, 0x7000, 0x00, 0x060100, pci_reg::kHeaderMultiFunction), router_(router) {
    for (const InitReg& r : kInitRegs) init_reg(r.offset, 1, r.value, r.wmask);
    push_routes();
}

void Piix3::reset() {
    PciDevice::reset();
    state_ = Piix3State{};
    push_routes();
}

void Piix3::push_routes() {
    if (!router_) return;
    for (unsigned p = 0; p < 4; ++p) router_->set_pirq_route(p, pirq_route(p));
}

void Piix3::config_written(unsigned offset, unsigned size) {
    if (offset < kPirqRoute + 4 && offset + size > kPirqRoute) push_routes();
}

uint64_t Piix3::RcrIo::io_read(uint64_t, unsigned size) { return piix.state_.rcr & all_ones(size); }

void Piix3::RcrIo::io_write(uint64_t, uint64_t value, unsigned) {
    uint8_t v = uint8_t(value);
    if (v & kRcrRstCpu) {
        if (piix.on_reset) piix.on_reset(v & kRcrSysRst);
        return;
    }
    piix.state_.rcr = v & kRcrSysRst;
}

}  // namespace petrel
