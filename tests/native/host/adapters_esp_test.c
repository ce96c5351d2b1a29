/*
 * ESP peripheral bindings (firmware/adapters/esp: esp_spi_panel.c,
 * esp_dpi_display.c, esp_camera.c over esp_cam_handover.c) driven through
 * the peripheral contract's front functions, against a fake of the ESP-IDF
 * calls they make (declared in esp_idf_fake/esp_idf_fake.h, defined here):
 * each request must become exactly the esp_lcd / esp_cam_ctlr calls ESP-IDF
 * documents, each ESP-IDF completion callback (played here as the ISR would
 * call it) must end in the right fence, and a refusal by ESP-IDF must leave
 * no fence behind and the peripheral ready for the next job.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../../firmware/adapters/esp/esp_cam_handover.c"
#include "../../../firmware/adapters/esp/esp_camera.c"
#include "../../../firmware/adapters/esp/esp_dpi_display.c"
#include "../../../firmware/adapters/esp/esp_spi_panel.c"
#include "../../../firmware/nf-interpreter/dmabuf_dpi_pools_esp_idf.c"
#include "adapter_mapping.h"
#include "boards.h"
#include "dmabuf/cache.h"
#include "unit.h"

/* ---- the fake ESP-IDF --------------------------------------------------------- */

#define CALLS_MAX 64u

struct call {
	char what;           /* 'p' tx_param, 'c' tx_color, 'd' draw_bitmap, 'r' cam receive */
	int command;         /* tx_param / tx_color: lcd_cmd */
	uint8_t param[4];    /* tx_param */
	const void *data;    /* tx_color, draw_bitmap: the pixels; receive: the buffer */
	size_t bytes;        /* tx_color: color_size; receive: buflen */
	int x0, y0, x1, y1;  /* draw_bitmap */
	uint32_t timeout_ms; /* receive */
};

static struct {
	struct call calls[CALLS_MAX];
	uint32_t count;
	uint32_t fail_call; /* 1-based number of the call to refuse; 0 none */
	bool instant_spi;   /* a queued tx_color is out before the call returns */
	bool refuse_registration;
	/* What ESP-IDF registered, to play its interrupts. */
	esp_lcd_panel_io_callbacks_t io_callbacks;
	esp_lcd_dpi_panel_event_callbacks_t dpi_callbacks;
	esp_cam_ctlr_evt_cbs_t cam_callbacks;
	void *user;
	/* DPI: the driver's frame buffers, and whether draw_bitmap copies by CPU
	 * (reports inside the call) or by DMA2D (reports later, from an ISR). */
	void *frame_buffers[3];
	uint32_t frame_buffer_count;
	bool cpu_copy;
	/* esp_cam_ctlr: the transactions it holds, in order. */
	esp_cam_ctlr_trans_t queued[8];
	uint32_t queued_count;
} idf;

static struct esp_lcd_panel_io_t *const fake_io = (struct esp_lcd_panel_io_t *)0x1000;
static struct esp_lcd_panel_t *const fake_panel = (struct esp_lcd_panel_t *)0x2000;
static struct esp_cam_ctlr_t *const fake_controller = (struct esp_cam_ctlr_t *)0x3000;

static esp_err_t record(struct call call)
{
	if (idf.count >= CALLS_MAX)
		return ESP_FAIL;
	idf.calls[idf.count++] = call;
	return idf.count == idf.fail_call ? ESP_FAIL : ESP_OK;
}

esp_err_t esp_lcd_panel_io_tx_param(esp_lcd_panel_io_handle_t io, int lcd_cmd, const void *param, size_t param_size)
{
	struct call call = { .what = io == fake_io && param_size == 4 ? 'p' : '?', .command = lcd_cmd };
	if (param && param_size == 4)
		memcpy(call.param, param, 4);
	return record(call);
}

esp_err_t esp_lcd_panel_io_tx_color(esp_lcd_panel_io_handle_t io, int lcd_cmd, const void *color, size_t color_size)
{
	esp_err_t err = record((struct call){ .what = io == fake_io ? 'c' : '?', .command = lcd_cmd, .data = color,
					      .bytes = color_size });
	if (err == ESP_OK && idf.instant_spi)
		idf.io_callbacks.on_color_trans_done(io, NULL, idf.user);
	return err;
}

esp_err_t esp_lcd_panel_io_register_event_callbacks(esp_lcd_panel_io_handle_t io,
						    const esp_lcd_panel_io_callbacks_t *cbs, void *user_ctx)
{
	if (io != fake_io || idf.refuse_registration)
		return ESP_ERR_INVALID_ARG;
	idf.io_callbacks = *cbs;
	idf.user = user_ctx;
	return ESP_OK;
}

esp_err_t esp_lcd_panel_draw_bitmap(esp_lcd_panel_handle_t panel, int x_start, int y_start, int x_end, int y_end,
				    const void *color_data)
{
	esp_err_t err = record((struct call){ .what = panel == fake_panel ? 'd' : '?', .data = color_data,
					      .x0 = x_start, .y0 = y_start, .x1 = x_end, .y1 = y_end });
	if (err != ESP_OK)
		return err;
	/* As esp_lcd_panel_dpi.c: a frame buffer is flipped to and reported at
	 * once; other memory is copied, by the CPU (reported at once) or DMA2D. */
	bool flip = false;
	for (uint32_t i = 0; i < idf.frame_buffer_count; i++)
		flip |= color_data == idf.frame_buffers[i];
	if ((flip || idf.cpu_copy) && idf.dpi_callbacks.on_color_trans_done)
		idf.dpi_callbacks.on_color_trans_done(panel, NULL, idf.user);
	return ESP_OK;
}

esp_err_t esp_lcd_dpi_panel_get_frame_buffer(esp_lcd_panel_handle_t dpi_panel, uint32_t fb_num, void **fb0, ...)
{
	if (dpi_panel != fake_panel || !fb_num || fb_num > idf.frame_buffer_count)
		return ESP_ERR_INVALID_ARG;
	va_list args;
	va_start(args, fb0);
	void **out = fb0;
	for (uint32_t i = 0; i < fb_num && out; i++) {
		*out = idf.frame_buffers[i];
		out = va_arg(args, void **);
	}
	va_end(args);
	return ESP_OK;
}

esp_err_t esp_lcd_dpi_panel_register_event_callbacks(esp_lcd_panel_handle_t dpi_panel,
						     const esp_lcd_dpi_panel_event_callbacks_t *cbs, void *user_ctx)
{
	if (dpi_panel != fake_panel || idf.refuse_registration)
		return ESP_ERR_INVALID_ARG;
	idf.dpi_callbacks = *cbs;
	idf.user = user_ctx;
	return ESP_OK;
}

esp_err_t esp_cam_ctlr_receive(esp_cam_ctlr_handle_t handle, esp_cam_ctlr_trans_t *trans, uint32_t timeout_ms)
{
	esp_err_t err = record((struct call){ .what = handle == fake_controller ? 'r' : '?', .data = trans->buffer,
					      .bytes = trans->buflen, .timeout_ms = timeout_ms });
	if (err == ESP_OK)
		idf.queued[idf.queued_count++] = *trans; /* the controller keeps a copy */
	return err;
}

esp_err_t esp_cam_ctlr_register_event_callbacks(esp_cam_ctlr_handle_t handle, const esp_cam_ctlr_evt_cbs_t *cbs,
						void *user_data)
{
	if (handle != fake_controller || idf.refuse_registration)
		return ESP_ERR_INVALID_ARG;
	idf.cam_callbacks = *cbs;
	idf.user = user_data;
	return ESP_OK;
}

/* The SPI master's post-transaction interrupt of one tx_color. */
static void spi_interrupt(void)
{
	idf.io_callbacks.on_color_trans_done(fake_io, NULL, idf.user);
}

static void dpi_refresh_interrupt(void)
{
	idf.dpi_callbacks.on_refresh_done(fake_panel, NULL, idf.user);
}

static void dma2d_copy_interrupt(void)
{
	idf.dpi_callbacks.on_color_trans_done(fake_panel, NULL, idf.user);
}

/* The controller fills its oldest queued buffer with @bytes and reports it. */
static void camera_frame_interrupt(size_t bytes)
{
	esp_cam_ctlr_trans_t trans = idf.queued[0];
	memmove(&idf.queued[0], &idf.queued[1], sizeof(idf.queued[0]) * --idf.queued_count);
	trans.received_size = bytes;
	idf.cam_callbacks.on_trans_finished(fake_controller, &trans, idf.user);
}

/* ---- set-up ---------------------------------------------------------------------- */

static _Alignas(8) uint8_t fence_storage[4096];
static struct dmabuf_fence_pool *pool;
static struct dmabuf_peripheral_registry registry;

/* A fresh fake and fence pool, @peripheral registered and configured. */
static int setup(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format)
{
	memset(&idf, 0, sizeof(idf));
	registry = (struct dmabuf_peripheral_registry){ 0 };
	if (dmabuf_fence_pool_init(&pool, fence_storage, sizeof(fence_storage), 16) != 0)
		return -1;
	if (dmabuf_peripheral_register(&registry, peripheral) != 0)
		return -2;
	return dmabuf_peripheral_configure(peripheral, format);
}

static uint32_t fences_alive(void)
{
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	return stats.in_use;
}

/* ---- SPI panel (esp_lcd SPI panel IO) ------------------------------------------ */

#define L2MEM 0x4FF10000u

static struct esp_spi_panel panel;

static int panel_setup(void)
{
	panel = (struct esp_spi_panel){ .io = fake_io, .tx_align = 4 };
	esp_spi_panel_init(&panel, "spi-panel", "spi2", 320, 240);
	struct dmabuf_frame_format format = { 0, 0, DMABUF_PIXEL_RGB565_BE };
	int err = setup(&panel.peripheral, &format);
	if (err)
		return err;
	esp_spi_panel_bind(&panel, pool);
	return esp_spi_panel_start(&panel);
}

static void spi_panel_sends_caset_raset_then_the_rows_in_one_ramwr(void)
{
	UNIT_EQ(panel_setup(), 0);
	struct dmabuf_mapping m = adapter_mapping(L2MEM, 320 * 240 * 2, 4095, DMABUF_TO_DEVICE);
	struct dmabuf_rect window = { 10, 20, 320 - 10, 100 };
	/* The rows follow each other in a frame as wide as the window. */
	uint32_t stride = 310 * 2;
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 64, stride, &window, &done), 0);
	UNIT_EQ(idf.count, 3);
	UNIT_EQ(idf.calls[0].what, 'p');
	UNIT_EQ(idf.calls[0].command, 0x2A);
	UNIT_EQ(memcmp(idf.calls[0].param, (const uint8_t[]){ 0, 10, 319 >> 8, 319 & 0xFF }, 4), 0);
	UNIT_EQ(idf.calls[1].command, 0x2B);
	UNIT_EQ(memcmp(idf.calls[1].param, (const uint8_t[]){ 0, 20, 0, 119 }, 4), 0);
	UNIT_EQ(idf.calls[2].what, 'c');
	UNIT_EQ(idf.calls[2].command, 0x2C);
	UNIT_EQ((uintptr_t)idf.calls[2].data, L2MEM + 64);
	UNIT_EQ(idf.calls[2].bytes, stride * 100);
	UNIT_EQ(dmabuf_fence_status(pool, done), 0);
	spi_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, done), 1);
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(&panel.peripheral, done, &completion), 0);
	UNIT_EQ(completion.sequence, 0);
	UNIT_ASSERT(completion.timestamp_us >= completion.start_us);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	UNIT_EQ(fences_alive(), 0);
}

static void spi_panel_sends_a_crop_row_by_row_and_signals_after_the_last(void)
{
	UNIT_EQ(panel_setup(), 0);
	struct dmabuf_mapping m = adapter_mapping(L2MEM, 320 * 240 * 2, 4095, DMABUF_TO_DEVICE);
	struct dmabuf_rect window = { 0, 0, 100, 4 };
	dmabuf_fence_t done, second;
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 640 * 8 + 40, 640, &window, &done), 0);
	UNIT_EQ(idf.count, 2 + 4);
	for (uint32_t r = 0; r < 4; r++) {
		const struct call *row = &idf.calls[2 + r];
		UNIT_EQ(row->what, 'c');
		UNIT_EQ(row->command, r == 0 ? 0x2C : -1); /* RAMWR once, then the write continues */
		UNIT_EQ((uintptr_t)row->data, L2MEM + 640 * 8 + 40 + 640 * r);
		UNIT_EQ(row->bytes, 200);
	}
	/* One write at a time: nothing reaches ESP-IDF. */
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 640, &window, &second), DMABUF_EBUSY);
	UNIT_EQ(idf.count, 6);
	/* The same format again is no change; another one waits for the write. */
	struct dmabuf_frame_format same = { 0, 0, DMABUF_PIXEL_RGB565_BE };
	UNIT_EQ(dmabuf_peripheral_configure(&panel.peripheral, &same), 0);
	struct dmabuf_frame_format gray = { 0, 0, DMABUF_PIXEL_GRAY8 };
	panel.peripheral.constraints.formats |= 1u << DMABUF_PIXEL_GRAY8;
	UNIT_EQ(dmabuf_peripheral_configure(&panel.peripheral, &gray), DMABUF_EBUSY);
	for (uint32_t r = 0; r < 3; r++) {
		spi_interrupt();
		UNIT_EQ(dmabuf_fence_status(pool, done), 0);
	}
	spi_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, done), 1);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	UNIT_EQ(fences_alive(), 0);
	/* The next write starts. */
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 640, &window, &second), 0);
	spi_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, second), 0);
	UNIT_EQ(dmabuf_fence_put(pool, second), 0);
}

static void spi_panel_refused_commands_or_pixels_leave_no_fence(void)
{
	struct dmabuf_mapping m = adapter_mapping(L2MEM, 320 * 240 * 2, 4095, DMABUF_TO_DEVICE);
	struct dmabuf_rect window = { 0, 0, 320, 240 };
	dmabuf_fence_t done = 0;
	/* CASET refused, RASET refused, RAMWR with the pixels refused. */
	for (uint32_t refused = 1; refused <= 3; refused++) {
		UNIT_EQ(panel_setup(), 0);
		idf.fail_call = refused;
		UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 640, &window, &done), DMABUF_EIO);
		UNIT_EQ(idf.count, refused);
		UNIT_EQ(fences_alive(), 0);
		UNIT_EQ(panel.job.running, 0);
		/* Ready for the next write. */
		idf.fail_call = 0;
		UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 640, &window, &done), 0);
		spi_interrupt();
		UNIT_EQ(dmabuf_fence_status(pool, done), 1);
		UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	}
}

static void spi_panel_row_refused_mid_crop_signals_eio_after_the_queued_rows(void)
{
	UNIT_EQ(panel_setup(), 0);
	struct dmabuf_mapping m = adapter_mapping(L2MEM, 320 * 240 * 2, 4095, DMABUF_TO_DEVICE);
	struct dmabuf_rect window = { 0, 0, 100, 4 };
	idf.fail_call = 2 + 3; /* the third row */
	dmabuf_fence_t done;
	/* Two rows are out on the bus: the caller gets the fence. */
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 640, &window, &done), 0);
	UNIT_EQ(idf.count, 5);
	spi_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, done), 0);
	spi_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, done), DMABUF_EIO);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	UNIT_EQ(fences_alive(), 0);
	/* The rows queued before the refusal are already out: the fence signals at once. */
	UNIT_EQ(panel_setup(), 0);
	idf.fail_call = 2 + 2;
	idf.instant_spi = true;
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 640, &window, &done), 0);
	UNIT_EQ(dmabuf_fence_status(pool, done), DMABUF_EIO);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	UNIT_EQ(fences_alive(), 0);
}

static void spi_panel_refuses_rows_esp_idf_would_copy(void)
{
	UNIT_EQ(panel_setup(), 0);
	struct dmabuf_mapping m = adapter_mapping(L2MEM, 320 * 240 * 2, 4095, DMABUF_TO_DEVICE);
	struct dmabuf_rect odd_width = { 0, 0, 99, 4 };
	struct dmabuf_rect crop = { 0, 0, 100, 4 };
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 640, &odd_width, &done), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 2, 640, &crop, &done), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, 0, 642, &crop, &done), DMABUF_EINVAL);
	UNIT_EQ(idf.count, 0);
	UNIT_EQ(fences_alive(), 0);
	/* Without ESP-IDF's callback no write could ever finish: refused. */
	panel = (struct esp_spi_panel){ .io = fake_io, .tx_align = 3 };
	UNIT_EQ(esp_spi_panel_start(&panel), DMABUF_EINVAL);
	panel.tx_align = 4;
	idf.refuse_registration = true;
	UNIT_EQ(esp_spi_panel_start(&panel), DMABUF_EIO);
}

/* ---- DPI display (esp_lcd MIPI-DSI DPI panel) ---------------------------------- */

#define PSRAM 0x48000000u
#define FRAME_BYTES (1024u * 600u * 2u)

static struct esp_dpi_display display;

static int display_setup(uint32_t frame_buffers, bool cpu_copy)
{
	display = (struct esp_dpi_display){ .panel = fake_panel, .frame_buffers = frame_buffers };
	esp_dpi_display_init(&display, "display", "mipi-dsi", DMABUF_PIXEL_RGB565_LE, 1024, 600);
	struct dmabuf_frame_format format = { 1024, 600, DMABUF_PIXEL_RGB565_LE };
	int err = setup(&display.peripheral, &format);
	if (err)
		return err;
	for (uint32_t i = 0; i < 3; i++)
		idf.frame_buffers[i] = (void *)(uintptr_t)(PSRAM + 0x200000u + i * FRAME_BYTES);
	idf.frame_buffer_count = frame_buffers;
	idf.cpu_copy = cpu_copy;
	esp_dpi_display_bind(&display, pool);
	return esp_dpi_display_start(&display);
}

static void dpi_display_flips_to_its_frame_buffer_and_releases_after_two_refreshes(void)
{
	UNIT_EQ(display_setup(2, true), 0);
	struct dmabuf_mapping fb1 = adapter_mapping(PSRAM + 0x200000u + FRAME_BYTES, FRAME_BYTES, 0x3FFFFFu * 4u,
						    DMABUF_TO_DEVICE);
	dmabuf_fence_t released, second;
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &fb1, &released), 0);
	UNIT_EQ(idf.count, 1);
	UNIT_EQ(idf.calls[0].what, 'd');
	UNIT_EQ((uintptr_t)idf.calls[0].data, PSRAM + 0x200000u + FRAME_BYTES);
	UNIT_EQ(idf.calls[0].x0, 0);
	UNIT_EQ(idf.calls[0].y0, 0);
	UNIT_EQ(idf.calls[0].x1, 1024);
	UNIT_EQ(idf.calls[0].y1, 600);
	/* The driver reported the flip inside draw_bitmap: not yet a release. */
	UNIT_EQ(dmabuf_fence_status(pool, released), 0);
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &fb1, &second), DMABUF_EBUSY);
	dpi_refresh_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, released), 0);
	dpi_refresh_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, released), 1);
	dpi_refresh_interrupt(); /* nothing waits: nothing happens */
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(&display.peripheral, released, &completion), 0);
	UNIT_EQ(completion.sequence, 0);
	UNIT_EQ(dmabuf_fence_put(pool, released), 0);
	UNIT_EQ(fences_alive(), 0);
}

static void dpi_display_copy_releases_when_the_copy_has_read_the_frame(void)
{
	struct dmabuf_mapping frame = adapter_mapping(PSRAM, FRAME_BYTES, 0x3FFFFFu * 4u, DMABUF_TO_DEVICE);
	dmabuf_fence_t released;
	/* CPU copy: done inside draw_bitmap, released when present returns. */
	UNIT_EQ(display_setup(1, true), 0);
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &frame, &released), 0);
	UNIT_EQ((uintptr_t)idf.calls[0].data, PSRAM);
	UNIT_EQ(dmabuf_fence_status(pool, released), 1);
	UNIT_EQ(dmabuf_fence_put(pool, released), 0);
	/* DMA2D copy: released by its interrupt, not by a refresh. */
	UNIT_EQ(display_setup(1, false), 0);
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &frame, &released), 0);
	dpi_refresh_interrupt();
	dpi_refresh_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, released), 0);
	dma2d_copy_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, released), 1);
	UNIT_EQ(dmabuf_fence_put(pool, released), 0);
	UNIT_EQ(fences_alive(), 0);
}

static struct dmabuf_ctx *counting_ctx;

static struct dmabuf_ctx *counting_context(void)
{
	return counting_ctx;
}

static void dpi_display_counts_the_cpu_copies_of_the_driver_not_a_flip(void)
{
	/* A context to count in: the ESP32-P4 board over a little host memory. */
	static const struct dmabuf_region_desc regions[] = {
		{ "l2mem", 0x4FF00000u, 64u * 1024u, DMABUF_REGION_CACHEABLE, 64 },
	};
	struct dmabuf_board board = dmabuf_board_esp32p4;
	board.regions = regions;
	board.region_count = 1;
	void *region_memory[1] = { aligned_alloc(64, regions[0].size) };
	struct dmabuf_config config = { .board = &board, .region_memory = region_memory, .cache = &dmabuf_cache_none,
					.max_buffers = 1, .max_attachments = 1 };
	size_t need = dmabuf_storage_size(&config);
	void *storage = aligned_alloc(8, (need + 7) / 8 * 8);
	struct dmabuf_ctx *ctx = NULL;
	int err = dmabuf_init(&ctx, storage, need, &config);
	struct dmabuf_cpu_copy_stats after_copy = { 0 }, after_flip = { 0 };
	if (!err)
		err = display_setup(1, true);
	if (!err) {
		counting_ctx = ctx;
		display.copy_counter = counting_context;
		struct dmabuf_mapping frame = adapter_mapping(PSRAM, FRAME_BYTES, 0x3FFFFFu * 4u, DMABUF_TO_DEVICE);
		struct dmabuf_mapping fb0 = adapter_mapping(PSRAM + 0x200000u, FRAME_BYTES, 0x3FFFFFu * 4u, DMABUF_TO_DEVICE);
		dmabuf_fence_t released;
		err = dmabuf_display_present(&display.peripheral, &frame, &released);
		dmabuf_cpu_copy_stats(ctx, &after_copy);
		(void)dmabuf_fence_put(pool, released);
		if (!err)
			err = dmabuf_display_present(&display.peripheral, &fb0, &released);
		dmabuf_cpu_copy_stats(ctx, &after_flip);
		(void)dmabuf_fence_put(pool, released);
	}
	if (ctx)
		dmabuf_deinit(ctx);
	free(storage);
	free(region_memory[0]);
	UNIT_EQ(err, 0);
	UNIT_EQ(after_copy.copies, 1);
	UNIT_EQ(after_copy.bytes, FRAME_BYTES);
	UNIT_EQ(after_flip.copies, 1); /* a flip copies nothing */
	UNIT_EQ(after_flip.bytes, FRAME_BYTES);
}

static void dpi_display_draws_a_smaller_frame_into_the_panels_corner(void)
{
	UNIT_EQ(display_setup(1, true), 0);
	struct dmabuf_frame_format qvga = { 320, 240, DMABUF_PIXEL_RGB565_LE };
	UNIT_EQ(dmabuf_peripheral_configure(&display.peripheral, &qvga), 0);
	struct dmabuf_mapping frame = adapter_mapping(PSRAM, 320 * 240 * 2, 0x3FFFFFu * 4u, DMABUF_TO_DEVICE);
	dmabuf_fence_t released;
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &frame, &released), 0);
	UNIT_EQ(idf.calls[0].x1, 320);
	UNIT_EQ(idf.calls[0].y1, 240);
	UNIT_EQ(dmabuf_fence_status(pool, released), 1);
	UNIT_EQ(dmabuf_fence_put(pool, released), 0);
	/* The driver's byte order only: a high-byte-first frame is refused. */
	struct dmabuf_frame_format big_endian = { 320, 240, DMABUF_PIXEL_RGB565_BE };
	UNIT_EQ(dmabuf_peripheral_configure(&display.peripheral, &big_endian), DMABUF_EDOM);
}

static void dpi_display_refused_draw_leaves_no_fence(void)
{
	UNIT_EQ(display_setup(1, false), 0);
	struct dmabuf_mapping frame = adapter_mapping(PSRAM, FRAME_BYTES, 0x3FFFFFu * 4u, DMABUF_TO_DEVICE);
	dmabuf_fence_t released;
	idf.fail_call = 1;
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &frame, &released), DMABUF_EIO);
	UNIT_EQ(fences_alive(), 0);
	/* A late interrupt of the refused job finds nothing to release. */
	dma2d_copy_interrupt();
	dpi_refresh_interrupt();
	UNIT_EQ(fences_alive(), 0);
	idf.fail_call = 0;
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &frame, &released), 0);
	dma2d_copy_interrupt();
	UNIT_EQ(dmabuf_fence_status(pool, released), 1);
	UNIT_EQ(dmabuf_fence_put(pool, released), 0);
}

/*
 * End to end on the P4 firmware's context: its general pools (an L2MEM and
 * a PSRAM block, the ESP32_P4-DmaBuf preset's 64 KB and 2 MB: room for a
 * frame, so only the display's confinement keeps frames out), then the DPI panel's two frame buffers lent as the
 * wiring lends them (dmabuf_esp_dpi_pools, 64-byte line; the second one
 * not on a 128-byte line), made into the runtime board and a context as
 * dmabuf_firmware.c makes them. Frames exported for the display and
 * attached to it land at the buffers' starts, and presents flip.
 */
#define FB0 (PSRAM + 0x200000u)
#define FB1 (PSRAM + 0x400040u)

static struct {
	void *memory[2];
	void *storage;
	struct dmabuf_runtime_board runtime;
	struct dmabuf_ctx *ctx;
	int display_device;
} fw;

static int firmware_context(void)
{
	int err = display_setup(2, true);
	idf.frame_buffers[1] = (void *)(uintptr_t)FB1;
	if (!err)
		err = esp_dpi_display_start(&display); /* reads the buffers again */
	fw.memory[0] = aligned_alloc(128, 64u * 1024u);
	fw.memory[1] = aligned_alloc(128, 2u * 1024u * 1024u);
	struct dmabuf_pool pools[4] = {
		{ .bus_base = 0x4FF40000u, .cpu = fw.memory[0], .size = 64u * 1024u, .flags = DMABUF_REGION_CACHEABLE },
		{ .bus_base = PSRAM, .cpu = fw.memory[1], .size = 2u * 1024u * 1024u, .flags = DMABUF_REGION_CACHEABLE },
	};
	if (!err)
		err = dmabuf_esp_dpi_pools(fake_panel, 2, FRAME_BYTES, 64, &dmabuf_board_esp32p4, "mipi-dsi", "mipi-csi",
					   &pools[2], NULL);
	if (!err)
		err = dmabuf_runtime_board_init(&fw.runtime, &dmabuf_board_esp32p4, pools, 4, NULL, NULL);
	struct dmabuf_config config = { .board = &fw.runtime.board, .region_memory = fw.runtime.region_memory,
					.cache = &dmabuf_cache_none, .max_buffers = 4, .max_attachments = 4 };
	size_t need = err ? 0 : dmabuf_storage_size(&config);
	fw.storage = need ? aligned_alloc(8, (need + 7) / 8 * 8) : NULL;
	if (fw.storage)
		err = dmabuf_init(&fw.ctx, fw.storage, need, &config);
	fw.display_device = -1;
	for (uint32_t d = 0; d < dmabuf_board_esp32p4.device_count; d++)
		if (strcmp(dmabuf_board_esp32p4.devices[d].name, "mipi-dsi") == 0)
			fw.display_device = (int)d;
	counting_ctx = fw.ctx;
	display.copy_counter = counting_context;
	return err;
}

static void firmware_context_end(void)
{
	if (fw.ctx) {
		dmabuf_reset(fw.ctx);
		dmabuf_deinit(fw.ctx);
	}
	free(fw.storage);
	free(fw.memory[0]);
	free(fw.memory[1]);
	fw = (__typeof__(fw)){ 0 };
}

/* A whole-panel frame for the display, mapped as ScanoutDisplay maps it. */
static int display_frame(struct dmabuf_mapping *m)
{
	dmabuf_handle_t buffer = 0, attachment = 0;
	int err = dmabuf_export(fw.ctx, FRAME_BYTES, "frame", DMABUF_EXPORT_DEFER_PLACEMENT, &buffer);
	if (!err)
		err = dmabuf_attach(fw.ctx, buffer, fw.display_device, &attachment);
	if (!err)
		err = dmabuf_map(fw.ctx, attachment, DMABUF_TO_DEVICE, m);
	return err;
}

static void dpi_display_frames_of_the_firmware_context_land_in_the_frame_buffers_and_flip(void)
{
	struct dmabuf_mapping a = { 0 }, b = { 0 }, c = { 0 };
	struct dmabuf_cpu_copy_stats copies = { 1, 1 };
	dmabuf_fence_t first = 0, second = 0;
	int err = firmware_context();
	int err_a = err ? err : display_frame(&a);
	int err_b = err ? err : display_frame(&b);
	int err_c = err ? err : display_frame(&c); /* a third has nowhere to go */
	int present_a = err_a ? err_a : dmabuf_display_present(&display.peripheral, &a, &first);
	dpi_refresh_interrupt();
	dpi_refresh_interrupt();
	int present_b = err_b ? err_b : dmabuf_display_present(&display.peripheral, &b, &second);
	uint32_t draws = idf.count;
	const void *drawn[2] = { idf.calls[0].data, idf.calls[1].data };
	int first_done = present_a ? -1 : dmabuf_fence_status(pool, first);
	int second_done = present_b ? -1 : dmabuf_fence_status(pool, second);
	if (fw.ctx)
		dmabuf_cpu_copy_stats(fw.ctx, &copies);
	firmware_context_end();
	UNIT_EQ(err, 0);
	UNIT_EQ(err_a, 0);
	UNIT_EQ(err_b, 0);
	UNIT_EQ(a.dma_addr, FB0);
	UNIT_EQ(b.dma_addr, FB1);
	UNIT_EQ(err_c, DMABUF_ENOMEM);
	UNIT_EQ(present_a, 0);
	UNIT_EQ(present_b, 0);
	UNIT_EQ(draws, 2);
	UNIT_EQ((uintptr_t)drawn[0], FB0);
	UNIT_EQ((uintptr_t)drawn[1], FB1);
	UNIT_EQ(first_done, 1);  /* flipped away from two refreshes ago */
	UNIT_EQ(second_done, 0); /* still shown */
	UNIT_EQ(copies.copies, 0);
	UNIT_EQ(copies.bytes, 0);
	(void)dmabuf_fence_put(pool, first);
	(void)dmabuf_fence_put(pool, second);
}

static void dpi_display_refuses_a_frame_inside_a_frame_buffer_that_is_not_the_buffer(void)
{
	UNIT_EQ(display_setup(2, true), 0);
	dmabuf_fence_t released;
	/* Whole-panel size, but not at the buffer's start. */
	struct dmabuf_mapping off = adapter_mapping(FB0 + 64u, FRAME_BYTES, 0x3FFFFFu * 4u, DMABUF_TO_DEVICE);
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &off, &released), DMABUF_EDOM);
	/* At the start, but a smaller frame: the driver would scan the buffer whole. */
	struct dmabuf_frame_format qvga = { 320, 240, DMABUF_PIXEL_RGB565_LE };
	UNIT_EQ(dmabuf_peripheral_configure(&display.peripheral, &qvga), 0);
	struct dmabuf_mapping small = adapter_mapping(FB0, 320 * 240 * 2, 0x3FFFFFu * 4u, DMABUF_TO_DEVICE);
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &small, &released), DMABUF_EDOM);
	UNIT_EQ(idf.count, 0);
	UNIT_EQ(fences_alive(), 0);
}

static void dpi_display_start_refuses_what_esp_idf_refuses(void)
{
	UNIT_EQ(display_setup(3, false), 0);
	UNIT_ASSERT(display.frame_buffer[2] == idf.frame_buffers[2]);
	/* More frame buffers than the panel has. */
	UNIT_EQ(display_setup(2, false), 0);
	display.frame_buffers = 3;
	UNIT_EQ(esp_dpi_display_start(&display), DMABUF_EIO);
	display.frame_buffers = 4;
	UNIT_EQ(esp_dpi_display_start(&display), DMABUF_EINVAL);
	display.frame_buffers = 2;
	idf.refuse_registration = true;
	UNIT_EQ(esp_dpi_display_start(&display), DMABUF_EIO);
}

/* ---- camera (esp_cam_ctlr through the hand-over) ------------------------------ */

static struct esp_camera camera;

static int camera_setup(void)
{
	camera = (struct esp_camera){ .cam = { .controller = fake_controller } };
	esp_camera_init(&camera, "camera", "mipi-csi", 1u << DMABUF_PIXEL_RGB565_LE, 320, 240);
	struct dmabuf_frame_format format = { 320, 240, DMABUF_PIXEL_RGB565_LE };
	int err = setup(&camera.peripheral, &format);
	if (err)
		return err;
	esp_camera_bind(&camera, pool);
	return esp_camera_start(&camera);
}

static struct dmabuf_mapping camera_buffer(uint32_t index)
{
	/* Padded past the frame to whole 128-byte lines. */
	return adapter_mapping(PSRAM + index * 0x40000u, 320 * 240 * 2 + 128, 0x3FFFFFu * 4u, DMABUF_FROM_DEVICE);
}

static void camera_queues_one_frame_per_capture_and_signals_it_filled(void)
{
	UNIT_EQ(camera_setup(), 0);
	struct dmabuf_mapping m = camera_buffer(0);
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &done), 0);
	UNIT_EQ(idf.count, 1);
	UNIT_EQ(idf.calls[0].what, 'r');
	UNIT_EQ((uintptr_t)idf.calls[0].data, PSRAM);
	UNIT_EQ(idf.calls[0].bytes, 320 * 240 * 2); /* the frame, not the padding */
	UNIT_EQ(idf.calls[0].timeout_ms, 0);        /* never blocks the nanoCLR thread */
	UNIT_EQ(dmabuf_fence_status(pool, done), 0);
	camera_frame_interrupt(320 * 240 * 2);
	UNIT_EQ(dmabuf_fence_status(pool, done), 1);
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(&camera.peripheral, done, &completion), 0);
	UNIT_EQ(completion.sequence, 0);
	UNIT_ASSERT(completion.timestamp_us >= completion.start_us);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	/* The hand-over keeps its reference until the next capture takes the slot back. */
	UNIT_EQ(fences_alive(), 1);
	struct dmabuf_mapping next = camera_buffer(1);
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &next, &done), 0);
	UNIT_EQ(fences_alive(), 1);
	camera_frame_interrupt(320 * 240 * 2);
	UNIT_EQ(dmabuf_peripheral_completion(&camera.peripheral, done, &completion), 0);
	UNIT_EQ(completion.sequence, 1);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
}

static void camera_serves_captures_in_queue_order_up_to_its_slots(void)
{
	UNIT_EQ(camera_setup(), 0);
	struct dmabuf_mapping m[DMABUF_ESP_CAM_SLOTS + 1];
	dmabuf_fence_t done[DMABUF_ESP_CAM_SLOTS + 1];
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS + 1; i++)
		m[i] = camera_buffer(i);
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS; i++)
		UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m[i], &done[i]), 0);
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m[DMABUF_ESP_CAM_SLOTS], &done[DMABUF_ESP_CAM_SLOTS]),
		DMABUF_EBUSY);
	UNIT_EQ(idf.count, DMABUF_ESP_CAM_SLOTS);
	/* The same format again is no change; another one waits for the queued captures. */
	struct dmabuf_frame_format same = { 320, 240, DMABUF_PIXEL_RGB565_LE };
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &same), 0);
	camera.peripheral.constraints.formats |= 1u << DMABUF_PIXEL_YUYV;
	struct dmabuf_frame_format other = { 320, 240, DMABUF_PIXEL_YUYV };
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &other), DMABUF_EBUSY);
	camera_frame_interrupt(320 * 240 * 2);
	UNIT_EQ(dmabuf_fence_status(pool, done[0]), 1);
	UNIT_EQ(dmabuf_fence_status(pool, done[1]), 0);
	/* The finished slot serves the next capture. */
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m[DMABUF_ESP_CAM_SLOTS], &done[DMABUF_ESP_CAM_SLOTS]), 0);
	for (uint32_t i = 1; i < DMABUF_ESP_CAM_SLOTS + 1; i++) {
		camera_frame_interrupt(320 * 240 * 2);
		UNIT_EQ(dmabuf_fence_status(pool, done[i]), 1);
		struct dmabuf_completion completion;
		UNIT_EQ(dmabuf_peripheral_completion(&camera.peripheral, done[i], &completion), 0);
		UNIT_EQ(completion.sequence, i);
	}
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS + 1; i++)
		UNIT_EQ(dmabuf_fence_put(pool, done[i]), 0);
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &other), 0);
	UNIT_EQ(fences_alive(), 0);
}

static void camera_refused_receive_leaves_no_fence_and_no_callback(void)
{
	UNIT_EQ(camera_setup(), 0);
	struct dmabuf_mapping m = camera_buffer(0);
	dmabuf_fence_t done;
	idf.fail_call = 1;
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &done), DMABUF_EBUSY);
	UNIT_EQ(fences_alive(), 0);
	/* The same buffer queued twice is the hand-over's -EEXIST, and costs nothing. */
	idf.fail_call = 0;
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &done), 0);
	dmabuf_fence_t again;
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &again), DMABUF_EEXIST);
	UNIT_EQ(fences_alive(), 1);
	camera_frame_interrupt(320 * 240 * 2);
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(&camera.peripheral, done, &completion), 0);
	UNIT_EQ(completion.sequence, 0); /* the refused captures recorded nothing */
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
}

static void camera_takes_only_the_controllers_frame_size(void)
{
	UNIT_EQ(camera_setup(), 0);
	/* It says so before it is opened (DmaHeap.GetPeripheralFrameSize): what the application asks for. */
	UNIT_ASSERT(camera.peripheral.fixed_size);
	UNIT_EQ(camera.peripheral.constraints.max_width, 320);
	UNIT_EQ(camera.peripheral.constraints.max_height, 240);
	struct dmabuf_frame_format smaller = { 160, 120, DMABUF_PIXEL_RGB565_LE };
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &smaller), DMABUF_EDOM);
	struct dmabuf_frame_format other_format = { 320, 240, DMABUF_PIXEL_YUYV };
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &other_format), DMABUF_EDOM);
	UNIT_EQ(idf.count, 0);
}

static void camera_frame_into_a_buffer_not_ours_signals_nothing(void)
{
	UNIT_EQ(camera_setup(), 0);
	struct dmabuf_mapping m = camera_buffer(0);
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &done), 0);
	/* The controller's backup buffer. */
	esp_cam_ctlr_trans_t backup = { (void *)(uintptr_t)0x4FF20000u, 4096, 4096 };
	idf.cam_callbacks.on_trans_finished(fake_controller, &backup, idf.user);
	UNIT_EQ(dmabuf_fence_status(pool, done), 0);
	camera_frame_interrupt(320 * 240 * 2);
	UNIT_EQ(dmabuf_fence_status(pool, done), 1);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	idf.refuse_registration = true;
	UNIT_EQ(esp_camera_start(&camera), DMABUF_EIO);
}

const struct unit_suite suite_adapters_esp = UNIT_SUITE(adapters_esp,
	UNIT_TEST(spi_panel_sends_caset_raset_then_the_rows_in_one_ramwr),
	UNIT_TEST(spi_panel_sends_a_crop_row_by_row_and_signals_after_the_last),
	UNIT_TEST(spi_panel_refused_commands_or_pixels_leave_no_fence),
	UNIT_TEST(spi_panel_row_refused_mid_crop_signals_eio_after_the_queued_rows),
	UNIT_TEST(spi_panel_refuses_rows_esp_idf_would_copy),
	UNIT_TEST(dpi_display_flips_to_its_frame_buffer_and_releases_after_two_refreshes),
	UNIT_TEST(dpi_display_copy_releases_when_the_copy_has_read_the_frame),
	UNIT_TEST(dpi_display_counts_the_cpu_copies_of_the_driver_not_a_flip),
	UNIT_TEST(dpi_display_draws_a_smaller_frame_into_the_panels_corner),
	UNIT_TEST(dpi_display_refused_draw_leaves_no_fence),
	UNIT_TEST(dpi_display_start_refuses_what_esp_idf_refuses),
	UNIT_TEST(dpi_display_frames_of_the_firmware_context_land_in_the_frame_buffers_and_flip),
	UNIT_TEST(dpi_display_refuses_a_frame_inside_a_frame_buffer_that_is_not_the_buffer),
	UNIT_TEST(camera_queues_one_frame_per_capture_and_signals_it_filled),
	UNIT_TEST(camera_serves_captures_in_queue_order_up_to_its_slots),
	UNIT_TEST(camera_refused_receive_leaves_no_fence_and_no_callback),
	UNIT_TEST(camera_takes_only_the_controllers_frame_size),
	UNIT_TEST(camera_frame_into_a_buffer_not_ours_signals_nothing));
