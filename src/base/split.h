/* Exact proportional splits (RULES.md §2): the largest-remainder method.
 * Used for year/quarter -> months (seasonality profile) and month -> days
 * (working days); reusable wherever a whole must be shared out exactly. */
#ifndef SMGI_SPLIT_H
#define SMGI_SPLIT_H

#include <stddef.h>
#include <stdint.h>

/* Split `total` into n parts proportional to weights[0..n) (each >= 0):
 * each part gets the floor of its exact share total*w/W (W = sum of the
 * weights), then the units left over go one each to the parts with the
 * largest fractional remainders, ties to the smaller index. The parts add
 * up to `total` exactly; a zero weight always gets 0. A negative total is
 * split as its absolute value and the parts negated (symmetric).
 * Intermediates are 128-bit, so any int64 total and weights work.
 * No allocation; parts may not alias weights.
 * Returns 0, SMG_EINVAL (NULL with n > 0, a negative weight) or SMG_ERANGE
 * (all weights zero, W above INT64_MAX, total = INT64_MIN). */
int smgi_split(int64_t total, const int64_t *weights, size_t n, int64_t *parts);

#endif
