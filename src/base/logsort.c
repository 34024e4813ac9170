/* Ordering the event log by (time, input position).
 *
 * Each position becomes one 64-bit key, (time − earliest) in the high bits
 * and the position in the low bits, so keys are distinct and their order
 * is the (time, position) order. As the positions come in order, a
 * stable LSD radix sort on the time bits alone orders them: a few passes
 * of up to 11 bits (one year of seconds: 3). The keys hold the times, so
 * the time column itself serves as the sort's scratch array: 8 bytes a
 * position. The sorted keys then go back, times to the time column and
 * 32-bit positions in place of the keys. A batch whose time span does not
 * fit beside its positions in 64 bits (thousands of years) takes a stable
 * LSD radix sort on (time, position) pairs instead. */
#include "logsort.h"

#include <string.h>

int smgi_bits_for(uint64_t v)
{
    int b = 0;
    while (v) {
        b++;
        v >>= 1;
    }
    return b;
}

uint64_t *smgi_radix_bits(uint64_t *v, uint64_t *s, size_t n, int lo, int hi)
{
    int passes = (hi - lo + 10) / 11, width, shift;
    if (passes < 1)
        return v;
    width = (hi - lo + passes - 1) / passes;
    for (shift = lo; shift < hi; shift += width) {
        size_t count[2048] = { 0 }, sum = 0, i, b;
        uint64_t mask = ((uint64_t)1 << width) - 1, *t;
        for (i = 0; i < n; i++)
            count[(v[i] >> shift) & mask]++;
        for (b = 0; b <= mask; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
            s[count[(v[i] >> shift) & mask]++] = v[i];
        t = v, v = s, s = t;
    }
    return v;
}

/* Stable LSD radix sort of (key, idx) pairs by key, 8-bit digits, skipping
 * digits that are the same for every key. The sorted pairs end up in
 * key/idx; tk/ti are scratch of the same size (the buffers may swap). */
void smgi_radix_pairs(uint64_t **key, uint32_t **idx, uint64_t **tk, uint32_t **ti, size_t n)
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

int smgi_sort_by_time_wide(const smg_allocator *a, smg_time *at, size_t first, size_t n,
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
    smgi_radix_pairs(&key, &idx, &tk, &ti, k);
    for (i = 0; i < k; i++)
        at[first + i] = minat + (smg_time)key[i];
    smgi_free(a, key), smgi_free(a, tk), smgi_free(a, ti);
    *order = idx;
    return 0;
}

int smgi_sort_by_time(const smg_allocator *a, smg_time *at, size_t first, size_t n,
                      uint32_t **order)
{
    size_t k = n - first, i;
    smg_time minat, maxat;
    uint64_t *v, *sorted, mask;
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
    ibits = smgi_bits_for((uint64_t)(k - 1));
    top = smgi_bits_for((uint64_t)(maxat - minat)) + ibits;
    if (top > 64)
        return smgi_sort_by_time_wide(a, at, first, n, order);
    v = smgi_malloc(a, k * sizeof *v);
    if (!v)
        return SMG_ENOMEM;
    for (i = 0; i < k; i++)
        v[i] = ((uint64_t)(at[first + i] - minat) << ibits) | i;
    /* positions are already in order: a stable sort on the time bits
     * alone; the keys carry the times, so at[first..n) is the scratch
     * (int64_t and uint64_t may alias) */
    sorted = smgi_radix_bits(v, (uint64_t *)(void *)(at + first), k, ibits, top);
    /* keys → times in at[first..n) and positions in v's block: position
     * i's 4 bytes land on bytes already read (key i/2, or the other
     * block). memcpy keeps the compiler from assuming the two views of
     * the block do not overlap. */
    mask = ibits ? (~(uint64_t)0 >> (64 - ibits)) : 0;
    {
        unsigned char *base = (unsigned char *)v;
        for (i = 0; i < k; i++) {
            uint64_t key;
            uint32_t pos;
            memcpy(&key, &sorted[i], 8);
            pos = (uint32_t)(first + (key & mask));
            at[first + i] = minat + (smg_time)(key >> ibits);
            memcpy(base + i * 4, &pos, 4);
        }
    }
    out = smgi_realloc(a, v, k * sizeof *out);
    *order = out ? out : (uint32_t *)(void *)v; /* a failed shrink keeps the bigger block */
    return 0;
}
