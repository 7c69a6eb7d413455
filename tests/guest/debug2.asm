; debug2: more of the #DB machinery (SDM vol 3, 17.2-17.3): a task switch
; clears the local breakpoint enables L0-L3 of DR7 (G0-G3 survive); single
; step through REP MOVSB traps after every iteration (EIP stays on the REP
; until the last); a data breakpoint hit inside a REP MOVSD traps after
; that iteration with ECX counting the rest; an instruction that faults
; under TF takes the fault, not the single-step trap; an instruction
; breakpoint on an instruction that then faults: #DB first with RF clear in
; its frame, then (the handler set RF) the fault, whose frame has RF set.
%include "guest.inc"

SEL_TSS_B equ 0x60
MAXREC    equ 8
EFL_RF    equ 0x10000

section .bss
alignb 16
tss_b:      resb 104
stack_b:    resb 1024
stack_b_top:
src:        resd 8
dst:        resd 8
section .data
align 4
b_dr7:      dd 0
db_count:   dd 0
db_limit:   dd 0
db_eip:     times MAXREC dd 0
db_ecx:     times MAXREC dd 0
db_dr6:     times MAXREC dd 0
db_efl:     dd 0
section .text

db_handler:
    push eax
    push ebx
    mov ebx, [db_count]
    cmp ebx, MAXREC
    jae .full
    mov eax, [esp + 8]
    mov [db_eip + ebx*4], eax
    mov [db_ecx + ebx*4], ecx
    mov eax, dr6
    mov [db_dr6 + ebx*4], eax
.full:
    inc dword [db_count]
    xor eax, eax
    mov dr6, eax
    mov eax, [db_count]
    cmp eax, [db_limit]
    jb .keep
    and dword [esp + 16], ~0x100
.keep:
    pop ebx
    pop eax
    iretd

%macro RESET_DB 1
    mov dword [db_count], 0
    mov dword [db_limit], %1
%endmacro

main:
    SET_GATE 1, db_handler

    ; ---- task switch clears L0-L3 ----
    mov dword [tss_b + 0x20], task_b
    mov dword [tss_b + 0x24], 2
    mov dword [tss_b + 0x38], stack_b_top
    mov dword [tss_b + 0x4c], SEL_CODE32
    mov dword [tss_b + 0x50], SEL_DATA32
    mov dword [tss_b + 0x54], SEL_DATA32
    mov dword [tss_b + 0x48], SEL_DATA32
    mov word [tss_b + 102], 104
    SET_TSS_DESC SEL_TSS_B, tss_b
    mov eax, never_executed
    mov dr0, eax
    mov dr1, eax
    mov dr2, eax
    mov dr3, eax
    mov eax, 0x55 | 0x08        ; L0-L3 and G1 (execute breakpoints)
    mov dr7, eax
    call SEL_TSS_B:0
    clts
    mov eax, dr7
    mov ecx, eax
    xor eax, eax
    mov dr7, eax
    CHECK [b_dr7], 0x400 | 0x08, "DR7 in the new task: L0-L3 cleared, G1 kept"
    CHECK ecx, 0x400 | 0x08, "DR7 after the task switch back"
    PRINT "debug2: task switch clears DR7 L0-L3 ok"

    ; ---- single step through REP MOVSB ----
    RESET_DB 5
    mov esi, src
    mov edi, dst
    mov ecx, 3
    pushfd
    or dword [esp], 0x100
    popfd
.r0:
    nop
.r1:
    rep movsb
.r2:
    nop
.r3:
    nop
    CHECK [db_count], 5, "single-step traps around a 3-iteration REP MOVSB"
    CHECK [db_eip], .r1, "trap before REP"
    CHECK [db_eip + 4], .r1, "after iteration 1: EIP on the REP"
    CHECK [db_ecx + 4], 2, "after iteration 1: ECX"
    CHECK [db_eip + 8], .r1, "after iteration 2: EIP on the REP"
    CHECK [db_ecx + 8], 1, "after iteration 2: ECX"
    CHECK [db_eip + 12], .r2, "after the last iteration: next instruction"
    CHECK [db_ecx + 12], 0, "after the last iteration: ECX"
    PRINT "debug2: single step through REP MOVSB ok"

    ; ---- data breakpoint inside REP MOVSD ----
    RESET_DB 1
    mov eax, dst + 8            ; the third dword written
    mov dr1, eax
    mov eax, 0x00d00004         ; L1, write, 4 bytes
    mov dr7, eax
    mov esi, src
    mov edi, dst
    mov ecx, 6
.m0:
    rep movsd
.m1:
    xor eax, eax
    mov dr7, eax
    CHECK [db_count], 1, "data breakpoint hits in REP MOVSD"
    CHECK [db_eip], .m0, "data breakpoint in REP: EIP on the REP"
    CHECK [db_ecx], 3, "data breakpoint in REP: ECX after 3 iterations"
    CHECKF [db_dr6], 0xf, 2, "data breakpoint in REP: DR6.B1"
    CHECK ecx, 0, "the REP completed after the handler"
    PRINT "debug2: data breakpoint inside REP MOVSD ok"

    ; ---- TF and a faulting instruction ----
    RESET_DB 1
    EXPECT_EXC 6, .f_done
    pushfd
    or dword [esp], 0x100
    popfd
.f0:
    nop                         ; trap after it (1st #DB, clears TF)
    ud2                         ; runs without TF
.f_done:
    CHECK [db_count], 1, "#DB count before the fault"
    RESET_DB 1
    EXPECT_EXC_IRET 6, .f2_done
    pushfd
    or dword [esp], 0x100
    popfd
    nop                         ; #DB: the handler would clear TF; keep it
.f1:
    ud2                         ; #UD, not a single-step trap
.f2_done:
    pushfd
    and dword [esp], ~0x100
    popfd
    CHECK [exc_eip], .f1, "#UD under TF: EIP of the UD2"
    CHECK [db_count], 1, "no single-step trap for the faulting UD2"

    ; DR7.GD (MOV DR is a #DB fault with DR6.BD) is not tested: QEMU 7.2
    ; TCG does not implement general detect.
    PRINT "debug2: TF with a faulting instruction ok"

    ; ---- instruction breakpoint on an instruction that then faults ----
    SET_GATE 1, rf_handler
    mov dword [db_count], 0
    mov eax, .gp_insn
    mov dr0, eax
    mov eax, 0x401
    mov dr7, eax
    mov ax, 0x1f8
    EXPECT_EXC 13, .gp_done
.gp_insn:
    mov ds, ax                  ; #DB (fault), then #GP
    FAILMSG "no #GP"
.gp_done:
    xor eax, eax
    mov dr7, eax
    mov ax, SEL_DATA32
    mov ds, ax
    SET_GATE 1, db_handler
    CHECK [db_count], 1, "instruction breakpoint #DB before the fault"
    CHECK [db_eip], .gp_insn, "#DB EIP = the instruction"
    CHECKF [db_efl], EFL_RF, 0, "RF clear in the instruction-breakpoint #DB frame"
    CHECK [exc_eip], .gp_insn, "#GP EIP = the instruction"
    CHECKF [exc_eflags], EFL_RF, EFL_RF, "RF set in the #GP frame after the breakpoint"
    PRINT "debug2: instruction breakpoint then fault (RF) ok"
    ; The TSS T bit (#DB with DR6.BT before the new task's first
    ; instruction) is not tested: QEMU 7.2 TCG ignores it.
    ret

rf_handler:                     ; #DB: record, set RF in the frame, return
    push eax
    mov eax, [esp + 4]
    mov [db_eip], eax
    mov eax, [esp + 12]
    mov [db_efl], eax
    inc dword [db_count]
    xor eax, eax
    mov dr6, eax
    or dword [esp + 12], EFL_RF
    pop eax
    iretd

task_b:
    mov eax, dr7
    mov [b_dr7], eax
    iretd

never_executed:
    ret
