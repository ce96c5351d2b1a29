/*
 * Pixel kernels (kernels.h). Written row by row; fills use 32-bit stores
 * once the address is aligned. memcpy of 4 bytes is how portable C says "one
 * 32-bit store" without breaking aliasing rules: every compiler here emits a
 * single str / sw for it. memcpy of 2 bytes at an address of unknown
 * alignment (RGB565 pixels of a frame at an odd offset) is one 16-bit access
 * where the target takes unaligned ones -- Armv7-M on Normal memory, which
 * every frame region of our boards is (the STM32F769's SDRAM through the
 * firmware's MPU region; the default map would make it Device, where an
 * unaligned access faults) -- and byte accesses elsewhere (RV32, Xtensa).
 */
#include <string.h>
#if defined(__ARM_FEATURE_SAT)
#include <arm_acle.h>
#endif

#include "dmabuf/frame.h"
#include "kernels.h"

/* The kernels assume what every target here is: memcpy of a 32-bit word
 * puts its low byte at the lowest address. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the word tricks below assume a little-endian CPU");

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Inlined: a call per channel was a third of a YUYV pixel's instructions.
 * Armv7-M has the clamp as one instruction; GCC does not find it itself.
 * A uint32_t result: a uint8_t one costs a UXTB after every USAT. */
ALWAYS_INLINE uint32_t clamp_byte(int32_t value)
{
#if defined(__ARM_FEATURE_SAT)
	return __usat(value, 8);
#else
	return (uint32_t)(value < 0 ? 0 : value > 255 ? 255 : value);
#endif
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

/* The 16-bit RGB565 value at @p in its byte order (@be). */
ALWAYS_INLINE uint32_t load_rgb565(const uint8_t *p, bool be)
{
	uint16_t value;
	memcpy(&value, p, 2);
	return be ? __builtin_bswap16(value) : value;
}

ALWAYS_INLINE void store_rgb565(uint8_t *p, uint32_t value, bool be)
{
	uint16_t stored = (uint16_t)(be ? __builtin_bswap16((uint16_t)value) : value);
	memcpy(p, &stored, 2);
}

/* @count 16-bit stores of @value from @p (bytes on a target without
 * unaligned stores): the short runs of fills and text, where a call costs
 * more than the stores. */
ALWAYS_INLINE void store_halfwords(uint8_t *p, uint32_t count, uint16_t value)
{
	for (uint8_t *end = p + 2u * count; p != end; p += 2) /* store, compare, branch */
		memcpy(p, &value, 2);
}

uint32_t dmabuf_pixel_encode(uint32_t format, uint32_t rgb, uint8_t pixel[3])
{
	switch (format) {
	case DMABUF_PIXEL_RGB565_LE:
	case DMABUF_PIXEL_RGB565_BE:
		store_rgb565(pixel, rgb565_from_rgb(rgb), format == DMABUF_PIXEL_RGB565_BE);
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
		return rgb_from_rgb565(load_rgb565(pixel, format == DMABUF_PIXEL_RGB565_BE));
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
 * On Armv7-M two 16-byte STMs per loop pass, then one STM of 16 or 8 bytes
 * and a word for the rest: issue 18 asks a fill of 0.15 instructions per
 * byte, and newlib's memset (0.51) or a plain word loop cannot reach it. The
 * pattern sits in r4-r6, r8 (an STM list must ascend; r7 is the Thumb frame
 * pointer when one is kept).
 */
static uint8_t *fill_words(uint8_t *p, uint32_t word, uint32_t bytes)
{
#if defined(__thumb2__)
	uint32_t blocks = bytes / 32u;
	register uint32_t w0 __asm__("r4") = word;
	register uint32_t w1 __asm__("r5") = word;
	register uint32_t w2 __asm__("r6") = word;
	register uint32_t w3 __asm__("r8") = word;
	if (blocks)
		__asm__ volatile("1: stmia %0!, {%2, %3, %4, %5}\n\t"
				 "stmia %0!, {%2, %3, %4, %5}\n\t"
				 "subs %1, %1, #1\n\t"
				 "bne 1b"
				 : "+r"(p), "+r"(blocks)
				 : "r"(w0), "r"(w1), "r"(w2), "r"(w3)
				 : "memory", "cc");
	__asm__ volatile("lsls %1, %1, #28\n\t" /* bit 4 to C, bit 3 to N */
			 "it cs\n\t"
			 "stmiacs %0!, {%2, %3, %4, %5}\n\t"
			 "it mi\n\t"
			 "stmiami %0!, {%2, %3}\n\t"
			 "lsls %1, %1, #2\n\t" /* bit 2 to C */
			 "it cs\n\t"
			 "strcs %2, [%0], #4"
			 : "+r"(p), "+r"(bytes)
			 : "r"(w0), "r"(w1), "r"(w2), "r"(w3)
			 : "memory", "cc");
	return p;
#else
	/* aligned: one word store each (else RV32 stores byte by byte) */
	uint8_t *q = __builtin_assume_aligned(p, 4);
	for (; bytes >= 4; bytes -= 4, q += 4)
		memcpy(q, &word, 4);
	return q;
#endif
}

/*
 * @count pixels of @bpp bytes at @p. One or two bytes per pixel, the
 * pattern's phase the same on every word (@word: the pixel's bytes
 * repeated, as memory holds them): any address for one byte, an even one
 * for two (or two equal bytes). Bytes up to a word, words, then the last
 * bytes; runs of under 16 bytes (the border strips) pixel by pixel.
 */
static void fill_row(uint8_t *p, uint32_t count, const uint8_t *pixel, uint32_t bpp, uint32_t word)
{
	uint32_t bytes = count * bpp;
	if (bytes >= 16u && (bpp == 1 || (bpp == 2 && (((uintptr_t)p & 1u) == 0 || pixel[0] == pixel[1])))) {
		for (; ((uintptr_t)p & 3u) != 0; bytes--, p++, word = word >> 8 | word << 24)
			*p = (uint8_t)word;
		p = fill_words(p, word, bytes & ~3u);
		for (bytes &= 3u; bytes > 0; bytes--, p++, word >>= 8)
			*p = (uint8_t)word;
		return;
	}
	if (bpp == 2) {
		store_halfwords(p, count, (uint16_t)word);
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

/* The word of fill_row: for one or two bytes per pixel, the pixel's bytes
 * repeated (the low byte at the lowest address). */
static uint32_t fill_word(const uint8_t *pixel, uint32_t bpp)
{
	return ((uint32_t)pixel[0] | (uint32_t)pixel[bpp == 1 ? 0 : 1] << 8) * 0x10001u;
}

void dmabuf_kernel_fill(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, const uint8_t *pixel,
			uint32_t bpp)
{
	uint32_t word = fill_word(pixel, bpp);
	if (stride == width * bpp) { /* rows back to back: one run */
		fill_row(dst, width * height, pixel, bpp, word);
		return;
	}
	if (bpp == 2 && width < 8u) { /* the narrow strips of a border: no call per row */
		for (uint32_t row = 0; row < height; row++, dst += stride)
			store_halfwords(dst, width, (uint16_t)word);
		return;
	}
	for (uint32_t row = 0; row < height; row++, dst += stride)
		fill_row(dst, width, pixel, bpp, word);
}

/*
 * Two RGB565 pixels halved in one 32-bit word, as loaded from memory (a
 * little-endian load: the pixel at the lower address in the low half). LE
 * storage holds the values themselves: one shift, and 0x7BEF keeps each
 * field's bits after it, none crossing into its neighbour or the other
 * pixel. BE storage holds them byte-swapped: the shift moves each byte's low
 * bit into the wrong byte's top, so the top bits are masked off (0x7B high
 * byte, 0x6F low byte) and the high byte's low bit -- which belongs at the
 * top of its own low byte, the next address -- is put there by a left shift
 * of 15. Also right for one pixel in the low half (the high half zero).
 */
static uint32_t darken_rgb565_pair(uint32_t word, uint32_t shifted_mask, uint32_t carry_mask)
{
	return ((word >> 1) & shifted_mask) | ((word << 15) & carry_mask);
}

static void darken_rgb565_row(uint8_t *p, uint32_t count, uint32_t shifted_mask, uint32_t carry_mask)
{
	uint16_t pixel;
	if ((uintptr_t)p & 1u) { /* an odd address: pixel by pixel */
		for (; count > 0; count--, p += 2) {
			memcpy(&pixel, p, 2);
			pixel = (uint16_t)darken_rgb565_pair(pixel, shifted_mask, carry_mask);
			memcpy(p, &pixel, 2);
		}
		return;
	}
	if (((uintptr_t)p & 2u) && count > 0) {
		memcpy(&pixel, p, 2);
		pixel = (uint16_t)darken_rgb565_pair(pixel, shifted_mask, carry_mask);
		memcpy(p, &pixel, 2);
		p += 2, count--;
	}
	/* aligned: on Armv7-M 8 pixels per LDM, 12 ALU, STM pass (2
	 * instructions per pixel; the same in C is 3.3: -Os neither pairs the
	 * loads nor keeps the four words in registers), then single words */
	uint8_t *q = __builtin_assume_aligned(p, 4);
#if defined(__thumb2__)
	uint32_t blocks = count / 8u;
	if (blocks) {
		register uint32_t w0 __asm__("r4"), w1 __asm__("r5"), w2 __asm__("r6"), w3 __asm__("r8");
		uint32_t t;
		__asm__ volatile("1: ldmia %[q], {%[w0], %[w1], %[w2], %[w3]}\n\t"
				 "and %[t], %[sm], %[w0], lsr #1\n\t"
				 "and %[w0], %[cm], %[w0], lsl #15\n\t"
				 "orr %[w0], %[w0], %[t]\n\t"
				 "and %[t], %[sm], %[w1], lsr #1\n\t"
				 "and %[w1], %[cm], %[w1], lsl #15\n\t"
				 "orr %[w1], %[w1], %[t]\n\t"
				 "and %[t], %[sm], %[w2], lsr #1\n\t"
				 "and %[w2], %[cm], %[w2], lsl #15\n\t"
				 "orr %[w2], %[w2], %[t]\n\t"
				 "and %[t], %[sm], %[w3], lsr #1\n\t"
				 "and %[w3], %[cm], %[w3], lsl #15\n\t"
				 "orr %[w3], %[w3], %[t]\n\t"
				 "stmia %[q]!, {%[w0], %[w1], %[w2], %[w3]}\n\t"
				 "subs %[n], %[n], #1\n\t"
				 "bne 1b"
				 : [q] "+r"(q), [n] "+r"(blocks), [w0] "=&r"(w0), [w1] "=&r"(w1), [w2] "=&r"(w2),
				   [w3] "=&r"(w3), [t] "=&r"(t)
				 : [sm] "r"(shifted_mask), [cm] "r"(carry_mask)
				 : "memory", "cc");
		count &= 7u;
	}
#endif
	for (; count >= 2; count -= 2, q += 4) {
		uint32_t word;
		memcpy(&word, q, 4);
		word = darken_rgb565_pair(word, shifted_mask, carry_mask);
		memcpy(q, &word, 4);
	}
	if (count > 0) {
		memcpy(&pixel, q, 2);
		pixel = (uint16_t)darken_rgb565_pair(pixel, shifted_mask, carry_mask);
		memcpy(q, &pixel, 2);
	}
}

void dmabuf_kernel_darken(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, uint32_t format)
{
	if (format == DMABUF_PIXEL_RGB565_LE || format == DMABUF_PIXEL_RGB565_BE) {
		bool le = format == DMABUF_PIXEL_RGB565_LE;
		uint32_t shifted_mask = le ? 0x7BEF7BEFu : 0x6F7B6F7Bu, carry_mask = le ? 0u : 0x80008000u;
		for (uint32_t row = 0; row < height; row++, dst += stride)
			darken_rgb565_row(dst, width, shifted_mask, carry_mask);
		return;
	}
	for (uint32_t row = 0; row < height; row++, dst += stride) {
		uint8_t *p = dst;
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

/*
 * RGB565: a field has 32 or 64 values, so the mixes of all of them are
 * computed once (128 of mix(), 256 bytes of stack) and each pixel is three
 * table look-ups -- the same numbers, mix() is what fills the tables. Below
 * 128 pixels the tables cost more than they save.
 */
ALWAYS_INLINE void blend_rgb565_by_table(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, bool be,
					 const uint16_t red[32], const uint16_t green[64], const uint16_t blue[32])
{
	for (uint32_t row = 0; row < height; row++, dst += stride) {
		uint8_t *p = dst;
		for (uint32_t i = 0; i < width; i++, p += 2) {
			uint32_t v = load_rgb565(p, be);
			store_rgb565(p, (uint32_t)red[v >> 11] | green[(v >> 5) & 0x3Fu] | blue[v & 0x1Fu], be);
		}
	}
}

/* Apart from blend_rgb565, whose tables on its stack -Os addressed afresh
 * for every pixel; the byte order a constant in each loop. */
__attribute__((noinline)) static void blend_rgb565_rows(uint8_t *dst, uint32_t stride, uint32_t width,
							uint32_t height, bool be, const uint16_t red[32],
							const uint16_t green[64], const uint16_t blue[32])
{
	if (be)
		blend_rgb565_by_table(dst, stride, width, height, true, red, green, blue);
	else
		blend_rgb565_by_table(dst, stride, width, height, false, red, green, blue);
}

static void blend_rgb565(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, bool be, uint32_t colour,
			 uint32_t alpha)
{
	uint32_t cr = colour >> 11, cg = (colour >> 5) & 0x3Fu, cb = colour & 0x1Fu;
	if ((uint64_t)width * height < 128u) {
		for (uint32_t row = 0; row < height; row++, dst += stride) {
			uint8_t *p = dst;
			for (uint32_t i = 0; i < width; i++, p += 2) {
				uint32_t v = load_rgb565(p, be);
				uint32_t r = mix(v >> 11, cr, alpha), g = mix((v >> 5) & 0x3Fu, cg, alpha);
				store_rgb565(p, r << 11 | g << 5 | mix(v & 0x1Fu, cb, alpha), be);
			}
		}
		return;
	}
	uint16_t red[32], green[64], blue[32];
	for (uint32_t i = 0; i < 32u; i++) {
		red[i] = (uint16_t)(mix(i, cr, alpha) << 11);
		blue[i] = (uint16_t)mix(i, cb, alpha);
	}
	for (uint32_t i = 0; i < 64u; i++)
		green[i] = (uint16_t)(mix(i, cg, alpha) << 5);
	blend_rgb565_rows(dst, stride, width, height, be, red, green, blue);
}

void dmabuf_kernel_blend(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, uint32_t format,
			 uint32_t rgb, uint32_t alpha)
{
	if (format == DMABUF_PIXEL_RGB565_LE || format == DMABUF_PIXEL_RGB565_BE) {
		blend_rgb565(dst, stride, width, height, format == DMABUF_PIXEL_RGB565_BE, rgb565_from_rgb(rgb), alpha);
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

/*
 * The conversions, one straight loop per row and pair of formats: no call
 * and no format test per pixel. Each computes exactly what
 * dmabuf_pixel_decode then dmabuf_pixel_encode give (the tests compare them
 * with an independent reference). What remains per pixel is the arithmetic
 * itself: a channel cannot be moved without isolating it, and YUV needs its
 * multiplies and clamps (docs/BENCHMARKS.md has the counts).
 */
/*
 * Four RGB888 pixels (three words w0..w2 as loaded: R0 G0 B0 R1 | G1 B1 R2 G2
 * | B2 R3 G3 B3, lowest address in the low byte) into two words of two
 * RGB565 values each: every field is its channel's top bits shifted into
 * place and masked, the same bits rgb565_from_rgb keeps.
 */
ALWAYS_INLINE void rgb565_quad_of_rgb888(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t *out0, uint32_t *out1)
{
	/* written as field inserts: Armv7-M makes each one UBFX or BFI */
	uint32_t v = (w0 >> 19) & 0x1Fu;
	v = (v & ~0x07E0u) | (((w0 >> 10) & 0x3Fu) << 5);
	v = (v & ~0xF800u) | (((w0 >> 3) & 0x1Fu) << 11);
	v = (v & ~0x001F0000u) | (((w1 >> 11) & 0x1Fu) << 16);
	v = (v & ~0x07E00000u) | (((w1 >> 2) & 0x3Fu) << 21);
	*out0 = (v & ~0xF8000000u) | (w0 & 0xF8000000u);
	v = (w2 >> 3) & 0x1Fu;
	v = (v & ~0x07E0u) | (((w1 >> 26) & 0x3Fu) << 5);
	v = (v & ~0xF800u) | (((w1 >> 19) & 0x1Fu) << 11);
	v = (v & ~0x001F0000u) | (((w2 >> 27) & 0x1Fu) << 16);
	v = (v & ~0x07E00000u) | (((w2 >> 18) & 0x3Fu) << 21);
	*out1 = (v & ~0xF8000000u) | (((w2 >> 11) & 0x1Fu) << 27);
}

ALWAYS_INLINE void rgb888_to_rgb565_row(const uint8_t *src, uint8_t *dst, uint32_t count, bool be)
{
	/* both on words (the destination after at most one pixel): 4 pixels
	 * per pass, 12 bytes in, 8 out */
	if (count > 0 && ((uintptr_t)dst & 3u) == 2u) {
		store_rgb565(dst, (uint32_t)(src[0] & 0xF8u) << 8 | (uint32_t)(src[1] & 0xFCu) << 3 | src[2] >> 3u, be);
		count--, src += 3, dst += 2;
	}
	if ((((uintptr_t)src | (uintptr_t)dst) & 3u) == 0) {
		const uint8_t *s = __builtin_assume_aligned(src, 4);
		uint8_t *d = __builtin_assume_aligned(dst, 4);
		for (; count >= 4; count -= 4, s += 12, d += 8) {
			uint32_t w0, w1, w2, out0, out1;
			memcpy(&w0, s, 4);
			memcpy(&w1, s + 4, 4);
			memcpy(&w2, s + 8, 4);
			rgb565_quad_of_rgb888(w0, w1, w2, &out0, &out1);
			if (be) {
				out0 = ((out0 >> 8) & 0x00FF00FFu) | ((out0 & 0x00FF00FFu) << 8);
				out1 = ((out1 >> 8) & 0x00FF00FFu) | ((out1 & 0x00FF00FFu) << 8);
			}
			memcpy(d, &out0, 4);
			memcpy(d + 4, &out1, 4);
		}
		src = s, dst = d;
	}
	for (; count > 0; count--, src += 3, dst += 2)
		store_rgb565(dst, (uint32_t)(src[0] & 0xF8u) << 8 | (uint32_t)(src[1] & 0xFCu) << 3 | src[2] >> 3u,
			     be);
}

ALWAYS_INLINE uint32_t luma_of(uint32_t r, uint32_t g, uint32_t b)
{
	return (77u * r + 150u * g + 29u * b + 128u) >> 8;
}

/*
 * RGB565 -> GRAY8 by table: luma's three products of the widened fields
 * (77 R8 + 128, 150 G8, 29 B8; the rounding 128 in the red one), 128
 * entries, 256 bytes of flash. Each pixel is then three look-ups, two adds
 * and a shift: the same sum luma() forms, so the same byte.
 */
#define WIDEN5(v) ((v) << 3 | (v) >> 2)
#define WIDEN6(v) ((v) << 2 | (v) >> 4)
#define GRAY_RED(v) (uint16_t)(77u * WIDEN5(v) + 128u)
#define GRAY_GREEN(v) (uint16_t)(150u * WIDEN6(v))
#define GRAY_BLUE(v) (uint16_t)(29u * WIDEN5(v))
#define TABLE4(f, n) f(n), f(n + 1u), f(n + 2u), f(n + 3u)
#define TABLE16(f, n) TABLE4(f, n), TABLE4(f, n + 4u), TABLE4(f, n + 8u), TABLE4(f, n + 12u)
static const uint16_t gray_of_red[32] = { TABLE16(GRAY_RED, 0u), TABLE16(GRAY_RED, 16u) };
static const uint16_t gray_of_green[64] = { TABLE16(GRAY_GREEN, 0u), TABLE16(GRAY_GREEN, 16u),
					    TABLE16(GRAY_GREEN, 32u), TABLE16(GRAY_GREEN, 48u) };
static const uint16_t gray_of_blue[32] = { TABLE16(GRAY_BLUE, 0u), TABLE16(GRAY_BLUE, 16u) };

ALWAYS_INLINE void rgb565_to_gray8_row(const uint8_t *src, uint8_t *dst, uint32_t count, bool be)
{
	for (; count > 0; count--, src += 2, dst++) {
		uint32_t v = load_rgb565(src, be);
		*dst = (uint8_t)(((uint32_t)gray_of_red[v >> 11] + gray_of_green[(v >> 5) & 0x3Fu] +
				  gray_of_blue[v & 0x1Fu]) >> 8);
	}
}

ALWAYS_INLINE void rgb888_to_gray8_row(const uint8_t *src, uint8_t *dst, uint32_t count)
{
	for (; count > 0; count--, src += 3, dst++)
		*dst = (uint8_t)luma_of(src[0], src[1], src[2]);
}

/* One YUYV pixel: @luma_term is 298 * (Y - 16) + 128, the chroma terms
 * those of its pair (rgb_from_yuv's arithmetic, split so a pair shares
 * them). out: 0 RGB565 LE, 1 RGB565 BE, 2 GRAY8. */
ALWAYS_INLINE uint8_t *yuv_pixel(uint8_t *dst, int32_t luma_term, int32_t red, int32_t green, int32_t blue,
				 uint32_t out)
{
	uint32_t r = clamp_byte((luma_term + red) >> 8);
	uint32_t g = clamp_byte((luma_term + green) >> 8);
	uint32_t b = clamp_byte((luma_term + blue) >> 8);
	if (out == 2) {
		*dst = (uint8_t)luma_of(r, g, b);
		return dst + 1;
	}
	store_rgb565(dst, (r & 0xF8u) << 8 | (g & 0xFCu) << 3 | b >> 3, out == 1);
	return dst + 2;
}

/* @count pixels from the pair at @src, starting at its pixel @phase. */
ALWAYS_INLINE void yuyv_row(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count, uint32_t out)
{
	for (; count > 0; src += 4, phase = 0) {
		int32_t u = src[1] - 128, v = src[3] - 128;
		int32_t red = 409 * v, green = -100 * u - 208 * v, blue = 516 * u;
		if (phase == 0) {
			dst = yuv_pixel(dst, 298 * (src[0] - 16) + 128, red, green, blue, out);
			if (--count == 0)
				break;
		}
		dst = yuv_pixel(dst, 298 * (src[2] - 16) + 128, red, green, blue, out);
		count--;
	}
}

/*
 * One function per conversion, each a row loop specialised for its formats
 * (its own registers: in one function with a switch, -Os reloaded the
 * tables' addresses every pixel). @phase: a YUYV row's first pixel in its
 * pair; ignored by the others.
 */
typedef void convert_row_fn(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count);

static void gray8_from_rgb565_le(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	(void)phase;
	rgb565_to_gray8_row(src, dst, count, false);
}

static void gray8_from_rgb565_be(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	(void)phase;
	rgb565_to_gray8_row(src, dst, count, true);
}

static void gray8_from_rgb888(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	(void)phase;
	rgb888_to_gray8_row(src, dst, count);
}

static void rgb565_le_from_rgb888(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	(void)phase;
	rgb888_to_rgb565_row(src, dst, count, false);
}

static void rgb565_be_from_rgb888(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	(void)phase;
	rgb888_to_rgb565_row(src, dst, count, true);
}

static void rgb565_le_from_yuyv(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	yuyv_row(src, phase, dst, count, 0);
}

static void rgb565_be_from_yuyv(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	yuyv_row(src, phase, dst, count, 1);
}

static void gray8_from_yuyv(const uint8_t *src, uint32_t phase, uint8_t *dst, uint32_t count)
{
	yuyv_row(src, phase, dst, count, 2);
}

/* The row loop of a converting pair frame.c accepted (not the RGB565 byte
 * swap: swap_pixels). */
static convert_row_fn *converter(uint32_t src_format, uint32_t dst_format)
{
	bool gray = dst_format == DMABUF_PIXEL_GRAY8, be = dst_format == DMABUF_PIXEL_RGB565_BE;
	switch (src_format) {
	case DMABUF_PIXEL_RGB565_LE:
		return gray8_from_rgb565_le;
	case DMABUF_PIXEL_RGB565_BE:
		return gray8_from_rgb565_be;
	case DMABUF_PIXEL_RGB888:
		return gray ? gray8_from_rgb888 : be ? rgb565_be_from_rgb888 : rgb565_le_from_rgb888;
	default: /* YUYV */
		return gray ? gray8_from_yuyv : be ? rgb565_be_from_yuyv : rgb565_le_from_yuyv;
	}
}

void dmabuf_kernel_copy(const uint8_t *src, uint32_t src_stride, uint32_t src_format, uint32_t src_phase,
			uint8_t *dst, uint32_t dst_stride, uint32_t dst_format, uint32_t width, uint32_t height)
{
	bool swap = (src_format == DMABUF_PIXEL_RGB565_LE && dst_format == DMABUF_PIXEL_RGB565_BE) ||
		    (src_format == DMABUF_PIXEL_RGB565_BE && dst_format == DMABUF_PIXEL_RGB565_LE);
	if (src_format == dst_format) {
		move_rows(src, src_stride, dst, dst_stride, (size_t)width * dmabuf_pixel_bytes(src_format), height);
	} else if (swap) {
		for (uint32_t row = 0; row < height; row++, src += src_stride, dst += dst_stride)
			swap_pixels(src, dst, width);
	} else {
		convert_row_fn *convert = converter(src_format, dst_format);
		for (uint32_t row = 0; row < height; row++, src += src_stride, dst += dst_stride)
			convert(src, src_phase, dst, width);
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

/* Leading zero bits of @x (not 0): one CLZ where the core has it, else a
 * loop over at most the 5 glyph columns. */
ALWAYS_INLINE uint32_t leading_zeros(uint32_t x)
{
#if defined(__ARM_FEATURE_CLZ)
	return (uint32_t)__builtin_clz(x);
#else
	uint32_t n = 0;
	for (; !(x & 0x80000000u); x <<= 1)
		n++;
	return n;
#endif
}

/* One glyph at @cell, wholly inside the clip, RGB565: each run of lit
 * columns of each glyph row is @scale rows of run x @scale pixels. The row
 * sits at the top of a word, so the gap before a run and the run's length
 * are each one count of leading zeros (of the row, of its complement). Not
 * inlined: the text loop's registers are full. */
__attribute__((noinline)) static void glyph_rgb565(uint8_t *cell, uint32_t stride, const uint8_t *glyph,
						   uint32_t scale, uint32_t value)
{
	uint32_t dot = scale * 2u; /* bytes per glyph column */
	for (uint32_t glyph_row = 0; glyph_row < DMABUF_FONT_GLYPH_HEIGHT; glyph_row++, cell += scale * stride) {
		uint8_t *at = cell;
		for (uint32_t bits = (uint32_t)glyph[glyph_row] << 27; bits != 0;) {
			uint32_t gap = leading_zeros(bits);
			bits <<= gap;
			at += gap * dot;
			uint32_t run = leading_zeros(~bits); /* <= 5: the row has 5 bits */
			bits <<= run;
			uint8_t *p = at;
			for (uint32_t y = 0; y < scale; y++, p += stride)
				store_halfwords(p, run * scale, (uint16_t)value);
			at += run * dot;
		}
	}
}

/*
 * Glyph rows as runs: each run of lit columns of a glyph row is one
 * rectangle (run x scale pixels by scale rows), not one fill per lit dot.
 * RGB565 glyphs wholly inside the clip (the common case) take
 * glyph_rgb565; the rest clip each run and fill it row by row.
 */
void dmabuf_kernel_text(uint8_t *dst, uint32_t stride, uint32_t bpp, const uint8_t *pixel, uint32_t clip_width,
			uint32_t clip_height, int32_t text_x, int32_t text_y, const char *text, uint32_t length,
			uint32_t scale)
{
	bool rows_inside = text_y >= 0 && (int64_t)text_y + DMABUF_FONT_GLYPH_HEIGHT * scale <= clip_height;
	uint32_t value = bpp == 2 ? (uint32_t)pixel[0] | (uint32_t)pixel[1] << 8 : 0u; /* as memory holds it */
	for (uint32_t c = 0; c < length; c++) {
		const uint8_t *glyph = dmabuf_font_5x7[(uint8_t)text[c] - 0x20u];
		int32_t cell_x = text_x + (int32_t)(c * DMABUF_FONT_CELL_WIDTH * scale);
		if (bpp == 2 && rows_inside && cell_x >= 0 &&
		    (int64_t)cell_x + DMABUF_FONT_GLYPH_WIDTH * scale <= clip_width) {
			glyph_rgb565(dst + (uint32_t)text_y * stride + (uint32_t)cell_x * 2u, stride, glyph, scale, value);
			continue;
		}
		for (uint32_t glyph_row = 0; glyph_row < DMABUF_FONT_GLYPH_HEIGHT; glyph_row++) {
			uint32_t y0, y1;
			if (!clip_span(text_y + (int32_t)(glyph_row * scale), scale, clip_height, &y0, &y1))
				continue;
			int32_t x = cell_x;
			/* bit 4 is the leftmost column: shift the row out to the left */
			for (uint32_t bits = glyph[glyph_row], run; bits != 0;
			     bits = (bits << run) & 0x1Fu, x += (int32_t)(run * scale)) {
				run = 1;
				if (!(bits & 0x10u))
					continue;
				for (; bits & (0x10u >> run); run++)
					;
				uint32_t x0, x1;
				if (!clip_span(x, run * scale, clip_width, &x0, &x1))
					continue;
				uint8_t *p = dst + (size_t)y0 * stride + (size_t)x0 * bpp;
				for (uint32_t y = y0; y < y1; y++, p += stride)
					fill_row(p, x1 - x0, pixel, bpp, fill_word(pixel, bpp));
			}
		}
	}
}

void dmabuf_kernel_sprite(uint8_t *dst, uint32_t stride, const uint8_t *src, uint32_t src_stride,
			  uint32_t width, uint32_t height, uint32_t bpp, const uint8_t *transparent)
{
	if (bpp == 2) { /* RGB565: a 16-bit compare and store, not two calls a pixel */
		uint16_t key;
		memcpy(&key, transparent, 2);
		for (uint32_t row = 0; row < height; row++, dst += stride, src += src_stride) {
			for (uint32_t i = 0; i < 2u * width; i += 2) {
				uint16_t value;
				memcpy(&value, src + i, 2);
				if (value != key)
					memcpy(dst + i, &value, 2);
			}
		}
		return;
	}
	for (uint32_t row = 0; row < height; row++, dst += stride, src += src_stride) {
		for (uint32_t i = 0; i < width; i++) {
			const uint8_t *from = src + i * bpp;
			if (memcmp(from, transparent, bpp) != 0)
				memcpy(dst + i * bpp, from, bpp);
		}
	}
}
