/* See atomic_write.h. */
#define _POSIX_C_SOURCE 200809L
#include "atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int smgi_atomic_open(smgi_atomic *af, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0, n = strlen(path);
    struct timespec ts;
    unsigned k;
    af->fd = -1;
    if (n == 0 || n >= SMGI_PATH_MAX || path[n - 1] == '/')
        return n ? ENAMETOOLONG : ENOENT;
    memcpy(af->path, path, n + 1);
    clock_gettime(CLOCK_REALTIME, &ts);
    /* a name no other writer uses: the pid, the clock, a retry count */
    for (k = 0; k < 100; k++) {
        snprintf(af->tmp, sizeof af->tmp, "%.*s.%s.tmp-%ld-%lx", (int)dlen, path, path + dlen,
                 (long)getpid(), (unsigned long)ts.tv_nsec + k);
        af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (af->fd >= 0)
            return 0;
        if (errno != EEXIST)
            return errno ? errno : EIO;
    }
    return EEXIST;
}

int smgi_atomic_write(smgi_atomic *af, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(af->fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 && errno ? errno : EIO;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

int smgi_atomic_close(smgi_atomic *af, int failed)
{
    int err = failed ? EIO : 0;
    if (af->fd < 0)
        return EINVAL;
    if (!err && fsync(af->fd))
        err = errno ? errno : EIO;
    if (close(af->fd) && !err)
        err = errno ? errno : EIO;
    af->fd = -1;
    if (!err && rename(af->tmp, af->path))
        err = errno ? errno : EIO;
    if (err) {
        unlink(af->tmp);
        return err;
    }
    {
        /* the rename itself on disk: sync the folder */
        char dir[SMGI_PATH_MAX];
        const char *slash = strrchr(af->path, '/');
        int dfd;
        if (slash)
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - af->path) + 1, af->path);
        else
            strcpy(dir, ".");
        if ((dfd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    return 0;
}
