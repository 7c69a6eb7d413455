; smc: self-modifying code and instruction fetch across pages (SDM vol 3,
; 8.1.3, 11.6): a store to the next instruction in straight-line code is
; seen when it executes; code patched between two calls of a function runs
; the new bytes, also when the store goes through another linear alias of
; the same physical page; REP STOSB over the instructions that follow; an
; instruction straddling into a not-present page faults with CR2 = the
; second page and EIP = the instruction, and runs after the page is mapped.
%include "guest.inc"
%include "paging.inc"

CODEPG  equ 0x300000        ; a code page, also seen at ALIAS
ALIAS   equ 0x380000
SPAN    equ 0x310000        ; page before a not-present one (0x311000)

section .data
align 4
runs:   dd 0
section .text

main:
    ; ---- straight-line: patch the next instruction's immediate ----
    mov byte [.t1 + 1], 0x42
.t1:
    mov eax, 0x11111111
    CHECK eax, 0x11111142, "a store into the next instruction is seen"
    ; patch the opcode itself: INC ECX (41) -> DEC ECX (49)
    xor ecx, ecx
    mov byte [.t2], 0x49
.t2:
    inc ecx
    CHECK ecx, 0xffffffff, "a store replacing the next opcode is seen"
    ; REP STOSB over the following instructions: 4 NOPs -> 4 x INC EDX
    xor edx, edx
    mov edi, .t3
    mov al, 0x42                ; INC EDX
    mov ecx, 4
    rep stosb
.t3:
    nop
    nop
    nop
    nop
    CHECK edx, 4, "REP STOSB over the next instructions"
    ; a loop whose body is patched by itself on the first pass
    xor ebx, ebx
    mov ecx, 3
.loop:
.t4:
    add ebx, 1                  ; 83 C3 01: imm8 patched to 0x10
    mov byte [.t4 + 2], 0x10
    loop .loop
    CHECK ebx, 1 + 0x10 + 0x10, "a loop body patched on its first pass"
    PRINT "smc: stores into code in straight-line code and loops ok"

    ; ---- paging: an alias of the code page ----
    call build_32_identity
    ; PTEs below 4 MiB: ALIAS -> CODEPG
    mov dword [PT32_ADDR + (ALIAS >> 12)*4], CODEPG | PT_P | PT_W
    and dword [PT32_ADDR + ((SPAN + 0x1000) >> 12)*4], ~PT_P
    mov eax, PD32_ADDR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    ; CODEPG: mov eax, imm32 ; ret
    mov byte [CODEPG], 0xb8
    mov dword [CODEPG + 1], 0x1234
    mov byte [CODEPG + 5], 0xc3
    mov eax, CODEPG
    call eax
    CHECK eax, 0x1234, "function in the code page"
    mov dword [ALIAS + 1], 0x5678    ; patch through the alias
    mov eax, CODEPG
    call eax
    CHECK eax, 0x5678, "code patched through another linear alias"
    PRINT "smc: code patched through a linear alias ok"

    ; ---- an instruction straddling into a not-present page ----
    mov byte [SPAN + 0xffd], 0xb8    ; mov eax, imm32: 3 bytes here ...
    mov word [SPAN + 0xffe], 0x7777
    EXPECT_EXC 14, .span_pf
    mov eax, SPAN + 0xffd
    call eax
    FAILMSG "no #PF for an instruction straddling into a not-present page"
.span_pf:
    CHECK [exc_cr2], SPAN + 0x1000, "CR2 = the start of the second page"
    CHECK [exc_eip], SPAN + 0xffd, "EIP = the straddling instruction"
    CHECK [exc_error], 0, "#PF error for the fetch (supervisor, not present)"
    or dword [PT32_ADDR + ((SPAN + 0x1000) >> 12)*4], PT_P
    invlpg [SPAN + 0x1000]
    mov word [SPAN + 0x1000], 0x7777 ; ... and 2 bytes there
    mov byte [SPAN + 0x1002], 0xc3
    mov eax, SPAN + 0xffd
    call eax
    CHECK eax, 0x77777777, "the straddling instruction after mapping the page"
    mov eax, cr0
    and eax, ~0x80000000
    mov cr0, eax
    PRINT "smc: instruction fetch across a page boundary ok"
    ret
