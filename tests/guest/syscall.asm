; syscall: SYSCALL/SYSRET between ring 0 and a ring-3 64-bit segment in long
; mode (STAR/LSTAR/FMASK), then SYSENTER/SYSEXIT in 32-bit protected mode.
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"

MSR_STAR  equ 0xC0000081
MSR_LSTAR equ 0xC0000082
MSR_FMASK equ 0xC0000084
MSR_SYSENTER_CS  equ 0x174
MSR_SYSENTER_ESP equ 0x175
MSR_SYSENTER_EIP equ 0x176

section .data
align 8
r_rcx:      dq 0     ; RCX seen by the SYSCALL handler (user return RIP)
r_r11:      dq 0     ; R11 (user RFLAGS)
r_kcs:      dq 0     ; CS in the handler
r_kflags:   dq 0     ; RFLAGS in the handler (FMASK applied)
r_ucs:      dq 0     ; CS in ring 3 after SYSRET
r_calls:    dq 0
saved_esp:  dd 0
saved_rsp:  dq 0
s_ucs:      dd 0
s_ecx:      dd 0
s_edx:      dd 0
s_kcs:      dd 0
s_ueip:     dd 0
section .bss
alignb 16
user_stack: resb 4096
user_stack_top:
sysenter_stack: resb 4096
sysenter_stack_top:
section .text

main:
    mov [saved_esp], esp
    ENTER_LONG lm64

bits 64
lm64:
    mov [rel saved_rsp], rsp
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_SCE
    wrmsr
    ; STAR: SYSCALL CS = 0x28 (SS 0x30), SYSRET base 0x30: CS 0x43, SS 0x3b
    mov ecx, MSR_STAR
    xor eax, eax
    mov edx, (0x30 << 16) | SEL_CODE64
    wrmsr
    mov ecx, MSR_LSTAR
    lea rax, [rel syscall_entry]
    mov rdx, rax
    shr rdx, 32
    wrmsr
    mov ecx, MSR_FMASK
    mov eax, 0x600             ; clear IF and DF on entry
    xor edx, edx
    wrmsr
    ; enter ring 3 with SYSRET itself
    lea rcx, [rel user64]
    mov r11d, 0x002            ; IF=0: no IRQ through the 32-bit IDT in long mode
    lea rsp, [rel user_stack_top]
    o64 sysret

user64:
    mov ax, cs
    mov [rel r_ucs], ax
    std                        ; FMASK must clear it
    mov eax, 1
    syscall
user64_after:
    mov eax, 2
    syscall
    ud2                        ; not reached

syscall_entry:                 ; ring 0, RSP is still the user's
    inc qword [rel r_calls]
    cmp eax, 1
    jne .done
    mov [rel r_rcx], rcx
    mov [rel r_r11], r11
    mov ax, cs
    mov [rel r_kcs], ax
    pushfq
    pop rax
    mov [rel r_kflags], rax
    cld
    o64 sysret                 ; back to RCX with RFLAGS = R11 (DF set again)
.done:
    cld
    mov rsp, [rel saved_rsp]
    LEAVE_LONG pm32

pm32:
    mov esp, [saved_esp]
    CHECK [r_calls], 2, "SYSCALL count"
    CHECK [r_ucs], SEL_CODE64_U, "CS after SYSRET (ring-3 64-bit)"
    CHECK [r_kcs], SEL_CODE64, "CS in the SYSCALL handler"
    CHECK [r_rcx], user64_after, "RCX = return RIP"
    mov eax, [r_r11]
    and eax, 0x400
    CHECK eax, 0x400, "R11 = user RFLAGS (DF set)"
    mov eax, [r_kflags]
    and eax, 0x600
    CHECK eax, 0, "handler RFLAGS: FMASK cleared IF and DF"
    PRINT "syscall: SYSCALL/SYSRET ok"

    ; SYSENTER/SYSEXIT. SYSENTER_CS = 0x20: SYSENTER loads CS 0x20, SS 0x28
    ; with fixed flat attributes (descriptors not read); SYSEXIT loads
    ; CS 0x33 and SS 0x3b, our ring-3 code and data.
    mov ecx, MSR_SYSENTER_CS
    mov eax, 0x20
    xor edx, edx
    wrmsr
    mov ecx, MSR_SYSENTER_ESP
    mov eax, sysenter_stack_top
    wrmsr
    mov ecx, MSR_SYSENTER_EIP
    mov eax, sysenter_entry
    wrmsr
    mov edx, user32            ; SYSEXIT: EIP = EDX, ESP = ECX
    mov ecx, user_stack_top
    sysexit

user32:
    mov ax, cs
    mov [s_ucs], ax
    mov ecx, 0x1234
    mov edx, 0x5678
    sysenter
    ud2

sysenter_entry:
    mov [s_ecx], ecx
    mov [s_edx], edx
    mov ax, cs
    mov [s_kcs], ax
    mov [s_ueip], esp
    jmp SEL_CODE32:.reload
.reload:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, [saved_esp]
    CHECK [s_ucs], SEL_CODE32_U, "CS after SYSEXIT"
    CHECK [s_kcs], 0x20, "CS after SYSENTER (SYSENTER_CS)"
    CHECK [s_ueip], sysenter_stack_top, "ESP after SYSENTER (SYSENTER_ESP)"
    CHECK [s_ecx], 0x1234, "ECX kept by SYSENTER"
    CHECK [s_edx], 0x5678, "EDX kept by SYSENTER"
    PRINT "syscall: SYSENTER/SYSEXIT ok"
    ret
