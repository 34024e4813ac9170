/* Ordering the event log by (time, input position).
 *
 * Each position becomes one 64-bit key, (time − earliest) in the high bits
 * and the position in the low bits, so keys are distinct and their order
 * is the (time, position) order. An in-place MSD radix sort (American
 * flag sort) orders them with no scratch array: 8 bytes a position. The
 * keys then shrink in place to 32-bit positions. A batch whose time span
 * does not fit beside its positions in 64 bits (thousands of years) takes
 * a stable LSD radix sort on (time, position) pairs instead. */
#include "logsort.h"

#include <string.h>

static int bits_for(uint64_t v)
{
    int b = 0;
    while (v) {
        b++;
        v >>= 1;
    }
    return b;
}

static void insertion_sort(uint64_t *v, size_t n)
{
    size_t i, j;
    for (i = 1; i < n; i++) {
        uint64_t x = v[i];
        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* American flag sort on the byte at `shift` and below; keys are distinct. */
static void msd_sort(uint64_t *v, size_t n, int shift)
{
    size_t count[256] = { 0 }, next[256], end[256], sum = 0, i;
    int b;
    if (n < 48) {
        insertion_sort(v, n);
        return;
    }
    for (i = 0; i < n; i++)
        count[(v[i] >> shift) & 0xff]++;
    for (b = 0; b < 256; b++) {
        next[b] = sum;
        sum += count[b];
        end[b] = sum;
    }
    for (b = 0; b < 256; b++)
        while (next[b] < end[b]) {
            uint64_t x = v[next[b]];
            int d = (int)((x >> shift) & 0xff);
            while (d != b) { /* put x in its bucket, pick up what was there */
                uint64_t y = v[next[d]];
                v[next[d]++] = x;
                x = y;
                d = (int)((x >> shift) & 0xff);
            }
            v[next[b]++] = x;
        }
    if (shift == 0)
        return;
    for (b = 0, sum = 0; b < 256; sum += count[b], b++)
        if (count[b] > 1)
            msd_sort(v + sum, count[b], shift - 8);
}

/* Stable LSD radix sort of (key, idx) pairs by key, 8-bit digits, skipping
 * digits that are the same for every key. The sorted pairs end up in
 * key/idx; tk/ti are scratch of the same size (the buffers may swap). */
static void lsd_sort(uint64_t **key, uint32_t **idx, uint64_t **tk, uint32_t **ti, size_t n)
{
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    size_t i;
    int shift;
    for (i = 0; i < n; i++) {
        all_or |= (*key)[i];
        all_and &= (*key)[i];
    }
    for (shift = 0; shift < 64; shift += 8) {
        size_t count[256] = { 0 }, sum = 0;
        const uint64_t *k = *key;
        const uint32_t *x = *idx;
        uint64_t *ok = *tk, *sk;
        uint32_t *ox = *ti, *sx;
        int b;
        if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
            continue;
        for (i = 0; i < n; i++)
            count[(k[i] >> shift) & 0xff]++;
        for (b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++) {
            size_t d = count[(k[i] >> shift) & 0xff]++;
            ok[d] = k[i];
            ox[d] = x[i];
        }
        sk = *key, *key = *tk, *tk = sk;
        sx = *idx, *idx = *ti, *ti = sx;
    }
}

int smgi_sort_by_time_wide(const smg_allocator *a, const smg_time *at, size_t first, size_t n,
                           uint32_t **order)
{
    size_t k = n - first, i;
    smg_time minat = at[first];
    uint64_t *key = smgi_malloc(a, k * sizeof *key), *tk = smgi_malloc(a, k * sizeof *tk);
    uint32_t *idx = smgi_malloc(a, k * sizeof *idx), *ti = smgi_malloc(a, k * sizeof *ti);
    if (!key || !tk || !idx || !ti) {
        smgi_free(a, key), smgi_free(a, tk), smgi_free(a, idx), smgi_free(a, ti);
        return SMG_ENOMEM;
    }
    for (i = first; i < n; i++)
        if (at[i] < minat)
            minat = at[i];
    for (i = 0; i < k; i++) {
        key[i] = (uint64_t)(at[first + i] - minat);
        idx[i] = (uint32_t)(first + i);
    }
    lsd_sort(&key, &idx, &tk, &ti, k);
    smgi_free(a, key), smgi_free(a, tk), smgi_free(a, ti);
    *order = idx;
    return 0;
}

int smgi_sort_by_time(const smg_allocator *a, const smg_time *at, size_t first, size_t n,
                      uint32_t **order)
{
    size_t k = n - first, i;
    smg_time minat, maxat;
    uint64_t *v, mask;
    uint32_t *out;
    int ibits, top;

    *order = NULL;
    if (!k)
        return 0;
    minat = maxat = at[first];
    for (i = first; i < n; i++) {
        if (at[i] < minat)
            minat = at[i];
        if (at[i] > maxat)
            maxat = at[i];
    }
    ibits = bits_for((uint64_t)(k - 1));
    top = bits_for((uint64_t)(maxat - minat)) + ibits;
    if (top > 64)
        return smgi_sort_by_time_wide(a, at, first, n, order);
    v = smgi_malloc(a, k * sizeof *v);
    if (!v)
        return SMG_ENOMEM;
    for (i = 0; i < k; i++)
        v[i] = ((uint64_t)(at[first + i] - minat) << ibits) | i;
    msd_sort(v, k, top > 8 ? ((top - 1) / 8) * 8 : 0);
    /* keys → positions, in place: position i's 4 bytes land on key i/2,
     * already read. memcpy keeps the compiler from assuming the two views
     * of the block do not overlap. */
    mask = ibits ? (~(uint64_t)0 >> (64 - ibits)) : 0;
    {
        unsigned char *base = (unsigned char *)v;
        for (i = 0; i < k; i++) {
            uint64_t key;
            uint32_t pos;
            memcpy(&key, base + i * 8, 8);
            pos = (uint32_t)(first + (key & mask));
            memcpy(base + i * 4, &pos, 4);
        }
    }
    out = smgi_realloc(a, v, k * sizeof *out);
    *order = out ? out : (uint32_t *)(void *)v; /* a failed shrink keeps the bigger block */
    return 0;
}
