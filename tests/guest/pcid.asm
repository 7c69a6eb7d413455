; pcid: process-context identifiers and INVPCID (SDM vol 3, 4.10.1,
; 4.10.4; vol 2 MOV CR, INVPCID), 4-level paging.
; Always: INVPCID in virtual-8086 mode is #GP(0) (#UD if not advertised);
; MOV CR3 with bit 63 set while CR4.PCIDE = 0 is #GP (reserved; not under
; QEMU 7.2 TCG, which loops on it).
; When CPUID.1.ECX.PCID (and CPUID.7.EBX.INVPCID) are advertised:
; CR4.PCIDE outside IA-32e mode is #GP, and in it needs CR3[11:0] = 0 (#GP
; otherwise); CR3 reads back the PCID and never bit 63; reserved CR3 bits
; (62..MAXPHYADDR) are #GP; INVPCID with PCID != 0 and CR4.PCIDE = 0 (types
; 0, 1), type > 3 (the whole 64-bit register), descriptor bits 63:12, a
; non-canonical type-0 address, CPL 3: #GP(0); clearing CR0.PG with
; PCIDE = 1 (compatibility mode) is #GP.
; Translations, only where the architecture guarantees them (a TLB may
; always forget, so a stale entry is never required): after a PTE change,
; MOV CR3 with bit 63 clear, INVPCID type 0 (that address; also inside and
; at the end of a 2 MiB page), 1 (that PCID), 3 (all but global) and 2
; (all, also a global page) give the new mapping; clearing CR4.PCIDE
; flushes everything; a PCID never uses another PCID's translations (PCID
; 1 and 2 over page tables mapping one page to different frames, switched
; with bit 63 set: each sees its own).
; Without PCID/INVPCID (QEMU 7.2 TCG: not even with -cpu max; TCG does not
; implement them): INVPCID is #UD. (CR4.PCIDE is then a reserved bit and
; MOV CR4 should #GP; QEMU 7.2 TCG silently drops the bit: not tested.) So
; QEMU validates only that path; the PCID checks follow the SDM and run
; under Petrel, which advertises both. The whole program passes under Bochs
; 2.7 with the broadwell_ult model (tests/guest/run-bochs), which has PCID
; and INVPCID.
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"
%include "quirks.inc"
%include "v86_exc.inc"

CR4_PGE   equ 1 << 7
CR4_PCIDE equ 1 << 17
PT_G      equ 0x100

PT_V    equ 0x206000            ; page table for 6..8 MiB (PD entry 3)
V       equ 0x600000            ; the test page
FA      equ 0x601000            ; frame A
FB      equ 0x602000            ; frame B
GP_PG   equ 0x603000            ; the global test page
PML4_B  equ 0x20a000            ; a second hierarchy mapping V to FB
PDPT_B  equ 0x20b000
PD_B    equ 0x20c000            ; copy of PD 0 (0..1 GiB)
PT_B    equ 0x20d000
VAL_A   equ 0xaaaa0001
VAL_B   equ 0xbbbb0002



section .data
align 16
desc:     dq 0, 0               ; INVPCID descriptor: PCID, linear address
saved_esp:   dd 0
has_pcid:    dd 0
has_invpcid: dd 0
section .text

; INVPCID_OK type, pcid, address
%macro INVPCID_DO 3
    mov qword [desc], %2
    mov rax, %3
    mov [desc + 8], rax
    mov eax, %1
    invpcid rax, [desc]
%endmacro
; INVPCID_GP type(64-bit value), pcid/low qword, address, "what"
%macro INVPCID_GP 4
    mov rax, %2
    mov [desc], rax
    mov rax, %3
    mov [desc + 8], rax
    mov rax, %1
    EXPECT_EXC 13, %%gp
%%insn:
    invpcid rax, [desc]
    FAILMSG "no #GP: ", %4
%%gp:
    CHECK [exc_error], 0, {%4, ": error"}
    CHECK [exc_eip], %%insn, {%4, ": RIP"}
%endmacro
%macro READ_V 2             ; expected value, "what"
    mov eax, [V]
    CHECK eax, %1, %2
%endmacro
%macro SET_PTE_V 1          ; frame
    mov qword [PT_V], %1 | PT_P | PT_W | PT_U
%endmacro

main:
    mov [saved_esp], esp
    call detect_qemu_tcg
    mov eax, 1
    cpuid
    shr ecx, 17
    and ecx, 1
    mov [has_pcid], ecx
    mov eax, 7
    xor ecx, ecx
    cpuid
    shr ebx, 10
    and ebx, 1
    mov [has_invpcid], ebx

    ; CR4.PCIDE outside IA-32e mode: #GP
    cmp dword [has_pcid], 0
    je .pm_pcide_done
    EXPECT_EXC 13, .pm_pcide
    mov eax, cr4
    or eax, CR4_PCIDE
.pm_pcide_insn:
    mov cr4, eax
    FAILMSG "no #GP for CR4.PCIDE in protected mode"
.pm_pcide:
    CHECK [exc_eip], .pm_pcide_insn, "CR4.PCIDE in protected mode: EIP"
    mov eax, cr4
    and eax, CR4_PCIDE
    CHECK eax, 0, "CR4.PCIDE in protected mode: CR4 unchanged"
.pm_pcide_done:

    ; INVPCID in virtual-8086 mode: #GP(0) (SDM: "not recognized in
    ; virtual-8086 mode", listed under #GP(0)); #UD when not advertised
    V86_COPY
    cmp dword [has_invpcid], 0
    je .v86_ud
    V86_EXC 13, v86_invpcid, "INVPCID in V86 mode"
    CHECK [exc_error], 0, "INVPCID in V86 mode: error"
    jmp .v86_done
.v86_ud:
    V86_EXC 6, v86_invpcid, "INVPCID in V86 mode, not advertised"
.v86_done:

    call idt64_init
    ENTER_LONG lm

bits 64
lm:
    LOAD_IDT64
    ; 6..8 MiB through PT_V, identity
    xor ecx, ecx
.fill:
    mov eax, ecx
    shl eax, 12
    add eax, V | PT_P | PT_W | PT_U
    mov [PT_V + rcx*8], rax
    inc ecx
    cmp ecx, 512
    jb .fill
    mov qword [PD_ADDR + 3*8], PT_V | PT_P | PT_W | PT_U
    mov dword [FA], VAL_A
    mov dword [FB], VAL_B
    mov dword [V], 0x11110000
    mov rax, cr3
    mov cr3, rax
    READ_V 0x11110000, "V identity-mapped"

    ; MOV CR3 with bit 63 and CR4.PCIDE = 0: reserved bit. QEMU 7.2 TCG
    ; loops on a reserved CR3 bit (an SVM exit outside SVM): Petrel only.
    SKIP_UNDER_QEMU .cr3_63_done
    mov rax, cr3
    mov rbx, rax
    bts rax, 63
    EXPECT_EXC 13, .cr3_63
.cr3_63_insn:
    mov cr3, rax
    FAILMSG "no #GP for MOV CR3 with bit 63 and CR4.PCIDE=0"
.cr3_63:
    CHECK [exc_eip], .cr3_63_insn, "MOV CR3 bit 63, PCIDE=0: RIP"
    mov rax, cr3
    CHECK eax, ebx, "MOV CR3 bit 63, PCIDE=0: CR3 unchanged"
.cr3_63_done:

    cmp dword [has_invpcid], 0
    jne .invpcid_present
    mov eax, 2
    EXPECT_EXC 6, .invpcid_ud
.invpcid_ud_insn:
    invpcid rax, [desc]
    FAILMSG "no #UD for INVPCID without CPUID.7.EBX.INVPCID"
.invpcid_ud:
    CHECK [exc_eip], .invpcid_ud_insn, "INVPCID #UD: RIP"
.invpcid_present:

    cmp dword [has_pcid], 0
    jne .pcid_present
    PRINT "pcid: PCID not advertised: INVPCID #UD ok, PCID checks not run"
    jmp .leave

.pcid_present:
    cmp dword [has_invpcid], 0
    jne .invpcid_ok
    FAILMSG "PCID advertised without INVPCID: this program wants both"
.invpcid_ok:
    ; INVPCID with CR4.PCIDE = 0
    INVPCID_GP 0, 1, V, "INVPCID type 0, PCID 1, PCIDE=0"
    INVPCID_GP 1, 1, 0, "INVPCID type 1, PCID 1, PCIDE=0"
    INVPCID_DO 0, 0, V
    INVPCID_DO 1, 0, 0
    INVPCID_DO 2, 0, 0
    INVPCID_DO 3, 0, 0

    ; CR4.PCIDE needs CR3[11:0] = 0 (here PWT, bit 3)
    mov eax, PML4_ADDR | 8
    mov cr3, rax
    mov rax, cr4
    bts rax, 17
    EXPECT_EXC 13, .pcide_cr3
.pcide_cr3_insn:
    mov cr4, rax
    FAILMSG "no #GP for CR4.PCIDE with CR3[11:0] != 0"
.pcide_cr3:
    CHECK [exc_eip], .pcide_cr3_insn, "CR4.PCIDE with CR3[11:0] != 0: RIP"
    mov rax, cr4
    and eax, CR4_PCIDE
    CHECK eax, 0, "CR4.PCIDE with CR3[11:0] != 0: CR4 unchanged"
    mov eax, PML4_ADDR
    mov cr3, rax
    mov rax, cr4
    bts rax, 17
    mov cr4, rax
    mov rax, cr4
    and eax, CR4_PCIDE
    CHECK eax, CR4_PCIDE, "CR4.PCIDE set"

    ; CR3 holds the PCID; bit 63 is not stored
    mov eax, PML4_ADDR | 1
    mov cr3, rax
    mov rax, cr3
    CHECK eax, PML4_ADDR | 1, "CR3 with PCID 1 reads back"
    shr rax, 32
    CHECK eax, 0, "CR3 with PCID 1: high half"
    mov rax, PML4_ADDR | 2
    bts rax, 63
    mov cr3, rax
    mov rax, cr3
    CHECK eax, PML4_ADDR | 2, "CR3 with PCID 2 and bit 63: low half"
    shr rax, 32
    CHECK eax, 0, "CR3 with PCID 2 and bit 63: bit 63 not stored"
    mov rax, PML4_ADDR | 2
    bts rax, 62
    EXPECT_EXC 13, .cr3_62
.cr3_62_insn:
    mov cr3, rax
    FAILMSG "no #GP for MOV CR3 with bit 62 (PCIDE=1)"
.cr3_62:
    CHECK [exc_eip], .cr3_62_insn, "MOV CR3 bit 62, PCIDE=1: RIP"
    mov eax, 0x80000008
    cpuid
    movzx ecx, al                           ; MAXPHYADDR
    mov rax, PML4_ADDR | 2
    bts rax, 63
    bts rax, rcx
    EXPECT_EXC 13, .cr3_maxphy
.cr3_maxphy_insn:
    mov cr3, rax
    FAILMSG "no #GP for MOV CR3 with bit MAXPHYADDR and bit 63 (PCIDE=1)"
.cr3_maxphy:
    CHECK [exc_eip], .cr3_maxphy_insn, "MOV CR3 bit MAXPHYADDR, PCIDE=1: RIP"
    mov rax, cr3
    CHECK eax, PML4_ADDR | 2, "CR3 unchanged after the #GPs"
    PRINT "pcid: CR4.PCIDE and CR3 rules ok"

    ; ---- translations ----
    SET_PTE_V FA
    mov eax, PML4_ADDR | 1
    mov cr3, rax
    READ_V VAL_A, "PCID 1: V -> A"
    SET_PTE_V FB
    mov eax, PML4_ADDR | 1                  ; bit 63 clear: PCID 1 flushed
    mov cr3, rax
    READ_V VAL_B, "PTE changed, MOV CR3 (same PCID, bit 63 clear)"
    SET_PTE_V FA
    INVPCID_DO 0, 1, V
    READ_V VAL_A, "PTE changed, INVPCID type 0 (PCID 1, V)"
    SET_PTE_V FB
    INVPCID_DO 1, 1, 0
    READ_V VAL_B, "PTE changed, INVPCID type 1 (PCID 1)"
    SET_PTE_V FA
    INVPCID_DO 3, 0, 0
    READ_V VAL_A, "PTE changed, INVPCID type 3"
    ; INVPCID type 0 on an address inside a 2 MiB page (not its base)
    mov dword [0xa01000], VAL_A
    mov dword [0xc01000], VAL_B
    mov eax, [0xa01000]
    CHECK eax, VAL_A, "2 MiB page at 10 MiB"
    mov qword [PD_ADDR + 5*8], 0xc00000 | PT_P | PT_W | PT_U | PT_PS
    INVPCID_DO 0, 1, 0xa01234
    mov eax, [0xa01000]
    CHECK eax, VAL_B, "2 MiB PDE changed, INVPCID type 0 inside the page"
    mov qword [PD_ADDR + 5*8], 0xa00000 | PT_P | PT_W | PT_U | PT_PS
    INVPCID_DO 0, 1, 0xbffff8
    mov eax, [0xa01000]
    CHECK eax, VAL_A, "2 MiB PDE restored, INVPCID type 0 at the page's end"
    ; a global page: INVPCID type 2 drops it too
    mov rax, cr4
    or eax, CR4_PGE
    mov cr4, rax
    mov qword [PT_V + 3*8], FA | PT_P | PT_W | PT_U | PT_G
    invlpg [GP_PG]
    mov eax, [GP_PG]
    CHECK eax, VAL_A, "global page -> A"
    mov qword [PT_V + 3*8], FB | PT_P | PT_W | PT_U | PT_G
    INVPCID_DO 2, 0, 0
    mov eax, [GP_PG]
    CHECK eax, VAL_B, "global PTE changed, INVPCID type 2"
    mov rax, cr4
    and eax, ~CR4_PGE
    mov cr4, rax

    ; a second hierarchy (PML4_B) mapping V to FB; PCID 1 over PML4 maps V to FA
    mov edi, PML4_B
    mov ecx, 4
    call zero_pages_64
    mov qword [PML4_B], PDPT_B | PT_P | PT_W | PT_U
    mov ecx, 3
.pdpt_b:
    mov rax, [PDPT_ADDR + rcx*8]
    mov [PDPT_B + rcx*8], rax
    loop .pdpt_b
    mov qword [PDPT_B], PD_B | PT_P | PT_W | PT_U
    mov esi, PD_ADDR
    mov edi, PD_B
    mov ecx, 512
    rep movsq
    mov qword [PD_B + 3*8], PT_B | PT_P | PT_W | PT_U
    mov esi, PT_V
    mov edi, PT_B
    mov ecx, 512
    rep movsq
    mov qword [PT_B], FB | PT_P | PT_W | PT_U
    SET_PTE_V FA
    INVPCID_DO 2, 0, 0
    mov eax, PML4_ADDR | 1
    mov cr3, rax
    READ_V VAL_A, "PCID 1 (PML4): V -> A"
    mov rax, PML4_B | 2
    bts rax, 63
    mov cr3, rax
    READ_V VAL_B, "PCID 2 (PML4_B) after bit-63 switch: V -> B, not PCID 1's entry"
    mov rax, PML4_ADDR | 1
    bts rax, 63
    mov cr3, rax
    READ_V VAL_A, "back to PCID 1 with bit 63: V -> A, not PCID 2's entry"
    mov rax, PML4_B | 2
    bts rax, 63
    mov cr3, rax
    READ_V VAL_B, "PCID 2 again with bit 63: V -> B"
    mov eax, PML4_ADDR | 1
    mov cr3, rax

    ; clearing CR4.PCIDE flushes every PCID
    SET_PTE_V FB
    mov rax, PML4_ADDR
    bts rax, 63
    mov cr3, rax                            ; PCID 0, no flush required
    mov rax, cr4
    btr rax, 17
    mov cr4, rax
    READ_V VAL_B, "PTE changed, CR4.PCIDE cleared"
    mov rax, cr4
    bts rax, 17
    mov cr4, rax
    PRINT "pcid: translations ok"

    ; ---- INVPCID #GP ----
    INVPCID_GP 4, 0, 0, "INVPCID type 4"
    INVPCID_GP 0x100000000, 0, 0, "INVPCID type 1<<32 (64-bit register)"
    INVPCID_GP 0, 1, 0x0000800000000000, "INVPCID type 0, non-canonical address"
    INVPCID_GP 1, 0x1001, 0, "INVPCID descriptor bit 12"
    INVPCID_GP 2, 0x1000, 0, "INVPCID type 2, descriptor bit 12"
    ; at CPL 3: #GP(0)
    mov [exc_saved_esp], esp
    mov dword [exc_expect], 13 + 1
    mov dword [exc_resume], .cpl3_gp
    push SEL_DATA_U
    push ring3_stack_top
    push 0x2
    push SEL_CODE64_U
    push .user
    iretq
.user:
    mov eax, 2
.user_insn:
    invpcid rax, [desc]
    ud2
.cpl3_gp:
    CHECK [exc_cs], SEL_CODE64_U, "INVPCID at CPL 3: CS"
    CHECK [exc_eip], .user_insn, "INVPCID at CPL 3: RIP"
    CHECK [exc_error], 0, "INVPCID at CPL 3: error"
    PRINT "pcid: INVPCID #GP ok"

    ; ---- CR0.PG cannot be cleared with CR4.PCIDE = 1 (compatibility mode) ----
    mov [exc_saved_esp], esp
    mov dword [exc_expect], 13 + 1
    mov dword [exc_resume], .pg_gp
    push SEL_CODE32
    lea rax, [rel .compat]
    push rax
    retfq
bits 32
.compat:
    mov eax, cr0
    and eax, ~0x80000000
.pg_insn:
    mov cr0, eax
    jmp .pg_no_gp
bits 64
.pg_no_gp:
    FAILMSG "no #GP clearing CR0.PG with CR4.PCIDE=1"
.pg_gp:
    CHECK [exc_eip], .pg_insn, "CR0.PG clear with PCIDE=1: RIP"
    CHECK [exc_cs], SEL_CODE32, "CR0.PG clear with PCIDE=1: CS"
    mov rax, cr0
    bt rax, 31
    jc .pg_still
    FAILMSG "CR0.PG cleared despite #GP"
.pg_still:
    mov eax, PML4_ADDR
    mov cr3, rax
    mov rax, cr4
    btr rax, 17
    mov cr4, rax
    PRINT "pcid: CR0.PG with PCIDE ok"

.leave:
    mov eax, PML4_ADDR
    mov cr3, rax
    LEAVE_LONG pm32

bits 64
zero_pages_64:              ; EDI = address, ECX = pages
    push rax
    push rcx
    push rdi
    shl ecx, 9
    xor eax, eax
    rep stosq
    pop rdi
    pop rcx
    pop rax
    ret

bits 32
pm32:
    mov esp, [saved_esp]
    ret

bits 16
v86_blob:
v86_invpcid:
    invpcid eax, [bx]
    hlt
v86_blob_end:
bits 32
