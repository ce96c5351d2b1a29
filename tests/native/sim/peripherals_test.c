/*
 * Peripheral models (sim/peripherals.h): the camera writes its pattern at
 * frame starts, the display scans at vsync into its panel, the SPI panel
 * fills a GRAM window row by row; each signals its fence at the moment its
 * DMA finishes, and waiting runs virtual time exactly up to that moment.
 */
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf/fence.h"
#include "peripherals.h"
#include "sim/sim_fixture.h"
#include "unit.h"

/* A 16 x 8 frame: 256 bytes, two 128-byte segments on the test board. */
#define W 16u
#define H 8u
#define FRAME (W * H * SIM_PIXEL_BYTES)
#define PERIOD_NS 10000u
#define RATE 100u /* bytes per us: 10 ns a byte */

static _Alignas(8) uint8_t fence_storage[8192];
static struct dmabuf_fence_pool *fences;
static struct sim_peripherals *current;
static struct sim_soc *soc;

/* Tear down the previous test's peripherals (a failed test may leave
 * requests running: tests keep requests in static storage so they outlive
 * the test), then a fresh simulator, fence pool and peripherals. */
static struct sim_peripherals *open_peripherals(uint64_t seed)
{
	if (current) {
		for (int i = 0; i < 100 && !sim_peripherals_idle(current); i++)
			sim_peripherals_run_until(current, sim_now(soc) + 1000000u);
		if (sim_peripherals_destroy(current) != 0)
			return NULL;
		current = NULL;
	}
	soc = sim_fixture_soc(32, seed);
	if (!soc || dmabuf_fence_pool_storage_size(64) > sizeof(fence_storage) ||
	    dmabuf_fence_pool_init(&fences, fence_storage, sizeof(fence_storage), 64) != 0 ||
	    sim_peripherals_create(soc, fences, &current) != 0)
		return NULL;
	return current;
}

static struct dmabuf_mapping mapping_at(dmabuf_addr_t addr, uint32_t length, uint32_t segment,
					enum dmabuf_direction direction)
{
	return (struct dmabuf_mapping){ addr, length, segment, (length + segment - 1u) / segment,
					(uint32_t)direction };
}

static const struct sim_camera_config camera_config = { W, H, 0x1234u, PERIOD_NS, RATE };

static void expected_frame(uint32_t frame, uint8_t *out)
{
	sim_camera_pattern(&camera_config, frame, 0, out, FRAME);
}

/* What @display's panel shows now (NULL if the copy is refused). */
static const uint8_t *panel_of(const struct sim_display *display)
{
	static uint8_t shown[FRAME];
	return sim_display_read_panel(display, shown, FRAME) == 0 ? shown : NULL;
}

/* ---- the picture ---------------------------------------------------------------- */

static void camera_pattern_is_big_endian_pixels_in_raster_order(void)
{
	uint8_t bytes[FRAME];
	expected_frame(3, bytes);
	for (uint32_t y = 0; y < H; y++)
		for (uint32_t x = 0; x < W; x++) {
			uint16_t pixel = sim_camera_pixel(&camera_config, 3, x, y);
			UNIT_EQ(bytes[(y * W + x) * 2], pixel >> 8);
			UNIT_EQ(bytes[(y * W + x) * 2 + 1], pixel & 0xFF);
		}
	/* A range that starts and ends inside pixels gives the same bytes. */
	uint8_t part[101];
	sim_camera_pattern(&camera_config, 3, 37, part, sizeof(part));
	UNIT_ASSERT(memcmp(part, bytes + 37, sizeof(part)) == 0);
}

static void camera_pattern_changes_every_line_in_every_frame(void)
{
	/* 32-byte lines (16 pixels) of frames up to 8 apart never match: a stale
	 * line of any earlier frame is a visible error. */
	struct sim_camera_config big = { 320, 240, 7, PERIOD_NS, RATE };
	static uint8_t a[320 * 240 * 2], b[320 * 240 * 2];
	sim_camera_pattern(&big, 10, 0, a, sizeof(a));
	for (uint32_t earlier = 2; earlier < 10; earlier++) {
		sim_camera_pattern(&big, earlier, 0, b, sizeof(b));
		for (uint32_t line = 0; line < sizeof(a); line += 32)
			UNIT_ASSERT(memcmp(a + line, b + line, 32) != 0);
	}
	/* Pure: the same arguments, the same picture; another seed, another one. */
	sim_camera_pattern(&big, 10, 0, b, sizeof(b));
	UNIT_ASSERT(memcmp(a, b, sizeof(a)) == 0);
	big.seed = 8;
	sim_camera_pattern(&big, 10, 0, b, sizeof(b));
	UNIT_ASSERT(memcmp(a, b, sizeof(a)) != 0);
}

/* ---- camera -------------------------------------------------------------------- */

static void camera_writes_frame_at_next_frame_start_and_signals_then(void)
{
	struct sim_peripherals *p = open_peripherals(1);
	UNIT_ASSERT(p);
	struct sim_camera *camera;
	UNIT_EQ(sim_camera_create(p, &camera_config, &camera), 0);
	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE + 256, FRAME, 128, DMABUF_FROM_DEVICE);

	sim_peripherals_run_until(p, 2500); /* inside frame 0: the capture gets frame 1 */
	static struct sim_request request;
	UNIT_EQ(sim_camera_queue(camera, &m, &request), 0);
	UNIT_EQ(dmabuf_fence_status(fences, request.done), 0);
	UNIT_EQ(sim_peripherals_wait(p, &request.done, 1, UINT64_MAX), 0);

	/* Two 128-byte segments at 10 ns a byte, from the frame start. */
	UNIT_EQ(request.sequence, 1);
	UNIT_EQ(request.start_ns, PERIOD_NS);
	UNIT_EQ(request.end_ns, PERIOD_NS + 2 * 1280);
	UNIT_EQ(sim_now(soc), request.end_ns); /* the wait stopped at the signal */
	uint8_t expected[FRAME];
	expected_frame(1, expected);
	UNIT_ASSERT(memcmp(sim_bus(soc, m.dma_addr, FRAME), expected, FRAME) == 0);

	struct sim_camera_stats stats;
	sim_camera_stats(camera, &stats);
	UNIT_EQ(stats.captured, 1);
	UNIT_EQ(stats.missed, 0);
	UNIT_EQ(stats.queued, 0);
	UNIT_EQ(dmabuf_fence_put(fences, request.done), 0);
	struct dmabuf_fence_pool_stats fs;
	dmabuf_fence_pool_stats(fences, &fs);
	UNIT_EQ(fs.in_use, 0); /* the camera dropped its own reference */
}

static void camera_serves_queued_captures_one_frame_each_in_order(void)
{
	struct sim_peripherals *p = open_peripherals(2);
	UNIT_ASSERT(p);
	struct sim_camera *camera;
	UNIT_EQ(sim_camera_create(p, &camera_config, &camera), 0);
	static struct sim_request requests[3];
	for (uint32_t i = 0; i < 3; i++) {
		struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE + i * FRAME, FRAME, 128, DMABUF_FROM_DEVICE);
		UNIT_EQ(sim_camera_queue(camera, &m, &requests[i]), 0);
	}
	dmabuf_fence_t done[3] = { requests[0].done, requests[1].done, requests[2].done };
	/* Waiting on all returns the first to finish, at its own end. */
	UNIT_EQ(sim_peripherals_wait(p, done, 3, UINT64_MAX), 0);
	UNIT_EQ(sim_now(soc), 2560);
	UNIT_EQ(dmabuf_fence_status(fences, done[1]), 0);
	UNIT_EQ(sim_peripherals_wait(p, &done[2], 1, UINT64_MAX), 0);
	uint8_t expected[FRAME];
	for (uint32_t i = 0; i < 3; i++) {
		UNIT_EQ(requests[i].sequence, i);
		UNIT_EQ(requests[i].start_ns, (uint64_t)i * PERIOD_NS);
		expected_frame(i, expected);
		UNIT_ASSERT(memcmp(sim_bus(soc, TEST_SRAM_BASE + i * FRAME, FRAME), expected, FRAME) == 0);
		UNIT_EQ(dmabuf_fence_put(fences, done[i]), 0);
	}
}

static void camera_misses_frames_while_its_dma_is_still_busy(void)
{
	struct sim_peripherals *p = open_peripherals(3);
	UNIT_ASSERT(p);
	/* 256 bytes at 20 B/us take 12.8 us: longer than the 10 us period. */
	struct sim_camera_config slow = camera_config;
	slow.bytes_per_us = 20;
	struct sim_camera *camera;
	UNIT_EQ(sim_camera_create(p, &slow, &camera), 0);
	static struct sim_request first, second;
	struct dmabuf_mapping m0 = mapping_at(TEST_SRAM_BASE, FRAME, 128, DMABUF_FROM_DEVICE);
	struct dmabuf_mapping m1 = mapping_at(TEST_SRAM_BASE + FRAME, FRAME, 128, DMABUF_BIDIRECTIONAL);
	UNIT_EQ(sim_camera_queue(camera, &m0, &first), 0);
	UNIT_EQ(sim_camera_queue(camera, &m1, &second), 0);
	UNIT_EQ(sim_peripherals_wait(p, &second.done, 1, UINT64_MAX), 0);
	UNIT_EQ(first.sequence, 0);
	UNIT_EQ(second.sequence, 2); /* frame 1 started while frame 0 was written */
	struct sim_camera_stats stats;
	sim_camera_stats(camera, &stats);
	UNIT_EQ(stats.missed, 1);
	UNIT_EQ(stats.captured, 2);
	UNIT_EQ(dmabuf_fence_put(fences, first.done), 0);
	UNIT_EQ(dmabuf_fence_put(fences, second.done), 0);
}

static void camera_refuses_bad_captures_and_keeps_nothing(void)
{
	struct sim_peripherals *p = open_peripherals(4);
	UNIT_ASSERT(p);
	struct sim_camera *camera;
	UNIT_EQ(sim_camera_create(p, &camera_config, &camera), 0);
	static struct sim_request request;
	struct dmabuf_mapping to_device = mapping_at(TEST_SRAM_BASE, FRAME, 128, DMABUF_TO_DEVICE);
	struct dmabuf_mapping short_one = mapping_at(TEST_SRAM_BASE, FRAME - 2, 128, DMABUF_FROM_DEVICE);
	struct dmabuf_mapping off_bus = mapping_at(TEST_SRAM_BASE + TEST_SRAM_SIZE - 128, FRAME, 128,
						   DMABUF_FROM_DEVICE);
	UNIT_EQ(sim_camera_queue(camera, &to_device, &request), DMABUF_EINVAL);
	UNIT_EQ(sim_camera_queue(camera, &short_one, &request), DMABUF_EINVAL);
	UNIT_EQ(sim_camera_queue(camera, &off_bus, &request), DMABUF_EINVAL);
	UNIT_EQ(sim_camera_queue(camera, NULL, &request), DMABUF_EINVAL);
	struct sim_camera_config bad = camera_config;
	bad.frame_period_ns = 0;
	struct sim_camera *none = NULL;
	UNIT_EQ(sim_camera_create(p, &bad, &none), DMABUF_EINVAL);
	UNIT_ASSERT(none == NULL);

	struct sim_camera_stats stats;
	sim_camera_stats(camera, &stats);
	UNIT_EQ(stats.queued, 0);
	struct dmabuf_fence_pool_stats fs;
	dmabuf_fence_pool_stats(fences, &fs);
	UNIT_EQ(fs.in_use, 0);
	UNIT_ASSERT(sim_peripherals_idle(p));
}

/* ---- display ---------------------------------------------------------------------- */

static const struct sim_display_config display_config = { W, H, PERIOD_NS, 200, DMABUF_PIXEL_RGB565_BE };

static void display_scans_presented_frame_at_next_vsync_into_its_panel(void)
{
	struct sim_peripherals *p = open_peripherals(5);
	UNIT_ASSERT(p);
	struct sim_display *display;
	UNIT_EQ(sim_display_create(p, &display_config, &display), 0);
	uint8_t zero[FRAME] = { 0 };
	UNIT_ASSERT(memcmp(panel_of(display), zero, FRAME) == 0); /* black */

	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE, FRAME, 96, DMABUF_TO_DEVICE);
	uint8_t frame[FRAME];
	sim_fixture_fill(frame, FRAME, 99);
	memcpy(sim_bus(soc, TEST_SRAM_BASE, FRAME), frame, FRAME);
	sim_peripherals_run_until(p, 3000);
	static struct sim_request request, again;
	UNIT_EQ(sim_display_present(display, &m, &request), 0);
	UNIT_EQ(sim_display_present(display, &m, &again), DMABUF_EBUSY);

	sim_peripherals_run_until(p, PERIOD_NS - 1);
	UNIT_ASSERT(memcmp(panel_of(display), zero, FRAME) == 0); /* before vsync: nothing */
	UNIT_EQ(sim_peripherals_wait(p, &request.done, 1, UINT64_MAX), 0);
	UNIT_EQ(request.sequence, 1);
	UNIT_EQ(request.start_ns, PERIOD_NS);
	UNIT_EQ(request.end_ns, PERIOD_NS + 480 + 480 + 320); /* 96 + 96 + 64 bytes at 5 ns */
	UNIT_ASSERT(memcmp(panel_of(display), frame, FRAME) == 0);

	/* The panel keeps the picture when the buffer changes afterwards. */
	memset(sim_bus(soc, TEST_SRAM_BASE, FRAME), 0x5A, FRAME);
	sim_peripherals_run_until(p, 5 * PERIOD_NS);
	UNIT_ASSERT(memcmp(panel_of(display), frame, FRAME) == 0);
	struct sim_display_stats stats;
	sim_display_stats(display, &stats);
	UNIT_EQ(stats.scanouts, 1);
	UNIT_EQ(dmabuf_fence_put(fences, request.done), 0);
}

static void display_holds_a_frame_for_the_next_vsync_while_a_scanout_runs_late(void)
{
	struct sim_peripherals *p = open_peripherals(6);
	UNIT_ASSERT(p);
	/* 256 bytes at 20 B/us: 12.8 us, more than a 10 us refresh. */
	struct sim_display_config slow = display_config;
	slow.bytes_per_us = 20;
	struct sim_display *display;
	UNIT_EQ(sim_display_create(p, &slow, &display), 0);
	struct dmabuf_mapping a = mapping_at(TEST_SRAM_BASE, FRAME, 128, DMABUF_TO_DEVICE);
	struct dmabuf_mapping b = mapping_at(TEST_SRAM_BASE + FRAME, FRAME, 128, DMABUF_TO_DEVICE);
	static struct sim_request first, second;
	UNIT_EQ(sim_display_present(display, &a, &first), 0); /* vsync 0, now */
	sim_peripherals_run_until(p, 1);
	UNIT_EQ(sim_display_present(display, &b, &second), 0);
	UNIT_EQ(sim_peripherals_wait(p, &second.done, 1, UINT64_MAX), 0);
	UNIT_EQ(first.sequence, 0);
	UNIT_EQ(second.sequence, 2); /* vsync 1 came while frame a was still read */
	UNIT_ASSERT(memcmp(panel_of(display), sim_bus(soc, b.dma_addr, FRAME), FRAME) == 0);
	struct sim_display_stats stats;
	sim_display_stats(display, &stats);
	UNIT_EQ(stats.late_vsyncs, 1);
	UNIT_EQ(stats.scanouts, 2);
	UNIT_EQ(dmabuf_fence_put(fences, first.done), 0);
	UNIT_EQ(dmabuf_fence_put(fences, second.done), 0);
}

/* ---- SPI panel ---------------------------------------------------------------------- */

/* GRAM 12 x 6, glass the 8 x 4 rectangle at (2, 1). */
static const struct sim_spi_panel_config panel_config = { 12, 6, 2, 1, 8, 4, 50, false };

static void spi_panel_streams_contiguous_rows_as_one_job(void)
{
	struct sim_peripherals *p = open_peripherals(7);
	UNIT_ASSERT(p);
	struct sim_spi_panel *panel;
	UNIT_EQ(sim_spi_panel_create(p, &panel_config, &panel), 0);
	/* The whole GRAM (12 x 6 = 144 bytes) from offset 16, in 50-byte
	 * segments: the splits fall inside pixels. */
	uint8_t source[16 + 144];
	sim_fixture_fill(source, sizeof(source), 5);
	memcpy(sim_bus(soc, TEST_SRAM_BASE, sizeof(source)), source, sizeof(source));
	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE, sizeof(source), 50, DMABUF_TO_DEVICE);
	struct sim_spi_window all = { 0, 0, 12, 6 };
	static struct sim_request request;
	UNIT_EQ(sim_spi_panel_write(panel, &m, 16, 24, &all, &request), 0);
	UNIT_EQ(sim_peripherals_wait(p, &request.done, 1, UINT64_MAX), 0);
	UNIT_EQ(request.end_ns - request.start_ns, 144 * 20); /* 20 ns a byte, back to back */

	/* GRAM got the stream row by row; the glass shows its rectangle of it. */
	uint8_t glass[8 * 4 * 2];
	UNIT_EQ(sim_spi_panel_read_glass(panel, glass, sizeof(glass)), 0);
	UNIT_EQ(sim_spi_panel_read_glass(panel, glass, sizeof(glass) - 1), DMABUF_EINVAL);
	for (uint32_t row = 0; row < 4; row++)
		UNIT_ASSERT(memcmp(glass + row * 16, source + 16 + ((row + 1) * 12 + 2) * 2, 16) == 0);
	struct sim_spi_panel_stats stats;
	sim_spi_panel_stats(panel, &stats);
	UNIT_EQ(stats.dma_jobs, 1);
	UNIT_EQ(stats.transfers, 1);
	UNIT_EQ(stats.bytes, 144);
	UNIT_EQ(dmabuf_fence_put(fences, request.done), 0);
}

static void spi_panel_sends_a_crop_row_by_row_into_its_window(void)
{
	struct sim_peripherals *p = open_peripherals(8);
	UNIT_ASSERT(p);
	struct sim_spi_panel *panel;
	UNIT_EQ(sim_spi_panel_create(p, &panel_config, &panel), 0);
	/* A 4 x 4 crop of the 16 x 8 frame (columns 6..9 of rows 2..5) into the
	 * right half of the glass (GRAM columns 6..9 of rows 1..4). */
	uint8_t frame[FRAME];
	expected_frame(9, frame);
	memcpy(sim_bus(soc, TEST_SRAM_BASE, FRAME), frame, FRAME);
	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE, FRAME, 6, DMABUF_BIDIRECTIONAL);
	struct sim_spi_window glass_window = { 6, 1, 4, 4 };
	uint32_t first_row = (2 * W + 6) * SIM_PIXEL_BYTES, stride = W * SIM_PIXEL_BYTES;
	static struct sim_request request, busy;
	UNIT_EQ(sim_spi_panel_write(panel, &m, first_row, stride, &glass_window, &request), 0);
	UNIT_EQ(sim_spi_panel_write(panel, &m, first_row, stride, &glass_window, &busy), DMABUF_EBUSY);
	UNIT_EQ(sim_peripherals_wait(p, &request.done, 1, UINT64_MAX), 0);
	/* Each 8-byte row in 6 + 2 byte segments, re-armed at the previous
	 * row's end: no gap. */
	UNIT_EQ(request.end_ns - request.start_ns, 4 * 8 * 20);

	uint8_t glass[8 * 4 * 2], black[8] = { 0 };
	UNIT_EQ(sim_spi_panel_read_glass(panel, glass, sizeof(glass)), 0);
	for (uint32_t row = 0; row < 4; row++) {
		UNIT_ASSERT(memcmp(glass + row * 16, black, 8) == 0); /* outside the window */
		UNIT_ASSERT(memcmp(glass + row * 16 + 8, frame + first_row + row * stride, 8) == 0);
	}
	struct sim_spi_panel_stats stats;
	sim_spi_panel_stats(panel, &stats);
	UNIT_EQ(stats.dma_jobs, 4);
	UNIT_EQ(dmabuf_fence_put(fences, request.done), 0);
}

static void spi_panel_refuses_windows_and_rows_it_cannot_take(void)
{
	struct sim_peripherals *p = open_peripherals(9);
	UNIT_ASSERT(p);
	struct sim_spi_panel *panel;
	UNIT_EQ(sim_spi_panel_create(p, &panel_config, &panel), 0);
	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE, FRAME, 128, DMABUF_TO_DEVICE);
	struct dmabuf_mapping from_device = mapping_at(TEST_SRAM_BASE, FRAME, 128, DMABUF_FROM_DEVICE);
	struct sim_spi_window outside = { 8, 0, 8, 4 }, empty = { 0, 0, 0, 4 }, ok = { 0, 0, 8, 4 };
	static struct sim_request request;
	UNIT_EQ(sim_spi_panel_write(panel, &m, 0, 16, &outside, &request), DMABUF_EINVAL);
	UNIT_EQ(sim_spi_panel_write(panel, &m, 0, 16, &empty, &request), DMABUF_EINVAL);
	UNIT_EQ(sim_spi_panel_write(panel, &m, 0, 15, &ok, &request), DMABUF_EINVAL);  /* stride < row */
	UNIT_EQ(sim_spi_panel_write(panel, &m, 200, 16, &ok, &request), DMABUF_EINVAL); /* past the end */
	UNIT_EQ(sim_spi_panel_write(panel, &from_device, 0, 16, &ok, &request), DMABUF_EINVAL);
	struct sim_spi_panel_config bad = panel_config;
	bad.glass_x = 5; /* 5 + 8 > 12 */
	struct sim_spi_panel *none = NULL;
	UNIT_EQ(sim_spi_panel_create(p, &bad, &none), DMABUF_EINVAL);
	UNIT_ASSERT(none == NULL);
	UNIT_ASSERT(sim_peripherals_idle(p));
}

/* ---- virtual time ---------------------------------------------------------------------- */

static uint64_t callback_time;

static void note_time(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	(void)user;
	callback_time = status == 1 ? sim_now(soc) : 0;
}

static void fence_callbacks_run_at_the_dma_completion_like_an_isr(void)
{
	struct sim_peripherals *p = open_peripherals(10);
	UNIT_ASSERT(p);
	struct sim_camera *camera;
	UNIT_EQ(sim_camera_create(p, &camera_config, &camera), 0);
	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE, FRAME, 128, DMABUF_FROM_DEVICE);
	static struct sim_request request;
	UNIT_EQ(sim_camera_queue(camera, &m, &request), 0);
	static struct dmabuf_fence_cb cb;
	callback_time = 0;
	UNIT_EQ(dmabuf_fence_add_callback(fences, request.done, &cb, note_time, NULL), 0);
	sim_peripherals_run_until(p, 3 * PERIOD_NS);
	UNIT_EQ(callback_time, 2560);
	UNIT_EQ(sim_now(soc), 3 * PERIOD_NS);
	UNIT_EQ(dmabuf_fence_put(fences, request.done), 0);
}

static void wait_gives_up_when_nothing_scheduled_can_signal(void)
{
	struct sim_peripherals *p = open_peripherals(11);
	UNIT_ASSERT(p);
	dmabuf_fence_t orphan;
	UNIT_EQ(dmabuf_fence_create(fences, dmabuf_fence_context_alloc(fences), 0, &orphan), 0);
	/* No limit: would be forever, so it returns at once. */
	UNIT_EQ(sim_peripherals_wait(p, &orphan, 1, UINT64_MAX), DMABUF_ETIMEDOUT);
	UNIT_EQ(sim_now(soc), 0);
	/* A limit: virtual time runs to it. */
	UNIT_EQ(sim_peripherals_wait(p, &orphan, 1, 5000), DMABUF_ETIMEDOUT);
	UNIT_EQ(sim_now(soc), 5000);
	/* Signalled already: no time passes. */
	UNIT_EQ(dmabuf_fence_signal(fences, orphan), 0);
	UNIT_EQ(sim_peripherals_wait(p, &orphan, 1, 5000), 0);
	UNIT_EQ(sim_now(soc), 5000);
	UNIT_EQ(dmabuf_fence_put(fences, orphan), 0);
	UNIT_EQ(sim_peripherals_wait(p, &orphan, 1, 5000), DMABUF_EBADF);
	UNIT_EQ(sim_peripherals_wait(p, &orphan, 0, 5000), DMABUF_EINVAL);
}

static void wait_times_out_before_a_late_completion(void)
{
	struct sim_peripherals *p = open_peripherals(12);
	UNIT_ASSERT(p);
	struct sim_camera *camera;
	UNIT_EQ(sim_camera_create(p, &camera_config, &camera), 0);
	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE, FRAME, 128, DMABUF_FROM_DEVICE);
	static struct sim_request request;
	UNIT_EQ(sim_camera_queue(camera, &m, &request), 0);
	UNIT_EQ(sim_peripherals_wait(p, &request.done, 1, 2000), DMABUF_ETIMEDOUT);
	UNIT_EQ(sim_now(soc), 2000);
	UNIT_EQ(dmabuf_fence_status(fences, request.done), 0);
	UNIT_EQ(sim_peripherals_destroy(p), DMABUF_EBUSY); /* still capturing */
	UNIT_EQ(sim_peripherals_wait(p, &request.done, 1, 2000), 0);
	UNIT_EQ(sim_now(soc), 2560);
	UNIT_EQ(dmabuf_fence_put(fences, request.done), 0);
}

/* ---- with the core: the demo's pipeline in miniature ----------------------------------- */

static _Alignas(8) uint8_t ctx_storage[16384];

/*
 * Camera -> CPU draws a bar over rows 2..3 -> display, through one buffer and
 * the core's hand-overs, with random evictions: the panel must show the
 * camera frame with the bar. With every cache operation dropped (what
 * --no-sync does) the same run must show corrupted frames.
 */
static uint32_t pipeline_wrong_bytes(uint64_t seed, bool drop_cache_operations)
{
	struct sim_peripherals *p = open_peripherals(seed);
	if (!p)
		return UINT32_MAX;
	struct sim_cache_backend backend;
	sim_cache_backend_init(&backend, soc);
	if (drop_cache_operations)
		for (int op = 0; op < SIM_CACHE_OP_KINDS; op++)
			sim_cache_drop(&backend, (enum sim_cache_op)op, 0, SIM_DROP_ALL);
	sim_set_eviction_rate(soc, 0.05);
	struct dmabuf_config config = {
		.board = sim_board(soc),
		.region_memory = sim_region_memory(soc),
		.cache = &dmabuf_cache_host_sim,
		.cache_priv = &backend,
		.max_buffers = 4,
		.max_attachments = 8,
		.checker = true,
	};
	struct dmabuf_ctx *ctx;
	if (dmabuf_storage_size(&config) > sizeof(ctx_storage) ||
	    dmabuf_init(&ctx, ctx_storage, sizeof(ctx_storage), &config) != 0)
		return UINT32_MAX;

	struct sim_camera *camera;
	struct sim_display *display;
	dmabuf_handle_t buffer = 0, to_camera = 0, to_display = 0;
	uint32_t wrong = UINT32_MAX;
	if (sim_camera_create(p, &camera_config, &camera) || sim_display_create(p, &display_config, &display) ||
	    dmabuf_export(ctx, FRAME, "frame", 0, &buffer) ||
	    dmabuf_attach(ctx, buffer, dmabuf_device_find(ctx, "camera"), &to_camera) ||
	    dmabuf_attach(ctx, buffer, dmabuf_device_find(ctx, "display"), &to_display))
		goto out;
	wrong = 0;
	for (uint32_t frame = 0; frame < 8; frame++) {
		struct dmabuf_mapping m;
		static struct sim_request request;
		uint8_t *cpu;
		if (dmabuf_map(ctx, to_camera, DMABUF_FROM_DEVICE, &m) || sim_camera_queue(camera, &m, &request) ||
		    sim_peripherals_wait(p, &request.done, 1, UINT64_MAX) != 0 ||
		    dmabuf_unmap(ctx, to_camera, &m, DMABUF_FROM_DEVICE))
			return UINT32_MAX;
		uint32_t captured = request.sequence;
		dmabuf_fence_put(fences, request.done);
		/* The bar: rows 2 and 3, each pixel's red raised (read-modify-write). */
		uint32_t band = 2 * W * SIM_PIXEL_BYTES, band_bytes = 2 * W * SIM_PIXEL_BYTES;
		if (dmabuf_begin_cpu_access(ctx, buffer, DMABUF_BIDIRECTIONAL, band, band_bytes, (void **)&cpu))
			return UINT32_MAX;
		for (uint32_t i = 0; i < band_bytes; i += 2)
			cpu[i] |= 0xF8;
		if (dmabuf_end_cpu_access(ctx, buffer, DMABUF_BIDIRECTIONAL, band, band_bytes) ||
		    dmabuf_map(ctx, to_display, DMABUF_TO_DEVICE, &m) || sim_display_present(display, &m, &request) ||
		    sim_peripherals_wait(p, &request.done, 1, UINT64_MAX) != 0 ||
		    dmabuf_unmap(ctx, to_display, &m, DMABUF_TO_DEVICE))
			return UINT32_MAX;
		dmabuf_fence_put(fences, request.done);

		uint8_t expected[FRAME];
		expected_frame(captured, expected);
		for (uint32_t i = band; i < band + band_bytes; i += 2)
			expected[i] |= 0xF8;
		const uint8_t *shown = panel_of(display);
		if (!shown)
			return UINT32_MAX;
		for (uint32_t i = 0; i < FRAME; i++)
			wrong += shown[i] != expected[i];
	}
out:
	dmabuf_detach(ctx, to_display);
	dmabuf_detach(ctx, to_camera);
	dmabuf_put(ctx, buffer);
	if (dmabuf_deinit(ctx) != 0)
		return UINT32_MAX;
	return wrong;
}

static void pipeline_through_core_shows_every_frame_exactly(void)
{
	for (uint64_t seed = 100; seed < 110; seed++)
		UNIT_EQ(pipeline_wrong_bytes(seed, false), 0);
}

static void pipeline_without_cache_operations_shows_corrupted_frames(void)
{
	uint32_t corrupted_runs = 0;
	for (uint64_t seed = 100; seed < 110; seed++) {
		uint32_t wrong = pipeline_wrong_bytes(seed, true);
		UNIT_ASSERT(wrong != UINT32_MAX);
		corrupted_runs += wrong > 0;
	}
	UNIT_EQ(corrupted_runs, 10);
}

/* ---- pictures (peripherals.h, DOC: pictures) ------------------------------------------ */

/* The whole of @path into @out (at most @size bytes); its length, or -1. */
static long read_file(const char *path, uint8_t *out, size_t size)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return -1;
	size_t length = fread(out, 1, size, file);
	int more = fgetc(file) != EOF;
	fclose(file);
	return more ? -1 : (long)length;
}

static uint64_t fnv1a64_of(const uint8_t *data, size_t length)
{
	uint64_t hash = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < length; i++)
		hash = (hash ^ data[i]) * 0x100000001b3ull;
	return hash;
}

/* Line @line of @folder's index names a @width x @height picture of @panel
 * number @sequence whose file holds exactly @expected and whose checksum
 * is that file's. */
static bool index_line_names(const char *folder, int line, const char *panel, unsigned sequence,
			     unsigned width, unsigned height, const uint8_t *expected)
{
	char path[256], text[160], name[32];
	unsigned set, number, w, h;
	uint64_t hash;
	snprintf(path, sizeof(path), "%s/pictures.txt", folder);
	FILE *index = fopen(path, "r");
	if (!index)
		return false;
	bool found = false;
	for (int i = 0; i <= line && fgets(text, sizeof(text), index); i++)
		found = i == line;
	fclose(index);
	if (!found || sscanf(text, "set%u %31s %u %ux%u rgb565be fnv1a64 %" SCNx64, &set, name, &number, &w, &h,
			     &hash) != 6)
		return false;
	size_t length = (size_t)width * height * SIM_PIXEL_BYTES;
	static uint8_t file[FRAME];
	snprintf(path, sizeof(path), "%s/set%02u-%s-%06u.rgb565", folder, set, panel, sequence);
	return strcmp(name, panel) == 0 && number == sequence && w == width && h == height &&
	       read_file(path, file, sizeof(file)) == (long)length && memcmp(file, expected, length) == 0 &&
	       hash == fnv1a64_of(expected, length);
}

static void panels_write_what_they_show_into_the_picture_folder(void)
{
	struct sim_peripherals *p = open_peripherals(9);
	UNIT_ASSERT(p);
	char folder[] = "/tmp/dmabuf-pictures-XXXXXX";
	UNIT_ASSERT(mkdtemp(folder));
	UNIT_EQ(sim_peripherals_write_pictures(NULL, folder), DMABUF_EINVAL);
	UNIT_EQ(sim_peripherals_write_pictures(p, folder), 0);
	struct sim_display *display;
	struct sim_spi_panel *panel;
	UNIT_EQ(sim_display_create(p, &display_config, &display), 0);
	UNIT_EQ(sim_spi_panel_create(p, &panel_config, &panel), 0);

	uint8_t frame[FRAME];
	expected_frame(3, frame);
	memcpy(sim_bus(soc, TEST_SRAM_BASE, FRAME), frame, FRAME);
	struct dmabuf_mapping m = mapping_at(TEST_SRAM_BASE, FRAME, 96, DMABUF_TO_DEVICE);
	static struct sim_request shown, sent, unrecorded;
	UNIT_EQ(sim_display_present(display, &m, &shown), 0);
	UNIT_EQ(sim_peripherals_wait(p, &shown.done, 1, UINT64_MAX), 0);
	struct sim_spi_window window = { 6, 1, 4, 4 };
	UNIT_EQ(sim_spi_panel_write(panel, &m, (2 * W + 6) * SIM_PIXEL_BYTES, W * SIM_PIXEL_BYTES, &window, &sent), 0);
	UNIT_EQ(sim_peripherals_wait(p, &sent.done, 1, UINT64_MAX), 0);

	/* One file and one index line per scanout / transfer, in order, each
	 * holding exactly what the panel (the glass, for the SPI panel) shows. */
	uint8_t glass[8 * 4 * 2];
	UNIT_EQ(sim_spi_panel_read_glass(panel, glass, sizeof(glass)), 0);
	UNIT_ASSERT(index_line_names(folder, 0, "display", 0, W, H, frame));
	UNIT_ASSERT(index_line_names(folder, 1, "spi-panel", 0, 8, 4, glass));

	/* Stopped: a further scanout leaves no line. */
	UNIT_EQ(sim_peripherals_write_pictures(p, NULL), 0);
	UNIT_EQ(sim_display_present(display, &m, &unrecorded), 0);
	UNIT_EQ(sim_peripherals_wait(p, &unrecorded.done, 1, UINT64_MAX), 0);
	char path[256];
	snprintf(path, sizeof(path), "%s/pictures.txt", folder);
	uint8_t text[512];
	long length = read_file(path, text, sizeof(text));
	uint32_t lines = 0;
	for (long i = 0; i < length; i++)
		lines += text[i] == '\n';
	UNIT_EQ(lines, 2);

	glob_t files;
	snprintf(path, sizeof(path), "%s/*", folder);
	UNIT_EQ(glob(path, 0, NULL, &files), 0);
	UNIT_EQ(files.gl_pathc, 3); /* the index and two pictures */
	for (size_t i = 0; i < files.gl_pathc; i++)
		remove(files.gl_pathv[i]);
	globfree(&files);
	remove(folder);
	UNIT_EQ(dmabuf_fence_put(fences, shown.done), 0);
	UNIT_EQ(dmabuf_fence_put(fences, sent.done), 0);
	UNIT_EQ(dmabuf_fence_put(fences, unrecorded.done), 0);
}

const struct unit_suite suite_sim_peripherals = UNIT_SUITE(sim_peripherals,
	UNIT_TEST(camera_pattern_is_big_endian_pixels_in_raster_order),
	UNIT_TEST(camera_pattern_changes_every_line_in_every_frame),
	UNIT_TEST(camera_writes_frame_at_next_frame_start_and_signals_then),
	UNIT_TEST(camera_serves_queued_captures_one_frame_each_in_order),
	UNIT_TEST(camera_misses_frames_while_its_dma_is_still_busy),
	UNIT_TEST(camera_refuses_bad_captures_and_keeps_nothing),
	UNIT_TEST(display_scans_presented_frame_at_next_vsync_into_its_panel),
	UNIT_TEST(display_holds_a_frame_for_the_next_vsync_while_a_scanout_runs_late),
	UNIT_TEST(spi_panel_streams_contiguous_rows_as_one_job),
	UNIT_TEST(spi_panel_sends_a_crop_row_by_row_into_its_window),
	UNIT_TEST(spi_panel_refuses_windows_and_rows_it_cannot_take),
	UNIT_TEST(fence_callbacks_run_at_the_dma_completion_like_an_isr),
	UNIT_TEST(wait_gives_up_when_nothing_scheduled_can_signal),
	UNIT_TEST(wait_times_out_before_a_late_completion),
	UNIT_TEST(pipeline_through_core_shows_every_frame_exactly),
	UNIT_TEST(pipeline_without_cache_operations_shows_corrupted_frames),
	UNIT_TEST(panels_write_what_they_show_into_the_picture_folder));
