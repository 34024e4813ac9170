/* Opening a data file to read (issue 15): never blocks, never reads
 * forever. The file must be a regular file (a FIFO, a device such as
 * /dev/zero, a directory is refused before a byte is read), it is opened
 * with O_NONBLOCK (a FIFO cannot block the open), and its size is known so
 * readers can bound their loops by it. */
#ifndef SMGI_FILE_H
#define SMGI_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Open `path` for reading. 0 with *out and *size set; SMG_ENOTFOUND when
 * there is no such file (and no symbolic link by that name); SMG_EIO with
 * *why saying what is wrong ("not a regular file", "a symbolic link to a
 * file that does not exist", "cannot open"). */
int smgi_file_open(const char *path, FILE **out, uint64_t *size, const char **why);

/* 1 if buf[0..n) (the start of a text file) has CR line ends only: no LF,
 * and a CR followed by more text. */
int smgi_cr_only(const char *buf, size_t n);

#define SMGI_CR_ONLY_MSG "line ends are CR only (old Mac): save it with LF or CRLF"

#endif
