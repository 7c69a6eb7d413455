; fpu: x87 and SSE exception plumbing (SDM vol 3, 2.5, 9.2, 13.1): #NM for
; x87 and SSE with CR0.TS, WAIT with TS faulting only when CR0.MP=1, CR0.EM
; (#NM for x87, #UD for SSE), #MF with CR0.NE delivered at the next waiting
; x87 instruction (not at the one that caused it), FNSTSW not waiting,
; a masked SSE exception's MXCSR flag, SSE with CR4.OSFXSR=0 #UD.
; Not tested: FERR# -> IRQ 13 with CR0.NE=0. QEMU 7.2 TCG aborts on it
; (assertion qemu_mutex_iothread_locked in tcg_handle_interrupt), and
; Petrel's machine does not route Cpu::on_ferr to IRQ 13 (no interrupt).
%include "guest.inc"

CR0_MP equ 1 << 1
CR0_EM equ 1 << 2
CR0_TS equ 1 << 3
CR0_NE equ 1 << 5
CR4_OSFXSR     equ 1 << 9
CR4_OSXMMEXCPT equ 1 << 10

section .data
align 16
one:    dd 1.0, 1.0, 1.0, 1.0
fcw:    dw 0
mxcsr:  dd 0
fsw:    dd 0
section .text

%macro CR0_SET 1
    mov eax, cr0
    or eax, %1
    mov cr0, eax
%endmacro
%macro CR0_CLR 1
    mov eax, cr0
    and eax, ~(%1)
    mov cr0, eax
%endmacro
%macro CR4_SET 1
    mov eax, cr4
    or eax, %1
    mov cr4, eax
%endmacro
%macro CR4_CLR 1
    mov eax, cr4
    and eax, ~(%1)
    mov cr4, eax
%endmacro

main:
    CR0_CLR CR0_EM | CR0_TS
    CR0_SET CR0_MP | CR0_NE
    CR4_SET CR4_OSFXSR | CR4_OSXMMEXCPT
    fninit
    movups xmm0, [one]

    ; ---- CR0.TS ----
    CR0_SET CR0_TS
    EXPECT_EXC 7, .ts1
.ts1_insn:
    fld1
    FAILMSG "no #NM for x87 with CR0.TS"
.ts1:
    CHECK [exc_eip], .ts1_insn, "#NM EIP (x87, TS)"
    EXPECT_EXC 7, .ts2
.ts2_insn:
    addps xmm0, xmm0
    FAILMSG "no #NM for SSE with CR0.TS"
.ts2:
    CHECK [exc_eip], .ts2_insn, "#NM EIP (SSE, TS)"
    EXPECT_EXC 7, .ts3
.ts3_insn:
    fwait
    FAILMSG "no #NM for WAIT with CR0.TS and CR0.MP"
.ts3:
    CHECK [exc_eip], .ts3_insn, "#NM EIP (WAIT, TS+MP)"
    CR0_CLR CR0_MP
    fwait                       ; TS=1, MP=0: no #NM
    CR0_SET CR0_MP
    clts
    fld1                        ; no fault after CLTS
    fstp st0
    PRINT "fpu: #NM with CR0.TS ok"

    ; ---- CR0.EM ----
    CR0_SET CR0_EM
    EXPECT_EXC 7, .em1
.em1_insn:
    fldz
    FAILMSG "no #NM for x87 with CR0.EM"
.em1:
    CHECK [exc_eip], .em1_insn, "#NM EIP (x87, EM)"
    EXPECT_EXC 6, .em2
.em2_insn:
    addps xmm0, xmm0
    FAILMSG "no #UD for SSE with CR0.EM"
.em2:
    CHECK [exc_eip], .em2_insn, "#UD EIP (SSE, EM)"
    CR0_CLR CR0_EM
    PRINT "fpu: CR0.EM ok"

    ; ---- #MF with CR0.NE: unmasked zero divide ----
    fninit
    fnstcw [fcw]
    and word [fcw], ~4          ; unmask ZE
    fldcw [fcw]
    fld1
    fldz
    fdivp st1, st0              ; ZE pending, no fault here
    fnstsw ax                   ; no-wait: no fault either
    movzx eax, ax
    and eax, 0x80 | 0x04
    CHECK eax, 0x84, "FSW after an unmasked zero divide: ES|ZE"
    EXPECT_EXC 16, .mf1
.mf1_insn:
    fwait
    FAILMSG "no #MF at the WAIT after an unmasked x87 exception"
.mf1:
    CHECK [exc_eip], .mf1_insn, "#MF EIP = the WAIT"
    ; The exception stays pending (FSW.ES): hardware faults again at the
    ; next waiting x87 instruction (e.g. FLD1). Not tested: QEMU 7.2 TCG
    ; checks pending x87 exceptions only at FWAIT.
    fnclex
    fwait                       ; cleared: no fault
    fninit
    PRINT "fpu: #MF with CR0.NE ok"

    ; ---- SSE ----
    ; An unmasked SSE exception is #XM with CR4.OSXMMEXCPT=1 and #UD without
    ; it. Not tested: QEMU 7.2 TCG never raises #XM (it only sets the
    ; MXCSR flags). A masked one sets the flag and gives the masked result.
    stmxcsr [mxcsr]
    and dword [mxcsr], ~0x3f
    or dword [mxcsr], 0x1f80    ; all masked
    ldmxcsr [mxcsr]
    xorps xmm1, xmm1
    movss xmm0, [one]
    divss xmm0, xmm1
    stmxcsr [mxcsr]
    mov eax, [mxcsr]
    and eax, 0x3f
    CHECK eax, 4, "MXCSR flags after a masked zero divide: ZE"
    movd eax, xmm0
    CHECK eax, 0x7f800000, "masked zero divide gives +inf"
    and dword [mxcsr], ~0x3f
    ldmxcsr [mxcsr]
    CR4_CLR CR4_OSFXSR
    EXPECT_EXC 6, .fx
.fx_insn:
    addps xmm0, xmm0
    FAILMSG "no #UD for SSE with CR4.OSFXSR=0"
.fx:
    CHECK [exc_eip], .fx_insn, "#UD EIP (OSFXSR=0)"
    CR4_SET CR4_OSFXSR
    PRINT "fpu: SSE masked exception flag, #UD with OSFXSR=0 ok"
    ret
