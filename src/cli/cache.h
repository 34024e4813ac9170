/* The command's snapshot cache (issue 14): the second command on an
 * unchanged dataset opens its snapshot (smg_org_open) instead of parsing
 * the CSV files. A snapshot is kept in $XDG_CACHE_HOME/salesmgmt/ (else
 * ~/.cache/salesmgmt/) under a name made from the dataset folder's real
 * path, the name, size and modification time of every file in it, the
 * --encoding and the program's version: any change to the dataset gives
 * another name, so a cached snapshot is never stale; a damaged one fails
 * to open and is rebuilt. --no-cache turns it off. `check` never uses it
 * (it reports what the CSV files hold: warnings, ignored columns). */
#ifndef SMG_CLI_CACHE_H
#define SMG_CLI_CACHE_H

#include <stddef.h>

/* The snapshot's path for dataset `dir` read with `encoding` (NULL:
 * UTF-8): 0 with out set, or -1 (no cache folder, the dataset cannot be
 * read: the loader then says what is wrong). Creates the folder. */
int cli_cache_path(const char *dir, const char *encoding, char *out, size_t len);

/* --no-cache was given (cli_parse()), or SALESMGMT_NO_CACHE is set. */
int cli_cache_off(void);
void cli_cache_disable(void);

#endif
