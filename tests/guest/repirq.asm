; repirq: interrupts arriving during long REP string instructions (SDM vol
; 2, REP: "interrupted ... the registers are updated so the instruction
; resumes"): a periodic APIC timer interrupts REP MOVSD and REP STOSD; every
; interrupt taken on the REP instruction itself must see ECX strictly
; between 0 and the count and ESI/EDI consistent with it, and the copy and
; fill must complete exactly.
%include "guest.inc"

APIC      equ 0xfee00000
APIC_TPR  equ APIC + 0x080
APIC_EOI  equ APIC + 0x0b0
APIC_SVR  equ APIC + 0x0f0
APIC_LVTT equ APIC + 0x320
APIC_TICR equ APIC + 0x380
APIC_TDCR equ APIC + 0x3e0
VEC       equ 0x39
SRC       equ 0x1000000
DST       equ 0x1800000
N         equ 0x100000      ; dwords (4 MiB)
MAXREC    equ 256

section .data
align 4
ticks:    dd 0
nrec:     dd 0
rec_eip:  times MAXREC dd 0
rec_ecx:  times MAXREC dd 0
rec_esi:  times MAXREC dd 0
rec_edi:  times MAXREC dd 0
section .text

timer_handler:
    push eax
    push ebx
    inc dword [ticks]
    mov ebx, [nrec]
    cmp ebx, MAXREC
    jae .full
    mov eax, [esp + 8]
    mov [rec_eip + ebx*4], eax
    mov [rec_ecx + ebx*4], ecx
    mov [rec_esi + ebx*4], esi
    mov [rec_edi + ebx*4], edi
    inc dword [nrec]
.full:
    mov dword [APIC_EOI], 0
    pop ebx
    pop eax
    iretd

; CHECK_RECS insn, esi0, edi0: every record on `insn` is mid-way and consistent
%macro CHECK_RECS 3
    xor ebx, ebx
%%next:
    cmp ebx, [nrec]
    jae %%done
    cmp dword [rec_eip + ebx*4], %1
    jne %%skip
    mov eax, [rec_ecx + ebx*4]
    test eax, eax
    jnz %%nz
    FAILMSG "interrupted on the REP with ECX = 0"
%%nz:
    cmp eax, N
    jb %%lt
    FAILMSG "interrupted on the REP before any iteration counted... ECX >= count"
%%lt:
    ; done = N - ECX dwords: EDI = edi0 + 4*done
    mov edx, N
    sub edx, eax
    shl edx, 2
    add edx, %3
    CHECK [rec_edi + ebx*4], edx, "EDI consistent with ECX at the interrupt"
%if %2 != 0
    mov edx, N
    sub edx, eax
    shl edx, 2
    add edx, %2
    CHECK [rec_esi + ebx*4], edx, "ESI consistent with ECX at the interrupt"
%endif
%%skip:
    inc ebx
    jmp %%next
%%done:
%endmacro

report_on_rep:                  ; prints the number of records on .movs
    pusha
    xor ecx, ecx
    xor ebx, ebx
.r:
    cmp ebx, [nrec]
    jae .p
    cmp dword [rec_eip + ebx*4], main.movs
    jne .n
    inc ecx
.n:
    inc ebx
    jmp .r
.p:
    mov esi, msg_onrep
    call serial_puts
    mov eax, ecx
    call serial_hex32
    mov esi, msg_of
    call serial_puts
    mov eax, [nrec]
    call serial_hex32
    call serial_nl
    popa
    ret

section .data
msg_onrep: db "repirq: interrupts taken on the REP MOVSD itself: ", 0
msg_of:    db " of ", 0
section .text

main:
    SET_GATE VEC, timer_handler
    SET_GATE 0x3f, timer_handler
    mov dword [APIC_SVR], 0x100 | 0x3f
    mov dword [APIC_TPR], 0
    ; source pattern: dword i = i * 0x9e3779b1
    mov edi, SRC
    xor ecx, ecx
.fill:
    mov eax, ecx
    imul eax, eax, 0x9e3779b1
    mov [edi + ecx*4], eax
    inc ecx
    cmp ecx, N
    jb .fill

    mov dword [APIC_TDCR], 0xb          ; divide by 1
    mov dword [APIC_LVTT], VEC | (1 << 17)   ; periodic
    mov dword [APIC_TICR], 5000
    ; ---- REP MOVSD ----
    sti
    mov dword [nrec], 0
    mov esi, SRC
    mov edi, DST
    mov ecx, N
    cld
.movs:
    rep movsd
    cli
    CHECK ecx, 0, "ECX after REP MOVSD"
    CHECK esi, SRC + 4*N, "ESI after REP MOVSD"
    CHECK edi, DST + 4*N, "EDI after REP MOVSD"
    CHECK_RECS .movs, SRC, DST
    call report_on_rep          ; informational: how many hit the REP itself
    mov esi, SRC
    mov edi, DST
    mov ecx, N
    repe cmpsd
    CHECK ecx, 0, "destination equals the source after an interrupted REP MOVSD"
    ; ---- REP STOSD ----
    mov dword [nrec], 0
    mov edi, DST
    mov ecx, N
    mov eax, 0x5a5a5a5a
    sti
.stos:
    rep stosd
    cli
    CHECK_RECS .stos, 0, DST
    mov edi, DST
    mov ecx, N
    mov eax, 0x5a5a5a5a
    repe scasd
    CHECK ecx, 0, "fill complete after an interrupted REP STOSD"
    mov dword [APIC_LVTT], 0x10000
    mov dword [APIC_SVR], 0x3f
    mov eax, [ticks]
    test eax, eax
    jnz .ticked
    FAILMSG "no timer interrupt at all"
.ticked:
    PRINT "repirq: REP MOVSD / STOSD interrupted and resumed ok"
    ret
