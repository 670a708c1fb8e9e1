#include "ident.h"

#include <string.h>
#include <strings.h>

struct country {
	char iso[3];
	const char *cc;    /* calling code */
	const char *trunk; /* national prefix dropped after +cc, "" when kept */
	int nsn_min, nsn_max; /* digits of the national significant number */
};

/* Calling codes and trunk prefixes from the ITU-T E.164 assignments and
 * national numbering plans. Italy and San Marino keep the leading 0. */
static const struct country countries[] = {
	{ "US", "1", "1", 10, 10 },   { "CA", "1", "1", 10, 10 },
	{ "GB", "44", "0", 9, 10 },   { "IE", "353", "0", 7, 9 },
	{ "FR", "33", "0", 9, 9 },    { "DE", "49", "0", 5, 13 },
	{ "IT", "39", "", 6, 11 },    { "ES", "34", "", 9, 9 },
	{ "PT", "351", "", 9, 9 },    { "NL", "31", "0", 9, 9 },
	{ "BE", "32", "0", 8, 9 },    { "LU", "352", "", 4, 11 },
	{ "CH", "41", "0", 9, 9 },    { "AT", "43", "0", 4, 13 },
	{ "DK", "45", "", 8, 8 },     { "SE", "46", "0", 7, 13 },
	{ "NO", "47", "", 8, 8 },     { "FI", "358", "0", 5, 12 },
	{ "PL", "48", "", 9, 9 },     { "CZ", "420", "", 9, 9 },
	{ "GR", "30", "", 10, 10 },   { "RO", "40", "0", 9, 9 },
	{ "HU", "36", "06", 8, 9 },   { "TR", "90", "0", 10, 10 },
	{ "RU", "7", "8", 10, 10 },   { "IN", "91", "0", 10, 10 },
	{ "CN", "86", "0", 5, 12 },   { "JP", "81", "0", 9, 10 },
	{ "KR", "82", "0", 8, 11 },   { "AU", "61", "0", 9, 9 },
	{ "NZ", "64", "0", 8, 10 },   { "BR", "55", "0", 10, 11 },
	{ "MX", "52", "", 10, 10 },   { "AR", "54", "0", 10, 11 },
	{ "CL", "56", "", 9, 9 },     { "CO", "57", "", 10, 10 },
	{ "ZA", "27", "0", 9, 9 },    { "IL", "972", "0", 8, 9 },
	{ "AE", "971", "0", 8, 9 },   { "SG", "65", "", 8, 8 },
	{ "HK", "852", "", 8, 8 },    { "MT", "356", "", 8, 8 },
	{ "SM", "378", "", 6, 10 },   { "MC", "377", "", 8, 9 },
};

#define N_COUNTRIES (sizeof countries / sizeof countries[0])

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			    (*s)[*len - 1] == '\r' || (*s)[*len - 1] == '\n'))
		(*len)--;
}

int xo_is_null_token(const char *s, size_t len)
{
	static const struct {
		const char *text;
		size_t len;
	} tokens[] = {
		{ "-", 1 }, { "--", 2 }, { "n/a", 3 }, { "na", 2 }, { "null", 4 },
		{ "none", 4 }, { "nil", 3 }, { "#n/a", 4 }, { "unknown", 7 },
		{ "not provided", 12 }, { "not available", 13 }, { "?", 1 },
	};
	trim(&s, &len);
	if (len == 0)
		return 1;
	/* Every token starts with one of these: most values are out at once. */
	int first = s[0] | 0x20;
	if (len > 13 || !(first == 'n' || first == 'u' || s[0] == '-' || s[0] == '#' || s[0] == '?'))
		return 0;
	for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
		if (tokens[i].len == len && strncasecmp(s, tokens[i].text, len) == 0)
			return 1;
	return 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int local_char_ok(unsigned char c)
{
	return is_alnum(c) || c >= 0x80 || strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL;
}

static int check_local(const char *s, size_t len, const char **why)
{
	if (len == 0 || len > 64) {
		*why = len ? "e-mail local part over 64 characters" : "e-mail without a local part";
		return -1;
	}
	if (s[0] == '.' || s[len - 1] == '.') {
		*why = "e-mail local part starts or ends with '.'";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (!local_char_ok((unsigned char)s[i]) || (s[i] == '.' && s[i + 1] == '.')) {
			*why = "invalid character in e-mail local part";
			return -1;
		}
	}
	return 0;
}

static int check_domain(const char *s, size_t len, const char **why)
{
	*why = "invalid e-mail domain";
	if (len == 0 || len > 253 || memchr(s, '.', len) == NULL)
		return -1;
	size_t label = 0, tld_alpha = 0;
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return -1;
			if (i < len)
				tld_alpha = 0;
			label = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-' && c < 0x80)
			return -1;
		if (c == '-' && label == 0)
			return -1;
		if (!(c >= '0' && c <= '9'))
			tld_alpha++;
		label++;
	}
	/* The last label was counted into tld_alpha before the final '.'. */
	const char *dot = s + len;
	while (dot > s && dot[-1] != '.')
		dot--;
	if ((size_t)(s + len - dot) < 2 || tld_alpha == 0)
		return -1;
	return 0;
}

int xo_email_normalize(const char *s, size_t len, struct xo_buf *out, const char **why)
{
	trim(&s, &len);
	const char *open = memchr(s, '<', len);
	if (open) { /* "Display Name <addr>" */
		const char *close = memchr(open, '>', len - (size_t)(open - s));
		if (!close) {
			*why = "e-mail with '<' but no '>'";
			return -1;
		}
		s = open + 1;
		len = (size_t)(close - s);
		trim(&s, &len);
	}
	if (len >= 7 && strncasecmp(s, "mailto:", 7) == 0) {
		s += 7;
		len -= 7;
	}
	if (len > 254) {
		*why = "e-mail over 254 characters";
		return -1;
	}
	const char *at = memchr(s, '@', len);
	if (!at) {
		*why = "e-mail without '@'";
		return -1;
	}
	if (memchr(at + 1, '@', len - (size_t)(at - s) - 1)) {
		*why = "e-mail with more than one '@'";
		return -1;
	}
	size_t local_len = (size_t)(at - s);
	if (check_local(s, local_len, why) != 0 ||
	    check_domain(at + 1, len - local_len - 1, why) != 0)
		return -1;
	xo_buf_reserve(out, len);
	for (size_t i = 0; i < len; i++)
		out->data[out->len + i] = (char)lower((unsigned char)s[i]);
	out->len += len;
	out->data[out->len] = '\0';
	return 0;
}

static const struct country *country_by_iso(const char *iso)
{
	/* Every number of an export is read with the same default country:
	 * remember the last answer. */
	static const char *last_iso;
	static const struct country *last;
	if (!iso)
		return NULL;
	if (iso == last_iso)
		return last;
	const struct country *found = NULL;
	for (size_t i = 0; i < N_COUNTRIES && !found; i++)
		if (strcasecmp(countries[i].iso, iso) == 0)
			found = &countries[i];
	last_iso = iso;
	last = found;
	return found;
}

int xo_phone_country_known(const char *iso)
{
	return country_by_iso(iso) != NULL;
}

/* The country whose calling code prefixes digits (longest first), whose
 * national number length fits. */
static const struct country *country_by_code(const char *digits, size_t n)
{
	const struct country *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < N_COUNTRIES; i++) {
		const char *cc = countries[i].cc;
		if (cc[0] != digits[0])
			continue;
		size_t cl = strlen(cc);
		if (cl <= n && cl > best_len && memcmp(digits, cc, cl) == 0) {
			best = &countries[i];
			best_len = cl;
		}
	}
	return best;
}

/* Drop an extension at the end: "x123", "ext. 123", "#123", ";ext=123". */
static size_t strip_extension(const char *s, size_t len)
{
	size_t letters = 0;
	for (size_t i = 0; i < len; i++)
		letters += ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || s[i] == '#' || s[i] == ';';
	if (letters == 0)
		return len; /* the usual case: digits and separators only */
	for (size_t i = 0; i < len; i++) {
		char c = (char)lower((unsigned char)s[i]);
		if (c == 'x' || c == '#' || c == ';' || (c == 'e' && i + 2 < len &&
		    lower((unsigned char)s[i + 1]) == 'x' && lower((unsigned char)s[i + 2]) == 't')) {
			size_t j = i + 1;
			while (j < len && !(s[j] >= '0' && s[j] <= '9'))
				j++;
			size_t k = j;
			while (k < len && s[k] >= '0' && s[k] <= '9')
				k++;
			if (j < len && k == len && j - i <= 6)
				return i;
		}
	}
	return len;
}

int xo_phone_normalize(const char *s, size_t len, const char *iso,
		       struct xo_buf *out, const char **why)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;
	trim(&s, &len);
	len = strip_extension(s, len);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (n == sizeof digits - 1) {
				*why = "phone number too long";
				return -1;
			}
			digits[n++] = c;
		} else if (c == '+' && n == 0 && !plus) {
			plus = 1;
		} else if (c == '(' && i + 2 < len && s[i + 1] == '0' && s[i + 2] == ')' && (plus || n > 0)) {
			i += 2; /* "+44 (0)20": the trunk 0 written for national callers */
		} else if (!strchr(" -./()\t", c)) {
			*why = "invalid character in phone number";
			return -1;
		}
	}
	digits[n] = '\0';
	if (n == 0) {
		*why = "phone number without digits";
		return -1;
	}
	const struct country *home = country_by_iso(iso);
	const char *intl = NULL;
	if (plus)
		intl = digits;
	else if (n > 2 && digits[0] == '0' && digits[1] == '0')
		intl = digits + 2;
	else if (home && strcmp(home->cc, "1") == 0 && n > 3 && memcmp(digits, "011", 3) == 0)
		intl = digits + 3;
	/* The number is "+" cc nsn; for a calling code xo does not know,
	 * cc is empty and nsn holds all the digits. */
	const struct country *c;
	const char *cc, *nsn;
	if (intl) {
		c = country_by_code(intl, strlen(intl));
		cc = c ? c->cc : "";
		nsn = intl + strlen(cc);
		if (c && nsn[0] == '0' && strcmp(c->trunk, "0") == 0)
			nsn++; /* "+44 020 ...": a trunk 0 written after the country code */
	} else {
		if (!home) {
			*why = iso ? "unknown default country for phone numbers"
				   : "phone number without country code (set default-country)";
			return -1;
		}
		c = home;
		cc = c->cc;
		nsn = digits;
		size_t tl = strlen(c->trunk);
		/* NANP numbers may come with or without their trunk 1. */
		if (tl && strncmp(nsn, c->trunk, tl) == 0 &&
		    (strcmp(c->cc, "1") != 0 || strlen(nsn) == (size_t)c->nsn_max + tl))
			nsn += tl;
	}
	size_t nl = strlen(nsn), total = strlen(cc) + nl;
	if (total < 7 || total > 15 || (c && (nl < (size_t)c->nsn_min || nl > (size_t)c->nsn_max))) {
		*why = "phone number of the wrong length";
		return -1;
	}
	xo_buf_addc(out, '+');
	xo_buf_adds(out, cc);
	xo_buf_add(out, nsn, nl);
	return 0;
}

int xo_handle_normalize(const char *s, size_t len, struct xo_buf *out, const char **why)
{
	trim(&s, &len);
	if (len > 0 && s[0] == '@') {
		s++;
		len--;
	}
	if (len == 0) {
		*why = "empty handle";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '@') {
			*why = "invalid character in handle";
			return -1;
		}
	}
	for (size_t i = 0; i < len; i++)
		xo_buf_addc(out, (char)lower((unsigned char)s[i]));
	return 0;
}

int xo_ident_normalize(const char *kind, const char *s, size_t len, const char *country,
		       struct xo_buf *out, const char **why)
{
	if (strcmp(kind, "email") == 0)
		return xo_email_normalize(s, len, out, why);
	if (strcmp(kind, "phone") == 0)
		return xo_phone_normalize(s, len, country, out, why);
	if (strcmp(kind, "handle") == 0)
		return xo_handle_normalize(s, len, out, why);
	trim(&s, &len);
	if (len == 0) {
		*why = "empty identifier";
		return -1;
	}
	if (strcmp(kind, "device") == 0) {
		for (size_t i = 0; i < len; i++)
			xo_buf_addc(out, (char)lower((unsigned char)s[i]));
		return 0;
	}
	xo_buf_add(out, s, len);
	return 0;
}
