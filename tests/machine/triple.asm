; triple: prints a line, then triple-faults (an IDT with limit 0 makes INT3
; a #GP, then #DF, then shutdown). With -no-reboot the emulator must exit 0
; with a message; without it the machine resets and the program runs again.
%include "guest.inc"
main:
    PRINT "triple: booted"
    lidt [empty_idtr]
    int3
    FAILMSG "survived a triple fault"

section .data
empty_idtr:
    dw 0
    dd 0
