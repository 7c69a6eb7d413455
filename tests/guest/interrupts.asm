; interrupts: 8259 PIC remapped to 0x20/0x28, PIT channel 0 at ~100 Hz,
; timer interrupts taken with STI/HLT and counted; then the RTC periodic
; interrupt (IRQ 8 through the slave PIC).
%include "guest.inc"

section .data
ticks:     dd 0
rtc_ticks: dd 0
section .text

main:
    SET_GATE 0x20, irq0
    SET_GATE 0x28, irq8
    ; ICW1..ICW4: edge, cascade, vectors 0x20 / 0x28, 8086 mode
    mov al, 0x11
    out 0x20, al
    out 0xa0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xa1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xa1, al
    mov al, 1
    out 0x21, al
    out 0xa1, al
    mov al, 0xfe            ; only IRQ 0
    out 0x21, al
    mov al, 0xff
    out 0xa1, al
    ; PIT channel 0, lobyte/hibyte, mode 2, divisor 11932 (100 Hz)
    mov al, 0x34
    out 0x43, al
    mov al, 11932 & 0xff
    out 0x40, al
    mov al, 11932 >> 8
    out 0x40, al
    ; the counter counts down: latch it twice
    mov al, 0x00
    out 0x43, al
    in al, 0x40
    mov bl, al
    in al, 0x40
    mov bh, al
    mov ecx, 100000
.spin:
    loop .spin
    mov al, 0x00
    out 0x43, al
    in al, 0x40
    mov dl, al
    in al, 0x40
    mov dh, al
    movzx ebx, bx
    movzx edx, dx
    cmp ebx, 11932
    jbe .latch_ok
    FAILMSG "PIT latched count above the divisor"
.latch_ok:
    cmp edx, ebx
    jne .moving
    FAILMSG "PIT counter does not move"
.moving:
    sti
.wait:
    hlt
    cmp dword [ticks], 10
    jb .wait
    cli
    PRINT "interrupts: 10 PIT ticks"
    ; mask IRQ 0 and check no more ticks arrive
    mov al, 0xff
    out 0x21, al
    mov ebx, [ticks]
    sti
    mov ecx, 3000000
.quiet:
    loop .quiet
    cli
    mov eax, [ticks]
    sub eax, ebx
    CHECK eax, 0, "ticks with IRQ 0 masked"

    ; RTC periodic interrupt: rate 6 (1024 Hz), PIE, IRQ 8 via cascade IRQ 2
    mov al, 0x8a
    out 0x70, al
    in al, 0x71
    and al, 0xf0
    or al, 6
    mov ah, al
    mov al, 0x8a
    out 0x70, al
    mov al, ah
    out 0x71, al
    mov al, 0x8b
    out 0x70, al
    in al, 0x71
    or al, 0x40
    mov ah, al
    mov al, 0x8b
    out 0x70, al
    mov al, ah
    out 0x71, al
    mov al, 0x0c            ; clear pending flags
    out 0x70, al
    in al, 0x71
    mov al, 0xfb            ; cascade only on the master
    out 0x21, al
    mov al, 0xfe            ; IRQ 8 on the slave
    out 0xa1, al
    sti
.rtc_wait:
    hlt
    cmp dword [rtc_ticks], 8
    jb .rtc_wait
    cli
    mov al, 0x8b            ; PIE off
    out 0x70, al
    in al, 0x71
    and al, ~0x40
    mov ah, al
    mov al, 0x8b
    out 0x70, al
    mov al, ah
    out 0x71, al
    mov al, 0xff
    out 0x21, al
    out 0xa1, al
    PRINT "interrupts: 8 RTC periodic interrupts"
    ret

irq0:
    inc dword [ticks]
    push eax
    mov al, 0x20
    out 0x20, al
    pop eax
    iretd

irq8:
    push eax
    inc dword [rtc_ticks]
    mov al, 0x0c            ; read C to acknowledge
    out 0x70, al
    in al, 0x71
    mov al, 0x20
    out 0xa0, al
    out 0x20, al
    pop eax
    iretd
