/* See atomic.h. */
#define _POSIX_C_SOURCE 200809L
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomic_open(atomic_file *af, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0, n = strlen(path);
    mode_t mask;
    int fd, err;
    memset(af, 0, sizeof *af);
    af->tmp = malloc(n + 16);
    af->path = malloc(n + 1);
    if (!af->tmp || !af->path) {
        free(af->tmp);
        free(af->path);
        af->tmp = af->path = NULL;
        return ENOMEM;
    }
    memcpy(af->path, path, n + 1);
    /* ".NAME.XXXXXX" beside NAME: rename() within one folder is atomic */
    snprintf(af->tmp, n + 16, "%.*s.%s.XXXXXX", (int)dlen, path, path + dlen);
    if ((fd = mkstemp(af->tmp)) < 0) {
        err = errno;
        free(af->tmp);
        free(af->path);
        af->tmp = af->path = NULL;
        return err ? err : EIO;
    }
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) || !(af->f = fdopen(fd, "wb"))) {
        err = errno;
        close(fd);
        unlink(af->tmp);
        free(af->tmp);
        free(af->path);
        af->tmp = af->path = NULL;
        return err ? err : EIO;
    }
    return 0;
}

int atomic_close(atomic_file *af, int failed)
{
    int err = failed ? EIO : 0;
    if (!af->f)
        return EINVAL;
    errno = 0;
    if (!err && (fflush(af->f) || ferror(af->f)))
        err = errno ? errno : EIO;
    if (!err && fsync(fileno(af->f)))
        err = errno ? errno : EIO;
    if (fclose(af->f) && !err)
        err = errno ? errno : EIO;
    af->f = NULL;
    if (!err && rename(af->tmp, af->path))
        err = errno ? errno : EIO;
    if (err) {
        unlink(af->tmp);
    } else {
        /* the rename itself on disk: sync the folder (best effort) */
        const char *slash = strrchr(af->path, '/');
        size_t dlen = slash ? (size_t)(slash - af->path) + 1 : 0;
        char *dir = malloc(dlen + 2);
        if (dir) {
            int dfd;
            if (dlen)
                snprintf(dir, dlen + 2, "%.*s", (int)dlen, af->path);
            else
                strcpy(dir, ".");
            if ((dfd = open(dir, O_RDONLY)) >= 0) {
                (void)fsync(dfd);
                close(dfd);
            }
            free(dir);
        }
    }
    free(af->tmp);
    free(af->path);
    af->tmp = af->path = NULL;
    return err;
}
