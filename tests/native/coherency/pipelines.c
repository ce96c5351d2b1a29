#include <string.h>

#include "coherency/pipelines.h"

#define FRAME PIPELINE_FRAME
#define FRAMES 3

/* A pipeline stops at the first failed call (rig->failures says so). */
#define STEP(call)                                                                                 \
	do {                                                                                       \
		if ((call) < 0)                                                                    \
			return;                                                                    \
	} while (0)
#define NONZERO(value)                                                                             \
	do {                                                                                       \
		if (!(value))                                                                      \
			return;                                                                    \
	} while (0)

/* Bytes of an access of @length (DMABUF_WHOLE: to the end) at @offset. */
static uint32_t span(uint32_t offset, uint32_t length)
{
	return length == DMABUF_WHOLE ? FRAME - offset : length;
}

/* The CPU fills [offset, offset + length) of @buffer with @bytes + offset. */
static int cpu_fill(struct rig *rig, dmabuf_handle_t buffer, enum dmabuf_direction direction,
		    uint32_t offset, uint32_t length, const uint8_t *bytes)
{
	uint8_t *cpu = rig_begin(rig, buffer, direction, offset, length);
	if (!cpu)
		return -1;
	rig_cpu_write(rig, cpu, bytes + offset, span(offset, length));
	return rig_end(rig, buffer, direction, offset, length);
}

/* The CPU checks [offset, offset + length) of @buffer against @expected + offset. */
static int cpu_read(struct rig *rig, dmabuf_handle_t buffer, uint32_t offset, uint32_t length,
		    const uint8_t *expected)
{
	const uint8_t *cpu = rig_begin(rig, buffer, DMABUF_FROM_DEVICE, offset, length);
	if (!cpu)
		return -1;
	rig_cpu_check(rig, cpu, expected + offset, span(offset, length));
	return rig_end(rig, buffer, DMABUF_FROM_DEVICE, offset, length);
}

/* @device reads (TO_DEVICE) or writes (FROM_DEVICE) the whole buffer. */
static int device_pass(struct rig *rig, dmabuf_handle_t attachment, enum rig_device device,
		       enum dmabuf_direction direction, const uint8_t *bytes)
{
	struct dmabuf_mapping m;
	if (rig_map(rig, attachment, direction, &m) < 0)
		return -1;
	if (direction == DMABUF_TO_DEVICE)
		rig_device_read(rig, device, &m, bytes);
	else
		rig_device_write(rig, device, &m, bytes);
	return rig_unmap(rig, attachment, &m, direction);
}

void pipeline_cpu_to_device(struct rig *rig)
{
	uint8_t frame[FRAME];
	dmabuf_handle_t buffer, display;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(display = rig_attach(rig, buffer, RIG_DISPLAY));
	for (int k = 0; k < FRAMES; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(cpu_fill(rig, buffer, DMABUF_TO_DEVICE, 0, FRAME, frame));
		STEP(device_pass(rig, display, RIG_DISPLAY, DMABUF_TO_DEVICE, frame));
	}
	STEP(rig_detach(rig, display));
	STEP(rig_put(rig, buffer));
}

void pipeline_device_to_cpu(struct rig *rig)
{
	uint8_t frame[FRAME], neighbour_frame[FRAME];
	dmabuf_handle_t buffer, neighbour, camera, display;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(neighbour = rig_export(rig, FRAME, 0));
	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	NONZERO(display = rig_attach(rig, neighbour, RIG_DISPLAY));

	/* The neighbour's CPU access stays open through every hand-over of the
	 * frame buffer: none of them may disturb its dirty lines. */
	rig_frame(rig, neighbour_frame, FRAME);
	uint8_t *neighbour_cpu = rig_begin(rig, neighbour, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	NONZERO(neighbour_cpu);
	for (int k = 0; k < FRAMES; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(device_pass(rig, camera, RIG_CAMERA, DMABUF_FROM_DEVICE, frame));
		rig_cpu_write(rig, neighbour_cpu + k * FRAME / FRAMES, neighbour_frame + k * FRAME / FRAMES,
			      FRAME / FRAMES + (k == FRAMES - 1 ? FRAME % FRAMES : 0));
		STEP(cpu_read(rig, buffer, 0, DMABUF_WHOLE, frame));
	}
	STEP(rig_end(rig, neighbour, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE));
	STEP(device_pass(rig, display, RIG_DISPLAY, DMABUF_TO_DEVICE, neighbour_frame));

	STEP(rig_detach(rig, camera));
	STEP(rig_detach(rig, display));
	STEP(rig_put(rig, buffer));
	STEP(rig_put(rig, neighbour));
}

void pipeline_bidirectional(struct rig *rig)
{
	uint8_t cpu_frame[FRAME], device_frame[FRAME];
	dmabuf_handle_t buffer, camera;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	for (int k = 0; k < FRAMES; k++) {
		uint8_t *cpu = rig_begin(rig, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
		NONZERO(cpu);
		if (k > 0)
			rig_cpu_check(rig, cpu, device_frame, FRAME);
		rig_frame(rig, cpu_frame, FRAME);
		rig_cpu_write(rig, cpu, cpu_frame, FRAME);
		STEP(rig_end(rig, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE));

		struct dmabuf_mapping m;
		STEP(rig_map(rig, camera, DMABUF_BIDIRECTIONAL, &m));
		rig_device_read(rig, RIG_CAMERA, &m, cpu_frame);
		rig_frame(rig, device_frame, FRAME);
		rig_device_write(rig, RIG_CAMERA, &m, device_frame);
		STEP(rig_unmap(rig, camera, &m, DMABUF_BIDIRECTIONAL));
	}
	STEP(cpu_read(rig, buffer, 0, DMABUF_WHOLE, device_frame));
	STEP(rig_detach(rig, camera));
	STEP(rig_put(rig, buffer));
}

void pipeline_camera_to_display(struct rig *rig)
{
	uint8_t frame[FRAME];
	dmabuf_handle_t buffer, camera, display;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	NONZERO(display = rig_attach(rig, buffer, RIG_DISPLAY));
	for (int k = 0; k < FRAMES; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(device_pass(rig, camera, RIG_CAMERA, DMABUF_FROM_DEVICE, frame));
		STEP(device_pass(rig, display, RIG_DISPLAY, DMABUF_TO_DEVICE, frame));
	}
	STEP(rig_detach(rig, camera));
	STEP(rig_detach(rig, display));
	STEP(rig_put(rig, buffer));
}

/* A random sub-range that starts and ends inside a line (unless the line
 * is larger than what is left). */
static void unaligned_range(struct rig *rig, uint32_t *offset, uint32_t *length)
{
	uint32_t line = rig->schedule.line;
	*offset = rig_random(rig, FRAME / 2 / line) * line + 1 + rig_random(rig, line - 1);
	*length = 1 + rig_random(rig, FRAME - *offset - 1);
}

void pipeline_sub_range(struct rig *rig)
{
	uint8_t frame[FRAME], overlay[FRAME];
	dmabuf_handle_t buffer, camera, display;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	NONZERO(display = rig_attach(rig, buffer, RIG_DISPLAY));
	for (int k = 0; k < FRAMES + 1; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(device_pass(rig, camera, RIG_CAMERA, DMABUF_FROM_DEVICE, frame));

		uint32_t offset, length;
		unaligned_range(rig, &offset, &length);
		STEP(cpu_read(rig, buffer, offset, length, frame));

		unaligned_range(rig, &offset, &length);
		rig_frame(rig, overlay, FRAME);
		enum dmabuf_direction direction = k % 2 ? DMABUF_BIDIRECTIONAL : DMABUF_TO_DEVICE;
		STEP(cpu_fill(rig, buffer, direction, offset, length, overlay));
		memcpy(frame + offset, overlay + offset, length);
		STEP(device_pass(rig, display, RIG_DISPLAY, DMABUF_TO_DEVICE, frame));
	}
	STEP(rig_detach(rig, camera));
	STEP(rig_detach(rig, display));
	STEP(rig_put(rig, buffer));
}

/* The expected pixels, per pixel from frame.h's definitions: fill stores
 * the colour's RGB565 value high byte first, darken halves each channel. */
static void expect_overlay(uint8_t *frame, uint32_t stride, bool darken, uint32_t x0, uint32_t y0, uint32_t width,
			   uint32_t height, uint32_t rgb)
{
	uint32_t colour = ((rgb >> 19) & 31u) << 11 | ((rgb >> 10) & 63u) << 5 | ((rgb >> 3) & 31u);
	for (uint32_t y = y0; y < y0 + height; y++) {
		for (uint32_t x = x0; x < x0 + width; x++) {
			uint8_t *p = frame + y * stride + x * 2u;
			uint32_t v = colour;
			if (darken) {
				v = (uint32_t)p[0] << 8 | p[1];
				v = ((v >> 11) / 2u) << 11 | (((v >> 5) & 63u) / 2u) << 5 | (v & 31u) / 2u;
			}
			p[0] = (uint8_t)(v >> 8);
			p[1] = (uint8_t)v;
		}
	}
}

enum { OVERLAY_WIDTH = 20, OVERLAY_HEIGHT = 25, OVERLAY_STRIDE = OVERLAY_WIDTH * 2 };
_Static_assert(OVERLAY_STRIDE * OVERLAY_HEIGHT == FRAME, "the frame fills the buffer");

/* One operation on a random rectangle, in its own access. */
static int draw_alone(struct rig *rig, const struct dmabuf_frame *picture, uint8_t *frame, int k)
{
	uint32_t x = rig_random(rig, OVERLAY_WIDTH), y = rig_random(rig, OVERLAY_HEIGHT);
	uint32_t width = 1 + rig_random(rig, OVERLAY_WIDTH - x), height = 1 + rig_random(rig, OVERLAY_HEIGHT - y);
	uint32_t rgb = rig_random(rig, 0x1000000u);
	bool darken = k % 2;
	expect_overlay(frame, OVERLAY_STRIDE, darken, x, y, width, height, rgb);
	return rig_frame_draw(rig, picture, darken, (int32_t)x, (int32_t)y, (int32_t)width, (int32_t)height, rgb);
}

/* Three overlapping operations inside one access the caller opens over the
 * window of a random rectangle (frame.h); darkening reads, so only in the
 * bidirectional access. */
static int draw_batched(struct rig *rig, const struct dmabuf_frame *picture, uint8_t *frame, int k)
{
	uint32_t x = rig_random(rig, OVERLAY_WIDTH), y = rig_random(rig, OVERLAY_HEIGHT);
	uint32_t width = 1 + rig_random(rig, OVERLAY_WIDTH - x), height = 1 + rig_random(rig, OVERLAY_HEIGHT - y);
	uint32_t offset = y * OVERLAY_STRIDE + x * 2u, length = (height - 1u) * OVERLAY_STRIDE + width * 2u;
	enum dmabuf_direction direction = k % 2 ? DMABUF_BIDIRECTIONAL : DMABUF_TO_DEVICE;
	if (!rig_begin(rig, picture->buffer, direction, offset, length))
		return DMABUF_EINVAL; /* the rig counted the failure */
	for (int step = 0; step < 3; step++) {
		uint32_t sx = x + rig_random(rig, width), sy = y + rig_random(rig, height);
		uint32_t sw = 1 + rig_random(rig, x + width - sx), sh = 1 + rig_random(rig, y + height - sy);
		uint32_t rgb = rig_random(rig, 0x1000000u);
		bool darken = direction == DMABUF_BIDIRECTIONAL && step != 1;
		int err = rig_frame_draw(rig, picture, darken, (int32_t)sx, (int32_t)sy, (int32_t)sw, (int32_t)sh, rgb);
		if (err < 0)
			return err;
		expect_overlay(frame, OVERLAY_STRIDE, darken, sx, sy, sw, sh, rgb);
	}
	return rig_end(rig, picture->buffer, direction, offset, length);
}

static void frame_overlay(struct rig *rig, int (*draw)(struct rig *, const struct dmabuf_frame *, uint8_t *, int))
{
	uint8_t frame[FRAME];
	dmabuf_handle_t buffer, camera, display;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	NONZERO(display = rig_attach(rig, buffer, RIG_DISPLAY));
	struct dmabuf_frame picture = { buffer, 0, OVERLAY_WIDTH, OVERLAY_HEIGHT, OVERLAY_STRIDE,
					DMABUF_PIXEL_RGB565_BE };
	for (int k = 0; k < FRAMES + 1; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(device_pass(rig, camera, RIG_CAMERA, DMABUF_FROM_DEVICE, frame));
		STEP(draw(rig, &picture, frame, k));
		STEP(device_pass(rig, display, RIG_DISPLAY, DMABUF_TO_DEVICE, frame));
	}
	STEP(rig_detach(rig, camera));
	STEP(rig_detach(rig, display));
	STEP(rig_put(rig, buffer));
}

void pipeline_frame_overlay(struct rig *rig)
{
	frame_overlay(rig, draw_alone);
}

void pipeline_frame_overlay_batched(struct rig *rig)
{
	frame_overlay(rig, draw_batched);
}

void pipeline_reuse_after_free(struct rig *rig)
{
	uint8_t frame[FRAME];
	dmabuf_handle_t previous, buffer, camera, display;
	NONZERO(previous = rig_export(rig, FRAME, 0));
	dmabuf_addr_t storage = rig_info(rig, previous).dma_addr;
	uint8_t *cpu = rig_begin(rig, previous, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
	NONZERO(cpu);
	rig_frame(rig, frame, FRAME);
	rig_cpu_write(rig, cpu, frame, FRAME); /* the misuse: a write in a read access */
	STEP(rig_end(rig, previous, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE));
	STEP(rig_put(rig, previous));

	NONZERO(buffer = rig_export(rig, FRAME, 0));
	if (rig_info(rig, buffer).dma_addr != storage) {
		rig->failures++; /* the pipeline means to reuse the storage */
		return;
	}
	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	NONZERO(display = rig_attach(rig, buffer, RIG_DISPLAY));
	for (int k = 0; k < FRAMES; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(device_pass(rig, camera, RIG_CAMERA, DMABUF_FROM_DEVICE, frame));
		STEP(cpu_read(rig, buffer, 0, DMABUF_WHOLE, frame));
		STEP(device_pass(rig, display, RIG_DISPLAY, DMABUF_TO_DEVICE, frame));
	}
	STEP(rig_detach(rig, camera));
	STEP(rig_detach(rig, display));
	STEP(rig_put(rig, buffer));
}

void pipeline_migration(struct rig *rig)
{
	uint8_t frame[FRAME];
	dmabuf_handle_t buffer, dma2, camera;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	rig_frame(rig, frame, FRAME);
	STEP(cpu_fill(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, frame));
	NONZERO(dma2 = rig_attach(rig, buffer, RIG_DMA2));
	if (rig_info(rig, buffer).region != (int32_t)TEST_SRAM2) {
		rig->failures++; /* the pipeline means to migrate */
		return;
	}
	STEP(device_pass(rig, dma2, RIG_DMA2, DMABUF_TO_DEVICE, frame));
	rig_frame(rig, frame, FRAME);
	STEP(cpu_fill(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, frame));
	STEP(device_pass(rig, dma2, RIG_DMA2, DMABUF_TO_DEVICE, frame));

	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	rig_frame(rig, frame, FRAME);
	STEP(device_pass(rig, camera, RIG_CAMERA, DMABUF_FROM_DEVICE, frame));
	STEP(cpu_read(rig, buffer, 0, DMABUF_WHOLE, frame));
	STEP(rig_detach(rig, camera));
	STEP(rig_detach(rig, dma2));
	STEP(rig_put(rig, buffer));
}

/* The non-coherent display attaches (paying any owed clean, rule 6), reads
 * the whole buffer, and leaves. */
static int late_display_reads(struct rig *rig, dmabuf_handle_t buffer, const uint8_t *frame)
{
	dmabuf_handle_t display = rig_attach(rig, buffer, RIG_DISPLAY);
	if (!display || device_pass(rig, display, RIG_DISPLAY, DMABUF_TO_DEVICE, frame) < 0)
		return -1;
	return rig_detach(rig, display);
}

void pipeline_deferred_clean(struct rig *rig)
{
	uint8_t frame[FRAME];
	dmabuf_handle_t buffer, snooper;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(snooper = rig_attach(rig, buffer, RIG_SNOOPER));
	for (int k = 0; k < FRAMES; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(cpu_fill(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, frame));
		if (k % 2)
			STEP(device_pass(rig, snooper, RIG_SNOOPER, DMABUF_TO_DEVICE, frame));
		STEP(late_display_reads(rig, buffer, frame));
	}
	STEP(rig_detach(rig, snooper));
	STEP(rig_put(rig, buffer));
}

/* A random sub-range of 1..@max_length bytes, not at offset 0. */
static void small_unaligned_range(struct rig *rig, uint32_t max_length, uint32_t *offset, uint32_t *length)
{
	*offset = 1 + rig_random(rig, FRAME - max_length - 1);
	*length = 1 + rig_random(rig, max_length);
}

void pipeline_stale_then_deferred(struct rig *rig)
{
	uint8_t frame[FRAME], overlay[FRAME];
	dmabuf_handle_t buffer, snooper, camera;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(snooper = rig_attach(rig, buffer, RIG_SNOOPER));
	for (int k = 0; k < FRAMES; k++) {
		NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
		rig_frame(rig, frame, FRAME);
		STEP(device_pass(rig, camera, RIG_CAMERA, DMABUF_FROM_DEVICE, frame));
		STEP(rig_detach(rig, camera));

		/* At most 200 bytes: at most 456 bytes of lines, below the
		 * 512-byte whole-cache threshold, so the per-line path runs. */
		uint32_t offset, length;
		small_unaligned_range(rig, 200, &offset, &length);
		rig_frame(rig, overlay, FRAME);
		enum dmabuf_direction direction = k % 2 ? DMABUF_BIDIRECTIONAL : DMABUF_TO_DEVICE;
		STEP(cpu_fill(rig, buffer, direction, offset, length, overlay));
		memcpy(frame + offset, overlay + offset, length);
		STEP(cpu_read(rig, buffer, offset, length, frame));

		STEP(device_pass(rig, snooper, RIG_SNOOPER, DMABUF_TO_DEVICE, frame));
		STEP(late_display_reads(rig, buffer, frame));
	}
	STEP(rig_detach(rig, snooper));
	STEP(rig_put(rig, buffer));
}

/* Any sub-range of the frame. */
static void any_range(struct rig *rig, uint32_t *offset, uint32_t *length)
{
	*offset = rig_random(rig, FRAME);
	*length = 1 + rig_random(rig, FRAME - *offset);
}

/* The CPU checks [offset, offset + length) of @frame, then overwrites it with
 * fresh bytes, in one BIDIRECTIONAL access. */
static int cpu_modify(struct rig *rig, dmabuf_handle_t buffer, uint32_t offset, uint32_t length, uint8_t *frame)
{
	uint8_t *cpu = rig_begin(rig, buffer, DMABUF_BIDIRECTIONAL, offset, length);
	if (!cpu)
		return -1;
	rig_cpu_check(rig, cpu, frame + offset, length);
	rig_frame(rig, frame + offset, length);
	rig_cpu_write(rig, cpu, frame + offset, length);
	return rig_end(rig, buffer, DMABUF_BIDIRECTIONAL, offset, length);
}

#define RANDOM_STEPS 24

void pipeline_random_hand_overs(struct rig *rig)
{
	uint8_t frame[FRAME], overlay[FRAME];
	dmabuf_handle_t buffer, attachment[RIG_DEVICES] = { 0 };
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(attachment[RIG_SNOOPER] = rig_attach(rig, buffer, RIG_SNOOPER));
	rig_frame(rig, frame, FRAME);
	STEP(cpu_fill(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, frame));
	for (int step = 0; step < RANDOM_STEPS; step++) {
		uint32_t offset, length;
		/* camera or display: the non-coherent parties that come and go */
		enum rig_device device = rig_random(rig, 2) ? RIG_CAMERA : RIG_DISPLAY;
		switch (rig_random(rig, 7)) {
		case 0: /* the CPU draws an overlay */
			any_range(rig, &offset, &length);
			rig_frame(rig, overlay, FRAME);
			STEP(cpu_fill(rig, buffer, DMABUF_TO_DEVICE, offset, length, overlay));
			memcpy(frame + offset, overlay + offset, length);
			break;
		case 1: /* the CPU reads */
			any_range(rig, &offset, &length);
			STEP(cpu_read(rig, buffer, offset, length, frame));
			break;
		case 2: /* the CPU reads and rewrites */
			any_range(rig, &offset, &length);
			STEP(cpu_modify(rig, buffer, offset, length, frame));
			break;
		case 3: /* a non-coherent device writes a new frame */
			if (!attachment[device])
				NONZERO(attachment[device] = rig_attach(rig, buffer, device));
			rig_frame(rig, frame, FRAME);
			STEP(device_pass(rig, attachment[device], device, DMABUF_FROM_DEVICE, frame));
			break;
		case 4: /* the coherent snooper writes a new frame */
			rig_frame(rig, frame, FRAME);
			STEP(device_pass(rig, attachment[RIG_SNOOPER], RIG_SNOOPER, DMABUF_FROM_DEVICE, frame));
			break;
		case 5: /* a device reads the frame */
			if (rig_random(rig, 3) == 0)
				device = RIG_SNOOPER;
			else if (!attachment[device])
				NONZERO(attachment[device] = rig_attach(rig, buffer, device));
			STEP(device_pass(rig, attachment[device], device, DMABUF_TO_DEVICE, frame));
			break;
		default: /* a non-coherent device leaves */
			if (attachment[device]) {
				STEP(rig_detach(rig, attachment[device]));
				attachment[device] = 0;
			}
			break;
		}
	}
	/* Whoever is attached, a late non-coherent reader sees the last frame. */
	if (!attachment[RIG_DISPLAY])
		NONZERO(attachment[RIG_DISPLAY] = rig_attach(rig, buffer, RIG_DISPLAY));
	STEP(device_pass(rig, attachment[RIG_DISPLAY], RIG_DISPLAY, DMABUF_TO_DEVICE, frame));
	STEP(cpu_read(rig, buffer, 0, DMABUF_WHOLE, frame));
	for (int d = 0; d < RIG_DEVICES; d++)
		if (attachment[d])
			STEP(rig_detach(rig, attachment[d]));
	STEP(rig_put(rig, buffer));
}

/* CPU -> device, device -> CPU and CPU read-modify-write through @device. */
static void all_directions(struct rig *rig, dmabuf_handle_t buffer, dmabuf_handle_t attachment,
			   enum rig_device device)
{
	uint8_t frame[FRAME];
	for (int k = 0; k < FRAMES; k++) {
		rig_frame(rig, frame, FRAME);
		STEP(cpu_fill(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, frame));
		STEP(device_pass(rig, attachment, device, DMABUF_TO_DEVICE, frame));
		rig_frame(rig, frame, FRAME);
		STEP(device_pass(rig, attachment, device, DMABUF_FROM_DEVICE, frame));
		STEP(cpu_read(rig, buffer, 0, DMABUF_WHOLE, frame));
	}
}

void pipeline_coherent_device(struct rig *rig)
{
	dmabuf_handle_t buffer, snooper;
	NONZERO(buffer = rig_export(rig, FRAME, 0));
	NONZERO(snooper = rig_attach(rig, buffer, RIG_SNOOPER));
	all_directions(rig, buffer, snooper, RIG_SNOOPER);
	STEP(rig_detach(rig, snooper));
	STEP(rig_put(rig, buffer));
}

void pipeline_uncached(struct rig *rig)
{
	dmabuf_handle_t buffer, camera;
	NONZERO(buffer = rig_export(rig, FRAME, DMABUF_EXPORT_PREFER_UNCACHED));
	if (rig_info(rig, buffer).region != (int32_t)TEST_NOCACHE) {
		rig->failures++;
		return;
	}
	NONZERO(camera = rig_attach(rig, buffer, RIG_CAMERA));
	all_directions(rig, buffer, camera, RIG_CAMERA);
	STEP(rig_detach(rig, camera));
	STEP(rig_put(rig, buffer));
}
