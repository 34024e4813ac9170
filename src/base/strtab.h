/* Interned strings: each distinct string gets a dense index 0..count-1.
 * Open addressing on a power-of-two table of (tag, index+1), 0 = empty. After
 * ingest every engine works on the indices; no string work remains. */
#ifndef SMGI_STRTAB_H
#define SMGI_STRTAB_H

#include <stdint.h>
#include "alloc.h"

typedef struct smgi_strtab {
    char *chars;       /* the strings, each NUL-terminated */
    size_t nchars, chars_cap;
    size_t *offs;      /* offset of string i in chars */
    size_t count, offs_cap;
    uint64_t *slots;   /* hash slots: hash tag << 32 | index+1, 0 empty */
    size_t nslots;     /* power of two, or 0 */
} smgi_strtab;

/* Index of s (len bytes), or -1. */
long smgi_strtab_find(const smgi_strtab *t, const char *s, size_t len);
/* Index of the C string s (an id), or -1 when s is NULL, empty or absent. */
long smgi_strtab_find_str(const smgi_strtab *t, const char *s);
/* Index of s, adding it if new; *added tells which (may be NULL). */
int smgi_strtab_intern(const smg_allocator *a, smgi_strtab *t, const char *s,
                       size_t len, size_t *index, int *added);
/* Append without looking up (strings that need no lookup, e.g. names). */
int smgi_strtab_append(const smg_allocator *a, smgi_strtab *t, const char *s,
                       size_t len, size_t *index);
static inline const char *smgi_strtab_get(const smgi_strtab *t, size_t i)
{
    return t->chars + t->offs[i];
}
/* Drop strings count.. (rollback); rebuilds the hash if it has one. */
int smgi_strtab_truncate(const smg_allocator *a, smgi_strtab *t, size_t count);
void smgi_strtab_free(const smg_allocator *a, smgi_strtab *t);

#endif
