/*
 * The simulator's back end of the peripheral contract (peripheral_sim.h):
 * each op hands the job to a peripheral model (camera.c, display.c,
 * spi_panel.c) in a request slot of its own; a slot is reused round-robin
 * once its fence has signalled, so what a finished job reported (its
 * sequence, its end time) stays readable for the next few jobs.
 */
#include "peripheral_sim.h"

#include <stdlib.h>
#include <string.h>

#include "peripherals_internal.h"

#define CAMERA_PERIOD_NS 33333333ull  /* 30 frames per second */
#define DISPLAY_PERIOD_NS 16666667ull /* 60 Hz */
#define MAX_FRAME_SIDE 4096u          /* what the models serve; real interfaces state less */
/* A 240 x 240 ST7789 module: 320 x 240 GRAM in landscape, the glass centred. */
#define ST7789_RAM_WIDTH 320u
#define ST7789_RAM_HEIGHT 240u
#define ST7789_GLASS 240u
#define REQUEST_SLOTS 8u

/* Which DMA master plays each peripheral on a board, and how fast it moves
 * bytes (bytes per microsecond: pixel clock, scan-out rate, SPI clock / 8). */
struct board_row {
	const char *board;
	const char *camera, *display, *spi;
	uint32_t camera_rate, display_rate, spi_rate;
};

static const struct board_row board_rows[] = {
	/* DCMI at a 30 MHz pixel clock, LTDC through the 2-lane DSI host, SPI at 40 MHz on DMA2. */
	{ "stm32f769i-disco", "dcmi", "ltdc", "dma2", 30, 100, 5 },
	/* LCD_CAM camera and RGB LCD halves through GDMA; GPSPI2 at 80 MHz. */
	{ "esp32s3-octal-psram", "lcd-cam-camera", "lcd-cam-lcd", "spi2", 30, 40, 10 },
	/* MIPI-CSI and MIPI-DSI through the DW-GDMA; GPSPI2 at 80 MHz. */
	{ "esp32p4", "mipi-csi", "mipi-dsi", "spi2", 100, 200, 10 },
	/* Classic ESP32: I2S0 in camera mode, a second SPI LCD as the display, SPI2 for the panel. */
	{ "esp32", "i2s0", "spi3", "spi2", 20, 10, 10 },
};

struct sim_device {
	struct dmabuf_peripheral peripheral; /* first: ops get a pointer to it */
	struct sim_board_peripherals *board;
	uint32_t rate;
	struct sim_camera *camera; /* the model, once configured (one of the three) */
	struct sim_display *display;
	struct sim_spi_panel *panel;
	struct sim_request requests[REQUEST_SLOTS];
	bool used[REQUEST_SLOTS];
	uint32_t next_slot;
};

struct sim_board_peripherals {
	struct sim_peripherals *peripherals;
	struct dmabuf_peripheral_registry registry;
	uint64_t scene_seed;
	struct sim_device devices[3];
};

static struct sim_device *device_of(struct dmabuf_peripheral *peripheral)
{
	return sim_container_of(peripheral, struct sim_device, peripheral);
}

/* The next request slot, if its job has finished (or it was never used). */
static struct sim_request *take_slot(struct sim_device *device)
{
	uint32_t i = device->next_slot;
	if (device->used[i] &&
	    dmabuf_fence_status(device->board->peripherals->fences, device->requests[i].done) == 0)
		return NULL;
	device->used[i] = true;
	device->next_slot = (i + 1u) % REQUEST_SLOTS;
	return &device->requests[i];
}

/* After the model accepted (err 0) or refused the request in @slot. */
static int job_done(struct sim_device *device, struct sim_request *slot, int err, dmabuf_fence_t *fence)
{
	if (err) {
		/* Refused: the slot was never handed out; give it back. */
		device->next_slot = (uint32_t)(slot - device->requests);
		device->used[device->next_slot] = false;
		return err;
	}
	*fence = slot->done;
	return 0;
}

/* ---- ops ----------------------------------------------------------------------- */

static int sim_configure(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format)
{
	struct sim_device *device = device_of(peripheral);
	struct sim_peripherals *peripherals = device->board->peripherals;
	bool same = peripheral->configured && peripheral->format.width == format->width &&
		    peripheral->format.height == format->height && peripheral->format.format == format->format;
	if (peripheral->configured)
		return same ? 0 : DMABUF_EBUSY; /* the models cannot be rebuilt while the set lives */
	if (peripheral->fixed_size &&
	    (format->width != peripheral->constraints.max_width || format->height != peripheral->constraints.max_height)) {
		sim_report("sim_configure: '%s' delivers frames of its own size only (max_width x max_height)",
			   peripheral->name);
		return DMABUF_EDOM;
	}
	switch (peripheral->kind) {
	case DMABUF_PERIPHERAL_CAMERA: {
		struct sim_camera_config config = { format->width, format->height, device->board->scene_seed,
						    CAMERA_PERIOD_NS, device->rate };
		int err = sim_camera_create(peripherals, &config, &device->camera);
		if (!err)
			sim_camera_set_low_byte_first(device->camera, format->format == DMABUF_PIXEL_RGB565_LE);
		return err;
	}
	case DMABUF_PERIPHERAL_DISPLAY: {
		struct sim_display_config config = { format->width, format->height, DISPLAY_PERIOD_NS, device->rate,
						     format->format };
		return sim_display_create(peripherals, &config, &device->display);
	}
	default: {
		struct sim_spi_panel_config config = { ST7789_RAM_WIDTH, ST7789_RAM_HEIGHT,
						       (ST7789_RAM_WIDTH - ST7789_GLASS) / 2u, 0, ST7789_GLASS,
						       ST7789_GLASS, device->rate, true };
		return sim_spi_panel_create(peripherals, &config, &device->panel);
	}
	}
}

static int sim_capture(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping, dmabuf_fence_t *done)
{
	struct sim_device *device = device_of(peripheral);
	struct sim_request *slot = take_slot(device);
	if (!slot)
		return DMABUF_EBUSY;
	return job_done(device, slot, sim_camera_queue(device->camera, mapping, slot), done);
}

static int sim_present(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
		       dmabuf_fence_t *released)
{
	struct sim_device *device = device_of(peripheral);
	struct sim_request *slot = take_slot(device);
	if (!slot)
		return DMABUF_EBUSY;
	return job_done(device, slot, sim_display_present(device->display, mapping, slot), released);
}

static int sim_write_rect(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping, uint32_t offset,
			  uint32_t stride, const struct dmabuf_rect *window, dmabuf_fence_t *done)
{
	struct sim_device *device = device_of(peripheral);
	struct sim_spi_window w = { window->x, window->y, window->width, window->height };
	struct sim_request *slot = take_slot(device);
	if (!slot)
		return DMABUF_EBUSY;
	return job_done(device, slot, sim_spi_panel_write(device->panel, mapping, offset, stride, &w, slot), done);
}

static int sim_command(struct dmabuf_peripheral *peripheral, uint32_t command, const uint8_t *parameters,
		       uint32_t count, dmabuf_fence_t *done)
{
	struct sim_device *device = device_of(peripheral);
	struct sim_request *slot = take_slot(device);
	if (!slot)
		return DMABUF_EBUSY;
	return job_done(device, slot, sim_spi_panel_command(device->panel, command, parameters, count, slot), done);
}

static int sim_completion(struct dmabuf_peripheral *peripheral, dmabuf_fence_t done, struct dmabuf_completion *out)
{
	struct sim_device *device = device_of(peripheral);
	for (uint32_t i = 0; i < REQUEST_SLOTS; i++) {
		const struct sim_request *r = &device->requests[i];
		if (device->used[i] && r->done == done &&
		    dmabuf_fence_status(device->board->peripherals->fences, done) != 0) {
			out->sequence = r->sequence;
			out->start_us = r->start_ns / 1000u;
			out->timestamp_us = r->end_ns / 1000u;
			return 0;
		}
	}
	return DMABUF_ENOENT;
}

static const struct dmabuf_peripheral_ops sim_ops = {
	.configure = sim_configure,
	.capture = sim_capture,
	.present = sim_present,
	.write_rect = sim_write_rect,
	.command = sim_command,
	.completion = sim_completion,
};

/* ---- waits run virtual time ----------------------------------------------------- */

static int wait_hook(void *user, struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t timeout_us)
{
	struct sim_board_peripherals *board = user;
	(void)pool;
	/* A fence made elsewhere (a managed thread's, another driver's) signals
	 * in real time, not by running the simulation: wait for it as usual. */
	if (!sim_peripherals_owns_fence(board->peripherals, fence))
		return 1;
	uint64_t timeout_ns = timeout_us == UINT32_MAX ? UINT64_MAX : (uint64_t)timeout_us * 1000u;
	int result = sim_peripherals_wait(board->peripherals, &fence, 1, timeout_ns);
	if (result >= 0)
		return 0;
	/* A finite wait ran its virtual time out; an endless one found nothing
	 * simulated that could signal the fence: another thread must. */
	return result == DMABUF_ETIMEDOUT && timeout_ns != UINT64_MAX ? DMABUF_ETIMEDOUT : 1;
}

/* ---- the board's set ------------------------------------------------------------- */

static const struct board_row *row_of(const char *board)
{
	for (size_t i = 0; i < sizeof(board_rows) / sizeof(board_rows[0]); i++)
		if (strcmp(board_rows[i].board, board) == 0)
			return &board_rows[i];
	return NULL;
}

static int add_device(struct sim_board_peripherals *board, struct sim_device *device, const char *name,
		      const char *dma_master, uint32_t kind, uint32_t rate)
{
	bool panel = kind == DMABUF_PERIPHERAL_SPI_PANEL;
	device->board = board;
	device->rate = rate;
	device->peripheral = (struct dmabuf_peripheral){
		.name = name,
		.device = dma_master,
		.kind = kind,
		/* The models move RGB565 high byte first (peripherals.h, DOC: frames);
		 * a display or camera may be told to take others (sim_board_peripherals_set_display_formats,
		 * _set_camera_formats). */
		.constraints = { 1u << DMABUF_PIXEL_RGB565_BE, panel ? ST7789_RAM_WIDTH : MAX_FRAME_SIDE,
				 panel ? ST7789_RAM_HEIGHT : MAX_FRAME_SIDE },
		.ops = &sim_ops,
		.driver = device,
	};
	return dmabuf_peripheral_register(&board->registry, &device->peripheral);
}

int sim_board_peripherals_create(struct sim_peripherals *peripherals, dmabuf_report_fn report, void *report_user,
				 uint64_t scene_seed, struct sim_board_peripherals **out)
{
	if (!peripherals || !out)
		return DMABUF_EINVAL;
	struct sim_board_peripherals *board = calloc(1, sizeof(*board));
	if (!board)
		return DMABUF_ENOMEM;
	board->peripherals = peripherals;
	board->scene_seed = scene_seed;
	board->registry.report = report;
	board->registry.report_user = report_user;
	const struct board_row *row = row_of(sim_board(peripherals->soc)->name);
	if (row) {
		/* Three distinct names in an empty registry: cannot fail. */
		(void)add_device(board, &board->devices[0], "camera", row->camera, DMABUF_PERIPHERAL_CAMERA,
				 row->camera_rate);
		(void)add_device(board, &board->devices[1], "display", row->display, DMABUF_PERIPHERAL_DISPLAY,
				 row->display_rate);
		(void)add_device(board, &board->devices[2], "spi-panel", row->spi, DMABUF_PERIPHERAL_SPI_PANEL,
				 row->spi_rate);
	}
	dmabuf_fence_pool_set_wait_hook(peripherals->fences, wait_hook, board);
	*out = board;
	return 0;
}

void sim_board_peripherals_destroy(struct sim_board_peripherals *board, bool unhook)
{
	if (!board)
		return;
	if (unhook)
		dmabuf_fence_pool_set_wait_hook(board->peripherals->fences, NULL, NULL);
	free(board);
}

struct dmabuf_peripheral_registry *sim_board_peripherals_registry(struct sim_board_peripherals *board)
{
	return &board->registry;
}

void sim_board_peripherals_set_scene(struct sim_board_peripherals *board, uint64_t seed)
{
	board->scene_seed = seed;
}

/* The formats of the board's peripheral @name of @kind; @function names the caller in messages. */
static int set_formats(struct sim_board_peripherals *board, const char *name, uint32_t kind, uint32_t formats,
		       const char *function)
{
	const uint32_t rgb565 = (1u << DMABUF_PIXEL_RGB565_BE) | (1u << DMABUF_PIXEL_RGB565_LE);
	struct dmabuf_peripheral *peripheral = dmabuf_peripheral_find(&board->registry, name, kind);
	if (!peripheral || !formats || (formats & ~rgb565)) {
		sim_report("%s: needs a board with a %s and RGB565 formats only", function, name);
		return DMABUF_EINVAL;
	}
	if (peripheral->configured) {
		sim_report("%s: the %s is configured already", function, name);
		return DMABUF_EBUSY;
	}
	peripheral->constraints.formats = formats;
	return 0;
}

int sim_board_peripherals_set_display_formats(struct sim_board_peripherals *board, uint32_t formats)
{
	return set_formats(board, "display", DMABUF_PERIPHERAL_DISPLAY, formats, __func__);
}

int sim_board_peripherals_set_camera_formats(struct sim_board_peripherals *board, uint32_t formats)
{
	return set_formats(board, "camera", DMABUF_PERIPHERAL_CAMERA, formats, __func__);
}

int sim_board_peripherals_set_camera_size(struct sim_board_peripherals *board, uint32_t width, uint32_t height)
{
	struct dmabuf_peripheral *camera = dmabuf_peripheral_find(&board->registry, "camera", DMABUF_PERIPHERAL_CAMERA);
	if (!camera || width == 0 || height == 0 || width > MAX_FRAME_SIDE || height > MAX_FRAME_SIDE) {
		sim_report("sim_board_peripherals_set_camera_size: needs a board with a camera and a size the models serve");
		return DMABUF_EINVAL;
	}
	if (camera->configured) {
		sim_report("sim_board_peripherals_set_camera_size: the camera is configured already");
		return DMABUF_EBUSY;
	}
	camera->constraints.max_width = width;
	camera->constraints.max_height = height;
	camera->fixed_size = true;
	return 0;
}

/* The sim_device behind @peripheral if it is a configured one of @kind. */
static const struct sim_device *configured(const struct dmabuf_peripheral *peripheral, uint32_t kind)
{
	if (!peripheral || peripheral->kind != kind || !peripheral->configured || peripheral->ops != &sim_ops)
		return NULL;
	return peripheral->driver;
}

const struct sim_display *sim_peripheral_display(const struct dmabuf_peripheral *peripheral)
{
	const struct sim_device *device = configured(peripheral, DMABUF_PERIPHERAL_DISPLAY);
	return device ? device->display : NULL;
}

const struct sim_spi_panel *sim_peripheral_spi_panel(const struct dmabuf_peripheral *peripheral)
{
	const struct sim_device *device = configured(peripheral, DMABUF_PERIPHERAL_SPI_PANEL);
	return device ? device->panel : NULL;
}

const struct sim_camera *sim_peripheral_camera(const struct dmabuf_peripheral *peripheral)
{
	const struct sim_device *device = configured(peripheral, DMABUF_PERIPHERAL_CAMERA);
	return device ? device->camera : NULL;
}
