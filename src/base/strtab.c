#include "strtab.h"

#include <string.h>

static uint64_t hash_bytes(const char *s, size_t len)
{
    /* FNV-1a, then a final mix so the low bits spread well. */
    uint64_t h = 14695981039346656037ULL;
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

static int same(const smgi_strtab *t, size_t i, const char *s, size_t len)
{
    const char *p = t->chars + t->offs[i];
    return strncmp(p, s, len) == 0 && p[len] == '\0';
}

/* A slot holds the hash's high half as a tag beside index + 1, so probes
 * past other strings compare numbers, not bytes (and touch no string). */
#define SLOT(h, index) (((h) >> 32) << 32 | (uint64_t)((index) + 1))
#define SLOT_INDEX(v) ((size_t)((v) & 0xffffffffu) - 1)
#define SLOT_TAG(v) ((v) >> 32)

static long find_hashed(const smgi_strtab *t, const char *s, size_t len, uint64_t h)
{
    size_t mask, pos;
    if (!t->nslots)
        return -1;
    mask = t->nslots - 1;
    pos = (size_t)h & mask;
    for (;;) {
        uint64_t v = t->slots[pos];
        if (!v)
            return -1;
        if (SLOT_TAG(v) == h >> 32 && same(t, SLOT_INDEX(v), s, len))
            return (long)SLOT_INDEX(v);
        pos = (pos + 1) & mask;
    }
}

long smgi_strtab_find(const smgi_strtab *t, const char *s, size_t len)
{
    return t->nslots ? find_hashed(t, s, len, hash_bytes(s, len)) : -1;
}

long smgi_strtab_find_str(const smgi_strtab *t, const char *s)
{
    if (!s || !*s)
        return -1;
    return smgi_strtab_find(t, s, strlen(s));
}

static void slot_put(smgi_strtab *t, size_t index, uint64_t h)
{
    size_t mask = t->nslots - 1;
    size_t pos = (size_t)h & mask;
    while (t->slots[pos])
        pos = (pos + 1) & mask;
    t->slots[pos] = SLOT(h, index);
}

static uint64_t hash_of(const smgi_strtab *t, size_t index)
{
    const char *s = t->chars + t->offs[index];
    return hash_bytes(s, strlen(s));
}

static int rehash(const smg_allocator *a, smgi_strtab *t, size_t nslots)
{
    size_t i;
    uint64_t *slots = smgi_calloc(a, nslots, sizeof *slots);
    if (!slots)
        return SMG_ENOMEM;
    smgi_free(a, t->slots);
    t->slots = slots;
    t->nslots = nslots;
    for (i = 0; i < t->count; i++)
        slot_put(t, i, hash_of(t, i));
    return 0;
}

int smgi_strtab_append(const smg_allocator *a, smgi_strtab *t, const char *s,
                       size_t len, size_t *index)
{
    int rc;
    if (t->count >= UINT32_MAX - 1)
        return SMG_ENOMEM;
    if ((rc = SMGI_GROW(a, t->chars, t->chars_cap, t->nchars + len + 1)) ||
        (rc = SMGI_GROW(a, t->offs, t->offs_cap, t->count + 1)))
        return rc;
    memcpy(t->chars + t->nchars, s, len);
    t->chars[t->nchars + len] = '\0';
    t->offs[t->count] = t->nchars;
    t->nchars += len + 1;
    if (index)
        *index = t->count;
    t->count++;
    return 0;
}

int smgi_strtab_intern(const smg_allocator *a, smgi_strtab *t, const char *s,
                       size_t len, size_t *index, int *added)
{
    uint64_t h = hash_bytes(s, len);
    long found = t->nslots ? find_hashed(t, s, len, h) : -1;
    int rc;
    if (added)
        *added = 0;
    if (found >= 0) {
        *index = (size_t)found;
        return 0;
    }
    /* keep the load factor at most 1/2 */
    if ((t->count + 1) * 2 > t->nslots) {
        rc = rehash(a, t, t->nslots ? t->nslots * 2 : 64);
        if (rc)
            return rc;
    }
    rc = smgi_strtab_append(a, t, s, len, index);
    if (rc)
        return rc;
    slot_put(t, *index, h);
    if (added)
        *added = 1;
    return 0;
}

int smgi_strtab_truncate(const smg_allocator *a, smgi_strtab *t, size_t count)
{
    if (count >= t->count)
        return 0;
    t->nchars = t->offs[count];
    t->count = count;
    if (!t->nslots)
        return 0;
    memset(t->slots, 0, t->nslots * sizeof *t->slots);
    {
        size_t i;
        for (i = 0; i < t->count; i++)
            slot_put(t, i, hash_of(t, i));
    }
    (void)a;
    return 0;
}

void smgi_strtab_free(const smg_allocator *a, smgi_strtab *t)
{
    smgi_free(a, t->chars);
    smgi_free(a, t->offs);
    smgi_free(a, t->slots);
    memset(t, 0, sizeof *t);
}
