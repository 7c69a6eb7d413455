; hello: serial output and debug-exit.
%include "guest.inc"
main:
    PRINT "hello from a multiboot guest"
    ret
