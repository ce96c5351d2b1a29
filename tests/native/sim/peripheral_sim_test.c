/*
 * The simulator's back end of the peripheral contract (sim/peripheral_sim.h)
 * on a demo board: a capture through the contract brings the camera's
 * reference frame into memory, a presented frame reaches the display's
 * panel, a written rectangle reaches the SPI panel's glass; and a plain
 * dmabuf_fence_wait on their fences runs virtual time exactly to the
 * signal, so the same program gives the same times every run.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"
#include "peripheral_sim.h"
#include "peripherals.h"
#include "unit.h"

/* 32 x 16 RGB565 frames in the STM32F769I-DISCO's uncached SDRAM. */
#define W 32u
#define H 16u
#define FRAME (W * H * SIM_PIXEL_BYTES)
#define SDRAM 0xC0000000u
#define SCENE 0x5eedu

static _Alignas(8) uint8_t fence_storage[8192];

struct bench {
	struct sim_soc *soc;
	struct dmabuf_fence_pool *fences;
	struct sim_peripherals *peripherals;
	struct sim_board_peripherals *board;
	struct dmabuf_peripheral_registry *registry;
};
static struct bench bench;

static void close_bench(void)
{
	if (bench.peripherals) {
		for (int i = 0; i < 100 && !sim_peripherals_idle(bench.peripherals); i++)
			sim_peripherals_run_until(bench.peripherals, sim_now(bench.soc) + 100000000u);
		sim_board_peripherals_destroy(bench.board, true);
		(void)sim_peripherals_destroy(bench.peripherals);
	}
	if (bench.soc)
		sim_destroy(bench.soc);
	memset(&bench, 0, sizeof(bench));
}

/* A fresh simulated @board with its peripherals (the previous bench closed
 * first, so a test that failed half-way leaks nothing). */
static bool open_bench(const char *board)
{
	close_bench();
	return sim_create(dmabuf_board_find(board), 7, &bench.soc) == 0 &&
	       dmabuf_fence_pool_init(&bench.fences, fence_storage, sizeof(fence_storage), 64) == 0 &&
	       sim_peripherals_create(bench.soc, bench.fences, &bench.peripherals) == 0 &&
	       sim_board_peripherals_create(bench.peripherals, NULL, NULL, SCENE, &bench.board) == 0 &&
	       (bench.registry = sim_board_peripherals_registry(bench.board)) != NULL;
}

static struct dmabuf_mapping mapping(dmabuf_addr_t addr, uint32_t length, enum dmabuf_direction direction)
{
	return (struct dmabuf_mapping){ addr, length, 4096u, (length + 4095u) / 4096u, (uint32_t)direction };
}

static struct dmabuf_peripheral *configured(const char *name, uint32_t width, uint32_t height)
{
	struct dmabuf_peripheral *p = dmabuf_peripheral_find(bench.registry, name, 0);
	struct dmabuf_frame_format f = { width, height, DMABUF_PIXEL_RGB565_BE };
	return p && dmabuf_peripheral_configure(p, &f) == 0 ? p : NULL;
}

/* One controller command through the contract; its fence is signalled at once. */
static int command(struct dmabuf_peripheral *panel, uint32_t code, const uint8_t *parameters, uint32_t count)
{
	dmabuf_fence_t done;
	int err = dmabuf_spi_panel_command(panel, code, parameters, count, &done);
	if (err)
		return err;
	int status = dmabuf_fence_status(bench.fences, done);
	(void)dmabuf_fence_put(bench.fences, done);
	return status == 1 ? 0 : DMABUF_EIO;
}

/* The ST7789 power-up sequence the managed SpiPanel.Initialize sends. */
static bool initialise(struct dmabuf_peripheral *panel)
{
	const uint8_t colmod = 0x55, madctl = 0x60;
	return command(panel, 0x01, NULL, 0) == 0 && command(panel, 0x11, NULL, 0) == 0 &&
	       command(panel, 0x3A, &colmod, 1) == 0 && command(panel, 0x36, &madctl, 1) == 0 &&
	       command(panel, 0x21, NULL, 0) == 0 && command(panel, 0x29, NULL, 0) == 0;
}

static void board_states_its_peripherals_and_their_dma_masters(void)
{
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	UNIT_EQ(bench.registry->count, 3);
	struct dmabuf_peripheral *camera = dmabuf_peripheral_find(bench.registry, "camera", DMABUF_PERIPHERAL_CAMERA);
	struct dmabuf_peripheral *panel = dmabuf_peripheral_find(bench.registry, "spi-panel", 0);
	UNIT_ASSERT(camera && panel);
	UNIT_EQ(strcmp(camera->device, "dcmi"), 0);
	UNIT_EQ(strcmp(panel->device, "dma2"), 0);
	/* The models move RGB565 high byte first, nothing else. */
	struct dmabuf_frame_format yuv = { W, H, DMABUF_PIXEL_YUYV };
	UNIT_EQ(dmabuf_peripheral_configure(camera, &yuv), DMABUF_EDOM);
	UNIT_EQ(panel->constraints.max_width, 320);

	UNIT_ASSERT(open_bench("qemu-mps2-an500"));
	UNIT_EQ(bench.registry->count, 0);
	close_bench();
}

static void waiting_on_a_capture_runs_virtual_time_to_the_frame(void)
{
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	struct dmabuf_peripheral *camera = configured("camera", W, H);
	UNIT_ASSERT(camera != NULL);
	struct dmabuf_mapping m = mapping(SDRAM, FRAME, DMABUF_FROM_DEVICE);
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_camera_capture(camera, &m, &done), 0);
	UNIT_EQ(dmabuf_fence_status(bench.fences, done), 0);
	UNIT_EQ(sim_now(bench.soc), 0);

	/* The plain fence wait: the hook runs virtual time, nobody else does. */
	UNIT_EQ(dmabuf_fence_wait(bench.fences, done, UINT32_MAX), 0);
	uint64_t end = sim_now(bench.soc);
	UNIT_ASSERT(end > 0);
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(camera, done, &completion), 0);
	UNIT_EQ(completion.timestamp_us, end / 1000u);
	/* 1024 bytes at 30 per us: the DMA ran 34 us before the signal. */
	UNIT_EQ(completion.timestamp_us - completion.start_us, 34);

	static uint8_t expected[FRAME];
	struct sim_camera_config config = { W, H, SCENE, 1, 1 };
	sim_camera_pattern(&config, completion.sequence, 0, expected, FRAME);
	UNIT_EQ(memcmp(sim_bus(bench.soc, SDRAM, FRAME), expected, FRAME), 0);
	UNIT_EQ(dmabuf_fence_put(bench.fences, done), 0);

	/* The same program again: the same moment, every run. */
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	camera = configured("camera", W, H);
	UNIT_ASSERT(camera != NULL);
	UNIT_EQ(dmabuf_camera_capture(camera, &m, &done), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, done, UINT32_MAX), 0);
	UNIT_EQ(sim_now(bench.soc), end);
	UNIT_EQ(dmabuf_fence_put(bench.fences, done), 0);
	close_bench();
}

static void a_finite_wait_times_out_in_virtual_time(void)
{
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	struct dmabuf_peripheral *camera = configured("camera", W, H);
	struct dmabuf_mapping m = mapping(SDRAM, FRAME, DMABUF_FROM_DEVICE);
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_camera_capture(camera, &m, &done), 0);
	/* Frame 0 starts at once and takes 1024 bytes / 30 per us = 34 us. */
	UNIT_EQ(dmabuf_fence_wait(bench.fences, done, 10), DMABUF_ETIMEDOUT);
	UNIT_EQ(sim_now(bench.soc), 10000);
	UNIT_EQ(dmabuf_fence_status(bench.fences, done), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, done, 1000), 0);
	UNIT_EQ(dmabuf_fence_put(bench.fences, done), 0);
	close_bench();
}

struct late_signal {
	struct dmabuf_fence_pool *fences;
	dmabuf_fence_t fence;
};

static void *signal_after_20_ms(void *arg)
{
	struct late_signal *late = arg;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	nanosleep(&pause, NULL);
	(void)dmabuf_fence_signal(late->fences, late->fence);
	return NULL;
}

/* A fence the simulation does not own (a managed thread's, another driver's)
 * signals in real time: its wait must block as usual, not run virtual time
 * to the deadline and time out at once. */
static void a_fence_of_another_thread_is_waited_for_in_real_time(void)
{
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	struct late_signal late = { bench.fences, 0 };
	UNIT_EQ(dmabuf_fence_create(bench.fences, dmabuf_fence_context_alloc(bench.fences), 1, &late.fence), 0);
	uint64_t before = sim_now(bench.soc);
	pthread_t thread;
	UNIT_EQ(pthread_create(&thread, NULL, signal_after_20_ms, &late), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, late.fence, 5000000), 0);
	UNIT_EQ(pthread_join(thread, NULL), 0);
	UNIT_EQ(sim_now(bench.soc), before);
	UNIT_EQ(dmabuf_fence_put(bench.fences, late.fence), 0);
	close_bench();
}

static void presented_and_written_frames_reach_the_panels(void)
{
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	struct dmabuf_peripheral *display = configured("display", W, H);
	struct dmabuf_peripheral *panel = dmabuf_peripheral_find(bench.registry, "spi-panel", 0);
	struct dmabuf_frame_format f = { 0, 0, DMABUF_PIXEL_RGB565_BE };
	UNIT_ASSERT(display && panel);
	UNIT_EQ(dmabuf_peripheral_configure(panel, &f), 0);
	UNIT_ASSERT(initialise(panel));

	uint8_t *frame = sim_bus(bench.soc, SDRAM, FRAME);
	for (uint32_t i = 0; i < FRAME; i++)
		frame[i] = (uint8_t)(i * 7u + 1u);
	struct dmabuf_mapping m = mapping(SDRAM, FRAME, DMABUF_TO_DEVICE);
	dmabuf_fence_t released, written;
	UNIT_EQ(dmabuf_display_present(display, &m, &released), 0);
	/* A 4 x 3 crop at (2, 5) of the frame to the glass's top-left corner (GRAM column 40). */
	struct dmabuf_rect window = { 40, 0, 4, 3 };
	uint32_t offset = (5u * W + 2u) * SIM_PIXEL_BYTES;
	UNIT_EQ(dmabuf_spi_panel_write(panel, &m, offset, W * SIM_PIXEL_BYTES, &window, &written), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, released, UINT32_MAX), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, written, UINT32_MAX), 0);

	static uint8_t shown[FRAME];
	UNIT_EQ(sim_display_read_panel(sim_peripheral_display(display), shown, FRAME), 0);
	UNIT_EQ(memcmp(shown, frame, FRAME), 0);
	static uint8_t glass[240u * 240u * SIM_PIXEL_BYTES];
	UNIT_EQ(sim_spi_panel_read_glass(sim_peripheral_spi_panel(panel), glass, sizeof(glass)), 0);
	for (uint32_t row = 0; row < 3; row++)
		UNIT_EQ(memcmp(glass + row * 240u * SIM_PIXEL_BYTES, frame + offset + row * W * SIM_PIXEL_BYTES,
			       4u * SIM_PIXEL_BYTES), 0);
	UNIT_EQ(glass[4u * SIM_PIXEL_BYTES], 0); /* next to the window: still black */
	UNIT_EQ(dmabuf_fence_put(bench.fences, released), 0);
	UNIT_EQ(dmabuf_fence_put(bench.fences, written), 0);

	/* The models cannot be rebuilt for another size while they live. */
	struct dmabuf_frame_format bigger = { W * 2u, H, DMABUF_PIXEL_RGB565_BE };
	UNIT_EQ(dmabuf_peripheral_configure(display, &bigger), DMABUF_EBUSY);
	close_bench();
}

static void spi_panel_takes_pixels_only_once_initialised(void)
{
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	struct dmabuf_peripheral *panel = dmabuf_peripheral_find(bench.registry, "spi-panel", 0);
	struct dmabuf_frame_format f = { 0, 0, DMABUF_PIXEL_RGB565_BE };
	UNIT_ASSERT(panel != NULL);
	/* Not configured yet: no command either. */
	UNIT_EQ(command(panel, 0x11, NULL, 0), DMABUF_EPERM);
	UNIT_EQ(dmabuf_peripheral_configure(panel, &f), 0);
	struct dmabuf_mapping m = mapping(SDRAM, FRAME, DMABUF_TO_DEVICE);
	struct dmabuf_rect window = { 40, 0, W, H };
	dmabuf_fence_t written;
	/* As after power-on: asleep. */
	UNIT_EQ(dmabuf_spi_panel_write(panel, &m, 0, W * SIM_PIXEL_BYTES, &window, &written), DMABUF_EPERM);
	const uint8_t colmod16 = 0x55, colmod18 = 0x66, landscape = 0x60;
	UNIT_EQ(command(panel, 0x11, NULL, 0), 0);
	UNIT_EQ(command(panel, 0x3A, &colmod16, 1), 0);
	UNIT_EQ(command(panel, 0x36, &landscape, 1), 0);
	/* Awake, 16-bit, landscape, but the display is still off. */
	UNIT_EQ(dmabuf_spi_panel_write(panel, &m, 0, W * SIM_PIXEL_BYTES, &window, &written), DMABUF_EPERM);
	UNIT_EQ(command(panel, 0x29, NULL, 0), 0);
	UNIT_EQ(dmabuf_spi_panel_write(panel, &m, 0, W * SIM_PIXEL_BYTES, &window, &written), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, written, UINT32_MAX), 0);
	UNIT_EQ(dmabuf_fence_put(bench.fences, written), 0);
	/* COLMOD is honoured: 18-bit pixels are not what an RGB565 frame holds. */
	UNIT_EQ(command(panel, 0x3A, &colmod18, 1), 0);
	UNIT_EQ(dmabuf_spi_panel_write(panel, &m, 0, W * SIM_PIXEL_BYTES, &window, &written), DMABUF_EPERM);
	/* SWRESET forgets it all; the whole sequence brings it back. */
	UNIT_EQ(command(panel, 0x01, NULL, 0), 0);
	UNIT_EQ(dmabuf_spi_panel_write(panel, &m, 0, W * SIM_PIXEL_BYTES, &window, &written), DMABUF_EPERM);
	UNIT_ASSERT(initialise(panel));
	UNIT_EQ(dmabuf_spi_panel_write(panel, &m, 0, W * SIM_PIXEL_BYTES, &window, &written), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, written, UINT32_MAX), 0);
	/* Commands are not pixel writes: this was the second write. */
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(panel, written, &completion), 0);
	UNIT_EQ(completion.sequence, 1);
	UNIT_EQ(dmabuf_fence_put(bench.fences, written), 0);
	/* Parameters a command needs, and the contract's own limits. */
	UNIT_EQ(command(panel, 0x3A, NULL, 0), DMABUF_EINVAL);
	UNIT_EQ(command(panel, 0x100, NULL, 0), DMABUF_EINVAL);
	struct dmabuf_peripheral *display = dmabuf_peripheral_find(bench.registry, "display", 0);
	UNIT_EQ(command(display, 0x11, NULL, 0), DMABUF_EINVAL);
	close_bench();
}

/* *@out: peripheral @name of a fresh bench, told by @set_formats to take
 * RGB565 low byte first only (another format refused), then configured so:
 * high byte first is refused now, and the formats are fixed once configured. */
static void configure_low_byte_first(const char *name, int (*set_formats)(struct sim_board_peripherals *, uint32_t),
				     struct dmabuf_peripheral **out)
{
	UNIT_ASSERT(open_bench("stm32f769i-disco"));
	struct dmabuf_peripheral *peripheral = dmabuf_peripheral_find(bench.registry, name, 0);
	UNIT_ASSERT(peripheral != NULL);
	UNIT_EQ(set_formats(bench.board, 1u << DMABUF_PIXEL_RGB888), DMABUF_EINVAL);
	UNIT_EQ(set_formats(bench.board, 1u << DMABUF_PIXEL_RGB565_LE), 0);
	struct dmabuf_frame_format be = { W, H, DMABUF_PIXEL_RGB565_BE }, le = { W, H, DMABUF_PIXEL_RGB565_LE };
	UNIT_EQ(dmabuf_peripheral_configure(peripheral, &be), DMABUF_EDOM);
	UNIT_EQ(dmabuf_peripheral_configure(peripheral, &le), 0);
	UNIT_EQ(set_formats(bench.board, 1u << DMABUF_PIXEL_RGB565_BE), DMABUF_EBUSY);
	*out = peripheral;
}

static void display_told_to_take_low_byte_first_shows_it_the_right_way_round(void)
{
	struct dmabuf_peripheral *display;
	configure_low_byte_first("display", sim_board_peripherals_set_display_formats, &display);
	UNIT_CHECK_HELPER();

	uint8_t *frame = sim_bus(bench.soc, SDRAM, FRAME);
	for (uint32_t i = 0; i < FRAME; i++)
		frame[i] = (uint8_t)(i * 13u + 5u);
	struct dmabuf_mapping m = mapping(SDRAM, FRAME, DMABUF_TO_DEVICE);
	dmabuf_fence_t released;
	UNIT_EQ(dmabuf_display_present(display, &m, &released), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, released, UINT32_MAX), 0);
	UNIT_EQ(dmabuf_fence_put(bench.fences, released), 0);
	/* The panel holds each pixel high byte first, as it shows it. */
	static uint8_t shown[FRAME];
	UNIT_EQ(sim_display_read_panel(sim_peripheral_display(display), shown, FRAME), 0);
	for (uint32_t i = 0; i < FRAME; i += 2) {
		UNIT_EQ(shown[i], frame[i + 1]);
		UNIT_EQ(shown[i + 1], frame[i]);
	}
	close_bench();
}

static void camera_told_to_deliver_low_byte_first_writes_each_pixel_that_way(void)
{
	struct dmabuf_peripheral *camera;
	configure_low_byte_first("camera", sim_board_peripherals_set_camera_formats, &camera);
	UNIT_CHECK_HELPER();

	struct dmabuf_mapping m = mapping(SDRAM, FRAME, DMABUF_FROM_DEVICE);
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_camera_capture(camera, &m, &done), 0);
	UNIT_EQ(dmabuf_fence_wait(bench.fences, done, UINT32_MAX), 0);
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(camera, done, &completion), 0);
	UNIT_EQ(dmabuf_fence_put(bench.fences, done), 0);
	/* The sensor's picture (high byte first) with each pixel's bytes swapped. */
	static uint8_t expected[FRAME];
	struct sim_camera_config config = { W, H, SCENE, 1, 1 };
	sim_camera_pattern(&config, completion.sequence, 0, expected, FRAME);
	const uint8_t *frame = sim_bus(bench.soc, SDRAM, FRAME);
	for (uint32_t i = 0; i < FRAME; i += 2) {
		UNIT_EQ(frame[i], expected[i + 1]);
		UNIT_EQ(frame[i + 1], expected[i]);
	}
	close_bench();
}

const struct unit_suite suite_sim_peripheral_backend = UNIT_SUITE(sim_peripheral_backend,
	UNIT_TEST(board_states_its_peripherals_and_their_dma_masters),
	UNIT_TEST(waiting_on_a_capture_runs_virtual_time_to_the_frame),
	UNIT_TEST(a_finite_wait_times_out_in_virtual_time),
	UNIT_TEST(a_fence_of_another_thread_is_waited_for_in_real_time),
	UNIT_TEST(presented_and_written_frames_reach_the_panels),
	UNIT_TEST(spi_panel_takes_pixels_only_once_initialised),
	UNIT_TEST(display_told_to_take_low_byte_first_shows_it_the_right_way_round),
	UNIT_TEST(camera_told_to_deliver_low_byte_first_writes_each_pixel_that_way));
