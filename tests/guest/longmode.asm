; longmode: protected -> PAE + 4-level paging + EFER.LME -> 64-bit code
; (REX registers, 64-bit arithmetic, RIP-relative addressing), a far
; transfer to a compatibility-mode segment and back, then down to
; protected mode with paging off. 64-bit code records results in memory;
; they are checked (and printed on mismatch) back in protected mode.
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"

section .data
align 8
r_efer:     dq 0
r_r15:      dq 0
r_rip_rel:  dq 0
r_r8d:      dq 0
r_compat:   dq 0
r_back64:   dq 0
r_shl64:    dq 0
r_cs64:     dq 0
r_cs_compat: dq 0
rip_target: dq 0x1122334455667788
compat_ptr: dd compat32
            dw SEL_CODE32
section .text

main:
    mov [saved_esp], esp
    ENTER_LONG lm64

bits 64
lm64:
    mov ecx, MSR_EFER
    rdmsr
    mov [rel r_efer], eax
    mov ax, cs
    mov [rel r_cs64], ax
    ; REX registers and 64-bit arithmetic
    mov r8, 0x0123456789abcdef
    mov r15, r8
    add r15, r15                  ; 0x02468acf13579bde
    mov [rel r_r15], r15
    mov r8d, 0xffffffff           ; a 32-bit write zero-extends
    mov [rel r_r8d], r8
    mov rax, 1
    shl rax, 40
    mov [rel r_shl64], rax
    ; RIP-relative load
    mov rax, [rel rip_target]
    mov [rel r_rip_rel], rax
    ; far jump to a compatibility-mode (32-bit) segment through m16:32
    jmp dword far [rel compat_ptr]
bits 32
compat32:
    mov ax, cs
    mov [r_cs_compat], ax
    mov eax, 0xc0ffee
    mov [r_compat], eax
    jmp SEL_CODE64:back64
bits 64
back64:
    mov rax, 0xfeedface00000000
    or rax, [rel r_compat]
    mov [rel r_back64], rax
    LEAVE_LONG pm32

pm32:
    mov esp, [saved_esp]
    CHECK [r_efer], EFER_LME | EFER_LMA, "EFER in long mode (LME|LMA)"
    CHECK [r_cs64], SEL_CODE64, "CS in 64-bit mode"
    CHECK [r_r15], 0x13579bde, "r15 low"
    CHECK [r_r15 + 4], 0x02468acf, "r15 high"
    CHECK [r_r8d], 0xffffffff, "r8d write low"
    CHECK [r_r8d + 4], 0, "r8d write zero-extends"
    CHECK [r_shl64 + 4], 0x100, "shl rax, 40"
    CHECK [r_rip_rel], 0x55667788, "RIP-relative load low"
    CHECK [r_rip_rel + 4], 0x11223344, "RIP-relative load high"
    CHECK [r_cs_compat], SEL_CODE32, "CS in compatibility mode"
    CHECK [r_back64], 0x00c0ffee, "back in 64-bit low"
    CHECK [r_back64 + 4], 0xfeedface, "back in 64-bit high"
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LME | EFER_LMA
    CHECK eax, 0, "EFER after leaving long mode"
    mov eax, cr0
    and eax, 0x80000001
    CHECK eax, 1, "CR0 PE=1 PG=0 after leaving"
    PRINT "longmode: 64-bit, compatibility and back to protected mode"
    ret

section .data
saved_esp: dd 0
section .text
