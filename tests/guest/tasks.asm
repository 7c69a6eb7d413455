; tasks: 32-bit hardware task switches (SDM vol 3, chapter 7). CALL to a TSS
; (back-link, NT, both tasks busy, CR0.TS, outgoing state saved in the old
; TSS, incoming registers loaded), IRET with NT back to the caller; JMP to a
; TSS and back (old task no longer busy, no back-link, NT clear); CALL
; through a task gate in the GDT; INT n through a task gate in the IDT; an
; exception with an error code through a task gate (error code pushed on the
; new task's stack); CALL to a busy TSS is #GP(selector).
%include "guest.inc"

SEL_TSS_B   equ 0x60
SEL_TGATE   equ 0x68        ; task gate (GDT) -> SEL_TSS_B
VEC_TASK    equ 0x30        ; IDT task gate -> SEL_TSS_B

; TSS fields
T_LINK equ 0x00
T_CR3  equ 0x1c
T_EIP  equ 0x20
T_EFL  equ 0x24
T_EAX  equ 0x28
T_ECX  equ 0x2c
T_EBX  equ 0x34
T_ESP  equ 0x38
T_ES   equ 0x48
T_CS   equ 0x4c
T_SS   equ 0x50
T_DS   equ 0x54
T_FS   equ 0x58
T_GS   equ 0x5c

section .bss
alignb 16
tss_b:      resb 104
stack_b:    resb 4096
stack_b_top:
section .data
align 4
b_runs:     dd 0
b_eflags:   dd 0
b_link:     dd 0
b_type_a:   dd 0
b_type_b:   dd 0
b_eax:      dd 0
b_ebx:      dd 0
b_tr:       dd 0
b_a_eax:    dd 0        ; task A's EAX as saved in its TSS
b_a_eip:    dd 0        ; task A's EIP as saved in its TSS
b_esp:      dd 0
b_err:      dd 0        ; [ESP] on entry (error code for the #GP test)
b_cr0:      dd 0
section .text

; init_b entry: task B starts at `entry` with a fresh stack
%macro INIT_B 1
    mov dword [tss_b + T_EIP], %1
    mov dword [tss_b + T_ESP], stack_b_top
    mov dword [tss_b + T_EFL], 0x2
    mov dword [tss_b + T_EAX], 0x0b0b0001
    mov dword [tss_b + T_EBX], 0x0b0b0002
%endmacro

%macro TYPE_OF 2            ; reg32, selector: descriptor type byte
    movzx %1, byte [gdt + (%2) + 5]
%endmacro

main:
    mov eax, cr3
    mov [tss_b + T_CR3], eax
    mov dword [tss_b + T_CS], SEL_CODE32
    mov dword [tss_b + T_SS], SEL_DATA32
    mov dword [tss_b + T_DS], SEL_DATA32
    mov dword [tss_b + T_ES], SEL_DATA32
    mov dword [tss_b + T_FS], SEL_DATA32
    mov dword [tss_b + T_GS], SEL_DATA32
    mov word [tss_b + 102], 104
    SET_TSS_DESC SEL_TSS_B, tss_b
    SET_GATE_DESC SEL_TGATE, SEL_TSS_B, 0, 0x8500
    ; IDT task gate for VEC_TASK
    mov word [idt + VEC_TASK*8], 0
    mov word [idt + VEC_TASK*8 + 2], SEL_TSS_B
    mov word [idt + VEC_TASK*8 + 4], 0x8500
    mov word [idt + VEC_TASK*8 + 6], 0

    ; ---- CALL to the TSS, IRET back ----
    INIT_B task_b
    mov ebx, 0xa0a0a0a0
    mov eax, 0xa5a5a5a5
    call SEL_TSS_B:0
.call_ret:
    CHECK ebx, 0xa0a0a0a0, "EBX of task A restored after the IRET"
    CHECK [b_runs], 1, "task B ran once"
    CHECK [b_eax], 0x0b0b0001, "EAX loaded from task B's TSS"
    CHECK [b_ebx], 0x0b0b0002, "EBX loaded from task B's TSS"
    CHECK [b_esp], stack_b_top, "ESP loaded from task B's TSS"
    CHECK [b_link], SEL_TSS, "CALL: back-link in task B's TSS"
    CHECKF [b_eflags], 0x4000, 0x4000, "CALL: NT set in task B"
    CHECK [b_type_a], 0x8b, "CALL: task A's TSS still busy"
    CHECK [b_type_b], 0x8b, "CALL: task B's TSS busy"
    CHECK [b_tr], SEL_TSS_B, "TR in task B"
    CHECK [b_a_eax], 0xa5a5a5a5, "task A's EAX saved in its TSS"
    CHECK [b_a_eip], .call_ret, "task A's EIP saved in its TSS (after the CALL)"
    CHECKF [b_cr0], 8, 8, "CR0.TS set by the task switch"
    TYPE_OF eax, SEL_TSS_B
    CHECK eax, 0x89, "after IRET: task B's TSS not busy"
    TYPE_OF eax, SEL_TSS
    CHECK eax, 0x8b, "after IRET: task A's TSS busy"
    str ax
    movzx eax, ax
    CHECK eax, SEL_TSS, "TR after IRET"
    pushfd
    pop eax
    CHECKF eax, 0x4000, 0, "NT clear in task A after IRET"
    CHECK [tss_b + T_EIP], task_b.after_iret, "task B's EIP saved by its IRET"
    CHECK [tss_b + T_EAX], 0x0b0b0b0b, "task B's EAX saved by its IRET"
    mov eax, cr0
    CHECKF eax, 8, 8, "CR0.TS set after the switch back"
    clts
    PRINT "tasks: CALL to a TSS and IRET back ok"

    ; ---- JMP to the TSS, JMP back ----
    INIT_B task_b_jmp
    mov ebx, 0xa0a00002
    jmp SEL_TSS_B:0
.jmp_back:
    CHECK ebx, 0xa0a00002, "EBX of task A after JMP back"
    CHECK [b_runs], 2, "task B ran twice"
    CHECKF [b_eflags], 0x4000, 0, "JMP: NT clear in task B"
    CHECK [b_type_a], 0x89, "JMP: task A's TSS not busy"
    CHECK [b_type_b], 0x8b, "JMP: task B's TSS busy"
    TYPE_OF eax, SEL_TSS_B
    CHECK eax, 0x89, "after JMP back: task B's TSS not busy"
    TYPE_OF eax, SEL_TSS
    CHECK eax, 0x8b, "after JMP back: task A's TSS busy"
    clts
    PRINT "tasks: JMP to a TSS and back ok"

    ; ---- CALL through a task gate in the GDT ----
    INIT_B task_b
    call SEL_TGATE:0
    CHECK [b_runs], 3, "task B ran through the GDT task gate"
    CHECK [b_link], SEL_TSS, "task gate CALL: back-link"
    CHECKF [b_eflags], 0x4000, 0x4000, "task gate CALL: NT set"
    clts

    ; ---- INT n through a task gate in the IDT ----
    INIT_B task_b
    mov dword [b_err], 0
    int VEC_TASK
.int_ret:
    CHECK [b_runs], 4, "task B ran through the IDT task gate"
    CHECK [b_link], SEL_TSS, "INT task gate: back-link"
    CHECKF [b_eflags], 0x4000, 0x4000, "INT task gate: NT set"
    CHECK [b_a_eip], .int_ret, "INT task gate: task A's saved EIP after the INT"
    CHECK [b_esp], stack_b_top, "INT task gate: no error code pushed"
    clts
    PRINT "tasks: task gates (GDT CALL, IDT INT n) ok"

    ; ---- #GP through a task gate: error code on the new task's stack ----
    INIT_B task_b_gp
    mov word [idt + 13*8], 0
    mov word [idt + 13*8 + 2], SEL_TSS_B
    mov word [idt + 13*8 + 4], 0x8500
    mov word [idt + 13*8 + 6], 0
    mov ax, 0x1f8
.gp_insn:
    mov ds, ax                  ; beyond the GDT limit: #GP(0x1f8)
.gp_resume:
    CHECK [b_runs], 5, "task B ran for the #GP"
    CHECK [b_err], 0x1f8, "#GP error code on task B's stack"
    CHECK [b_esp], stack_b_top - 4, "#GP through a task gate: ESP after the push"
    CHECK [b_a_eip], .gp_insn, "#GP task gate: task A's saved EIP = the faulting MOV"
    SET_GATE 13, exc_stub_13
    clts
    PRINT "tasks: #GP through a task gate ok"

    ; ---- CALL to a busy TSS: #GP(selector) ----
    EXPECT_EXC 13, .busy_done
    call SEL_TSS:0
    FAILMSG "no #GP on a CALL to the busy current TSS"
.busy_done:
    CHECK [exc_error], SEL_TSS, "#GP error for a busy TSS"
    PRINT "tasks: CALL to a busy TSS faults ok"
    ret

; Task B entry points (ring 0, flat). They record what they find.
record_b:                       ; called first thing; EAX/EBX as loaded
    mov [b_eax], eax
    mov [b_ebx], ebx
    lea eax, [esp + 4]
    mov [b_esp], eax
    mov eax, [esp + 4]
    mov [b_err], eax
    inc dword [b_runs]
    pushfd
    pop eax
    mov [b_eflags], eax
    movzx eax, word [tss_b + T_LINK]
    mov [b_link], eax
    TYPE_OF eax, SEL_TSS
    mov [b_type_a], eax
    TYPE_OF eax, SEL_TSS_B
    mov [b_type_b], eax
    str ax
    movzx eax, ax
    mov [b_tr], eax
    mov eax, [tss32 + T_EAX]
    mov [b_a_eax], eax
    mov eax, [tss32 + T_EIP]
    mov [b_a_eip], eax
    mov eax, cr0
    mov [b_cr0], eax
    ret

task_b:
    call record_b
    mov eax, 0x0b0b0b0b
    iretd
.after_iret:
    FAILMSG "task B resumed after its IRET"

task_b_jmp:
    call record_b
    jmp SEL_TSS:0

task_b_gp:
    call record_b
    ; resume task A after the faulting instruction, with DS valid: its
    ; saved DS is the one before the fault
    mov dword [tss32 + T_EIP], main.gp_resume
    add esp, 4                  ; drop the error code
    iretd
