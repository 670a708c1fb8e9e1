/* TZif reading follows RFC 8536. Only the 64-bit (version 2+) data block
 * and the POSIX TZ footer are used; version 1 files are read from their
 * 32-bit block. */
#include "tz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "xtime.h"

/* A POSIX TZ rule date: Mm.w.d, Jn or n, and the local time it fires. */
struct rule_date {
	char kind; /* 'M', 'J' or 'n' */
	int month, week, wday, yday;
	int32_t secs; /* local time of day, may be negative or over 24h */
};

struct posix_rule {
	int32_t std_off, dst_off; /* seconds east */
	int has_dst;
	struct rule_date start, end;
};

struct xo_tz {
	char *name;
	int64_t *trans;      /* transition instants, ascending */
	uint8_t *trans_type; /* index into offsets for each transition */
	size_t n_trans;
	int32_t *offsets;    /* utoff of each local time type */
	uint8_t *isdst;
	size_t n_types;
	int has_rule;
	struct posix_rule rule;
	struct xo_tz *next;
};

static struct xo_tz *cache;
static struct xo_tz utc_zone = { .name = "UTC" };

const struct xo_tz *xo_tz_utc(void)
{
	return &utc_zone;
}

const char *xo_tz_name(const struct xo_tz *tz)
{
	return tz->name;
}

/* --- POSIX TZ strings ------------------------------------------------ */

static const char *skip_abbr(const char *p)
{
	if (*p == '<') {
		const char *end = strchr(p, '>');
		return end ? end + 1 : NULL;
	}
	const char *start = p;
	while (isalpha((unsigned char)*p))
		p++;
	return p - start >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] into seconds; NULL on error. */
static const char *parse_hms(const char *p, int32_t *secs)
{
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return NULL;
	long h = strtol(p, (char **)&p, 10), m = 0, s = 0;
	if (*p == ':') {
		m = strtol(p + 1, (char **)&p, 10);
		if (*p == ':')
			s = strtol(p + 1, (char **)&p, 10);
	}
	if (h > 167 || m > 59 || s > 59)
		return NULL;
	*secs = (int32_t)(sign * (h * 3600 + m * 60 + s));
	return p;
}

static const char *parse_rule_date(const char *p, struct rule_date *d)
{
	char *end;
	d->secs = 7200; /* 02:00 by default */
	if (*p == 'M') {
		d->kind = 'M';
		d->month = (int)strtol(p + 1, &end, 10);
		if (*end != '.')
			return NULL;
		d->week = (int)strtol(end + 1, &end, 10);
		if (*end != '.')
			return NULL;
		d->wday = (int)strtol(end + 1, &end, 10);
		if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 ||
		    d->wday < 0 || d->wday > 6)
			return NULL;
	} else if (*p == 'J') {
		d->kind = 'J';
		d->yday = (int)strtol(p + 1, &end, 10);
		if (d->yday < 1 || d->yday > 365)
			return NULL;
	} else if (isdigit((unsigned char)*p)) {
		d->kind = 'n';
		d->yday = (int)strtol(p, &end, 10);
		if (d->yday > 365)
			return NULL;
	} else {
		return NULL;
	}
	p = end;
	if (*p == '/')
		p = parse_hms(p + 1, &d->secs);
	return p;
}

static int parse_posix_tz(const char *s, struct posix_rule *r)
{
	int32_t west;
	const char *p = skip_abbr(s);
	if (!p || !(p = parse_hms(p, &west)))
		return -1;
	r->std_off = -west;
	r->has_dst = 0;
	if (*p == '\0')
		return 0;
	if (!(p = skip_abbr(p)))
		return -1;
	r->dst_off = r->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if (!(p = parse_hms(p, &west)))
			return -1;
		r->dst_off = -west;
	}
	if (*p != ',')
		return -1; /* a DST zone with no rule: not in any tzdata file */
	if (!(p = parse_rule_date(p + 1, &r->start)) || *p != ',')
		return -1;
	if (!(p = parse_rule_date(p + 1, &r->end)) || *p != '\0')
		return -1;
	r->has_dst = 1;
	return 0;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Local seconds (as if UTC) at which rule date d fires in year y. */
static int64_t rule_local_time(const struct rule_date *d, int64_t y)
{
	int64_t day;
	if (d->kind == 'J') {
		int n = d->yday; /* 1..365, Feb 29 never counted */
		day = xo_days_from_civil(y, 1, 1) + n - 1;
		if (is_leap(y) && n >= 60)
			day++;
	} else if (d->kind == 'n') {
		day = xo_days_from_civil(y, 1, 1) + d->yday;
	} else {
		int64_t first = xo_days_from_civil(y, (unsigned)d->month, 1);
		int first_wday = (int)(((first % 7) + 11) % 7); /* 1970-01-01 was Thursday */
		int64_t mday = 1 + (d->wday - first_wday + 7) % 7 + 7 * (d->week - 1);
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int dim = mdays[d->month - 1] + (d->month == 2 && is_leap(y));
		while (mday > dim)
			mday -= 7;
		day = first + mday - 1;
	}
	return day * 86400 + d->secs;
}

static int32_t rule_offset_at(const struct posix_rule *r, int64_t t)
{
	if (!r->has_dst)
		return r->std_off;
	int64_t y;
	unsigned m, d;
	xo_civil_from_days((t + r->std_off) / 86400 - ((t + r->std_off) % 86400 < 0), &y, &m, &d);
	/* Start is given in standard time, end in daylight time. */
	int64_t start = rule_local_time(&r->start, y) - r->std_off;
	int64_t end = rule_local_time(&r->end, y) - r->dst_off;
	int in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
	return in_dst ? r->dst_off : r->std_off;
}

/* --- TZif files ------------------------------------------------------ */

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 4096, n = 0;
	unsigned char *data = xo_malloc(cap);
	size_t got;
	while ((got = fread(data + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap) {
			if (cap > (1u << 22))
				break; /* no zone file is this large */
			cap *= 2;
			data = xo_realloc(data, cap);
		}
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static int read_counts(const unsigned char *p, size_t len, struct tzif_counts *c)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	c->isut = (uint32_t)be(p + 20, 4);
	c->isstd = (uint32_t)be(p + 24, 4);
	c->leap = (uint32_t)be(p + 28, 4);
	c->time = (uint32_t)be(p + 32, 4);
	c->type = (uint32_t)be(p + 36, 4);
	c->chars = (uint32_t)be(p + 40, 4);
	if (c->type == 0 || c->type > 256 || c->time > 100000 || c->chars > 10000 ||
	    c->leap > 10000 || c->isut > 256 || c->isstd > 256)
		return -1;
	return 0;
}

static size_t block_size(const struct tzif_counts *c, int tsize)
{
	return (size_t)c->time * (size_t)tsize + c->time + c->type * 6u + c->chars +
	       c->leap * (size_t)(tsize + 4) + c->isstd + c->isut;
}

static int load_tzif(struct xo_tz *tz, const unsigned char *data, size_t len)
{
	struct tzif_counts c;
	if (read_counts(data, len, &c) != 0)
		return -1;
	const unsigned char *p = data + 44;
	int tsize = 4;
	if (data[4] >= '2') {
		size_t skip = block_size(&c, 4);
		if (44 + skip > len || read_counts(p + skip, len - 44 - skip, &c) != 0)
			return -1;
		p += skip + 44;
		tsize = 8;
	}
	const unsigned char *end = data + len;
	if ((size_t)(end - p) < block_size(&c, tsize))
		return -1;
	tz->n_trans = c.time;
	tz->n_types = c.type;
	tz->trans = xo_calloc(c.time, sizeof *tz->trans);
	tz->trans_type = xo_calloc(c.time, 1);
	tz->offsets = xo_calloc(c.type, sizeof *tz->offsets);
	tz->isdst = xo_calloc(c.type, 1);
	for (uint32_t i = 0; i < c.time; i++)
		tz->trans[i] = be(p + (size_t)i * tsize, tsize);
	p += (size_t)c.time * tsize;
	for (uint32_t i = 0; i < c.time; i++) {
		tz->trans_type[i] = p[i];
		if (p[i] >= c.type)
			return -1;
	}
	p += c.time;
	for (uint32_t i = 0; i < c.type; i++) {
		tz->offsets[i] = (int32_t)be(p + i * 6, 4);
		tz->isdst[i] = p[i * 6 + 4];
	}
	p += c.type * 6 + c.chars + c.leap * (tsize + 4) + c.isstd + c.isut;
	if (tsize == 8 && p < end && *p == '\n') {
		const unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
		if (nl && nl > p + 1) {
			char *footer = xo_strndup((const char *)p + 1, (size_t)(nl - p - 1));
			tz->has_rule = parse_posix_tz(footer, &tz->rule) == 0;
			free(footer);
		}
	}
	return 0;
}

static int valid_zone_name(const char *name)
{
	if (name[0] == '\0' || name[0] == '/' || strlen(name) > 255)
		return 0;
	for (const char *p = name; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
			return 0;
		if (p[0] == '.' || (p[0] == '/' && p[1] == '/'))
			return 0;
	}
	return 1;
}

/* "+02:00", "-0530", "+2", "UTC+3", "GMT-4" as fixed offsets. */
static int parse_fixed(const char *name, int32_t *off)
{
	const char *p = name;
	if (strncmp(p, "UTC", 3) == 0 || strncmp(p, "GMT", 3) == 0)
		p += 3;
	if (*p != '+' && *p != '-')
		return -1;
	int sign = *p++ == '-' ? -1 : 1;
	int digits = 0, h = 0, m = 0;
	while (isdigit((unsigned char)*p) && digits < 2)
		h = h * 10 + (*p++ - '0'), digits++;
	if (digits == 0)
		return -1;
	if (*p == ':')
		p++;
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	}
	if (*p != '\0' || h > 18 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

const struct xo_tz *xo_tz_get(const char *name, const char **why)
{
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    strcmp(name, "GMT") == 0 || strcmp(name, "Etc/UTC") == 0)
		return &utc_zone;
	for (struct xo_tz *z = cache; z; z = z->next)
		if (strcmp(z->name, name) == 0)
			return z;
	struct xo_tz *tz = xo_calloc(1, sizeof *tz);
	int32_t fixed;
	if (parse_fixed(name, &fixed) == 0) {
		tz->has_rule = 1;
		tz->rule.std_off = fixed;
	} else {
		if (!valid_zone_name(name)) {
			free(tz);
			*why = "not a time zone name";
			return NULL;
		}
		const char *dir = getenv("TZDIR");
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
		size_t len = 0;
		unsigned char *data = slurp(path, &len);
		if (!data) {
			free(tz);
			*why = "unknown time zone (no zoneinfo file)";
			return NULL;
		}
		int rc = load_tzif(tz, data, len);
		free(data);
		if (rc != 0) {
			free(tz->trans);
			free(tz->trans_type);
			free(tz->offsets);
			free(tz->isdst);
			free(tz);
			*why = "unreadable zoneinfo file";
			return NULL;
		}
	}
	tz->name = xo_strdup(name);
	tz->next = cache;
	cache = tz;
	return tz;
}

static int32_t first_std_offset(const struct xo_tz *tz)
{
	for (size_t i = 0; i < tz->n_types; i++)
		if (!tz->isdst[i])
			return tz->offsets[i];
	return tz->n_types ? tz->offsets[0] : 0;
}

int32_t xo_tz_offset_at(const struct xo_tz *tz, int64_t t)
{
	if (tz == &utc_zone)
		return 0;
	if (tz->n_trans == 0 || t >= tz->trans[tz->n_trans - 1]) {
		if (tz->has_rule)
			return rule_offset_at(&tz->rule, t);
		if (tz->n_trans == 0)
			return first_std_offset(tz);
		return tz->offsets[tz->trans_type[tz->n_trans - 1]];
	}
	if (t < tz->trans[0])
		return first_std_offset(tz);
	size_t lo = 0, hi = tz->n_trans - 1; /* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offsets[tz->trans_type[lo]];
}

int64_t xo_tz_local_to_utc(const struct xo_tz *tz, int64_t local)
{
	if (tz == &utc_zone)
		return local;
	/* The offsets in force a day either side bracket any transition. */
	int32_t before = xo_tz_offset_at(tz, local - 86400);
	int32_t after = xo_tz_offset_at(tz, local + 86400);
	int64_t t1 = local - before, t2 = local - after;
	int ok1 = xo_tz_offset_at(tz, t1) == before;
	int ok2 = xo_tz_offset_at(tz, t2) == after;
	if (ok1 && ok2)
		return t1 < t2 ? t1 : t2;
	if (ok1)
		return t1;
	if (ok2)
		return t2;
	return t1; /* in a gap: moved forward by its size */
}

void xo_tz_free_all(void)
{
	while (cache) {
		struct xo_tz *next = cache->next;
		free(cache->name);
		free(cache->trans);
		free(cache->trans_type);
		free(cache->offsets);
		free(cache->isdst);
		free(cache);
		cache = next;
	}
}
