; shadow: when a pending maskable interrupt is taken (SDM vol 3, 6.8.3 and
; the STI page). A self-IPI from the local APIC is left pending with IF=0;
; then STI delivers it only after the next instruction (STI; CLI takes
; none), while POPF and IRET setting IF deliver it right after themselves.
%include "guest.inc"

APIC      equ 0xfee00000
APIC_TPR  equ APIC + 0x080
APIC_EOI  equ APIC + 0x0b0
APIC_SVR  equ APIC + 0x0f0
APIC_ICRL equ APIC + 0x300
APIC_ICRH equ APIC + 0x310
VEC       equ 0x38

section .data
align 4
count:  dd 0
ieip:   dd 0
section .text

irq_handler:
    push eax
    mov eax, [esp + 4]
    mov [ieip], eax
    inc dword [count]
    mov dword [APIC_EOI], 0
    pop eax
    iretd

%macro SELF_IPI 0
    cli
    mov dword [count], 0
    mov dword [APIC_ICRH], 0
    mov dword [APIC_ICRL], VEC | (1 << 18) | (1 << 14)   ; self, fixed, assert
    ; let it reach the IRR (a local write, but keep a few instructions)
    nop
    nop
    CHECK [count], 0, "interrupt taken with IF=0"
%endmacro

main:
    SET_GATE VEC, irq_handler
    SET_GATE 0x3f, irq_handler
    mov dword [APIC_SVR], 0x100 | 0x3f      ; enable, spurious vector 0x3f
    mov dword [APIC_TPR], 0

    ; STI: one instruction runs first
    SELF_IPI
    sti
.s1:
    mov ecx, 1
.s2:
    nop
    cli
    CHECK [count], 1, "interrupts after STI"
    CHECK [ieip], .s2, "STI: taken after the next instruction"

    ; STI; CLI: none taken
    SELF_IPI
    sti
    cli
.c1:
    CHECK [count], 0, "STI immediately followed by CLI takes no interrupt"
    sti
    nop
.c2:
    cli
    CHECK [count], 1, "the interrupt left pending by STI;CLI"
    CHECK [ieip], .c2, "taken after the next STI's shadow"
    PRINT "shadow: STI shadow ok"

    ; POPF setting IF: no shadow
    SELF_IPI
    pushfd
    or dword [esp], 0x200
    popfd
.p1:
    nop
    cli
    CHECK [count], 1, "interrupts after POPF"
    CHECK [ieip], .p1, "POPF: taken right after it"

    ; IRET setting IF: no shadow
    SELF_IPI
    pushfd
    or dword [esp], 0x200
    push cs
    push dword .i1
    iretd
.i1:
    nop
    cli
    CHECK [count], 1, "interrupts after IRET"
    CHECK [ieip], .i1, "IRET: taken right after it (at its target)"
    PRINT "shadow: POPF and IRET have no shadow ok"
    mov dword [APIC_SVR], 0x3f              ; software-disable the APIC
    ret
