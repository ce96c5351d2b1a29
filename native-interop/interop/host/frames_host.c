/*
 * frames_host.h: marshals the P/Invoke arguments to frame.h / cpu_copy.h.
 * No logic: every rule is checked (and reported) by the frames layer.
 */
#include "frames_host.h"

#include "dmabuf/cpu_copy.h"
#include "dmabuf/frame.h"
#include "dmabuf_host_internal.h"
#include "../managed_values.h"

/* The heap's context (and a fresh last message), or NULL. */
static struct dmabuf_ctx *context_of(int32_t heap, int32_t *err)
{
	struct dmabuf_host_heap_parts parts;
	*err = dmabuf_host_heap_parts(heap, &parts);
	return *err ? NULL : parts.ctx;
}

static int32_t frame_from(const int32_t *values, struct dmabuf_frame *out)
{
	if (!values)
		return DMABUF_EINVAL;
	for (int i = 1; i < DMABUF_HOST_FRAME_VALUES; i++)
		if (values[i] < 0)
			return DMABUF_EINVAL;
	*out = (struct dmabuf_frame){ values[0], (uint32_t)values[1], (uint32_t)values[2],
				      (uint32_t)values[3], (uint32_t)values[4], (uint32_t)values[5] };
	return 0;
}

/* The start shared by every call with one frame. */
static struct dmabuf_ctx *open_call(int32_t heap, const int32_t *values, struct dmabuf_frame *frame, int32_t *err)
{
	struct dmabuf_ctx *ctx = context_of(heap, err);
	if (ctx)
		*err = frame_from(values, frame);
	return *err ? NULL : ctx;
}

int32_t dmabuf_host_frame_check(int32_t heap, const int32_t *values)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	return ctx ? dmabuf_frame_check(ctx, &frame) : err;
}

int32_t dmabuf_host_frame_fill(int32_t heap, const int32_t *values, int32_t x, int32_t y, int32_t width,
			       int32_t height, int32_t rgb)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	return ctx ? dmabuf_frame_fill(ctx, &frame, x, y, width, height, (uint32_t)rgb) : err;
}

int32_t dmabuf_host_frame_darken(int32_t heap, const int32_t *values, int32_t x, int32_t y, int32_t width,
				 int32_t height)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	return ctx ? dmabuf_frame_darken(ctx, &frame, x, y, width, height) : err;
}

int32_t dmabuf_host_frame_blend(int32_t heap, const int32_t *values, int32_t x, int32_t y, int32_t width,
				int32_t height, int32_t rgb, int32_t alpha)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	return ctx ? dmabuf_frame_blend(ctx, &frame, x, y, width, height, (uint32_t)rgb, (uint32_t)alpha) : err;
}

int32_t dmabuf_host_frame_copy(int32_t heap, const int32_t *source, int32_t x, int32_t y, int32_t width,
			       int32_t height, const int32_t *destination, int32_t dest_x, int32_t dest_y)
{
	struct dmabuf_frame from, to;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, source, &from, &err);
	if (ctx)
		err = frame_from(destination, &to);
	return ctx && !err ? dmabuf_frame_copy(ctx, &from, x, y, width, height, &to, dest_x, dest_y) : err;
}

int32_t dmabuf_host_frame_draw_text(int32_t heap, const int32_t *values, int32_t x, int32_t y, const uint8_t *text,
				    int32_t length, int32_t rgb, int32_t scale)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	if (!ctx)
		return err;
	if (length < 0 || scale < 0)
		return DMABUF_EINVAL;
	return dmabuf_frame_draw_text(ctx, &frame, x, y, (const char *)text, (uint32_t)length, (uint32_t)rgb,
				      (uint32_t)scale);
}

int32_t dmabuf_host_frame_draw_sprite(int32_t heap, const int32_t *values, int32_t x, int32_t y,
				      const uint8_t *pixels, int32_t pixels_length, int32_t width, int32_t height,
				      int32_t transparent_rgb)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	if (!ctx)
		return err;
	if (pixels_length < 0)
		return DMABUF_EINVAL;
	return dmabuf_frame_draw_sprite(ctx, &frame, x, y, pixels, (uint32_t)pixels_length, width, height,
					(uint32_t)transparent_rgb);
}

int32_t dmabuf_host_frame_read_pixel(int32_t heap, const int32_t *values, int32_t x, int32_t y, int32_t *rgb)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	if (!ctx)
		return err;
	uint32_t value = 0;
	err = dmabuf_frame_read_pixel(ctx, &frame, x, y, &value);
	if (!err && rgb)
		*rgb = (int32_t)value;
	return err;
}

int32_t dmabuf_host_frame_read_row(int32_t heap, const int32_t *values, int32_t x, int32_t y, int32_t count,
				   uint8_t *out, int32_t out_length)
{
	struct dmabuf_frame frame;
	int32_t err;
	struct dmabuf_ctx *ctx = open_call(heap, values, &frame, &err);
	if (!ctx)
		return err;
	if (out_length < 0)
		return DMABUF_EINVAL;
	return dmabuf_frame_read_row(ctx, &frame, x, y, count, out, (uint32_t)out_length);
}

int32_t dmabuf_host_cpu_copy_count(int32_t heap, int32_t bytes)
{
	int32_t err;
	struct dmabuf_ctx *ctx = context_of(heap, &err);
	if (!ctx)
		return err;
	if (bytes < 0)
		return DMABUF_EINVAL;
	dmabuf_cpu_copy_count(ctx, (uint32_t)bytes);
	return 0;
}

int32_t dmabuf_host_cpu_copy_stats(int32_t heap, int64_t *values, int32_t count, int32_t reset)
{
	int32_t err;
	struct dmabuf_ctx *ctx = context_of(heap, &err);
	if (!ctx)
		return err;
	if (values) {
		if (count < DMABUF_VALUES_CPU_COPY_STATS)
			return DMABUF_EINVAL;
		struct dmabuf_cpu_copy_stats stats;
		dmabuf_cpu_copy_stats(ctx, &stats);
		dmabuf_values_from_cpu_copy_stats(values, &stats);
	}
	if (reset)
		dmabuf_cpu_copy_stats_reset(ctx);
	return 0;
}
