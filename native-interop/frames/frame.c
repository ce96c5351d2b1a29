/*
 * Frame operations (frame.h): check, clip, open a CPU access over the touched
 * rows, run a kernel (kernels.c), end the access -- or, when the caller holds
 * an access on the buffer, run the kernel inside it (see begin()). Built on
 * the public core API only; the cache work is the core's, decided by the
 * access's range and direction (docs/CACHE-RULES.md, "Frames").
 */
#include "dmabuf/frame.h"

#include <string.h>

#include "dmabuf/cpu_copy.h"
#include "kernels.h"

#define FAIL(ctx, err, fn, ...) dmabuf_report_failure((ctx), (err), (fn), __VA_ARGS__)

/* A rectangle inside a frame, in pixels, after clipping (width, height >= 1). */
struct area {
	uint32_t x, y, width, height;
};

/* A CPU access an operation holds: what was passed to begin, for end. */
struct window {
	const struct dmabuf_info *info; /* the buffer's, from check_frame: begin asks no second time */
	dmabuf_handle_t buffer;
	enum dmabuf_direction direction;
	uint32_t offset, length;
	uint8_t *cpu; /* the CPU address of byte @offset */
	bool held;    /* inside the caller's open access: no begin/end of ours */
};

/* @frame valid and inside its buffer; *@info is the buffer's (begin() reads
 * it: the operation runs under the caller's serialisation, so nothing
 * changes the buffer between the check and the access). */
static int check_frame(struct dmabuf_ctx *ctx, const char *fn, const struct dmabuf_frame *frame,
		       struct dmabuf_info *info)
{
	if (!frame)
		return FAIL(ctx, DMABUF_EINVAL, fn, "frame: NULL");
	uint32_t bpp = dmabuf_pixel_bytes(frame->format);
	if (bpp == 0)
		return FAIL(ctx, DMABUF_EINVAL, fn, "format: %u is not a pixel format", frame->format);
	if (frame->width == 0 || frame->height == 0)
		return FAIL(ctx, DMABUF_EINVAL, fn, "size: frame of %ux%u pixels", frame->width, frame->height);
	if ((uint64_t)frame->width * bpp > frame->stride)
		return FAIL(ctx, DMABUF_EINVAL, fn, "stride: %u bytes is less than width %u x %u bytes per pixel",
			    frame->stride, frame->width, bpp);
	if (frame->format == DMABUF_PIXEL_YUYV && (frame->width & 1u))
		return FAIL(ctx, DMABUF_EINVAL, fn, "yuyv-width: a YUYV frame holds pixel pairs, width %u is odd",
			    frame->width);
	int err = dmabuf_get_info(ctx, frame->buffer, info);
	if (err)
		return err; /* reported by the core, naming the handle rule */
	uint64_t end = frame->offset + (uint64_t)(frame->height - 1u) * frame->stride + (uint64_t)frame->width * bpp;
	if (end > info->size)
		return FAIL(ctx, DMABUF_ERANGE, fn,
			    "frame-range: %ux%u frame at offset %u, stride %u ends past buffer '%s' (%u bytes)",
			    frame->width, frame->height, frame->offset, frame->stride, info->name, info->size);
	return 0;
}

int dmabuf_frame_check(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame)
{
	int err = dmabuf_require_live(ctx, "dmabuf_frame_check");
	struct dmabuf_info info;
	return err ? err : check_frame(ctx, "dmabuf_frame_check", frame, &info);
}

/* A frame drawing operations accept: valid, and not YUYV. */
static int check_drawable(struct dmabuf_ctx *ctx, const char *fn, const struct dmabuf_frame *frame,
			  struct dmabuf_info *info)
{
	int err = check_frame(ctx, fn, frame, info);
	if (err)
		return err;
	if (frame->format == DMABUF_PIXEL_YUYV)
		return FAIL(ctx, DMABUF_ENOTSUP, fn, "format: drawing on a YUYV frame is not supported");
	return 0;
}

static int check_size(struct dmabuf_ctx *ctx, const char *fn, int32_t width, int32_t height)
{
	if (width < 0 || height < 0)
		return FAIL(ctx, DMABUF_EINVAL, fn, "rectangle: negative size %dx%d", width, height);
	return 0;
}

/* (x, y, width, height) clipped to @frame; false if nothing is left. */
static bool clip(const struct dmabuf_frame *frame, int64_t x, int64_t y, int64_t width, int64_t height,
		 struct area *out)
{
	int64_t x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
	int64_t x1 = x + width, y1 = y + height;
	if (x1 > frame->width)
		x1 = frame->width;
	if (y1 > frame->height)
		y1 = frame->height;
	if (x0 >= x1 || y0 >= y1)
		return false;
	*out = (struct area){ (uint32_t)x0, (uint32_t)y0, (uint32_t)(x1 - x0), (uint32_t)(y1 - y0) };
	return true;
}

/* The bytes from the area's first touched byte to its last (YUYV: whole
 * pairs). The frame lies inside its buffer, so nothing here can wrap. */
static void window_of(const struct dmabuf_frame *frame, const struct dmabuf_info *info, const struct area *area,
		      enum dmabuf_direction direction, struct window *out)
{
	uint32_t bpp = dmabuf_pixel_bytes(frame->format);
	uint32_t x0 = area->x, x1 = area->x + area->width;
	if (frame->format == DMABUF_PIXEL_YUYV) {
		x0 &= ~1u;
		x1 = (x1 + 1u) & ~1u;
	}
	out->info = info;
	out->buffer = frame->buffer;
	out->direction = direction;
	out->offset = frame->offset + area->y * frame->stride + x0 * bpp;
	out->length = (area->height - 1u) * frame->stride + (x1 - x0) * bpp;
	out->cpu = 0;
	out->held = false;
}

static const char *direction_name(uint32_t direction)
{
	return direction == DMABUF_TO_DEVICE ? "to-device" : direction == DMABUF_FROM_DEVICE ? "from-device" : "bidirectional";
}

/*
 * The CPU access @window runs in. No access open on the buffer: our own,
 * begun here and ended by end(). An access open (the caller's, to batch
 * several operations so each line is maintained once): the kernel runs
 * inside it and the hand-over is the caller's begin/end -- which is only
 * right if that access covers the window (else -EPERM, reported by
 * dmabuf_cpu_pointer as the "window" rule) and its direction includes
 * ours (a direction is a set: TO_DEVICE = the CPU writes, FROM_DEVICE = the
 * CPU reads; else -EPERM, rule "cpu-access"). Never a second hand-over over
 * the caller's lines, never a write the caller's end would not clean.
 * An access belongs to the buffer, not to a thread: the caller that opened
 * it must not end it while an operation runs (the lock of the managed
 * layer's buffer serialises both).
 */
static int begin(struct dmabuf_ctx *ctx, const char *fn, struct window *window)
{
	const struct dmabuf_info *info = window->info;
	void *cpu;
	int err;
	uint32_t need = (uint32_t)window->direction;
	if (info->cpu_access) {
		if ((info->cpu_access & need) != need)
			return FAIL(ctx, DMABUF_EPERM, fn,
				    "cpu-access: buffer '%s' has a %s access open; this operation needs %s (or bidirectional)",
				    info->name, direction_name(info->cpu_access), direction_name(need));
		err = dmabuf_cpu_pointer(ctx, window->buffer, window->offset, window->length, &cpu);
	} else {
		err = dmabuf_begin_cpu_access(ctx, window->buffer, window->direction, window->offset, window->length,
					      &cpu);
	}
	if (err == 0) {
		window->cpu = cpu;
		window->held = info->cpu_access != 0;
	}
	return err;
}

static int end(struct dmabuf_ctx *ctx, const struct window *window)
{
	if (window->held)
		return 0; /* the caller's access: its end does the hand-over */
	return dmabuf_end_cpu_access(ctx, window->buffer, window->direction, window->offset, window->length);
}

/* One access over @area, running @kernel on it (the common shape of the
 * single-frame operations). */
struct single_op {
	uint32_t format, bpp, rgb, alpha;
	const uint8_t *pixel;
	void (*kernel)(const struct single_op *op, uint8_t *dst, uint32_t stride, const struct area *area);
};

static int run_single(struct dmabuf_ctx *ctx, const char *fn, const struct dmabuf_frame *frame,
		      const struct dmabuf_info *info, const struct area *area, enum dmabuf_direction direction,
		      const struct single_op *op)
{
	struct window window;
	window_of(frame, info, area, direction, &window);
	int err = begin(ctx, fn, &window);
	if (err)
		return err;
	op->kernel(op, window.cpu, frame->stride, area);
	return end(ctx, &window);
}

static void fill_kernel(const struct single_op *op, uint8_t *dst, uint32_t stride, const struct area *area)
{
	dmabuf_kernel_fill(dst, stride, area->width, area->height, op->pixel, op->bpp);
}

static void darken_kernel(const struct single_op *op, uint8_t *dst, uint32_t stride, const struct area *area)
{
	dmabuf_kernel_darken(dst, stride, area->width, area->height, op->format);
}

static void blend_kernel(const struct single_op *op, uint8_t *dst, uint32_t stride, const struct area *area)
{
	dmabuf_kernel_blend(dst, stride, area->width, area->height, op->format, op->rgb, op->alpha);
}

/* The checks of the rectangle operations, then the clip: 0 and *area set,
 * 1 if nothing of the rectangle is in the frame, or a negative error. */
static int drawable_area(struct dmabuf_ctx *ctx, const char *fn, const struct dmabuf_frame *frame, int32_t x,
			 int32_t y, int32_t width, int32_t height, struct dmabuf_info *info, struct area *area)
{
	int err = dmabuf_require_live(ctx, fn);
	if (!err)
		err = check_drawable(ctx, fn, frame, info);
	if (!err)
		err = check_size(ctx, fn, width, height);
	if (err)
		return err;
	return clip(frame, x, y, width, height, area) ? 0 : 1;
}

int dmabuf_frame_fill(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
		      int32_t width, int32_t height, uint32_t rgb)
{
	struct dmabuf_info info;
	struct area area;
	int err = drawable_area(ctx, "dmabuf_frame_fill", frame, x, y, width, height, &info, &area);
	if (err)
		return err < 0 ? err : 0;
	uint8_t pixel[3];
	struct single_op op = { .format = frame->format, .pixel = pixel, .kernel = fill_kernel };
	op.bpp = dmabuf_pixel_encode(frame->format, rgb, pixel);
	return run_single(ctx, "dmabuf_frame_fill", frame, &info, &area, DMABUF_TO_DEVICE, &op);
}

int dmabuf_frame_darken(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			int32_t width, int32_t height)
{
	struct dmabuf_info info;
	struct area area;
	int err = drawable_area(ctx, "dmabuf_frame_darken", frame, x, y, width, height, &info, &area);
	if (err)
		return err < 0 ? err : 0;
	struct single_op op = { .format = frame->format, .kernel = darken_kernel };
	return run_single(ctx, "dmabuf_frame_darken", frame, &info, &area, DMABUF_BIDIRECTIONAL, &op);
}

int dmabuf_frame_blend(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
		       int32_t width, int32_t height, uint32_t rgb, uint32_t alpha)
{
	static const char fn[] = "dmabuf_frame_blend";
	struct dmabuf_info info;
	struct area area;
	int err = drawable_area(ctx, fn, frame, x, y, width, height, &info, &area);
	if (err < 0)
		return err;
	if (alpha > 255u)
		return FAIL(ctx, DMABUF_EINVAL, fn, "alpha: %u is above 255", alpha);
	if (err)
		return 0;
	struct single_op op = { .format = frame->format, .rgb = rgb, .alpha = alpha, .kernel = blend_kernel };
	return run_single(ctx, fn, frame, &info, &area, DMABUF_BIDIRECTIONAL, &op);
}

static bool conversion_supported(uint32_t from, uint32_t to)
{
	if (from == to)
		return true;
	bool to_565 = to == DMABUF_PIXEL_RGB565_LE || to == DMABUF_PIXEL_RGB565_BE;
	if (to_565)
		return from != DMABUF_PIXEL_GRAY8; /* RGB565 other order, RGB888, YUYV */
	return to == DMABUF_PIXEL_GRAY8;           /* from anything but itself */
}

int dmabuf_frame_copy(struct dmabuf_ctx *ctx, const struct dmabuf_frame *source, int32_t x, int32_t y,
		      int32_t width, int32_t height, const struct dmabuf_frame *destination, int32_t dest_x,
		      int32_t dest_y)
{
	static const char fn[] = "dmabuf_frame_copy";
	int err = dmabuf_require_live(ctx, fn);
	if (err)
		return err;
	if (!source || !destination)
		return FAIL(ctx, DMABUF_EINVAL, fn, "%s: NULL", !source ? "source" : "destination");
	struct dmabuf_info source_info, destination_info;
	err = check_frame(ctx, fn, source, &source_info);
	if (!err)
		err = check_frame(ctx, fn, destination, &destination_info);
	if (!err)
		err = check_size(ctx, fn, width, height);
	if (err)
		return err;
	if (!conversion_supported(source->format, destination->format))
		return FAIL(ctx, DMABUF_ENOTSUP, fn, "conversion: pixel format %u to %u is not supported",
			    source->format, destination->format);
	if (source->format == DMABUF_PIXEL_YUYV && destination->format == DMABUF_PIXEL_YUYV &&
	    ((x | dest_x | width) & 1))
		return FAIL(ctx, DMABUF_EINVAL, fn, "yuyv-pairs: a YUYV to YUYV copy moves whole pairs (x %d, dest x %d, width %d)",
			    x, dest_x, width);

	/* Clip in the source, carry the cut over to the destination, clip
	 * there, and carry that back. */
	struct area from, to;
	if (!clip(source, x, y, width, height, &from))
		return 0;
	int64_t dx = (int64_t)dest_x + (from.x - (int64_t)x), dy = (int64_t)dest_y + (from.y - (int64_t)y);
	if (!clip(destination, dx, dy, from.width, from.height, &to))
		return 0;
	from.x += (uint32_t)(to.x - dx);
	from.y += (uint32_t)(to.y - dy);
	from.width = to.width;
	from.height = to.height;

	struct window read, write;
	window_of(source, &source_info, &from, DMABUF_FROM_DEVICE, &read);
	window_of(destination, &destination_info, &to, DMABUF_TO_DEVICE, &write);
	bool one_buffer = source->buffer == destination->buffer;
	if (one_buffer) {
		bool overlap = read.offset < write.offset + write.length && write.offset < read.offset + read.length;
		if (overlap && (source->format != destination->format || source->stride != destination->stride))
			return FAIL(ctx, DMABUF_EINVAL, fn,
				    "overlap: source and destination overlap in buffer %d with different format or stride",
				    (int32_t)source->buffer);
		/* One access per buffer: a bidirectional one over both. */
		uint32_t first = read.offset < write.offset ? read.offset : write.offset;
		uint32_t last = read.offset + read.length > write.offset + write.length ? read.offset + read.length
											 : write.offset + write.length;
		struct window both = { &source_info, source->buffer, DMABUF_BIDIRECTIONAL, first, last - first, 0, false };
		err = begin(ctx, fn, &both);
		if (err)
			return err;
		read.cpu = both.cpu + (read.offset - first);
		write.cpu = both.cpu + (write.offset - first);
		dmabuf_kernel_copy(read.cpu, source->stride, source->format, from.x & 1u, write.cpu,
				   destination->stride, destination->format, to.width, to.height);
		err = end(ctx, &both);
	} else {
		err = begin(ctx, fn, &read);
		if (err)
			return err;
		err = begin(ctx, fn, &write);
		if (err) {
			end(ctx, &read);
			return err;
		}
		dmabuf_kernel_copy(read.cpu, source->stride, source->format, from.x & 1u, write.cpu,
				   destination->stride, destination->format, to.width, to.height);
		err = end(ctx, &write);
		int read_err = end(ctx, &read);
		if (!err)
			err = read_err;
	}
	dmabuf_cpu_copy_count(ctx, to.width * to.height * dmabuf_pixel_bytes(destination->format));
	return err;
}

struct text_op {
	struct single_op base;
	int32_t text_x, text_y;
	const char *text;
	uint32_t length, scale;
};

static void text_kernel(const struct single_op *op, uint8_t *dst, uint32_t stride, const struct area *area)
{
	const struct text_op *text = (const struct text_op *)op;
	dmabuf_kernel_text(dst, stride, op->bpp, op->pixel, area->width, area->height,
			   text->text_x - (int32_t)area->x, text->text_y - (int32_t)area->y, text->text,
			   text->length, text->scale);
}

int dmabuf_frame_draw_text(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			   const char *text, uint32_t length, uint32_t rgb, uint32_t scale)
{
	static const char fn[] = "dmabuf_frame_draw_text";
	struct dmabuf_info info;
	int err = dmabuf_require_live(ctx, fn);
	if (!err)
		err = check_drawable(ctx, fn, frame, &info);
	if (err)
		return err;
	if (scale < 1u || scale > DMABUF_FONT_MAX_SCALE)
		return FAIL(ctx, DMABUF_EINVAL, fn, "scale: %u is not 1..%u", scale, (uint32_t)DMABUF_FONT_MAX_SCALE);
	if (!text && length > 0)
		return FAIL(ctx, DMABUF_EINVAL, fn, "text: NULL text of %u characters", length);
	for (uint32_t i = 0; i < length; i++)
		if ((uint8_t)text[i] < 0x20u || (uint8_t)text[i] > 0x7Eu)
			return FAIL(ctx, DMABUF_EINVAL, fn, "character: 0x%x at %u is not printable ASCII",
				    (uint32_t)(uint8_t)text[i], i);
	/* The touched box: glyph columns and rows only (the last cell's
	 * spacing column and every cell's spacing row are never drawn). */
	struct area area;
	int64_t box_width = ((int64_t)length * DMABUF_FONT_CELL_WIDTH - 1) * scale;
	if (length == 0 || !clip(frame, x, y, box_width, DMABUF_FONT_GLYPH_HEIGHT * scale, &area))
		return 0;
	uint8_t pixel[3];
	struct text_op op = { .base = { .format = frame->format, .pixel = pixel, .kernel = text_kernel },
			      .text_x = x, .text_y = y, .text = text, .length = length, .scale = scale };
	op.base.bpp = dmabuf_pixel_encode(frame->format, rgb, pixel);
	return run_single(ctx, fn, frame, &info, &area, DMABUF_TO_DEVICE, &op.base);
}

int dmabuf_frame_draw_sprite(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			     const uint8_t *pixels, uint32_t pixels_length, int32_t width, int32_t height,
			     uint32_t transparent_rgb)
{
	static const char fn[] = "dmabuf_frame_draw_sprite";
	struct dmabuf_info info;
	struct area area = { 0, 0, 0, 0 }; /* set whenever used; GCC -O3 cannot see it here */
	int err = drawable_area(ctx, fn, frame, x, y, width, height, &info, &area);
	if (err < 0)
		return err;
	uint32_t bpp = dmabuf_pixel_bytes(frame->format);
	uint64_t needed = (uint64_t)width * (uint64_t)height * bpp;
	if (needed > pixels_length || (!pixels && needed > 0))
		return FAIL(ctx, DMABUF_EINVAL, fn, "sprite-size: %dx%d pixels need %u bytes, %u given", width, height,
			    (uint32_t)(needed > 0xFFFFFFFFu ? 0xFFFFFFFFu : needed), pixels_length);
	if (err)
		return 0;
	uint8_t transparent[3];
	dmabuf_pixel_encode(frame->format, transparent_rgb, transparent);
	struct window window;
	window_of(frame, &info, &area, DMABUF_TO_DEVICE, &window);
	err = begin(ctx, fn, &window);
	if (err)
		return err;
	uint32_t sprite_stride = (uint32_t)width * bpp;
	const uint8_t *src = pixels + (area.y - (int64_t)y) * sprite_stride + (area.x - (int64_t)x) * bpp;
	dmabuf_kernel_sprite(window.cpu, frame->stride, src, sprite_stride, area.width, area.height, bpp, transparent);
	err = end(ctx, &window);
	dmabuf_cpu_copy_count(ctx, area.width * area.height * bpp);
	return err;
}

int dmabuf_frame_read_pixel(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			    uint32_t *rgb)
{
	static const char fn[] = "dmabuf_frame_read_pixel";
	struct dmabuf_info info;
	int err = dmabuf_require_live(ctx, fn);
	if (!err)
		err = check_frame(ctx, fn, frame, &info);
	if (err)
		return err;
	if (!rgb)
		return FAIL(ctx, DMABUF_EINVAL, fn, "rgb: NULL");
	struct area area;
	if (!clip(frame, x, y, 1, 1, &area))
		return FAIL(ctx, DMABUF_ERANGE, fn, "pixel: (%d, %d) is outside the %ux%u frame", x, y, frame->width,
			    frame->height);
	struct window window;
	window_of(frame, &info, &area, DMABUF_FROM_DEVICE, &window);
	err = begin(ctx, fn, &window);
	if (err)
		return err;
	uint32_t value = dmabuf_pixel_decode(frame->format, window.cpu, area.x & 1u);
	err = end(ctx, &window);
	if (!err)
		*rgb = value;
	return err;
}

int dmabuf_frame_read_row(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			  int32_t count, uint8_t *out, uint32_t out_length)
{
	static const char fn[] = "dmabuf_frame_read_row";
	struct dmabuf_info info;
	int err = dmabuf_require_live(ctx, fn);
	if (!err)
		err = check_frame(ctx, fn, frame, &info);
	if (err)
		return err;
	if (count < 0)
		return FAIL(ctx, DMABUF_EINVAL, fn, "rectangle: negative count %d", count);
	if (x < 0 || y < 0 || (uint32_t)y >= frame->height || (int64_t)x + count > frame->width)
		return FAIL(ctx, DMABUF_ERANGE, fn, "row: %d pixels at (%d, %d) are not inside the %ux%u frame", count,
			    x, y, frame->width, frame->height);
	if (frame->format == DMABUF_PIXEL_YUYV && ((x | count) & 1))
		return FAIL(ctx, DMABUF_EINVAL, fn, "yuyv-pairs: a YUYV row is read in whole pairs (x %d, count %d)", x,
			    count);
	uint32_t bytes = (uint32_t)count * dmabuf_pixel_bytes(frame->format);
	if (bytes > out_length || (!out && bytes > 0))
		return FAIL(ctx, DMABUF_EINVAL, fn, "destination: %u bytes needed, %u given", bytes, out_length);
	if (count == 0)
		return 0;
	struct area area = { (uint32_t)x, (uint32_t)y, (uint32_t)count, 1 };
	struct window window;
	window_of(frame, &info, &area, DMABUF_FROM_DEVICE, &window);
	err = begin(ctx, fn, &window);
	if (err)
		return err;
	memcpy(out, window.cpu, bytes);
	err = end(ctx, &window);
	dmabuf_cpu_copy_count(ctx, bytes);
	return err;
}
