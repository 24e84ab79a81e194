/* Formatted output to COM1 without a C library. */
#include "guests/lib/print.h"
#include "guests/lib/div64.h"
#include "guests/lib/serial.h"

struct spec {
	bool left;		/* '-': pad on the right */
	char pad;		/* ' ' or '0' */
	unsigned width;
};

static void put_padded(const struct spec *s, const char *text, unsigned len)
{
	unsigned fill = s->width > len ? s->width - len : 0;

	if (!s->left)
		while (fill--)
			serial_putc(s->pad);
	while (len--)
		serial_putc(*text++);
	if (s->left)
		while (fill--)
			serial_putc(' ');
}

/* Prints v in base 10 or 16, with a '-' when negative is set. */
static void put_number(const struct spec *s, uint64_t v, unsigned base,
		       bool upper, bool negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	unsigned i = sizeof(buf);
	uint32_t d;

	do {
		v = div_u64_rem(v, base, &d);
		buf[--i] = digits[d];
	} while (v);
	if (negative) {
		/* Zero padding goes between the sign and the digits. */
		if (s->pad == '0' && s->width) {
			struct spec rest = *s;

			serial_putc('-');
			rest.width--;
			put_padded(&rest, buf + i, sizeof(buf) - i);
			return;
		}
		buf[--i] = '-';
	}
	put_padded(s, buf + i, sizeof(buf) - i);
}

/* Fetches a signed integer argument of the size the length modifier names. */
static long long fetch_signed(va_list *ap, unsigned longs, bool size_t_arg)
{
	if (size_t_arg)
		return (long long)va_arg(*ap, size_t);
	if (longs >= 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* Fetches an unsigned integer argument of the size the length modifier names. */
static unsigned long long fetch_unsigned(va_list *ap, unsigned longs, bool size_t_arg)
{
	if (size_t_arg)
		return va_arg(*ap, size_t);
	if (longs >= 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

/* Prints one conversion from *ap. */
static void put_conversion(const struct spec *s, char conv, unsigned longs,
			   bool size_t_arg, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		long long v = fetch_signed(ap, longs, size_t_arg);

		put_number(s, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, false, v < 0);
		break;
	}
	case 'u':
	case 'x':
	case 'X':
		put_number(s, fetch_unsigned(ap, longs, size_t_arg),
			   conv == 'u' ? 10 : 16, conv == 'X', false);
		break;
	case 'p': {
		const struct spec plain = { .pad = ' ' };

		serial_putc('0');
		serial_putc('x');
		put_number(&plain, (uintptr_t)va_arg(*ap, void *), 16, false, false);
		break;
	}
	case 's': {
		const char *str = va_arg(*ap, const char *);
		unsigned len = 0;

		if (!str)
			str = "(null)";
		while (str[len])
			len++;
		put_padded(s, str, len);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);

		put_padded(s, &c, 1);
		break;
	}
	case '%':
		serial_putc('%');
		break;
	default:	/* unknown conversion: show it as written */
		serial_putc('%');
		serial_putc(conv);
	}
}

void kvprintf(const char *fmt, va_list ap)
{
	va_list args;

	/* A copy, so the helpers can take its address on every ABI. */
	va_copy(args, ap);
	for (; *fmt; fmt++) {
		struct spec s = { .pad = ' ' };
		unsigned longs = 0;
		bool size_t_arg = false;

		if (*fmt != '%') {
			serial_putc(*fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				s.left = true;
			else
				s.pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			s.width = s.width * 10 + (unsigned)(*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++) {
			if (*fmt == 'l')
				longs++;
			else
				size_t_arg = true;
		}
		if (!*fmt) {	/* a lone '%' ends the format */
			serial_putc('%');
			break;
		}
		put_conversion(&s, *fmt, longs, size_t_arg, &args);
	}
	va_end(args);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
