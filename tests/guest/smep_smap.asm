; smep_smap: supervisor-mode execution and access prevention (SDM vol 3,
; 4.6 and 4.7; STAC/CLAC in vol 2). Needs CPUID.7.EBX SMEP and SMAP: run
; with `-cpu max` (QEMU's default qemu64 model has neither).
;
; 32-bit paging (no PAE): the #PF I/D bit is set for a fetch only with SMEP
; or with PAE paging and EFER.NXE (so not for NXE alone here); a supervisor
; fetch from a user page under SMEP; SMAP on a supervisor read.
; 4-level paging, ring 0: SMEP error codes (P|I/D, I/D alone on a
; not-present page) on a translation cached before CR4.SMEP was set;
; a user PTE under a supervisor PDE is a supervisor page; SMEP ignores AC;
; SMAP: reads and writes to user pages with AC = 0 fault (P, P|W, CR2, RIP),
; with AC = 1 (STAC, or POPF) they work, and fault again after CLAC; a
; read-only user page with AC = 1 follows CR0.WP; SMAP leaves fetches alone;
; not-present wins over SMAP (error 0); STAC/CLAC work with CR4.SMAP = 0.
; SMAP through each kind of access: REP MOVS/STOS/LODS/CMPS, MOVZX, RMW
; (ADD, LOCK ADD, XCHG, LOCK CMPXCHG, BTS; W not compared: the SDM does not
; say whether the read or the write faults), SSE and x87 loads, SSE store,
; an indirect CALL's pointer, FXSAVE/FXRSTOR/FNSTENV, MASKMOVDQU, REP INSB,
; CMPXCHG16B, LGDT/SGDT operands (explicit accesses: AC=1 lets them
; through; CR2 compared by page where the SDM gives no byte order), CLFLUSH,
; qword reads/writes split across a supervisor/user boundary (CR2 = the user
; page); PUSH, POP, CALL, RET, PUSHFQ at CPL 0 with RSP in a user page; hot
; loops before and after CR4.SMAP and CLAC. SMEP on an instruction that
; starts in a supervisor page and ends in a user page (CR2 = the user page),
; on a user 2 MiB page (also SMAP), on code reached by direct (chainable)
; calls before CR4.SMEP was set, and on code run at CPL 3 before.
; Implicit supervisor accesses: a segment load from an LDT in a user page
; faults with CR4.SMAP (error P, U/S = 0, even from ring 3, even with
; AC = 1 in ring 3) and works without it.
; Implicit accesses to an IDT entry (INT 0x80) and to a TSS IST pointer
; (INT 0x40 through an IST-1 gate) in a user page, from ring 0 and ring 3:
; #PF (P, U/S = 0) with CR2 there. LOCK STAC is #UD.
; Ring 3: user-page reads and writes are untouched by SMAP; STAC and CLAC
; are #UD (also in virtual-8086 mode); LAR, VERR, POP FS, LFS, far JMP and far RET with an LDT selector
; read the LDT as supervisor accesses: #PF (P, U/S = 0), CR2 in the LDT.
;
; Not tested under QEMU (Petrel runs them, quirks.inc): the implicit-access
; #PF at CPL 0 with EFLAGS.AC = 1 (QEMU 7.2 TCG lets implicit accesses
; through when CPL < 3 and AC = 1; the SDM says implicit supervisor accesses
; ignore AC); far RET at CPL 3 to an LDT code segment (QEMU pops the return
; address with supervisor accesses, so SMAP faults on the user stack); LOCK
; STAC (QEMU executes it); CLFLUSH of a user page (QEMU checks nothing).
; Cross-checked under Bochs 2.7 (tests/guest/run-bochs, broadwell_ult): all
; passes except the implicit accesses with AC = 1, at CPL 0 and at CPL 3,
; which Bochs lets through. The SDM (4.6.1: "If EFLAGS.AC = 0 or the access
; is implicit, data may not be read") and Linux KVM's emulator (commit
; 4f4aa80e3b88, "Handle implicit supervisor access with SMAP") agree that
; they fault.
%include "guest.inc"
%include "paging.inc"
%include "longmode.inc"
%include "quirks.inc"
%include "v86_exc.inc"

CR4_PSE  equ 1 << 4
CR4_SMEP equ 1 << 20
CR4_SMAP equ 1 << 21
CR0_WP   equ 1 << 16
EFER_NXE equ 1 << 11
F_AC     equ 1 << 18

E_P    equ 1
E_W    equ 2
E_U    equ 4
E_ID   equ 16

PT0      equ 0x206000           ; long mode: 4 KiB page table for 0..2 MiB
PT_SUPDE equ 0x207000           ; long mode: page table for 6..8 MiB under a supervisor PDE
SUPDE_PG equ 0x600000           ; a user PTE under that supervisor PDE
BIG_PG   equ 0xa00000           ; long mode: a user 2 MiB page (PD entry 5)
SEL_LDT  equ 0x60               ; 16-byte LDT descriptor (0x60/0x68)
LDT_SEL0 equ 0x0c               ; LDT entry 1, RPL 0
LDT_SEL3 equ 0x0f               ; LDT entry 1, RPL 3
LDT_CODE3 equ 0x17              ; LDT entry 2 (64-bit code, DPL 3), RPL 3
SEL_STSS equ 0x70               ; 16-byte 64-bit TSS descriptor (0x70/0x78)



section .data
align 8
saved_esp: dd 0
section .text

%macro CR4_OR 1
%if __BITS__ == 64
    mov rax, cr4
    or rax, %1
    mov cr4, rax
%else
    mov eax, cr4
    or eax, %1
    mov cr4, eax
%endif
%endmacro
%macro CR4_AND 1
%if __BITS__ == 64
    mov rax, cr4
    and rax, %1
    mov cr4, rax
%else
    mov eax, cr4
    and eax, %1
    mov cr4, eax
%endif
%endmacro

; PF_CHECK error, cr2, rip, "what": the last exception was a #PF with these.
%macro PF_CHECK 4
    CHECK [exc_vector], 14, {%4, ": vector"}
    CHECK [exc_error], %1, {%4, ": error code"}
    CHECK [exc_cr2], %2, {%4, ": CR2"}
    CHECK [exc_eip], %3, {%4, ": RIP"}
%endmacro

main:
    mov [saved_esp], esp
    call detect_qemu_tcg
    mov eax, 7
    xor ecx, ecx
    cpuid
    test ebx, 1 << 7
    jnz .has_smep
    FAILMSG "CPUID.7.EBX.SMEP not set (QEMU: run with -cpu max)"
.has_smep:
    test ebx, 1 << 20
    jnz .has_smap
    FAILMSG "CPUID.7.EBX.SMAP not set (QEMU: run with -cpu max)"
.has_smap:
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 20
    jnz .has_nx
    FAILMSG "CPUID.80000001.EDX.NX not set"
.has_nx:
    mov eax, cr4
    or eax, 1 << 9                          ; OSFXSR (the SSE access forms)
    mov cr4, eax

    ; ---- STAC/CLAC at CPL 0 with CR4.SMAP = 0: they only change AC ----
    stac
    pushfd
    pop eax
    CHECKF eax, F_AC, F_AC, "STAC with CR4.SMAP=0 sets AC"
    clac
    pushfd
    pop eax
    CHECKF eax, F_AC, 0, "CLAC with CR4.SMAP=0 clears AC"

    ; QEMU 7.2 TCG ignores LOCK on STAC: Petrel only.
    SKIP_UNDER_QEMU .lock_stac_done
    EXPECT_EXC 6, .lock_stac
.lock_stac_insn:
    db 0xf0, 0x0f, 0x01, 0xcb               ; LOCK STAC
    FAILMSG "no #UD for LOCK STAC"
.lock_stac:
    CHECK [exc_eip], .lock_stac_insn, "LOCK STAC: #UD EIP"
    CHECKF [exc_eflags], F_AC, 0, "LOCK STAC: AC unchanged"
.lock_stac_done:

    V86_COPY
    V86_EXC 6, v86_stac, "STAC in V86 mode"
    V86_EXC 6, v86_clac, "CLAC in V86 mode"

    ; ---- 32-bit paging: everything supervisor except [usr_begin, usr_end) ----
    call build_32_identity
    mov ecx, 1
.pd32:
    and dword [PD32_ADDR + ecx*4], ~PT_U
    inc ecx
    cmp ecx, 1024
    jb .pd32
    xor ecx, ecx
.pt32:
    mov eax, ecx
    shl eax, 12
    or eax, PT_P | PT_W
    cmp eax, usr_begin
    jb .pt32_s
    cmp eax, usr_end
    jae .pt32_s
    or eax, PT_U
.pt32_s:
    mov [PT32_ADDR + ecx*4], eax
    inc ecx
    cmp ecx, 1024
    jb .pt32
    mov eax, usr_np
    shr eax, 12
    and dword [PT32_ADDR + eax*4], ~PT_P
    CR4_OR CR4_PSE
    mov eax, PD32_ADDR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax

    EXPECT_EXC 14, .p32_np0
    mov eax, usr_np
    call eax
    FAILMSG "32-bit paging: no #PF fetching from a not-present page"
.p32_np0:
    PF_CHECK 0, usr_np, usr_np, "32-bit paging, fetch, not present, NXE=0 SMEP=0"
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_NXE
    wrmsr
    EXPECT_EXC 14, .p32_np1
    mov eax, usr_np
    call eax
    FAILMSG "32-bit paging: no #PF fetching from a not-present page"
.p32_np1:
    ; I/D needs SMEP, or PAE paging with NXE: not NXE alone.
    PF_CHECK 0, usr_np, usr_np, "32-bit paging, fetch, not present, NXE=1 SMEP=0 (no I/D)"
    mov eax, usr_ret
    call eax                                ; SMEP off: a user page runs in ring 0
    CR4_OR CR4_SMEP
    EXPECT_EXC 14, .p32_np2
    mov eax, usr_np
    call eax
    FAILMSG "32-bit paging: no #PF fetching from a not-present page"
.p32_np2:
    PF_CHECK E_ID, usr_np, usr_np, "32-bit paging, fetch, not present, SMEP=1"
    EXPECT_EXC 14, .p32_smep
    mov eax, usr_ret
    call eax
    FAILMSG "32-bit paging: no #PF for a ring-0 fetch from a user page with SMEP"
.p32_smep:
    PF_CHECK E_P | E_ID, usr_ret, usr_ret, "32-bit paging, SMEP fetch"
    mov ecx, MSR_EFER
    rdmsr
    and eax, ~EFER_NXE
    wrmsr
    CR4_OR CR4_SMAP
    clac
    EXPECT_EXC 14, .p32_smap
.p32_smap_insn:
    mov eax, [usr_data]
    FAILMSG "32-bit paging: no #PF for a ring-0 read of a user page with SMAP, AC=0"
.p32_smap:
    PF_CHECK E_P, usr_data, .p32_smap_insn, "32-bit paging, SMAP read"
    stac
    mov eax, [usr_data]
    clac
    CHECK eax, 0x5a5a0001, "32-bit paging, SMAP read with AC=1"
    CR4_AND ~(CR4_SMEP | CR4_SMAP)
    mov eax, cr0
    and eax, ~0x80000000
    mov cr0, eax
    CR4_AND ~CR4_PSE
    PRINT "smep_smap: 32-bit paging ok"

    call idt64_init
    ENTER_LONG lm

bits 64
lm:
    LOAD_IDT64
    ; 0..2 MiB through PT0 (supervisor but the user range), 2 MiB pages
    ; elsewhere supervisor, 6..8 MiB through PT_SUPDE under a supervisor PDE.
    xor ecx, ecx
.pt0:
    mov eax, ecx
    shl eax, 12
    or eax, PT_P | PT_W
    cmp eax, usr_begin
    jb .pt0_s
    cmp eax, usr_end
    jae .pt0_s
    or eax, PT_U
.pt0_s:
    mov [PT0 + rcx*8], rax
    mov eax, ecx
    shl eax, 12
    add eax, SUPDE_PG | PT_P | PT_W | PT_U
    mov [PT_SUPDE + rcx*8], rax
    inc ecx
    cmp ecx, 512
    jb .pt0
    mov eax, usr_np
    shr eax, 12
    and byte [PT0 + rax*8], ~PT_P
    mov eax, usr_ro
    shr eax, 12
    and byte [PT0 + rax*8], ~PT_W
    mov ecx, 1
.pd:
    and byte [PD_ADDR + rcx*8], ~PT_U
    inc ecx
    cmp ecx, 2048
    jb .pd
    mov qword [PD_ADDR], PT0 | PT_P | PT_W | PT_U
    mov qword [PD_ADDR + 3*8], PT_SUPDE | PT_P | PT_W       ; supervisor PDE
    mov byte [SUPDE_PG], 0xc3                               ; RET
    mov rax, cr3
    mov cr3, rax
    ; the LDT in a user page: LDTR = SEL_LDT
    mov eax, usr_ldt
    shl eax, 16
    or eax, 0xfff
    mov [gdt + SEL_LDT], eax
    mov eax, usr_ldt
    mov edx, eax
    and eax, 0xff000000
    shr edx, 16
    and edx, 0xff
    or eax, edx
    or eax, 0x8200                          ; present LDT, DPL 0
    mov [gdt + SEL_LDT + 4], eax
    mov qword [gdt + SEL_LDT + 8], 0
    mov ax, SEL_LDT
    lldt ax

    ; ---- SMEP (ring 0) ----
    or byte [PD_ADDR + 5*8], PT_U           ; a user 2 MiB page at BIG_PG
    mov byte [BIG_PG + 0x1000], 0xc3        ; RET
    mov dword [BIG_PG + 0x2000], 0x5a5a0005
    invlpg [BIG_PG]
    mov eax, usr_ret
    call rax                                ; cached as executable
    mov ecx, 5000
.direct:
    call usr_ret                            ; direct calls, hot: chained, maybe compiled
    loop .direct
    mov eax, BIG_PG + 0x1000
    call rax
    EXPECT_EXC 14, .np0
    mov eax, usr_np
    call rax
    FAILMSG "no #PF fetching from a not-present page"
.np0:
    PF_CHECK 0, usr_np, usr_np, "4-level, fetch, not present, NXE=0 SMEP=0"
    CR4_OR CR4_SMEP
    EXPECT_EXC 14, .smep1
    mov eax, usr_ret
    call rax
    FAILMSG "no #PF for a ring-0 fetch from a user page with SMEP"
.smep1:
    PF_CHECK E_P | E_ID, usr_ret, usr_ret, "SMEP fetch from a user page"
    EXPECT_EXC 14, .smep1d
    call usr_ret
    FAILMSG "no #PF for a direct call into a user page with SMEP"
.smep1d:
    PF_CHECK E_P | E_ID, usr_ret, usr_ret, "SMEP, direct call run before SMEP was set"
    EXPECT_EXC 14, .smep1b
    mov eax, BIG_PG + 0x1000
    call rax
    FAILMSG "no #PF for a ring-0 fetch from a user 2 MiB page with SMEP"
.smep1b:
    PF_CHECK E_P | E_ID, BIG_PG + 0x1000, BIG_PG + 0x1000, "SMEP fetch from a user 2 MiB page"
    EXPECT_EXC 14, .np1
    mov eax, usr_np
    call rax
    FAILMSG "no #PF fetching from a not-present page"
.np1:
    PF_CHECK E_ID, usr_np, usr_np, "4-level, fetch, not present, SMEP=1 (I/D from SMEP)"
    mov eax, SUPDE_PG
    call rax                                ; user PTE, supervisor PDE: a supervisor page
    stac
    EXPECT_EXC 14, .smep2
    mov eax, usr_ret
    call rax
    FAILMSG "no #PF for a ring-0 fetch from a user page with SMEP and AC=1"
.smep2:
    PF_CHECK E_P | E_ID, usr_ret, usr_ret, "SMEP fetch with AC=1"
    clac
    PRINT "smep_smap: SMEP ok"

    ; ---- SMAP (ring 0) ----
    ; a hot loop reading a user page with SMAP off, then with SMAP on: the
    ; same code must fault (whatever a translator made of it)
    call hot_read
    CR4_OR CR4_SMAP
    clac
    EXPECT_EXC 14, .hot0
    call hot_read
    FAILMSG "no #PF in a hot loop reading a user page after CR4.SMAP was set"
.hot0:
    PF_CHECK E_P, usr_data, hot_read.i, "SMAP, hot loop after CR4.SMAP set"
    stac
    call hot_read                           ; AC=1: runs, hot again
    clac
    EXPECT_EXC 14, .hot1
    call hot_read
    FAILMSG "no #PF in a hot loop reading a user page after CLAC"
.hot1:
    PF_CHECK E_P, usr_data, hot_read.i, "SMAP, hot loop after CLAC"
    CR4_AND ~CR4_SMAP
    mov eax, [usr_data]                     ; SMAP off: cached readable
    CHECK eax, 0x5a5a0001, "ring-0 read of a user page, SMAP off"
    mov dword [usr_data + 4], 0x5a5a0002    ; and writable (D set)
    CR4_OR CR4_SMAP
    clac
    EXPECT_EXC 14, .smap_r
.smap_r_insn:
    mov eax, [usr_data]
    FAILMSG "no #PF for a ring-0 read of a user page with SMAP, AC=0"
.smap_r:
    PF_CHECK E_P, usr_data, .smap_r_insn, "SMAP read, AC=0"
    EXPECT_EXC 14, .smap_w
.smap_w_insn:
    mov dword [usr_data + 8], 1
    FAILMSG "no #PF for a ring-0 write to a user page with SMAP, AC=0"
.smap_w:
    PF_CHECK E_P | E_W, usr_data + 8, .smap_w_insn, "SMAP write, AC=0"
    stac
    mov eax, [usr_data + 4]
    mov dword [usr_data + 8], 0x5a5a0003
    mov ebx, [usr_data + 8]
    clac
    CHECK eax, 0x5a5a0002, "SMAP read with AC=1 (STAC)"
    CHECK ebx, 0x5a5a0003, "SMAP write with AC=1 (STAC)"
    EXPECT_EXC 14, .smap_r2
.smap_r2_insn:
    mov eax, [usr_data]
    FAILMSG "no #PF for a read after CLAC"
.smap_r2:
    PF_CHECK E_P, usr_data, .smap_r2_insn, "SMAP read after CLAC"
    pushfq
    or dword [rsp], F_AC
    popfq
    mov eax, [usr_data]
    clac
    CHECK eax, 0x5a5a0001, "SMAP read with AC=1 (POPF)"
    ; read-only user page with AC=1: CR0.WP decides
    stac
    mov dword [usr_ro], 0x5a5a0004          ; WP=0: allowed
    mov rax, cr0
    or eax, CR0_WP
    mov cr0, rax
    EXPECT_EXC 14, .smap_ro
.smap_ro_insn:
    mov dword [usr_ro + 4], 1
    FAILMSG "no #PF for a write to a read-only user page with AC=1, WP=1"
.smap_ro:
    PF_CHECK E_P | E_W, usr_ro + 4, .smap_ro_insn, "SMAP, AC=1, read-only user page, WP=1"
    mov eax, [usr_ro]
    clac
    CHECK eax, 0x5a5a0004, "write to a read-only user page with AC=1, WP=0"
    mov rax, cr0
    and eax, ~CR0_WP
    mov cr0, rax
    EXPECT_EXC 14, .smap_np
.smap_np_insn:
    mov eax, [usr_np + 0x10]
    FAILMSG "no #PF for a read of a not-present page"
.smap_np:
    PF_CHECK 0, usr_np + 0x10, .smap_np_insn, "SMAP, AC=0, not-present user page"
    CR4_AND ~CR4_SMEP
    mov eax, usr_ret
    call rax                                ; SMAP alone: fetches are fine
    CR4_OR CR4_SMEP
    EXPECT_EXC 14, .smap_big
.smap_big_insn:
    mov eax, [BIG_PG + 0x2000]
    FAILMSG "no #PF for a ring-0 read of a user 2 MiB page with SMAP, AC=0"
.smap_big:
    PF_CHECK E_P, BIG_PG + 0x2000, .smap_big_insn, "SMAP read of a user 2 MiB page"
    stac
    mov eax, [BIG_PG + 0x2000]
    clac
    CHECK eax, 0x5a5a0005, "SMAP read of a user 2 MiB page with AC=1"
    PRINT "smep_smap: SMAP explicit accesses ok"

    ; ---- SMAP through every kind of memory access (AC=0 faults, AC=1 runs) ----
; A read-modify-write faults on its read or on its write: W is not compared
; for those (RMW: QEMU reports the read; the SDM does not say).
%macro SMAP_FORM 5-6 -1     ; routine, faulting-insn label, error, CR2, "what"[, error mask]
    clac
    EXPECT_EXC 14, %%pf
    call %1
    FAILMSG "no SMAP #PF: ", %5
%%pf:
    and dword [exc_error], %6
    PF_CHECK %3, %4, %2, {"SMAP, ", %5}
    stac
    call %1
    clac
%endmacro
RMW equ ~E_W
    SMAP_FORM f_movs, f_movs.i, E_P, usr_data, "REP MOVSB from a user page"
    SMAP_FORM f_movs_w, f_movs_w.i, E_P | E_W, usr_data + 16, "REP MOVSQ to a user page"
    SMAP_FORM f_stos, f_stos.i, E_P | E_W, usr_data + 16, "REP STOSB"
    SMAP_FORM f_lods, f_lods.i, E_P, usr_data, "LODSD"
    SMAP_FORM f_cmps, f_cmps.i, E_P, usr_data, "REPE CMPSB (second operand)"
    SMAP_FORM f_movzx, f_movzx.i, E_P, usr_data + 2, "MOVZX word"
    SMAP_FORM f_add, f_add.i, E_P, usr_data + 16, "ADD to memory (read-modify-write)", RMW
    SMAP_FORM f_lock, f_lock.i, E_P, usr_data + 16, "LOCK ADD", RMW
    SMAP_FORM f_xchg, f_xchg.i, E_P, usr_data + 16, "XCHG with memory", RMW
    SMAP_FORM f_cmpxchg, f_cmpxchg.i, E_P, usr_data + 16, "LOCK CMPXCHG", RMW
    SMAP_FORM f_bts, f_bts.i, E_P, usr_data + 16, "BTS memory", RMW
    SMAP_FORM f_sse, f_sse.i, E_P, usr_data, "MOVDQA load"
    SMAP_FORM f_sse_w, f_sse_w.i, E_P | E_W, usr_data + 16, "MOVDQA store"
    SMAP_FORM f_x87, f_x87.i, E_P, usr_data, "FLD m32"
    SMAP_FORM f_callm, f_callm.i, E_P, usr_data + 0x40, "CALL through a pointer in a user page"
    SMAP_FORM f_split, f_split.i, E_P, usr_begin, "qword read across a supervisor/user page boundary"
    SMAP_FORM f_split_w, f_split_w.i, E_P | E_W, usr_begin, "qword write across a supervisor/user page boundary"
%macro SMAP_FORM_PG 5       ; like SMAP_FORM, CR2 compared by page (multi-byte stores)
    clac
    EXPECT_EXC 14, %%pf
    call %1
    FAILMSG "no SMAP #PF: ", %5
%%pf:
    and dword [exc_cr2], ~0xfff
    PF_CHECK %3, %4, %2, {"SMAP, ", %5}
    stac
    call %1
    clac
%endmacro
    stac
    sgdt [usr_data + 0x70]
    clac
    SMAP_FORM_PG f_fxsave, f_fxsave.i, E_P | E_W, usr_fx, "FXSAVE"
    SMAP_FORM_PG f_fxrstor, f_fxrstor.i, E_P, usr_fx, "FXRSTOR"
    SMAP_FORM_PG f_fnstenv, f_fnstenv.i, E_P | E_W, usr_fx, "FNSTENV"
    SMAP_FORM_PG f_maskmov, f_maskmov.i, E_P | E_W, usr_data, "MASKMOVDQU"
    SMAP_FORM f_ins, f_ins.i, E_P | E_W, usr_data + 16, "REP INSB"
    SMAP_FORM f_cx16, f_cx16.i, E_P, usr_data + 16, "LOCK CMPXCHG16B", RMW
    SMAP_FORM_PG f_lgdt, f_lgdt.i, E_P, usr_data, "LGDT operand (explicit)"
    SMAP_FORM_PG f_sgdt, f_sgdt.i, E_P | E_W, usr_data, "SGDT operand (explicit)"
    ; CLFLUSH checks permissions like a byte load (SDM); QEMU 7.2 TCG does
    ; no check at all: Petrel only.
    SKIP_UNDER_QEMU .no_clflush
    SMAP_FORM f_clflush, f_clflush.i, E_P, usr_data, "CLFLUSH"
.no_clflush:
    PRINT "smep_smap: SMAP on string, RMW, locked, SSE, x87, indirect and split accesses ok"

    ; the stack in a user page at CPL 0: #PF goes through IST 1 meanwhile
    mov qword [tss64 + 0x24], ring0_stack_top
    mov byte [idt64 + 14*16 + 4], 1
    stac
    mov qword [usr_stack_top - 8], s_ret.t
    clac
    SMAP_FORM s_push, s_push.i, E_P | E_W, usr_stack_top - 8, "PUSH with RSP in a user page"
    SMAP_FORM s_pop, s_pop.i, E_P, usr_stack_top - 8, "POP with RSP in a user page"
    SMAP_FORM s_call, s_call.i, E_P | E_W, usr_stack_top - 8, "CALL with RSP in a user page"
    stac
    mov qword [usr_stack_top - 8], s_ret.t
    clac
    SMAP_FORM s_ret, s_ret.i, E_P, usr_stack_top - 8, "RET with RSP in a user page"
    SMAP_FORM s_pushf, s_pushf.i, E_P | E_W, usr_stack_top - 8, "PUSHFQ with RSP in a user page"
    mov byte [idt64 + 14*16 + 4], 0
    PRINT "smep_smap: SMAP on stack accesses ok"

    ; SMEP on an instruction that starts in a supervisor page and ends in a user page
    EXPECT_EXC 14, .smep_split
    call straddle
    FAILMSG "no #PF for an instruction running into a user page with SMEP"
.smep_split:
    PF_CHECK E_P | E_ID, usr_begin, straddle, "SMEP, instruction across a supervisor/user boundary"
    CR4_AND ~CR4_SMEP
    xor eax, eax
    call straddle
    CHECK eax, 0x12345678, "instruction across the boundary without SMEP"
    CR4_OR CR4_SMEP

    ; ---- implicit supervisor accesses: the LDT is in a user page ----
    CR4_AND ~CR4_SMAP
    mov ax, LDT_SEL0
    mov fs, ax                              ; SMAP off: the load works
    xor eax, eax
    mov fs, ax
    CR4_OR CR4_SMAP
    clac
    EXPECT_EXC 14, .imp0
    mov ax, LDT_SEL0
.imp0_insn:
    mov fs, ax
    FAILMSG "no #PF for an LDT read in a user page with SMAP, AC=0"
.imp0:
    PF_CHECK E_P, usr_ldt + 8, .imp0_insn, "SMAP, LDT descriptor read at CPL 0, AC=0"
    ; QEMU 7.2 TCG skips SMAP for implicit accesses when CPL < 3 and AC = 1.
    SKIP_UNDER_QEMU .imp1_skip
    stac
    EXPECT_EXC 14, .imp1
    mov ax, LDT_SEL0
.imp1_insn:
    mov fs, ax
    FAILMSG "no #PF for an LDT read in a user page with SMAP, AC=1 (implicit accesses ignore AC)"
.imp1:
    clac
    PF_CHECK E_P, usr_ldt + 8, .imp1_insn, "SMAP, LDT descriptor read at CPL 0, AC=1"
    jmp .imp1_done
.imp1_skip:
    PRINT "smep_smap: QEMU TCG: implicit access with CPL 0 and AC=1 not checked"
.imp1_done:
    PRINT "smep_smap: implicit supervisor accesses at CPL 0 ok"

    ; ---- ring 3 (SMEP and SMAP on, AC=0) ----
%macro TO_USER 2            ; user entry label, ring-0 resume label (set exc_expect first)
    mov [exc_saved_esp], esp
    mov dword [exc_resume], %2
    push SEL_DATA_U
    push usr_stack_top
    push 0x2
    push SEL_CODE64_U
    push %1
    iretq
%endmacro
    mov dword [exc_expect], 6 + 1
    TO_USER u_rw, .u_rw
.u_rw:
    CHECK [exc_vector], 6, "ring 3 read/write: ended by UD2"
    CHECK [exc_cs], SEL_CODE64_U, "ring 3 read/write: CS"
    CHECK [exc_eip], u_rw_end, "ring 3 read/write: RIP"
    stac
    mov eax, [usr_data + 12]
    clac
    CHECK eax, 0x5a5a0001, "ring 3 read and write of a user page with SMAP"
    mov dword [exc_expect], 6 + 1
    TO_USER u_stac, .u_stac
.u_stac:
    CHECK [exc_vector], 6, "STAC at CPL 3: #UD"
    CHECK [exc_eip], u_stac, "STAC at CPL 3: RIP"
    mov dword [exc_expect], 6 + 1
    TO_USER u_clac_entry, .u_clac
.u_clac:
    CHECK [exc_vector], 6, "CLAC at CPL 3: #UD"
    CHECK [exc_eip], u_clac, "CLAC at CPL 3: RIP"
    CHECKF [exc_eflags], F_AC, F_AC, "CLAC at CPL 3: AC unchanged"
    mov dword [exc_expect], 14 + 1
    TO_USER u_ldt, .u_ldt
.u_ldt:
    PF_CHECK E_P, usr_ldt + 8, u_ldt_insn, "SMAP, LDT descriptor read at CPL 3 (supervisor access)"
    CHECK [exc_cs], SEL_CODE64_U, "LDT read at CPL 3: CS"
    mov dword [exc_expect], 14 + 1
    TO_USER u_ldt_ac, .u_ldt_ac
.u_ldt_ac:
    PF_CHECK E_P, usr_ldt + 8, u_ldt_ac_insn, "SMAP, LDT descriptor read at CPL 3 with AC=1"
    CHECKF [exc_eflags], F_AC, F_AC, "LDT read at CPL 3 with AC=1: AC"
%macro U_IMPLICIT 4         ; ring-3 routine, faulting insn, LDT index, "what"
    mov dword [exc_expect], 14 + 1
    TO_USER %1, %%back
%%back:
    PF_CHECK E_P, usr_ldt + 8*(%3), %2, {"SMAP, ring 3, ", %4}
%endmacro
    U_IMPLICIT u_lar, u_lar.i, 1, "LAR of an LDT selector"
    U_IMPLICIT u_verr, u_verr.i, 1, "VERR of an LDT selector"
    U_IMPLICIT u_pop, u_pop.i, 1, "POP FS with an LDT selector"
    U_IMPLICIT u_lfs, u_lfs.i, 1, "LFS with an LDT selector"
    U_IMPLICIT u_far, u_far.i, 2, "far JMP to an LDT code segment"
    ; QEMU 7.2 TCG pops a far RET's return address with supervisor
    ; accesses even at CPL 3, so SMAP faults on the user stack: Petrel only.
    SKIP_UNDER_QEMU .no_retf
    U_IMPLICIT u_retf, u_retf.i, 2, "far RET to an LDT code segment"
.no_retf:
    ; ---- implicit accesses to the IDT and the TSS in a user page ----
    ; SPLIT_IDT: vectors 0-127 in the supervisor page sysx_s, 128-255 in the
    ; user page sysx_u; SPLIT_TSS: RSP0 in sysx_s, IST1 in sysx_u.
    mov eax, sysx_u
    shr eax, 12
    or byte [PT0 + rax*8], PT_U
    invlpg [sysx_u]
    mov esi, idt64
    mov edi, SPLIT_IDT
    mov ecx, 32*2
    rep movsq
    mov rax, [idt64 + 3*16]                 ; the DPL-3 INT3 gate, with IST 1
    mov [SPLIT_IDT + 0x40*16], rax
    mov rax, [idt64 + 3*16 + 8]
    mov [SPLIT_IDT + 0x40*16 + 8], rax
    mov byte [SPLIT_IDT + 0x40*16 + 4], 1
    mov qword [SPLIT_TSS + 4], ring0_stack_top   ; RSP0
    stac
    mov word [SPLIT_TSS + 0x66], 104        ; (in the user page too)
    mov qword [SPLIT_TSS + 0x24], ring0_stack_top ; IST1, in the user page
    clac
    mov eax, SPLIT_TSS
    shl eax, 16
    or eax, 0x67
    mov [gdt + SEL_STSS], eax
    mov eax, SPLIT_TSS
    mov edx, eax
    and eax, 0xff000000
    shr edx, 16
    and edx, 0xff
    or eax, edx
    or eax, 0x8900
    mov [gdt + SEL_STSS + 4], eax
    mov qword [gdt + SEL_STSS + 8], 0
    mov ax, SEL_STSS
    ltr ax
    lidt [sidt_r]
    EXPECT_EXC 14, .idt0
.idt0_insn:
    int 0x80
    FAILMSG "no #PF for an IDT entry in a user page with SMAP"
.idt0:
    PF_CHECK E_P, sysx_u, .idt0_insn, "SMAP, IDT entry read at CPL 0, AC=0"
    EXPECT_EXC 14, .ist0
.ist0_insn:
    int 0x40
    FAILMSG "no #PF for an IST pointer in a user page with SMAP"
.ist0:
    PF_CHECK E_P, sysx_u + 0x14, .ist0_insn, "SMAP, TSS IST1 read at CPL 0, AC=0"
    ; QEMU 7.2 TCG skips SMAP for implicit accesses when CPL < 3 and AC = 1.
    SKIP_UNDER_QEMU .idt_ac_skip
    stac
    EXPECT_EXC 14, .idt1
.idt1_insn:
    int 0x80
    FAILMSG "no #PF for an IDT entry in a user page with SMAP, AC=1"
.idt1:
    clac
    PF_CHECK E_P, sysx_u, .idt1_insn, "SMAP, IDT entry read at CPL 0, AC=1"
    stac
    EXPECT_EXC 14, .ist1
.ist1_insn:
    int 0x40
    FAILMSG "no #PF for an IST pointer in a user page with SMAP, AC=1"
.ist1:
    clac
    PF_CHECK E_P, sysx_u + 0x14, .ist1_insn, "SMAP, TSS IST1 read at CPL 0, AC=1"
.idt_ac_skip:
    mov dword [exc_expect], 14 + 1
    TO_USER u_int80, .idt3
.idt3:
    PF_CHECK E_P, sysx_u, u_int80.i, "SMAP, IDT entry read for INT 0x80 at CPL 3"
    mov dword [exc_expect], 14 + 1
    TO_USER u_int40, .ist3
.ist3:
    PF_CHECK E_P, sysx_u + 0x14, u_int40.i, "SMAP, TSS IST1 read for INT 0x40 at CPL 3"
    CHECK [exc_cs], SEL_CODE64_U, "TSS IST1 read at CPL 3: CS"
    lidt [idt64r]
    and byte [gdt + SEL_TSS64 + 5], ~2      ; not busy: load it again
    mov ax, SEL_TSS64
    ltr ax
    PRINT "smep_smap: implicit IDT and TSS reads ok"

    EXPECT_EXC 14, .smep_r3code
    call u_rw
    FAILMSG "no #PF calling ring-3 code (already run at CPL 3) from ring 0 with SMEP"
.smep_r3code:
    PF_CHECK E_P | E_ID, u_rw, u_rw, "SMEP, code run at CPL 3 before"
    PRINT "smep_smap: ring 3 ok"

    CR4_AND ~(CR4_SMEP | CR4_SMAP)
    xor eax, eax
    lldt ax
    LEAVE_LONG pm32

pm32:
    mov esp, [saved_esp]
    ret

; ---- supervisor routines for SMAP_FORM: each runs one access ----
bits 64
f_movs:
    mov esi, usr_data
    mov edi, sup_scratch
    mov ecx, 8
.i: rep movsb
    ret
f_movs_w:
    mov esi, sup_scratch
    mov edi, usr_data + 16
    mov ecx, 1
.i: rep movsq
    ret
f_stos:
    mov edi, usr_data + 16
    mov ecx, 8
    xor eax, eax
.i: rep stosb
    ret
f_lods:
    mov esi, usr_data
.i: lodsd
    ret
f_cmps:
    mov esi, sup_scratch
    mov edi, usr_data
    mov ecx, 4
.i: repe cmpsb
    ret
f_movzx:
.i: movzx eax, word [usr_data + 2]
    ret
f_add:
.i: add dword [usr_data + 16], 0
    ret
f_lock:
.i: lock add dword [usr_data + 16], 0
    ret
f_xchg:
    mov eax, [usr_data_copy]
.i: xchg [usr_data + 16], eax
    ret
f_cmpxchg:
    xor eax, eax
    xor ecx, ecx
.i: lock cmpxchg [usr_data + 16], ecx
    ret
f_bts:
.i: bts dword [usr_data + 16], 3
    ret
f_sse:
.i: movdqa xmm0, [usr_data]
    ret
f_sse_w:
    pxor xmm0, xmm0
.i: movdqa [usr_data + 16], xmm0
    ret
f_x87:
    fninit
.i: fld dword [usr_data]
    fstp st0
    ret
f_callm:
.i: call [usr_data + 0x40]
    ret
sup_ret:
    ret
f_fxsave:
.i: fxsave [usr_fx]
    ret
f_fxrstor:
.i: fxrstor [usr_fx]
    ret
f_fnstenv:
.i: fnstenv [usr_fx + 0x200]
    ret
f_maskmov:
    pcmpeqb xmm1, xmm1
    pxor xmm0, xmm0
    mov edi, usr_data + 16
.i: maskmovdqu xmm0, xmm1
    ret
f_ins:
    mov edi, usr_data + 16
    mov ecx, 4
    mov edx, 0x3fd                          ; COM1 line status
.i: rep insb
    ret
f_cx16:
    xor eax, eax
    xor edx, edx
    xor ebx, ebx
    xor ecx, ecx
.i: lock cmpxchg16b [usr_data + 16]
    ret
f_lgdt:
.i: lgdt [usr_data + 0x70]                  ; the current GDTR again
    ret
f_clflush:
.i: clflush [usr_data]
    ret
f_sgdt:
.i: sgdt [usr_data + 0x80]
    ret
hot_read:
    mov ecx, 5000
.i: mov eax, [usr_data]
    dec ecx
    jnz .i
    ret
s_push:
    mov [stk_save], rsp
    mov rsp, usr_stack_top
.i: push rax
    mov rsp, [stk_save]
    ret
s_pop:
    mov [stk_save], rsp
    mov rsp, usr_stack_top - 8
.i: pop rax
    mov rsp, [stk_save]
    ret
s_call:
    mov [stk_save], rsp
    mov rsp, usr_stack_top
.i: call .t
.t: mov rsp, [stk_save]
    ret
s_ret:
    mov [stk_save], rsp
    mov rsp, usr_stack_top - 8
.i: ret
.t: mov rsp, [stk_save]
    ret
s_pushf:
    mov [stk_save], rsp
    mov rsp, usr_stack_top
.i: pushfq
    mov rsp, [stk_save]
    ret
f_split:
.i: mov rax, [usr_begin - 4]
    ret
f_split_w:
    mov rax, 0xc312345678b8cccc        ; the bytes there (straddle): unchanged
.i: mov [usr_begin - 4], rax
    ret

section .data
align 16
sup_scratch: times 16 db 0
usr_data_copy: dd 0
stk_save: dq 0

; ---- user pages: ring-3 code, data, the LDT, a stack ----
section .text
align 4096
    times 4096 - 2 db 0xcc
straddle:
    db 0xb8, 0x78               ; MOV EAX, 0x12345678: 2 bytes in a supervisor page,
usr_begin:
    db 0x56, 0x34, 0x12         ; 3 in the user page
    ret
bits 64
u_rw:
    mov eax, [usr_data]
    mov [usr_data + 12], eax
u_rw_end:
    ud2
u_stac:
    stac
    ud2
u_clac_entry:
    pushfq
    or dword [rsp], F_AC
    popfq
u_clac:
    clac
    ud2
u_ldt:
    mov ax, LDT_SEL3
u_ldt_insn:
    mov fs, ax
    ud2
u_ldt_ac:
    pushfq
    or dword [rsp], F_AC
    popfq
    mov ax, LDT_SEL3
u_ldt_ac_insn:
    mov fs, ax
    ud2
u_lar:
    mov eax, LDT_SEL3
.i: lar ecx, eax
    ud2
u_verr:
    mov eax, LDT_SEL3
.i: verr ax
    ud2
u_pop:
    push LDT_SEL3
.i: pop fs
    ud2
u_lfs:
.i: lfs eax, [usr_data + 0x50]
    ud2
u_far:
.i: jmp far dword [usr_data + 0x60]     ; m16:32
    ud2
u_retf:
    push LDT_CODE3
    push u_far_target
.i: retfq
    ud2
u_far_target:
    ud2
u_int80:
.i: int 0x80
    ud2
u_int40:
.i: int 0x40
    ud2
bits 32
align 4096
usr_ret:
    ret
align 4096
usr_data:
    dd 0x5a5a0001, 0, 0, 0
    times 0x40 - 16 db 0
    dq sup_ret                          ; +0x40: a pointer for f_callm
    times 0x50 - 0x48 db 0
    dd 0                                ; +0x50: far pointer for u_lfs
    dw LDT_SEL3
    times 0x60 - 0x56 db 0
    dd u_far_target                     ; +0x60: far pointer for u_far
    dw LDT_CODE3
align 4096
usr_ro:
    dd 0
align 4096
usr_ldt:
    dq 0
    dq 0x00cff3000000ffff       ; entry 1: data, DPL 3, accessed (no A-bit write)
    dq 0x00affb000000ffff       ; entry 2: 64-bit code, DPL 3, accessed
align 4096
usr_fx:
    times 4096 db 0
align 4096
usr_np:
    ret
align 4096
usr_stack:
    times 4096 db 0
usr_stack_top:
usr_end:

; a supervisor page then a page made user at run time (IDT/TSS tests)
section .text
align 4096
sysx_s: times 4096 db 0
sysx_u: times 4096 db 0
SPLIT_IDT equ sysx_u - 0x800
SPLIT_TSS equ sysx_u - 0x10
section .data
sidt_r:
    dw 256*16 - 1
    dq SPLIT_IDT

section .text
bits 16
v86_blob:
v86_stac:
    stac
    hlt
v86_clac:
    clac
    hlt
v86_blob_end:
bits 32
