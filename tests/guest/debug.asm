; debug: the #DB machinery (SDM vol 3, chapter 17). TF single-step (DR6.BS;
; a POPF or IRET that sets TF traps only after the next instruction; the
; trap after MOV SS is held over the next instruction), DR0 instruction
; breakpoint (fault, DR6.B0, RF lets the
; instruction run), DR1 data write and DR2 read/write breakpoints (trap
; after the access, DR6.Bn), DR6/DR7 fixed bits, MOV DR4 with CR4.DE #UD.
%include "guest.inc"

MAXREC equ 8

section .data
align 4
db_count:  dd 0
db_limit:  dd 0          ; clear TF in the frame after this many #DB
db_eip:    times MAXREC dd 0
db_dr6:    times MAXREC dd 0
db_efl:    times MAXREC dd 0
wvar:      dd 0
rvar:      dd 0
section .text

db_handler:
    push eax
    push ebx
    mov ebx, [db_count]
    cmp ebx, MAXREC
    jae .full
    mov eax, [esp + 8]
    mov [db_eip + ebx*4], eax
    mov eax, [esp + 16]
    mov [db_efl + ebx*4], eax
    mov eax, dr6
    mov [db_dr6 + ebx*4], eax
.full:
    inc dword [db_count]
    xor eax, eax
    mov dr6, eax
    mov eax, [db_count]
    cmp eax, [db_limit]
    jb .keep_tf
    and dword [esp + 16], ~0x100
.keep_tf:
    or dword [esp + 16], 0x10000    ; RF: an instruction breakpoint here won't refire
    pop ebx
    pop eax
    iretd

%macro RESET_DB 1           ; limit
    mov dword [db_count], 0
    mov dword [db_limit], %1
%endmacro

main:
    SET_GATE 1, db_handler
    ; DR6 / DR7 fixed bits
    xor eax, eax
    mov dr6, eax
    mov eax, dr6
    CHECK eax, 0xffff0ff0, "DR6 after writing 0"
    xor eax, eax
    mov dr7, eax
    mov eax, dr7
    CHECK eax, 0x400, "DR7 after writing 0"

    ; ---- TF set by POPF: first trap after the instruction after POPF ----
    RESET_DB 3
    pushfd
    or dword [esp], 0x100
    popfd
.s0:
    nop
.s1:
    mov eax, 1
.s2:
    add eax, 1
.s3:
    nop
    nop
    CHECK [db_count], 3, "single-step traps"
    CHECK [db_eip], .s1, "first trap after the instruction after POPF"
    CHECK [db_eip + 4], .s2, "second trap"
    CHECK [db_eip + 8], .s3, "third trap"
    CHECKF [db_dr6], 0x400f, 0x4000, "DR6 for a single step: BS"
    CHECKF [db_efl], 0x100, 0x100, "TF in the pushed EFLAGS"
    PRINT "debug: TF via POPF ok"

    ; ---- TF set by IRET ----
    RESET_DB 1
    pushfd
    or dword [esp], 0x100
    push cs
    push dword .i0
    iretd
.i0:
    nop
.i1:
    nop
    CHECK [db_count], 1, "traps after IRET set TF"
    CHECK [db_eip], .i1, "trap after the first instruction after IRET"

    ; ---- MOV SS holds the single-step trap over the next instruction ----
    RESET_DB 1
    mov ax, ss
    pushfd
    or dword [esp], 0x100
    popfd
.m0:
    nop
.m1:
    mov ss, ax
.m2:
    nop
.m3:
    nop
    CHECK [db_count], 1, "traps around MOV SS"
    CHECK [db_eip], .m1, "trap after the NOP before MOV SS"
    RESET_DB 1
    pushfd
    or dword [esp], 0x100
    popfd
    nop
    mov ss, ax
.m4:
    nop
.m5:
    CHECK [db_count], 1, "traps around MOV SS (2)"
    ; the trap for MOV SS is delivered after the next instruction
    RESET_DB 2
    pushfd
    or dword [esp], 0x100
    popfd
.n0:
    mov ss, ax
.n1:
    nop
.n2:
    nop
    CHECK [db_count], 2, "traps with MOV SS first"
    CHECK [db_eip], .n2, "MOV SS: one trap, after the following instruction"
    PRINT "debug: TF via IRET, MOV SS shadow ok"

    ; ICEBP/INT1 (F1) is not tested: QEMU 7.2 TCG raises #UD for it where
    ; hardware raises a #DB trap.

    ; ---- DR0: instruction breakpoint ----
    RESET_DB 1
    mov eax, .bp0
    mov dr0, eax
    mov eax, 0x401              ; L0, RW0=00 (execute), LEN0=00
    mov dr7, eax
    xor ecx, ecx
.bp0:
    inc ecx                     ; breakpoint: fault before, then runs (RF)
    inc ecx
    xor eax, eax
    mov dr7, eax
    CHECK [db_count], 1, "instruction breakpoint #DB count"
    CHECK [db_eip], .bp0, "instruction breakpoint is a fault: EIP of the instruction"
    CHECKF [db_dr6], 0x400f, 1, "DR6 for DR0: B0"
    CHECK ecx, 2, "the instruction ran after the handler set RF"
    PRINT "debug: DR0 execute breakpoint ok"

    ; ---- DR1: data write breakpoint, 4 bytes ----
    RESET_DB 1
    mov eax, wvar
    mov dr1, eax
    mov eax, 0x00d00404         ; L1, RW1=01 (write), LEN1=11 (4 bytes)
    mov dr7, eax
    mov eax, [wvar]             ; a read: no #DB
    CHECK [db_count], 0, "read of a write-only watchpoint"
.w0:
    mov byte [wvar + 2], 5
.w1:
    xor eax, eax
    mov dr7, eax
    CHECK [db_count], 1, "data write breakpoint #DB count"
    CHECK [db_eip], .w1, "data breakpoint is a trap: EIP after the write"
    CHECKF [db_dr6], 0x400f, 2, "DR6 for DR1: B1"
    CHECK [wvar], 0x00050000, "the write happened"

    ; ---- DR2: data read/write breakpoint, 2 bytes ----
    RESET_DB 1
    mov eax, rvar + 2
    mov dr2, eax
    mov eax, 0x07300410         ; L2, RW2=11 (read/write), LEN2=01 (2 bytes)
    mov dr7, eax
    mov eax, [rvar]             ; dword read overlapping rvar+2
.r1:
    mov al, [rvar + 1]          ; outside the watched 2 bytes
    xor eax, eax
    mov dr7, eax
    CHECK [db_count], 1, "data read breakpoint #DB count"
    CHECK [db_eip], .r1, "read breakpoint: EIP after the read"
    CHECKF [db_dr6], 0x400f, 4, "DR6 for DR2: B2"
    PRINT "debug: DR1 write and DR2 read/write breakpoints ok"

    ; ---- MOV DR4 with CR4.DE: #UD ----
    mov eax, cr4
    or eax, 8
    mov cr4, eax
    EXPECT_EXC 6, .de_done
.dr4_insn:
    mov eax, dr4
    FAILMSG "MOV from DR4 with CR4.DE=1 did not fault"
.de_done:
    CHECK [exc_eip], .dr4_insn, "#UD EIP for MOV DR4"
    mov eax, cr4
    and eax, ~8
    mov cr4, eax
    PRINT "debug: MOV DR4 with CR4.DE #UD ok"
    ret
