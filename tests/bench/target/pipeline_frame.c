/*
 * The demo's per-frame pipeline bodies on the board (pipeline_frame.h),
 * shared by the QEMU instruction counts and the board's cycle self-test.
 */
#include "pipeline_frame.h"

#include <string.h>

#include "kernels.h"

int pipeline_copy_frame(struct dmabuf_ctx *ctx, dmabuf_handle_t camera, dmabuf_handle_t framebuffer,
			uint8_t *picture, uint32_t bytes)
{
	void *in, *out;
	int err = dmabuf_begin_cpu_access(ctx, camera, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &in);
	if (!err)
		memcpy(picture, in, bytes);
	if (!err)
		err = dmabuf_end_cpu_access(ctx, camera, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
	if (!err)
		err = dmabuf_begin_cpu_access(ctx, framebuffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &out);
	if (!err)
		memcpy(out, picture, bytes);
	if (!err)
		err = dmabuf_end_cpu_access(ctx, framebuffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	return err;
}

int pipeline_zero_copy_frame(struct dmabuf_ctx *ctx, dmabuf_handle_t camera)
{
	void *in;
	int err = dmabuf_begin_cpu_access(ctx, camera, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &in);
	if (!err)
		err = dmabuf_end_cpu_access(ctx, camera, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
	return err;
}

/* Overlay.cs's geometry. */
#define GLASS 240
#define MARGIN 8
#define PADDING 3
#define BORDER 2
#define DIGIT_SCALE 2

static const char overlay_digits[] = "000042";

struct pipeline_overlay pipeline_overlay_layout(uint32_t width, uint32_t height)
{
	int32_t crop_x = (int32_t)((width - GLASS) / 2u) & ~1, crop_y = (int32_t)(height - GLASS) / 2;
	/* 6 digits of 5 columns at scale 2 with a column between them */
	const int32_t plate_width = 2 * PADDING + 6 * 5 * DIGIT_SCALE + 5 * DIGIT_SCALE;
	const int32_t plate_height = 2 * PADDING + 7 * DIGIT_SCALE;
	struct pipeline_overlay overlay;
	overlay.plate = (struct pipeline_rect){ crop_x + MARGIN, crop_y + MARGIN, plate_width, plate_height };
	overlay.box = (struct pipeline_rect){ crop_x + MARGIN, overlay.plate.y + plate_height + 4, 64, 16 };
	return overlay;
}

/* Open (@begin) or end the access over @r's byte range, from its first
 * pixel to its last. */
static int rect_access(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, const struct pipeline_rect *r,
		       enum dmabuf_direction direction, int begin)
{
	uint32_t offset = frame->offset + (uint32_t)r->y * frame->stride + (uint32_t)r->x * 2u;
	uint32_t length = (uint32_t)(r->height - 1) * frame->stride + (uint32_t)r->width * 2u;
	void *cpu;
	return begin ? dmabuf_begin_cpu_access(ctx, frame->buffer, direction, offset, length, &cpu)
		     : dmabuf_end_cpu_access(ctx, frame->buffer, direction, offset, length);
}

int pipeline_overlay_draw(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame,
			  const struct pipeline_overlay *overlay)
{
	const struct pipeline_rect *plate = &overlay->plate, *box = &overlay->box;
	int32_t inner = box->height - 2 * BORDER;
	int err = rect_access(ctx, frame, plate, DMABUF_TO_DEVICE, 1);
	if (!err) err = dmabuf_frame_fill(ctx, frame, plate->x, plate->y, plate->width, plate->height, 0x000000);
	if (!err) err = dmabuf_frame_draw_text(ctx, frame, plate->x + PADDING, plate->y + PADDING, overlay_digits,
					       sizeof(overlay_digits) - 1u, 0xFFFFFF, DIGIT_SCALE);
	if (!err) err = rect_access(ctx, frame, plate, DMABUF_TO_DEVICE, 0);
	if (!err) err = rect_access(ctx, frame, box, DMABUF_BIDIRECTIONAL, 1);
	if (!err) err = dmabuf_frame_darken(ctx, frame, box->x + BORDER, box->y + BORDER, box->width - 2 * BORDER, inner);
	if (!err) err = dmabuf_frame_fill(ctx, frame, box->x, box->y, box->width, BORDER, 0xFFFFFF);
	if (!err) err = dmabuf_frame_fill(ctx, frame, box->x, box->y + BORDER, BORDER, inner, 0xFFFFFF);
	if (!err) err = dmabuf_frame_fill(ctx, frame, box->x + box->width - BORDER, box->y + BORDER, BORDER, inner,
					  0xFFFFFF);
	if (!err) err = dmabuf_frame_fill(ctx, frame, box->x, box->y + box->height - BORDER, box->width, BORDER,
					  0xFFFFFF);
	if (!err) err = rect_access(ctx, frame, box, DMABUF_BIDIRECTIONAL, 0);
	return err;
}

void pipeline_overlay_kernels(uint8_t *cpu, uint32_t stride, const struct pipeline_overlay *overlay)
{
	static const uint8_t black[2] = { 0, 0 }, white[2] = { 0xFF, 0xFF };
	const struct pipeline_rect *plate = &overlay->plate, *box = &overlay->box;
#define AT(x, y) (cpu + (uint32_t)(y) * stride + (uint32_t)(x) * 2u)
	uint32_t inner = (uint32_t)(box->height - 2 * BORDER);
	dmabuf_kernel_fill(AT(plate->x, plate->y), stride, (uint32_t)plate->width, (uint32_t)plate->height, black, 2);
	dmabuf_kernel_text(AT(plate->x, plate->y), stride, 2, white, (uint32_t)plate->width, (uint32_t)plate->height,
			   PADDING, PADDING, overlay_digits, sizeof(overlay_digits) - 1u, DIGIT_SCALE);
	dmabuf_kernel_darken(AT(box->x + BORDER, box->y + BORDER), stride, (uint32_t)box->width - 2u * BORDER, inner,
			     DMABUF_PIXEL_RGB565_BE);
	dmabuf_kernel_fill(AT(box->x, box->y), stride, (uint32_t)box->width, BORDER, white, 2);
	dmabuf_kernel_fill(AT(box->x, box->y + BORDER), stride, BORDER, inner, white, 2);
	dmabuf_kernel_fill(AT(box->x + box->width - BORDER, box->y + BORDER), stride, BORDER, inner, white, 2);
	dmabuf_kernel_fill(AT(box->x, box->y + box->height - BORDER), stride, (uint32_t)box->width, BORDER, white, 2);
#undef AT
}
