; iopriv: I/O and flag privilege in ring 3 (SDM vol 1, 18.5 and 3.4.3;
; the POPF, IN/OUT, RDTSC, RDPMC pages). With IOPL 0: IN/OUT allowed port
; by port by the TSS I/O permission bitmap (every byte of a wide access
; checked), CLI #GP(0), POPF silently keeping IF and IOPL but changing
; other flags; with IOPL 3 the bitmap is not consulted and CLI works;
; RDTSC #GP(0) with CR4.TSD, RDPMC #GP(0) with CR4.PCE=0.
%include "guest.inc"

SEL_TSS_IO equ 0x60
IOMAP      equ 104

section .bss
alignb 16
tss_io:    resb IOMAP + 8192 + 1
section .data
align 4
saved_esp: dd 0
r_efl:     dd 0
section .text

%macro ALLOW 1              ; port
    and byte [tss_io + IOMAP + (%1) / 8], ~(1 << ((%1) % 8))
%endmacro

main:
    mov [saved_esp], esp
    mov edi, tss_io
    mov ecx, IOMAP
    xor eax, eax
    rep stosb
    mov ecx, 8193
    mov al, 0xff
    rep stosb
    mov dword [tss_io + 4], ring0_stack_top
    mov dword [tss_io + 8], SEL_DATA32
    mov word [tss_io + 102], IOMAP
%assign p 0x3f8
%rep 8
    ALLOW p
%assign p p+1
%endrep
    ALLOW DEBUG_EXIT
    ALLOW 0x80
    ALLOW 0x84
    ALLOW 0x85
    ALLOW 0x86
    ALLOW 0x87                  ; 0x88 stays denied
    SET_TSS_DESC SEL_TSS_IO, tss_io
    mov word [gdt + SEL_TSS_IO], IOMAP + 8192
    mov ax, SEL_TSS_IO
    ltr ax

    ; ring 3, IOPL 0
    push dword SEL_DATA_U
    push dword ring3_stack_top
    push dword 0x0002
    push dword SEL_CODE32_U
    push dword user0
    iretd

user0:
    mov ax, SEL_DATA_U
    mov ds, ax
    mov es, ax
    in al, 0x80                 ; allowed by the bitmap
    in eax, 0x84                ; 0x84..0x87 all allowed
    EXPECT_EXC_IRET 13, .o1
    out 0x81, al
    FAILMSG "no #GP for OUT to a port the bitmap denies"
.o1:
    CHECK [exc_error], 0, "#GP error for a denied port"
    EXPECT_EXC_IRET 13, .o2
    in ax, 0x87                 ; 0x87 allowed, 0x88 not
    FAILMSG "no #GP for a 2-byte IN straddling into a denied port"
.o2:
    EXPECT_EXC_IRET 13, .o3
    mov dx, 0x88
    in al, dx
    FAILMSG "no #GP for IN DX from a denied port"
.o3:
    EXPECT_EXC_IRET 13, .o4
    cli
    FAILMSG "no #GP for CLI with IOPL 0 in ring 3"
.o4:
    ; POPF: IF and IOPL silently kept, DF changed
    pushfd
    or dword [esp], 0x3200 | 0x400
    popfd
    pushfd
    pop eax
    cld
    and eax, 0x3600
    CHECK eax, 0x400, "POPF in ring 3 with IOPL 0: IF and IOPL kept, DF set"
    ; RDTSC with CR4.TSD=0: fine
    rdtsc
    PRINT "iopriv: I/O bitmap, CLI and POPF with IOPL 0 ok"
    ; back to ring 0 to set CR4.TSD
    EXPECT_EXC 6, ring0_a
    mov eax, [saved_esp]
    mov [exc_saved_esp], eax
    ud2

ring0_a:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov eax, cr4
    or eax, 4                   ; TSD
    and eax, ~0x100             ; PCE off
    mov cr4, eax
    rdtsc                       ; ring 0: still fine
    push dword SEL_DATA_U
    push dword ring3_stack_top
    push dword 0x3002           ; IOPL 3
    push dword SEL_CODE32_U
    push dword user3
    iretd

user3:
    mov ax, SEL_DATA_U
    mov ds, ax
    mov es, ax
    EXPECT_EXC_IRET 13, .t1
    rdtsc
    FAILMSG "no #GP for RDTSC in ring 3 with CR4.TSD"
.t1:
    CHECK [exc_error], 0, "RDTSC #GP error"
    EXPECT_EXC_IRET 13, .t2
    xor ecx, ecx
    rdpmc
    FAILMSG "no #GP for RDPMC in ring 3 with CR4.PCE=0"
.t2:
    CHECK [exc_error], 0, "RDPMC #GP error"
    ; IOPL 3: the bitmap is not consulted, CLI/STI work, POPF sets IF
    mov dx, 0x88
    in al, dx
    cli
    pushfd
    pop eax
    and eax, 0x200
    CHECK eax, 0, "CLI with IOPL 3"
    pushfd
    or dword [esp], 0x200
    popfd
    pushfd
    pop eax
    cli
    and eax, 0x200
    CHECK eax, 0x200, "POPF sets IF with IOPL 3"
    ; POPF still cannot change IOPL at CPL 3
    pushfd
    and dword [esp], ~0x3000
    popfd
    pushfd
    pop eax
    and eax, 0x3000
    CHECK eax, 0x3000, "POPF in ring 3 keeps IOPL"
    PRINT "iopriv: IOPL 3, RDTSC/RDPMC faults ok"
    EXPECT_EXC 6, ring0_b
    mov eax, [saved_esp]
    mov [exc_saved_esp], eax
    ud2

ring0_b:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov eax, cr4
    and eax, ~4
    mov cr4, eax
    ; ring 0 POPF changes IOPL
    pushfd
    pushfd
    or dword [esp], 0x3000
    popfd
    pushfd
    pop eax
    popfd
    and eax, 0x3000
    CHECK eax, 0x3000, "POPF in ring 0 changes IOPL"
    PRINT "iopriv: ring-0 POPF ok"
    ret
