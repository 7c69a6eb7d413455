; simd_exceptions: SSE floating-point exceptions (SDM vol 1, 11.5; vol 3,
; 13.1): masked exceptions set MXCSR flags and give the masked result (ZE,
; IE with the default NaN, OE, UE only when inexact, DE, DAZ, FTZ; CVTSS2SI
; integer indefinite; COMISS/CMPLTPS signal on a QNaN, UCOMISS/CMPEQPS do
; not); precedence in a lane (a NaN operand or an invalid operation hides
; DE; DE comes with UE/PE); flags are sticky; LDMXCSR with a reserved bit
; is #GP(0).
; Unmasked (CR4.OSXMMEXCPT = 1): #XM at the instruction, the destination
; (all lanes, or the GPR) unchanged, scalar and packed, register and memory
; sources, for each of IE, DE, ZE, OE, UE, PE; an unmasked pre-computation
; exception (IE/DE/ZE) in one lane reports only pre-computation flags (not
; another lane's PE), a masked one in one lane and an unmasked PE in another
; report both; UE unmasked faults on an exact tiny result; MAXPS on a QNaN,
; SQRTPD, ADDSD overflow, CVTSD2SS/CVTSI2SS inexact, ROUNDSS (PE unless imm
; bit 3 suppresses it), CVTTPD2DQ on a NaN, COMISS on a QNaN (EFLAGS
; unchanged; UCOMISS does not fault). A flag already
; set with its mask clear (LDMXCSR) raises nothing by itself. With
; CR4.OSXMMEXCPT = 0 the same exception is #UD, the flag still set.
; Priority: #NM (CR0.TS), #GP (a misaligned 16-byte operand) and #PF on the
; memory source come before any SIMD exception: MXCSR and the destination
; unchanged.
;
; Expected flags come from the SDM and were checked on an x86-64 host (user
; mode, SIGFPE) and under Bochs. An unmasked OE or UE is reported alone,
; without PE (no result is rounded; host and Bochs agree). Not compared: DE
; for a denormal divided by zero (the host reports ZE alone), the x87-to-MMX
; transition of CVTPS2PI when it raises #XM (the AMD host and Bochs make it;
; the SDM does not say).
;
; Not tested under QEMU (Petrel only, quirks.inc): everything unmasked
; (QEMU 7.2 TCG never raises #XM, nor #UD for OSXMMEXCPT = 0: it gives the
; masked result and sets the flags); DE for a denormal operand (QEMU never
; sets it); LDMXCSR with a reserved bit (QEMU loads it without #GP). The
; whole program, unmasked parts included, passes under Bochs 2.7
; (tests/guest/run-bochs).
%include "guest.inc"
%include "paging.inc"
%include "quirks.inc"

CR0_MP equ 1 << 1
CR0_EM equ 1 << 2
CR0_TS equ 1 << 3
CR0_NE equ 1 << 5
CR4_OSFXSR     equ 1 << 9
CR4_OSXMMEXCPT equ 1 << 10

; MXCSR
IE equ 0x01
DE equ 0x02
ZE equ 0x04
OE equ 0x08
UE equ 0x10
PE equ 0x20
IM equ 0x80
DM equ 0x100
ZM equ 0x200
OM equ 0x400
UM equ 0x800
PM equ 0x1000
MASKS equ 0x1f80
DAZ equ 0x40
FTZ equ 0x8000

ONE   equ 0x3f800000
TWO   equ 0x40000000
THREE equ 0x40400000
MAXF  equ 0x7f7fffff
MINN  equ 0x00800000            ; smallest normal
DEN   equ 0x00400000            ; a denormal
NEG_DEN equ 0x80400000
HALF  equ 0x3f000000
JUST_UNDER_HALF equ 0x3effffff
INF   equ 0x7f800000
QNAN  equ 0x7fc00000
DEFNAN equ 0xffc00000           ; the default (indefinite) NaN
NEG1  equ 0xbf800000
THIRD equ 0x3eaaaaab            ; 1/3 rounded to nearest

NP_PAGE equ 0x300000            ; not present in the paging section

section .data
align 16
v_one:    dd ONE, ONE, ONE, ONE
v_1101:   dd ONE, ONE, 0, ONE
v_0311:   dd 0, THREE, ONE, ONE
v_max:    dd MAXF, ONE, ONE, ONE
v_minn:   dd MINN, ONE, ONE, ONE
v_half:   dd HALF, ONE, ONE, ONE
v_juh:    dd JUST_UNDER_HALF, ONE, ONE, ONE
v_den:    dd DEN, ONE, ONE, ONE
v_neg1:   dd NEG1, ONE, ONE, ONE
v_qnan:   dd QNAN, ONE, ONE, ONE
v_zero:   dd 0, 0, 0, 0
v_three:  dd THREE, THREE, THREE, THREE
v_init:   dd 0x11111111, 0x22222222, 0x33333333, 0x44444444
v_big:    dd 0x501502f9, ONE, ONE, ONE    ; 1e10
v_1p5:    dd 0x3fc00000, ONE, ONE, ONE    ; 1.5
d_neg1:   dq 0xbff0000000000000, 0x3ff0000000000000
d_max:    dq 0x7fefffffffffffff, 0x3ff0000000000000
d_tenth:  dq 0x3fb999999999999a, 0
d_qnan:   dq 0x7ff8000000000000, 0x3ff0000000000000
; expected results
x_1101:   dd ONE, ONE, INF, ONE
x_ss00:   dd DEFNAN, 0x22222222, 0x33333333, 0x44444444
x_ovf:    dd INF, TWO, TWO, TWO
x_exact:  dd DEN, ONE, ONE, ONE
x_den1:   dd ONE, TWO, TWO, TWO
x_ftz:    dd 0, ONE, ONE, ONE
x_third:  dd THIRD, THIRD, THIRD, THIRD
x_sqrt:   dd DEFNAN, 0x22222222, 0x33333333, 0x44444444
x_cmplt:  dd 0, 0, 0, 0
p_a:      dd 0, ONE, ONE, ONE
p_b:      dd 0, ONE, ONE, ONE
mx:       dd 0
xout:     dd 0, 0, 0, 0
          dd 0, 0, 0, 0, 0, 0, 0, 0
section .text

%macro SETMX 1
    mov dword [mx], %1
    ldmxcsr [mx]
%endmacro
; EAX = MXCSR flags (bits 0-5)
%macro MXFLAGS 0
    stmxcsr [mx]
    mov eax, [mx]
    and eax, 0x3f
%endmacro
; CHECKX xmm, expected (4 dwords), "what": every lane
%macro CHECKX 3
    movups [xout], %1
    CHECK [xout], [%2], {%3, ": lane 0"}
    CHECK [xout + 4], [%2 + 4], {%3, ": lane 1"}
    CHECK [xout + 8], [%2 + 8], {%3, ": lane 2"}
    CHECK [xout + 12], [%2 + 12], {%3, ": lane 3"}
%endmacro
%macro CHECKMX 2
    MXFLAGS
    CHECK eax, %1, {%2, ": MXCSR flags"}
%endmacro
%macro CR_SET 2
    mov eax, %1
    or eax, %2
    mov %1, eax
%endmacro
%macro CR_CLR 2
    mov eax, %1
    and eax, ~(%2)
    mov %1, eax
%endmacro

; XM_TEST mxcsr, dst-init (4 dwords), "what", instruction: xmm0 = dst-init,
; then the instruction must raise #XM at itself with xmm0 unchanged.
%macro XM_TEST 4+
    SETMX %1
    movaps xmm0, [%2]
    EXPECT_EXC 19, %%xm
%%insn:
    %4
    FAILMSG "no #XM: ", %3
%%xm:
    CHECK [exc_vector], 19, {%3, ": vector"}
    CHECK [exc_eip], %%insn, {%3, ": EIP"}
    CHECKX xmm0, %2, {%3, ": destination unchanged"}
%endmacro

; PREC_CASE op, lane-0 a, lane-0 b, flags, "what": op xmm0=a, [b] with
; every exception masked (other lanes 1.0 op 1.0: exact)
%macro PREC_CASE 5
    mov dword [p_a], %2
    mov dword [p_b], %3
    SETMX MASKS
    movaps xmm0, [p_a]
    %1 xmm0, [p_b]
    CHECKMX %4, {"masked ", %5}
%endmacro

main:
    call detect_qemu_tcg
    CR_CLR cr0, CR0_EM | CR0_TS
    CR_SET cr0, CR0_MP | CR0_NE
    CR_SET cr4, CR4_OSFXSR | CR4_OSXMMEXCPT

    ; ---- masked exceptions: flags and masked results ----
    SETMX MASKS
    movaps xmm0, [v_one]
    divps xmm0, [v_1101]
    CHECKX xmm0, x_1101, "masked DIVPS by zero in lane 2"
    CHECKMX ZE, "masked DIVPS by zero"
    SETMX MASKS
    movaps xmm0, [v_init]
    xorps xmm1, xmm1
    movss xmm0, xmm1
    divss xmm0, xmm1                        ; 0/0
    movaps xmm3, [v_init]
    movss xmm3, xmm0
    CHECKX xmm3, x_ss00, "masked DIVSS 0/0: default NaN"
    movups [xout], xmm0
    CHECK [xout + 4], 0x22222222, "masked DIVSS 0/0: lane 1 kept"
    CHECK [xout + 12], 0x44444444, "masked DIVSS 0/0: lane 3 kept"
    CHECKMX IE, "masked DIVSS 0/0"
    SETMX MASKS
    movaps xmm0, [v_max]
    addps xmm0, [v_max]
    CHECKX xmm0, x_ovf, "masked overflow: +inf"
    CHECKMX OE | PE, "masked overflow"
    SETMX MASKS
    movaps xmm0, [v_minn]
    mulps xmm0, [v_half]
    CHECKX xmm0, x_exact, "masked exact underflow: the denormal"
    CHECKMX 0, "masked exact underflow (UE only when inexact)"
    SETMX MASKS
    movaps xmm0, [v_minn]
    mulps xmm0, [v_juh]
    CHECKMX UE | PE, "masked inexact underflow"
    SETMX MASKS | FTZ
    movaps xmm0, [v_minn]
    mulps xmm0, [v_juh]
    CHECKX xmm0, x_ftz, "masked inexact underflow with FTZ: +0"
    CHECKMX UE | PE, "masked inexact underflow with FTZ"
    ; QEMU 7.2 TCG never sets DE (denormal operand): Petrel only.
    SKIP_UNDER_QEMU .no_de
    SETMX MASKS
    movaps xmm0, [v_den]
    addps xmm0, [v_one]
    CHECKMX DE | PE, "masked denormal operand (DEN + 1)"
    ; precedence within one lane: a NaN operand or an invalid operation
    ; hides DE; DE comes with the post-computation flags
    PREC_CASE addps, 0x7fc00000, DEN, 0, "QNaN + DEN"
    PREC_CASE addps, DEN, 0xff800000, DE, "DEN + -inf"
    PREC_CASE mulps, 0, DEN, DE, "0 * DEN"
    PREC_CASE divps, DEN, MAXF, DE | UE | PE, "DEN / MAX"
    PREC_CASE divps, INF, DEN, DE, "inf / DEN"
    PREC_CASE sqrtps, NEG_DEN, NEG_DEN, IE, "SQRTPS -DEN"
.no_de:
    PREC_CASE addps, 0x7f800001, DEN, IE, "SNaN + DEN"
    PREC_CASE addps, INF, 0xff800000, IE, "inf + -inf"
    PREC_CASE mulps, INF, 0, IE, "inf * 0"
    SETMX MASKS | DAZ
    movaps xmm0, [v_den]
    addps xmm0, [v_one]
    CHECKX xmm0, x_den1, "DAZ: DEN + 1 = 1"
    CHECKMX 0, "DAZ: DEN + 1 (no DE, exact)"
    SETMX MASKS | DAZ
    movaps xmm0, [v_one]
    divps xmm0, [v_den]
    CHECKMX ZE, "DAZ: 1 / DEN is a zero divide"
    SETMX MASKS
    movaps xmm0, [v_init]
    sqrtss xmm0, [v_neg1]
    CHECKX xmm0, x_sqrt, "masked SQRTSS -1: default NaN"
    CHECKMX IE, "masked SQRTSS -1"
    SETMX MASKS
    movaps xmm0, [v_one]
    divps xmm0, [v_three]
    CHECKX xmm0, x_third, "masked inexact 1/3"
    CHECKMX PE, "masked inexact 1/3"
    SETMX MASKS
    mov eax, 0x12345678
    cvtss2si eax, [v_qnan]
    CHECK eax, 0x80000000, "masked CVTSS2SI NaN: integer indefinite"
    CHECKMX IE, "masked CVTSS2SI NaN"
    SETMX MASKS
    cvttss2si eax, [v_big]
    CHECK eax, 0x80000000, "masked CVTTSS2SI 1e10: integer indefinite"
    CHECKMX IE, "masked CVTTSS2SI 1e10"
    SETMX MASKS
    movaps xmm0, [v_qnan]
    ucomiss xmm0, [v_one]
    CHECKMX 0, "UCOMISS QNaN"
    comiss xmm0, [v_one]
    CHECKMX IE, "COMISS QNaN"
    SETMX MASKS
    movaps xmm0, [v_qnan]
    cmpeqps xmm0, [v_one]
    CHECKMX 0, "CMPEQPS QNaN"
    movaps xmm0, [v_qnan]
    cmpltps xmm0, [v_one]
    CHECKX xmm0, x_cmplt, "CMPLTPS QNaN: false"
    CHECKMX IE, "CMPLTPS QNaN"
    movaps xmm0, [v_one]
    addps xmm0, [v_one]
    CHECKMX IE, "flags are sticky"
    ; QEMU 7.2 TCG loads reserved MXCSR bits without #GP: Petrel only.
    SKIP_UNDER_QEMU .ldmx_done
    mov dword [mx], MASKS | 0x10000
    EXPECT_EXC 13, .ldmx_gp
.ldmx_insn:
    ldmxcsr [mx]
    FAILMSG "no #GP for LDMXCSR with bit 16 set"
.ldmx_gp:
    CHECK [exc_error], 0, "LDMXCSR reserved bit: #GP error"
    CHECK [exc_eip], .ldmx_insn, "LDMXCSR reserved bit: EIP"
    CHECKMX IE, "LDMXCSR #GP leaves MXCSR"
.ldmx_done:
    PRINT "simd_exceptions: masked flags and results ok"

    ; ---- a set flag with its mask clear raises nothing by itself ----
    SETMX (MASKS & ~ZM) | ZE
    movaps xmm0, [v_one]
    addps xmm0, [v_one]
    CHECKMX ZE, "unmasked ZE flag already set, exception-free ADDPS"

    ; ---- priority: #NM, #GP, #PF before any SIMD exception ----
    SETMX MASKS & ~(ZM | PM)
    movaps xmm0, [v_init]
    CR_SET cr0, CR0_TS
    EXPECT_EXC 7, .nm
.nm_insn:
    divps xmm0, [v_1101]
    FAILMSG "no #NM for DIVPS with CR0.TS"
.nm:
    clts
    CHECK [exc_eip], .nm_insn, "#NM before #XM: EIP"
    CHECKMX 0, "#NM before #XM"
    CHECKX xmm0, v_init, "#NM before #XM: destination"
    EXPECT_EXC 13, .gp
.gp_insn:
    divps xmm0, [v_1101 + 4]
    FAILMSG "no #GP for a misaligned DIVPS operand"
.gp:
    CHECK [exc_eip], .gp_insn, "#GP before #XM: EIP"
    CHECK [exc_error], 0, "#GP before #XM: error"
    CHECKMX 0, "#GP before #XM"
    CHECKX xmm0, v_init, "#GP before #XM: destination"
    call build_32_identity
    and dword [PT32_ADDR + (NP_PAGE >> 12)*4], ~PT_P
    mov eax, PD32_ADDR
    mov cr3, eax
    CR_SET cr0, 0x80000000
    EXPECT_EXC 14, .pf
.pf_insn:
    divps xmm0, [NP_PAGE + 0x20]
    FAILMSG "no #PF for DIVPS from a not-present page"
.pf:
    CR_CLR cr0, 0x80000000
    CHECK [exc_eip], .pf_insn, "#PF before #XM: EIP"
    CHECK [exc_cr2], NP_PAGE + 0x20, "#PF before #XM: CR2"
    CHECK [exc_error], 0, "#PF before #XM: error"
    CHECKMX 0, "#PF before #XM"
    CHECKX xmm0, v_init, "#PF before #XM: destination"
    PRINT "simd_exceptions: #NM, #GP, #PF before SIMD exceptions ok"

    ; ---- unmasked: #XM (Petrel only; QEMU 7.2 TCG never raises #XM) ----
    SKIP_UNDER_QEMU .no_xm
    movaps xmm1, [v_1101]
    XM_TEST MASKS & ~ZM, v_one, "DIVPS xmm, zero in lane 2, ZM=0", divps xmm0, xmm1
    CHECKMX ZE, "DIVPS xmm, zero in lane 2, ZM=0"
    XM_TEST MASKS & ~ZM, v_one, "DIVPS mem, zero in lane 2, ZM=0", divps xmm0, [v_1101]
    CHECKMX ZE, "DIVPS mem, zero in lane 2, ZM=0"
    XM_TEST MASKS & ~ZM, v_init, "DIVSS by zero, ZM=0", divss xmm0, [v_zero]
    CHECKMX ZE, "DIVSS by zero, ZM=0"
    XM_TEST MASKS & ~ZM, v_one, "lane 0 ZE unmasked, lane 1 PE masked", divps xmm0, [v_0311]
    CHECKMX ZE, "lane 0 ZE unmasked, lane 1 PE masked (no post-computation flag)"
    XM_TEST MASKS & ~PM, v_one, "lane 0 ZE masked, lane 1 PE unmasked", divps xmm0, [v_0311]
    CHECKMX ZE | PE, "lane 0 ZE masked, lane 1 PE unmasked"
    XM_TEST MASKS & ~IM, v_init, "SQRTSS -1, IM=0", sqrtss xmm0, [v_neg1]
    CHECKMX IE, "SQRTSS -1, IM=0"
    XM_TEST MASKS & ~IM, v_qnan, "CMPLTPS QNaN, IM=0", cmpltps xmm0, [v_one]
    CHECKMX IE, "CMPLTPS QNaN, IM=0"
    XM_TEST MASKS & ~DM, v_den, "ADDPS denormal, DM=0", addps xmm0, [v_one]
    CHECKMX DE, "ADDPS denormal, DM=0 (no PE: pre-computation)"
    XM_TEST MASKS & ~OM, v_max, "ADDPS overflow, OM=0", addps xmm0, [v_max]
    CHECKMX OE, "ADDPS overflow, OM=0 (OE alone: no result, no PE)"
    XM_TEST MASKS & ~(OM | PM), v_max, "ADDPS overflow, OM=PM=0", addps xmm0, [v_max]
    CHECKMX OE, "ADDPS overflow, OM=PM=0"
    XM_TEST MASKS & ~UM, v_minn, "MULPS exact underflow, UM=0", mulps xmm0, [v_half]
    CHECKMX UE, "MULPS exact underflow, UM=0"
    XM_TEST MASKS & ~UM, v_minn, "MULPS inexact underflow, UM=0", mulps xmm0, [v_juh]
    CHECKMX UE, "MULPS inexact underflow, UM=0 (UE alone)"
    XM_TEST MASKS & ~PM, v_one, "DIVPS 1/3, PM=0", divps xmm0, [v_three]
    CHECKMX PE, "DIVPS 1/3, PM=0"
    XM_TEST MASKS & ~IM, v_qnan, "MAXPS QNaN, IM=0", maxps xmm0, [v_one]
    CHECKMX IE, "MAXPS QNaN, IM=0"
    XM_TEST MASKS & ~IM, v_init, "SQRTPD -1, IM=0", sqrtpd xmm0, [d_neg1]
    CHECKMX IE, "SQRTPD -1, IM=0"
    XM_TEST MASKS & ~OM, d_max, "ADDSD overflow, OM=0", addsd xmm0, [d_max]
    CHECKMX OE, "ADDSD overflow, OM=0"
    XM_TEST MASKS & ~PM, v_init, "CVTSD2SS 0.1, PM=0", cvtsd2ss xmm0, [d_tenth]
    CHECKMX PE, "CVTSD2SS 0.1, PM=0"
    mov eax, 0x7fffffff
    XM_TEST MASKS & ~PM, v_init, "CVTSI2SS 0x7fffffff, PM=0", cvtsi2ss xmm0, eax
    CHECKMX PE, "CVTSI2SS 0x7fffffff, PM=0"
    XM_TEST MASKS & ~PM, v_init, "ROUNDSS 1.5 (PE not suppressed), PM=0", roundss xmm0, [v_1p5], 0
    CHECKMX PE, "ROUNDSS 1.5, PM=0"
    SETMX MASKS & ~PM
    movaps xmm0, [v_init]
    roundss xmm0, [v_1p5], 8                ; imm bit 3: precision suppressed
    CHECKMX 0, "ROUNDSS 1.5 with imm bit 3, PM=0: no exception"
    movd eax, xmm0
    CHECK eax, TWO, "ROUNDSS 1.5 with imm bit 3: 2.0"
    XM_TEST MASKS & ~IM, v_init, "CVTTPD2DQ NaN, IM=0", cvttpd2dq xmm0, [d_qnan]
    CHECKMX IE, "CVTTPD2DQ NaN, IM=0"
    ; COMISS: EFLAGS is the destination
    SETMX MASKS & ~IM
    movaps xmm0, [v_qnan]
    EXPECT_EXC 19, .comiss
    xor eax, eax                            ; ZF=1 PF=1 CF=0
.comiss_insn:
    comiss xmm0, [v_one]
    FAILMSG "no #XM for COMISS QNaN with IM=0"
.comiss:
    CHECK [exc_eip], .comiss_insn, "COMISS QNaN, IM=0: EIP"
    CHECKF [exc_eflags], F_ZF | F_PF | F_CF, F_ZF | F_PF, "COMISS QNaN, IM=0: EFLAGS unchanged"
    CHECKMX IE, "COMISS QNaN, IM=0"
    SETMX MASKS & ~IM
    movaps xmm0, [v_qnan]
    xor eax, eax
    ucomiss xmm0, [v_one]                   ; QNaN: no exception, unordered
    pushfd
    pop eax
    CHECKF eax, F_ZF | F_PF | F_CF, F_ZF | F_PF | F_CF, "UCOMISS QNaN, IM=0: unordered"
    CHECKMX 0, "UCOMISS QNaN, IM=0"
    ; CVTSS2SI: the GPR is the destination
    SETMX MASKS & ~IM
    mov eax, 0x12345678
    EXPECT_EXC 19, .cvt
.cvt_insn:
    cvtss2si eax, [v_qnan]
    FAILMSG "no #XM for CVTSS2SI NaN with IM=0"
.cvt:
    CHECK [exc_eip], .cvt_insn, "CVTSS2SI NaN, IM=0: EIP"
    CHECK eax, 0x12345678, "CVTSS2SI NaN, IM=0: EAX unchanged"
    CHECKMX IE, "CVTSS2SI NaN, IM=0"
    ; no exception, no fault, whatever the masks
    SETMX 0
    movaps xmm0, [v_qnan]
    cmpeqps xmm0, [v_one]
    movaps xmm0, [v_one]
    addps xmm0, [v_one]
    CHECKMX 0, "CMPEQPS QNaN and 1+1 with every exception unmasked"
    ; the flag set before (LDMXCSR) does not fault; a new exception does
    SETMX (MASKS & ~ZM) | ZE
    XM_TEST (MASKS & ~ZM) | ZE, v_one, "DIVPS by zero after a stale ZE", divps xmm0, [v_1101]
    CHECKMX ZE, "DIVPS by zero after a stale ZE"
    ; CR4.OSXMMEXCPT = 0: #UD instead, the flag still set
    CR_CLR cr4, CR4_OSXMMEXCPT
    SETMX MASKS & ~ZM
    movaps xmm0, [v_one]
    EXPECT_EXC 6, .ud
.ud_insn:
    divps xmm0, [v_1101]
    FAILMSG "no #UD for an unmasked SIMD exception with CR4.OSXMMEXCPT=0"
.ud:
    CHECK [exc_eip], .ud_insn, "OSXMMEXCPT=0: #UD EIP"
    CHECKX xmm0, v_one, "OSXMMEXCPT=0: destination unchanged"
    CHECKMX ZE, "OSXMMEXCPT=0"
    SETMX MASKS
    movaps xmm0, [v_one]
    divps xmm0, [v_1101]
    CHECKMX ZE, "OSXMMEXCPT=0, masked: no fault"
    CR_SET cr4, CR4_OSXMMEXCPT
    PRINT "simd_exceptions: unmasked #XM / #UD ok"
    jmp .done
.no_xm:
    PRINT "simd_exceptions: QEMU TCG: unmasked exceptions (#XM, #UD) not checked"
.done:
    SETMX MASKS
    ret
