/*
 * The pixel kernels of frame.h: pure functions over raw pointers. They know
 * nothing of buffers, handles or caches: frame.c checks and clips the
 * arguments, opens the CPU access and hands each kernel pointers that lie
 * inside it. Kept apart so they can be measured alone (instruction counts on
 * Cortex-M7 / RV32 in QEMU) and replaced per target by faster ones.
 *
 * Common contract: @dst / @src point at the first pixel of the first row to
 * touch; rows are @stride bytes apart; @width pixels, @height rows, both >= 1;
 * no alignment is assumed (32-bit stores are used where the address allows).
 * Pixel formats are enum dmabuf_pixel_format values the caller has checked.
 */
#ifndef DMABUF_FRAMES_KERNELS_H
#define DMABUF_FRAMES_KERNELS_H

#include <stdint.h>

/* Stored bytes of colour 0xRRGGBB in @format (not YUYV) into @pixel.
 * @retval the bytes per pixel. */
uint32_t dmabuf_pixel_encode(uint32_t format, uint32_t rgb, uint8_t pixel[3]);

/* 0xRRGGBB of the stored pixel at @pixel. YUYV: @pixel is the pair's first
 * byte and @phase (0 or 1) says which of its two pixels; ignored otherwise. */
uint32_t dmabuf_pixel_decode(uint32_t format, const uint8_t *pixel, uint32_t phase);

/* Every pixel of the rectangle set to the @bpp stored bytes of @pixel. */
void dmabuf_kernel_fill(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, const uint8_t *pixel,
			uint32_t bpp);

/* Every channel halved (format RGB565_LE/BE, RGB888, GRAY8). */
void dmabuf_kernel_darken(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, uint32_t format);

/* out = (pixel * (255 - alpha) + colour * alpha + 127) / 255 per channel,
 * in the format's precision (RGB565 fields, bytes otherwise). */
void dmabuf_kernel_blend(uint8_t *dst, uint32_t stride, uint32_t width, uint32_t height, uint32_t format,
			 uint32_t rgb, uint32_t alpha);

/* Copy / convert a rectangle (a pair frame.c accepted). YUYV source: @src is
 * the first pair's first byte, @src_phase says which pixel of it is the
 * first. Same format: rows are moved with memmove in an order that is safe
 * when source and destination overlap with the same stride. */
void dmabuf_kernel_copy(const uint8_t *src, uint32_t src_stride, uint32_t src_format, uint32_t src_phase,
			uint8_t *dst, uint32_t dst_stride, uint32_t dst_format, uint32_t width, uint32_t height);

/* Draw @length characters (0x20..0x7E, checked by the caller) of the
 * built-in font at (@text_x, @text_y) relative to @dst, scaled by @scale,
 * touching only pixels inside [0, @clip_width) x [0, @clip_height) of @dst
 * (@text_x / @text_y may be negative: the text starts left of / above the
 * clip). Lit pixels get the @bpp bytes of @pixel. */
void dmabuf_kernel_text(uint8_t *dst, uint32_t stride, uint32_t bpp, const uint8_t *pixel, uint32_t clip_width,
			uint32_t clip_height, int32_t text_x, int32_t text_y, const char *text, uint32_t length,
			uint32_t scale);

/* Copy pixels of a sprite (rows @src_stride bytes apart) except those whose
 * @bpp bytes equal @transparent. */
void dmabuf_kernel_sprite(uint8_t *dst, uint32_t stride, const uint8_t *src, uint32_t src_stride,
			  uint32_t width, uint32_t height, uint32_t bpp, const uint8_t *transparent);

/* The built-in font: 7 bytes per character from 0x20, one per glyph row,
 * bit 4 the leftmost of 5 columns (font.c). */
extern const uint8_t dmabuf_font_5x7[95][7];

#endif /* DMABUF_FRAMES_KERNELS_H */
