/* A stand-in for libsalesmgmt with only smg_version(), which answers
 * $FAKE_SMG_VERSION (default 100, i.e. 0.1.0): the Python binding must
 * refuse it (tests/python/test_binding.py, VersionError). */
#include <stdlib.h>

#if defined(__GNUC__) || defined(__clang__)
#define EXPORT __attribute__((visibility("default")))
#else
#define EXPORT
#endif

EXPORT int smg_version(void);

int smg_version(void)
{
    const char *v = getenv("FAKE_SMG_VERSION");
    return v ? atoi(v) : 100;
}
