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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a read-only stream (fmemopen), or NULL for size 0. */
static inline FILE *fuzz_stream(const uint8_t *data, size_t size)
{
	return size ? fmemopen((void *)data, size, "rb") : NULL;
}

/* The input as a file, for readers that take a path: one temporary
 * file per process, rewritten for each input and removed at exit.
 * Returns its path (static storage), or NULL when it cannot be made. */
static char fuzz_file_path[64];

static void fuzz_file_remove(void)
{
	if (fuzz_file_path[0])
		unlink(fuzz_file_path);
}

static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
	if (!fuzz_file_path[0]) {
		const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(fuzz_file_path, sizeof fuzz_file_path, "%s/xo-fuzz-XXXXXX", dir);
		int fd = mkstemp(fuzz_file_path);
		if (fd < 0) {
			fuzz_file_path[0] = '\0';
			return NULL;
		}
		close(fd);
		atexit(fuzz_file_remove);
	}
	FILE *fp = fopen(fuzz_file_path, "wb");
	if (!fp)
		return NULL;
	int bad = size && fwrite(data, 1, size, fp) != size;
	if (fclose(fp) != 0 || bad)
		return NULL;
	return fuzz_file_path;
}

/* 1 when data[0..size) holds the string needle. */
static inline int fuzz_contains(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= size && i <= size - n; i++)
		if (memcmp(data + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The input as a NUL-terminated string (caller frees). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		if (size)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
