; callgate: privilege changes through call gates (SDM vol 3, 5.8): a ring-3
; far CALL through a DPL-3 gate to ring-0 code with a stack switch from the
; TSS and a two-dword parameter copy, RETF imm to the outer ring (both
; stacks released, DS/ES/FS/GS with DPL < CPL nulled), a same-ring gate
; call (no stack switch, no copy), RETF to ring 3 without a gate, and the
; faults: gate DPL < CPL #GP(gate), target DPL > CPL #GP(code selector),
; not-present gate #NP(gate), privileged instructions in ring 3 #GP(0).
%include "guest.inc"

GATE_R3     equ 0x60        ; DPL 3 -> SEL_CODE32:gate_params, 2 params
GATE_R0     equ 0x68        ; DPL 0 -> same target
GATE_EXIT   equ 0x70        ; DPL 3 -> SEL_CODE32:gate_exit
GATE_NP     equ 0x78        ; DPL 3, not present
GATE_OUT    equ 0x80        ; DPL 3 -> SEL_CODE32_U (less privileged target)

section .data
align 4
saved_esp:  dd 0
r_frame:    times 6 dd 0    ; the ring-0 stack as the gate handler found it
r_esp:      dd 0
r_cs:       dd 0
r_ss:       dd 0
r_calls:    dd 0
caller_esp: dd 0
section .text

main:
    mov [saved_esp], esp
    SET_GATE_DESC GATE_R3, SEL_CODE32, gate_params, 0xec02
    SET_GATE_DESC GATE_R0, SEL_CODE32, gate_params, 0x8c02
    SET_GATE_DESC GATE_EXIT, SEL_CODE32, gate_exit, 0xec00
    SET_GATE_DESC GATE_NP, SEL_CODE32, gate_params, 0x6c00
    SET_GATE_DESC GATE_OUT, SEL_CODE32_U, user, 0xec00

    ; same-privilege call through a gate: no stack switch, no parameter copy
    mov ax, SEL_DATA32
    mov gs, ax
    push dword 0xaaaa0001
    push dword 0xaaaa0002
    mov [caller_esp], esp
    call GATE_R3:0
.same_ret:
    mov eax, [caller_esp]
    add eax, 8
    CHECK esp, eax, "ESP after a same-ring RETF 8 (parameters released)"
    CHECK [r_frame], .same_ret, "same ring: pushed EIP"
    CHECK [r_frame + 4], SEL_CODE32, "same ring: pushed CS"
    CHECK [r_frame + 8], 0xaaaa0002, "same ring: caller's stack above CS:EIP"
    mov eax, [caller_esp]
    sub eax, 8
    CHECK [r_esp], eax, "same ring: no stack switch"
    CHECK [r_ss], SEL_DATA32, "same ring: SS unchanged"
    mov ax, gs
    movzx eax, ax
    CHECK eax, SEL_DATA32, "same ring: GS kept by RETF"
    PRINT "callgate: same-privilege gate call ok"

    ; target code less privileged than CPL: #GP(target selector)
    EXPECT_EXC 13, .out_done
    call GATE_OUT:0
    FAILMSG "no #GP calling ring-3 code through a gate from ring 0"
.out_done:
    CHECK [exc_error], SEL_CODE32_U & ~3, "#GP error: the gate's code selector"

    ; to ring 3 with RETF (no gate): SS:ESP then CS:EIP on the stack.
    ; IOPL 3 so that ring 3 can print (CHECK).
    pushfd
    or dword [esp], 0x3000
    popfd
    push dword SEL_DATA_U
    push dword ring3_stack_top
    push dword SEL_CODE32_U
    push dword user
    retf

user:                           ; ring 3, IOPL 3
    mov ebx, esp
    ; RETF to ring 3 nulled DS/ES (DPL 0). QEMU TCG does not fault on a
    ; null-DS access in 32-bit mode, hardware does: reload before any access.
    mov ax, ds
    movzx ecx, ax
    mov ax, SEL_DATA_U
    mov ds, ax
    mov es, ax
    mov fs, ax
    CHECK ecx, 0, "DS nulled by RETF to ring 3"
    mov ax, cs
    movzx eax, ax
    CHECK eax, SEL_CODE32_U, "CS in ring 3 after RETF"
    mov ax, ss
    movzx eax, ax
    CHECK eax, SEL_DATA_U, "SS in ring 3 after RETF"
    CHECK ebx, ring3_stack_top, "ESP in ring 3 after RETF"

    ; privileged instructions: #GP(0)
    EXPECT_EXC_IRET 13, .hlt_done
.hlt_insn:
    hlt
    FAILMSG "HLT in ring 3 did not fault"
.hlt_done:
    CHECK [exc_error], 0, "HLT #GP error"
    CHECK [exc_eip], .hlt_insn, "HLT #GP EIP"
    CHECK [exc_cs], SEL_CODE32_U, "HLT #GP: CS in the frame"
    EXPECT_EXC_IRET 13, .cr_done
    mov eax, cr0
    FAILMSG "MOV from CR0 in ring 3 did not fault"
.cr_done:
    CHECK [exc_error], 0, "MOV CR0 #GP error"
    EXPECT_EXC_IRET 13, .lgdt_done
    lgdt [gdtr]
    FAILMSG "LGDT in ring 3 did not fault"
.lgdt_done:
    CHECK [exc_error], 0, "LGDT #GP error"

    ; gate DPL 0 < CPL 3: #GP(gate)
    EXPECT_EXC_IRET 13, .dpl_done
    call GATE_R0 | 3:0
    FAILMSG "no #GP calling a DPL-0 gate from ring 3"
.dpl_done:
    CHECK [exc_error], GATE_R0, "#GP error: the gate selector"
    ; not-present gate: #NP(gate)
    EXPECT_EXC_IRET 11, .np_done
    call GATE_NP | 3:0
    FAILMSG "no #NP calling a not-present gate"
.np_done:
    CHECK [exc_error], GATE_NP, "#NP error: the gate selector"
    CHECK [r_calls], 1, "gate handler calls so far"

    ; inner-ring call with a parameter copy
    mov ax, SEL_DATA_U
    mov fs, ax
    push dword 0x11111111
    push dword 0x22222222
    mov [caller_esp], esp
    call GATE_R3 | 3:0
.ret3:
    mov ebx, esp
    mov ax, cs
    movzx eax, ax
    CHECK eax, SEL_CODE32_U, "CS after RETF to ring 3"
    mov ax, ss
    movzx eax, ax
    CHECK eax, SEL_DATA_U, "SS after RETF to ring 3"
    mov eax, [caller_esp]
    add eax, 8
    CHECK ebx, eax, "ESP after RETF 8 to ring 3 (outer parameters released)"
    mov ax, ds
    movzx eax, ax
    CHECK eax, SEL_DATA_U, "DS (DPL 3) kept by RETF to ring 3"
    mov ax, fs
    movzx eax, ax
    CHECK eax, SEL_DATA_U, "FS (DPL 3) kept by RETF to ring 3"
    mov ax, es
    movzx eax, ax
    CHECK eax, 0, "ES (DPL 0) nulled by RETF to ring 3"
    mov ax, gs
    movzx eax, ax
    CHECK eax, 0, "GS (DPL 0) nulled by RETF to ring 3"
    CHECK [r_frame], .ret3, "ring-0 stack: EIP"
    CHECK [r_frame + 4], SEL_CODE32_U, "ring-0 stack: caller CS"
    CHECK [r_frame + 8], 0x22222222, "ring-0 stack: parameter 2 (last pushed)"
    CHECK [r_frame + 12], 0x11111111, "ring-0 stack: parameter 1"
    CHECK [r_frame + 16], [caller_esp], "ring-0 stack: caller ESP"
    CHECK [r_frame + 20], SEL_DATA_U, "ring-0 stack: caller SS"
    CHECK [r_esp], ring0_stack_top - 24, "ring-0 ESP = TSS.ESP0 - 24"
    CHECK [r_cs], SEL_CODE32, "CS in the gate handler (RPL = CPL 0)"
    CHECK [r_ss], SEL_DATA32, "SS in the gate handler (TSS.SS0)"
    PRINT "callgate: ring 3 -> 0 with parameter copy, RETF to ring 3 ok"
    call GATE_EXIT | 3:0
    FAILMSG "exit gate returned"

gate_params:                    ; ring 0; DS may be the caller's
    push eax
    push ecx
    mov ax, SEL_DATA32
    mov ds, ax
    mov ecx, 0
.copy:
    mov eax, [esp + 8 + ecx*4]
    mov [r_frame + ecx*4], eax
    inc ecx
    cmp ecx, 6
    jb .copy
    lea eax, [esp + 8]
    mov [r_esp], eax
    mov ax, cs
    movzx eax, ax
    mov [r_cs], eax
    mov ax, ss
    movzx eax, ax
    mov [r_ss], eax
    inc dword [r_calls]
    mov ax, SEL_DATA32
    mov es, ax
    mov gs, ax
    mov ax, [r_frame + 4]       ; caller's DS back (DPL 3 for a ring-3 caller)
    and ax, 3
    jz .ring0
    mov ax, SEL_DATA_U
    mov ds, ax
.ring0:
    pop ecx
    pop eax
    retf 8

gate_exit:                      ; ring 0, from ring 3
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov esp, [saved_esp]
    pushfd
    and dword [esp], ~0x3000
    popfd
    mov ax, ss
    movzx eax, ax
    CHECK eax, SEL_DATA32, "SS in the exit gate"
    ret
