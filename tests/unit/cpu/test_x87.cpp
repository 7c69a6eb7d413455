// x87 behaviour the native difftest cannot reach (it runs at CPL 3 in
// 64-bit mode with every exception masked): #MF at the next waiting
// instruction, FERR# with CR0.NE = 0, #NM from CR0.EM/TS, stack faults
// with masked and unmasked IE, the FNSAVE/FNSTENV images in real and
// protected mode with 16- and 32-bit operand size, FPREM's partial
// remainder. Expected values come from the SDM (vol. 1 ch. 8, vol. 2).
#include <doctest/doctest.h>

#include <vector>

#include "cpu/decoded_insn.h"
#include "tests/unit/cpu/system_fixture.h"

namespace petrel::test {

namespace {

constexpr uint64_t kCode = 0x4000, kData = 0x20000;

struct X87Fixture : SysFixture {
    // Decodes bytes in the current mode and runs them as the run loop
    // would (returns the fault, not delivered).
    std::optional<CpuFault> run(std::initializer_list<uint8_t> bytes) {
        std::vector<uint8_t> b(bytes);
        DecodedInsn d;
        REQUIRE(decode(b.data(), b.size(), cpu.code_mode(), d) == DecodeStatus::Ok);
        for (size_t i = 0; i < b.size(); ++i) wr(cpu.s.seg[CS].base + cpu.s.rip + i, b[i], 1);
        return attempt(d);
    }
    void ok(std::initializer_list<uint8_t> bytes) { REQUIRE_FALSE(run(bytes).has_value()); }
    uint8_t vector_of(std::initializer_list<uint8_t> bytes) {
        const auto f = run(bytes);
        REQUIRE(f.has_value());
        return f->vector;
    }
    uint16_t fsw() const { return cpu.s.x87.fsw; }
    unsigned top() const { return (cpu.s.x87.fsw >> 11) & 7; }
    const Float80& st(unsigned i) const { return cpu.s.x87.st[(top() + i) & 7]; }
};

// FSW bits (SDM vol. 1 fig. 8-4).
constexpr uint16_t IE = 1, ZE = 4, SF = 0x40, ES = 0x80, C1 = 0x200, C2 = 0x400, B = 0x8000;

// Instructions used below (32-bit code, EBX = kData).
#define FLD1 0xd9, 0xe8
#define FLDZ 0xd9, 0xee
#define FNOP 0xd9, 0xd0
#define FWAIT 0x9b
#define FNINIT 0xdb, 0xe3
#define FNCLEX 0xdb, 0xe2
#define FDIV_ST1_ST0 0xdc, 0xf9  // ST(1) = ST(1) / ST(0)
#define FADD_ST0_ST1 0xd8, 0xc1
#define FLDCW_EBX 0xd9, 0x2b
#define FNSTSW_AX 0xdf, 0xe0

void setup_protected(X87Fixture& f) {
    f.protected32();
    f.cpu.s.cr0 |= kCR0_NE;
    f.cpu.s.gpr[RBX] = kData;
    f.cpu.s.rip = kCode;
    f.cpu.s.x87 = X87State{};
}

}  // namespace

TEST_CASE("x87: an unmasked exception is reported as #MF by the next waiting instruction") {
    X87Fixture f;
    setup_protected(f);
    f.wr(kData, 0x037b, 2);  // ZM clear
    f.ok({FLDCW_EBX});
    f.ok({FLD1});
    f.ok({FLDZ});
    f.ok({FDIV_ST1_ST0});  // 1 / 0: ZE unmasked, no fault yet
    CHECK((f.fsw() & (ZE | ES | B)) == (ZE | ES | B));
    CHECK(f.st(1).sign_exp == 0x3fff);  // the destination is left alone
    CHECK(f.vector_of({FNOP}) == kVecMF);
    CHECK(f.vector_of({FWAIT}) == kVecMF);
    CHECK(f.vector_of({FLD1}) == kVecMF);
    // The non-waiting forms run, and FNSTSW shows ES and B.
    f.ok({FNSTSW_AX});
    CHECK((f.cpu.s.gpr[RAX] & 0xffff & (ZE | ES | B)) == (ZE | ES | B));
    f.ok({FNCLEX});
    CHECK((f.fsw() & (ZE | ES | B)) == 0);
    f.ok({FWAIT});
}

TEST_CASE("x87: FLDCW unmasking a raised flag makes it pending") {
    X87Fixture f;
    setup_protected(f);
    f.ok({FLD1});
    f.ok({FLDZ});
    f.ok({FDIV_ST1_ST0});  // masked: ST(1) = +inf, ZE
    CHECK((f.fsw() & (ZE | ES)) == ZE);
    CHECK(f.st(1).sign_exp == 0x7fff);
    f.wr(kData, 0x037b, 2);
    f.ok({FLDCW_EBX});
    CHECK((f.fsw() & ES) == ES);
    CHECK(f.vector_of({FWAIT}) == kVecMF);
}

TEST_CASE("x87: CR0.NE = 0 signals FERR# and the waiting instruction proceeds") {
    X87Fixture f;
    setup_protected(f);
    f.cpu.s.cr0 &= ~uint64_t{kCR0_NE};
    int ferr = 0;
    f.cpu.on_ferr = [&ferr] { ++ferr; };
    f.wr(kData, 0x037b, 2);
    f.ok({FLDCW_EBX});
    f.ok({FLD1});
    f.ok({FLDZ});
    f.ok({FDIV_ST1_ST0});
    CHECK(ferr == 0);  // raised, not yet signalled
    f.ok({FWAIT});
    CHECK(ferr == 1);
    f.ok({FLD1});  // executes (IGNNE#): pushes
    CHECK(ferr == 2);
    CHECK(f.st(0).sign_exp == 0x3fff);
}

TEST_CASE("x87: #NM from CR0.EM and CR0.TS; WAIT only with MP and TS") {
    X87Fixture f;
    setup_protected(f);
    f.cpu.s.cr0 |= kCR0_TS;
    CHECK(f.vector_of({FLD1}) == kVecNM);
    CHECK(f.vector_of({FNINIT}) == kVecNM);
    f.ok({FWAIT});  // TS without MP
    f.cpu.s.cr0 |= kCR0_MP;
    CHECK(f.vector_of({FWAIT}) == kVecNM);
    f.cpu.s.cr0 &= ~uint64_t{kCR0_TS | kCR0_MP};
    f.cpu.s.cr0 |= kCR0_EM;
    CHECK(f.vector_of({FLD1}) == kVecNM);
    CHECK(f.vector_of({FNSTSW_AX}) == kVecNM);
    f.ok({FWAIT});  // EM does not concern WAIT
    f.cpu.s.cr0 &= ~uint64_t{kCR0_EM};
    f.ok({FLD1});
}

TEST_CASE("x87: stack overflow and underflow, masked and unmasked") {
    X87Fixture f;
    setup_protected(f);
    for (int i = 0; i < 8; ++i) f.ok({FLD1});
    CHECK(f.top() == 0);
    CHECK((f.fsw() & (IE | SF)) == 0);
    // Ninth push, masked: IE, SF, C1 = 1 (overflow); the real indefinite pushed.
    f.ok({FLDZ});
    CHECK((f.fsw() & (IE | SF | C1)) == (IE | SF | C1));
    CHECK(f.top() == 7);
    CHECK(f.st(0).sign_exp == 0xffff);
    CHECK(f.st(0).significand == 0xc000000000000000ull);

    // Underflow, masked: C1 = 0 and the indefinite in the destination.
    f.ok({FNINIT});
    f.ok({FLD1});
    f.ok({FADD_ST0_ST1});
    CHECK((f.fsw() & (IE | SF | C1)) == (IE | SF));
    CHECK(f.st(0).sign_exp == 0xffff);
    CHECK(f.st(0).significand == 0xc000000000000000ull);

    // Unmasked IE: nothing is pushed, ES is set.
    f.ok({FNINIT});
    f.wr(kData, 0x037e, 2);
    f.ok({FLDCW_EBX});
    for (int i = 0; i < 8; ++i) f.ok({FLD1});
    f.ok({FLDZ});
    CHECK((f.fsw() & (IE | SF | C1 | ES)) == (IE | SF | C1 | ES));
    CHECK(f.top() == 0);
    CHECK(f.st(0).sign_exp == 0x3fff);
}

TEST_CASE("x87: FNSAVE/FRSTOR 32-bit protected-mode image") {
    X87Fixture f;
    setup_protected(f);
    f.ok({FLD1});
    f.ok({FLDZ});  // ST(0) = +0 (tag zero), ST(1) = 1.0 (tag valid)
    // FADD ST(0), [EBX+0x10] (D8 43 10) records FIP, FOP, FDP.
    f.wr(kData + 0x10, 0x3f800000, 4);  // 1.0f
    f.cpu.s.rip = 0x4100;
    f.ok({0xd8, 0x43, 0x10});
    const uint16_t fsw = f.fsw();
    f.cpu.s.rip = kCode;
    f.ok({0xdd, 0x33});  // FNSAVE [EBX]
    auto b = [&f](unsigned off, unsigned n) { return f.rd(kData + off, n); };
    CHECK(b(0, 2) == 0x037f);
    CHECK(b(4, 2) == fsw);
    CHECK(b(8, 2) == 0x0fff);       // R7 valid (1.0 + 1.0), R6 valid, others empty: TOP = 6
    CHECK(b(12, 4) == 0x4100);      // FIP
    CHECK(b(16, 2) == 0x08);        // FCS
    CHECK((b(16, 4) >> 16 & 0x7ff) == 0x043);  // FOP: D8 & 7 = 0, ModRM 43
    CHECK(b(20, 4) == kData + 0x10);  // FDP
    CHECK(b(24, 2) == 0x10);        // FDS
    CHECK(b(28, 8) == 0x8000000000000000ull);  // ST(0) = 1.0
    CHECK(b(36, 2) == 0x3fff);
    CHECK(b(38, 8) == 0x8000000000000000ull);  // ST(1) = 1.0
    // FNSAVE reinitializes.
    CHECK(f.cpu.s.x87.fcw == 0x037f);
    CHECK(f.fsw() == 0);
    CHECK(f.cpu.s.x87.ftw == 0xffff);
    f.ok({0xdd, 0x23});  // FRSTOR [EBX]
    CHECK(f.fsw() == fsw);
    CHECK(f.cpu.s.x87.ftw == 0x0fff);
    CHECK(f.cpu.s.x87.fip == 0x4100);
    CHECK(f.st(1).sign_exp == 0x3fff);
}

TEST_CASE("x87: FNSTENV/FLDENV 16-bit protected-mode image") {
    X87Fixture f;
    setup_protected(f);
    f.ok({FLDZ});
    f.cpu.s.rip = 0x4200;
    f.ok({0xd9, 0x43, 0x20});  // FLD dword [EBX+0x20]
    f.cpu.s.rip = kCode;
    f.ok({0x66, 0xd9, 0x33});  // FNSTENV [EBX], 16-bit operand size: 14 bytes
    auto b = [&f](unsigned off, unsigned n) { return f.rd(kData + off, n); };
    CHECK(b(0, 2) == 0x037f);
    CHECK(b(2, 2) == f.fsw());
    CHECK(b(6, 2) == 0x4200);       // IP
    CHECK(b(8, 2) == 0x08);         // CS
    CHECK(b(10, 2) == 0x0020);      // operand offset (low 16 bits of kData + 0x20)
    CHECK(b(12, 2) == 0x10);        // DS
    CHECK(f.cpu.s.x87.fcw == 0x037f);  // already all masked
    // FLDENV of a changed image: FCW and the tag word come back.
    f.wr(kData, 0x0c7f, 2);
    f.wr(kData + 4, 0xffff, 2);  // all empty
    f.ok({0x66, 0xd9, 0x23});
    CHECK(f.cpu.s.x87.fcw == 0x0c7f);
    CHECK(f.cpu.s.x87.ftw == 0xffff);
}

TEST_CASE("x87: real-mode images hold linear pointers split around FOP") {
    X87Fixture f;
    f.cpu.s.cr0 = kCR0_ET | kCR0_NE;
    f.cpu.s.seg[CS].selector = 0x1234;
    f.cpu.s.seg[CS].base = 0x12340;
    f.cpu.s.seg[CS].attr = 0x9b;
    f.cpu.s.seg[CS].limit = 0xffff;
    f.cpu.s.seg[DS].selector = 0x2000;
    f.cpu.s.seg[DS].base = 0x20000;
    f.cpu.s.seg[DS].attr = 0x93;
    f.cpu.s.seg[DS].limit = 0xffff;
    f.cpu.s.gpr[RBX] = 0x0100;
    f.cpu.s.rip = 0x0010;
    f.cpu.s.x87 = X87State{};
    f.ok({0xdd, 0x47, 0x08});  // FLD qword [BX+8]
    f.cpu.s.rip = 0x0020;
    f.ok({0xd9, 0x37});  // FNSTENV [BX], 16-bit: 14 bytes
    auto b = [&f](unsigned off, unsigned n) { return f.rd(0x20100 + off, n); };
    const uint32_t ip = 0x12340 + 0x10, dp = 0x20000 + 0x108;
    CHECK(b(6, 2) == (ip & 0xffff));
    CHECK(b(8, 2) == (((ip >> 16) << 12) | 0x547));  // FOP: DD & 7 = 5, ModRM 47
    CHECK(b(10, 2) == (dp & 0xffff));
    CHECK(b(12, 2) == ((dp >> 16) << 12));
    f.cpu.s.rip = 0x0030;
    f.ok({0x66, 0xd9, 0x37});  // FNSTENV [BX], 32-bit: 28 bytes
    CHECK((b(12, 4) & 0xffff) == (ip & 0xffff));
    CHECK(b(16, 4) == ((ip >> 16) << 12 | 0x547));
    CHECK((b(20, 4) & 0xffff) == (dp & 0xffff));
    CHECK(b(24, 4) == (dp >> 16) << 12);
}

TEST_CASE("x87: FPREM reduces 2^100 mod 3 in partial steps (C2) to 1") {
    X87Fixture f;
    setup_protected(f);
    f.wr(kData, 3, 4);
    f.ok({0xdb, 0x03});  // FILD dword [EBX]: 3
    f.wr(kData, 0, 8);
    f.wr(kData + 8, 0x3fff + 100, 2);
    f.wr(kData, 0x8000000000000000ull, 8);
    f.ok({0xdb, 0x2b});  // FLD tword [EBX]: 2^100
    int steps = 0;
    do {
        f.ok({0xd9, 0xf8});  // FPREM
        ++steps;
    } while ((f.fsw() & C2) && steps < 10);
    CHECK(steps >= 2);  // a partial step removes 32..63 bits of quotient at a time
    CHECK(f.st(0).sign_exp == 0x3fff);  // 2^100 = 1 (mod 3)
    CHECK(f.st(0).significand == 0x8000000000000000ull);
    // Quotient (2^100 - 1)/3 ends in binary ...0101: C0 = Q2 = 1, C3 = Q1 = 0, C1 = Q0 = 1.
    CHECK((f.fsw() & 0x4700) == (0x0100 | C1));
}

TEST_CASE("x87: FLDPI and FLDL2E round by RC") {
    X87Fixture f;
    setup_protected(f);
    f.ok({0xd9, 0xeb});  // FLDPI, nearest
    CHECK(f.st(0).significand == 0xc90fdaa22168c235ull);
    f.wr(kData, 0x077f, 2);  // RC = down
    f.ok({FLDCW_EBX});
    f.ok({0xd9, 0xeb});
    CHECK(f.st(0).significand == 0xc90fdaa22168c234ull);
    f.ok({0xd9, 0xea});  // FLDL2E, down
    CHECK(f.st(0).significand == 0xb8aa3b295c17f0bbull);
    f.wr(kData, 0x0b7f, 2);  // RC = up
    f.ok({FLDCW_EBX});
    f.ok({0xd9, 0xe9});  // FLDL2T, up
    CHECK(f.st(0).significand == 0xd49a784bcd1b8affull);
}

}  // namespace petrel::test
