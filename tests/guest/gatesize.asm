; gatesize: gates of the other sizes (SDM vol 3, 5.8.3, 5.8.3.1, 6.12.1,
; 6.14.1): a 16-bit interrupt gate (FLAGS/CS/IP pushed as words, IRET with
; a 16-bit operand size), a 16-bit call gate from ring 3 (SS/SP, two word
; parameters and CS/IP pushed as words on the ring-0 stack, RETF 4 with a
; 16-bit operand size back to ring 3), and a 64-bit call gate in long mode
; from ring 3 (SS:RSP and CS:RIP as quadwords, SS loaded with a null
; selector, no parameter copy, RETFQ back).
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"

LOW       equ 0x8000            ; 16-bit gates need offsets below 64 KiB
%define LIN(x) (LOW + (x) - blob)
VEC16     equ 0x31
GATE16    equ 0x60              ; 16-bit call gate, DPL 3, 2 word params
GATE64    equ 0xe0              ; 64-bit call gate (0xe0/0xe8), DPL 3
R3SP      equ 0x7000            ; ring-3 stack for the 16-bit gate test

section .data
align 8
saved_esp:  dd 0
saved_rsp:  dq 0
g_frame:    times 5 dq 0
g_rsp:      dq 0
g_ss:       dq 0
g_cs:       dq 0
after_rsp:  dq 0
section .text

main:
    mov [saved_esp], esp
    mov esi, blob
    mov edi, LOW
    mov ecx, blob_end - blob
    rep movsb
    ; 16-bit interrupt gate (type 6), DPL 0, target offset below 64 KiB
    mov word [idt + VEC16*8], LIN(int16_handler)
    mov word [idt + VEC16*8 + 2], SEL_CODE32
    mov word [idt + VEC16*8 + 4], 0x8600
    mov word [idt + VEC16*8 + 6], 0
    jmp LIN(caller16)
back_int16:
    CHECK [LIN(i_sp_delta)], 6, "16-bit gate: 3 words pushed"
    CHECK [LIN(i_ip)], LIN(caller16.after) & 0xffff, "16-bit gate: IP pushed"
    CHECK [LIN(i_cs)], SEL_CODE32, "16-bit gate: CS pushed"
    CHECKF [LIN(i_fl)], 0x200, 0x200, "16-bit gate: FLAGS pushed (IF set)"
    CHECK [LIN(i_ret)], 1, "IRET with a 16-bit operand size returned"
    PRINT "gatesize: 16-bit interrupt gate ok"

    ; 16-bit call gate (type 4), DPL 3, 2 word parameters, from ring 3
    SET_GATE_DESC GATE16, SEL_CODE32, LIN(cgate16_handler), 0xe402
    push dword SEL_DATA_U
    push dword R3SP
    push dword 0x3002
    push dword SEL_CODE32_U
    push dword LIN(user16)
    iretd
back_cgate16:                   ; ring 0 again (exit through UD2)
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov esp, [saved_esp]
    movzx eax, word [LIN(c_frame)]
    CHECK eax, LIN(user16.after) & 0xffff, "16-bit call gate: IP"
    movzx eax, word [LIN(c_frame) + 2]
    CHECK eax, SEL_CODE32_U, "16-bit call gate: CS"
    movzx eax, word [LIN(c_frame) + 4]
    CHECK eax, 0x2222, "16-bit call gate: parameter 2"
    movzx eax, word [LIN(c_frame) + 6]
    CHECK eax, 0x1111, "16-bit call gate: parameter 1"
    movzx eax, word [LIN(c_frame) + 8]
    CHECK eax, R3SP - 4, "16-bit call gate: SP"
    movzx eax, word [LIN(c_frame) + 10]
    CHECK eax, SEL_DATA_U, "16-bit call gate: SS"
    CHECK [LIN(c_esp)], ring0_stack_top - 12, "16-bit call gate: ESP0 - 12"
    CHECK [LIN(c_sp_after)], R3SP, "SP after RETF 4 (16-bit) to ring 3"
    CHECK [LIN(c_cs_after)], SEL_CODE32_U, "CS after RETF (16-bit) to ring 3"
    PRINT "gatesize: 16-bit call gate from ring 3 ok"

    ; ---- 64-bit call gate ----
    call idt64_init
    SET_GATE_DESC GATE64, SEL_CODE64, cgate64_handler, 0xec00
    mov dword [gdt + GATE64 + 8], 0
    mov dword [gdt + GATE64 + 12], 0
    ENTER_LONG lm

bits 64
lm:
    LOAD_IDT64
    mov [rel saved_rsp], rsp
    push SEL_DATA_U
    push ring3_stack_top
    push 0x3002
    push SEL_CODE64_U
    push .user
    iretq
.user:
    call far [rel gate64_ptr]
.after:
    mov [rel after_rsp], rsp
    mov ax, cs
    movzx eax, ax
    CHECK eax, SEL_CODE64_U, "CS after RETFQ to ring 3"
    mov dword [exc_expect], 6 + 1
    mov dword [exc_resume], .ring0
    mov eax, [rel saved_rsp]
    mov [exc_saved_esp], eax
    ud2
.ring0:
    mov ax, SEL_DATA32
    mov ss, ax
    mov ds, ax
    mov es, ax
    CHECK [g_frame], .after, "64-bit gate: RIP pushed"
    CHECK [g_frame + 8], SEL_CODE64_U, "64-bit gate: CS pushed"
    CHECK [g_frame + 16], ring3_stack_top, "64-bit gate: RSP pushed"
    CHECK [g_frame + 24], SEL_DATA_U, "64-bit gate: SS pushed"
    CHECK [g_rsp], ring0_stack_top - 32, "64-bit gate: RSP0 - 32"
    CHECK [g_ss], 0, "64-bit gate: SS null in ring 0"
    CHECK [g_cs], SEL_CODE64, "64-bit gate: CS in ring 0"
    CHECK [after_rsp], ring3_stack_top, "RSP after RETFQ to ring 3"
    PRINT "gatesize: 64-bit call gate from ring 3 ok"
    LEAVE_LONG pm32

bits 64
cgate64_handler:
    mov [rel g_rsp], rsp
    push rax
    mov rax, [rsp + 8]
    mov [rel g_frame], rax
    mov rax, [rsp + 16]
    mov [rel g_frame + 8], rax
    mov rax, [rsp + 24]
    mov [rel g_frame + 16], rax
    mov rax, [rsp + 32]
    mov [rel g_frame + 24], rax
    mov ax, ss
    movzx eax, ax
    mov [rel g_ss], rax
    mov ax, cs
    movzx eax, ax
    mov [rel g_cs], rax
    pop rax
    retfq

section .data
gate64_ptr: dq 0                ; offset (ignored by a call gate)
            dw GATE64 | 3
section .text
bits 32

pm32:
    mov esp, [saved_esp]
    ret

; ---- runs at LOW (copied): 32-bit code below 64 KiB ----
blob:
caller16:
    mov ebx, esp
    sti
    int VEC16
.after:
    cli
    mov dword [LIN(i_ret)], 1
    mov eax, back_int16         ; absolute: this code runs from its copy
    jmp eax

int16_handler:
    mov eax, ebx
    sub eax, esp
    mov [LIN(i_sp_delta)], eax
    movzx eax, word [esp]
    mov [LIN(i_ip)], eax
    movzx eax, word [esp + 2]
    mov [LIN(i_cs)], eax
    movzx eax, word [esp + 4]
    mov [LIN(i_fl)], eax
    o16 iret

user16:                         ; ring 3 (IOPL 3), stack below 64 KiB
    mov ax, SEL_DATA_U
    mov ds, ax
    mov es, ax
    push word 0x1111
    push word 0x2222
    call GATE16 | 3:0
.after:
    mov eax, esp
    mov [LIN(c_sp_after)], eax
    mov ax, cs
    movzx eax, ax
    mov [LIN(c_cs_after)], eax
    mov dword [exc_expect], 6 + 1
    mov dword [exc_resume], back_cgate16
    mov eax, [saved_esp]
    mov [exc_saved_esp], eax
    ud2

cgate16_handler:                ; ring 0, 32-bit code, 16-bit frame
    push eax
    push ecx
    lea eax, [esp + 8]
    mov [ss:LIN(c_esp)], eax
    xor ecx, ecx
.copy:
    mov ax, [esp + 8 + ecx*2]
    mov [ss:LIN(c_frame) + ecx*2], ax
    inc ecx
    cmp ecx, 6
    jb .copy
    pop ecx
    pop eax
    o16 retf 4

align 4
i_sp_delta: dd 0
i_ip:       dd 0
i_cs:       dd 0
i_fl:       dd 0
i_ret:      dd 0
c_frame:    times 6 dw 0
c_esp:      dd 0
c_sp_after: dd 0
c_cs_after: dd 0
blob_end:
