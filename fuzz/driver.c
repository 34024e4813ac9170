/* Standalone driver for the fuzz harnesses: runs LLVMFuzzerTestOneInput on
 * every file named on the command line (so the corpus is replayed as a
 * test without libFuzzer). Build the harness with -fsanitize=fuzzer instead
 * to fuzz for real:
 *   clang -fsanitize=fuzzer,address -Iinclude -Isrc fuzz/fuzz_dataset.c src/[a-z]*.c */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        long n;
        uint8_t *buf;
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc(n > 0 ? (size_t)n : 1);
        if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
            fclose(f);
            free(buf);
            return 1;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, (size_t)n);
        free(buf);
    }
    printf("%d inputs replayed\n", argc - 1);
    return 0;
}
