/* Exact money: decimal text <-> int64 minor units, and rounding of
 * products and quotients half away from zero. No floating point. */
#include "money.h"

#include <string.h>

#include "salesmgmt/money.h"

int smgi_decimal_parse(const char *s, size_t len, int scale, int64_t *out)
{
    size_t i = 0;
    int neg = 0, frac = 0, intdigits = 0;
    uint64_t v = 0, limit;
    if (!s || !out)
        return SMG_EINVAL;
    if (i < len && s[i] == '-') {
        neg = 1;
        i++;
    }
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, intdigits++) {
        if (v > (limit - (uint64_t)(s[i] - '0')) / 10)
            return SMG_ERANGE;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (!intdigits)
        return SMG_EPARSE;
    if (i < len && s[i] == '.') {
        i++;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (++frac > scale)
                return SMG_EPARSE;
            if (v > (limit - (uint64_t)(s[i] - '0')) / 10)
                return SMG_ERANGE;
            v = v * 10 + (uint64_t)(s[i] - '0');
        }
        if (!frac)
            return SMG_EPARSE;
    }
    if (i != len)
        return SMG_EPARSE;
    for (; frac < scale; frac++) {
        if (v > limit / 10)
            return SMG_ERANGE;
        v *= 10;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    /* INT64_MIN is SMG_MONEY_NONE: not a value anyone may enter */
    if (*out == INT64_MIN)
        return SMG_ERANGE;
    return 0;
}

int smgi_money_parse_n(const char *s, size_t len, int64_t *out)
{
    return smgi_decimal_parse(s, len, 2, out);
}

int smg_money_parse(smg_money *out, const char *s)
{
    if (!s || !out)
        return SMG_EINVAL;
    return smgi_decimal_parse(s, strlen(s), 2, out);
}

int smg_money_format(char *buf, size_t len, smg_money m)
{
    char tmp[32];
    size_t n = 0, i;
    uint64_t v;
    if (m == SMG_MONEY_NONE)
        return SMG_EINVAL;
    v = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
    /* digits backwards: two decimals, the point, then at least one digit */
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
    tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (m < 0)
        tmp[n++] = '-';
    if (!buf || len < n + 1)
        return SMG_ERANGE;
    for (i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return (int)n;
}

#include "arith.h"

typedef smgi_i128 i128;

int smgi_muldiv_round(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    if (c == 0)
        return SMG_EINVAL;
    return smgi_div_round((i128)a * b, c, out) ? SMG_ERANGE : 0;
}

int smg_money_muldiv(smg_money *out, smg_money m, int64_t num, int64_t den)
{
    if (!out)
        return SMG_EINVAL;
    return smgi_muldiv_round(m, num, den, out);
}
