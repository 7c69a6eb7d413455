// Paging: #PF error codes and CR2, accessed/dirty bits, reserved bits, NX,
// WP, SMEP/SMAP, PAE PDPTE loading, 1 GiB pages, A20 and the TLB.
#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;

namespace {

struct Paging32 : SysFixture {
    static constexpr uint64_t kPd = 0x20000, kPt = 0x21000;
    // 32-bit paging: 0-4 MiB through one page table, identity for 4K pages.
    Paging32() {
        protected32();
        wr(kPd, kPt | 7, 4);
        for (unsigned i = 0; i < 1024; ++i) wr(kPt + i * 4, (uint64_t{i} << 12) | 7, 4);
        cpu.write_cr(3, kPd);
        cpu.write_cr(0, cpu.s.cr0 | kCR0_PG | kCR0_WP);
    }
    void pte(uint64_t lin, uint64_t v) {
        wr(kPt + ((lin >> 12) & 0x3ff) * 4, v, 4);
        cpu.tlb_flush_page(lin);
    }
    // Returns the #PF error code (or -1 when the access succeeds).
    int64_t pf(uint64_t lin, Access a, bool user) {
        try {
            cpu.translate(lin, a, user);
        } catch (const CpuFault& f) {
            CHECK(f.vector == kVecPF);
            CHECK(cpu.s.cr2 == lin);
            return f.error;
        }
        return -1;
    }
};

}  // namespace

TEST_CASE_FIXTURE(Paging32, "#PF error codes: not present, protection, user, write") {
    pte(0x50000, 0);
    CHECK(pf(0x50123, Access::Read, false) == 0);
    CHECK(pf(0x50123, Access::Write, true) == 6);
    pte(0x51000, 0x51000 | 5);  // user, read-only
    CHECK(pf(0x51000, Access::Write, true) == 7);
    CHECK(pf(0x51000, Access::Write, false) == 3);  // CR0.WP: supervisor too
    cpu.write_cr(0, cpu.s.cr0 & ~kCR0_WP);
    CHECK(pf(0x51000, Access::Write, false) == -1);
    pte(0x52000, 0x52000 | 3);  // supervisor only
    CHECK(pf(0x52000, Access::Read, true) == 5);
}

TEST_CASE_FIXTURE(Paging32, "accessed bits on success, dirty bit only on writes") {
    pte(0x60000, 0x60000 | 7);
    wr(kPd, kPt | 7, 4);
    cpu.translate(0x60000, Access::Read, false);
    CHECK((rd(kPt + 0x60 * 4, 4) & 0x60) == 0x20);
    CHECK((rd(kPd, 4) & 0x20) == 0x20);
    cpu.translate(0x60000, Access::Write, false);
    CHECK((rd(kPt + 0x60 * 4, 4) & 0x60) == 0x60);
    // A failed translation sets no accessed bit.
    pte(0x61000, 0x61000 | 3);
    CHECK(pf(0x61000, Access::Read, true) == 5);
    CHECK((rd(kPt + 0x61 * 4, 4) & 0x20) == 0);
}

TEST_CASE_FIXTURE(Paging32, "write through the TLB fast path sets D exactly once it is cached") {
    pte(0x62000, 0x62000 | 7);
    CHECK(cpu.read_linear(0x62000, 4, false) == 0);
    cpu.write_linear(0x62000, 4, 0x1234, false);  // read entry cached; write still walks
    CHECK((rd(kPt + 0x62 * 4, 4) & 0x40) == 0x40);
    CHECK(rd(0x62000, 4) == 0x1234);
}

TEST_CASE_FIXTURE(Paging32, "SMEP and SMAP with EFLAGS.AC and implicit supervisor accesses") {
    cpu.write_cr(4, cpu.s.cr4 | kCR4_SMEP | kCR4_SMAP);
    pte(0x63000, 0x63000 | 7);
    CHECK(pf(0x63000, Access::Exec, false) == 0x11);  // I/D, P
    CHECK(pf(0x63000, Access::Read, false) == 1);
    cpu.s.rflags |= kAC;
    CHECK(pf(0x63000, Access::Read, false) == -1);
    cpu.implicit_supervisor_access = true;  // AC does not help implicit accesses
    CHECK(pf(0x63000, Access::Read, false) == 1);
    cpu.implicit_supervisor_access = false;
    CHECK(pf(0x63000, Access::Read, true) == -1);
}

TEST_CASE_FIXTURE(Paging32, "#PF I/D on a fetch: with SMEP, not with EFER.NXE alone under 32-bit paging") {
    pte(0x64000, 0);
    CHECK(pf(0x64000, Access::Exec, false) == 0);
    cpu.s.efer |= kEFER_NXE;  // 32-bit paging has no XD bit: I/D needs PAE paging with NXE
    CHECK(pf(0x64000, Access::Exec, false) == 0);
    CHECK(pf(0x64000, Access::Exec, true) == 4);
    cpu.write_cr(4, cpu.s.cr4 | kCR4_SMEP);
    CHECK(pf(0x64000, Access::Exec, false) == 0x10);
    CHECK(pf(0x64000, Access::Exec, true) == 0x14);
}

TEST_CASE_FIXTURE(SysFixture, "4-level paging: NX, reserved bits, 1 GiB pages, non-canonical #GP") {
    long64();
    // NX on the 2 MiB page at 4 MiB.
    wr(kPml4 + 0x2000 + 2 * 8, (2ull << 21) | 0x87 | (1ull << 63), 8);
    cpu.tlb_flush_all();
    try {
        cpu.translate(0x400000, Access::Exec, false);
        FAIL("expected #PF");
    } catch (const CpuFault& f) {
        CHECK(f.vector == kVecPF);
        CHECK(f.error == 0x11);
    }
    // A reserved bit above MAXPHYADDR in a PDE.
    wr(kPml4 + 0x2000 + 3 * 8, (3ull << 21) | 0x87 | (1ull << 45), 8);
    try {
        cpu.translate(0x600000, Access::Read, false);
        FAIL("expected #PF");
    } catch (const CpuFault& f) {
        CHECK(f.error == 9);  // P | RSVD
    }
    // 1 GiB page: PML4[1] -> PDPT with a PS entry mapping 1 GiB at 0.
    wr(kPml4 + 8, (kPml4 + 0x3000) | 7, 8);
    wr(kPml4 + 0x3000, 0x87, 8);
    CHECK(cpu.translate((1ull << 39) + 0x12345, Access::Read, false) == 0x12345);
    // Non-canonical data address through a segment: #GP(0), #SS(0) for the stack.
    try {
        cpu.linear_address(DS, 0x0000800000000000ull, 8, Access::Read);
        FAIL("expected #GP");
    } catch (const CpuFault& f) {
        CHECK(f.vector == kVecGP);
    }
    try {
        cpu.linear_address(SS, 0x0000800000000000ull, 8, Access::Read);
        FAIL("expected #SS");
    } catch (const CpuFault& f) {
        CHECK(f.vector == kVecSS);
    }
}

TEST_CASE_FIXTURE(SysFixture, "PAE: PDPTEs are loaded at MOV CR3; a reserved bit is #GP there") {
    protected32();
    const uint64_t pdpt = 0x30000, pd = 0x31000;
    wr(pdpt, pd | 1, 8);
    wr(pd, 0x83, 8);  // 2 MiB page at 0
    cpu.write_cr(4, kCR4_PAE);
    cpu.write_cr(3, pdpt);
    cpu.write_cr(0, cpu.s.cr0 | kCR0_PG);
    CHECK(cpu.translate(0x1234, Access::Read, false) == 0x1234);
    // Changing memory does not change the cached PDPTE until CR3 is written again.
    wr(pdpt, 0, 8);
    cpu.tlb_flush_all();
    CHECK(cpu.translate(0x1234, Access::Read, false) == 0x1234);
    wr(pdpt, pd | 1 | 0x4, 8);  // bit 2 is reserved in a PAE PDPTE
    CHECK_THROWS_AS(cpu.write_cr(3, pdpt), CpuFault);
}

TEST_CASE_FIXTURE(SysFixture, "A20 masking without paging") {
    wr(0x1000, 0xaa, 1);
    CHECK(cpu.read_linear(0x101000, 1, false) == 0);
    cpu.set_a20(false);
    CHECK(cpu.read_linear(0x101000, 1, false) == 0xaa);
    cpu.set_a20(true);
    CHECK(cpu.read_linear(0x101000, 1, false) == 0);
}

TEST_CASE_FIXTURE(SysFixture, "#AC on a misaligned access at CPL 3 with CR0.AM and EFLAGS.AC") {
    protected32();
    to_cpl3_32();
    CHECK_NOTHROW(cpu.linear_address(DS, 0x1001, 4, Access::Read));
    cpu.s.cr0 |= kCR0_AM;
    cpu.s.rflags |= kAC;
    try {
        cpu.linear_address(DS, 0x1001, 4, Access::Read);
        FAIL("expected #AC");
    } catch (const CpuFault& f) {
        CHECK(f.vector == kVecAC);
        CHECK(f.error == 0);
    }
    CHECK_NOTHROW(cpu.linear_address(DS, 0x1004, 4, Access::Read));
}

TEST_CASE_FIXTURE(SysFixture, "A20: a direct write of a20_mask takes effect at the next step") {
    wr(0x1000, 0xbb, 1);
    CHECK(cpu.read_linear(0x101000, 1, false) == 0);  // cached identity translation
    cpu.a20_mask = ~(1ull << 20);
    cpu.s.rip = 0xfff0;  // the step below fetches from the reset vector (ROM-less: all ones)
    cpu.step();
    CHECK(cpu.read_linear(0x101000, 1, false) == 0xbb);
}
