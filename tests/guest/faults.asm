; faults: exception vectors and error codes the exceptions program does not
; cover (SDM vol 3, 6.13-6.15): #BR from BOUND, #DE from IDIV overflow,
; #UD from LOCK on a non-lockable instruction, IDT error codes (INT n beyond the IDT limit #GP(n*8+2), not-present
; gate #NP(n*8+2), invalid gate type #GP(n*8+2), gate DPL < CPL from ring 3 #GP(n*8+2)), #NP for a
; not-present gate while delivering an exception, #DF from a contributory
; fault during the delivery of another (#GP -> #NP), #TS(selector) for a
; TSS below the minimum limit.
%include "guest.inc"

SEL_TSS_SMALL equ 0x60

section .data
align 4
bounds:     dd 10, 20
section .bss
alignb 16
tss_small:  resb 104
section .text

main:
    ; #BR: BOUND with the index above the upper bound (fault)
    EXPECT_EXC 5, .br_done
    mov eax, 30
.br_insn:
    bound eax, [bounds]
    FAILMSG "no #BR"
.br_done:
    CHECK [exc_eip], .br_insn, "#BR EIP (fault)"
    mov eax, 15
    bound eax, [bounds]         ; in range: no fault
    mov eax, 20
    bound eax, [bounds]         ; the upper bound is inclusive

    ; #DE: IDIV 0x80000000 / -1 overflows
    EXPECT_EXC 0, .de_done
    mov eax, 0x80000000
    cdq
    mov ecx, -1
.de_insn:
    idiv ecx
    FAILMSG "no #DE on IDIV overflow"
.de_done:
    CHECK [exc_eip], .de_insn, "#DE EIP for IDIV overflow"

    ; #UD: LOCK NOP
    EXPECT_EXC 6, .lock_done
.lock_insn:
    db 0xf0, 0x90
    FAILMSG "no #UD for LOCK NOP"
.lock_done:
    CHECK [exc_eip], .lock_insn, "#UD EIP for LOCK NOP"

    ; (#GP(0) for a reserved CR4 bit is not tested: QEMU 7.2 TCG loops on
    ; that MOV CR4 instead of raising #GP.)
    PRINT "faults: #BR #DE(IDIV) #UD(LOCK) ok"

    ; ---- IDT error codes: index << 3 | IDT(2) | EXT(1) ----
    ; INT 0x50: beyond the IDT limit (64 gates)
    EXPECT_EXC 13, .lim_done
.lim_insn:
    int 0x50
    FAILMSG "no #GP for INT beyond the IDT limit"
.lim_done:
    CHECK [exc_error], 0x50*8 + 2, "#GP error for INT 0x50 beyond the IDT limit"
    CHECK [exc_eip], .lim_insn, "#GP EIP for INT beyond the limit"
    ; INT 0x31: an interrupt gate with P=0 (a zero descriptor would be an
    ; invalid gate type: #GP, checked first)
    SET_GATE 0x31, main
    and byte [idt + 0x31*8 + 5], 0x7f
    EXPECT_EXC 11, .np_done
.np_insn:
    int 0x31
    FAILMSG "no #NP for INT through a not-present gate"
.np_done:
    CHECK [exc_error], 0x31*8 + 2, "#NP error for INT 0x31 (not-present gate)"
    CHECK [exc_eip], .np_insn, "#NP EIP for INT"
    ; INT 0x32: a zero IDT entry (invalid gate type) is #GP(n*8+2)
    EXPECT_EXC 13, .zero_done
    int 0x32
    FAILMSG "no #GP for INT through a zero IDT entry"
.zero_done:
    CHECK [exc_error], 0x32*8 + 2, "#GP error for INT 0x32 (zero IDT entry)"
    ; #UD whose gate is not present: #NP(6*8+2+EXT). QEMU TCG leaves EXT
    ; (bit 0) clear for an exception (hardware sets it): EXT not compared.
    and byte [idt + 6*8 + 5], 0x7f
    EXPECT_EXC 11, .npx_done
.npx_insn:
    ud2
    FAILMSG "no #NP delivering #UD through a not-present gate"
.npx_done:
    or byte [idt + 6*8 + 5], 0x80
    mov eax, [exc_error]
    and eax, ~1
    CHECK eax, 6*8 + 2, "#NP error delivering #UD (EXT masked)"
    CHECK [exc_eip], .npx_insn, "#NP EIP delivering #UD"
    ; #GP whose gate is not present: #GP then #NP are both contributory: #DF(0)
    and byte [idt + 13*8 + 5], 0x7f
    EXPECT_EXC 8, .df_done
    mov ax, 0x1f8
    mov ds, ax                  ; #GP(0x1f8) -> #NP -> #DF
    FAILMSG "no #DF"
.df_done:
    or byte [idt + 13*8 + 5], 0x80
    mov ax, SEL_DATA32
    mov ds, ax
    CHECK [exc_error], 0, "#DF error code"
    PRINT "faults: IDT error codes, #NP during delivery, #DF ok"

    ; ---- ring 3: INT n through a DPL-0 gate is #GP(n*8+2) ----
    SET_GATE 0x21, main         ; present, DPL 0
    mov [saved_esp], esp
    TO_RING3 .user
.user:
    mov ax, SEL_DATA_U
    mov ds, ax
    mov es, ax
    EXPECT_EXC_IRET 13, .dpl_done
.dpl_insn:
    int 0x21
    FAILMSG "no #GP for INT through a DPL-0 gate from ring 3"
.dpl_done:
    CHECK [exc_error], 0x21*8 + 2, "#GP error for INT 0x21 from ring 3"
    CHECK [exc_eip], .dpl_insn, "#GP EIP for INT 0x21 from ring 3"
    CHECK [exc_cs], SEL_CODE32_U, "#GP from ring 3: CS in the frame"
    ; INT3 has a DPL-3 gate: allowed
    EXPECT_EXC_IRET 3, .bp_done
    int3
.bp_after:
    FAILMSG "no #BP from ring 3"
.bp_done:
    CHECK [exc_eip], .bp_after, "#BP from ring 3: EIP after INT3"
    ; back to ring 0 through an expected #UD
    EXPECT_EXC 6, .ring0
    mov [exc_saved_esp], esp    ; overwritten below
    ud2
.ring0:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov esp, [saved_esp]
    PRINT "faults: ring-3 INT through a DPL-0 gate ok"

    ; ---- #TS: task switch to a TSS whose limit is below 103 ----
    SET_TSS_DESC SEL_TSS_SMALL, tss_small
    mov word [gdt + SEL_TSS_SMALL], 0x50
    EXPECT_EXC 10, .ts_done
.ts_insn:
    jmp SEL_TSS_SMALL:0
    FAILMSG "no #TS for a TSS limit below 103"
.ts_done:
    CHECK [exc_error], SEL_TSS_SMALL, "#TS error: the TSS selector"
    CHECK [exc_eip], .ts_insn, "#TS EIP"
    PRINT "faults: #TS for a short TSS ok"

    ; Segment limit violations (#GP(0) through ES, #SS(0) through SS) are
    ; not tested: QEMU 7.2 TCG does not check data segment limits.
    ret

section .data
saved_esp: dd 0
section .text
