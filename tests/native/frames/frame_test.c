/*
 * Frame operations (native-interop/include/dmabuf/frame.h): every kernel's
 * output against a per-pixel reference written here from the header's
 * definitions (not the kernels' code), clipping, refusals that change
 * nothing, and CPU accesses that cover exactly the touched rows.
 *
 * Frames sit inside their buffers with a gap before them and padding after
 * each row, so a kernel that strays outside its rectangle changes bytes the
 * reference keeps.
 */
#include <string.h>

#include "dmabuf/cpu_copy.h"
#include "dmabuf/frame.h"
#include "core/fixture.h"

#define BUF_BYTES 2048u
#define FRAME_OFFSET 37u
#define FRAME_W 14u
#define FRAME_H 9u

static const uint32_t drawable[] = { DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_RGB565_BE, DMABUF_PIXEL_RGB888,
				     DMABUF_PIXEL_GRAY8 };

/* ---- the reference: the header's definitions, pixel by pixel ---- */

static uint32_t ref_bpp(uint32_t format)
{
	return format == DMABUF_PIXEL_RGB888 ? 3u : format == DMABUF_PIXEL_GRAY8 ? 1u : 2u;
}

static uint32_t ref_gray(uint32_t r, uint32_t g, uint32_t b)
{
	return (r * 77u + g * 150u + b * 29u + 128u) / 256u;
}

static void ref_store(uint32_t format, uint8_t *p, uint32_t r, uint32_t g, uint32_t b)
{
	if (format == DMABUF_PIXEL_RGB888) {
		p[0] = (uint8_t)r, p[1] = (uint8_t)g, p[2] = (uint8_t)b;
	} else if (format == DMABUF_PIXEL_GRAY8) {
		p[0] = (uint8_t)ref_gray(r, g, b);
	} else {
		uint32_t v = (r / 8u) * 2048u + (g / 4u) * 32u + b / 8u;
		uint8_t hi = (uint8_t)(v / 256u), lo = (uint8_t)(v % 256u);
		p[0] = format == DMABUF_PIXEL_RGB565_LE ? lo : hi;
		p[1] = format == DMABUF_PIXEL_RGB565_LE ? hi : lo;
	}
}

static uint32_t ref_widen(uint32_t value, uint32_t bits)
{
	return (value << (8u - bits)) | (value >> (2u * bits - 8u));
}

static uint32_t ref_byte(int32_t v)
{
	return v < 0 ? 0u : v > 255 ? 255u : (uint32_t)v;
}

/* 0xRRGGBB of pixel @x of a row starting at @row. */
static uint32_t ref_load(uint32_t format, const uint8_t *row, uint32_t x)
{
	if (format == DMABUF_PIXEL_YUYV) {
		const uint8_t *pair = row + (x / 2u) * 4u;
		int32_t c = pair[(x % 2u) * 2u] - 16, d = pair[1] - 128, e = pair[3] - 128;
		return ref_byte((298 * c + 409 * e + 128) >> 8) << 16 |
		       ref_byte((298 * c - 100 * d - 208 * e + 128) >> 8) << 8 | ref_byte((298 * c + 516 * d + 128) >> 8);
	}
	const uint8_t *p = row + x * ref_bpp(format);
	if (format == DMABUF_PIXEL_RGB888)
		return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	if (format == DMABUF_PIXEL_GRAY8)
		return p[0] * 0x010101u;
	uint32_t v = format == DMABUF_PIXEL_RGB565_LE ? p[0] + p[1] * 256u : p[1] + p[0] * 256u;
	return ref_widen(v >> 11, 5) << 16 | ref_widen((v >> 5) & 63u, 6) << 8 | ref_widen(v & 31u, 5);
}

static void ref_store_rgb(uint32_t format, uint8_t *p, uint32_t rgb)
{
	ref_store(format, p, (rgb >> 16) & 255u, (rgb >> 8) & 255u, rgb & 255u);
}

/* ---- set-up ---- */

struct rig {
	struct dmabuf_ctx *ctx;
	dmabuf_handle_t buffer;
	uint8_t *memory;          /* the buffer's CPU address (the fixture's memory is plain RAM) */
	uint8_t expect[BUF_BYTES];
};

static struct rig rig;

static uint8_t *buffer_cpu(dmabuf_handle_t buffer)
{
	void *cpu = NULL;
	if (dmabuf_begin_cpu_access(rig.ctx, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &cpu) != 0)
		return NULL;
	dmabuf_end_cpu_access(rig.ctx, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
	return cpu;
}

static void seed(uint8_t *memory, uint32_t bytes, uint32_t state)
{
	for (uint32_t i = 0; i < bytes; i++)
		memory[i] = (uint8_t)fx_random(&state);
}

static bool rig_up(void)
{
	rig.ctx = fx_init(NULL);
	if (!rig.ctx)
		return false;
	rig.buffer = fx_export(rig.ctx, BUF_BYTES, "frames", 0);
	rig.memory = buffer_cpu(rig.buffer);
	if (!rig.memory)
		return false;
	seed(rig.memory, BUF_BYTES, 0x1234567u);
	memcpy(rig.expect, rig.memory, BUF_BYTES);
	fx_clear_messages();
	fx_cache_reset(rig.ctx);
	return true;
}

static void rig_down(void)
{
	UNIT_EQ(fx_info(rig.ctx, rig.buffer).cpu_access, 0);
	UNIT_EQ(dmabuf_put(rig.ctx, rig.buffer), 0);
	fx_done(rig.ctx);
}

static struct dmabuf_frame frame_of(uint32_t format)
{
	uint32_t width = FRAME_W;
	return (struct dmabuf_frame){ rig.buffer, FRAME_OFFSET, width, FRAME_H, width * ref_bpp(format) + 5u, format };
}

static uint8_t *expect_pixel(const struct dmabuf_frame *f, uint32_t x, uint32_t y)
{
	return rig.expect + f->offset + y * f->stride + x * ref_bpp(f->format);
}

static bool inside(const struct dmabuf_frame *f, int32_t x, int32_t y)
{
	return x >= 0 && y >= 0 && (uint32_t)x < f->width && (uint32_t)y < f->height;
}

#define EXPECT_BUFFER() UNIT_EQ(memcmp(rig.memory, rig.expect, BUF_BYTES), 0)

/* ---- kernels against the reference ---- */

static void fill_sets_the_clipped_rectangle_in_every_format(void)
{
	UNIT_ASSERT(rig_up());
	for (uint32_t i = 0; i < sizeof(drawable) / sizeof(drawable[0]); i++) {
		struct dmabuf_frame f = frame_of(drawable[i]);
		/* Starts left of the frame, runs past its bottom. */
		UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, -3, 2, 10, 20, 0x12A5F0u), 0);
		for (int32_t y = 2; y < 22; y++)
			for (int32_t x = -3; x < 7; x++)
				if (inside(&f, x, y))
					ref_store_rgb(f.format, expect_pixel(&f, (uint32_t)x, (uint32_t)y), 0x12A5F0u);
		EXPECT_BUFFER();
		/* An odd start (unaligned stores) and a width that leaves a tail. */
		UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, 1, 0, 13, 1, 0x00FF00u), 0);
		for (uint32_t x = 1; x < 14; x++)
			ref_store_rgb(f.format, expect_pixel(&f, x, 0), 0x00FF00u);
		EXPECT_BUFFER();
	}
	UNIT_EQ(fx_messages, 0);
	rig_down();
}

/* Long runs take the word path (32-byte blocks on Armv7-M): every start
 * alignment, rows back to back (one run) and apart, pixels of two equal
 * bytes and of two different ones, against the reference. */
static void fill_long_runs_at_every_alignment(void)
{
	static const uint32_t formats[] = { DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_RGB565_BE, DMABUF_PIXEL_GRAY8 };
	static const uint32_t colours[] = { 0x12A5F0u, 0xFFFFFFu };
	const uint32_t width = 77, height = 5;
	UNIT_ASSERT(rig_up());
	for (uint32_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		for (uint32_t offset = 0; offset < 4; offset++)
			for (uint32_t gap = 0; gap <= 6; gap += 6)
				for (uint32_t c = 0; c < 2; c++) {
					uint32_t stride = width * ref_bpp(formats[i]) + gap;
					struct dmabuf_frame f = { rig.buffer, offset, width, height, stride, formats[i] };
					UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, 0, 0, (int32_t)width, (int32_t)height,
								  colours[c]),
						0);
					for (uint32_t y = 0; y < height; y++)
						for (uint32_t x = 0; x < width; x++)
							ref_store_rgb(f.format, expect_pixel(&f, x, y), colours[c]);
					EXPECT_BUFFER();
				}
	UNIT_EQ(fx_messages, 0);
	rig_down();
}

static void darken_halves_every_channel(void)
{
	UNIT_ASSERT(rig_up());
	for (uint32_t i = 0; i < sizeof(drawable) / sizeof(drawable[0]); i++) {
		struct dmabuf_frame f = frame_of(drawable[i]);
		UNIT_EQ(dmabuf_frame_darken(rig.ctx, &f, 3, -1, 9, 5), 0);
		for (uint32_t y = 0; y < 4; y++) {
			for (uint32_t x = 3; x < 12; x++) {
				uint8_t *p = expect_pixel(&f, x, y);
				if (f.format == DMABUF_PIXEL_RGB565_LE || f.format == DMABUF_PIXEL_RGB565_BE) {
					uint32_t v = f.format == DMABUF_PIXEL_RGB565_LE ? p[0] + p[1] * 256u : p[1] + p[0] * 256u;
					uint32_t r = (v >> 11) / 2u, g = ((v >> 5) & 63u) / 2u, b = (v & 31u) / 2u;
					v = r << 11 | g << 5 | b;
					p[0] = (uint8_t)(f.format == DMABUF_PIXEL_RGB565_LE ? v & 255u : v >> 8);
					p[1] = (uint8_t)(f.format == DMABUF_PIXEL_RGB565_LE ? v >> 8 : v & 255u);
				} else {
					for (uint32_t b = 0; b < ref_bpp(f.format); b++)
						p[b] = (uint8_t)(p[b] / 2u);
				}
			}
		}
		EXPECT_BUFFER();
	}
	rig_down();
}

static uint32_t ref_mix(uint32_t pixel, uint32_t colour, uint32_t alpha)
{
	return (pixel * (255u - alpha) + colour * alpha + 127u) / 255u;
}

static void blend_mixes_in_the_formats_precision(void)
{
	static const uint32_t alphas[] = { 0, 77, 200, 255 };
	UNIT_ASSERT(rig_up());
	for (uint32_t i = 0; i < sizeof(drawable) / sizeof(drawable[0]); i++) {
		for (uint32_t a = 0; a < 4; a++) {
			struct dmabuf_frame f = frame_of(drawable[i]);
			uint32_t colour = 0x4080C0u, alpha = alphas[a];
			UNIT_EQ(dmabuf_frame_blend(rig.ctx, &f, 0, 5, 14, 4, colour, alpha), 0);
			for (uint32_t y = 5; y < 9; y++) {
				for (uint32_t x = 0; x < 14; x++) {
					uint8_t *p = expect_pixel(&f, x, y);
					if (f.format == DMABUF_PIXEL_RGB565_LE || f.format == DMABUF_PIXEL_RGB565_BE) {
						bool le = f.format == DMABUF_PIXEL_RGB565_LE;
						uint32_t v = le ? p[0] + p[1] * 256u : p[1] + p[0] * 256u;
						uint32_t r = ref_mix(v >> 11, 0x40u / 8u, alpha);
						uint32_t g = ref_mix((v >> 5) & 63u, 0x80u / 4u, alpha);
						uint32_t b = ref_mix(v & 31u, 0xC0u / 8u, alpha);
						v = r * 2048u + g * 32u + b;
						p[le ? 0 : 1] = (uint8_t)(v % 256u);
						p[le ? 1 : 0] = (uint8_t)(v / 256u);
					} else if (f.format == DMABUF_PIXEL_RGB888) {
						p[0] = (uint8_t)ref_mix(p[0], 0x40u, alpha);
						p[1] = (uint8_t)ref_mix(p[1], 0x80u, alpha);
						p[2] = (uint8_t)ref_mix(p[2], 0xC0u, alpha);
					} else {
						p[0] = (uint8_t)ref_mix(p[0], ref_gray(0x40u, 0x80u, 0xC0u), alpha);
					}
				}
			}
			EXPECT_BUFFER();
		}
	}
	rig_down();
}

/* Every supported pair, between two buffers, with a YUYV source starting at
 * an odd pixel, clipped on both sides. */
static void copy_converts_every_supported_pair(void)
{
	static const uint32_t all[] = { DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_RGB565_BE, DMABUF_PIXEL_RGB888,
					DMABUF_PIXEL_GRAY8, DMABUF_PIXEL_YUYV };
	UNIT_ASSERT(rig_up());
	dmabuf_handle_t other = fx_export(rig.ctx, BUF_BYTES, "source", 0);
	uint8_t *source_memory = buffer_cpu(other);
	UNIT_ASSERT(source_memory);
	seed(source_memory, BUF_BYTES, 99u);
	uint32_t supported = 0;
	for (uint32_t s = 0; s < 5; s++) {
		for (uint32_t d = 0; d < 5; d++) {
			uint32_t from = all[s], to = all[d];
			struct dmabuf_frame src = { other, 3, 12, 8, 12 * ref_bpp(from) + 4u, from };
			struct dmabuf_frame dst = frame_of(to);
			bool ok = from == to || to == DMABUF_PIXEL_GRAY8 ||
				  ((to == DMABUF_PIXEL_RGB565_LE || to == DMABUF_PIXEL_RGB565_BE) && from != DMABUF_PIXEL_GRAY8);
			int32_t sx = from == DMABUF_PIXEL_YUYV && to != from ? 3 : 2, dx = 10;
			fx_clear_messages();
			int err = dmabuf_frame_copy(rig.ctx, &src, sx, -2, 8, 7, &dst, dx, 4);
			if (!ok) {
				UNIT_EQ(err, DMABUF_ENOTSUP);
				UNIT_ASSERT(fx_message_has("dmabuf_frame_copy: conversion:"));
				EXPECT_BUFFER();
				continue;
			}
			UNIT_EQ(err, 0);
			supported++;
			/* y -2 clips two source rows: source row r lands on row 6 + r,
			 * and the frame's 9 rows and 14 columns cut the rest. */
			for (uint32_t r = 0; r < 5 && 6u + r < FRAME_H; r++) {
				const uint8_t *src_row = source_memory + src.offset + r * src.stride;
				for (uint32_t c = 0; c < 4; c++) {
					uint8_t *p = expect_pixel(&dst, (uint32_t)dx + c, 6u + r);
					uint32_t x = (uint32_t)sx + c;
					if (from == to)
						memcpy(p, src_row + x * ref_bpp(from), ref_bpp(from));
					else
						ref_store_rgb(to, p, ref_load(from, src_row, x));
				}
			}
			EXPECT_BUFFER();
		}
	}
	/* same format x5, LE<->BE, RGB888->565 x2, YUYV->565 x2, ->GRAY8 x4 */
	UNIT_EQ(supported, 15);
	UNIT_EQ(dmabuf_put(rig.ctx, other), 0);
	rig_down();
}

static void copy_within_one_buffer_overlapping_moves_as_through_a_temporary(void)
{
	UNIT_ASSERT(rig_up());
	struct dmabuf_frame f = frame_of(DMABUF_PIXEL_RGB565_BE);
	/* Down and right by one: every row overlaps the next. */
	uint8_t temporary[BUF_BYTES];
	memcpy(temporary, rig.expect, BUF_BYTES);
	UNIT_EQ(dmabuf_frame_copy(rig.ctx, &f, 0, 0, 10, 6, &f, 1, 1), 0);
	for (uint32_t y = 0; y < 6; y++)
		memcpy(expect_pixel(&f, 1, y + 1), temporary + f.offset + y * f.stride, 20);
	EXPECT_BUFFER();
	/* And back up-left. */
	memcpy(temporary, rig.expect, BUF_BYTES);
	UNIT_EQ(dmabuf_frame_copy(rig.ctx, &f, 1, 1, 10, 6, &f, 0, 0), 0);
	for (uint32_t y = 0; y < 6; y++)
		memcpy(expect_pixel(&f, 0, y), temporary + f.offset + (y + 1) * f.stride + 2, 20);
	EXPECT_BUFFER();
	/* A converting copy onto itself is refused and changes nothing. */
	struct dmabuf_frame le = f;
	le.format = DMABUF_PIXEL_RGB565_LE;
	UNIT_EQ(dmabuf_frame_copy(rig.ctx, &f, 0, 0, 4, 4, &le, 2, 2), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("dmabuf_frame_copy: overlap:"));
	EXPECT_BUFFER();
	rig_down();
}

/* Frames whose rows lie back to back are copied as one run: apart, and
 * overlapping forwards and backwards, the bytes move as through a temporary. */
static void copy_of_back_to_back_rows_moves_as_one_run(void)
{
	static const uint32_t offsets[][2] = { { 0, 1000 }, { 0, 7 }, { 7, 0 } };
	UNIT_ASSERT(rig_up());
	for (uint32_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		struct dmabuf_frame from = { rig.buffer, offsets[i][0], 20, 6, 40, DMABUF_PIXEL_RGB565_BE };
		struct dmabuf_frame to = from;
		to.offset = offsets[i][1];
		uint8_t temporary[BUF_BYTES];
		memcpy(temporary, rig.expect, BUF_BYTES);
		UNIT_EQ(dmabuf_frame_copy(rig.ctx, &from, 0, 0, 20, 6, &to, 0, 0), 0);
		memcpy(rig.expect + to.offset, temporary + from.offset, 6u * 40u);
		EXPECT_BUFFER();
	}
	UNIT_EQ(fx_messages, 0);
	rig_down();
}

/* RGB565 byte order swaps over long rows take the word path (16 bytes per
 * pass on Armv7-M) when source and destination lie alike on words: every
 * pair of start alignments, both directions, against the swapped bytes. */
static void copy_swaps_long_rows_at_every_alignment(void)
{
	const uint32_t width = 37, height = 4, stride = 80;
	UNIT_ASSERT(rig_up());
	for (uint32_t from_at = 0; from_at < 4; from_at++)
		for (uint32_t to_at = 0; to_at < 4; to_at++)
			for (uint32_t be = 0; be < 2; be++) {
				uint32_t le = DMABUF_PIXEL_RGB565_LE, big = DMABUF_PIXEL_RGB565_BE;
				struct dmabuf_frame from = { rig.buffer, from_at, width, height, stride, be ? big : le };
				struct dmabuf_frame to = { rig.buffer, 1024u + to_at, width, height, stride, be ? le : big };
				UNIT_EQ(dmabuf_frame_copy(rig.ctx, &from, 0, 0, (int32_t)width, (int32_t)height, &to, 0, 0),
					0);
				for (uint32_t y = 0; y < height; y++)
					for (uint32_t x = 0; x < width; x++) {
						const uint8_t *p = rig.expect + from.offset + y * stride + x * 2u;
						uint8_t *q = rig.expect + to.offset + y * stride + x * 2u;
						q[0] = p[1];
						q[1] = p[0];
					}
				EXPECT_BUFFER();
			}
	UNIT_EQ(fx_messages, 0);
	rig_down();
}

/* ---- wide rows: the kernels' word and table paths ---- */

/* A 256x256 RGB565 frame holds every value once (pixel i = value i), at a
 * start offset of 0..3 bytes: the darken's word path (8 pixels per pass on
 * Armv7-M), its single-pixel ends and odd-address path, the blend's field
 * tables (128 pixels and more) and the RGB565 -> GRAY8 loop, each against the
 * reference for all 65,536 values in both byte orders. */
#define ALL_SIDE 256u
#define ALL_BYTES (ALL_SIDE * ALL_SIDE * 2u + 8u)

static void ref_store565(bool le, uint8_t *p, uint32_t v)
{
	p[le ? 0 : 1] = (uint8_t)(v % 256u);
	p[le ? 1 : 0] = (uint8_t)(v / 256u);
}

static void write_every_value(uint8_t *memory, const struct dmabuf_frame *f)
{
	for (uint32_t v = 0; v < 65536u; v++)
		ref_store565(f->format == DMABUF_PIXEL_RGB565_LE, memory + f->offset + v * 2u, v);
}

static void rgb565_kernels_match_the_reference_for_every_value(void)
{
	static const uint32_t alphas[] = { 1, 77, 128, 254 };
	UNIT_ASSERT(rig_up());
	dmabuf_handle_t all = fx_export(rig.ctx, ALL_BYTES, "all-values", 0);
	dmabuf_handle_t gray = fx_export(rig.ctx, ALL_SIDE * ALL_SIDE, "gray", 0);
	uint8_t *memory = buffer_cpu(all), *gray_memory = buffer_cpu(gray);
	UNIT_ASSERT(memory && gray_memory);
	uint32_t wrong = 0;
	for (uint32_t order = 0; order < 2; order++) {
		bool le = order == 0;
		for (uint32_t offset = 0; offset < 4; offset++) {
			struct dmabuf_frame f = { all, offset, ALL_SIDE, ALL_SIDE, ALL_SIDE * 2u,
						  le ? DMABUF_PIXEL_RGB565_LE : DMABUF_PIXEL_RGB565_BE };
			write_every_value(memory, &f);
			UNIT_EQ(dmabuf_frame_darken(rig.ctx, &f, 0, 0, (int32_t)ALL_SIDE, (int32_t)ALL_SIDE), 0);
			for (uint32_t v = 0; v < 65536u; v++) {
				uint8_t want[2];
				ref_store565(le, want, ((v >> 11) / 2u) * 2048u + (((v >> 5) & 63u) / 2u) * 32u + (v & 31u) / 2u);
				wrong += memcmp(memory + offset + v * 2u, want, 2) != 0;
			}
			for (uint32_t a = 0; a < 4; a++) {
				write_every_value(memory, &f);
				UNIT_EQ(dmabuf_frame_blend(rig.ctx, &f, 0, 0, (int32_t)ALL_SIDE, (int32_t)ALL_SIDE, 0x4080C0u,
							   alphas[a]),
					0);
				for (uint32_t v = 0; v < 65536u; v++) {
					uint8_t want[2];
					ref_store565(le, want,
						     ref_mix(v >> 11, 0x40u / 8u, alphas[a]) * 2048u +
							     ref_mix((v >> 5) & 63u, 0x80u / 4u, alphas[a]) * 32u +
							     ref_mix(v & 31u, 0xC0u / 8u, alphas[a]));
					wrong += memcmp(memory + offset + v * 2u, want, 2) != 0;
				}
			}
			write_every_value(memory, &f);
			struct dmabuf_frame g = { gray, 0, ALL_SIDE, ALL_SIDE, ALL_SIDE, DMABUF_PIXEL_GRAY8 };
			UNIT_EQ(dmabuf_frame_copy(rig.ctx, &f, 0, 0, (int32_t)ALL_SIDE, (int32_t)ALL_SIDE, &g, 0, 0), 0);
			for (uint32_t v = 0; v < 65536u; v++) {
				uint32_t rgb = ref_load(f.format, memory + offset, v);
				wrong += gray_memory[v] != ref_gray(rgb >> 16, (rgb >> 8) & 255u, rgb & 255u);
			}
		}
	}
	UNIT_EQ(wrong, 0);
	UNIT_EQ(fx_messages, 0);
	UNIT_EQ(dmabuf_put(rig.ctx, gray), 0);
	UNIT_EQ(dmabuf_put(rig.ctx, all), 0);
	rig_down();
}

/* The conversion loops over rows long enough for every path (YUYV starting
 * on either pixel of a pair, odd widths, every source and destination
 * alignment: RGB888 takes 4 pixels a pass when both lie on words), from
 * random source bytes, against the reference. */
static void conversions_of_wide_rows_match_the_reference(void)
{
	static const uint32_t pairs[][2] = {
		{ DMABUF_PIXEL_YUYV, DMABUF_PIXEL_RGB565_LE },   { DMABUF_PIXEL_YUYV, DMABUF_PIXEL_RGB565_BE },
		{ DMABUF_PIXEL_YUYV, DMABUF_PIXEL_GRAY8 },       { DMABUF_PIXEL_RGB888, DMABUF_PIXEL_RGB565_LE },
		{ DMABUF_PIXEL_RGB888, DMABUF_PIXEL_RGB565_BE }, { DMABUF_PIXEL_RGB888, DMABUF_PIXEL_GRAY8 },
		{ DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_GRAY8 },  { DMABUF_PIXEL_RGB565_BE, DMABUF_PIXEL_GRAY8 },
	};
	const uint32_t width = 64, height = 3;
	UNIT_ASSERT(rig_up());
	dmabuf_handle_t other = fx_export(rig.ctx, BUF_BYTES, "source", 0);
	uint8_t *source_memory = buffer_cpu(other);
	UNIT_ASSERT(source_memory);
	seed(source_memory, BUF_BYTES, 7u);
	for (uint32_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		for (uint32_t at = 0; at < 16; at++)
			for (uint32_t sx = 0; sx < 2; sx++) {
				uint32_t from = pairs[i][0], to = pairs[i][1];
				struct dmabuf_frame src = { other, at / 4u, width, height, width * ref_bpp(from) + 4u, from };
				struct dmabuf_frame dst = { rig.buffer, at % 4u, width, height, width * ref_bpp(to) + 4u, to };
				int32_t count = (int32_t)(width - 2u) - (int32_t)sx;
				UNIT_EQ(dmabuf_frame_copy(rig.ctx, &src, (int32_t)sx, 0, count, (int32_t)height, &dst, 1, 0), 0);
				for (uint32_t y = 0; y < height; y++)
					for (uint32_t x = 0; x < (uint32_t)count; x++)
						ref_store_rgb(to, expect_pixel(&dst, 1u + x, y),
							      ref_load(from, source_memory + src.offset + y * src.stride, sx + x));
				EXPECT_BUFFER();
			}
	UNIT_EQ(fx_messages, 0);
	UNIT_EQ(dmabuf_put(rig.ctx, other), 0);
	rig_down();
}

static bool ref_text_lit(const char *text, uint32_t length, int32_t tx, int32_t ty, uint32_t scale, int32_t x,
			 int32_t y)
{
	if (x < tx || y < ty)
		return false;
	uint32_t cell = (uint32_t)(x - tx) / (6u * scale), column = (uint32_t)(x - tx) % (6u * scale) / scale;
	uint32_t row = (uint32_t)(y - ty) / scale;
	if (cell >= length || column >= 5u || row >= 7u)
		return false;
	return (dmabuf_font_glyph_row(text[cell], row) >> (4u - column)) & 1u;
}

static void text_draws_the_font_scaled_and_clipped(void)
{
	UNIT_ASSERT(rig_up());
	static const char text[] = "Hi 0~";
	for (uint32_t scale = 1; scale <= 4; scale++) {
		struct dmabuf_frame f = frame_of(scale % 2 ? DMABUF_PIXEL_RGB565_BE : DMABUF_PIXEL_RGB888);
		int32_t tx = 2 - (int32_t)(scale * 4), ty = -(int32_t)scale;
		UNIT_EQ(dmabuf_frame_draw_text(rig.ctx, &f, tx, ty, text, 5, 0xFFFFFFu, scale), 0);
		for (int32_t y = 0; y < (int32_t)FRAME_H; y++)
			for (int32_t x = 0; x < (int32_t)FRAME_W; x++)
				if (ref_text_lit(text, 5, tx, ty, scale, x, y))
					ref_store_rgb(f.format, expect_pixel(&f, (uint32_t)x, (uint32_t)y), 0xFFFFFFu);
		EXPECT_BUFFER();
	}
	rig_down();
}

/* Text wholly inside a frame (RGB565 draws whole glyphs without clipping)
 * and running off its right and bottom edges, at every scale and in every
 * drawable format, against the reference. */
static void text_inside_and_across_the_edges_draws_the_font(void)
{
	static const char text[] = "0123456789#%@W";
	const uint32_t length = sizeof(text) - 1u, width = 200, height = 30, bytes = (width * 3u + 3u) * height + 2u;
	UNIT_ASSERT(rig_up());
	dmabuf_handle_t big = fx_export(rig.ctx, bytes, "text", 0);
	uint8_t *memory = buffer_cpu(big);
	UNIT_ASSERT(memory);
	uint32_t wrong = 0;
	for (uint32_t i = 0; i < sizeof(drawable) / sizeof(drawable[0]); i++)
		for (uint32_t scale = 1; scale <= 4; scale++)
			for (uint32_t place = 0; place < 2; place++) {
				uint32_t bpp = ref_bpp(drawable[i]);
				struct dmabuf_frame f = { big, 1u + scale % 2u, width, height, width * bpp + 3u, drawable[i] };
				int32_t tx = place ? (int32_t)(width - 20u * scale) : (int32_t)scale,
					ty = place ? (int32_t)(height - 4u * scale) : 1;
				memset(memory, 0x5A, bytes);
				UNIT_EQ(dmabuf_frame_draw_text(rig.ctx, &f, tx, ty, text, length, 0x20C0FFu, scale), 0);
				uint8_t lit[3], unlit[3];
				ref_store_rgb(f.format, lit, 0x20C0FFu);
				memset(unlit, 0x5A, sizeof(unlit));
				for (uint32_t y = 0; y < height; y++)
					for (uint32_t x = 0; x < width; x++) {
						bool on = ref_text_lit(text, length, tx, ty, scale, (int32_t)x, (int32_t)y);
						wrong += memcmp(memory + f.offset + y * f.stride + x * bpp, on ? lit : unlit, bpp) != 0;
					}
			}
	UNIT_EQ(wrong, 0);
	UNIT_EQ(fx_messages, 0);
	UNIT_EQ(dmabuf_put(rig.ctx, big), 0);
	rig_down();
}

/* The pipeline demo's README pictures were drawn with these digit glyphs
 * before it used the built-in font: they must not change. */
static void font_digits_are_the_demos_glyphs(void)
{
	static const uint8_t zero[7] = { 0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E };
	static const uint8_t seven[7] = { 0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 };
	for (uint32_t row = 0; row < 7; row++) {
		UNIT_EQ(dmabuf_font_glyph_row('0', row), zero[row]);
		UNIT_EQ(dmabuf_font_glyph_row('7', row), seven[row]);
	}
}

static void sprite_skips_the_transparent_colour(void)
{
	UNIT_ASSERT(rig_up());
	struct dmabuf_frame f = frame_of(DMABUF_PIXEL_RGB565_LE);
	uint8_t sprite[4 * 3 * 2];
	for (uint32_t i = 0; i < 12; i++)
		ref_store_rgb(f.format, sprite + i * 2, i % 3 == 0 ? 0xFF00FFu : 0x010203u * (i + 1));
	UNIT_EQ(dmabuf_frame_draw_sprite(rig.ctx, &f, -1, 7, sprite, sizeof(sprite), 4, 3, 0xFF00FFu), 0);
	for (uint32_t row = 0; row < 3; row++)
		for (uint32_t col = 0; col < 4; col++) {
			int32_t x = (int32_t)col - 1, y = 7 + (int32_t)row;
			uint32_t i = row * 4 + col;
			if (i % 3 != 0 && inside(&f, x, y))
				memcpy(expect_pixel(&f, (uint32_t)x, (uint32_t)y), sprite + i * 2, 2);
		}
	EXPECT_BUFFER();
	rig_down();
}

static void read_pixel_and_row_return_what_is_stored(void)
{
	static const uint32_t all[] = { DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_RGB565_BE, DMABUF_PIXEL_RGB888,
					DMABUF_PIXEL_GRAY8, DMABUF_PIXEL_YUYV };
	UNIT_ASSERT(rig_up());
	for (uint32_t i = 0; i < 5; i++) {
		struct dmabuf_frame f = frame_of(all[i]);
		for (uint32_t x = 0; x < FRAME_W; x++) {
			uint32_t rgb = 0;
			UNIT_EQ(dmabuf_frame_read_pixel(rig.ctx, &f, (int32_t)x, 3, &rgb), 0);
			UNIT_EQ(rgb, ref_load(f.format, rig.expect + f.offset + 3u * f.stride, x));
		}
		uint8_t row[FRAME_W * 3];
		UNIT_EQ(dmabuf_frame_read_row(rig.ctx, &f, 2, 8, 12, row, sizeof(row)), 0);
		UNIT_EQ(memcmp(row, expect_pixel(&f, 2, 8), 12u * ref_bpp(f.format)), 0);
	}
	/* Reading changes nothing. */
	EXPECT_BUFFER();
	rig_down();
}

/* ---- refusals: the errno, one message naming the rule, nothing changed ---- */

static void expect_refusal(int got, int want, const char *rule)
{
	UNIT_EQ(got, want);
	UNIT_EQ(fx_messages, 1);
	UNIT_ASSERT(fx_message_has(rule));
	UNIT_EQ(memcmp(rig.memory, rig.expect, BUF_BYTES), 0);
	UNIT_EQ(fx_info(rig.ctx, rig.buffer).cpu_access, 0);
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	fx_clear_messages();
}

static void bad_calls_are_refused_naming_the_rule_and_change_nothing(void)
{
	UNIT_ASSERT(rig_up());
	struct dmabuf_frame good = frame_of(DMABUF_PIXEL_RGB565_LE), f;
	uint8_t out[64];
	uint32_t rgb;

	f = good, f.stride = 27; /* < 14 * 2 */
	expect_refusal(dmabuf_frame_fill(rig.ctx, &f, 0, 0, 4, 4, 0), DMABUF_EINVAL, "dmabuf_frame_fill: stride:");
	UNIT_CHECK_HELPER();
	f = good, f.format = 9;
	expect_refusal(dmabuf_frame_darken(rig.ctx, &f, 0, 0, 4, 4), DMABUF_EINVAL, "dmabuf_frame_darken: format:");
	UNIT_CHECK_HELPER();
	f = good, f.height = 1000;
	expect_refusal(dmabuf_frame_fill(rig.ctx, &f, 0, 0, 4, 4, 0), DMABUF_ERANGE, "frame-range:");
	UNIT_CHECK_HELPER();
	f = good, f.offset = BUF_BYTES;
	expect_refusal(dmabuf_frame_read_pixel(rig.ctx, &f, 0, 0, &rgb), DMABUF_ERANGE, "frame-range:");
	UNIT_CHECK_HELPER();
	f = good, f.width = 0;
	expect_refusal(dmabuf_frame_check(rig.ctx, &f), DMABUF_EINVAL, "dmabuf_frame_check: size:");
	UNIT_CHECK_HELPER();
	f = frame_of(DMABUF_PIXEL_YUYV), f.width = 13;
	expect_refusal(dmabuf_frame_check(rig.ctx, &f), DMABUF_EINVAL, "yuyv-width:");
	UNIT_CHECK_HELPER();
	f = frame_of(DMABUF_PIXEL_YUYV);
	expect_refusal(dmabuf_frame_fill(rig.ctx, &f, 0, 0, 2, 2, 0), DMABUF_ENOTSUP, "format: drawing on a YUYV");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_fill(rig.ctx, &good, 0, 0, -1, 4, 0), DMABUF_EINVAL, "rectangle:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_blend(rig.ctx, &good, 0, 0, 4, 4, 0, 256), DMABUF_EINVAL, "alpha:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_draw_text(rig.ctx, &good, 0, 0, "a", 1, 0, 0), DMABUF_EINVAL, "scale:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_draw_text(rig.ctx, &good, 0, 0, "a", 1, 0, 5), DMABUF_EINVAL, "scale:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_draw_text(rig.ctx, &good, 0, 0, "a\tb", 3, 0, 1), DMABUF_EINVAL, "character:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_draw_sprite(rig.ctx, &good, 0, 0, out, 7, 2, 2, 0), DMABUF_EINVAL,
		       "sprite-size:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_read_pixel(rig.ctx, &good, 14, 0, &rgb), DMABUF_ERANGE, "pixel:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_read_row(rig.ctx, &good, 10, 0, 5, out, sizeof(out)), DMABUF_ERANGE, "row:");
	UNIT_CHECK_HELPER();
	expect_refusal(dmabuf_frame_read_row(rig.ctx, &good, 0, 0, 5, out, 9), DMABUF_EINVAL, "destination:");
	UNIT_CHECK_HELPER();
	struct dmabuf_frame gray = frame_of(DMABUF_PIXEL_GRAY8);
	expect_refusal(dmabuf_frame_copy(rig.ctx, &gray, 0, 0, 4, 4, &good, 0, 0), DMABUF_ENOTSUP, "conversion:");
	UNIT_CHECK_HELPER();
	/* A stale handle: the core names the handle rule. */
	f = good, f.buffer = good.buffer + 1;
	UNIT_ASSERT(dmabuf_frame_fill(rig.ctx, &f, 0, 0, 4, 4, 0) == DMABUF_EBADF);
	EXPECT_BUFFER();
	rig_down();
}

static void rectangles_outside_the_frame_do_nothing_and_open_no_access(void)
{
	UNIT_ASSERT(rig_up());
	struct dmabuf_frame f = frame_of(DMABUF_PIXEL_RGB888);
	UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, 14, 0, 4, 4, 0), 0);
	UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, -4, 0, 4, 4, 0), 0);
	UNIT_EQ(dmabuf_frame_darken(rig.ctx, &f, 0, 0, 0, 4), 0);
	UNIT_EQ(dmabuf_frame_draw_text(rig.ctx, &f, 0, 9, "x", 1, 0, 1), 0);
	UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, INT32_MAX - 1, INT32_MIN, INT32_MAX, INT32_MAX, 0), 0);
	EXPECT_BUFFER();
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	UNIT_EQ(fx_messages, 0);
	rig_down();
}

/* ---- the access window: first touched byte to last touched byte ---- */

/* Makes the buffer stale (a device wrote it), so a begin invalidates and an
 * end cleans; the attachment, or 0 if that failed. */
static dmabuf_handle_t make_stale(void)
{
	dmabuf_handle_t att = fx_attach(rig.ctx, rig.buffer, FX_DMA);
	struct dmabuf_mapping map;
	if (dmabuf_map(rig.ctx, att, DMABUF_FROM_DEVICE, &map) != 0 ||
	    dmabuf_unmap(rig.ctx, att, &map, DMABUF_FROM_DEVICE) != 0)
		return 0;
	return att;
}

static void access_covers_exactly_the_touched_rows(void)
{
	UNIT_ASSERT(rig_up());
	/* Begin invalidates and end cleans the window: both must be the lines
	 * of exactly that window. */
	dmabuf_handle_t att = make_stale();
	UNIT_ASSERT(att > 0);
	struct dmabuf_frame f = { rig.buffer, 100, 40, 20, 96, DMABUF_PIXEL_RGB565_BE };
	fx_cache_reset(rig.ctx);
	/* Rows 3..7, pixels 5..14: bytes 100 + 3*96 + 10 = 398 to 100 + 7*96 + 30 - 1 = 801. */
	UNIT_EQ(dmabuf_frame_darken(rig.ctx, &f, 5, 3, 10, 5), 0);
	uint32_t first_line = 398u / 32u * 32u, end_line = (801u / 32u + 1u) * 32u;
	UNIT_EQ(fx_cache.invalidate_calls, 1);
	UNIT_EQ(fx_cache.lines_invalidated, (end_line - first_line) / 32u);
	UNIT_EQ(fx_cache.clean_calls, 1);
	UNIT_EQ(fx_cache.lines_cleaned, (end_line - first_line) / 32u);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)(rig.memory + first_line));
	UNIT_EQ(fx_cache.last_size, end_line - first_line);
	/* A YUYV read widens to the pixel pair: pixel 7 of row 2 is bytes
	 * 100 + 192 + 12 .. +15. */
	f.format = DMABUF_PIXEL_YUYV;
	fx_cache_reset(rig.ctx);
	uint32_t rgb;
	UNIT_EQ(dmabuf_frame_read_pixel(rig.ctx, &f, 7, 2, &rgb), 0);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)(rig.memory + (100u + 192u + 12u) / 32u * 32u));
	UNIT_EQ(fx_cache.last_size, 32);
	UNIT_EQ(dmabuf_detach(rig.ctx, att), 0);
	rig_down();
}

/* ---- batching: operations inside an access the caller holds ---- */

static void operations_inside_a_held_access_maintain_nothing_of_their_own(void)
{
	UNIT_ASSERT(rig_up());
	dmabuf_handle_t att = make_stale();
	UNIT_ASSERT(att > 0);
	struct dmabuf_frame f = frame_of(DMABUF_PIXEL_RGB565_BE);
	/* The caller's access: rows 1..7 of the frame, whole rows. */
	uint32_t offset = f.offset + 1u * f.stride, length = 7u * f.stride;
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(rig.ctx, rig.buffer, DMABUF_BIDIRECTIONAL, offset, length, &cpu), 0);
	fx_cache_reset(rig.ctx);
	/* A white plate, a darkened box inside it, text over both, a read. */
	UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, 2, 1, 10, 7, 0xFFFFFFu), 0);
	UNIT_EQ(dmabuf_frame_darken(rig.ctx, &f, 3, 2, 4, 3), 0);
	UNIT_EQ(dmabuf_frame_draw_text(rig.ctx, &f, 6, 1, "1", 1, 0x000000u, 1), 0);
	uint32_t rgb = 0;
	UNIT_EQ(dmabuf_frame_read_pixel(rig.ctx, &f, 3, 2, &rgb), 0);
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	UNIT_EQ(fx_info(rig.ctx, rig.buffer).cpu_access, DMABUF_BIDIRECTIONAL);
	UNIT_EQ(fx_messages, 0);
	for (uint32_t y = 1; y < 8; y++)
		for (uint32_t x = 2; x < 12; x++) {
			bool dark = x >= 3 && x < 7 && y >= 2 && y < 5;
			bool lit = ref_text_lit("1", 1, 6, 1, 1, (int32_t)x, (int32_t)y);
			ref_store_rgb(f.format, expect_pixel(&f, x, y), lit ? 0x000000u : dark ? 0x787C78u : 0xFFFFFFu);
		}
	EXPECT_BUFFER();
	UNIT_EQ(rgb, 0x7B7D7Bu); /* r5 15, g6 31, b5 15 widened by bit replication */
	/* The caller's end is the one hand-over: its lines, once. */
	UNIT_EQ(dmabuf_end_cpu_access(rig.ctx, rig.buffer, DMABUF_BIDIRECTIONAL, offset, length), 0);
	uint32_t first_line = offset / 32u * 32u, end_line = (offset + length + 31u) / 32u * 32u;
	UNIT_EQ(fx_cache.clean_calls, 1);
	UNIT_EQ(fx_cache.lines_cleaned, (end_line - first_line) / 32u);
	UNIT_EQ(fx_cache.invalidate_calls, 0);
	UNIT_EQ(dmabuf_detach(rig.ctx, att), 0);
	rig_down();
}

/* Refused: the errno, one message naming the rule, nothing changed, no cache
 * work, and the caller's access still open as it was. */
static void expect_held_refusal(int got, const char *rule, uint8_t held)
{
	UNIT_EQ(got, DMABUF_EPERM);
	UNIT_EQ(fx_messages, 1);
	UNIT_ASSERT(fx_message_has(rule));
	EXPECT_BUFFER();
	UNIT_EQ(fx_info(rig.ctx, rig.buffer).cpu_access, held);
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	fx_clear_messages();
}

static void a_held_access_that_does_not_serve_the_operation_is_refused(void)
{
	UNIT_ASSERT(rig_up());
	dmabuf_handle_t att = make_stale();
	UNIT_ASSERT(att > 0);
	struct dmabuf_frame f = frame_of(DMABUF_PIXEL_RGB888), g = frame_of(DMABUF_PIXEL_GRAY8);
	g.offset = 1500;
	uint32_t rgb;
	uint8_t row[8];
	void *cpu;
	/* A write-only access over the whole frame: reads and read-modify-writes
	 * would see stale lines (a TO_DEVICE begin invalidates nothing). */
	uint32_t whole = (f.height - 1u) * f.stride + f.width * 3u;
	UNIT_EQ(dmabuf_begin_cpu_access(rig.ctx, rig.buffer, DMABUF_TO_DEVICE, f.offset, whole, &cpu), 0);
	fx_cache_reset(rig.ctx);
	fx_clear_messages();
	expect_held_refusal(dmabuf_frame_darken(rig.ctx, &f, 0, 0, 4, 4), "dmabuf_frame_darken: cpu-access:",
			    DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	expect_held_refusal(dmabuf_frame_blend(rig.ctx, &f, 0, 0, 4, 4, 0, 9), "dmabuf_frame_blend: cpu-access:",
			    DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	expect_held_refusal(dmabuf_frame_read_pixel(rig.ctx, &f, 1, 1, &rgb), "dmabuf_frame_read_pixel: cpu-access:",
			    DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	expect_held_refusal(dmabuf_frame_read_row(rig.ctx, &f, 0, 1, 2, row, sizeof(row)), "cpu-access:",
			    DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	/* A copy within the buffer needs one access that reads and writes. */
	expect_held_refusal(dmabuf_frame_copy(rig.ctx, &f, 0, 0, 2, 2, &g, 0, 0), "dmabuf_frame_copy: cpu-access:",
			    DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_end_cpu_access(rig.ctx, rig.buffer, DMABUF_TO_DEVICE, f.offset, whole), 0);
	/* A read-only access: no writes inside it. */
	UNIT_EQ(dmabuf_begin_cpu_access(rig.ctx, rig.buffer, DMABUF_FROM_DEVICE, f.offset, whole, &cpu), 0);
	fx_cache_reset(rig.ctx);
	expect_held_refusal(dmabuf_frame_fill(rig.ctx, &f, 0, 0, 4, 4, 0), "dmabuf_frame_fill: cpu-access:",
			    DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	expect_held_refusal(dmabuf_frame_draw_text(rig.ctx, &f, 0, 0, "a", 1, 0, 1), "cpu-access:",
			    DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_end_cpu_access(rig.ctx, rig.buffer, DMABUF_FROM_DEVICE, f.offset, whole), 0);
	/* A bidirectional access over rows 2..4 only: an operation whose window
	 * leaves it (by a row, or by one byte) is refused. */
	uint32_t offset = f.offset + 2u * f.stride, length = 2u * f.stride + f.width * 3u;
	UNIT_EQ(dmabuf_begin_cpu_access(rig.ctx, rig.buffer, DMABUF_BIDIRECTIONAL, offset, length, &cpu), 0);
	fx_cache_reset(rig.ctx);
	expect_held_refusal(dmabuf_frame_fill(rig.ctx, &f, 0, 1, 4, 2, 0), "window:", DMABUF_BIDIRECTIONAL);
	UNIT_CHECK_HELPER();
	expect_held_refusal(dmabuf_frame_darken(rig.ctx, &f, 0, 4, 4, 2), "window:", DMABUF_BIDIRECTIONAL);
	UNIT_CHECK_HELPER();
	f.offset -= 1u; /* the same rectangle one byte earlier: starts before the access */
	expect_held_refusal(dmabuf_frame_fill(rig.ctx, &f, 0, 2, 4, 3, 0), "window:", DMABUF_BIDIRECTIONAL);
	UNIT_CHECK_HELPER();
	f.offset += 1u;
	/* The rows it does cover still work, with no cache work of their own. */
	UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, 0, 2, 4, 3, 0x102030u), 0);
	for (uint32_t y = 2; y < 5; y++)
		for (uint32_t x = 0; x < 4; x++)
			ref_store_rgb(f.format, expect_pixel(&f, x, y), 0x102030u);
	EXPECT_BUFFER();
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	UNIT_EQ(dmabuf_end_cpu_access(rig.ctx, rig.buffer, DMABUF_BIDIRECTIONAL, offset, length), 0);
	UNIT_EQ(dmabuf_detach(rig.ctx, att), 0);
	rig_down();
}

/* ---- the CPU copy counter ---- */

static void copies_are_counted_and_drawing_is_not(void)
{
	UNIT_ASSERT(rig_up());
	struct dmabuf_cpu_copy_stats stats;
	dmabuf_cpu_copy_stats_reset(rig.ctx);
	struct dmabuf_frame f = frame_of(DMABUF_PIXEL_RGB565_LE), g = frame_of(DMABUF_PIXEL_GRAY8);
	UNIT_EQ(dmabuf_frame_fill(rig.ctx, &f, 0, 0, 14, 9, 0), 0);
	UNIT_EQ(dmabuf_frame_darken(rig.ctx, &f, 0, 0, 14, 9), 0);
	UNIT_EQ(dmabuf_frame_draw_text(rig.ctx, &f, 0, 0, "42", 2, 0xFFFFFFu, 1), 0);
	dmabuf_cpu_copy_stats(rig.ctx, &stats);
	UNIT_EQ(stats.bytes, 0);
	UNIT_EQ(stats.copies, 0);
	g.offset = 1500; /* after f */
	UNIT_EQ(dmabuf_frame_copy(rig.ctx, &f, 0, 0, 10, 4, &g, 0, 0), 0);
	uint8_t row[6];
	UNIT_EQ(dmabuf_frame_read_row(rig.ctx, &f, 0, 0, 3, row, sizeof(row)), 0);
	dmabuf_cpu_copy_stats(rig.ctx, &stats);
	UNIT_EQ(stats.bytes, 10 * 4 * 1 + 3 * 2);
	UNIT_EQ(stats.copies, 2);
	rig_down();
}

const struct unit_suite suite_frames = UNIT_SUITE(frames,
	UNIT_TEST(fill_sets_the_clipped_rectangle_in_every_format),
	UNIT_TEST(fill_long_runs_at_every_alignment),
	UNIT_TEST(darken_halves_every_channel),
	UNIT_TEST(blend_mixes_in_the_formats_precision),
	UNIT_TEST(copy_converts_every_supported_pair),
	UNIT_TEST(copy_within_one_buffer_overlapping_moves_as_through_a_temporary),
	UNIT_TEST(copy_of_back_to_back_rows_moves_as_one_run),
	UNIT_TEST(copy_swaps_long_rows_at_every_alignment),
	UNIT_TEST(rgb565_kernels_match_the_reference_for_every_value),
	UNIT_TEST(conversions_of_wide_rows_match_the_reference),
	UNIT_TEST(text_draws_the_font_scaled_and_clipped),
	UNIT_TEST(text_inside_and_across_the_edges_draws_the_font),
	UNIT_TEST(font_digits_are_the_demos_glyphs),
	UNIT_TEST(sprite_skips_the_transparent_colour),
	UNIT_TEST(read_pixel_and_row_return_what_is_stored),
	UNIT_TEST(bad_calls_are_refused_naming_the_rule_and_change_nothing),
	UNIT_TEST(rectangles_outside_the_frame_do_nothing_and_open_no_access),
	UNIT_TEST(access_covers_exactly_the_touched_rows),
	UNIT_TEST(operations_inside_a_held_access_maintain_nothing_of_their_own),
	UNIT_TEST(a_held_access_that_does_not_serve_the_operation_is_refused),
	UNIT_TEST(copies_are_counted_and_drawing_is_not));
