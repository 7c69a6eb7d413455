%include "guest.inc"
main:
    ret
