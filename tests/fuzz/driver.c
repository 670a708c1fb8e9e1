/* Replays inputs through a harness without libFuzzer: each argument is
 * a file or a directory of files. make check runs it over the seed
 * corpus and tests/fuzz/regress/, so every crash ever found stays
 * fixed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *data = malloc(cap);
	while (data && (got = fread(data + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *bigger = realloc(data, cap *= 2);
			if (!bigger)
				free(data);
			data = bigger;
		}
	}
	fclose(fp);
	if (!data)
		return 1;
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	return 0;
}

static int replay(const char *path, int *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	DIR *dir = opendir(path);
	if (!dir)
		return 1;
	struct dirent *e;
	int bad = 0;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		bad |= replay(sub, count);
	}
	closedir(dir);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0, count = 0;
	for (int i = 1; i < argc; i++)
		bad |= replay(argv[i], &count);
	printf("replayed %d inputs\n", count);
	return bad;
}
