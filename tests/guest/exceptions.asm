; exceptions: trigger #DE #UD #GP #PF #BP #OF #NP #SS; check vector,
; error code, saved EIP and CR2 (SDM vol 3, chapter 6).
%include "guest.inc"
%include "paging.inc"

; EXC vector, error, eip_label: after the faulting instruction resumed at
; the label following the macro, check what the handler recorded.
%macro VERIFY 3
    CHECK [exc_vector], %1, "vector"
    CHECK [exc_error], %2, "error code"
    CHECK [exc_eip], %3, "saved EIP"
%endmacro

main:
    ; #DE: divide by zero, fault (EIP = the DIV)
    EXPECT_EXC 0, .de_done
    xor ecx, ecx
.de_insn:
    div ecx
    FAILMSG "#DE not raised"
.de_done:
    VERIFY 0, 0, .de_insn
    PRINT "#DE ok"

    ; #UD: UD2
    EXPECT_EXC 6, .ud_done
.ud_insn:
    ud2
    FAILMSG "#UD not raised"
.ud_done:
    VERIFY 6, 0, .ud_insn
    PRINT "#UD ok"

    ; #GP(selector): load DS with a selector beyond the GDT limit
    EXPECT_EXC 13, .gp_done
    mov ax, 0x1f8
.gp_insn:
    mov ds, ax
    FAILMSG "#GP not raised"
.gp_done:
    mov ax, SEL_DATA32
    mov ds, ax
    VERIFY 13, 0x1f8, .gp_insn
    PRINT "#GP ok"

    ; #NP(selector): not-present data segment into ES
    EXPECT_EXC 11, .np_done
    mov ax, SEL_BAD_NP
.np_insn:
    mov es, ax
    FAILMSG "#NP not raised"
.np_done:
    mov ax, SEL_DATA32
    mov es, ax
    VERIFY 11, SEL_BAD_NP, .np_insn
    PRINT "#NP ok"

    ; #SS(selector): not-present segment into SS
    EXPECT_EXC 12, .ss_done
    mov ax, SEL_BAD_NP
.ss_insn:
    mov ss, ax
    FAILMSG "#SS not raised"
.ss_done:
    VERIFY 12, SEL_BAD_NP, .ss_insn
    PRINT "#SS ok"

    ; #BP: INT3 is a trap, saved EIP is after it
    EXPECT_EXC 3, .bp_done
    int3
.bp_after:
    FAILMSG "#BP not raised"
.bp_done:
    VERIFY 3, 0, .bp_after
    PRINT "#BP ok"

    ; #OF: INTO with OF set, trap
    EXPECT_EXC 4, .of_done
    mov eax, 0x7fffffff
    add eax, 1
    into
.of_after:
    FAILMSG "#OF not raised"
.of_done:
    VERIFY 4, 0, .of_after
    PRINT "#OF ok"

    ; Paging for #PF: identity map, page 0x300000 not present, 0x301000 read-only
    call build_32_identity
    ; 0x300000 lies in a 4 MiB PSE page; give 0..8 MiB 4 KiB tables instead:
    ; reuse PT32 for 0..4 MiB and a second table for 4..8 is not needed, because
    ; the test pages are below 4 MiB (0x3xx000).
    and dword [PT32_ADDR + 0x300*4], ~PT_P
    and dword [PT32_ADDR + 0x301*4], ~PT_W
    and dword [PT32_ADDR + 0x302*4], ~PT_U
    mov eax, cr4
    or eax, 0x10                ; PSE
    mov cr4, eax
    mov eax, PD32_ADDR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; PG | WP
    mov cr0, eax

    ; not-present read: error 0
    EXPECT_EXC 14, .pf1_done
.pf1_insn:
    mov eax, [0x300010]
    FAILMSG "#PF (not present) not raised"
.pf1_done:
    VERIFY 14, 0, .pf1_insn
    mov eax, cr2
    CHECK eax, 0x300010, "CR2 not-present"
    ; write to read-only with CR0.WP in ring 0: error P|W = 3
    EXPECT_EXC 14, .pf2_done
.pf2_insn:
    mov dword [0x301008], 1
    FAILMSG "#PF (write read-only, WP) not raised"
.pf2_done:
    VERIFY 14, 3, .pf2_insn
    mov eax, cr2
    CHECK eax, 0x301008, "CR2 write-protect"
    ; user access to a supervisor page from ring 3: error P|U = 5
    EXPECT_EXC 14, .pf3_done
    push dword SEL_DATA_U
    push dword stack_top - 4096
    push dword 0x002            ; IF=0: no stray IRQ in ring 3
    push dword SEL_CODE32_U
    push dword .ring3
    iretd
.ring3:
    ; IRET to ring 3 nulls DS (DPL 0 < CPL 3): hardware then raises #GP(0)
    ; on a DS access (QEMU TCG does not check), so load a ring-3 DS first.
    mov ax, SEL_DATA_U
    mov ds, ax
.pf3_insn:
    mov eax, [0x302000]
    FAILMSG "#PF (user) not raised"
.pf3_done:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ss, ax          ; the handler ran on ESP0 and jumped here in ring 0
    VERIFY 14, 5, .pf3_insn
    mov eax, cr2
    CHECK eax, 0x302000, "CR2 user"
    PRINT "#PF ok"

    ; #AC is not checked: QEMU TCG does not implement alignment checking,
    ; so the test could not be validated against it.

    mov eax, cr0
    and eax, ~0x80000000
    mov cr0, eax
    ret
