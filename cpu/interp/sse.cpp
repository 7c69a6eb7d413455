// MMX/SSE family registration: one register_* per file (sse_common.h).
#include "cpu/interp/sse_common.h"

namespace petrel {

void register_sse(HandlerTable& t) {
    register_sse_moves(t);
    register_sse_int_arith(t);
    register_sse_compare(t);
    register_sse_shuffle(t);
    register_sse_control(t);
    register_sse_float(t);
    register_sse_convert(t);
    register_sse_string(t);
    register_sse_aes(t);
    register_sse_clmul(t);
    register_mmx(t);
}

}  // namespace petrel
