; nmi: NMI delivery and blocking (SDM vol 3, 6.7.1, 10.6): an NMI sent to
; this CPU through the local APIC's ICR is taken with IF=0; a second NMI
; raised inside the NMI handler is held until the handler's IRET, then
; delivered (no nesting); a HLT woken by the APIC timer interrupt returns
; to the instruction after the HLT.
%include "guest.inc"

APIC      equ 0xfee00000
APIC_ID   equ APIC + 0x020
APIC_TPR  equ APIC + 0x080
APIC_EOI  equ APIC + 0x0b0
APIC_SVR  equ APIC + 0x0f0
APIC_ICRL equ APIC + 0x300
APIC_ICRH equ APIC + 0x310
APIC_LVTT equ APIC + 0x320
APIC_TICR equ APIC + 0x380
APIC_TDCR equ APIC + 0x3e0
VEC_TIMER equ 0x39

section .data
align 4
count:      dd 0
depth:      dd 0
maxdepth:   dd 0
inner_seen: dd 0
t_count:    dd 0
t_eip:      dd 0
nmi_eip:    dd 0
section .text

%macro SEND_NMI 0
    mov eax, [APIC_ID]
    and eax, 0xff000000
    mov [APIC_ICRH], eax
    mov dword [APIC_ICRL], (4 << 8) | (1 << 14)   ; NMI, assert, no shorthand
%endmacro

nmi_handler:
    push eax
    push ecx
    inc dword [depth]
    mov eax, [depth]
    cmp eax, [maxdepth]
    jbe .nomax
    mov [maxdepth], eax
.nomax:
    inc dword [count]
    cmp dword [count], 1
    jne .out
    mov eax, [esp + 8]
    mov [nmi_eip], eax
    SEND_NMI                    ; blocked until our IRET
    mov ecx, 20000
.spin:
    loop .spin
    mov eax, [count]
    mov [inner_seen], eax
.out:
    dec dword [depth]
    pop ecx
    pop eax
    iretd

timer_handler:
    push eax
    mov eax, [esp + 4]
    mov [t_eip], eax
    inc dword [t_count]
    mov dword [APIC_EOI], 0
    pop eax
    iretd

main:
    SET_GATE 2, nmi_handler
    SET_GATE VEC_TIMER, timer_handler
    SET_GATE 0x3f, timer_handler
    mov dword [APIC_SVR], 0x100 | 0x3f
    mov dword [APIC_TPR], 0

    cli
    SEND_NMI
.after_send:
    nop
    nop
    mov ecx, 20000
.wait:
    cmp dword [count], 2
    je .both
    loop .wait
.both:
    CHECK [count], 2, "NMIs taken (the second after the first's IRET)"
    CHECK [inner_seen], 1, "second NMI not taken inside the NMI handler"
    CHECK [maxdepth], 1, "NMI handler nesting depth"
    PRINT "nmi: NMI with IF=0, blocked until IRET ok"

    ; HLT woken by the APIC timer
    mov dword [APIC_TDCR], 0xb          ; divide by 1
    mov dword [APIC_LVTT], VEC_TIMER    ; one-shot, unmasked
    mov dword [APIC_TICR], 100000
    sti
    hlt
.after_hlt:
    cli
    CHECK [t_count], 1, "APIC timer interrupts"
    CHECK [t_eip], .after_hlt, "HLT woken by an interrupt: EIP after the HLT"
    mov dword [APIC_LVTT], 0x10000      ; masked
    mov dword [APIC_SVR], 0x3f
    PRINT "nmi: HLT woken by the APIC timer ok"
    ret
