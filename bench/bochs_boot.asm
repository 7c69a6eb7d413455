; bench/bochs_boot.asm — floppy boot sector that starts a multiboot guest
; (tests/guest style, linked at 1 MiB) under Bochs, which cannot load
; multiboot kernels itself. Built by bench/interp with nasm -f bin and:
;   -DSECTORS=n      512-byte sectors of flat image after this one (<= 1024)
;   -DLOAD_ADDR=a    the image's link address (the lowest PT_LOAD address)
;   -DENTRY=e        the ELF entry point (_start)
; The flat image follows this sector on the floppy; bench/interp makes it
; from the ELF's PT_LOAD segments, with .bss as zeros, so copying it is all
; the loading there is.
;
; Real mode at 0x7c00: read the image one sector at a time with INT 13h
; AH=02 (CHS, 1.44 MB geometry) to 0x10000 upwards (a single sector never
; crosses a 64 KiB DMA boundary), enable A20 through port 0x92, enter 32-bit
; protected mode with a flat GDT, copy the image to LOAD_ADDR and jump to
; ENTRY in the multiboot machine state: EAX = 0x2BADB002, EBX = a zeroed
; multiboot info structure (flags 0: no fields valid; guest.inc only checks
; EAX), CS/DS/ES/FS/GS/SS flat 4 GiB, paging off, IF = 0.

%ifndef SECTORS
%error "SECTORS not defined"
%endif

BUF_SEG   equ 0x1000          ; image read to 0x10000 .. 0x10000 + SECTORS*512
MBI_ADDR  equ 0x9000          ; zeroed multiboot info (0x58 bytes)
SPT       equ 18              ; 1.44 MB floppy: 18 sectors/track, 2 heads

%if SECTORS > 1024
%error "image too big for the low-memory buffer"
%endif

bits 16
org 0x7c00
start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    jmp 0:.cs0                  ; CS = 0 whatever the BIOS used
.cs0:
    sti
    mov [drive], dl
    mov word [lba], 1
    mov word [seg_], BUF_SEG
.read:
    mov ax, [lba]
    cmp ax, SECTORS + 1
    jae .loaded
    xor dx, dx
    mov bx, SPT
    div bx                      ; ax = lba / 18 (track), dx = lba % 18
    mov cl, dl
    inc cl                      ; sector 1..18
    mov dh, al
    and dh, 1                   ; head = track & 1
    shr ax, 1
    mov ch, al                  ; cylinder = track >> 1
    mov dl, [drive]
    mov es, [seg_]
    xor bx, bx
    mov di, 3                   ; tries
.try:
    mov ax, 0x0201
    int 0x13
    jnc .ok
    xor ax, ax                  ; reset the drive and retry
    int 0x13
    dec di
    jnz .try
    mov si, msg_disk
    jmp die
.ok:
    inc word [lba]
    add word [seg_], 512 / 16
    jmp .read
.loaded:
    cli
    in al, 0x92                 ; fast A20, no reset
    or al, 2
    and al, 0xfe
    out 0x92, al
    lgdt [gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp 0x08:pm32

die:                            ; SI = message, through the BIOS teletype
    lodsb
    test al, al
    jz .hang
    mov ah, 0x0e
    xor bx, bx
    int 0x10
    jmp die
.hang:
    cli
    hlt
    jmp .hang

bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, 0x7c00
    cld
    mov esi, BUF_SEG * 16
    mov edi, LOAD_ADDR
    mov ecx, SECTORS * 512 / 4
    rep movsd
    mov edi, MBI_ADDR
    xor eax, eax
    mov ecx, 0x58 / 4
    rep stosd
    mov ebx, MBI_ADDR
    mov eax, 0x2BADB002
    jmp 0x08:ENTRY

align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff       ; 0x08 code32 flat
    dq 0x00cf92000000ffff       ; 0x10 data32 flat
gdtr:
    dw gdtr - gdt - 1
    dd gdt

drive: db 0
lba:   dw 0
seg_:  dw 0
msg_disk: db "bochs_boot: disk read error", 0

    times 510 - ($ - $$) db 0
    dw 0xaa55
