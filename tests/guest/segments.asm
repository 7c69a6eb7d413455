; segments: protected-mode segment checks (SDM vol 3, 5.4-5.7, and the
; instruction pages): LAR (access rights, which descriptor types it accepts,
; DPL/RPL visibility, conforming code), LSL (byte- and page-granular limits,
; gates rejected), VERR/VERW, ARPL; data/stack segment loads: execute-only
; code, read-only SS, SS with RPL or DPL != CPL, null SS, DPL < RPL, a TI=1
; selector with a null LDTR, MOV to CS (#UD); the accessed bit written back
; to the descriptor on a load.
%include "guest.inc"

S_XO     equ 0x60      ; code32 execute-only, DPL 0
S_CONF   equ 0x68      ; code32 readable conforming, DPL 0
S_RO     equ 0x70      ; data read-only, DPL 0, limit 0x12345 bytes
S_DATA3  equ 0x78      ; data RW, DPL 3, 4 GiB
S_NOACC  equ 0x80      ; data RW, DPL 0, accessed bit clear
S_CGATE  equ 0x88      ; call gate, DPL 3
S_IGATE  equ 0x90      ; interrupt gate in the GDT (not valid for LAR)
S_LDT    equ 0x98      ; LDT descriptor, limit 0xff

; LARCHK selector, expected ZF (1 = valid), expected rights (& 0x00f0ff00)
%macro LARCHK 3
%defstr %%sel %1
%strcat %%zf "LAR ZF for selector ", %%sel
%strcat %%rr "LAR rights for selector ", %%sel
%strcat %%keep "LAR leaves the destination on failure, selector ", %%sel
    mov eax, 0xdeadbeef
    mov ecx, %1
    lar eax, ecx
    setz bl
    movzx ebx, bl
    CHECK ebx, %2, %%zf
%if %2
    and eax, 0x00f0ff00
    CHECK eax, %3, %%rr
%else
    CHECK eax, 0xdeadbeef, %%keep
%endif
%endmacro
%macro LSLCHK 3
%defstr %%sel %1
%strcat %%zf "LSL ZF for selector ", %%sel
%strcat %%rr "LSL result for selector ", %%sel
    mov eax, 0xdeadbeef
    mov ecx, %1
    lsl eax, ecx
    setz bl
    movzx ebx, bl
    CHECK ebx, %2, %%zf
    CHECK eax, %3, %%rr
%endmacro
%macro VCHK 3           ; verr/verw, selector, expected ZF
%defstr %%op %1
%defstr %%sel %2
%strcat %%zf %%op, " ZF for selector ", %%sel
    mov ecx, %2
    %1 cx
    setz bl
    movzx ebx, bl
    CHECK ebx, %3, %%zf
%endmacro
%macro LOADFAIL 4       ; segreg, selector, vector, error
%defstr %%reg %1
%defstr %%sel %2
%strcat %%no "no fault loading ", %%reg, " with ", %%sel
%strcat %%err "error code loading ", %%reg, " with ", %%sel
    mov ax, %2
    EXPECT_EXC %3, %%done
    mov %1, ax
    FAILMSG %%no
%%done:
    CHECK [exc_error], %4, %%err
%endmacro

main:
    SET_DESC S_XO,    0x0000ffff, 0x00cf9800
    SET_DESC S_CONF,  0x0000ffff, 0x00cf9e00
    SET_DESC S_RO,    0x00002345, 0x00019000
    SET_DESC S_DATA3, 0x0000ffff, 0x00cff200
    SET_DESC S_NOACC, 0x0000ffff, 0x00cf9200
    SET_GATE_DESC S_CGATE, SEL_CODE32, main, 0xec00
    SET_GATE_DESC S_IGATE, SEL_CODE32, main, 0x8e00
    SET_DESC S_LDT,   0x000000ff, 0x00008200

    ; ---- LAR ----
    ; (not LAR of the running CS: QEMU TCG does not set the accessed bit
    ; of a code descriptor loaded by a far JMP, hardware does)
    LARCHK S_XO, 1, 0x00c09800
    LARCHK S_RO, 1, 0x00009000
    LARCHK S_DATA3 | 3, 1, 0x00c0f200
    LARCHK S_CGATE, 1, 0x0010ec00      ; bits 23:20 = offset bits (main = 0x10xxxx)
    LARCHK S_LDT, 1, 0x00008200
    LARCHK SEL_TSS, 1, 0x00008b00      ; busy 32-bit TSS
    LARCHK S_IGATE, 0, 0
    LARCHK S_RO | 3, 0, 0              ; DPL 0 < RPL 3
    LARCHK S_CONF | 3, 1, 0x00c09e00   ; conforming code: visible anyway
    LARCHK 0, 0, 0                     ; null selector
    LARCHK 0x1f8, 0, 0                 ; beyond the GDT limit
    PRINT "segments: LAR ok"

    ; ---- LSL ----
    LSLCHK SEL_DATA32, 1, 0xffffffff
    LSLCHK S_RO, 1, 0x12345
    LSLCHK SEL_TSS, 1, 103
    LSLCHK S_LDT, 1, 0xff
    mov eax, 0x5555
    mov ecx, S_CGATE
    lsl eax, ecx
    setz bl
    movzx ebx, bl
    CHECK ebx, 0, "LSL ZF for a call gate"
    CHECK eax, 0x5555, "LSL leaves the destination for a call gate"
    PRINT "segments: LSL ok"

    ; ---- VERR / VERW ----
    VCHK verr, SEL_DATA32, 1
    VCHK verw, SEL_DATA32, 1
    VCHK verr, S_RO, 1
    VCHK verw, S_RO, 0
    VCHK verr, S_XO, 0
    VCHK verr, SEL_CODE32, 1
    VCHK verw, SEL_CODE32, 0
    VCHK verr, S_CONF | 3, 1
    VCHK verr, S_RO | 3, 0
    VCHK verr, S_CGATE, 0
    VCHK verr, 0, 0

    ; ---- ARPL ----
    mov ax, 0x0010
    mov bx, 0x0003
    arpl ax, bx
    setz cl
    movzx ecx, cl
    movzx eax, ax
    CHECK eax, 0x13, "ARPL raises the RPL"
    CHECK ecx, 1, "ARPL ZF when adjusted"
    mov ax, 0x0013
    mov bx, 0x0001
    arpl ax, bx
    setz cl
    movzx ecx, cl
    movzx eax, ax
    CHECK eax, 0x13, "ARPL keeps a higher RPL"
    CHECK ecx, 0, "ARPL ZF when not adjusted"
    PRINT "segments: VERR/VERW/ARPL ok"

    ; ---- segment register loads ----
    LOADFAIL ds, S_XO, 13, S_XO
    LOADFAIL ss, S_RO, 13, S_RO
    LOADFAIL ss, SEL_DATA32 | 3, 13, SEL_DATA32
    LOADFAIL ss, S_DATA3 | 3, 13, S_DATA3
    LOADFAIL ss, 0, 13, 0
    LOADFAIL ds, SEL_DATA32 | 3, 13, SEL_DATA32
    xor eax, eax
    lldt ax                            ; LDTR null (the loader leaves it as is)
    LOADFAIL es, 0x0004, 13, 0x0004
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ax, S_CONF                     ; readable code into a data register
    mov fs, ax
    mov ax, S_DATA3 | 3                ; DPL 3 >= max(CPL 0, RPL 3)
    mov gs, ax
    xor eax, eax
    mov fs, ax                         ; null into a data register: fine
    mov gs, ax
    EXPECT_EXC 6, .cs_done
    mov ax, SEL_CODE32
    db 0x8e, 0xc8                      ; mov cs, ax
    FAILMSG "no #UD for MOV to CS"
.cs_done:
    movzx eax, byte [gdt + S_NOACC + 5]
    CHECK eax, 0x92, "accessed bit clear before the load"
    mov ax, S_NOACC
    mov fs, ax
    movzx eax, byte [gdt + S_NOACC + 5]
    CHECK eax, 0x93, "accessed bit set by the load"
    xor eax, eax
    mov fs, ax
    PRINT "segments: segment loads ok"
    ret
