/* See cache.h. */
#define _XOPEN_SOURCE 700
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "salesmgmt.h"

static int disabled;

void cli_cache_disable(void)
{
    disabled = 1;
}

int cli_cache_off(void)
{
    const char *e = getenv("SALESMGMT_NO_CACHE");
    return disabled || (e && *e && strcmp(e, "0") != 0);
}

/* FNV-1a, 64 bits: a name, not a defence (the folder is the user's own) */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    while (n--)
        h = (h ^ *c++) * 0x100000001b3ull;
    return h;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The hash of every regular file of dir: names in order, sizes, times. */
static int hash_files(const char *dir, uint64_t *h)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL, path[PATH_MAX + 256];
    size_t n = 0, cap = 0, i;
    int rc = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **g = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof *names);
            if (!g) {
                rc = -1;
                break;
            }
            names = g;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (!rc)
        qsort(names, n, sizeof *names, name_cmp);
    for (i = 0; i < n && !rc; i++) {
        struct stat st;
        int64_t v[4];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        v[0] = (int64_t)st.st_size;
        v[1] = (int64_t)st.st_mtim.tv_sec;
        v[2] = (int64_t)st.st_mtim.tv_nsec;
        v[3] = (int64_t)st.st_ino;
        *h = fnv(*h, names[i], strlen(names[i]) + 1);
        *h = fnv(*h, v, sizeof v);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int make_dir(const char *p)
{
    return mkdir(p, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int cli_cache_path(const char *dir, const char *encoding, char *out, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char real[PATH_MAX], base[PATH_MAX];
    uint64_t h = 0xcbf29ce484222325ull;
    if (cli_cache_off() || !realpath(dir, real))
        return -1;
    if (xdg && *xdg == '/')
        snprintf(base, sizeof base, "%s", xdg);
    else if (home && *home == '/')
        snprintf(base, sizeof base, "%s/.cache", home);
    else
        return -1;
    if (make_dir(base))
        return -1;
    if (strlen(base) + 16 >= sizeof base)
        return -1;
    strcat(base, "/salesmgmt");
    if (make_dir(base))
        return -1;
    h = fnv(h, real, strlen(real) + 1);
    h = fnv(h, encoding ? encoding : "", strlen(encoding ? encoding : "") + 1);
    h = fnv(h, SMG_VERSION_STRING, sizeof SMG_VERSION_STRING);
    if (hash_files(real, &h))
        return -1;
    if ((size_t)snprintf(out, len, "%s/%016llx.snap", base, (unsigned long long)h) >= len)
        return -1;
    return 0;
}
