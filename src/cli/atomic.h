/* Writing a file atomically (issue 15): the bytes go to a temporary file
 * ".NAME.XXXXXX" in NAME's folder, which is flushed, fsync'ed and renamed
 * over NAME only when everything was written; on any failure (a full disk,
 * a write error, a limit) it is removed and NAME is left as it was. Used by
 * every file the command and salesmgmt-gen write whole (the HTML report,
 * the generated dataset). */
#ifndef SMG_CLI_ATOMIC_H
#define SMG_CLI_ATOMIC_H

#include <stdio.h>

typedef struct atomic_file {
    FILE *f;      /* write here */
    char *path;   /* the final name */
    char *tmp;    /* the temporary file beside it */
} atomic_file;

/* Create the temporary file for `path`. 0, or an errno value. */
int atomic_open(atomic_file *af, const char *path);

/* Finish: flush, fsync, close, rename over the path, sync the folder.
 * With `failed` set (the caller's writing failed), or when any step fails,
 * the temporary file is removed and the path untouched. 0, or an errno
 * value (EIO when `failed`). Frees af's memory either way. */
int atomic_close(atomic_file *af, int failed);

#endif
