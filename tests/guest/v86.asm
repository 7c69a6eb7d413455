; v86: virtual-8086 mode (SDM vol 3, chapter 20) without VME: entered by
; IRETD with EFLAGS.VM, real-mode segment arithmetic inside, INT n with
; IOPL 3 through a DPL-3 interrupt gate to ring 0 (frame with ES/DS/FS/GS,
; VM set in the pushed EFLAGS, data segments null in the handler, IRETD
; back to V86), INT3 (not IOPL-sensitive) through the exception handler,
; and with IOPL 0: CLI and INT n are #GP(0).
%include "guest.inc"

LOW      equ 0x8000
RSEG     equ LOW >> 4
%define OFF(x) ((x) - blob)
%define LIN(x) (LOW + OFF(x))
VEC_V86  equ 0x30
EFL_VM   equ 0x20000

section .data
align 4
saved_esp:  dd 0
h_frame:    times 9 dd 0    ; EIP CS EFLAGS ESP SS ES DS FS GS
h_segs:     dd 0            ; DS | ES << 16 in the handler
h_calls:    dd 0
section .text

; v86_enter ip, eflags
%macro V86_ENTER 2
    push dword 0                ; GS
    push dword 0x1234           ; FS
    push dword RSEG             ; DS
    push dword RSEG             ; ES
    push dword 0                ; SS
    push dword 0x7000           ; ESP
    push dword %2
    push dword RSEG             ; CS
    push dword OFF(%1)
    iretd
%endmacro

main:
    mov esi, blob
    mov edi, LOW
    mov ecx, blob_end - blob
    rep movsb
    ; DPL-3 32-bit interrupt gate for VEC_V86
    SET_GATE VEC_V86, h30
    mov byte [idt + VEC_V86*8 + 5], 0xee
    mov [saved_esp], esp

    V86_ENTER v86_main, EFL_VM | 0x3002      ; IOPL 3
pm_back:                        ; from h30, request 2
    mov esp, [saved_esp]
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    CHECK [LIN(r_cs)], RSEG, "CS in V86 mode"
    CHECK [LIN(r_seg)], 0x5a, "V86 segment arithmetic 1234:0010 = 1235:0000"
    CHECKF [LIN(r_flags)], 0x3000, 0x3000, "IOPL 3 seen by PUSHF in V86"
    CHECK [h_frame], LIN(v86_main.int_after) - LOW, "INT frame: EIP (V86 IP after INT)"
    CHECK [h_frame + 4], RSEG, "INT frame: CS"
    CHECKF [h_frame + 8], EFL_VM, EFL_VM, "INT frame: VM in EFLAGS"
    CHECK [h_frame + 12], 0x7000 - 2, "INT frame: ESP (one word pushed)"
    CHECK [h_frame + 16], 0, "INT frame: SS"
    CHECK [h_frame + 20], 0x1235, "INT frame: ES (as the V86 code left it)"
    CHECK [h_frame + 24], RSEG, "INT frame: DS"
    CHECK [h_frame + 28], 0x1234, "INT frame: FS"
    CHECK [h_frame + 32], 0, "INT frame: GS"
    CHECK [h_segs], 0, "DS and ES null in the handler"
    CHECK [LIN(r_ax)], 0xcafe, "AX set by the ring-0 handler, after IRETD to V86"
    CHECK [LIN(r_bp)], 1, "INT3 handled, back in V86"
    CHECK [exc_cs], RSEG, "INT3 from V86: CS in the frame"
    CHECK [exc_eip], OFF(v86_main.bp_after), "INT3 from V86: IP after INT3"
    CHECK [LIN(r_pop)], 0xabcd, "V86 stack: PUSH/POP with SS:SP"
    PRINT "v86: INT n to ring 0 and back, INT3, segment arithmetic ok"

    ; IOPL 0: CLI faults
    EXPECT_EXC 13, .cli_done
    V86_ENTER v86_cli, EFL_VM | 0x0002
.cli_done:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    CHECK [exc_error], 0, "#GP error for CLI in V86 with IOPL 0"
    CHECK [exc_eip], OFF(v86_cli), "#GP IP for CLI in V86"
    CHECKF [exc_eflags], EFL_VM, EFL_VM, "#GP from V86: VM in the frame"
    ; IOPL 0: INT n faults
    EXPECT_EXC 13, .int_done
    V86_ENTER v86_int, EFL_VM | 0x0002
.int_done:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    CHECK [exc_error], 0, "#GP error for INT n in V86 with IOPL 0"
    CHECK [exc_eip], OFF(v86_int), "#GP IP for INT n in V86"
    PRINT "v86: IOPL-sensitive CLI and INT n ok"
    ret

; INT VEC_V86 from V86: BX = request. 1: arm INT3, return. 2: leave V86.
h30:
    mov [ss:h_segs], ds         ; stores a word: DS
    mov [ss:h_segs + 2], es
    push eax
    mov ax, SEL_DATA32
    mov ds, ax
    pop eax
    inc dword [h_calls]
    cmp bx, 2
    je .leave
    push ecx
    xor ecx, ecx
.copy:
    mov eax, [esp + 4 + ecx*4]
    mov [h_frame + ecx*4], eax
    inc ecx
    cmp ecx, 9
    jb .copy
    pop ecx
    EXPECT_EXC_IRET 3, OFF(v86_main.bp_after)
    mov eax, 0xcafe
    iretd
.leave:
    jmp pm_back

bits 16
blob:
v86_main:
    mov ax, cs
    mov [OFF(r_cs)], ax
    pushf
    pop ax
    mov [OFF(r_flags)], ax
    mov ax, 0x1234
    mov es, ax
    mov byte [es:0x0010], 0x5a
    mov ax, 0x1235
    mov es, ax
    mov al, [es:0x0000]
    mov [OFF(r_seg)], al
    mov ax, 0xabcd
    push ax
    xor ax, ax
    pop ax
    mov [OFF(r_pop)], ax
    push word 0                 ; ESP check: one word on the stack at INT
    mov bx, 1
    mov ax, 0xbeef
    int VEC_V86
.int_after:
    add sp, 2
    mov [OFF(r_ax)], ax
    int3
.bp_after:
    mov word [OFF(r_bp)], 1
    mov bx, 2
    int VEC_V86                 ; leave
    hlt

v86_cli:
    cli
    hlt
v86_int:
    int VEC_V86
    hlt

align 4
r_cs:    dd 0
r_seg:   dd 0
r_flags: dd 0
r_ax:    dd 0
r_bp:    dd 0
r_pop:   dd 0
blob_end:
bits 32
