#include "rx.h"

#include <stdlib.h>

#include "mem.h"

struct xo_rx *xo_rx_compile(const char *pattern, unsigned options, struct xo_buf *err)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | options, &code, &offset, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		xo_buf_reset(err);
		xo_buf_printf(err, "column %zu: %s", (size_t)offset + 1, (const char *)msg);
		return NULL;
	}
	/* JIT is a speed-up only; without it the interpreter runs. Memory
	 * checkers cannot follow JIT code (valgrind sees false errors in
	 * it), so XO_RX_NO_JIT turns it off for them. */
	const char *no_jit = getenv("XO_RX_NO_JIT");
	if (!no_jit || !*no_jit)
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	struct xo_rx *rx = xo_calloc(1, sizeof *rx);
	rx->code = re;
	rx->md = pcre2_match_data_create_from_pattern(re, NULL);
	rx->mctx = pcre2_match_context_create(NULL);
	if (rx->md == NULL || rx->mctx == NULL) {
		xo_rx_free(rx);
		xo_buf_reset(err);
		xo_buf_adds(err, "out of memory");
		return NULL;
	}
	pcre2_set_match_limit(rx->mctx, XO_RX_MATCH_LIMIT);
	pcre2_set_depth_limit(rx->mctx, XO_RX_DEPTH_LIMIT);
	rx->source = xo_strdup(pattern);
	return rx;
}

enum xo_rx_result xo_rx_match(struct xo_rx *rx, const char *s, size_t len)
{
	return xo_rx_match_at(rx, s, len, 0);
}

enum xo_rx_result xo_rx_match_at(struct xo_rx *rx, const char *s, size_t len, size_t start)
{
	int rc = pcre2_match(rx->code, (PCRE2_SPTR)s, len, start, 0, rx->md, rx->mctx);
	if (rc >= 0)
		return XO_RX_MATCH;
	if (rc == PCRE2_ERROR_NOMATCH)
		return XO_RX_NOMATCH;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		return XO_RX_LIMIT;
	return XO_RX_ERROR;
}

int xo_rx_group(const struct xo_rx *rx, unsigned n, size_t *start, size_t *end)
{
	if (n >= pcre2_get_ovector_count(rx->md))
		return -1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rx->md);
	if (ov[2 * n] == PCRE2_UNSET)
		return -1;
	*start = ov[2 * n];
	*end = ov[2 * n + 1];
	return 0;
}

unsigned xo_rx_groups(const struct xo_rx *rx)
{
	uint32_t n = 0;
	pcre2_pattern_info(rx->code, PCRE2_INFO_CAPTURECOUNT, &n);
	return n;
}

unsigned xo_rx_name_count(const struct xo_rx *rx)
{
	uint32_t n = 0;
	pcre2_pattern_info(rx->code, PCRE2_INFO_NAMECOUNT, &n);
	return n;
}

const char *xo_rx_name(const struct xo_rx *rx, unsigned i, unsigned *n)
{
	PCRE2_SPTR table;
	uint32_t entry_size;
	pcre2_pattern_info(rx->code, PCRE2_INFO_NAMETABLE, &table);
	pcre2_pattern_info(rx->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
	PCRE2_SPTR entry = table + (size_t)i * entry_size;
	*n = (unsigned)(entry[0] << 8 | entry[1]);
	return (const char *)entry + 2;
}

const char *xo_rx_result_text(enum xo_rx_result r)
{
	switch (r) {
	case XO_RX_MATCH: return "match";
	case XO_RX_NOMATCH: return "no match";
	case XO_RX_LIMIT: return "regex match limit hit (catastrophic backtracking?)";
	default: return "regex match error";
	}
}

void xo_rx_free(struct xo_rx *rx)
{
	if (rx == NULL)
		return;
	pcre2_match_data_free(rx->md);
	pcre2_match_context_free(rx->mctx);
	pcre2_code_free(rx->code);
	free(rx->source);
	free(rx);
}
