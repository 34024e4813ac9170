/* The largest-remainder split (see split.h). */
#include "split.h"

#include "salesmgmt/common.h"

#include "arith.h"

typedef smgi_i128 i128;

/* Number of parts whose remainder (stored in rem) is >= v. */
static size_t count_ge(const int64_t *rem, size_t n, int64_t v)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++)
        c += rem[i] >= v;
    return c;
}

int smgi_split(int64_t total, const int64_t *weights, size_t n, int64_t *parts)
{
    i128 wsum = 0, given = 0, t;
    int64_t W, left, lo, hi, cut;
    size_t i, above;
    int neg = total < 0;

    if (n && (!weights || !parts))
        return SMG_EINVAL;
    if (total == INT64_MIN)
        return SMG_ERANGE;
    for (i = 0; i < n; i++) {
        if (weights[i] < 0)
            return SMG_EINVAL;
        wsum += weights[i];
    }
    if (wsum == 0 || wsum > INT64_MAX)
        return SMG_ERANGE;
    W = (int64_t)wsum;
    t = neg ? -(i128)total : (i128)total;

    /* floors; the remainders (each < W) wait in parts[] for now */
    for (i = 0; i < n; i++) {
        i128 p = t * weights[i];
        given += p / W;
        parts[i] = (int64_t)(p % W);
    }
    left = (int64_t)(t - given); /* < n: each floor lost less than one unit */

    /* The `left` largest remainders get one unit each. Find the cut value:
     * the largest v with at least `left` remainders >= v (binary search over
     * [1, W-1], no allocation); every remainder above the cut gets a unit,
     * and the rest of the units go to remainders equal to the cut, smaller
     * index first. The remainders sum to left * W and each is below W, so
     * more than `left` of them are >= 1: the search starts at 1. */
    cut = INT64_MAX; /* nothing gets a unit when left == 0 */
    if (left > 0) {
        lo = 1;      /* count_ge(1) >= left: the lost fractions sum to left */
        hi = W - 1;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2;
            if (count_ge(parts, n, mid) >= (size_t)left)
                lo = mid;
            else
                hi = mid - 1;
        }
        cut = lo;
    }
    above = left > 0 ? count_ge(parts, n, cut + 1) : 0;
    {
        int64_t at_cut = left - (int64_t)above; /* units for remainders == cut */
        for (i = 0; i < n; i++) {
            int64_t r = parts[i];
            int64_t unit = 0;
            if (left > 0 && r > cut)
                unit = 1;
            else if (left > 0 && r == cut && at_cut > 0) {
                unit = 1;
                at_cut--;
            }
            parts[i] = (int64_t)(t * weights[i] / W) + unit;
            if (neg)
                parts[i] = -parts[i];
        }
    }
    return 0;
}
