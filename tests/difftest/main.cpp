// petrel-difftest: every decoded user-mode general-purpose instruction form,
// run with random edge-biased inputs natively and in Petrel, compared.
//
//   petrel-difftest [--cases N] [--seed S] [--op NAME] [--max-report K] [--fallback-decoder] [--list]
//
// Exit status: 0 all compared cases agree, 1 a mismatch, 77 skipped (not an
// x86-64 host, fixed addresses unavailable, nothing decodable).
#include <cmath>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "cpu/interp/handlers.h"
#include "cpu/ops.h"
#include "tests/difftest/forms.h"
#include "tests/difftest/guest.h"
#include "tests/difftest/inputs.h"
#include "tests/difftest/mini_decoder.h"
#include "tests/difftest/native.h"
#include "tests/difftest/undefined_flags.h"

using namespace petrel;
using namespace petrel::difftest;

namespace {

struct Options {
    unsigned cases = 1000;
    uint64_t seed = 0x5eed;
    std::string only_op;
    unsigned max_report = 3;  // printed failing cases per form
    bool fallback = false;
    bool list = false;  // print the forms and exit
};

const char* kRegNames[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                             "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

constexpr uint64_t kCompared = kArithFlags | kDF;

std::string flag_names(uint64_t f) {
    std::string s;
    const std::pair<uint64_t, const char*> names[] = {{kCF, "CF"}, {kPF, "PF"}, {kAF, "AF"}, {kZF, "ZF"},
                                                      {kSF, "SF"}, {kOF, "OF"}, {kDF, "DF"}};
    for (auto [bit, n] : names)
        if (f & bit) s += std::string(s.empty() ? "" : " ") + n;
    return s.empty() ? "-" : s;
}

std::string hex_bytes(const std::vector<uint8_t>& b) {
    std::string s;
    char buf[4];
    for (size_t i = 0; i < b.size(); ++i) {
        snprintf(buf, sizeof buf, "%02x", b[i]);
        s += (i ? " " : "") + std::string(buf);
    }
    return s;
}

// One single-precision lane of an approximate result (RCP/RSQRT): equal
// bits, or both finite non-zero with relative error within the SDM's bound.
bool approx_lane_equal(const uint8_t* a, const uint8_t* b) {
    uint32_t ua, ub;
    memcpy(&ua, a, 4);
    memcpy(&ub, b, 4);
    if (ua == ub) return true;
    float fa, fb;
    memcpy(&fa, &ua, 4);
    memcpy(&fb, &ub, 4);
    if (!std::isfinite(fa) || !std::isfinite(fb) || fa == 0 || fb == 0) return false;
    if (std::signbit(fa) != std::signbit(fb)) return false;
    return std::fabs(static_cast<double>(fa) - fb) <= std::fabs(static_cast<double>(fa)) * 1.5 * std::ldexp(1.0, -12) * 2;
}

bool xmm_equal(const uint8_t* a, const uint8_t* b, uint8_t approx_lanes) {
    for (int lane = 0; lane < 4; ++lane) {
        const uint8_t* la = a + 4 * lane;
        const uint8_t* lb = b + 4 * lane;
        if (approx_lanes >> lane & 1 ? !approx_lane_equal(la, lb) : memcmp(la, lb, 4) != 0) return false;
    }
    return true;
}

// One x87 register of an approximate result (the transcendentals): equal
// bits, or both finite with the same sign and adjacent encodings (1 ulp,
// counted across a binade boundary).
bool approx_st_equal(const uint8_t* a, const uint8_t* b) {
    if (memcmp(a, b, 10) == 0) return true;
    uint64_t sa, sb;
    uint16_t ea, eb;
    memcpy(&sa, a, 8);
    memcpy(&ea, a + 8, 2);
    memcpy(&sb, b, 8);
    memcpy(&eb, b + 8, 2);
    if ((ea ^ eb) & 0x8000 || (ea & 0x7fff) == 0x7fff || (eb & 0x7fff) == 0x7fff) return false;
    using u128 = unsigned __int128;
    const u128 oa = (u128{ea & 0x7fffu} << 63) | (sa & ~(1ull << 63));
    const u128 ob = (u128{eb & 0x7fffu} << 63) | (sb & ~(1ull << 63));
    return (oa > ob ? oa - ob : ob - oa) <= 1;
}

// Compares two results; returns a description of the differences or "".
std::string compare(const RunResult& n, const RunResult& p, const Undefined& u) {
    std::string diff;
    if (n.outcome != p.outcome) {
        diff += std::string("outcome native ") + outcome_name(n.outcome) + " petrel " + outcome_name(p.outcome) + "; ";
        return diff;
    }
    for (int i = 0; i < 16; ++i)
        if (n.state.gpr[i] != p.state.gpr[i]) diff += std::string(kRegNames[i]) + " ";
    const uint64_t fm = kCompared & ~u.flags;
    if ((n.state.rflags ^ p.state.rflags) & fm) diff += "flags(" + flag_names((n.state.rflags ^ p.state.rflags) & fm) + ") ";
    for (int i = 0; i < 16; ++i)
        if (!xmm_equal(n.state.xmm[i], p.state.xmm[i], u.approx_f32_lanes)) diff += "xmm" + std::to_string(i) + " ";
    if (n.state.mxcsr != p.state.mxcsr) diff += "mxcsr ";
    for (unsigned i = 0; i < sizeof n.state.fx; ++i) {
        uint8_t mask = 0xff;
        if (i == 2 || i == 3) mask = static_cast<uint8_t>(~(u.fsw >> (8 * (i - 2))));
        if (i >= 32 && i < 160 && (u.approx_st >> ((i - 32) / 16) & 1)) {
            if ((i - 32) % 16 == 0 && !approx_st_equal(n.state.fx + i, p.state.fx + i))
                diff += "st(" + std::to_string((i - 32) / 16) + ") ";
            continue;
        }
        if (fx_byte_compared(i) && ((n.state.fx[i] ^ p.state.fx[i]) & mask)) {
            diff += i < 5 ? "x87-control/status/tags " : "st(" + std::to_string((i - 32) / 16) + ") ";
            if (i < 5) i = 31;
            else i = 32 + ((i - 32) / 16 + 1) * 16 - 1;
        }
    }
    for (size_t i = 0; i < n.data.size(); ++i)
        if (n.data[i] != p.data[i] && ((n.data[i] ^ p.data[i]) & u.mem_compared(kDataLo + i))) {
            char buf[64];
            snprintf(buf, sizeof buf, "mem[%#" PRIx64 "] ", kDataLo + i);
            diff += buf;
            break;
        }
    return diff;
}

// The memory operand's bytes (input, native, Petrel), when it lies in the data pages.
void print_mem_operand(const DecodedInsn& d, const State& in, const uint8_t* input, const RunResult& n,
                       const RunResult& p) {
    const int mi = d.mem_operand();
    if (mi < 0) return;
    const uint64_t addr = in.gpr[d.mem_base] + static_cast<uint64_t>(d.disp);
    const unsigned size = d.ops[mi].size;
    if (addr < kDataLo || addr + size > kDataLo + kDataSize || size == 0) return;
    auto dump = [&](const uint8_t* base) {
        std::string s;
        char buf[4];
        for (unsigned i = 0; i < size; ++i) {
            snprintf(buf, sizeof buf, "%02x", base[addr - kDataLo + i]);
            s += (i ? " " : "") + std::string(buf);
        }
        return s;
    };
    const bool differs = memcmp(n.data.data() + (addr - kDataLo), p.data.data() + (addr - kDataLo), size) != 0;
    printf("  %s m%-3u [%#" PRIx64 "] input %s | native %s | petrel %s\n", differs ? "**" : "  ", 8 * size, addr,
           dump(input).c_str(), dump(n.data.data()).c_str(), dump(p.data.data()).c_str());
}

void print_case(const std::vector<uint8_t>& bytes, const State& in, const RunResult& n, const RunResult& p,
                const Undefined& u, const std::string& diff) {
    printf("    bytes %s   differs: %s\n", hex_bytes(bytes).c_str(), diff.c_str());
    printf("    %-4s %-18s %-18s %-18s\n", "", "input", "native", "petrel");
    for (int i = 0; i < 16; ++i) {
        const bool d = n.state.gpr[i] != p.state.gpr[i];
        printf("  %s %-4s %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64 "\n", d ? "**" : "  ", kRegNames[i], in.gpr[i],
               n.state.gpr[i], p.state.gpr[i]);
    }
    const uint64_t fm = kCompared & ~u.flags;
    const bool fd = (n.state.rflags ^ p.state.rflags) & fm;
    printf("  %s %-4s %-18s %-18s %-18s (undefined: %s)\n", fd ? "**" : "  ", "flg", flag_names(in.rflags & kCompared).c_str(),
           flag_names(n.state.rflags & kCompared).c_str(), flag_names(p.state.rflags & kCompared).c_str(),
           flag_names(u.flags).c_str());
    auto xmm_hex = [](const uint8_t* x) {
        char buf[40];
        uint64_t lo, hi;
        memcpy(&lo, x, 8);
        memcpy(&hi, x + 8, 8);
        snprintf(buf, sizeof buf, "%016" PRIx64 "%016" PRIx64, hi, lo);
        return std::string(buf);
    };
    for (int i = 0; i < 16; ++i)
        if (memcmp(n.state.xmm[i], p.state.xmm[i], 16) != 0)
            printf("  ** xmm%-2d in %s native %s petrel %s\n", i, xmm_hex(in.xmm[i]).c_str(),
                   xmm_hex(n.state.xmm[i]).c_str(), xmm_hex(p.state.xmm[i]).c_str());
    printf("  %s mxcsr in %08x native %08x petrel %08x\n", n.state.mxcsr != p.state.mxcsr ? "**" : "  ", in.mxcsr,
           n.state.mxcsr, p.state.mxcsr);
    auto u16 = [](const uint8_t* fx, unsigned off) { return static_cast<unsigned>(fx[off] | (fx[off + 1] << 8)); };
    const bool x87_ctl = memcmp(n.state.fx, p.state.fx, 5) != 0;
    printf("  %s fcw/fsw/ftw in %04x/%04x/%02x native %04x/%04x/%02x petrel %04x/%04x/%02x\n", x87_ctl ? "**" : "  ",
           u16(in.fx, 0), u16(in.fx, 2), in.fx[4], u16(n.state.fx, 0), u16(n.state.fx, 2), n.state.fx[4],
           u16(p.state.fx, 0), u16(p.state.fx, 2), p.state.fx[4]);
    for (unsigned i = 0; i < 8; ++i) {
        const unsigned o = 32 + 16 * i;
        if (memcmp(n.state.fx + o, p.state.fx + o, 10) == 0) continue;
        uint64_t a, b, c;
        memcpy(&a, in.fx + o, 8);
        memcpy(&b, n.state.fx + o, 8);
        memcpy(&c, p.state.fx + o, 8);
        printf("  ** st%u in %04x:%016" PRIx64 " native %04x:%016" PRIx64 " petrel %04x:%016" PRIx64 "\n", i,
               u16(in.fx, o + 8), a, u16(n.state.fx, o + 8), b, u16(p.state.fx, o + 8), c);
    }
    printf("       outcome %s (signal %d) / %s (vector %d)\n", outcome_name(n.outcome), n.detail, outcome_name(p.outcome),
           p.detail);
    for (size_t i = 0; i < n.data.size(); ++i)
        if (n.data[i] != p.data[i] && ((n.data[i] ^ p.data[i]) & u.mem_compared(kDataLo + i))) {
            printf("  ** mem  %#" PRIx64 ": native %02x petrel %02x (first differing byte)\n", kDataLo + i, n.data[i],
                   p.data[i]);
            break;
        }
}

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--cases") o.cases = static_cast<unsigned>(strtoul(next(), nullptr, 0));
        else if (a == "--seed") o.seed = strtoull(next(), nullptr, 0);
        else if (a == "--op") o.only_op = next();
        else if (a == "--max-report") o.max_report = static_cast<unsigned>(strtoul(next(), nullptr, 0));
        else if (a == "--fallback-decoder") o.fallback = true;
        else if (a == "--list") o.list = true;
        else {
            fprintf(stderr, "usage: %s [--cases N] [--seed S] [--op NAME] [--max-report K] [--fallback-decoder] [--list]\n", argv[0]);
            return false;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    if (!parse(argc, argv, opt)) return 2;
    setvbuf(stdout, nullptr, _IOLBF, 0);

    NativeRunner native;
    if (!native.ok()) {
        printf("difftest: skipped: %s\n", native.why().c_str());
        return 77;
    }
    DecodeFn decode_fn = opt.fallback ? mini_decode : decode;
    Enumeration en = enumerate_forms(decode_fn);
    if (en.forms.empty() && !opt.fallback) {
        printf("difftest: Petrel's decoder decodes no general-purpose form yet; using the harness's fallback "
               "decoder (tests/difftest/mini_decoder.cpp)\n");
        decode_fn = mini_decode;
        opt.fallback = true;
        en = enumerate_forms(decode_fn);
    }
    if (en.forms.empty()) {
        printf("difftest: skipped: no decodable form\n");
        return 77;
    }

    if (opt.list) {
        for (const Form& f : en.forms) {
            const bool has = handler_for(f.insn.op) != handle_undefined;
            printf("%s%s\n", f.name.c_str(), has ? "" : "   (no Petrel handler)");
        }
        return 0;
    }

    GuestRunner guest;
    InputGen gen(opt.seed);
    std::vector<uint8_t> master(kDataSize);
    for (auto& b : master) b = static_cast<uint8_t>(gen.rng());

    size_t decoded = 0, covered = 0, failed_forms = 0;
    uint64_t cases_run = 0, cases_failed = 0, cases_skipped = 0;
    std::map<std::string, unsigned> uncovered_by_op, failures_by_op;
    uint64_t outcomes[static_cast<int>(Outcome::Other) + 1] = {};  // of the compared cases, native
    std::vector<uint8_t> bytes;
    DecodedInsn insn;

    for (const Form& f : en.forms) {
        const std::string opname(op_name(f.insn.op));
        if (!opt.only_op.empty() && opname != opt.only_op) continue;
        ++decoded;
        if (handler_for(f.insn.op) == handle_undefined) {
            ++uncovered_by_op[opname];
            continue;
        }
        ++covered;
        unsigned reported = 0, form_failures = 0;
        // opt.cases compared cases per form; cases whose result is undefined
        // do not count (bounded, for forms where most are).
        for (unsigned c = 0, attempts = 0; c < opt.cases && attempts < 4 * opt.cases; ++attempts) {
            const bool shift_like = f.insn.op == Op::SHL || f.insn.op == Op::SHR || f.insn.op == Op::SAR ||
                                    f.insn.op == Op::ROL || f.insn.op == Op::ROR || f.insn.op == Op::RCL ||
                                    f.insn.op == Op::RCR || f.insn.op == Op::SHLD || f.insn.op == Op::SHRD ||
                                    f.insn.op == Op::RORX;
            const uint64_t imm = shift_like && (gen.rng() & 1) ? gen.count() : gen.value();
            bool varied = false;
            for (int attempt = 0; attempt < 4 && !varied; ++attempt)
                varied = make_variant(f, decode_fn, gen.rng, imm, bytes, insn);
            const State in = gen.state(insn);
            Undefined u = undefined_for(insn, in);
            if (u.result) {
                ++cases_skipped;
                continue;
            }
            gen.memory(insn, in, master.data());
            memcpy(native.data(), master.data(), kDataSize);
            memcpy(guest.data(), master.data(), kDataSize);
            const RunResult n = native.run(bytes.data(), static_cast<unsigned>(bytes.size()), in);
            const RunResult p = guest.run(native.code(), in, opt.fallback ? &insn : nullptr);
            undefined_after(insn, in, n.state, master.data(), n.data.data(), u);
            if (u.result) {
                ++cases_skipped;
                continue;
            }
            ++cases_run;
            ++c;
            ++outcomes[static_cast<int>(n.outcome)];
            const std::string diff = compare(n, p, u);
            if (diff.empty()) continue;
            ++cases_failed;
            if (form_failures++ == 0) printf("FAIL %s\n", f.name.c_str());
            if (reported < opt.max_report) {
                ++reported;
                print_case(bytes, in, n, p, u, diff);
                print_mem_operand(insn, in, master.data(), n, p);
            }
        }
        if (form_failures) {
            ++failed_forms;
            ++failures_by_op[opname];
            printf("  %s: %u of %u cases differ\n", f.name.c_str(), form_failures, opt.cases);
        }
    }

    printf("difftest: covered %zu of %zu decoded user-mode forms (%" PRIu64 " cases run, %" PRIu64
           " skipped as undefined, %" PRIu64 " failed in %zu forms)%s\n",
           covered, decoded, cases_run, cases_skipped, cases_failed, failed_forms,
           opt.fallback ? " [fallback decoder]" : "");
    printf("difftest: outcomes:");
    for (int o = 0; o <= static_cast<int>(Outcome::Other); ++o)
        if (outcomes[o]) printf(" %s %" PRIu64, outcome_name(static_cast<Outcome>(o)), outcomes[o]);
    printf("\n");
    if (!en.other_user.empty()) {
        size_t n = 0;
        for (auto& [op, k] : en.other_user) n += k;
        printf("difftest: %zu decoded x87/SSE forms not run (addressing the harness lacks):", n);
        for (auto& [op, k] : en.other_user) printf(" %s(%u)", op.c_str(), k);
        printf("\n");
    }
    if (!uncovered_by_op.empty()) {
        printf("difftest: uncovered (no Petrel handler):");
        for (auto& [op, n] : uncovered_by_op) printf(" %s(%u)", op.c_str(), n);
        printf("\n");
    }
    if (!failures_by_op.empty()) {
        printf("difftest: failing forms by op:");
        for (auto& [op, n] : failures_by_op) printf(" %s(%u)", op.c_str(), n);
        printf("\n");
    }
    return cases_failed ? 1 : 0;
}
