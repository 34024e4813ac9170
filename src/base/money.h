/* Exact decimal parsing into scaled integers, shared by money (scale 2)
 * and the policy's rates and shares (scale 6). */
#ifndef SMGI_MONEY_H
#define SMGI_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Parse s[0..len) as [-]digits[.digits] with at most `scale` fraction
 * digits (scale 0: an integer), into value × 10^scale.
 * 0, SMG_EPARSE or SMG_ERANGE (overflow). */
int smgi_decimal_parse(const char *s, size_t len, int scale, int64_t *out);
/* Money (scale 2) from s[0..len). */
int smgi_money_parse_n(const char *s, size_t len, int64_t *out);
/* a × b / c rounded half away from zero; 0, SMG_EINVAL (c = 0), SMG_ERANGE. */
int smgi_muldiv_round(int64_t a, int64_t b, int64_t c, int64_t *out);

#endif
