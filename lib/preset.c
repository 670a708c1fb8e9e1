#include "preset.h"

#include <string.h>

const struct xo_preset *xo_preset_find(const char *name)
{
	for (unsigned i = 0; i < xo_preset_count; i++)
		if (strcmp(xo_preset_table[i].name, name) == 0)
			return &xo_preset_table[i];
	return NULL;
}

void xo_preset_summary(const struct xo_preset *p, char *buf, unsigned size)
{
	const char *s = p->text;
	const char *colon = strchr(s, ':');
	const char *nl = strchr(s, '\n');
	if (s[0] == '#' && colon && nl && colon < nl)
		s = colon + 1;
	while (*s == ' ')
		s++;
	size_t n = nl ? (size_t)(nl - s) : strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}
