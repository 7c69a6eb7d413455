// The host side of the difftest. Layout of the code page:
//   0x000  prologue: save callee-saved registers and RSP, load RFLAGS and the
//          16 GPRs from g_in, jump to the instruction
//   0x800  the instruction, immediately followed by the epilogue: store the
//          GPRs and RFLAGS into g_out, clear DF (the ABI wants it clear),
//          restore RSP and the callee-saved registers, return
// Only absolute addresses of static slots are used after the instruction, so
// it may clobber any register (RSP included). Signals run on an alternate
// stack for the same reason.
//
// The page is mapped twice from one memfd: read+execute at kCodePage (what
// the instruction sees: a write to it faults, as Petrel's read-only code
// page does) and read+write elsewhere for the harness to fill in.
#include "tests/difftest/native.h"

#include <csetjmp>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#include <ucontext.h>

namespace petrel::difftest {

namespace {

State g_in, g_out, g_fault;
uint64_t g_host_rsp, g_tmp_rax;
sigjmp_buf g_jmp;
volatile sig_atomic_t g_in_stub = 0;
volatile int g_signal = 0;

void on_signal(int sig, siginfo_t*, void* ctx) {
    if (!g_in_stub) {
        // A fault in the harness itself: not ours to hide.
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    const auto* uc = static_cast<const ucontext_t*>(ctx);
    const greg_t* g = uc->uc_mcontext.gregs;
    static constexpr int kMap[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                     REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
    for (int i = 0; i < 16; ++i) g_fault.gpr[i] = static_cast<uint64_t>(g[kMap[i]]);
    g_fault.rflags = static_cast<uint64_t>(g[REG_EFL]);
    if (uc->uc_mcontext.fpregs) {
        for (int i = 0; i < 16; ++i) memcpy(g_fault.xmm[i], &uc->uc_mcontext.fpregs->_xmm[i], 16);
        g_fault.mxcsr = uc->uc_mcontext.fpregs->mxcsr;
        memcpy(g_fault.fx, uc->uc_mcontext.fpregs, sizeof g_fault.fx);  // the FXSAVE layout
    }
    g_signal = sig;
    siglongjmp(g_jmp, 1);
}

struct Emitter {
    uint8_t* p;
    void b(std::initializer_list<uint8_t> bytes) {
        for (uint8_t x : bytes) *p++ = x;
    }
    void q(uint64_t v) {
        memcpy(p, &v, 8);
        p += 8;
    }
    void d(uint32_t v) {
        memcpy(p, &v, 4);
        p += 4;
    }
    template <class T>
    void addr(const T* ptr) { q(reinterpret_cast<uint64_t>(ptr)); }
};

constexpr uint32_t kFlagsOff = offsetof(State, rflags);
constexpr uint32_t kXmmOff = offsetof(State, xmm);
constexpr uint32_t kMxcsrOff = offsetof(State, mxcsr);
constexpr uint32_t kFxOff = offsetof(State, fx);

// movdqu xmmN, [base + disp32] (load) or movdqu [base + disp32], xmmN (store);
// base is rdi (7) or rax (0).
void emit_movdqu(Emitter& e, bool store, unsigned n, unsigned base, uint32_t disp) {
    e.b({0xf3});
    if (n >= 8) e.b({0x44});
    e.b({0x0f, static_cast<uint8_t>(store ? 0x7f : 0x6f), static_cast<uint8_t>(0x80 | ((n & 7) << 3) | base)});
    e.d(disp);
}

// code: the writable alias of the page whose executable address is kCodePage.
void emit_prologue(uint8_t* code) {
    Emitter e{code};
    e.b({0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57});  // push rbx rbp r12-r15
    e.b({0x48, 0xb8}); e.addr(&g_host_rsp);                            // mov rax, &g_host_rsp
    e.b({0x48, 0x89, 0x20});                                           // mov [rax], rsp
    e.b({0x48, 0xbf}); e.addr(&g_in);                                  // mov rdi, &g_in
    e.b({0x48, 0x0f, 0xae, 0x8f}); e.d(kFxOff);                        // fxrstor64 [rdi + fx]
    for (unsigned n = 0; n < 16; ++n) emit_movdqu(e, false, n, 7, kXmmOff + 16 * n);
    e.b({0x0f, 0xae, 0x97}); e.d(kMxcsrOff);                           // ldmxcsr [rdi + mxcsr]
    e.b({0x48, 0x8d, 0xa7}); e.d(kFlagsOff);                           // lea rsp, [rdi + rflags]
    e.b({0x9d});                                                       // popfq
    for (unsigned r = 0; r < 16; ++r) {
        if (r == 4 || r == 7) continue;
        // mov r, [rdi + 8*r]
        e.b({static_cast<uint8_t>(r >= 8 ? 0x4c : 0x48), 0x8b, static_cast<uint8_t>(0x47 | ((r & 7) << 3)),
             static_cast<uint8_t>(8 * r)});
    }
    e.b({0x48, 0x8b, 0x67, 0x20});  // mov rsp, [rdi + 32]
    e.b({0x48, 0x8b, 0x7f, 0x38});  // mov rdi, [rdi + 56]
    const uint64_t here = kCodePage + static_cast<uint64_t>(e.p - code) + 5;
    e.b({0xe9}); e.d(static_cast<uint32_t>(kInsnAddr - here));  // jmp insn
}

// Returns the epilogue's length.
unsigned emit_epilogue(uint8_t* at) {
    Emitter e{at};
    e.b({0x48, 0xa3}); e.addr(&g_tmp_rax);  // mov [&g_tmp_rax], rax
    e.b({0x48, 0xb8}); e.addr(&g_out);      // mov rax, &g_out
    for (unsigned r = 1; r < 16; ++r) {
        // mov [rax + 8*r], r
        e.b({static_cast<uint8_t>(r >= 8 ? 0x4c : 0x48), 0x89, static_cast<uint8_t>(0x40 | ((r & 7) << 3)),
             static_cast<uint8_t>(8 * r)});
    }
    for (unsigned n = 0; n < 16; ++n) emit_movdqu(e, true, n, 0, kXmmOff + 16 * n);
    e.b({0x0f, 0xae, 0x98}); e.d(kMxcsrOff);      // stmxcsr [rax + mxcsr]
    e.b({0x48, 0x0f, 0xae, 0x80}); e.d(kFxOff);   // fxsave64 [rax + fx]
    e.b({0x48, 0x8d, 0xa0}); e.d(kFlagsOff + 8);  // lea rsp, [rax + rflags + 8]
    e.b({0x9c});                                  // pushfq
    e.b({0x48, 0xba}); e.addr(&g_tmp_rax);        // mov rdx, &g_tmp_rax
    e.b({0x48, 0x8b, 0x12});                      // mov rdx, [rdx]
    e.b({0x48, 0x89, 0x10});                      // mov [rax], rdx
    e.b({0xfc});                                  // cld
    e.b({0x48, 0xb8}); e.addr(&g_host_rsp);       // mov rax, &g_host_rsp
    e.b({0x48, 0x8b, 0x20});                      // mov rsp, [rax]
    e.b({0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, 0x5d, 0x5b, 0xc3});
    return static_cast<unsigned>(e.p - at);
}

Outcome outcome_of_signal(int sig) {
    switch (sig) {
        case SIGFPE: return Outcome::DivideError;
        case SIGILL: return Outcome::InvalidOpcode;
        case SIGSEGV:
        case SIGBUS: return Outcome::MemoryFault;
        case SIGTRAP: return Outcome::Trap;
        default: return Outcome::Other;
    }
}

}  // namespace

NativeRunner::NativeRunner() {
    const int fd = memfd_create("petrel-difftest-code", 0);
    if (fd < 0 || ftruncate(fd, 4096) != 0) {
        why_ = "cannot create the code page (memfd)";
        return;
    }
    void* x = mmap(reinterpret_cast<void*>(kCodePage), 4096, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED_NOREPLACE,
                   fd, 0);
    void* w = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (x != reinterpret_cast<void*>(kCodePage) || w == MAP_FAILED) {
        why_ = "cannot map the code page at its fixed address";
        return;
    }
    code_ = static_cast<uint8_t*>(w);
    // Data pages between PROT_NONE guards.
    void* g = mmap(reinterpret_cast<void*>(kDataLo - 4096), kDataSize + 8192, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (g != reinterpret_cast<void*>(kDataLo - 4096) ||
        mprotect(reinterpret_cast<void*>(kDataLo), kDataSize, PROT_READ | PROT_WRITE) != 0) {
        why_ = "cannot map the data pages at their fixed address";
        return;
    }
    data_ = reinterpret_cast<uint8_t*>(kDataLo);
    emit_prologue(code_);

    static uint8_t altstack[1 << 16];
    stack_t ss{};
    ss.ss_sp = altstack;
    ss.ss_size = sizeof altstack;
    sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGTRAP}) sigaction(sig, &sa, nullptr);
    ok_ = true;
}

NativeRunner::~NativeRunner() {
    if (code_) {
        munmap(code_, 4096);
        munmap(reinterpret_cast<void*>(kCodePage), 4096);
    }
    if (data_) munmap(data_ - 4096, kDataSize + 8192);
}

RunResult NativeRunner::run(const uint8_t* insn, unsigned len, const State& in) {
    memcpy(code_ + kInsnOffset, insn, len);
    emit_epilogue(code_ + kInsnOffset + len);
    g_in = in;
    g_signal = 0;
    RunResult r;
    // MXCSR's control bits belong to the caller (SysV ABI): put the host's back.
    const unsigned host_mxcsr = __builtin_ia32_stmxcsr();
    uint16_t host_fcw;
    asm volatile("fnstcw %0" : "=m"(host_fcw));
    if (sigsetjmp(g_jmp, 1) == 0) {
        g_in_stub = 1;
        reinterpret_cast<void (*)()>(kCodePage)();
        g_in_stub = 0;
        r.state = g_out;
    } else {
        g_in_stub = 0;
        r.outcome = outcome_of_signal(g_signal);
        r.detail = g_signal;
        r.state = g_fault;
    }
    __builtin_ia32_ldmxcsr(host_mxcsr);
    // The x87 stack must be empty and FCW the caller's at function boundaries.
    asm volatile("fninit\n\tfldcw %0" : : "m"(host_fcw));
    r.data.assign(data_, data_ + kDataSize);
    return r;
}

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::Ok: return "ok";
        case Outcome::DivideError: return "#DE/#MF/#XM";
        case Outcome::InvalidOpcode: return "#UD";
        case Outcome::MemoryFault: return "#GP/#PF/#SS/#AC";
        case Outcome::Trap: return "#DB/#BP";
        default: return "other";
    }
}

}  // namespace petrel::difftest
