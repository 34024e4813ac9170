/* Fuzz the policy.conf reader: any bytes must give 0 or an error, never a
 * crash, and a failed load must leave the policy as it was. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "salesmgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/smg_fuzz_policy_XXXXXX";
    char before[64], after[64];
    smg_org *org = NULL;
    int fd = mkstemp(path), rc;
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    if (smg_org_new(&org, NULL) == 0) {
        smg_policy_get(org, "attribution.protect_days", before, sizeof before);
        rc = smg_policy_load(org, path);
        smg_policy_get(org, "attribution.protect_days", after, sizeof after);
        if (rc != 0 && strcmp(before, after) != 0)
            abort(); /* a failed load changed the policy */
        if (rc != 0 && smg_org_error_count(org) == 0)
            abort(); /* a failure without a message */
        smg_org_free(org);
    }
    unlink(path);
    return 0;
}
