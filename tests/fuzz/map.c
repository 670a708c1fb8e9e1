/* Fuzz the map file parser (xo-map(5)). */
#include "diag.h"
#include "fuzz.h"
#include "map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xo_buf err = XO_BUF_INIT;
	xo_diag_quiet(1);
	struct xo_map *map = xo_map_parse((const char *)data, size, "fuzz.map", &err);
	xo_map_free(map);
	xo_buf_free(&err);
	return 0;
}
