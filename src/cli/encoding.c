/* --encoding ENC (DATASET.md "CSV files"): a dataset exported in another
 * encoding than UTF-8 (GB18030/GBK, what Chinese Excel saves as "CSV") is
 * converted with the C library's iconv into a temporary folder, loaded from
 * there, and the folder removed. Every *.csv file is converted, but one
 * that starts with a UTF-8 BOM (it says it is UTF-8); policy.conf only when
 * it is not UTF-8 already; the folder's other files are there as empty
 * files of the same names, so that the loader still lists them (ignored
 * files, near misses of dataset files). The library's messages name files
 * only; one that names the temporary folder is shown with the dataset's. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void note(cli_prep *p, const char *file, long line, const char *fmt, ...)
{
    char msg[512];
    cli_note *n;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    n = realloc(p->errors, (p->nerrors + 1) * sizeof *n);
    if (!n)
        return;
    p->errors = n;
    n += p->nerrors;
    n->file = file ? dup_str(file) : NULL;
    n->line = line;
    n->message = dup_str(msg);
    if (n->message)
        p->nerrors++;
}

static int ends_with_csv(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && name[n - 4] == '.' && (name[n - 3] | 0x20) == 'c' &&
           (name[n - 2] | 0x20) == 's' && (name[n - 1] | 0x20) == 'v';
}

/* 1 if the n bytes at s are UTF-8 (structure only: lead and trail bytes). */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned b = s[i];
        size_t k, len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3
                                                       : (b >> 3) == 30 ? 4 : 0;
        if (!len || i + len > n || (len == 2 && b < 0xC2))
            return 0;
        for (k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += len;
    }
    return 1;
}

static long count_lf(const char *s, size_t n)
{
    long c = 0;
    const char *e = s + n;
    while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
        c++;
        s++;
    }
    return c;
}

/* Convert `in` (from its start) to UTF-8 into `out`; a conversion error is
 * noted with its line. 0, -1 (text that is not in the encoding) or -2 (a
 * read or write error), noted. */
static int convert(iconv_t cd, FILE *in, FILE *out, const char *name, const char *enc,
                   cli_prep *p)
{
    static char ib[1 << 16], ob[(1 << 18) + 16];
    size_t have = 0;
    long line = 1;
    int eof = 0;
    iconv(cd, NULL, NULL, NULL, NULL);
    for (;;) {
        size_t n = fread(ib + have, 1, sizeof ib - have, in);
        char *ip = ib;
        size_t il;
        if (n == 0) {
            if (ferror(in)) {
                note(p, name, 0, "read error");
                return -2;
            }
            eof = 1;
        }
        have += n;
        il = have;
        while (il > 0) {
            char *op = ob, *from = ip;
            size_t ol = sizeof ob, r = iconv(cd, &ip, &il, &op, &ol);
            int e = errno;
            line += count_lf(from, (size_t)(ip - from));
            if (op > ob && fwrite(ob, 1, (size_t)(op - ob), out) != (size_t)(op - ob)) {
                note(p, name, 0, "cannot write the converted file");
                return -2;
            }
            if (r != (size_t)-1)
                continue;
            if (e == E2BIG)
                continue;
            if (e == EINVAL && !eof)
                break; /* a character cut by the chunk: read on */
            note(p, name, line, "not valid %s text (byte 0x%02x)", enc,
                 (unsigned)(unsigned char)*ip);
            return -1;
        }
        memmove(ib, ip, il);
        have = il;
        if (eof)
            break;
    }
    {
        char *op = ob;
        size_t ol = sizeof ob;
        iconv(cd, NULL, NULL, &op, &ol);
        if (op > ob && fwrite(ob, 1, (size_t)(op - ob), out) != (size_t)(op - ob)) {
            note(p, name, 0, "cannot write the converted file");
            return -2;
        }
    }
    return 0;
}

/* Copy `in` (from its start) to `out` as it is. 0 or -2 (noted). */
static int copy(FILE *in, FILE *out, const char *name, cli_prep *p)
{
    static char b[1 << 16];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        if (fwrite(b, 1, n, out) != n) {
            note(p, name, 0, "cannot write the converted file");
            return -2;
        }
    if (ferror(in)) {
        note(p, name, 0, "read error");
        return -2;
    }
    return 0;
}

/* 1 if the file starts with a UTF-8 BOM; the file is left at its start. */
static int has_bom(FILE *f)
{
    unsigned char b[3];
    size_t n = fread(b, 1, 3, f);
    rewind(f);
    return n == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
}

/* 1 if the whole (small) file is UTF-8; the file is left at its start. */
static int file_utf8(FILE *f)
{
    char b[1 << 16];
    size_t n = fread(b, 1, sizeof b, f);
    int ok = n < sizeof b && utf8_ok((const unsigned char *)b, n);
    rewind(f);
    return ok;
}

static int is_utf8_name(const char *enc)
{
    char n[16];
    size_t i, k = 0;
    for (i = 0; enc[i] && k + 1 < sizeof n; i++)
        if (enc[i] != '-' && enc[i] != '_')
            n[k++] = (char)(enc[i] >= 'A' && enc[i] <= 'Z' ? enc[i] - 'A' + 'a' : enc[i]);
    n[k] = '\0';
    return !enc[i] && strcmp(n, "utf8") == 0;
}

static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *s = malloc(a + b + 2);
    if (s) {
        memcpy(s, dir, a);
        s[a] = '/';
        memcpy(s + a + 1, name, b + 1);
    }
    return s;
}

int cli_prepare(const char *cmd, const char *dir, const char *encoding, cli_prep *p)
{
    const char *tmpdir = getenv("TMPDIR");
    iconv_t cd;
    DIR *d;
    struct dirent *e;
    int rc = CLI_OK;

    memset(p, 0, sizeof *p);
    p->dir = dir;
    if (!encoding || !dir || is_utf8_name(encoding))
        return CLI_OK;
    cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1)
        return cli_usage_error(cmd, "--encoding: \"%s\" is not an encoding the C library's "
                               "iconv knows (e.g. gb18030)", encoding);
    d = opendir(dir);
    if (!d) {
        iconv_close(cd);
        return CLI_OK; /* the loader says what is wrong with the folder */
    }
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    p->tmp = join(tmpdir, "salesmgmt-XXXXXX");
    if (!p->tmp || !mkdtemp(p->tmp)) {
        note(p, NULL, 0, "cannot create a temporary folder in %s for --encoding: %s", tmpdir,
             strerror(errno));
        free(p->tmp);
        p->tmp = NULL;
        closedir(d);
        iconv_close(cd);
        return CLI_IO;
    }
    p->orig = dir;
    p->dir = p->tmp;
    snprintf(p->tmp_name, sizeof p->tmp_name, "%s", p->tmp);
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        char *src, *dst;
        struct stat st;
        FILE *in = NULL, *out = NULL;
        int csv = ends_with_csv(name), policy = strcmp(name, "policy.conf") == 0, r = 0;
        if (name[0] == '.')
            continue;
        src = join(dir, name);
        dst = join(p->tmp, name);
        if (!src || !dst || stat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(src);
            free(dst);
            continue;
        }
        out = fopen(dst, "wb");
        if (!out) {
            note(p, name, 0, "cannot write the converted file");
            r = -2;
        } else if (csv || policy) {
            in = fopen(src, "rb");
            if (!in) {
                note(p, name, 0, "cannot read \"%s\"", src);
                r = -2;
            } else if (has_bom(in) || (policy && file_utf8(in))) {
                r = copy(in, out, name, p);
            } else {
                r = convert(cd, in, out, name, encoding, p);
            }
        }
        if (in)
            fclose(in);
        if (out && fclose(out) && !r) {
            note(p, name, 0, "cannot write the converted file");
            r = -2;
        }
        if (r == -2)
            rc = CLI_IO;
        else if (r == -1 && rc == CLI_OK)
            rc = CLI_DATA;
        free(src);
        free(dst);
    }
    closedir(d);
    iconv_close(cd);
    return rc;
}

void cli_prepare_remove(cli_prep *p)
{
    DIR *d;
    struct dirent *e;
    if (!p->tmp)
        return;
    if ((d = opendir(p->tmp)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            char *path;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            if ((path = join(p->tmp, e->d_name)) != NULL)
                unlink(path);
            free(path);
        }
        closedir(d);
    }
    rmdir(p->tmp);
    free(p->tmp);
    p->tmp = NULL;
}

void cli_prepare_done(cli_prep *p)
{
    size_t i;
    cli_prepare_remove(p);
    for (i = 0; i < p->nerrors; i++) {
        free(p->errors[i].file);
        free(p->errors[i].message);
    }
    free(p->errors);
    p->errors = NULL;
    p->nerrors = 0;
}

const char *cli_prep_text(const cli_prep *p, const char *msg, char *buf, size_t len)
{
    const char *at;
    size_t tl;
    if (!p || !p->orig || !p->tmp_name[0] || !msg || !(at = strstr(msg, p->tmp_name)))
        return msg;
    tl = strlen(p->tmp_name);
    snprintf(buf, len, "%.*s%s%s", (int)(at - msg), msg, p->orig, at + tl);
    return buf;
}
