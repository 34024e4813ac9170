/* Writing a file whole, atomically, from the library (the snapshot, issue
 * 14): the bytes go to a temporary file ".NAME.tmp-PID-N" in NAME's folder,
 * which is fsync'ed and renamed over NAME only when everything was
 * written, then the folder is fsync'ed; on any failure the temporary file
 * is removed and NAME is left as it was. No allocation (the names live in
 * the struct) and no process-wide state (no umask() dance: the file is
 * created with mode 0666 and the umask applies as for any new file). */
#ifndef SMGI_ATOMIC_H
#define SMGI_ATOMIC_H

#include <stddef.h>

#define SMGI_PATH_MAX 4096

typedef struct smgi_atomic {
    int fd;                        /* write here; -1 when closed */
    char path[SMGI_PATH_MAX];      /* the final name */
    char tmp[SMGI_PATH_MAX + 48];  /* the temporary file beside it */
} smgi_atomic;

/* Create the temporary file for `path`. 0, or an errno value
 * (ENAMETOOLONG for a path past SMGI_PATH_MAX). */
int smgi_atomic_open(smgi_atomic *af, const char *path);
/* Write n bytes (retrying short writes and EINTR). 0 or an errno value. */
int smgi_atomic_write(smgi_atomic *af, const void *p, size_t n);
/* Finish: fsync, close, rename over the path, fsync the folder. With
 * `failed` set, or when a step fails, the temporary file is removed and
 * the path untouched. 0, or an errno value (EIO when `failed`). */
int smgi_atomic_close(smgi_atomic *af, int failed);

#endif
