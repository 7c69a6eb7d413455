; long64: 64-bit mode system behaviour (SDM vol 3, 6.14, 5.8.8, 3.4.4):
; interrupt frames (SS:RSP always pushed, RSP aligned to 16 first, IST
; stack switch from the 64-bit TSS, SS nulled on a ring change), #GP(0) for
; a non-canonical data address, FS/GS bases through MSRs and SWAPGS, a
; selector load replacing the FS base, SYSRET with a 32-bit operand size
; to compatibility mode.
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"

MSR_STAR   equ 0xC0000081
MSR_LSTAR  equ 0xC0000082
MSR_CSTAR  equ 0xC0000083
MSR_FMASK  equ 0xC0000084
MSR_FSBASE equ 0xC0000100
MSR_GSBASE equ 0xC0000101
MSR_KGSBASE equ 0xC0000102

section .bss
alignb 16
ist_stack:  resb 1024
ist_top:
section .data
align 8
saved_esp:  dd 0
saved_rsp:  dq 0
h_rsp:      dq 0          ; RSP in the handler
h_frame:    times 5 dq 0  ; RIP CS RFLAGS RSP SS
h_ss:       dq 0
fs_area:    dq 0x1111111111111111, 0x2222222222222222
gs_area:    dq 0x3333333333333333, 0x4444444444444444
kgs_area:   dq 0x5555555555555555, 0x6666666666666666
c_rcx:      dq 0
c_cs:       dq 0
c_r11:      dq 0
c_ucs:      dd 0
c_uss:      dd 0
section .text

%macro WRMSR64 2            ; msr, 32-bit value
    mov ecx, %1
    mov eax, %2
    xor edx, edx
    wrmsr
%endmacro

main:
    mov [saved_esp], esp
    call idt64_init
    ENTER_LONG lm

bits 64
; vector 3 handler: records RSP and the frame, returns
bp_handler:
    mov [rel h_rsp], rsp
    push rax
    push rcx
    xor ecx, ecx
.copy:
    mov rax, [rsp + 16 + rcx*8]
    lea rax, [rax]
    mov [h_frame + rcx*8], rax
    inc ecx
    cmp ecx, 5
    jb .copy
    mov ax, ss
    movzx eax, ax
    mov [rel h_ss], rax
    pop rcx
    pop rax
    iretq

%macro SET_GATE64 3         ; vector, handler, attr word (with IST in low bits)
    mov eax, %2
    mov [idt64 + (%1)*16], ax
    mov word [idt64 + (%1)*16 + 2], SEL_CODE64
    mov word [idt64 + (%1)*16 + 4], %3
    shr eax, 16
    mov [idt64 + (%1)*16 + 6], ax
%endmacro

lm:
    LOAD_IDT64
    mov [rel saved_rsp], rsp
    SET_GATE64 3, bp_handler, 0xee00

    ; ---- same-ring interrupt: SS:RSP pushed, RSP aligned to 16 ----
    and rsp, ~0xf
    sub rsp, 8                   ; RSP = 8 mod 16
    mov rbx, rsp
    int3
.bp1_after:
    mov rcx, rsp
    CHECK ecx, ebx, "RSP after IRETQ"
    mov rax, rbx
    and rax, ~0xf
    sub rax, 40
    CHECK [h_rsp], eax, "handler RSP = (RSP & ~15) - 40"
    CHECK [h_frame], .bp1_after, "frame RIP"
    CHECK [h_frame + 8], SEL_CODE64, "frame CS"
    CHECK [h_frame + 24], ebx, "frame RSP (the unaligned one)"
    CHECK [h_frame + 32], SEL_DATA32, "frame SS"

    ; ---- IST 1 ----
    mov dword [tss64 + 0x24], ist_top        ; IST1
    mov dword [tss64 + 0x28], 0
    SET_GATE64 3, bp_handler, 0xee01
    int3
    CHECK [h_rsp], ist_top - 40, "IST: handler RSP = IST1 - 40"
    CHECK [h_frame + 24], ebx, "IST: frame RSP"
    mov rsp, [rel saved_rsp]
    PRINT "long64: interrupt frames, alignment, IST ok"

    ; ---- ring 3 -> 0: SS nulled ----
    SET_GATE64 3, bp_handler, 0xee00
    push SEL_DATA_U
    push ring3_stack_top
    push 0x3002
    push SEL_CODE64_U
    push .user
    iretq
.user:
    int3
    mov [exc_saved_esp], esp    ; not used: UD2 resumes in ring 0 below
    mov dword [exc_expect], 6 + 1
    mov dword [exc_resume], .ring0
    mov eax, [rel saved_rsp]
    mov [exc_saved_esp], eax
    ud2
.ring0:
    CHECK [h_ss], 0, "SS in a ring-0 handler entered from ring 3"
    CHECK [h_frame + 8], SEL_CODE64_U, "frame CS from ring 3"
    CHECK [h_frame + 24], ring3_stack_top, "frame RSP from ring 3"
    CHECK [h_frame + 32], SEL_DATA_U, "frame SS from ring 3"
    CHECK [h_rsp], ring0_stack_top - 40, "ring-3 -> 0: RSP0 - 40"
    ; IRETQ to ring 3 nulled DS/ES (DPL 0): harmless in 64-bit mode, but
    ; the compatibility-mode code below needs them (QEMU TCG would not fault)
    mov ax, SEL_DATA32
    mov ss, ax
    mov ds, ax
    mov es, ax
    PRINT "long64: ring 3 -> 0 frame, SS nulled ok"

    ; ---- non-canonical address ----
    EXPECT_EXC 13, .nc_done
    mov rax, 0x0000800000000000
.nc_insn:
    mov rcx, [rax]
    FAILMSG "no #GP for a non-canonical address"
.nc_done:
    CHECK [exc_error], 0, "#GP error for a non-canonical address"
    CHECK [exc_eip], .nc_insn, "#GP RIP for a non-canonical address"
    mov rax, 0xffff800000000000  ; canonical (high half): not a #GP
    mov rax, 0x00007ffffffff000

    ; ---- FS / GS bases, SWAPGS ----
    WRMSR64 MSR_FSBASE, fs_area
    WRMSR64 MSR_GSBASE, gs_area
    WRMSR64 MSR_KGSBASE, kgs_area
    mov rax, [fs:8]
    CHECK eax, 0x22222222, "FS-relative load through FS_BASE"
    mov rax, [gs:0]
    CHECK eax, 0x33333333, "GS-relative load through GS_BASE"
    swapgs
    mov rax, [gs:8]
    CHECK eax, 0x66666666, "GS-relative load after SWAPGS"
    mov ecx, MSR_KGSBASE
    rdmsr
    CHECK eax, gs_area, "KERNEL_GS_BASE after SWAPGS"
    mov ecx, MSR_GSBASE
    rdmsr
    CHECK eax, kgs_area, "GS_BASE after SWAPGS"
    swapgs
    mov ax, SEL_DATA32
    mov fs, ax                   ; a selector load sets the base from the GDT
    mov ecx, MSR_FSBASE
    rdmsr
    CHECK eax, 0, "FS_BASE after MOV FS"
    WRMSR64 MSR_GSBASE, 0
    WRMSR64 MSR_KGSBASE, 0
    PRINT "long64: non-canonical #GP, FS/GS bases, SWAPGS ok"

    ; ---- SYSRET with a 32-bit operand size: to compatibility mode ----
    ; (SYSCALL from compatibility mode is vendor-specific: #UD on Intel, a
    ; CSTAR entry on AMD and QEMU's default CPU model; not tested.)
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_SCE
    wrmsr
    mov ecx, MSR_STAR
    xor eax, eax
    mov edx, (0x30 << 16) | SEL_CODE64
    wrmsr
    mov dword [exc_expect], 6 + 1           ; UD2 in compat_user comes back
    mov dword [exc_resume], sysret_back
    mov eax, [rel saved_rsp]
    mov [exc_saved_esp], eax
    mov ecx, compat_user
    mov r11d, 0x3002
    mov esp, ring3_stack_top
    sysret                       ; 32-bit operand size: CS = STAR[63:48] | 3

bits 32
compat_user:                     ; ring 3, compatibility mode
    mov ax, cs
    movzx eax, ax
    mov [c_ucs], eax
    mov ax, ss
    movzx eax, ax
    mov [c_uss], eax
    mov [c_rcx], esp
    pushfd
    pop eax
    mov [c_r11], eax
.ud:
    ud2

bits 64
sysret_back:
    mov ax, SEL_DATA32
    mov ss, ax
    CHECK [exc_cs], SEL_CODE32_U, "UD2 from the compatibility-mode code"
    CHECK [exc_eip], compat_user.ud, "UD2 RIP in compatibility mode"
    CHECK [c_ucs], SEL_CODE32_U, "CS after SYSRET with 32-bit operand size"
    CHECK [c_uss], SEL_DATA_U, "SS after SYSRET"
    CHECK [c_rcx], ring3_stack_top, "ESP kept by SYSRET"
    mov eax, [c_r11]
    and eax, 0x3200
    CHECK eax, 0x3000, "EFLAGS = R11 after SYSRET (IOPL 3, IF 0)"
    PRINT "long64: SYSRET to compatibility mode ok"
    LEAVE_LONG pm32

pm32:
    mov esp, [saved_esp]
    ret
