; arith: integer instructions with known results and flags (SDM vol 2),
; 32-bit protected mode. Each CHECK names the instruction; on a mismatch
; the program prints "FAIL: <what> got X want Y".
%include "guest.inc"

%macro FLAGS 0          ; EDX = EFLAGS
    pushfd
    pop edx
%endmacro

main:
    ; ADD: 0x7fffffff + 1 = 0x80000000, OF SF AF, no CF ZF
    mov eax, 0x7fffffff
    add eax, 1
    FLAGS
    CHECK eax, 0x80000000, "add result"
    CHECKF edx, F_ARITH, F_OF | F_SF | F_AF | F_PF, "add flags"
    ; ADD carry out: 0xffffffff + 1 = 0, CF ZF AF PF
    mov eax, 0xffffffff
    add eax, 1
    FLAGS
    CHECK eax, 0, "add wrap result"
    CHECKF edx, F_ARITH, F_CF | F_ZF | F_AF | F_PF, "add wrap flags"
    ; SUB borrow: 1 - 2 = -1, CF SF AF PF
    mov eax, 1
    sub eax, 2
    FLAGS
    CHECK eax, 0xffffffff, "sub result"
    CHECKF edx, F_ARITH, F_CF | F_SF | F_AF | F_PF, "sub flags"
    ; ADC/SBB 64-bit add and subtract through EDX:EAX
    mov eax, 0xffffffff
    mov ebx, 1
    add eax, 1
    adc ebx, 0
    CHECK ebx, 2, "adc carry in"
    stc
    mov eax, 10
    sbb eax, 3
    CHECK eax, 6, "sbb borrow in"
    ; MUL: 0x80000000 * 4 = 0x2_00000000, CF OF set
    mov eax, 0x80000000
    mov ecx, 4
    mul ecx
    CHECK eax, 0, "mul low"
    CHECK edx, 2, "mul high"
    mov eax, 0x80000000
    mov ecx, 4
    mul ecx
    FLAGS
    CHECKF edx, F_CF | F_OF, F_CF | F_OF, "mul CF/OF"
    ; IMUL three-operand: -3 * 7 = -21, no overflow
    mov ecx, -3
    imul eax, ecx, 7
    FLAGS
    CHECK eax, -21, "imul r,r,imm"
    CHECKF edx, F_CF | F_OF, 0, "imul CF/OF"
    ; IMUL one-operand: -2 * 0x40000000 = -0x80000000 fits: EDX = -1, CF OF clear
    mov eax, -2
    mov ecx, 0x40000000
    imul ecx
    mov ebx, edx
    FLAGS
    CHECKF edx, F_CF | F_OF, 0, "imul one-op CF/OF"
    CHECK eax, 0x80000000, "imul one-op low"
    CHECK ebx, 0xffffffff, "imul one-op high"
    ; DIV: 0x1_00000005 / 0x10 = 0x10000000 r 5
    mov edx, 1
    mov eax, 5
    mov ecx, 0x10
    div ecx
    CHECK eax, 0x10000000, "div quotient"
    CHECK edx, 5, "div remainder"
    ; IDIV: -7 / 2 = -3 r -1 (truncation toward zero)
    mov eax, -7
    cdq
    mov ecx, 2
    idiv ecx
    CHECK eax, -3, "idiv quotient"
    CHECK edx, -1, "idiv remainder"
    ; SHL out of the top: CF = last bit out
    mov eax, 0x80000001
    shl eax, 1
    FLAGS
    CHECK eax, 2, "shl result"
    CHECKF edx, F_CF | F_ZF | F_SF, F_CF, "shl CF"
    ; SHR by 4
    mov eax, 0x1234567f
    shr eax, 4
    FLAGS
    CHECK eax, 0x01234567, "shr result"
    CHECKF edx, F_CF, F_CF, "shr CF (bit 3 out)"
    ; SAR keeps the sign
    mov eax, 0x80000000
    sar eax, 31
    CHECK eax, 0xffffffff, "sar result"
    ; ROL/ROR/RCL/RCR
    mov eax, 0x80000001
    rol eax, 4
    CHECK eax, 0x00000018, "rol result"
    mov eax, 0x00000001
    ror eax, 1
    FLAGS
    CHECK eax, 0x80000000, "ror result"
    CHECKF edx, F_CF, F_CF, "ror CF = msb"
    clc
    mov eax, 0x80000000
    rcl eax, 1
    FLAGS
    CHECK eax, 0, "rcl result"
    CHECKF edx, F_CF, F_CF, "rcl CF"
    stc
    mov eax, 0
    rcr eax, 1
    CHECK eax, 0x80000000, "rcr result"
    ; SHLD/SHRD
    mov eax, 0x12345678
    mov ebx, 0x9abcdef0
    shld eax, ebx, 8
    CHECK eax, 0x3456789a, "shld"
    mov eax, 0x12345678
    shrd eax, ebx, 8
    CHECK eax, 0xf0123456, "shrd"
    ; BT/BTS/BTR/BTC
    mov eax, 0x10
    bt eax, 4
    FLAGS
    CHECKF edx, F_CF, F_CF, "bt CF"
    bts eax, 0
    CHECK eax, 0x11, "bts"
    btr eax, 4
    CHECK eax, 0x01, "btr"
    btc eax, 31
    CHECK eax, 0x80000001, "btc"
    mov dword [global_scratch], 0
    mov dword [global_scratch+4], 0
    mov ecx, 35
    bts [global_scratch], ecx     ; bit offset beyond the dword: next dword
    CHECK dword [global_scratch+4], 8, "bts m32 with register offset 35"
    ; BSF/BSR
    mov ecx, 0x00f00000
    bsf eax, ecx
    CHECK eax, 20, "bsf"
    bsr eax, ecx
    CHECK eax, 23, "bsr"
    xor ecx, ecx
    mov eax, 0x5555
    bsf eax, ecx
    FLAGS
    CHECKF edx, F_ZF, F_ZF, "bsf zero source ZF"
    ; INC/DEC keep CF
    stc
    mov eax, 0xffffffff
    inc eax
    FLAGS
    CHECKF edx, F_CF | F_ZF, F_CF | F_ZF, "inc keeps CF, sets ZF"
    ; NEG
    mov eax, 5
    neg eax
    FLAGS
    CHECK eax, -5, "neg"
    CHECKF edx, F_CF, F_CF, "neg CF"
    ; CMP/TEST/AND/OR/XOR flags
    mov eax, 0xf0
    and eax, 0x0f
    FLAGS
    CHECKF edx, F_ZF | F_CF | F_OF, F_ZF, "and flags"
    mov eax, 3
    cmp eax, 5
    FLAGS
    CHECKF edx, F_CF | F_SF | F_ZF, F_CF | F_SF, "cmp 3,5"
    ; MOVSX/MOVZX/BSWAP/XCHG/XADD/CMPXCHG
    mov ecx, 0x80
    movsx eax, cl
    CHECK eax, 0xffffff80, "movsx"
    movzx eax, cl
    CHECK eax, 0x80, "movzx"
    mov eax, 0x11223344
    bswap eax
    CHECK eax, 0x44332211, "bswap"
    mov eax, 1
    mov ebx, 2
    xadd eax, ebx
    CHECK eax, 3, "xadd sum"
    CHECK ebx, 1, "xadd old"
    mov dword [global_scratch], 7
    mov eax, 7
    mov ecx, 9
    lock cmpxchg [global_scratch], ecx
    FLAGS
    CHECKF edx, F_ZF, F_ZF, "cmpxchg ZF"
    CHECK dword [global_scratch], 9, "cmpxchg store"
    ; BCD: DAA after 0x19 + 0x28 = 0x47
    mov al, 0x19
    add al, 0x28
    daa
    movzx eax, al
    CHECK eax, 0x47, "daa"
    ; LEA with scale
    mov ebx, 0x1000
    mov ecx, 3
    lea eax, [ebx + ecx*8 + 5]
    CHECK eax, 0x101d, "lea"

    ; String ops with REP: fill, copy, compare, scan
    mov edi, str_a
    mov ecx, 16
    mov al, 'x'
    rep stosb
    CHECK ecx, 0, "rep stosb ECX"
    CHECK edi, str_a + 16, "rep stosb EDI"
    mov esi, str_src
    mov edi, str_a
    mov ecx, 4
    rep movsd
    CHECK dword [str_a + 12], 'mnop', "rep movsd data"
    mov esi, str_src
    mov edi, str_a
    mov ecx, 16
    repe cmpsb
    FLAGS
    CHECK ecx, 0, "repe cmpsb ECX (all equal)"
    CHECKF edx, F_ZF, F_ZF, "repe cmpsb ZF"
    mov byte [str_a + 5], 'Z'
    mov esi, str_src
    mov edi, str_a
    mov ecx, 16
    repe cmpsb
    CHECK ecx, 10, "repe cmpsb stops after the mismatch"
    mov edi, str_src
    mov ecx, 16
    mov al, 'k'
    repne scasb
    CHECK edi, str_src + 11, "repne scasb EDI"
    ; backwards with DF=1
    std
    mov esi, str_src + 15
    mov edi, str_a + 15
    mov ecx, 16
    rep movsb
    cld
    CHECK esi, str_src - 1, "std rep movsb ESI"
    CHECK dword [str_a], 'abcd', "std rep movsb data"
    PRINT "arith: all checks done"
    ret

section .data
str_src: db "abcdefghijklmnop"
str_a:   times 16 db 0
section .text
