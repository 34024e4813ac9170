/* Exact integer arithmetic shared by the money paths: a 128-bit type for
 * products of two int64 values, overflow-checked adds, and division
 * rounded half away from zero (RULES.md §6). No floating point. */
#ifndef SMGI_ARITH_H
#define SMGI_ARITH_H

#include <stdint.h>

#if defined(__SIZEOF_INT128__)
__extension__ typedef __int128 smgi_i128;
#else
#error "a compiler with __int128 (GCC, Clang) is needed for exact money"
#endif

/* dst += v; nonzero when it overflows (dst is then wrapped: discard it). */
#define SMGI_ADD_OVF(dst, v) __builtin_add_overflow((dst), (v), &(dst))
#define SMGI_SUB_OVF(dst, v) __builtin_sub_overflow((dst), (v), &(dst))
#define SMGI_MUL_OVF(a, b, out) __builtin_mul_overflow((a), (b), (out))

/* num / den (den != 0) rounded half away from zero, into int64.
 * 0, or -1 when the quotient does not fit. */
static inline int smgi_div_round(smgi_i128 num, smgi_i128 den, int64_t *out)
{
    smgi_i128 q, r;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    q = num / den;
    r = num % den;
    if ((r < 0 ? -r : r) * 2 >= den)
        q += num < 0 ? -1 : 1;
    if (q > INT64_MAX || q <= INT64_MIN)
        return -1;
    *out = (int64_t)q;
    return 0;
}

#endif
