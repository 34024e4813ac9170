/* CRC-32C (Castagnoli), the checksum of the snapshot file (issue 14): the
 * SSE4.2 instruction where the processor has it (about 10 GB/s), else
 * slicing-by-8 tables built on the stack for the call (no global state). */
#ifndef SMGI_CRC32C_H
#define SMGI_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The CRC-32C of p[0..n) continued from crc (0 to start). */
uint32_t smgi_crc32c(uint32_t crc, const void *p, size_t n);

#endif
