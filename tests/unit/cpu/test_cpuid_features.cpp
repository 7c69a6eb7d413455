// CPUID advertises an instruction-set feature exactly when its instructions
// have handlers (cpu/system/cpuid.cpp's rule): every advertised bit below
// names ops that must not fall back to #UD, and features Petrel lacks
// (AVX and its relatives, MONITOR/MWAIT, SHA) must stay clear.
#include <initializer_list>

#include "cpu/ops.h"
#include "tests/unit/cpu/system_fixture.h"

using namespace petrel;
using namespace petrel::test;

namespace {

struct Feature {
    const char* name;
    uint32_t leaf, subleaf;
    unsigned reg;  // 0 EAX, 1 EBX, 2 ECX, 3 EDX
    unsigned bit;
    std::initializer_list<Op> ops;
};

const Feature kAdvertised[] = {
    {"SSE3", 1, 0, 2, 0, {Op::ADDSUBPS, Op::HADDPD, Op::LDDQU, Op::MOVDDUP, Op::MOVSHDUP}},
    {"PCLMULQDQ", 1, 0, 2, 1, {Op::PCLMULQDQ}},
    {"SSSE3", 1, 0, 2, 9, {Op::PSHUFB, Op::PALIGNR, Op::PHADDW, Op::PMULHRSW, Op::PABSB}},
    {"CX16", 1, 0, 2, 13, {Op::CMPXCHG16B}},
    {"SSE4.1", 1, 0, 2, 19, {Op::PTEST, Op::PBLENDVB, Op::ROUNDPS, Op::DPPS, Op::PMOVSXBW, Op::MPSADBW}},
    {"SSE4.2", 1, 0, 2, 20, {Op::PCMPESTRI, Op::PCMPESTRM, Op::PCMPISTRI, Op::PCMPISTRM, Op::PCMPGTQ, Op::CRC32}},
    {"MOVBE", 1, 0, 2, 22, {Op::MOVBE}},
    {"POPCNT", 1, 0, 2, 23, {Op::POPCNT}},
    {"AES", 1, 0, 2, 25,
     {Op::AESENC, Op::AESENCLAST, Op::AESDEC, Op::AESDECLAST, Op::AESIMC, Op::AESKEYGENASSIST}},
    {"XSAVE", 1, 0, 2, 26, {Op::XSAVE, Op::XRSTOR, Op::XGETBV, Op::XSETBV}},
    {"RDRAND", 1, 0, 2, 30, {Op::RDRAND}},
    {"CLFSH", 1, 0, 3, 19, {Op::CLFLUSH}},
    {"SSE2", 1, 0, 3, 26, {Op::LFENCE, Op::MFENCE, Op::PAUSE, Op::MOVDQU}},
    {"SSE", 1, 0, 3, 25, {Op::SFENCE, Op::PREFETCH, Op::LDMXCSR}},
    {"BMI1", 7, 0, 1, 3, {Op::ANDN, Op::BEXTR, Op::BLSI, Op::TZCNT}},
    {"BMI2", 7, 0, 1, 8, {Op::BZHI, Op::PDEP, Op::PEXT, Op::RORX, Op::MULX}},
    {"ADX", 7, 0, 1, 19, {Op::ADCX, Op::ADOX}},
    {"RDSEED", 7, 0, 1, 18, {Op::RDSEED}},
    {"ABM/LZCNT", 0x80000001, 0, 2, 5, {Op::LZCNT}},
};

struct Absent {
    const char* name;
    uint32_t leaf, subleaf;
    unsigned reg, bit;
};

const Absent kAbsent[] = {
    {"MONITOR", 1, 0, 2, 3},   {"FMA", 1, 0, 2, 12},  {"AVX", 1, 0, 2, 28},
    {"F16C", 1, 0, 2, 29},     {"AVX2", 7, 0, 1, 5},  {"AVX512F", 7, 0, 1, 16},
    {"SHA", 7, 0, 1, 29},      {"CLFLUSHOPT", 7, 0, 1, 23},
};

}  // namespace

TEST_CASE_FIXTURE(SysFixture, "CPUID: each advertised instruction-set feature has its handlers") {
    for (const Feature& f : kAdvertised) {
        CAPTURE(f.name);
        uint32_t r[4];
        cpu.cpuid(f.leaf, f.subleaf, r);
        CHECK(((r[f.reg] >> f.bit) & 1) == 1);
        for (Op op : f.ops) {
            CAPTURE(op_name(op));
            const bool implemented = handler_for(op) != handle_undefined;
            CHECK(implemented);
        }
    }
}

TEST_CASE_FIXTURE(SysFixture, "CPUID: features without an implementation are not advertised") {
    for (const Absent& a : kAbsent) {
        CAPTURE(a.name);
        uint32_t r[4];
        cpu.cpuid(a.leaf, a.subleaf, r);
        CHECK(((r[a.reg] >> a.bit) & 1) == 0);
    }
}
