/*
 * Pixel kernels (kernels.h). Written row by row; fills use 32-bit stores
 * once the address is aligned. memcpy of 4 bytes is how portable C says "one
 * 32-bit store" without breaking aliasing rules: every compiler here emits a
 * single str / sw for it.
 */
#include <string.h>

#include "dmabuf/frame.h"
#include "kernels.h"

static uint8_t clamp_byte(int32_t value)
{
	return (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
}

static uint32_t luma(uint32_t rgb)
{
	uint32_t r = (rgb >> 16) & 0xFFu, g = (rgb >> 8) & 0xFFu, b = rgb & 0xFFu;
	return (77u * r + 150u * g + 29u * b + 128u) >> 8;
}

static uint32_t rgb565_from_rgb(uint32_t rgb)
{
	return ((rgb >> 8) & 0xF800u) | ((rgb >> 5) & 0x07E0u) | ((rgb >> 3) & 0x001Fu);
}

static uint32_t rgb_from_rgb565(uint32_t value)
{
	uint32_t r = (value >> 11) & 0x1Fu, g = (value >> 5) & 0x3Fu, b = value & 0x1Fu;
	return ((r << 3 | r >> 2) << 16) | ((g << 2 | g >> 4) << 8) | (b << 3 | b >> 2);
}

static uint32_t load565(const uint8_t *p, uint32_t format)
{
	return format == DMABUF_PIXEL_RGB565_LE ? (uint32_t)p[0] | (uint32_t)p[1] << 8
						: (uint32_t)p[0] << 8 | (uint32_t)p[1];
}

static void store565(uint8_t *p, uint32_t format, uint32_t value)
{
	uint8_t high = (uint8_t)(value >> 8), low = (uint8_t)value;
	p[format == DMABUF_PIXEL_RGB565_LE ? 0 : 1] = low;
	p[format == DMABUF_PIXEL_RGB565_LE ? 1 : 0] = high;
}

uint32_t dmabuf_pixel_encode(uint32_t format, uint32_t rgb, uint8_t pixel[3])
{
	switch (format) {
	case DMABUF_PIXEL_RGB565_LE:
	case DMABUF_PIXEL_RGB565_BE:
		store565(pixel, format, rgb565_from_rgb(rgb));
		return 2;
	case DMABUF_PIXEL_RGB888:
		pixel[0] = (uint8_t)(rgb >> 16);
		pixel[1] = (uint8_t)(rgb >> 8);
		pixel[2] = (uint8_t)rgb;
		return 3;
	default: /* GRAY8 */
		pixel[0] = (uint8_t)luma(rgb);
		return 1;
	}
}

/* BT.601 limited range, the integer form every camera datasheet gives. */
static uint32_t rgb_from_yuv(int32_t y, int32_t u, int32_t v)
{
	int32_t c = y - 16, d = u - 128, e = v - 128;
	uint32_t r = clamp_byte((298 * c + 409 * e + 128) >> 8);
	uint32_t g = clamp_byte((298 * c - 100 * d - 208 * e + 128) >> 8);
	uint32_t b = clamp_byte((298 * c + 516 * d + 128) >> 8);
	return r << 16 | g << 8 | b;
}

uint32_t dmabuf_pixel_decode(uint32_t format, const uint8_t *pixel, uint32_t phase)
{
	switch (format) {
	case DMABUF_PIXEL_RGB565_LE:
	case DMABUF_PIXEL_RGB565_BE:
		return rgb_from_rgb565(load565(pixel, format));
	case DMABUF_PIXEL_RGB888:
		return (uint32_t)pixel[0] << 16 | (uint32_t)pixel[1] << 8 | pixel[2];
	case DMABUF_PIXEL_GRAY8:
		return (uint32_t)pixel[0] * 0x010101u;
	default: /* YUYV: Y0 U Y1 V */
		return rgb_from_yuv(pixel[phase * 2u], pixel[1], pixel[3]);
	}
}

/*
 * @bytes (a multiple of 4) of @word from @p (word-aligned); returns the end.
 * On Armv7-M two 16-byte STMs per loop pass: issue 18 asks a fill of 0.15
 * instructions per byte, and newlib's memset (0.51) or a plain word loop
 * cannot reach it. The pattern sits in r4-r6, r8 (an STM list must ascend;
 * r7 is the Thumb frame pointer when one is kept).
 */
static uint8_t *fill_words(uint8_t *p, uint32_t word, uint32_t bytes)
{
#if defined(__thumb2__)
	uint32_t blocks = bytes / 32u;
	if (blocks) {
		register uint32_t w0 __asm__("r4") = word;
		register uint32_t w1 __asm__("r5") = word;
		register uint32_t w2 __asm__("r6") = word;
		register uint32_t w3 __asm__("r8") = word;
		__asm__ volatile("1: stmia %0!, {%2, %3, %4, %5}\n\t"
				 "stmia %0!, {%2, %3, %4, %5}\n\t"
				 "subs %1, %1, #1\n\t"
				 "bne 1b"
				 : "+r"(p), "+r"(blocks)
				 : "r"(w0), "r"(w1), "r"(w2), "r"(w3)
				 : "memory", "cc");
		bytes &= 31u;
	}
#endif
	/* aligned: one word store each (else RV32 stores byte by byte) */
	uint8_t *q = __builtin_assume_aligned(p, 4);
	for (; bytes >= 4; bytes -= 4, q += 4)
		memcpy(q, &word, 4);
	return q;
}

static void fill_row(uint8_t *p, uint32_t count, const uint8_t *pixel, uint32_t bpp)
{
	/* One or two bytes per pixel, the pattern's phase the same on every
	 * word: any address for one byte, an even one for two (or two equal
	 * bytes). Bytes up to a word, words, then the last bytes; runs of
	 * under 16 bytes (the text's scaled dots) pixel by pixel. */
	if (count * bpp >= 16u &&
	    (bpp == 1 || (bpp == 2 && (((uintptr_t)p & 1u) == 0 || pixel[0] == pixel[1])))) {
		const uint8_t pattern[4] = { pixel[0], pixel[bpp - 1u], pixel[0], pixel[bpp - 1u] };
		uint32_t bytes = count * bpp, i = 0;
		for (; bytes > 0 && ((uintptr_t)p & 3u) != 0; bytes--, p++, i++)
			*p = pattern[i & 1u];
		uint32_t word;
		memcpy(&word, pattern, 4);
		p = fill_words(p, word, bytes & ~3u);
		for (bytes &= 3u, i = 0; bytes > 0; bytes--, p++, i++)
			*p = pattern[i & 1u];
		return;
	}
	/* byte stores: a memcpy of a variable size is a library call */
	for (; count > 0; count--, p += bpp) {
		p[0] = pixel[0];
		if (bpp > 1)
			p[1] = pixel[1];
		if (bpp > 2)
			p[2] = pixel[2];
	}
}

void dmabuf_kernel_fill(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, const uint8_t *pixel,
			uint32_t bpp)
{
	if (stride == width * bpp) { /* rows back to back: one run */
		fill_row(dst, width * height, pixel, bpp);
		return;
	}
	for (uint32_t row = 0; row < height; row++, dst += stride)
		fill_row(dst, width, pixel, bpp);
}

void dmabuf_kernel_darken(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, uint32_t format)
{
	for (uint32_t row = 0; row < height; row++, dst += stride) {
		uint8_t *p = dst;
		if (format == DMABUF_PIXEL_RGB565_LE || format == DMABUF_PIXEL_RGB565_BE) {
			/* 0x7BEF keeps each field's bits after the shift: none crosses
			 * into its neighbour. */
			for (uint32_t i = 0; i < width; i++, p += 2)
				store565(p, format, (load565(p, format) >> 1) & 0x7BEFu);
			continue;
		}
		/* RGB888 / GRAY8: every byte halves, 4 at a time with the
		 * bits crossing a byte boundary masked off. */
		uint32_t bytes = width * (format == DMABUF_PIXEL_RGB888 ? 3u : 1u);
		for (; bytes > 0 && ((uintptr_t)p & 3u) != 0; bytes--, p++)
			*p = (uint8_t)(*p >> 1);
		for (; bytes >= 4; bytes -= 4, p += 4) {
			uint32_t word;
			memcpy(&word, p, 4);
			word = (word >> 1) & 0x7F7F7F7Fu;
			memcpy(p, &word, 4);
		}
		for (; bytes > 0; bytes--, p++)
			*p = (uint8_t)(*p >> 1);
	}
}

static uint32_t mix(uint32_t pixel, uint32_t colour, uint32_t alpha)
{
	return (pixel * (255u - alpha) + colour * alpha + 127u) / 255u;
}

void dmabuf_kernel_blend(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, uint32_t format,
			 uint32_t rgb, uint32_t alpha)
{
	if (format == DMABUF_PIXEL_RGB565_LE || format == DMABUF_PIXEL_RGB565_BE) {
		uint32_t c = rgb565_from_rgb(rgb);
		uint32_t cr = c >> 11, cg = (c >> 5) & 0x3Fu, cb = c & 0x1Fu;
		for (uint32_t row = 0; row < height; row++, dst += stride) {
			uint8_t *p = dst;
			for (uint32_t i = 0; i < width; i++, p += 2) {
				uint32_t v = load565(p, format);
				uint32_t r = mix(v >> 11, cr, alpha), g = mix((v >> 5) & 0x3Fu, cg, alpha);
				store565(p, format, r << 11 | g << 5 | mix(v & 0x1Fu, cb, alpha));
			}
		}
		return;
	}
	uint8_t colour[3];
	uint32_t bpp = dmabuf_pixel_encode(format, rgb, colour);
	for (uint32_t row = 0; row < height; row++, dst += stride) {
		uint8_t *p = dst;
		for (uint32_t i = 0; i < width * bpp; i++, p++)
			*p = (uint8_t)mix(*p, colour[i % bpp], alpha);
	}
}

/*
 * Same-format copy. Overlap (one buffer, same stride) is safe if the rows go
 * away from the destination: bottom-up when it lies after the source. Kept
 * out of dmabuf_kernel_copy so the conversion loop's registers stay its own
 * (inlined, it cost the conversions 2 instructions per pixel on Cortex-M7).
 */
__attribute__((noinline)) static void move_rows(const uint8_t *src, uint32_t src_stride, uint8_t *dst,
						uint32_t dst_stride, size_t bytes, uint32_t height)
{
	if (src_stride == bytes && dst_stride == bytes) {
		/* Rows back to back: one run; memcpy unless it overlaps
		 * (newlib's memmove is 1.4x its memcpy on Cortex-M7). */
		size_t run = bytes * height;
		uintptr_t s = (uintptr_t)src, d = (uintptr_t)dst;
		if (d + run <= s || s + run <= d)
			memcpy(dst, src, run);
		else
			memmove(dst, src, run);
		return;
	}
	if (dst > src) {
		for (uint32_t row = height; row-- > 0;)
			memmove(dst + (size_t)row * dst_stride, src + (size_t)row * src_stride, bytes);
	} else {
		for (uint32_t row = 0; row < height; row++)
			memmove(dst + (size_t)row * dst_stride, src + (size_t)row * src_stride, bytes);
	}
}

/*
 * @count RGB565 pixels from @src to @dst with their two bytes swapped (LE to
 * BE and back; the two never overlap, frame.c refuses a converting copy onto
 * itself). A word at a time when both lie alike on words; on Armv7-M 16 bytes
 * per LDM, 4 REV16, STM pass: issue 18 asks a conversion within 1.3x of
 * memcpy per byte, and byte stores are 7.6x.
 */
static void swap_pixels(const uint8_t *src, uint8_t *dst, uint32_t count)
{
	if (((((uintptr_t)src ^ (uintptr_t)dst) & 3u) | ((uintptr_t)dst & 1u)) == 0) {
		if (((uintptr_t)dst & 2u) && count > 0) {
			dst[0] = src[1];
			dst[1] = src[0];
			src += 2, dst += 2, count--;
		}
#if defined(__thumb2__)
		uint32_t blocks = count / 8u;
		if (blocks) {
			register uint32_t w0 __asm__("r4"), w1 __asm__("r5"), w2 __asm__("r6"), w3 __asm__("r8");
			__asm__ volatile("1: ldmia %[s]!, {%[w0], %[w1], %[w2], %[w3]}\n\t"
					 "rev16 %[w0], %[w0]\n\t"
					 "rev16 %[w1], %[w1]\n\t"
					 "rev16 %[w2], %[w2]\n\t"
					 "rev16 %[w3], %[w3]\n\t"
					 "stmia %[d]!, {%[w0], %[w1], %[w2], %[w3]}\n\t"
					 "subs %[n], %[n], #1\n\t"
					 "bne 1b"
					 : [s] "+r"(src), [d] "+r"(dst), [n] "+r"(blocks), [w0] "=&r"(w0), [w1] "=&r"(w1),
					   [w2] "=&r"(w2), [w3] "=&r"(w3)
					 :
					 : "memory", "cc");
			count &= 7u;
		}
#endif
		const uint8_t *s = __builtin_assume_aligned(src, 4);
		uint8_t *d = __builtin_assume_aligned(dst, 4);
		for (; count >= 2; count -= 2, s += 4, d += 4) {
			uint32_t word;
			memcpy(&word, s, 4);
			word = ((word >> 8) & 0x00FF00FFu) | ((word & 0x00FF00FFu) << 8);
			memcpy(d, &word, 4);
		}
		src = s, dst = d;
	}
	for (; count > 0; count--, src += 2, dst += 2) {
		dst[0] = src[1];
		dst[1] = src[0];
	}
}

void dmabuf_kernel_copy(const uint8_t *src, uint32_t src_stride, uint32_t src_format, uint32_t src_phase,
			uint8_t *dst, uint32_t dst_stride, uint32_t dst_format, uint32_t width, uint32_t height)
{
	uint32_t src_bpp = dmabuf_pixel_bytes(src_format), dst_bpp = dmabuf_pixel_bytes(dst_format);
	if (src_format == dst_format) {
		move_rows(src, src_stride, dst, dst_stride, (size_t)width * src_bpp, height);
		return;
	}
	bool swap = (src_format == DMABUF_PIXEL_RGB565_LE && dst_format == DMABUF_PIXEL_RGB565_BE) ||
		    (src_format == DMABUF_PIXEL_RGB565_BE && dst_format == DMABUF_PIXEL_RGB565_LE);
	for (uint32_t row = 0; row < height; row++, src += src_stride, dst += dst_stride) {
		uint8_t *q = dst;
		if (swap) {
			swap_pixels(src, q, width);
			continue;
		}
		for (uint32_t i = 0; i < width; i++, q += dst_bpp) {
			uint32_t rgb;
			if (src_format == DMABUF_PIXEL_YUYV) {
				uint32_t position = src_phase + i;
				rgb = dmabuf_pixel_decode(src_format, src + (position >> 1) * 4u, position & 1u);
			} else {
				rgb = dmabuf_pixel_decode(src_format, src + i * src_bpp, 0);
			}
			uint8_t pixel[3];
			dmabuf_pixel_encode(dst_format, rgb, pixel);
			memcpy(q, pixel, dst_bpp);
		}
	}
}

/* The part of [start, start + size) inside [0, limit): false if none. */
static bool clip_span(int32_t start, uint32_t size, uint32_t limit, uint32_t *from, uint32_t *to)
{
	int64_t first = start < 0 ? 0 : start;
	int64_t end = (int64_t)start + size;
	if (end > (int64_t)limit)
		end = limit;
	if (first >= end)
		return false;
	*from = (uint32_t)first;
	*to = (uint32_t)end;
	return true;
}

void dmabuf_kernel_text(uint8_t *dst, uint32_t stride, uint32_t bpp, const uint8_t *pixel, uint32_t clip_width,
			uint32_t clip_height, int32_t text_x, int32_t text_y, const char *text, uint32_t length,
			uint32_t scale)
{
	for (uint32_t glyph_row = 0; glyph_row < DMABUF_FONT_GLYPH_HEIGHT; glyph_row++) {
		uint32_t y0, y1;
		if (!clip_span(text_y + (int32_t)(glyph_row * scale), scale, clip_height, &y0, &y1))
			continue;
		for (uint32_t c = 0; c < length; c++) {
			uint32_t bits = dmabuf_font_5x7[(uint8_t)text[c] - 0x20u][glyph_row];
			int32_t cell_x = text_x + (int32_t)(c * DMABUF_FONT_CELL_WIDTH * scale);
			for (uint32_t column = 0; bits != 0 && column < DMABUF_FONT_GLYPH_WIDTH; column++) {
				uint32_t x0, x1;
				if (!(bits & (0x10u >> column)) ||
				    !clip_span(cell_x + (int32_t)(column * scale), scale, clip_width, &x0, &x1))
					continue;
				dmabuf_kernel_fill(dst + (size_t)y0 * stride + (size_t)x0 * bpp, stride, x1 - x0,
						   y1 - y0, pixel, bpp);
			}
		}
	}
}

void dmabuf_kernel_sprite(uint8_t *dst, uint32_t stride, const uint8_t *src, uint32_t src_stride,
			  uint32_t width, uint32_t height, uint32_t bpp, const uint8_t *transparent)
{
	for (uint32_t row = 0; row < height; row++, dst += stride, src += src_stride) {
		for (uint32_t i = 0; i < width; i++) {
			const uint8_t *from = src + i * bpp;
			if (memcmp(from, transparent, bpp) != 0)
				memcpy(dst + i * bpp, from, bpp);
		}
	}
}
