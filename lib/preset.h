/* preset: the mapping files shipped inside xo (lib/presets/NAME.map),
 * for the common kinds of export. A preset is an ordinary map: print it
 * with xo-ingest --show-preset NAME, copy it and edit it.
 */
#ifndef XO_PRESET_H
#define XO_PRESET_H

struct xo_preset {
	const char *name;
	const char *text; /* the whole map file */
};

extern const struct xo_preset xo_preset_table[];
extern const unsigned xo_preset_count;

/* The preset called name, or NULL. */
const struct xo_preset *xo_preset_find(const char *name);
/* Its one-line description: the first comment line after "NAME: ",
 * written into buf. */
void xo_preset_summary(const struct xo_preset *p, char *buf, unsigned size);

#endif
