; nested: faults while delivering an event (SDM vol 3, 6.15 table 6-5):
; the IDT straddles a page boundary and the page with gates 0..13 is not
; present, so a #UD or an INT n faults with #PF on the gate read (benign
; then #PF: delivered serially; CR2 = the gate's address, EIP = the
; instruction); a #PF whose gate is not present gives #NP during its
; delivery (#PF then contributory: #DF); a #PF from ring 3 whose ring-0
; stack (TSS.ESP0) is not present faults again while pushing the frame
; (#PF then #PF: #DF), the #DF taken through a task gate to a task with
; a good stack, which repairs the first task and IRETs back to it.
%include "guest.inc"
%include "paging.inc"

IDTB       equ 0x380000 - 14*8  ; gates 0..13 in page 0x37f000, 14.. in 0x380000
SEL_TSS_B  equ 0x60
T_EIP equ 0x20
T_EFL equ 0x24
T_ESP equ 0x38
T_ES  equ 0x48
T_CS  equ 0x4c
T_SS  equ 0x50
T_DS  equ 0x54
T_FS  equ 0x58
T_GS  equ 0x5c

section .bss
alignb 16
tss_b:      resb 104
stack_b:    resb 4096
stack_b_top:
section .data
align 4
saved_esp:  dd 0
idtr2:      dw 64*8 - 1
            dd IDTB
b_runs:     dd 0
b_err:      dd 0
b_cr2:      dd 0
b_a_cs:     dd 0
b_a_eip:    dd 0
section .text

%macro PTE_CLR 2            ; page address, bits
    and dword [PT32_ADDR + ((%1) >> 12)*4], ~(%2)
    invlpg [%1]
%endmacro
%macro PTE_SET 2
    or dword [PT32_ADDR + ((%1) >> 12)*4], %2
    invlpg [%1]
%endmacro

main:
    mov [saved_esp], esp
    call build_32_identity
    mov eax, PD32_ADDR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax

    ; ---- an IDT whose first page is not present ----
    mov esi, idt
    mov edi, IDTB
    mov ecx, 64*2
    rep movsd
    lidt [idtr2]
    PTE_CLR 0x37f000, PT_P
    EXPECT_EXC 14, .ud_done     ; the #PF gate is readable
.ud_insn:
    ud2
    FAILMSG "UD2 returned"
.ud_done:
    CHECK [exc_cr2], IDTB + 6*8, "#UD gate read: CR2 = the gate"
    CHECK [exc_error], 0, "#UD gate read: #PF error (supervisor read, not present)"
    CHECK [exc_eip], .ud_insn, "#UD gate read: EIP of UD2"
    EXPECT_EXC 14, .int_done
.int_insn:
    int 5
    FAILMSG "INT 5 returned"
.int_done:
    CHECK [exc_cr2], IDTB + 5*8, "INT 5 gate read: CR2 = the gate"
    CHECK [exc_eip], .int_insn, "INT 5 gate read: EIP of the INT"
    PTE_SET 0x37f000, PT_P
    lidt [idtr]
    PRINT "nested: #PF reading the IDT, serially after a benign event ok"

    ; ---- #PF, then #NP for its gate: #DF ----
    PTE_CLR 0x300000, PT_P
    and byte [idt + 14*8 + 5], 0x7f
    EXPECT_EXC 8, .df1_done
    mov eax, [0x300000]
    FAILMSG "no fault for a not-present page"
.df1_done:
    or byte [idt + 14*8 + 5], 0x80
    CHECK [exc_error], 0, "#DF error code (#PF then #NP)"
    CHECK [exc_cr2], 0x300000, "CR2 from the first #PF"
    PRINT "nested: #PF then #NP is #DF ok"

    ; ---- #PF from ring 3 with a not-present ring-0 stack: #DF via a task ----
    mov dword [tss_b + T_EIP], df_task
    mov dword [tss_b + T_ESP], stack_b_top
    mov dword [tss_b + T_EFL], 2
    mov dword [tss_b + T_CS], SEL_CODE32
    mov dword [tss_b + T_SS], SEL_DATA32
    mov dword [tss_b + T_DS], SEL_DATA32
    mov dword [tss_b + T_ES], SEL_DATA32
    mov dword [tss_b + T_FS], SEL_DATA32
    mov dword [tss_b + T_GS], SEL_DATA32
    mov eax, cr3
    mov [tss_b + 0x1c], eax
    mov [tss32 + 0x1c], eax     ; a task switch loads CR3 but never saves it
    mov word [tss_b + 102], 104
    SET_TSS_DESC SEL_TSS_B, tss_b
    mov word [idt + 8*8], 0
    mov word [idt + 8*8 + 2], SEL_TSS_B
    mov word [idt + 8*8 + 4], 0x8500      ; task gate
    mov word [idt + 8*8 + 6], 0
    PTE_CLR 0x302000, PT_U                ; ring 3 faults on it
    PTE_CLR 0x37f000, PT_P                ; the ring-0 stack page
    mov dword [tss32 + 4], 0x380000       ; ESP0: pushes go to 0x37fffc..
    TO_RING3 .user
.user:
    mov ax, SEL_DATA_U          ; IRET to ring 3 nulled DS
    mov ds, ax
.user_read:
    mov eax, [0x302000]
    FAILMSG "no #PF from ring 3"
df_back:                                   ; task A again, repaired by task B
    mov esp, [saved_esp]
    mov dword [tss32 + 4], ring0_stack_top
    PTE_SET 0x37f000, PT_P
    PTE_SET 0x302000, PT_U
    SET_GATE 8, exc_stub_8
    clts
    CHECK [b_runs], 1, "#DF task ran"
    CHECK [b_err], 0, "#DF error code on the task's stack"
    CHECK [b_cr2], 0x37fffc, "CR2: the ring-0 stack push that faulted"
    CHECK [b_a_cs], SEL_CODE32_U, "task A was interrupted in ring 3"
    CHECK [b_a_eip], main.user_read, "task A's saved EIP: the faulting read"
    PRINT "nested: #PF while pushing the #PF frame is #DF (task gate) ok"
    mov eax, cr0
    and eax, ~0x80000000
    mov cr0, eax
    ret

df_task:
    inc dword [b_runs]
    mov eax, [esp]
    mov [b_err], eax
    mov eax, cr2
    mov [b_cr2], eax
    mov eax, [tss32 + T_CS]
    mov [b_a_cs], eax
    mov eax, [tss32 + T_EIP]
    mov [b_a_eip], eax
    ; resume task A in ring 0 at df_back
    mov dword [tss32 + T_EIP], df_back
    mov dword [tss32 + T_CS], SEL_CODE32
    mov dword [tss32 + T_EFL], 2
    mov eax, [saved_esp]
    mov [tss32 + T_ESP], eax
    mov dword [tss32 + T_SS], SEL_DATA32
    mov dword [tss32 + T_DS], SEL_DATA32
    mov dword [tss32 + T_ES], SEL_DATA32
    mov dword [tss32 + T_FS], SEL_DATA32
    mov dword [tss32 + T_GS], SEL_DATA32
    add esp, 4
    iretd
