/*
 * A bounded text builder for bufinfo and debug messages. The core stays free
 * of stdio: printf pulls tens of KiB into an MCU image and may take locks.
 * Truncation is silent; text->len still counts the whole text (snprintf's
 * contract), so callers can size a second attempt.
 */
#include "internal.h"

void dmabuf_text_init(struct dmabuf_text *text, char *buf, size_t cap)
{
	text->buf = buf;
	text->cap = cap;
	text->len = 0;
	if (cap > 0)
		buf[0] = '\0';
}

static void put_char(struct dmabuf_text *text, char c)
{
	size_t len = text->len++;
	if (len + 1 < text->cap) {
		text->buf[len] = c;
		text->buf[len + 1] = '\0';
	}
}

/* @s (@n chars) in a field of @width: padded with @pad before it, or with
 * spaces after it if @left. */
static void put_field(struct dmabuf_text *text, const char *s, size_t n, bool left, char pad, uint32_t width)
{
	for (; !left && width > n; width--)
		put_char(text, pad);
	for (size_t i = 0; i < n; i++)
		put_char(text, s[i]);
	for (; left && width > n; width--)
		put_char(text, ' ');
}

/* Digits of @value in @base, written backwards from @end; returns the first. */
static char *digits(char *end, uint32_t value, uint32_t base)
{
	do {
		uint32_t digit = value % base;
		*--end = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
		value /= base;
	} while (value != 0);
	return end;
}

void dmabuf_text_vformat(struct dmabuf_text *text, const char *fmt, va_list args)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put_char(text, *fmt);
			continue;
		}
		fmt++;
		bool left = false;
		char pad = ' ';
		if (*fmt == '-') {
			left = true;
			fmt++;
		} else if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		uint32_t width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10u + (uint32_t)(*fmt++ - '0');

		char number[12];
		char *end = number + sizeof(number);
		char *start;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(args, const char *);
			if (!s)
				s = "(null)";
			size_t n = 0;
			while (s[n])
				n++;
			put_field(text, s, n, left, ' ', width);
			break;
		}
		case 'u':
			start = digits(end, va_arg(args, uint32_t), 10);
			put_field(text, start, (size_t)(end - start), left, pad, width);
			break;
		case 'x':
			start = digits(end, va_arg(args, uint32_t), 16);
			put_field(text, start, (size_t)(end - start), left, pad, width);
			break;
		case 'd': {
			int32_t value = va_arg(args, int32_t);
			/* Magnitude in unsigned arithmetic: -INT32_MIN overflows int32_t. */
			uint32_t magnitude = value < 0 ? 0u - (uint32_t)value : (uint32_t)value;
			start = digits(end, magnitude, 10);
			if (value < 0)
				*--start = '-';
			put_field(text, start, (size_t)(end - start), left, pad, width);
			break;
		}
		case '%':
			put_char(text, '%');
			break;
		default:
			/* A format bug in the core: show it rather than guess. */
			put_char(text, '%');
			if (*fmt == '\0')
				return;
			put_char(text, *fmt);
			break;
		}
	}
}

void dmabuf_text_format(struct dmabuf_text *text, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	dmabuf_text_vformat(text, fmt, args);
	va_end(args);
}
