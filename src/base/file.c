/* See file.h. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* open, fstat, lstat, fdopen */
#endif
#include "file.h"

#include <errno.h>
#include <string.h>

#include "salesmgmt/common.h"

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

int smgi_file_open(const char *path, FILE **out, uint64_t *size, const char **why)
{
#if !defined(_WIN32)
    struct stat st;
    int fd, fl;
    FILE *f;
    *out = NULL;
    *size = 0;
    *why = "cannot open";
    errno = 0;
    fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) {
            if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
                *why = "a symbolic link to a file that does not exist";
                return SMG_EIO;
            }
            return SMG_ENOTFOUND;
        }
        return SMG_EIO;
    }
    if (fstat(fd, &st) != 0) {
        close(fd);
        return SMG_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        *why = S_ISDIR(st.st_mode) ? "not a regular file (a folder)" : "not a regular file";
        return SMG_EIO;
    }
    /* a regular file never blocks; reads as usual from here */
    fl = fcntl(fd, F_GETFL);
    if (fl != -1)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return SMG_EIO;
    }
    *out = f;
    *size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    return 0;
#else
    FILE *f;
    long n;
    *out = NULL;
    *size = 0;
    *why = "cannot open";
    errno = 0;
    f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? SMG_ENOTFOUND : SMG_EIO;
    if (fseek(f, 0L, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0L, SEEK_SET)) {
        fclose(f);
        *why = "not a regular file";
        return SMG_EIO;
    }
    *out = f;
    *size = (uint64_t)n;
    return 0;
#endif
}

int smgi_cr_only(const char *buf, size_t n)
{
    const char *cr;
    if (memchr(buf, '\n', n))
        return 0;
    cr = memchr(buf, '\r', n);
    return cr && (size_t)(cr - buf) + 1 < n;
}
