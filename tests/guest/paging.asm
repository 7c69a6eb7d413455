; paging: accessed/dirty bits from reads and writes (4 KiB and 4 MiB PSE
; pages), a PSE alias, INVLPG after a PTE change, CR0.WP, then PAE with
; EFER.NXE: an instruction fetch from an NX page is #PF with error bit 4.
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"

PAGE_A equ 0x310000           ; 4 KiB page, PTE index 0x310
PAGE_B equ 0x311000
PAGE_C equ 0x312000
PAGE_RO equ 0x313000
MSR_EFER_NXE equ 1 << 11

main:
    call build_32_identity
    mov dword [PAGE_B], 0xb0b0b0b0
    mov dword [PAGE_C], 0xc0c0c0c0
    and dword [PT32_ADDR + 0x310*4], ~(PT_A | PT_D)
    and dword [PT32_ADDR + 0x313*4], ~PT_W
    and dword [PD32_ADDR + 1*4], ~(PT_A | PT_D)   ; 4..8 MiB PSE page
    ; PDE 2 (8..12 MiB) aliases physical 4 MiB
    mov dword [PD32_ADDR + 2*4], 0x400000 | PT_P | PT_W | PT_PS
    mov eax, cr4
    or eax, 0x10                ; PSE
    mov cr4, eax
    mov eax, PD32_ADDR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000          ; PG, WP off
    mov cr0, eax

    ; A/D on a 4 KiB page
    mov eax, [PAGE_A]
    mov eax, [PT32_ADDR + 0x310*4]
    and eax, PT_A | PT_D
    CHECK eax, PT_A, "PTE after a read: A=1 D=0"
    mov dword [PAGE_A], 1
    mov eax, [PT32_ADDR + 0x310*4]
    and eax, PT_A | PT_D
    CHECK eax, PT_A | PT_D, "PTE after a write: A=1 D=1"
    ; the page directory entry is accessed too
    mov eax, [PD32_ADDR]
    and eax, PT_A
    CHECK eax, PT_A, "PDE of a 4 KiB page: A=1"

    ; A/D on a 4 MiB page, and the alias at 8 MiB
    mov eax, [0x400100]
    mov eax, [PD32_ADDR + 4]
    and eax, PT_A | PT_D
    CHECK eax, PT_A, "4 MiB PDE after a read: A=1 D=0"
    mov dword [0x400100], 0x12345678
    mov eax, [PD32_ADDR + 4]
    and eax, PT_A | PT_D
    CHECK eax, PT_A | PT_D, "4 MiB PDE after a write: A=1 D=1"
    CHECK [0x800100], 0x12345678, "read through the 4 MiB alias"

    ; INVLPG: retarget PAGE_B's PTE to PAGE_C's frame
    CHECK [PAGE_B], 0xb0b0b0b0, "PAGE_B before the change"
    mov eax, [PT32_ADDR + 0x312*4]
    mov [PT32_ADDR + 0x311*4], eax
    invlpg [PAGE_B]
    CHECK [PAGE_B], 0xc0c0c0c0, "PAGE_B after PTE change + INVLPG"

    ; WP: ring-0 write to a read-only page succeeds with WP=0, faults with WP=1
    mov dword [PAGE_RO], 0x11
    CHECK [PAGE_RO], 0x11, "ring-0 write to read-only page with WP=0"
    mov eax, cr0
    or eax, 0x10000
    mov cr0, eax
    EXPECT_EXC 14, .wp_done
.wp_insn:
    mov dword [PAGE_RO], 0x22
    FAILMSG "no #PF on a read-only write with CR0.WP=1"
.wp_done:
    CHECK [exc_error], 3, "#PF error code for WP (P|W)"
    CHECK [exc_eip], .wp_insn, "#PF EIP for WP"
    CHECK [PAGE_RO], 0x11, "faulting write left memory unchanged"
    PRINT "paging: A/D, PSE, INVLPG, WP ok"

    ; PAE + NX
    mov eax, cr0
    and eax, ~0x80010000
    mov cr0, eax
    call build_pae_identity
    ; legacy PAE PDPTEs: R/W and U/S are reserved there (MOV CR3 would #GP)
    and dword [PDPT_ADDR + 0*8], ~(PT_W | PT_U)
    and dword [PDPT_ADDR + 1*8], ~(PT_W | PT_U)
    and dword [PDPT_ADDR + 2*8], ~(PT_W | PT_U)
    and dword [PDPT_ADDR + 3*8], ~(PT_W | PT_U)
    ; 2 MiB page 3 (6..8 MiB) no-execute
    or dword [PD_ADDR + 3*8 + 4], 0x80000000
    mov byte [0x600000], 0xc3       ; RET
    mov ecx, MSR_EFER
    rdmsr
    or eax, MSR_EFER_NXE
    wrmsr
    mov eax, cr4
    or eax, 0x20                    ; PAE (PSE is ignored)
    mov cr4, eax
    mov eax, PDPT_ADDR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    CHECK [0x600000], 0xc3, "NX page readable"
    EXPECT_EXC 14, .nx_done
    call 0x600000
    FAILMSG "no #PF on a fetch from an NX page"
.nx_done:
    CHECK [exc_error], 0x11, "#PF error code for an NX fetch (P|I/D)"
    CHECK [exc_eip], 0x600000, "#PF EIP for an NX fetch"
    mov eax, cr2
    CHECK eax, 0x600000, "CR2 for an NX fetch"
    mov eax, cr0
    and eax, ~0x80000000
    mov cr0, eax
    mov eax, cr4
    and eax, ~0x30
    mov cr4, eax
    PRINT "paging: PAE NX ok"
    ret
