/* gen-journey-events: synthetic events with an xid, for the xo-journey
 * benchmark (scripts/bench-journey). Not installed.
 *
 *   gen-journey-events EVENTS CUSTOMERS [SEED] > events.ndjson
 *
 * Each event goes to a random customer, at a random second of 2025, on
 * one of a handful of channels and types; one in twelve is a survey
 * response carrying an NPS score. Output is in random order (as events
 * from several exports concatenated are). Deterministic for a seed.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	/* splitmix64 */
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void civil(int64_t days, int *y, unsigned *m, unsigned *d)
{
	/* Howard Hinnant's civil_from_days. */
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	unsigned doe = (unsigned)(days - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

int main(int argc, char **argv)
{
	static const char *const kinds[][3] = {
		{ "web", "web.pageview", "web" },
		{ "web", "web.pageview", "web" },
		{ "web", "cart.add", "web" },
		{ "web", "order.placed", "shop" },
		{ "app", "app.login", "app" },
		{ "email", "email.question", "crm" },
		{ "phone", "call.complaint", "calls" },
		{ "phone", "call.question", "calls" },
		{ "chat", "chat.question", "chat" },
		{ "email", "case.resolved", "crm" },
		{ "store", "store.visit", "pos" },
		{ "survey", "survey.response", "survey" },
	};
	if (argc < 3) {
		fprintf(stderr, "usage: gen-journey-events EVENTS CUSTOMERS [SEED]\n");
		return 2;
	}
	long long n = atoll(argv[1]), customers = atoll(argv[2]);
	if (argc > 3)
		state ^= strtoull(argv[3], NULL, 10);
	if (n <= 0 || customers <= 0)
		return 2;
	const int64_t year_start = 20089; /* 2025-01-01 in days since 1970 */
	for (long long i = 0; i < n; i++) {
		uint64_t r = next();
		long long cust = (long long)(r % (uint64_t)customers);
		int64_t sec = (int64_t)(next() % (365 * 86400));
		const char *const *k = kinds[next() % 12];
		int y;
		unsigned mo, d;
		civil(year_start + sec / 86400, &y, &mo, &d);
		int64_t s = sec % 86400;
		printf("{\"ts\":\"%04d-%02u-%02uT%02d:%02d:%02dZ\",\"id\":\"%016" PRIx64 "\","
		       "\"source\":\"%s\",\"channel\":\"%s\",\"type\":\"%s\",",
		       y, mo, d, (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60), next(),
		       k[2], k[0], k[1]);
		if (k[0][0] == 's' && k[0][1] == 'u')
			printf("\"cx\":{\"nps\":%d},", (int)(next() % 11));
		printf("\"xid\":\"c%07lld\"}\n", cust);
	}
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
