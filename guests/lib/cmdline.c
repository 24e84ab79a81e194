/* Command-line parsing: key=value words. */
#include "guests/lib/cmdline.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

const char *cmdline_value(const char *cmdline, const char *key, size_t *len)
{
	size_t key_len = strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *word = p;

		while (*p && !is_blank(*p))
			p++;
		if ((size_t)(p - word) > key_len && !memcmp(word, key, key_len) &&
		    word[key_len] == '=') {
			*len = (size_t)(p - word) - key_len - 1;
			return word + key_len + 1;
		}
		while (is_blank(*p))
			p++;
	}
	return NULL;
}

uint32_t cmdline_number(const char *cmdline, const char *key, uint32_t dflt)
{
	size_t len;
	const char *v = cmdline_value(cmdline, key, &len);
	uint32_t n = 0;

	if (!v || len == 0 || len > 9)	/* nine digits cannot overflow */
		return dflt;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return dflt;
		n = n * 10 + (uint32_t)(v[i] - '0');
	}
	return n;
}

bool cmdline_expect_hv(const char *cmdline)
{
	size_t len;
	const char *v = cmdline_value(cmdline, "expect", &len);

	if (!v || (len == 4 && !memcmp(v, "bare", 4)))
		return false;
	if (len == 2 && !memcmp(v, "hv", 2))
		return true;
	fail("expect= must be hv or bare");
	return false;
}
