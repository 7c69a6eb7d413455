; modes: the whole chain of operating modes with a check in each: 32-bit
; protected -> 16-bit protected -> real mode (exceptions through an IVT
; moved by LIDT: #DE and #UD are faults, INT3 a trap, FLAGS/CS/IP frame,
; IF cleared) -> straight to 32-bit protected mode -> long mode (64-bit)
; -> compatibility mode -> protected mode. In each mode the default
; stack width is measured with PUSH (2, 2, 4, 8, 4 bytes; 4 with 66h in
; real mode), and CR0.PE / EFER.LMA / CS are recorded.
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"

LOW      equ 0x8000
RSEG     equ LOW >> 4
IVT      equ 0x9000          ; the real-mode IVT, moved there by LIDT
%define OFF(x) ((x) - blob)
%define LIN(x) (LOW + OFF(x))

section .data
align 8
saved_esp:  dd 0
w_pm32:     dd 0
w_64:       dd 0
w_compat:   dd 0
lma_64:     dd 0
lma_compat: dd 0
cs_compat:  dd 0
section .text

%macro PUSHW32 1            ; record the PUSH width in 32-bit code
    mov ecx, esp
    push eax
    sub ecx, esp
    pop eax
    mov [%1], ecx
%endmacro

main:
    mov [saved_esp], esp
    mov esi, blob
    mov edi, LOW
    mov ecx, blob_end - blob
    rep movsb
    PUSHW32 w_pm32
    ; IVT at 0x9000: vectors 0, 3, 6 -> the blob's stubs, others zero
    mov edi, IVT
    mov ecx, 256
    xor eax, eax
    rep stosd
    mov dword [IVT + 0*4], (RSEG << 16) | OFF(rm_de)
    mov dword [IVT + 3*4], (RSEG << 16) | OFF(rm_bp)
    mov dword [IVT + 6*4], (RSEG << 16) | OFF(rm_ud)
    jmp SEL_CODE16:LIN(pm16)

up32:                           ; from real mode, straight to 32-bit PM
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, [saved_esp]
    lidt [idtr]
    CHECK [w_pm32], 4, "PUSH width in 32-bit protected mode"
    CHECK [LIN(w_pm16)], 2, "PUSH width in 16-bit protected mode"
    CHECK [LIN(w_real)], 2, "PUSH width in real mode"
    CHECK [LIN(w_real66)], 4, "PUSH width in real mode with 66h"
    CHECK [LIN(pe_real)], 0, "CR0.PE in real mode"
    CHECK [LIN(cs_real)], RSEG, "CS in real mode"
    CHECK [LIN(de_ip)], OFF(real.de_insn), "real-mode #DE: IP of the DIV"
    CHECK [LIN(de_cs)], RSEG, "real-mode #DE: CS"
    CHECK [LIN(ud_ip)], OFF(real.ud_insn), "real-mode #UD: IP of UD2"
    CHECK [LIN(bp_ip)], OFF(real.bp_after), "real-mode INT3: IP after it"
    CHECKF [LIN(bp_fl)], 0x200, 0x200, "real-mode INT3: pushed FLAGS has IF"
    CHECKF [LIN(bp_fl_in)], 0x200, 0, "real-mode INT3: IF clear in the handler"
    PRINT "modes: 32 -> 16-bit PM -> real (IVT exceptions) -> 32 ok"
    ENTER_LONG lm64

bits 64
lm64:
    mov rcx, rsp
    push rax
    sub rcx, rsp
    pop rax
    mov [rel w_64], ecx
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LMA
    mov [rel lma_64], eax
    push SEL_CODE32
    lea rax, [rel compat]
    push rax
    retfq
bits 32
compat:
    PUSHW32 w_compat
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LMA
    mov [lma_compat], eax
    mov ax, cs
    movzx eax, ax
    mov [cs_compat], eax
    jmp SEL_CODE64:lm64_again
bits 64
lm64_again:
    LEAVE_LONG pm32

pm32:
    mov esp, [saved_esp]
    CHECK [w_64], 8, "PUSH width in 64-bit mode"
    CHECK [lma_64], EFER_LMA, "EFER.LMA in 64-bit mode"
    CHECK [w_compat], 4, "PUSH width in compatibility mode"
    CHECK [lma_compat], EFER_LMA, "EFER.LMA in compatibility mode"
    CHECK [cs_compat], SEL_CODE32, "CS in compatibility mode"
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LMA
    CHECK eax, 0, "EFER.LMA back in protected mode"
    PRINT "modes: 32 -> 64 -> compatibility -> 32 ok"
    ret

bits 16
blob:
pm16:                           ; 16-bit protected mode, CS base 0
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov cx, sp
    push ax
    sub cx, sp
    pop ax
    mov [LIN(w_pm16)], cx
    mov eax, cr0
    and eax, ~1
    mov cr0, eax
    jmp RSEG:OFF(real)
real:
    mov ax, RSEG
    mov ds, ax
    xor ax, ax
    mov ss, ax
    mov sp, 0x7000
    lidt [OFF(ivt_ptr)]
    mov eax, cr0
    and eax, 1
    mov [OFF(pe_real)], eax
    mov ax, cs
    mov [OFF(cs_real)], ax
    mov cx, sp
    push ax
    sub cx, sp
    pop ax
    mov [OFF(w_real)], cx
    mov cx, sp
    push eax
    sub cx, sp
    pop eax
    mov [OFF(w_real66)], cx
    ; #DE
    mov word [OFF(resume)], OFF(.de_done)
    xor cx, cx
    mov ax, 1
.de_insn:
    div cl
.de_done:
    mov ax, [OFF(x_ip)]
    mov [OFF(de_ip)], ax
    mov ax, [OFF(x_cs)]
    mov [OFF(de_cs)], ax
    ; #UD
    mov word [OFF(resume)], OFF(.ud_done)
.ud_insn:
    ud2
.ud_done:
    mov ax, [OFF(x_ip)]
    mov [OFF(ud_ip)], ax
    ; INT3 with IF=1
    mov word [OFF(resume)], OFF(.bp_done)
    sti
    int3
.bp_after:
.bp_done:
    cli
    mov ax, [OFF(x_ip)]
    mov [OFF(bp_ip)], ax
    mov ax, [OFF(x_fl)]
    mov [OFF(bp_fl)], ax
    mov ax, [OFF(x_fl_in)]
    mov [OFF(bp_fl_in)], ax
    ; straight back to 32-bit protected mode
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp dword SEL_CODE32:up32

rm_de:
rm_bp:
rm_ud:                          ; frame: IP, CS, FLAGS
    push bp
    mov bp, sp
    mov ax, [bp + 2]
    mov [cs:OFF(x_ip)], ax
    mov ax, [bp + 4]
    mov [cs:OFF(x_cs)], ax
    mov ax, [bp + 6]
    mov [cs:OFF(x_fl)], ax
    pushf
    pop ax
    mov [cs:OFF(x_fl_in)], ax
    pop bp
    add sp, 6
    jmp [cs:OFF(resume)]

align 4
ivt_ptr:  dw 0x3ff
          dd IVT
resume:   dw 0
x_ip:     dw 0
x_cs:     dw 0
x_fl:     dw 0
x_fl_in:  dw 0
align 4
w_pm16:   dd 0
w_real:   dd 0
w_real66: dd 0
pe_real:  dd 0xffff
cs_real:  dd 0
de_ip:    dd 0
de_cs:    dd 0
ud_ip:    dd 0
bp_ip:    dd 0
bp_fl:    dd 0
bp_fl_in: dd 0xffff
blob_end:
bits 32
