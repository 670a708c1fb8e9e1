/* Unit tests for lib/ident: e-mail, phone, handle normalization. */
#include "ident.h"
#include "unit.h"

static const char *norm(const char *kind, const char *s, const char *country)
{
	static struct xo_buf out;
	const char *why = NULL;
	xo_buf_reset(&out);
	if (xo_ident_normalize(kind, s, strlen(s), country, &out, &why) != 0)
		return why;
	return xo_buf_str(&out);
}

static void emails(void)
{
	CHECK_STR(norm("email", " Anna.Rossi@Example.IT ", NULL), "anna.rossi@example.it", "trim and lower-case");
	CHECK_STR(norm("email", "Anna Rossi <anna@example.it>", NULL), "anna@example.it", "display name form");
	CHECK_STR(norm("email", "mailto:Bob@Example.com", NULL), "bob@example.com", "mailto:");
	CHECK_STR(norm("email", "o'brien+cx@mail.example.co.uk", NULL), "o'brien+cx@mail.example.co.uk", "plus and apostrophe");
	CHECK_STR(norm("email", "anna@", NULL), "invalid e-mail domain", "no domain");
	CHECK_STR(norm("email", "anna.example.it", NULL), "e-mail without '@'", "no @");
	CHECK_STR(norm("email", "a@b@c.it", NULL), "e-mail with more than one '@'", "two @");
	CHECK_STR(norm("email", "anna rossi@example.it", NULL), "invalid character in e-mail local part", "space");
	CHECK_STR(norm("email", "anna..rossi@example.it", NULL), "invalid character in e-mail local part", "double dot");
	CHECK_STR(norm("email", ".anna@example.it", NULL), "e-mail local part starts or ends with '.'", "leading dot");
	CHECK_STR(norm("email", "anna@localhost", NULL), "invalid e-mail domain", "domain without dot");
	CHECK_STR(norm("email", "anna@example.c", NULL), "invalid e-mail domain", "one-letter TLD");
	CHECK_STR(norm("email", "anna@-example.it", NULL), "invalid e-mail domain", "label starts with -");
	CHECK_STR(norm("email", "anna@1.2.3.4", NULL), "invalid e-mail domain", "numeric TLD");
	CHECK_STR(norm("email", "jos\xc3\xa9@caf\xc3\xa9.es", NULL), "jos\xc3\xa9@caf\xc3\xa9.es", "UTF-8 kept");
	CHECK_STR(norm("email", "<anna@example.it", NULL), "e-mail with '<' but no '>'", "unclosed <");
}

static void phones(void)
{
	CHECK_STR(norm("phone", "347 123 4567", "IT"), "+393471234567", "IT mobile");
	CHECK_STR(norm("phone", "02 1234 5678", "IT"), "+390212345678", "IT landline keeps its 0");
	CHECK_STR(norm("phone", "+39 347-123-4567", NULL), "+393471234567", "+39 with dashes");
	CHECK_STR(norm("phone", "0039 347 1234567", NULL), "+393471234567", "00 prefix");
	CHECK_STR(norm("phone", "+44 (0)20 7946 0958", NULL), "+442079460958", "(0) dropped");
	CHECK_STR(norm("phone", "020 7946 0958", "GB"), "+442079460958", "GB trunk 0 dropped");
	CHECK_STR(norm("phone", "+44 020 7946 0958", NULL), "+442079460958", "trunk 0 after +44 dropped");
	CHECK_STR(norm("phone", "(415) 555-0100", "US"), "+14155550100", "US 10 digits");
	CHECK_STR(norm("phone", "1-415-555-0100", "US"), "+14155550100", "US with trunk 1");
	CHECK_STR(norm("phone", "011 39 347 1234567", "US"), "+393471234567", "US 011 international prefix");
	CHECK_STR(norm("phone", "612 34 56 78", "ES"), "+34612345678", "ES");
	CHECK_STR(norm("phone", "06 12 34 56 78", "FR"), "+33612345678", "FR trunk 0");
	CHECK_STR(norm("phone", "+1 415 555 0100 ext. 12", NULL), "+14155550100", "extension dropped");
	CHECK_STR(norm("phone", "+1 415 555 0100 x12", NULL), "+14155550100", "x extension dropped");
	CHECK_STR(norm("phone", "347 123 4567", NULL), "phone number without country code (set default-country)", "no country");
	CHECK_STR(norm("phone", "347 123 4567", "XX"), "unknown default country for phone numbers", "unknown country");
	CHECK_STR(norm("phone", "call me", "IT"), "invalid character in phone number", "letters");
	CHECK_STR(norm("phone", "12", "IT"), "phone number of the wrong length", "too short");
	CHECK_STR(norm("phone", "+1 415 555 01", NULL), "phone number of the wrong length", "US too short");
	CHECK_STR(norm("phone", "+999 1234567890123456789", NULL), "phone number of the wrong length", "too long");
	CHECK_STR(norm("phone", "+86 10 1234 5678", NULL), "+861012345678", "CN");
}

static void others(void)
{
	CHECK_STR(norm("handle", " @Anna_R ", NULL), "anna_r", "handle");
	CHECK_STR(norm("handle", "@", NULL), "empty handle", "empty handle");
	CHECK_STR(norm("device", " ABC-123 ", NULL), "abc-123", "device lower-cased");
	CHECK_STR(norm("customer", " C-1001 ", NULL), "C-1001", "customer trimmed, case kept");
	CHECK(xo_is_null_token(" N/A ", 5), "N/A is null");
	CHECK(xo_is_null_token("unknown", 7), "unknown is null");
	CHECK(xo_is_null_token("", 0), "empty is null");
	CHECK(!xo_is_null_token("nan", 3), "nan is not null");
	CHECK(xo_phone_country_known("it") && !xo_phone_country_known("XX"), "country table");
}

int main(void)
{
	emails();
	phones();
	others();
	return unit_done();
}
