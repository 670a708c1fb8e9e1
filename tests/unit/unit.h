/* Unit test helpers: each check prints one TAP line. */
#ifndef XO_UNIT_H
#define XO_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_count, unit_failed;

static void unit_result(int ok, const char *what, const char *file, int line)
{
	unit_count++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", unit_count, what);
	if (!ok) {
		unit_failed++;
		printf("# failed at %s:%d\n", file, line);
	}
}

#define CHECK(cond, what) unit_result((cond) != 0, (what), __FILE__, __LINE__)

#define CHECK_STR(got, want, what)                                          \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		int ok_ = g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_;        \
		unit_result(ok_, (what), __FILE__, __LINE__);               \
		if (!ok_)                                                   \
			printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

#define CHECK_INT(got, want, what)                                          \
	do {                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);    \
		unit_result(g_ == w_, (what), __FILE__, __LINE__);          \
		if (g_ != w_)                                               \
			printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
	} while (0)

static int unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif
