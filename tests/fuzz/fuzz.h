/* Shared by the fuzz harnesses (tests/fuzz/NAME.c): each defines
 * LLVMFuzzerTestOneInput. Built with clang -fsanitize=fuzzer for
 * libFuzzer (make fuzz), with afl-clang-fast for AFL++ (make fuzz-afl),
 * and with driver.c into a replayer that make check runs over the seed
 * corpus and every crash ever found (tests/fuzz/regress/NAME/). */
#ifndef XO_FUZZ_H
#define XO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a read-only stream (fmemopen), or NULL for size 0. */
static inline FILE *fuzz_stream(const uint8_t *data, size_t size)
{
	return size ? fmemopen((void *)data, size, "rb") : NULL;
}

#endif
