// ISA IRQ fan-out to the 8259 and I/O APIC inputs (IRQ0 -> GSI 2), PIRQ
// route registers, and wired OR of shared lines.
#include <doctest/doctest.h>

#include "devices/isa_irq_router.h"
#include "tests/unit/devices/device_fakes.h"

using namespace petrel;

namespace {

struct RouterFixture {
    test::RecordingSink pic, ioapic;
    IsaIrqRouter router{&pic, &ioapic};
};

}  // namespace

TEST_CASE_FIXTURE(RouterFixture, "router: ISA IRQ n reaches PIC n and IOAPIC n, IRQ0 reaches IOAPIC 2") {
    router.set_irq(0, true);
    CHECK(pic.level[0]);
    CHECK(ioapic.level[2]);
    CHECK_FALSE(ioapic.level[0]);
    router.set_irq(0, false);
    CHECK_FALSE(ioapic.level[2]);
    for (unsigned irq : {1u, 3u, 4u, 8u, 12u, 14u, 15u}) {
        router.set_irq(irq, true);
        CHECK(pic.level[irq]);
        CHECK(ioapic.level[irq]);
        router.set_irq(irq, false);
        CHECK_FALSE(pic.level[irq]);
    }
    // Pulses are passed through as two transitions (edge devices).
    router.set_irq(4, true);
    router.set_irq(4, false);
    CHECK(pic.rises[4] == 2);
    CHECK(ioapic.rises[4] == 2);
    router.set_irq(16, true);  // no such ISA IRQ
    router.set_irq(2, true);   // the cascade: reaches no IOAPIC pin
    CHECK_FALSE(ioapic.level[2]);
}

TEST_CASE_FIXTURE(RouterFixture, "router: PIRQ routing follows the PIIX3 registers") {
    CHECK(IsaIrqRouter::routed_irq(0x80) == -1);
    CHECK(IsaIrqRouter::routed_irq(0x8b) == -1);
    CHECK(IsaIrqRouter::routed_irq(0x0b) == 11);
    for (uint8_t reserved : {0, 1, 2, 8, 13}) CHECK(IsaIrqRouter::routed_irq(reserved) == -1);
    for (uint8_t ok : {3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15}) CHECK(IsaIrqRouter::routed_irq(ok) == ok);

    router.pirq_sink().set_irq(0, true);  // PIRQA asserted, routing disabled
    for (unsigned i = 0; i < 16; ++i) CHECK_FALSE(pic.level[i]);
    router.set_pirq_route(0, 0x0b);
    CHECK(pic.level[11]);
    CHECK(ioapic.level[11]);
    router.set_pirq_route(0, 0x0a);
    CHECK_FALSE(pic.level[11]);
    CHECK(pic.level[10]);
    router.pirq_sink().set_irq(0, false);
    CHECK_FALSE(pic.level[10]);
    router.set_pirq_route(1, 0x02);  // reserved encoding: not routed
    router.pirq_sink().set_irq(1, true);
    CHECK_FALSE(pic.level[2]);
    router.pirq_sink().set_irq(9, true);  // no such PIRQ
    router.set_pirq_route(7, 0x05);
}

TEST_CASE_FIXTURE(RouterFixture, "router: shared lines are a wired OR") {
    router.set_pirq_route(0, 0x0a);
    router.set_pirq_route(1, 0x0a);
    router.pirq_sink().set_irq(0, true);
    router.pirq_sink().set_irq(1, true);
    router.pirq_sink().set_irq(0, false);
    CHECK(pic.level[10]);
    router.set_irq(10, true);  // an ISA device on the same IRQ
    router.pirq_sink().set_irq(1, false);
    CHECK(pic.level[10]);
    router.set_irq(10, false);
    CHECK_FALSE(pic.level[10]);
    CHECK(pic.rises[10] == 1);  // one continuous assertion
}
