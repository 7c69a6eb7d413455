// Decoder unit tests: hand-checked encodings from the Intel SDM (vol. 2,
// chapter 2 and the opcode maps of appendix A) for the rules a random
// comparison against Zydis covers only statistically: REX quirks, 16-bit
// addressing, RIP-relative forms, segment defaults, LOCK, the 15-byte
// limit, NeedMore.
#include <doctest/doctest.h>

#include <initializer_list>
#include <vector>

#include "cpu/decoded_insn.h"
#include "cpu/decoder/format.h"
#include "cpu/state.h"

using namespace petrel;

namespace {

struct Result {
    DecodeStatus st;
    DecodedInsn d;
};

Result dec(CodeMode mode, std::initializer_list<int> bytes) {
    std::vector<uint8_t> b;
    for (int x : bytes) b.push_back(static_cast<uint8_t>(x));
    Result r;
    r.st = decode(b.data(), b.size(), mode, r.d);
    return r;
}
Result d64(std::initializer_list<int> b) { return dec(CodeMode::Bits64, b); }
Result d32(std::initializer_list<int> b) { return dec(CodeMode::Bits32, b); }
Result d16(std::initializer_list<int> b) { return dec(CodeMode::Bits16, b); }

void gpr(const Operand& o, uint8_t reg, uint8_t size) {
    CHECK(o.kind == OpKind::Gpr);
    CHECK(o.reg == reg);
    CHECK(o.size == size);
}

}  // namespace

TEST_CASE("decoder: REX selects SPL/BPL/SIL/DIL instead of AH/CH/DH/BH") {
    auto r = d64({0x88, 0xf0});  // mov al, dh
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.op == Op::MOV);
    CHECK(r.d.opsize == 1);
    gpr(r.d.ops[0], RAX, 1);
    gpr(r.d.ops[1], kHighByteBase + 2, 1);
    r = d64({0x40, 0x88, 0xf0});  // mov al, sil
    REQUIRE(r.st == DecodeStatus::Ok);
    gpr(r.d.ops[1], RSI, 1);
    r = d64({0x41, 0xb0, 0x12});  // mov r8b, 0x12
    REQUIRE(r.st == DecodeStatus::Ok);
    gpr(r.d.ops[0], R8, 1);
    CHECK(r.d.imm == 0x12);
}

TEST_CASE("decoder: REX counts only right before the opcode") {
    auto r = d64({0x48, 0x66, 0x89, 0xc0});  // REX.W then 66: REX ignored, mov ax, ax
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.opsize == 2);
    CHECK_FALSE(r.d.has(kPrefixRex));
    r = d64({0x66, 0x48, 0x89, 0xc0});  // 66 then REX.W: REX.W wins, mov rax, rax
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.opsize == 8);
    CHECK(r.d.length == 4);
    r = d64({0x40, 0x48, 0x89, 0xc0});  // two REX: the last one counts
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.opsize == 8);
}

TEST_CASE("decoder: REX.B extends the opcode register; 90 is NOP, F3 90 PAUSE") {
    auto r = d64({0x41, 0x50});
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.op == Op::PUSH);
    gpr(r.d.ops[0], R8, 8);
    r = d64({0x90});
    CHECK(r.d.op == Op::NOP);
    CHECK(r.d.nops == 0);
    r = d64({0x41, 0x90});
    CHECK(r.d.op == Op::XCHG);
    gpr(r.d.ops[0], R8, 4);
    gpr(r.d.ops[1], RAX, 4);
    r = d64({0xf3, 0x90});
    CHECK(r.d.op == Op::PAUSE);
    CHECK_FALSE(r.d.rep());
    r = d64({0xf3, 0x41, 0x90});  // REX.B: XCHG r8d, eax, F3 or not (as the hardware executes it)
    CHECK(r.d.op == Op::XCHG);
    gpr(r.d.ops[0], R8, 4);
    r = d32({0x40});  // INC eax outside 64-bit mode
    CHECK(r.d.op == Op::INC);
    gpr(r.d.ops[0], RAX, 4);
}

TEST_CASE("decoder: 16-bit addressing forms and their default segments") {
    auto r = d16({0x8b, 0x02});  // mov ax, [bp+si]
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.addrsize == 2);
    CHECK(r.d.mem_base == RBP);
    CHECK(r.d.mem_index == RSI);
    CHECK(r.d.mem_seg == SS);
    gpr(r.d.ops[0], RAX, 2);
    r = d16({0x8b, 0x46, 0xfe});  // mov ax, [bp-2]
    CHECK(r.d.mem_base == RBP);
    CHECK(r.d.disp == -2);
    CHECK(r.d.mem_seg == SS);
    r = d16({0x8b, 0x06, 0x34, 0x12});  // mov ax, [0x1234]
    CHECK(r.d.mem_base == kNoReg);
    CHECK(r.d.disp == 0x1234);
    CHECK(r.d.mem_seg == DS);
    CHECK(r.d.length == 4);
    r = d16({0x8b, 0x87, 0x00, 0x80});  // mov ax, [bx-0x8000]
    CHECK(r.d.mem_base == RBX);
    CHECK(r.d.disp == -0x8000);
    r = d32({0x67, 0x8b, 0x01});  // 67 in 32-bit code: [bx+di]
    CHECK(r.d.addrsize == 2);
    CHECK(r.d.mem_base == RBX);
    CHECK(r.d.mem_index == RDI);
    r = d16({0x66, 0x67, 0x8b, 0x04, 0x24});  // 32-bit addressing in 16-bit code: [esp]
    CHECK(r.d.addrsize == 4);
    CHECK(r.d.opsize == 4);
    CHECK(r.d.mem_base == RSP);
    CHECK(r.d.mem_seg == SS);
}

TEST_CASE("decoder: RIP-relative and SIB forms") {
    auto r = d64({0x8b, 0x05, 0x10, 0x00, 0x00, 0x00});  // mov eax, [rip+0x10]
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.mem_base == kRipReg);
    CHECK(r.d.disp == 0x10);
    CHECK(r.d.length == 6);
    r = d64({0x67, 0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff});  // [eip-0x10]
    CHECK(r.d.mem_base == kRipReg);
    CHECK(r.d.addrsize == 4);
    CHECK(r.d.disp == -0x10);
    r = d32({0x8b, 0x05, 0x10, 0x00, 0x00, 0x00});  // outside 64-bit mode: absolute
    CHECK(r.d.mem_base == kNoReg);
    r = d64({0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12});  // SIB with no base, no index: [0x12345678]
    CHECK(r.d.mem_base == kNoReg);
    CHECK(r.d.mem_index == kNoReg);
    CHECK(r.d.disp == 0x12345678);
    r = d64({0x42, 0x8b, 0x04, 0xa0});  // [rax+r12*4]: R12 can be an index
    CHECK(r.d.mem_base == RAX);
    CHECK(r.d.mem_index == R12);
    CHECK(r.d.mem_scale == 4);
    r = d64({0x41, 0x8b, 0x45, 0x00});  // [r13+0]: R13 needs a displacement and is not SS-based
    CHECK(r.d.mem_base == R13);
    CHECK(r.d.mem_seg == DS);
    CHECK(r.d.length == 4);
    r = d64({0x41, 0x8b, 0x04, 0x24});  // [r12]: needs a SIB like RSP
    CHECK(r.d.mem_base == R12);
    CHECK(r.d.length == 4);
    r = d64({0x8b, 0x44, 0x24, 0x08});  // [rsp+8]: SS
    CHECK(r.d.mem_base == RSP);
    CHECK(r.d.mem_seg == SS);
}

TEST_CASE("decoder: segment overrides, and what 64-bit mode ignores") {
    auto r = d64({0x64, 0x8b, 0x00});
    CHECK(r.d.mem_seg == FS);
    CHECK(r.d.has(kPrefixSegment));
    r = d64({0x3e, 0x8b, 0x04, 0x24});  // DS override ignored in 64-bit mode: still SS
    CHECK(r.d.mem_seg == SS);
    CHECK_FALSE(r.d.has(kPrefixSegment));
    r = d64({0x65, 0x2e, 0x8b, 0x00});  // a later CS does not undo GS
    CHECK(r.d.mem_seg == GS);
    r = d32({0x3e, 0x8b, 0x04, 0x24});
    CHECK(r.d.mem_seg == DS);
    r = d32({0x26, 0x36, 0x8b, 0x00});  // last wins
    CHECK(r.d.mem_seg == SS);
    r = d32({0x2e, 0xa4});  // string source segment through mem_seg
    CHECK(r.d.op == Op::MOVS);
    CHECK(r.d.opsize == 1);
    CHECK(r.d.mem_seg == CS);
    CHECK(r.d.has(kPrefixSegment));
}

TEST_CASE("decoder: LOCK only on lockable operations with a memory destination") {
    CHECK(d64({0xf0, 0x01, 0x00}).st == DecodeStatus::Ok);       // lock add [rax], eax
    CHECK(d64({0xf0, 0x01, 0xc0}).st == DecodeStatus::Invalid);  // register destination
    CHECK(d64({0xf0, 0x8b, 0x00}).st == DecodeStatus::Invalid);  // MOV
    CHECK(d64({0xf0, 0x39, 0x00}).st == DecodeStatus::Invalid);  // CMP
    CHECK(d64({0xf0, 0x87, 0x00}).st == DecodeStatus::Ok);       // XCHG
    CHECK(d64({0xf0, 0x0f, 0xc7, 0x08}).st == DecodeStatus::Ok); // CMPXCHG8B
    CHECK(d64({0xf0, 0x0f, 0xa3, 0x00}).st == DecodeStatus::Invalid);  // BT reads only
    CHECK(d64({0xf0, 0x0f, 0xab, 0x00}).st == DecodeStatus::Ok);       // BTS
    CHECK(d64({0xf0, 0x0f, 0x20, 0xc0}).st == DecodeStatus::Invalid);  // AMD's CR8 alias: #UD on Intel
    CHECK(d64({0xf0, 0x90}).st == DecodeStatus::Invalid);
    auto r = d64({0xf0, 0x83, 0x00, 0x01});
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.lock());
}

TEST_CASE("decoder: the 15-byte limit and NeedMore") {
    std::vector<uint8_t> b(14, 0x66);
    b.push_back(0x90);
    DecodedInsn d;
    CHECK(decode(b.data(), b.size(), CodeMode::Bits64, d) == DecodeStatus::Ok);
    CHECK(d.length == 15);
    b.insert(b.begin(), 0x66);
    CHECK(decode(b.data(), b.size(), CodeMode::Bits64, d) == DecodeStatus::TooLong);
    // 11 prefixes + mov eax, imm32 = 16 bytes.
    std::vector<uint8_t> c(11, 0x2e);
    for (int x : {0xb8, 1, 2, 3, 4}) c.push_back(static_cast<uint8_t>(x));
    CHECK(decode(c.data(), c.size(), CodeMode::Bits32, d) == DecodeStatus::TooLong);
    CHECK(d64({}).st == DecodeStatus::NeedMore);
    CHECK(d64({0x66}).st == DecodeStatus::NeedMore);
    CHECK(d64({0x0f}).st == DecodeStatus::NeedMore);
    CHECK(d64({0x0f, 0x38}).st == DecodeStatus::NeedMore);
    CHECK(d64({0xb8, 1, 2, 3}).st == DecodeStatus::NeedMore);
    CHECK(d64({0x8b, 0x04}).st == DecodeStatus::NeedMore);
    CHECK(d64({0x8b, 0x80, 0, 0}).st == DecodeStatus::NeedMore);
    CHECK(d64({0xc4, 0xe2}).st == DecodeStatus::NeedMore);
}

TEST_CASE("decoder: opcodes invalid in 64-bit mode, and VEX/EVEX there") {
    for (int op : {0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0xce, 0xd6})
        CHECK(d64({op, 0, 0, 0, 0, 0, 0}).st == DecodeStatus::Invalid);
    CHECK(d64({0xd4, 0x0a}).st == DecodeStatus::Invalid);           // AAM
    CHECK(d64({0x82, 0xc0, 0x01}).st == DecodeStatus::Invalid);     // 82 alias
    CHECK(d64({0x9a, 1, 2, 3, 4, 5, 6}).st == DecodeStatus::Invalid);
    CHECK(d64({0xc5, 0x00}).st == DecodeStatus::Invalid);           // VEX (AVX): #UD
    CHECK(d64({0x62, 0x00, 0x00, 0x00}).st == DecodeStatus::Invalid);  // EVEX
    auto r = d32({0xc5, 0x00});  // LDS eax, [eax] outside 64-bit mode
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.op == Op::LDS);
    CHECK(r.d.ops[1].size == 6);
    CHECK(d32({0x62, 0x00}).st == DecodeStatus::Ok);                // BOUND
    CHECK(d32({0x62, 0xc0, 0, 0, 0, 0}).st == DecodeStatus::Invalid);  // EVEX
    r = d32({0x27});
    CHECK(r.d.op == Op::DAA);
}

TEST_CASE("decoder: memory-only and register-only forms") {
    CHECK(d64({0x8d, 0xc0}).st == DecodeStatus::Invalid);        // LEA reg, reg
    CHECK(d64({0x0f, 0x01, 0xd8}).st == DecodeStatus::Invalid);  // LIDT reg slot: VMRUN (SVM)
    CHECK(d64({0x0f, 0xc7, 0xc8}).st == DecodeStatus::Invalid);  // CMPXCHG8B reg
    CHECK(d64({0xc4, 0xc0, 0x00}).st == DecodeStatus::Invalid);  // (VEX in 64-bit mode)
    CHECK(d32({0xc4, 0x00}).st == DecodeStatus::Ok);             // LES
    CHECK(d64({0x0f, 0x12, 0x00}).d.op == Op::MOVLPS);
    CHECK(d64({0x0f, 0x12, 0xc0}).d.op == Op::MOVHLPS);
    auto r = d64({0x8d, 0x04, 0x40});  // lea eax, [rax+rax*2]
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.ops[1].kind == OpKind::Mem);
    CHECK(r.d.ops[1].size == 0);
}

TEST_CASE("decoder: operand sizes: defaults, 66, REX.W, near branches, stack") {
    auto r = d64({0x50});
    CHECK(r.d.opsize == 8);
    r = d64({0x66, 0x50});
    CHECK(r.d.opsize == 2);
    gpr(r.d.ops[0], RAX, 2);
    r = d64({0x66, 0xe8, 1, 0, 0, 0});  // Intel: 66 ignored on near CALL in 64-bit mode
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.length == 6);
    CHECK(r.d.opsize == 8);
    CHECK(r.d.imm == 1);
    r = d32({0x66, 0xe8, 1, 0});  // 16-bit CALL rel16 in 32-bit code
    CHECK(r.d.length == 4);
    CHECK(r.d.opsize == 2);
    r = d64({0xeb, 0xfe});
    CHECK(r.d.op == Op::JMP);
    CHECK(r.d.ops[0].kind == OpKind::Rel);
    CHECK(static_cast<int64_t>(r.d.imm) == -2);
    r = d64({0x0f, 0x84, 0x00, 0x01, 0x00, 0x00});
    CHECK(r.d.op == Op::JCC);
    CHECK(r.d.cond == 4);
    CHECK(r.d.imm == 0x100);
    r = d64({0x48, 0x83, 0xc0, 0xff});  // add rax, -1: Ib sign-extended
    CHECK(r.d.imm == ~0ull);
    CHECK(r.d.ops[1].size == 8);
    r = d64({0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8});  // mov rax, imm64
    CHECK(r.d.length == 10);
    CHECK(r.d.imm == 0x0807060504030201ull);
    r = d64({0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff});  // mov rax, -1 (Iz sign-extended)
    CHECK(r.d.imm == ~0ull);
    r = d64({0x0f, 0x20, 0xc0});  // mov rax, cr0: 64-bit whatever the prefixes
    CHECK(r.d.op == Op::MOV_CR);
    CHECK(r.d.opsize == 8);
    CHECK(r.d.ops[1].kind == OpKind::Cr);
    CHECK(d64({0x0f, 0x20, 0xc8}).st == DecodeStatus::Invalid);  // CR1
    r = d64({0x44, 0x0f, 0x22, 0xc0});  // mov cr8, rax
    CHECK(r.d.ops[0].kind == OpKind::Cr);
    CHECK(r.d.ops[0].reg == 8);
}

TEST_CASE("decoder: implicit operands are explicit; immediates and pointers") {
    auto r = d64({0x04, 0x7f});  // add al, 0x7f
    CHECK(r.d.nops == 2);
    gpr(r.d.ops[0], RAX, 1);
    r = d64({0xec});  // in al, dx
    CHECK(r.d.op == Op::IN);
    gpr(r.d.ops[1], RDX, 2);
    r = d64({0xd3, 0xe0});  // shl eax, cl
    gpr(r.d.ops[1], RCX, 1);
    r = d64({0xd1, 0xe0});  // shl eax, 1
    CHECK(r.d.ops[1].kind == OpKind::Imm);
    CHECK(r.d.imm == 1);
    r = d64({0xf7, 0xe1});  // mul ecx: rDX:rAX stay implicit
    CHECK(r.d.op == Op::MUL);
    CHECK(r.d.nops == 1);
    r = d64({0xc8, 0x10, 0x00, 0x01});  // enter 16, 1
    CHECK(r.d.op == Op::ENTER);
    CHECK(r.d.imm == 16);
    CHECK(r.d.imm2 == 1);
    r = d32({0xea, 0x78, 0x56, 0x34, 0x12, 0x08, 0x00});  // jmp 0008:12345678
    CHECK(r.d.op == Op::JMP_FAR);
    CHECK(r.d.imm == 0x12345678);
    CHECK(r.d.imm2 == 8);
    r = d64({0xa1, 1, 2, 3, 4, 5, 6, 7, 8});  // mov eax, [moffs64]
    CHECK(r.d.length == 9);
    CHECK(r.d.mem_base == kNoReg);
    CHECK(static_cast<uint64_t>(r.d.disp) == 0x0807060504030201ull);
    r = d64({0x67, 0xa1, 1, 2, 3, 4});  // moffs32
    CHECK(r.d.length == 6);
    r = d64({0x8e, 0xd8});  // mov ds, eax
    CHECK(r.d.op == Op::MOV_SREG);
    CHECK(r.d.ops[0].kind == OpKind::Seg);
    CHECK(r.d.ops[0].reg == DS);
    CHECK(d64({0x8e, 0xc8}).st == DecodeStatus::Invalid);  // mov cs, ...
    CHECK(d64({0x8c, 0xf0}).st == DecodeStatus::Invalid);  // Sreg 6
    r = d64({0x0f, 0xa0});  // push fs
    CHECK(r.d.ops[0].kind == OpKind::Seg);
    CHECK(r.d.ops[0].reg == FS);
}

TEST_CASE("decoder: SSE mandatory prefixes and MMX/SSE operand kinds") {
    auto r = d64({0x66, 0x0f, 0x6e, 0xc0});
    CHECK(r.d.op == Op::MOVD);
    CHECK(r.d.ops[0].kind == OpKind::Xmm);
    gpr(r.d.ops[1], RAX, 4);
    CHECK(r.d.has(kPrefixOpsize));  // present, though a mandatory prefix here
    r = d64({0x66, 0x48, 0x0f, 0x6e, 0xc0});
    CHECK(r.d.op == Op::MOVQ);
    gpr(r.d.ops[1], RAX, 8);
    r = d64({0x0f, 0xfc, 0xc1});  // paddb mm0, mm1
    CHECK(r.d.op == Op::PADDB);
    CHECK(r.d.ops[0].kind == OpKind::Mmx);
    r = d64({0x66, 0x0f, 0xfc, 0x00});  // paddb xmm0, [rax]
    CHECK(r.d.ops[1].kind == OpKind::Mem);
    CHECK(r.d.ops[1].size == 16);
    r = d64({0xf3, 0x0f, 0x10, 0x00});  // movss xmm0, dword [rax]
    CHECK(r.d.op == Op::MOVSS);
    CHECK(r.d.ops[1].size == 4);
    CHECK_FALSE(r.d.rep());
    r = d64({0xf3, 0xf2, 0x0f, 0x10, 0xc0});  // last of F2/F3 wins: movsd
    CHECK(r.d.op == Op::MOVSD);
    CHECK(d64({0xf3, 0x0f, 0x28, 0xc0}).st == DecodeStatus::Invalid);  // no F3 MOVAPS
    r = d64({0x66, 0x0f, 0x38, 0x00, 0xc1});
    CHECK(r.d.op == Op::PSHUFB);
    CHECK(r.d.map == 2);
    r = d64({0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x11});
    CHECK(r.d.op == Op::PCLMULQDQ);
    CHECK(r.d.imm == 0x11);
    r = d64({0x66, 0x0f, 0x38, 0x10, 0xc1});  // pblendvb xmm0, xmm1, <xmm0>
    CHECK(r.d.nops == 3);
    CHECK(r.d.ops[2].kind == OpKind::Xmm);
    r = d64({0xf3, 0x0f, 0xb8, 0xc1});
    CHECK(r.d.op == Op::POPCNT);
    r = d64({0xf3, 0x0f, 0xbc, 0xc1});
    CHECK(r.d.op == Op::TZCNT);
    r = d64({0x0f, 0xbc, 0xc1});
    CHECK(r.d.op == Op::BSF);
    r = d64({0xf2, 0x0f, 0x38, 0xf1, 0xc1});  // crc32 eax, ecx
    CHECK(r.d.op == Op::CRC32);
}

TEST_CASE("decoder: x87") {
    auto r = d64({0xd9, 0xe8});
    CHECK(r.d.op == Op::FLD1);
    r = d64({0xde, 0xc1});  // faddp st(1), st(0)
    CHECK(r.d.op == Op::FADDP);
    CHECK(r.d.ops[0].kind == OpKind::St);
    CHECK(r.d.ops[0].reg == 1);
    r = d64({0xda, 0xc1});  // fcmovb st(0), st(1)
    CHECK(r.d.op == Op::FCMOVCC);
    CHECK(r.d.cond == 2);
    r = d64({0xdb, 0x28});  // fld tbyte [rax]
    CHECK(r.d.op == Op::FLD);
    CHECK(r.d.ops[0].size == 10);
    r = d64({0xdf, 0xe0});  // fnstsw ax
    CHECK(r.d.op == Op::FNSTSW);
    gpr(r.d.ops[0], RAX, 2);
    CHECK(d64({0xd9, 0xd1}).st == DecodeStatus::Invalid);
}

TEST_CASE("decoder: VEX-encoded BMI1/BMI2 only") {
    auto r = d64({0xc4, 0xe2, 0x78, 0xf2, 0xc1});  // andn eax, eax, ecx
    REQUIRE(r.st == DecodeStatus::Ok);
    CHECK(r.d.op == Op::ANDN);
    gpr(r.d.ops[0], RAX, 4);
    gpr(r.d.ops[1], RAX, 4);
    gpr(r.d.ops[2], RCX, 4);
    r = d64({0xc4, 0xe2, 0xf8, 0xf2, 0xc1});  // VEX.W: andn rax, rax, rcx
    CHECK(r.d.opsize == 8);
    r = d64({0xc4, 0x62, 0x30, 0xf2, 0xc1});  // VEX.R, vvvv=9: andn r8d, r9d, ecx
    gpr(r.d.ops[0], R8, 4);
    gpr(r.d.ops[1], R9, 4);
    CHECK(d64({0xc4, 0xe2, 0x7c, 0xf2, 0xc1}).st == DecodeStatus::Invalid);        // L = 1
    CHECK(d64({0x66, 0xc4, 0xe2, 0x78, 0xf2, 0xc1}).st == DecodeStatus::Invalid);  // 66 before VEX
    CHECK(d64({0xc4, 0xe3, 0x7b, 0xf0, 0xc1, 0x05}).d.op == Op::RORX);
    CHECK(d64({0xc4, 0xe3, 0x73, 0xf0, 0xc1, 0x05}).st == DecodeStatus::Invalid);  // RORX with vvvv != 1111
    CHECK(d64({0xc5, 0xf8, 0x77}).st == DecodeStatus::Invalid);                    // VZEROUPPER (AVX)
    r = d32({0xc4, 0xe2, 0x78, 0xf3, 0xc9});  // blsr eax, ecx in 32-bit code
    CHECK(r.d.op == Op::BLSR);
}

TEST_CASE("decoder: system groups") {
    CHECK(d64({0x0f, 0x01, 0xf8}).d.op == Op::SWAPGS);
    CHECK(d32({0x0f, 0x01, 0xf8}).st == DecodeStatus::Invalid);
    CHECK(d64({0x0f, 0x01, 0xf9}).d.op == Op::RDTSCP);
    CHECK(d64({0x0f, 0x01, 0xd0}).d.op == Op::XGETBV);
    CHECK(d64({0x0f, 0x01, 0xca}).d.op == Op::CLAC);
    auto r = d64({0x0f, 0x01, 0x10});  // lgdt [rax]
    CHECK(r.d.op == Op::LGDT);
    CHECK(r.d.ops[0].size == 10);
    r = d32({0x0f, 0x01, 0x10});
    CHECK(r.d.ops[0].size == 6);
    CHECK(d64({0x0f, 0xae, 0xe8}).d.op == Op::LFENCE);
    CHECK(d64({0xf3, 0x48, 0x0f, 0xae, 0xc0}).d.op == Op::RDFSBASE);
    CHECK(d64({0x48, 0x0f, 0xc7, 0x08}).d.op == Op::CMPXCHG16B);
    CHECK(d64({0x0f, 0xc7, 0xf0}).d.op == Op::RDRAND);
    CHECK(d64({0xf3, 0x0f, 0xc7, 0xf8}).d.op == Op::RDPID);
    CHECK(d64({0x66, 0x0f, 0x38, 0x82, 0x00}).d.op == Op::INVPCID);
    CHECK(d64({0x0f, 0x1f, 0x44, 0x00, 0x00}).d.op == Op::NOP);
    CHECK(d64({0x0f, 0x18, 0x08}).d.op == Op::PREFETCH);
    CHECK(d64({0x0f, 0x0b}).d.op == Op::UD2);
}

TEST_CASE("decoder: format_insn") {
    CHECK(format_insn(d64({0x48, 0x89, 0xe5}).d) == "mov rbp, rsp");
    CHECK(format_insn(d64({0xf3, 0xa4}).d) == "rep movsb");
    CHECK(format_insn(d64({0x8b, 0x44, 0x24, 0x08}).d) == "mov eax, dword ptr ss:[rsp+0x8]");
}
