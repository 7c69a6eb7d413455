// Local APIC at the register level on a Manual clock: identity registers,
// TPR/PPR masking, ISR nesting and EOI, level EOI broadcast, ExtINT virtual
// wire, timer one-shot/periodic/TSC-deadline against virtual time, IPIs,
// IA32_APIC_BASE.
#include <doctest/doctest.h>

#include <vector>

#include "devices/lapic.h"
#include "devices/tsc.h"

using namespace petrel;

namespace {

// The 8259 pair as the APIC sees it: INTR level and a fixed INTA vector.
struct FakePic : ExtIntSource {
    bool intr = false;
    uint8_t vector = 0x20;
    int acks = 0;
    bool intr_pending() override { return intr; }
    uint8_t inta() override { ++acks; intr = false; return vector; }
};

// Register offsets (SDM vol 3, table "Local APIC Register Address Map").
constexpr unsigned ID = 0x20, VER = 0x30, TPR = 0x80, APR = 0x90, PPR = 0xa0, EOI = 0xb0, LDR = 0xd0,
                   DFR = 0xe0, SVR = 0xf0, ISR = 0x100, TMR = 0x180, IRR = 0x200, ESR = 0x280,
                   ICR_LO = 0x300, ICR_HI = 0x310, LVT_TIMER = 0x320, LVT_LINT0 = 0x350, LVT_LINT1 = 0x360,
                   LVT_ERROR = 0x370, TMICT = 0x380, TMCCT = 0x390, TDCR = 0x3e0;

struct LapicFixture {
    Clock clock{ClockMode::Manual};
    FakePic pic;
    Lapic apic{clock, 0, true, &pic};
    std::vector<uint8_t> eois;
    std::vector<ApicMessage> ipis;
    int kicks = 0;
    LapicFixture() {
        apic.on_eoi_broadcast = [this](uint8_t v) { eois.push_back(v); };
        apic.on_ipi = [this](const ApicMessage& m) { ipis.push_back(m); };
        apic.on_kick = [this] { ++kicks; };
    }
    uint32_t rd(unsigned off) { return uint32_t(apic.io_read(off, 4)); }
    void wr(unsigned off, uint32_t v) { apic.io_write(off, v, 4); }
    void enable() { wr(SVR, 0x1ff); }
    void fixed(uint8_t v, bool level = false) {
        ApicMessage m;
        m.vector = v;
        m.level_triggered = level;
        apic.receive(m);
    }
    bool irr(uint8_t v) { return rd(IRR + (v / 32) * 0x10) & (1u << (v % 32)); }
    bool isr(uint8_t v) { return rd(ISR + (v / 32) * 0x10) & (1u << (v % 32)); }
    void step(uint64_t ns) { clock.advance(ns); clock.run_expired(); }
};

}  // namespace

TEST_CASE_FIXTURE(LapicFixture, "lapic: reset values") {
    CHECK(rd(VER) == 0x00050014);
    CHECK(rd(ID) == 0);
    CHECK(rd(SVR) == 0xff);                 // spurious vector 0xff, software-disabled
    CHECK(rd(DFR) == 0xffffffff);           // flat model
    for (unsigned off = LVT_TIMER; off <= LVT_ERROR; off += 0x10) CHECK(rd(off) == 0x00010000);
    CHECK(apic.apic_base() == (0xfee00000ull | 0x900));  // base, EN, BSP
    CHECK(rd(TMICT) == 0);
    CHECK(rd(TMCCT) == 0);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: register write masks") {
    wr(ID, 0xffffffff);
    CHECK(rd(ID) == 0xff000000);
    wr(LDR, 0xffffffff);
    CHECK(rd(LDR) == 0xff000000);
    wr(DFR, 0);
    CHECK(rd(DFR) == 0x0fffffff);  // cluster model; reserved bits read 1
    wr(VER, 0);
    CHECK(rd(VER) == 0x00050014);
    // Software-disabled: LVT mask bits stay set.
    wr(LVT_LINT0, 0x700);
    CHECK(rd(LVT_LINT0) == 0x10700);
    enable();
    wr(LVT_LINT0, 0xffffffff);
    CHECK(rd(LVT_LINT0) == 0x0001a7ff);  // remote IRR (14), delivery status (12) read-only
    wr(LVT_ERROR, 0xffffffff);
    CHECK(rd(LVT_ERROR) == 0x000100ff);
    // Clearing the enable bit masks every LVT again.
    wr(LVT_LINT0, 0x700);
    wr(SVR, 0xff);
    CHECK(rd(LVT_LINT0) == 0x10700);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: narrow reads see byte lanes, narrow writes are dropped") {
    wr(ID, 0x12000000);
    CHECK(apic.io_read(ID + 3, 1) == 0x12);
    CHECK(apic.io_read(ID + 2, 2) == 0x1200);
    CHECK(apic.io_read(ID + 4, 4) == 0);
    apic.io_write(ID, 0x34000000, 2);
    CHECK(rd(ID) == 0x12000000);
    apic.io_write(0x5000, 1, 4);  // outside the page: ignored, no crash
    CHECK(apic.io_read(0x5000, 4) == 0xffffffff);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: fixed interrupt is delivered and moves IRR to ISR") {
    enable();
    fixed(0x41);
    CHECK(irr(0x41));
    REQUIRE(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x41);
    CHECK_FALSE(irr(0x41));
    CHECK(isr(0x41));
    CHECK(rd(PPR) == 0x40);
    CHECK_FALSE(apic.has_interrupt());
    wr(EOI, 0);
    CHECK_FALSE(isr(0x41));
    CHECK(rd(PPR) == 0x00);
    CHECK(eois.empty());  // edge-triggered: no EOI broadcast
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: software-disabled APIC holds fixed interrupts in IRR") {
    fixed(0x50);
    CHECK(irr(0x50));
    CHECK_FALSE(apic.has_interrupt());
    enable();
    CHECK(apic.has_interrupt());
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: TPR masks interrupts of its priority class and below") {
    enable();
    wr(TPR, 0x50);
    CHECK(rd(PPR) == 0x50);
    fixed(0x55);
    CHECK_FALSE(apic.has_interrupt());  // class 5 is not above TPR class 5
    fixed(0x61);
    CHECK(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x61);
    CHECK_FALSE(apic.has_interrupt());
    wr(EOI, 0);
    wr(TPR, 0x40);
    CHECK(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x55);
    // CR8 is TPR[7:4].
    apic.set_tpr(0x9);
    CHECK(rd(TPR) == 0x90);
    CHECK(apic.tpr() == 0x9);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: PPR and APR follow TPR, ISR and IRR") {
    enable();
    wr(TPR, 0x32);
    fixed(0x45);
    CHECK(apic.acknowledge() == 0x45);
    CHECK(rd(PPR) == 0x40);  // ISR class above TPR class: PPR = ISRV[7:4], low nibble 0
    wr(TPR, 0x47);
    CHECK(rd(PPR) == 0x47);  // TPR class >= ISR class: PPR = TPR
    wr(EOI, 0);
    wr(TPR, 0x32);
    CHECK(rd(APR) == 0x32);  // nothing pending above: APR = TPR
    fixed(0x71);
    CHECK(rd(APR) == 0x70);  // IRR class above TPR: the highest class, low nibble 0
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: nested ISR and EOI clears the highest in-service vector") {
    enable();
    fixed(0x30);
    CHECK(apic.acknowledge() == 0x30);
    fixed(0x80);  // higher class preempts
    REQUIRE(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x80);
    fixed(0x31);  // same class as the in-service 0x30: must wait
    CHECK_FALSE(apic.has_interrupt());
    CHECK(isr(0x30));
    CHECK(isr(0x80));
    wr(EOI, 0);  // ends 0x80
    CHECK_FALSE(isr(0x80));
    CHECK(isr(0x30));
    CHECK_FALSE(apic.has_interrupt());  // 0x31 is still blocked by 0x30
    wr(EOI, 0);  // ends 0x30
    CHECK_FALSE(isr(0x30));
    CHECK(apic.acknowledge() == 0x31);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: EOI of a level-triggered vector broadcasts to the IOAPIC") {
    enable();
    fixed(0x61, true);
    CHECK((rd(TMR + 0x30) & (1u << 1)) != 0);  // vector 0x61: TMR word 3, bit 1
    CHECK(apic.acknowledge() == 0x61);
    wr(EOI, 0);
    REQUIRE(eois.size() == 1);
    CHECK(eois[0] == 0x61);
    fixed(0x61, false);  // an edge acceptance clears the TMR bit again
    CHECK((rd(TMR + 0x30) & (1u << 1)) == 0);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: illegal vectors are refused and latched in ESR") {
    enable();
    fixed(0x05);
    CHECK_FALSE(irr(0x05));
    CHECK(rd(ESR) == 0);       // not visible until ESR is written
    wr(ESR, 0);
    CHECK(rd(ESR) == 0x40);    // receive illegal vector
    wr(ICR_LO, 0x00040003);    // self IPI, vector 3
    wr(ESR, 0);
    CHECK(rd(ESR) == 0x20);    // send illegal vector
    wr(ESR, 0);
    CHECK(rd(ESR) == 0);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: error LVT delivers its vector") {
    enable();
    wr(LVT_ERROR, 0xfe);
    fixed(0x01);
    CHECK(irr(0xfe));
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: spurious vector when nothing is pending at INTA") {
    enable();
    wr(SVR, 0x1ef);
    CHECK(apic.acknowledge() == 0xef);
    CHECK(rd(ISR + 0x70) == 0);  // spurious never enters ISR
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: ExtINT pass-through while disabled and through LINT0") {
    // Software-disabled (reset state): virtual wire, the 8259 reaches the CPU.
    pic.intr = true;
    CHECK(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x20);
    CHECK(pic.acks == 1);
    // Enabled with LINT0 masked: the 8259 is cut off.
    enable();
    pic.intr = true;
    CHECK_FALSE(apic.has_interrupt());
    // LINT0 in ExtINT mode (what SeaBIOS and Linux program on the BSP).
    wr(LVT_LINT0, 0x700);
    CHECK(apic.has_interrupt());
    pic.vector = 0x28;
    CHECK(apic.acknowledge() == 0x28);
    CHECK(rd(ISR + 0x10) == 0);  // the vector came from the 8259: nothing in ISR
    pic.intr = false;
    CHECK_FALSE(apic.has_interrupt());
    // Globally disabled: the pin is a plain wire again.
    apic.set_apic_base(0xfee00000);
    pic.intr = true;
    CHECK(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x28);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: APIC interrupts win over ExtINT; IOAPIC ExtINT message") {
    enable();
    wr(LVT_LINT0, 0x700);
    pic.intr = true;
    fixed(0x90);
    CHECK(apic.acknowledge() == 0x90);
    CHECK(apic.acknowledge() == 0x20);
    // LINT0 masked but an ExtINT message arrives (IOAPIC pin in ExtINT mode).
    wr(LVT_LINT0, 0x10700);
    pic.intr = true;
    CHECK_FALSE(apic.has_interrupt());
    ApicMessage m;
    m.mode = ApicDelivery::ExtInt;
    apic.receive(m);
    CHECK(apic.has_interrupt());
    CHECK(apic.acknowledge() == 0x20);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: LINT1 NMI and LINT0 fixed edge") {
    enable();
    wr(LVT_LINT1, 0x400);  // NMI
    apic.set_irq(1, true);
    CHECK(apic.has_nmi());
    apic.acknowledge_nmi();
    CHECK_FALSE(apic.has_nmi());
    apic.set_irq(1, true);  // no new edge
    CHECK_FALSE(apic.has_nmi());
    wr(LVT_LINT0, 0x33);  // fixed, edge, vector 0x33
    apic.set_irq(0, true);
    CHECK(irr(0x33));
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: one-shot timer counts down with virtual time") {
    enable();
    wr(TDCR, 0x3);              // divide by 16
    wr(LVT_TIMER, 0x40);        // one-shot, vector 0x40
    wr(TMICT, 1000);
    CHECK(rd(TMCCT) == 1000);
    // 1 GHz bus / 16: one count per 16 ns.
    clock.advance(16 * 250);
    CHECK(rd(TMCCT) == 750);
    step(16 * 749);
    CHECK(rd(TMCCT) == 1);
    CHECK_FALSE(irr(0x40));
    step(16);
    CHECK(rd(TMCCT) == 0);
    CHECK(irr(0x40));
    CHECK(apic.acknowledge() == 0x40);
    wr(EOI, 0);
    step(16 * 5000);
    CHECK(rd(TMCCT) == 0);       // one-shot stays at zero
    CHECK_FALSE(irr(0x40));
    CHECK(rd(TMICT) == 1000);    // initial count reads back
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: divide configuration encodings") {
    enable();
    wr(LVT_TIMER, 0x10040);  // masked
    const struct { uint32_t dcr; unsigned divide; } cases[] = {
        {0x0, 2}, {0x1, 4}, {0x2, 8}, {0x3, 16}, {0x8, 32}, {0x9, 64}, {0xa, 128}, {0xb, 1},
    };
    for (auto c : cases) {
        wr(TDCR, c.dcr);
        wr(TMICT, 100000);
        clock.advance(uint64_t(c.divide) * 10);
        CHECK(rd(TMCCT) == 100000 - 10);
    }
    wr(TDCR, 0xffffffff);
    CHECK(rd(TDCR) == 0xb);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: periodic timer reloads and interrupts every period") {
    enable();
    wr(TDCR, 0xb);              // divide by 1: 1 ns per count
    wr(LVT_TIMER, 0x20000 | 0x41);
    wr(TMICT, 1000);
    int interrupts = 0;
    for (int i = 0; i < 5; ++i) {
        step(1000);
        if (irr(0x41)) {
            ++interrupts;
            CHECK(apic.acknowledge() == 0x41);
            wr(EOI, 0);
        }
        CHECK(rd(TMCCT) == 1000);  // just reloaded
    }
    CHECK(interrupts == 5);
    clock.advance(300);
    CHECK(rd(TMCCT) == 700);
    // Masking stops the interrupts, not the count.
    wr(LVT_TIMER, 0x30041);
    step(1000);
    CHECK(rd(TMCCT) == 700);
    CHECK_FALSE(irr(0x41));
    // Writing 0 stops the timer.
    wr(TMICT, 0);
    CHECK(rd(TMCCT) == 0);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: changing the divider mid-count keeps the current count") {
    enable();
    wr(TDCR, 0xb);
    wr(LVT_TIMER, 0x42);
    wr(TMICT, 1000);
    clock.advance(400);
    CHECK(rd(TMCCT) == 600);
    wr(TDCR, 0x0);  // divide by 2 from here
    CHECK(rd(TMCCT) == 600);
    step(1198);
    CHECK(rd(TMCCT) == 1);
    CHECK_FALSE(irr(0x42));
    step(2);
    CHECK(irr(0x42));
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: TSC-deadline mode") {
    enable();
    CHECK(tsc::kHz == 2'000'000'000);
    apic.set_tsc_deadline(1000);  // ignored outside deadline mode
    CHECK(apic.tsc_deadline() == 0);
    wr(LVT_TIMER, 0x40000 | 0x43);
    wr(TMICT, 500);               // initial count is ignored in deadline mode
    CHECK(rd(TMICT) == 0);
    uint64_t now_tsc = tsc::from_ns(clock.now_ns());
    apic.set_tsc_deadline(now_tsc + 2000);  // 2000 ticks at 2 GHz = 1000 ns
    CHECK(apic.tsc_deadline() == now_tsc + 2000);
    step(999);
    CHECK_FALSE(irr(0x43));
    step(1);
    CHECK(irr(0x43));
    CHECK(apic.tsc_deadline() == 0);  // cleared when it fires
    CHECK(apic.acknowledge() == 0x43);
    wr(EOI, 0);
    // A deadline already in the past fires at once; 0 disarms.
    apic.set_tsc_deadline(1);
    CHECK(irr(0x43));
    CHECK(apic.acknowledge() == 0x43);
    wr(EOI, 0);
    apic.set_tsc_deadline(tsc::from_ns(clock.now_ns()) + 100);
    apic.set_tsc_deadline(0);
    step(1000);
    CHECK_FALSE(irr(0x43));
    // The guest TSC offset (IA32_TSC writes) shifts the deadline.
    apic.tsc_offset = [] { return uint64_t(1'000'000); };
    apic.set_tsc_deadline(tsc::from_ns(clock.now_ns()) + 1'000'000 + 200);
    step(99);
    CHECK_FALSE(irr(0x43));
    step(1);
    CHECK(irr(0x43));
    // Leaving deadline mode disarms.
    apic.set_tsc_deadline(tsc::from_ns(clock.now_ns()) + 1'000'000 + 200);
    wr(LVT_TIMER, 0x43);
    CHECK(apic.tsc_deadline() == 0);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: IPIs — self, physical to another APIC, broadcast") {
    enable();
    wr(ICR_HI, 0);
    wr(ICR_LO, 0x00040055);  // shorthand self, fixed 0x55
    CHECK(irr(0x55));
    CHECK(ipis.empty());
    CHECK((rd(ICR_LO) & 0x1000) == 0);  // delivery status idle
    wr(ICR_HI, 0x03000000);
    wr(ICR_LO, 0x00004500);  // INIT assert to APIC 3
    REQUIRE(ipis.size() == 1);
    CHECK(ipis[0].mode == ApicDelivery::Init);
    CHECK(ipis[0].dest == 3);
    CHECK(ipis[0].source_id == 0);
    wr(ICR_HI, 0x03000000);
    wr(ICR_LO, 0x00000699);  // SIPI vector 0x99 to APIC 3
    REQUIRE(ipis.size() == 2);
    CHECK(ipis[1].mode == ApicDelivery::StartUp);
    CHECK(ipis[1].vector == 0x99);
    wr(ICR_LO, 0x000c0066);  // all excluding self
    CHECK_FALSE(irr(0x66));
    CHECK(ipis.size() == 3);
    wr(ICR_LO, 0x00080067);  // all including self
    CHECK(irr(0x67));
    CHECK(ipis.size() == 4);
    wr(ICR_LO, 0x00000400);  // NMI to APIC 3 (ICR_HI unchanged)
    CHECK_FALSE(apic.has_nmi());
    wr(ICR_HI, 0);
    wr(ICR_LO, 0x00000400);  // NMI to ourselves by physical ID
    CHECK(apic.has_nmi());
    CHECK(ipis.size() == 5);  // an IPI to our own ID stays local
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: logical destinations, flat and cluster") {
    wr(LDR, 0x04000000);
    CHECK(apic.matches(0x04, true));
    CHECK(apic.matches(0x05, true));
    CHECK_FALSE(apic.matches(0x02, true));
    CHECK(apic.matches(0xff, true));
    wr(DFR, 0x0fffffff);  // cluster
    wr(LDR, 0x21000000);  // cluster 2, member bit 0
    CHECK(apic.matches(0x21, true));
    CHECK(apic.matches(0x23, true));
    CHECK_FALSE(apic.matches(0x31, true));
    CHECK(apic.matches(0x00, false));
    CHECK(apic.matches(0xff, false));
    CHECK_FALSE(apic.matches(0x01, false));
    ApicMessage m;
    m.vector = 0x70;
    m.dest = 1;  // physical 1: not us
    enable();
    apic.receive(m);
    CHECK_FALSE(irr(0x70));
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: IA32_APIC_BASE relocation, BSP bit and global disable") {
    uint64_t moved = 0;
    apic.on_base_change = [&](uint64_t b) { moved = b; };
    enable();
    wr(TPR, 0x20);
    apic.set_apic_base(0xfed00000 | 0x800);  // BSP bit is not writable... but stays set
    CHECK(moved == 0xfed00000);
    CHECK(apic.apic_base() == (0xfed00000ull | 0x900));
    CHECK(rd(TPR) == 0x20);
    apic.set_apic_base(0xfed00000);  // global disable
    CHECK_FALSE(apic.globally_enabled());
    CHECK(apic.io_read(TPR, 4) == 0xffffffff);  // the page no longer answers
    apic.set_apic_base(0xfed00000 | 0x800);
    CHECK(rd(TPR) == 0);       // back in power-up state
    CHECK(rd(SVR) == 0xff);
    // INIT keeps the ID and the base, resets the rest.
    wr(ID, 0x07000000);
    wr(TPR, 0x30);
    apic.init_reset();
    CHECK(rd(ID) == 0x07000000);
    CHECK(rd(TPR) == 0);
    CHECK(apic.apic_base() == (0xfed00000ull | 0x900));
    Lapic ap(clock, 1, false);
    CHECK(ap.apic_base() == (0xfee00000ull | 0x800));
    CHECK(ap.io_read(ID, 4) == 0x01000000);
}

TEST_CASE_FIXTURE(LapicFixture, "lapic: random guest writes never break the host") {
    uint64_t x = 0x9e3779b97f4a7c15ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int i = 0; i < 200000; ++i) {
        uint64_t r = next();
        unsigned off = unsigned(r & 0x1fff);
        unsigned size = 1u << ((r >> 16) & 3);
        if (r & (1ull << 20)) apic.io_write(off, next(), size);
        else (void)apic.io_read(off, size);
        if ((r & 0xff00000) == 0) step(next() & 0xffff);
        if ((r & 0x3f000000) == 0 && apic.has_interrupt()) (void)apic.acknowledge();
        if ((r >> 52) == 1) apic.set_apic_base(next() & (Lapic::kBaseAddrMask | Lapic::kBaseEnable));
        if ((r & 0xf0000000000ull) == 0) apic.set_tsc_deadline(next() & 0xffffffffff);
    }
    CHECK(rd(VER) == 0x00050014);
}
