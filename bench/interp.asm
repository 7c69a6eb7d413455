; bench/interp.asm — interpreter throughput: a loop of typical integer code
; run ITERS times (nasm -DITERS=N). Multiboot guest in tests/guest style;
; exits through isa-debug-exit with value 0. BODY_INSNS below is the static
; count of instructions executed per iteration, including the call/ret pair
; and the loop branch; keep it in step with the loop.
%include "guest.inc"

%ifndef ITERS
%define ITERS 10000000
%endif

main:
    PRINT "interp: start"
    mov ecx, ITERS
    xor esi, esi
    mov edi, buf
    mov ebx, 0x9e3779b9
    test ecx, ecx
    jz .done
.loop:                          ; BODY_INSNS = 24
    mov eax, ecx                ;  1
    imul eax, eax, 13           ;  2
    add eax, ebx                ;  3
    xor eax, esi                ;  4
    shl eax, 3                  ;  5
    mov edx, eax                ;  6
    and edx, 63                 ;  7
    mov [edi + edx*4], eax      ;  8
    add esi, [edi + 8]          ;  9
    lea ebp, [esi + ecx*2 + 7]  ; 10
    sub ebp, eax                ; 11
    cmp ebp, esi                ; 12
    jb .skip                    ; 13
    inc esi                     ; 14 (taken or not, the path is 16 insns)
    jmp .join                   ; 15
.skip:
    dec esi                     ; 14
    nop                         ; 15
.join:
    push eax                    ; 16
    call .leaf                  ; 17  (+ 3 in .leaf: 18 19 20)
    pop eax                     ; 21
    ror ebx, 5                  ; 22
    dec ecx                     ; 23
    jnz .loop                   ; 24
.done:
    PRINT "interp: done"
    ret
.leaf:
    mov edx, [esp + 4]          ; 18
    xor edx, ebx                ; 19
    ret                         ; 20

section .bss
alignb 64
buf: resd 64
