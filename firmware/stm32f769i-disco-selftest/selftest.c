/*
 * Cycles per frame of the demo's two pipelines on the board's own DmaBuf
 * context (its board description, region memory and the Cortex-M7 cache
 * backend, release build), timed with DWT_CYCCNT.
 *
 * For each frame size (320x240, 800x480 RGB565) it exports the camera frame,
 * the framebuffer and the copy baseline's array (an uncached buffer, where
 * nanoFramework keeps its managed heap on this board: SDRAM), then runs
 * FRAMES frames of each pipeline body of tests/bench/target/pipeline_frame.c,
 * the code the QEMU instruction counts measure:
 *   copy       the copy baseline (frame out into the array, array into the
 *              framebuffer, each inside its CPU access)
 *   zero-copy  the zero-copy pipeline's access on the frame in place
 *   overlay    the zero-copy pipeline with its drawing (the demo's overlay)
 * Before each frame the camera attachment is mapped and unmapped
 * FromDevice, as after a capture, so every frame starts from the state a
 * frame loop sees. Each pipeline's result is checked (the framebuffer
 * equals the camera frame; the overlay's pixels are where they belong), so
 * the run also fails where there is no cycle counter (QEMU).
 *
 * Output (console): one "frame SIZE PIPELINE N CYCLES" line per frame, then
 * "median SIZE PIPELINE CYCLES cycles US us" per pipeline; without a
 * counting CYCCNT the cycle fields read "not-counted" and no median is
 * printed. Before the pipelines, coherency.c checks the cache maintenance
 * against the board's DMA engine ("coherency ..." lines; on QEMU, which has
 * none, it says it did not run). Ends with "selftest done: N failures" and
 * returns N.
 */
#include <stdio.h>
#include <string.h>

#include "coherency.h"
#include "cycle_counter.h"
#include "dmabuf/cache.h"
#include "dmabuf/dmabuf.h"
#include "dmabuf/frame.h"
#include "pipeline_frame.h"
#include "selftest_platform.h"

#define FRAMES 16u

enum pipeline { PIPELINE_COPY, PIPELINE_ZERO_COPY, PIPELINE_OVERLAY, PIPELINE_COUNT };
static const char *const pipeline_names[PIPELINE_COUNT] = { "copy", "zero-copy", "overlay" };

static const struct {
	const char *name;
	uint32_t width, height;
} sizes[] = { { "320x240", 320, 240 }, { "800x480", 800, 480 } };

/* dmabuf_storage_size: 2,368 B for this configuration on the DISCO (3 regions). */
static uint64_t ctx_storage[512];
static uint32_t cycles[PIPELINE_COUNT][FRAMES];
static bool counting;
/* What a reading costs (two back-to-back reads), taken off every figure. */
static uint32_t reading_cost;
static unsigned failures;

static void fail(const char *what, int err)
{
	printf("FAIL %s: %s\n", what, err ? dmabuf_strerror(err) : "wrong pixels");
	failures++;
}

static const char *region_of(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer)
{
	struct dmabuf_info info;
	if (dmabuf_get_info(ctx, buffer, &info) || info.region < 0)
		return "?";
	return selftest_platform.board->regions[info.region].name;
}

static uint32_t median(uint32_t *values, uint32_t count)
{
	for (uint32_t i = 1; i < count; i++)
		for (uint32_t j = i; j > 0 && values[j - 1] > values[j]; j--) {
			uint32_t t = values[j];
			values[j] = values[j - 1];
			values[j - 1] = t;
		}
	return values[count / 2u];
}

static uint32_t measure_reading_cost(void)
{
	uint32_t lowest = UINT32_MAX;
	for (int i = 0; i < 8; i++) {
		uint32_t start = cycle_counter_now();
		uint32_t spent = cycle_counter_now() - start;
		if (spent < lowest)
			lowest = spent;
	}
	return lowest;
}

/* Fill @buffer's @bytes through a write access with a pattern that varies
 * along each row and between rows. */
static int fill_pattern(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, uint32_t bytes)
{
	void *cpu;
	int err = dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu);
	if (err)
		return err;
	for (uint32_t i = 0; i < bytes; i++)
		((uint8_t *)cpu)[i] = (uint8_t)(i * 7u + (i >> 11));
	return dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
}

/* The framebuffer holds the camera frame (after a copy-baseline frame). */
static bool copy_arrived(struct dmabuf_ctx *ctx, dmabuf_handle_t camera, dmabuf_handle_t framebuffer, uint32_t bytes)
{
	void *in, *out;
	bool same = false;
	if (dmabuf_begin_cpu_access(ctx, camera, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &in))
		return false;
	if (!dmabuf_begin_cpu_access(ctx, framebuffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &out)) {
		same = memcmp(in, out, bytes) == 0;
		(void)dmabuf_end_cpu_access(ctx, framebuffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
	}
	(void)dmabuf_end_cpu_access(ctx, camera, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
	return same;
}

static uint16_t pixel_at(const uint8_t *frame, uint32_t stride, int32_t x, int32_t y)
{
	const uint8_t *p = frame + (uint32_t)y * stride + (uint32_t)x * 2u;
	return (uint16_t)((p[0] << 8) | p[1]); /* RGB565 BE */
}

/* The overlay's plate corner is black and its box corner (border) white. */
static bool overlay_drawn(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame,
			  const struct pipeline_overlay *overlay)
{
	void *cpu;
	if (dmabuf_begin_cpu_access(ctx, frame->buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu))
		return false;
	bool drawn = pixel_at(cpu, frame->stride, overlay->plate.x, overlay->plate.y) == 0x0000u &&
		     pixel_at(cpu, frame->stride, overlay->box.x, overlay->box.y) == 0xFFFFu;
	(void)dmabuf_end_cpu_access(ctx, frame->buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
	return drawn;
}

/* A capture just completed: the camera's map/unmap FromDevice. */
static int captured(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment)
{
	struct dmabuf_mapping mapping;
	int err = dmabuf_map(ctx, attachment, DMABUF_FROM_DEVICE, &mapping);
	if (!err)
		err = dmabuf_unmap(ctx, attachment, &mapping, DMABUF_FROM_DEVICE);
	return err;
}

static void print_frame(const char *size, enum pipeline p, uint32_t frame, uint32_t spent)
{
	if (counting)
		printf("frame %s %s %lu %lu\n", size, pipeline_names[p], (unsigned long)frame, (unsigned long)spent);
	else
		printf("frame %s %s %lu not-counted\n", size, pipeline_names[p], (unsigned long)frame);
}

static void run_size(struct dmabuf_ctx *ctx, int device, uint32_t s)
{
	const char *size = sizes[s].name;
	uint32_t bytes = sizes[s].width * sizes[s].height * 2u;
	dmabuf_handle_t camera = 0, framebuffer = 0, picture = 0, attachment = 0;
	void *array;
	int err = dmabuf_export(ctx, bytes, "camera", 0, &camera);
	if (!err) err = dmabuf_export(ctx, bytes, "framebuffer", 0, &framebuffer);
	if (!err) err = dmabuf_export(ctx, bytes, "picture", DMABUF_EXPORT_PREFER_UNCACHED, &picture);
	if (!err) err = dmabuf_attach(ctx, camera, device, &attachment);
	/* The array stands for a managed byte[]: the CPU's alone, one access
	 * held open for the whole run. */
	if (!err) err = dmabuf_begin_cpu_access(ctx, picture, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &array);
	if (!err) err = fill_pattern(ctx, camera, bytes);
	if (err) {
		fail("set-up", err);
		goto out;
	}
	printf("size %s: camera in %s, framebuffer in %s, array in %s\n", size, region_of(ctx, camera),
	       region_of(ctx, framebuffer), region_of(ctx, picture));

	const struct dmabuf_frame frame = { camera, 0, sizes[s].width, sizes[s].height, sizes[s].width * 2u,
					    DMABUF_PIXEL_RGB565_BE };
	const struct pipeline_overlay overlay = pipeline_overlay_layout(sizes[s].width, sizes[s].height);
	for (uint32_t n = 0; n < FRAMES; n++) {
		for (int p = 0; p < PIPELINE_COUNT; p++) {
			err = captured(ctx, attachment);
			if (err) {
				fail("capture (map/unmap)", err);
				goto out;
			}
			uint32_t start = cycle_counter_now();
			if (p == PIPELINE_COPY)
				err = pipeline_copy_frame(ctx, camera, framebuffer, array, bytes);
			else if (p == PIPELINE_ZERO_COPY)
				err = pipeline_zero_copy_frame(ctx, camera);
			else
				err = pipeline_overlay_draw(ctx, &frame, &overlay);
			uint32_t spent = cycle_counter_now() - start - reading_cost;
			if (err) {
				fail(pipeline_names[p], err);
				goto out;
			}
			cycles[p][n] = spent;
			print_frame(size, (enum pipeline)p, n, spent);
			if ((p == PIPELINE_COPY && !copy_arrived(ctx, camera, framebuffer, bytes)) ||
			    (p == PIPELINE_OVERLAY && !overlay_drawn(ctx, &frame, &overlay))) {
				fail(pipeline_names[p], 0);
				goto out;
			}
		}
	}
	for (int p = 0; p < PIPELINE_COUNT && counting; p++) {
		uint32_t m = median(cycles[p], FRAMES);
		uint32_t tenths_us = (uint32_t)((uint64_t)m * 10u / (selftest_platform.core_hz / 1000000u));
		printf("median %s %s %lu cycles %lu.%lu us\n", size, pipeline_names[p], (unsigned long)m,
		       (unsigned long)(tenths_us / 10u), (unsigned long)(tenths_us % 10u));
	}
out:
	if (picture)
		(void)dmabuf_end_cpu_access(ctx, picture, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
	if (attachment)
		(void)dmabuf_detach(ctx, attachment);
	if (picture)
		(void)dmabuf_put(ctx, picture);
	if (framebuffer)
		(void)dmabuf_put(ctx, framebuffer);
	if (camera)
		(void)dmabuf_put(ctx, camera);
}

int main(void)
{
	selftest_platform_init();
	const struct dmabuf_board *board = selftest_platform.board;
	printf("dmabuf cycle self-test: %s, core clock %lu Hz, %u frames per pipeline\n", board->name,
	       (unsigned long)selftest_platform.core_hz, (unsigned)FRAMES);
	counting = cycle_counter_start();
	if (counting) {
		reading_cost = measure_reading_cost();
		printf("cycle counter: DWT_CYCCNT counts (a reading costs %lu cycles, taken off each figure)\n",
		       (unsigned long)reading_cost);
	} else {
		printf("cycle counter: DWT_CYCCNT does not count here (no DWT cycle counter, e.g. QEMU): "
		       "the pipelines run and are checked, no cycles are reported\n");
	}

	const struct dmabuf_config config = {
		.board = board,
		.region_memory = selftest_platform.region_memory,
		.cache = &dmabuf_cache_cortex_m7,
		.cache_priv = (void *)board,
		.max_buffers = 8,
		.max_attachments = 4,
	};
	struct dmabuf_ctx *ctx = NULL;
	int err = dmabuf_init(&ctx, ctx_storage, sizeof(ctx_storage), &config);
	int device = err ? err : dmabuf_device_find(ctx, selftest_platform.camera_device);
	if (err || device < 0) {
		fail("context", err ? err : device);
	} else {
		failures += coherency_check(ctx);
		for (uint32_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			run_size(ctx, device, s);
		err = dmabuf_deinit(ctx);
		if (err)
			fail("dmabuf_deinit", err);
	}
	printf("selftest done: %u failures\n", failures);
	return (int)failures;
}
