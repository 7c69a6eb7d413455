// Recurring mandatory-prefix patterns of the MMX/SSE maps, as variable
// templates over the operation ids, so a table row reads like the SDM's
// opcode map cell: kPqVx<Op::PADDB> is "PADDB Pq,Qq | 66: PADDB Vx,Wx".
#pragma once
#include "cpu/decoder/operand_codes.h"

namespace petrel::decoder {

// no prefix: Pq, Qq (MMX); 66: Vx, Wx (SSE2)
template <Op kOp>
inline constexpr Row kPqVx[] = {{.key = 0, .op = kOp, .o = {Pq, Qq}}, {.key = 1, .op = kOp, .o = {Vx, Wx}}};
// the same, but the MMX form reads a dword from memory (PUNPCKLxx)
template <Op kOp>
inline constexpr Row kPdVx[] = {{.key = 0, .op = kOp, .o = {Pq, Qd}}, {.key = 1, .op = kOp, .o = {Vx, Wx}}};
// the same with an imm8 (PALIGNR)
template <Op kOp>
inline constexpr Row kPqVxIb[] = {{.key = 0, .op = kOp, .o = {Pq, Qq, Ib}}, {.key = 1, .op = kOp, .o = {Vx, Wx, Ib}}};
// 66 only: Vx, Wx
template <Op kOp>
inline constexpr Row kVx66[] = {{.key = 1, .op = kOp, .o = {Vx, Wx}}};
// 66 only: Vx, Wx, Ib
template <Op kOp>
inline constexpr Row kVx66Ib[] = {{.key = 1, .op = kOp, .o = {Vx, Wx, Ib}}};
// 66 only: Vx, Wx with a narrower memory read (PMOVSX/PMOVZX)
template <Op kOp, Sz kMem>
inline constexpr Row kVx66M[] = {{.key = 1, .op = kOp, .o = {Vx, Opd{Am::W, kMem}}}};
// no prefix: packed single; 66: packed double
template <Op kPs, Op kPd>
inline constexpr Row kPsPd[] = {{.key = 0, .op = kPs, .o = {Vps, Wps}}, {.key = 1, .op = kPd, .o = {Vpd, Wpd}}};
// packed single / packed double / scalar single / scalar double
template <Op kPs, Op kPd, Op kSs, Op kSd>
inline constexpr Row kArith[] = {
    {.key = 0, .op = kPs, .o = {Vps, Wps}}, {.key = 1, .op = kPd, .o = {Vpd, Wpd}},
    {.key = 2, .op = kSs, .o = {Vx, Wss}}, {.key = 3, .op = kSd, .o = {Vx, Wsd}},
};

}  // namespace petrel::decoder
