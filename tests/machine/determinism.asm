; determinism: prints everything a guest can observe of time and randomness
; — RDRAND/RDSEED, RDTSC, PIT channel 0 latched reads, a HLT woken by PIT
; IRQ 0, the local APIC timer (current count, a HLT woken by its interrupt),
; the HPET main counter, the ACPI PM timer and the RTC date/time — so that
; tests/machine/determinism.py can compare whole outputs of two runs.
; Under -icount (and -seed under QEMU) two runs must print the same bytes.
; Needs RDRAND (QEMU: -cpu max); prints "absent" lines otherwise.
%include "guest.inc"

APIC      equ 0xfee00000
HPET      equ 0xfed00000
PM_TIMER  equ 0x608          ; PIIX4 PM base 0x600 (SeaBIOS / Petrel direct boot)
VEC_PIT   equ 0x20
VEC_LAPIC equ 0x30
VEC_SPUR  equ 0x3f           ; the program's IDT has 64 vectors

; SHOW "label", value: prints "label XXXXXXXX" (value: a 32-bit operand, not EAX/ESI-relative)
%macro SHOW 2
    push eax
    push esi
    mov eax, %2
    [section .data]
%%s: db %1, " ", 0
    __SECT__
    mov esi, %%s
    call serial_puts
    call serial_hex32
    call serial_nl
    pop esi
    pop eax
%endmacro

%macro SPIN 1
    push ecx
    mov ecx, %1
%%l:
    loop %%l
    pop ecx
%endmacro

section .data
pit_ticks:   dd 0
lapic_ticks: dd 0
tsc0_lo:     dd 0
tsc0_hi:     dd 0
section .text

main:
    PRINT "determinism: start"
    SET_GATE VEC_PIT, irq_pit
    SET_GATE VEC_LAPIC, irq_lapic
    SET_GATE VEC_SPUR, irq_spurious

    ; ---- RDRAND / RDSEED
    mov eax, 1
    cpuid
    bt ecx, 30
    jc .have_rdrand
    PRINT "rdrand absent"
    jmp .rdseed
.have_rdrand:
    mov ebx, 3
.rdrand_loop:
    rdrand eax
    jc .rdrand_ok
    PRINT "rdrand no CF"
    jmp .rdrand_next
.rdrand_ok:
    SHOW "rdrand", eax
.rdrand_next:
    dec ebx
    jnz .rdrand_loop
.rdseed:
    mov eax, 7
    xor ecx, ecx
    cpuid
    bt ebx, 18
    jc .have_rdseed
    PRINT "rdseed absent"
    jmp .tsc
.have_rdseed:
    mov ebx, 2
.rdseed_loop:
    rdseed eax
    jc .rdseed_ok
    PRINT "rdseed no CF"
    jmp .rdseed_next
.rdseed_ok:
    SHOW "rdseed", eax
.rdseed_next:
    dec ebx
    jnz .rdseed_loop

    ; ---- TSC across a busy loop
.tsc:
    rdtsc
    mov [tsc0_lo], eax
    mov [tsc0_hi], edx
    SHOW "tsc-hi", edx
    SHOW "tsc-lo", eax
    SPIN 100000
    rdtsc
    sub eax, [tsc0_lo]
    SHOW "tsc-delta", eax

    ; The TSC between two RDTSCs 2003 instructions apart (the first RDTSC,
    ; two MOVs, 1000 x DEC+JNZ), with no I/O in between: the loop runs as
    ; chained cached blocks, so under -icount this shows whether the count
    ; the clock reads is exact in the middle of them.
    rdtsc
    mov esi, eax
    mov ecx, 1000
.tight:
    dec ecx
    jnz .tight
    rdtsc
    sub eax, esi
    SHOW "tsc-tight", eax

    ; ---- PIT channel 0: rate generator at 100 Hz, latched reads
    ; 8259s: vectors 0x20/0x28, only IRQ 0 unmasked
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
    mov al, 0xfe
    out 0x21, al
    mov al, 0xff
    out 0xa1, al
    mov al, 0x34
    out 0x43, al
    mov al, 11932 & 0xff
    out 0x40, al
    mov al, 11932 >> 8
    out 0x40, al
    SPIN 2000
    call pit_read
    SHOW "pit-count", eax
    SPIN 20000
    call pit_read
    SHOW "pit-count", eax
    ; HLT until three PIT ticks
    sti
.pit_wait:
    hlt
    cmp dword [pit_ticks], 3
    jb .pit_wait
    cli
    call pit_read
    SHOW "pit-after-hlt", eax
    rdtsc
    sub eax, [tsc0_lo]
    SHOW "tsc-after-pit", eax
    mov al, 0xff                ; PIC off from here on
    out 0x21, al

    ; ---- local APIC timer: one-shot, divide by 1
    mov dword [APIC + 0xf0], 0x100 | VEC_SPUR      ; software enable
    mov dword [APIC + 0x3e0], 0xb                  ; divide by 1
    mov dword [APIC + 0x320], VEC_LAPIC            ; one-shot, unmasked
    mov dword [APIC + 0x380], 2000000              ; initial count
    SPIN 1000
    mov eax, [APIC + 0x390]
    SHOW "lapic-ccr", eax
    sti
.lapic_wait:
    hlt
    cmp dword [lapic_ticks], 1
    jb .lapic_wait
    cli
    mov eax, [APIC + 0x390]
    SHOW "lapic-ccr-after", eax
    rdtsc
    sub eax, [tsc0_lo]
    SHOW "tsc-after-lapic", eax
    mov dword [APIC + 0x320], 0x10000              ; masked

    ; ---- HPET main counter
    mov eax, [HPET + 0x10]
    or eax, 1                                      ; ENABLE_CNF
    mov [HPET + 0x10], eax
    SPIN 5000
    mov eax, [HPET + 0xf0]
    SHOW "hpet-counter", eax
    mov eax, [HPET + 0x10]
    and eax, ~1
    mov [HPET + 0x10], eax

    ; ---- ACPI PM timer (3.579545 MHz)
    mov dx, PM_TIMER
    in eax, dx
    and eax, 0xffffff
    SHOW "pmtimer", eax

    ; ---- RTC: "rtc CC YY-MM-DD hh:mm:ss" (raw register bytes, BCD by default)
.uip:
    mov al, 0x0a
    out 0x70, al
    in al, 0x71
    test al, 0x80
    jnz .uip
    mov esi, msg_rtc
    call serial_puts
    mov al, 0x32
    call rtc_show
    mov al, 0x09
    call rtc_show
    mov al, '-'
    call serial_putc
    mov al, 0x08
    call rtc_show
    mov al, '-'
    call serial_putc
    mov al, 0x07
    call rtc_show
    mov al, ' '
    call serial_putc
    mov al, 0x04
    call rtc_show
    mov al, ':'
    call serial_putc
    mov al, 0x02
    call rtc_show
    mov al, ':'
    call serial_putc
    mov al, 0x00
    call rtc_show
    call serial_nl
    ret

; PIT channel 0 count, latched: EAX
pit_read:
    xor eax, eax
    out 0x43, al
    in al, 0x40
    mov ah, al
    in al, 0x40
    xchg al, ah
    ret

; RTC register AL as two hex digits
rtc_show:
    out 0x70, al
    in al, 0x71
    push eax
    shr al, 4
    call hex_digit
    pop eax
    and al, 15
    call hex_digit
    ret

hex_digit:                       ; AL = 0..15
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '0' - 10
.out:
    jmp serial_putc

irq_pit:
    push eax
    inc dword [pit_ticks]
    mov al, 0x20
    out 0x20, al
    pop eax
    iretd

irq_lapic:
    inc dword [lapic_ticks]
    mov dword [APIC + 0xb0], 0
    iretd

irq_spurious:
    iretd

section .data
msg_rtc: db "rtc ", 0
