; ldt: local descriptor tables and the descriptor-table instructions (SDM
; vol 3, 3.5.1, 7.2.x, and the LLDT/LTR/SGDT/SIDT/SLDT/STR pages): LLDT,
; data and code segments from the LDT (TI=1 selectors), the LDT limit
; (#GP(selector) beyond it), LLDT with a non-LDT descriptor #GP(selector),
; LTR of a busy TSS or of a data segment #GP(selector), SGDT/SIDT/SLDT/STR
; (also from ring 3), and a task switch that loads the new task's LDTR and
; its DS from that LDT.
%include "guest.inc"

SEL_LDT    equ 0x60         ; LDT descriptor: 4 entries
SEL_LDT2   equ 0x68         ; a second LDT for task B
SEL_TSS_B  equ 0x70
LSEL_DATA  equ 0x0c         ; LDT entry 1, RPL 0: data, base 0x5000
LSEL_CODE  equ 0x14         ; LDT entry 2: code32, base 0
LSEL_BAD   equ 0x24         ; LDT entry 4: beyond the limit (31)

section .bss
alignb 16
tss_b:      resb 104
stack_b:    resb 1024
stack_b_top:
section .data
align 8
ldt1:
    dq 0
    dq 0x00cf92005000ffff   ; data, base 0x5000, 4 GiB
    dq 0x00cf9a000000ffff   ; code32, base 0
    dq 0
ldt2:
    dq 0
    dq 0x00cf92006000ffff   ; data, base 0x6000
sgdt_buf:   times 6 db 0
sidt_buf:   times 6 db 0
b_ds_base_read: dd 0
b_ldtr:     dd 0
saved_esp:  dd 0
r3_sgdt:    times 6 db 0
r3_sldt:    dd 0xffff
r3_str:     dd 0xffff
section .text

%macro LDT_DESC 2           ; selector, table label (limit 31)
    mov eax, %2
    shl eax, 16
    or eax, 31
    mov [gdt + %1], eax
    mov eax, %2
    mov ecx, eax
    and eax, 0xff000000
    shr ecx, 16
    and ecx, 0xff
    or eax, ecx
    or eax, 0x8200
    mov [gdt + %1 + 4], eax
%endmacro

main:
    mov [saved_esp], esp
    LDT_DESC SEL_LDT, ldt1
    LDT_DESC SEL_LDT2, ldt2
    mov ax, SEL_LDT
    lldt ax
    sldt ax
    movzx eax, ax
    CHECK eax, SEL_LDT, "SLDT after LLDT"
    ; a data segment from the LDT: base 0x5000
    mov dword [0x5010], 0x51515151
    mov dword [0x6010], 0x61616161
    mov ax, LSEL_DATA
    mov es, ax
    CHECK [es:0x10], 0x51515151, "read through an LDT data segment (base 0x5000)"
    mov ax, SEL_DATA32
    mov es, ax
    ; a far jump through an LDT code segment
    jmp LSEL_CODE:.in_ldt_code
.in_ldt_code:
    mov ax, cs
    movzx eax, ax
    CHECK eax, LSEL_CODE, "CS from the LDT"
    jmp SEL_CODE32:.back
.back:
    ; beyond the LDT limit
    EXPECT_EXC 13, .lim_done
    mov ax, LSEL_BAD
    mov fs, ax
    FAILMSG "no #GP for a selector beyond the LDT limit"
.lim_done:
    CHECK [exc_error], LSEL_BAD, "#GP error beyond the LDT limit"
    ; LLDT with a data descriptor
    EXPECT_EXC 13, .lldt_done
    mov ax, SEL_DATA32
    lldt ax
    FAILMSG "no #GP for LLDT of a data descriptor"
.lldt_done:
    CHECK [exc_error], SEL_DATA32, "#GP error for LLDT of a data descriptor"
    ; LTR of the busy current TSS, of a data segment
    EXPECT_EXC 13, .ltr1_done
    mov ax, SEL_TSS
    ltr ax
    FAILMSG "no #GP for LTR of a busy TSS"
.ltr1_done:
    CHECK [exc_error], SEL_TSS, "#GP error for LTR of a busy TSS"
    EXPECT_EXC 13, .ltr2_done
    mov ax, SEL_DATA32
    ltr ax
    FAILMSG "no #GP for LTR of a data segment"
.ltr2_done:
    CHECK [exc_error], SEL_DATA32, "#GP error for LTR of a data segment"
    ; SGDT / SIDT / STR
    sgdt [sgdt_buf]
    movzx eax, word [sgdt_buf]
    CHECK eax, gdt_end - gdt - 1, "SGDT limit"
    CHECK [sgdt_buf + 2], gdt, "SGDT base"
    sidt [sidt_buf]
    movzx eax, word [sidt_buf]
    CHECK eax, 64*8 - 1, "SIDT limit"
    CHECK [sidt_buf + 2], idt, "SIDT base"
    str ax
    movzx eax, ax
    CHECK eax, SEL_TSS, "STR"
    PRINT "ldt: LLDT, LDT segments, limits, LLDT/LTR faults, SGDT/SIDT ok"

    ; ring 3: SGDT/SLDT/STR are not privileged (no UMIP)
    TO_RING3 .user
.user:
    mov ax, SEL_DATA_U
    mov ds, ax
    mov es, ax
    sgdt [r3_sgdt]
    sldt eax
    mov [r3_sldt], eax
    str eax
    mov [r3_str], eax
    EXPECT_EXC 6, .r0
    mov eax, [saved_esp]
    mov [exc_saved_esp], eax
    ud2
.r0:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    CHECK [r3_sgdt + 2], gdt, "SGDT in ring 3: base"
    mov eax, [r3_sldt]
    and eax, 0xffff
    CHECK eax, SEL_LDT, "SLDT in ring 3"
    mov eax, [r3_str]
    and eax, 0xffff
    CHECK eax, SEL_TSS, "STR in ring 3"
    PRINT "ldt: SGDT/SLDT/STR from ring 3 ok"

    ; ---- task switch loads LDTR and an LDT-relative DS ----
    mov dword [tss_b + 0x20], task_b
    mov dword [tss_b + 0x24], 2
    mov dword [tss_b + 0x38], stack_b_top
    mov dword [tss_b + 0x4c], SEL_CODE32
    mov dword [tss_b + 0x50], SEL_DATA32
    mov dword [tss_b + 0x54], LSEL_DATA   ; DS from task B's LDT (base 0x6000)
    mov dword [tss_b + 0x48], SEL_DATA32
    mov dword [tss_b + 0x60], SEL_LDT2
    mov word [tss_b + 102], 104
    SET_TSS_DESC SEL_TSS_B, tss_b
    call SEL_TSS_B:0
    clts
    sldt ax
    movzx eax, ax
    ; the switch back loads LDTR from task A's TSS, whose LDT field (0) the
    ; outgoing switch did not write: LDTR is null now, not SEL_LDT
    CHECK eax, 0, "LDTR after IRET: loaded from task A's static LDT field"
    CHECK [b_ldtr], SEL_LDT2, "LDTR in task B"
    CHECK [b_ds_base_read], 0x61616161, "task B's DS from its LDT (base 0x6000)"
    xor eax, eax
    lldt ax
    PRINT "ldt: task switch loads the LDT and LDT segments ok"
    ret

task_b:
    mov eax, [0x10]             ; DS base 0x6000
    mov [es:b_ds_base_read], eax
    sldt ax
    movzx eax, ax
    mov [es:b_ldtr], eax
    iretd
