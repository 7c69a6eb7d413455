; realmode: protected -> 16-bit protected -> real mode (CS reloaded), real-mode
; code (segment arithmetic, an INT through an IVT entry installed here, no
; BIOS), then back to 32-bit protected mode. The 16-bit code is copied to
; 0x8000 (a 16-bit segment cannot reach the image at 1 MiB); results are
; left in its data area and checked in protected mode.
%include "guest.inc"

LOW      equ 0x8000          ; where the blob runs
RSEG     equ LOW >> 4        ; its real-mode segment
%define OFF(x) ((x) - blob)  ; offset inside the blob (= real-mode IP)
%define LIN(x) (LOW + OFF(x))

main:
    mov [saved_esp], esp
    mov esi, blob
    mov edi, LOW
    mov ecx, blob_end - blob
    rep movsb
    jmp SEL_CODE16:LIN(pm16)

back32:                       ; 32-bit protected mode again
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, [saved_esp]
    lidt [idtr]
    CHECK [LIN(r_cs)], RSEG, "CS in real mode"
    CHECK [LIN(r_seg)], 0x5a, "segment arithmetic 1234:0010 = 1235:0000"
    CHECK [LIN(r_int_ax)], 0xbeef, "AX set by the INT 0x80 handler"
    CHECK [LIN(r_int_cs)], RSEG, "CS pushed by INT (seen by the handler)"
    CHECK [LIN(r_flags)], 0, "IF cleared by INT (handler's FLAGS & IF)"
    CHECK [LIN(r_after)], 1, "execution continued after IRET"
    CHECK [LIN(r_cr0)], 0, "CR0.PE in real mode"
    PRINT "realmode: real mode entered, INT via IVT, back to protected mode"
    ret

section .data
saved_esp: dd 0
section .text

bits 16
blob:
pm16:                         ; 16-bit protected mode, CS = 0x18 (base 0)
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~1
    mov cr0, eax
    jmp RSEG:OFF(real)        ; reload CS with a real-mode segment
real:
    mov ax, RSEG
    mov ds, ax
    xor ax, ax
    mov ss, ax
    mov sp, 0x7000
    lidt [OFF(ivt_ptr)]
    mov eax, cr0
    and eax, 1
    mov [OFF(r_cr0)], eax
    mov ax, cs
    mov [OFF(r_cs)], ax
    ; segment arithmetic: linear = segment * 16 + offset
    mov ax, 0x1234
    mov es, ax
    mov byte [es:0x0010], 0x5a
    mov ax, 0x1235
    mov es, ax
    mov al, [es:0x0000]
    mov [OFF(r_seg)], al
    ; install IVT entry 0x80 -> RSEG:int80
    xor ax, ax
    mov es, ax
    mov word [es:0x80*4], OFF(int80)
    mov word [es:0x80*4 + 2], RSEG
    sti
    xor ax, ax
    int 0x80
    cli
    mov [OFF(r_int_ax)], ax
    mov word [OFF(r_after)], 1
    ; back to protected mode
    mov ax, RSEG
    mov ds, ax
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp dword SEL_CODE32:back32

int80:
    mov ax, 0xbeef
    push bp
    mov bp, sp
    mov bx, [bp + 4]          ; pushed CS
    mov [OFF(r_int_cs)], bx
    pop bp
    pushf
    pop bx
    and bx, 0x200
    mov [OFF(r_flags)], bx
    iret

align 4
ivt_ptr:  dw 0x3ff
          dd 0
r_cs:     dd 0
r_seg:    dd 0
r_int_ax: dd 0
r_int_cs: dd 0
r_flags:  dd 0xffff
r_after:  dd 0
r_cr0:    dd 0xffff
blob_end:
bits 32
