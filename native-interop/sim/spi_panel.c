/*
 * The SPI panel model: an ST7789-like controller whose GRAM receives a window
 * of pixels streamed by the SPI's DMA, row jobs chained the way a driver
 * re-arms the stream when the rows are not contiguous (peripherals.h).
 */
#include <stdlib.h>
#include <string.h>

#include "peripherals_internal.h"

struct sim_spi_panel {
	struct sim_peripheral link; /* first: freed by sim_peripherals_destroy */
	struct sim_peripherals *peripherals;
	struct sim_spi_panel_config config;
	uint8_t *ram;
	struct sim_dma_engine *engine;
	uint32_t accepted;          /* seqno of the next transfer's fence */
	/* The running transfer. */
	struct sim_request *active;
	struct sim_spi_window window;
	uint32_t offset;            /* of the window's first row in the mapping */
	uint32_t stride;
	bool contiguous;            /* all rows in one DMA job */
	uint32_t rows_sent;         /* row jobs completed (row by row) */
	uint32_t received;          /* pixel bytes received in this transfer */
	uint32_t writes;            /* pixel writes accepted: their sequence numbers */
	/* The controller's state (sim_spi_panel_command). */
	bool awake;
	bool display_on;
	uint8_t colmod;
	uint8_t madctl;
	struct sim_spi_panel_stats stats;
};

/* ST7789 commands and values (Sitronix ST7789V datasheet, "System Function Command Table 1"). */
#define ST7789_SWRESET 0x01u
#define ST7789_SLPIN 0x10u
#define ST7789_SLPOUT 0x11u
#define ST7789_DISPOFF 0x28u
#define ST7789_DISPON 0x29u
#define ST7789_CASET 0x2Au
#define ST7789_RASET 0x2Bu
#define ST7789_MADCTL 0x36u
#define ST7789_COLMOD 0x3Au
#define ST7789_COLMOD_POWER_ON 0x66u /* 18 bits per pixel */
#define ST7789_COLMOD_16_BITS 0x55u
#define ST7789_MADCTL_MV 0x20u       /* rows and columns exchanged: landscape */

/* RAMWR: bytes fill the window row by row, wherever segments split them. */
static void receive(void *user, uint32_t offset, const uint8_t *data, uint32_t length)
{
	struct sim_spi_panel *panel = user;
	const struct sim_spi_window *w = &panel->window;
	uint32_t row_bytes = w->width * SIM_PIXEL_BYTES;
	(void)offset; /* segments arrive in order: the stream position is enough */
	while (length) {
		uint32_t row = panel->received / row_bytes, in_row = panel->received % row_bytes;
		uint32_t run = row_bytes - in_row < length ? row_bytes - in_row : length;
		size_t at = ((size_t)(w->y + row) * panel->config.ram_width + w->x) * SIM_PIXEL_BYTES + in_row;
		memcpy(panel->ram + at, data, run);
		panel->received += run;
		data += run;
		length -= run;
	}
}

static void job_done(void *user);

/* Start the DMA job of row @row (row by row) or of the whole window. */
static int submit(struct sim_spi_panel *panel, uint32_t row)
{
	uint32_t row_bytes = panel->window.width * SIM_PIXEL_BYTES;
	uint32_t length = panel->contiguous ? row_bytes * panel->window.height : row_bytes;
	struct sim_dma_job job = {
		.direction = SIM_DMA_READ_BUS,
		.mapping = dmabuf_mapping_range(&panel->active->mapping, panel->offset + row * panel->stride,
					     length),
		.sink = receive,
		.complete = job_done,
		.user = panel,
	};
	panel->stats.dma_jobs++;
	return sim_dma_submit(panel->engine, &job);
}

static void finish(struct sim_spi_panel *panel, int error)
{
	struct sim_request *request = panel->active;
	panel->active = NULL;
	panel->stats.transfers += error ? 0u : 1u;
	panel->stats.bytes += panel->received;
	if (!error) {
		const struct sim_spi_panel_config *c = &panel->config;
		size_t stride = (size_t)c->ram_width * SIM_PIXEL_BYTES;
		sim_picture_write(panel->peripherals, "spi-panel", request->sequence, c->glass_width, c->glass_height,
				  panel->ram + c->glass_y * stride + (size_t)c->glass_x * SIM_PIXEL_BYTES, stride);
	}
	sim_request_complete(panel->peripherals, request, error);
}

/* The transfer-complete interrupt: re-arm for the next row, or finish. */
static void job_done(void *user)
{
	struct sim_spi_panel *panel = user;
	if (!panel->contiguous && ++panel->rows_sent < panel->window.height) {
		if (submit(panel, panel->rows_sent) != 0)
			finish(panel, DMABUF_EIO); /* rows were checked at write time */
		return;
	}
	finish(panel, 0);
}

/* The power-on (and SWRESET) state: asleep, display off, 18-bit pixels, portrait. */
static void controller_reset(struct sim_spi_panel *panel)
{
	panel->awake = false;
	panel->display_on = false;
	panel->colmod = ST7789_COLMOD_POWER_ON;
	panel->madctl = 0;
}

/* Why the controller would not show a RGB565 landscape write, or NULL. */
static const char *not_ready(const struct sim_spi_panel *panel)
{
	if (!panel->awake)
		return "asleep (no SLPOUT since reset)";
	if (!panel->display_on)
		return "blank (no DISPON since reset)";
	if (panel->colmod != ST7789_COLMOD_16_BITS)
		return "not set to 16-bit pixels (COLMOD 0x55)";
	if (!(panel->madctl & ST7789_MADCTL_MV))
		return "in portrait (MADCTL without MV): its GRAM is not the landscape one written";
	return NULL;
}

static void panel_free(struct sim_peripheral *device)
{
	struct sim_spi_panel *panel = sim_container_of(device, struct sim_spi_panel, link);
	free(panel->ram);
	free(panel);
}

int sim_spi_panel_create(struct sim_peripherals *peripherals, const struct sim_spi_panel_config *config,
			 struct sim_spi_panel **out)
{
	if (!peripherals || !config || !out || config->ram_width == 0 || config->ram_height == 0 ||
	    config->glass_width == 0 || config->glass_height == 0 || config->bytes_per_us == 0 ||
	    (uint64_t)config->glass_x + config->glass_width > config->ram_width ||
	    (uint64_t)config->glass_y + config->glass_height > config->ram_height ||
	    (uint64_t)config->ram_width * config->ram_height * SIM_PIXEL_BYTES > UINT32_MAX) {
		sim_report("sim_spi_panel_create: needs peripherals, GRAM of 1 pixel to 4 GiB, a glass inside it and a rate");
		return DMABUF_EINVAL;
	}
	struct sim_spi_panel *panel = calloc(1, sizeof(*panel));
	if (!panel)
		return DMABUF_ENOMEM;
	panel->ram = calloc(1, (size_t)config->ram_width * config->ram_height * SIM_PIXEL_BYTES);
	int err = panel->ram ? sim_dma_engine_create(peripherals->soc, config->bytes_per_us, false,
						     &panel->engine)
			     : DMABUF_ENOMEM;
	if (err) {
		free(panel->ram);
		free(panel);
		return err;
	}
	panel->peripherals = peripherals;
	panel->config = *config;
	controller_reset(panel);
	if (!config->starts_asleep) {
		panel->awake = panel->display_on = true;
		panel->colmod = ST7789_COLMOD_16_BITS;
		panel->madctl = ST7789_MADCTL_MV;
	}
	sim_peripheral_add(peripherals, &panel->link, panel_free);
	*out = panel;
	return 0;
}

int sim_spi_panel_command(struct sim_spi_panel *panel, uint32_t command, const uint8_t *parameters,
			  uint32_t count, struct sim_request *request)
{
	if (!panel || (count && !parameters) || !request) {
		sim_report("sim_spi_panel_command: needs a panel, the parameters and a request");
		return DMABUF_EINVAL;
	}
	uint32_t needs = command == ST7789_COLMOD || command == ST7789_MADCTL ? 1u
			 : command == ST7789_CASET || command == ST7789_RASET ? 4u : 0u;
	if (count < needs) {
		sim_report("sim_spi_panel_command: command 0x%02x takes %u parameter bytes, got %u", command, needs, count);
		return DMABUF_EINVAL;
	}
	if (panel->active) {
		sim_report("sim_spi_panel_command: a transfer is running");
		return DMABUF_EBUSY;
	}
	int err = sim_request_accept(panel->peripherals, panel->link.timeline, panel->accepted, request);
	if (err)
		return err;
	panel->accepted++;
	request->sequence = panel->writes;
	switch (command) {
	case ST7789_SWRESET: controller_reset(panel); break;
	case ST7789_SLPIN: panel->awake = false; break;
	case ST7789_SLPOUT: panel->awake = true; break;
	case ST7789_DISPOFF: panel->display_on = false; break;
	case ST7789_DISPON: panel->display_on = true; break;
	case ST7789_COLMOD: panel->colmod = parameters[0]; break;
	case ST7789_MADCTL: panel->madctl = parameters[0]; break;
	default: break; /* INVON, NORON, CASET, RASET and the rest change nothing the model shows */
	}
	sim_request_start(panel->peripherals, request);
	sim_request_complete(panel->peripherals, request, 0);
	return 0;
}

/* The checks of a write that do not depend on the panel being idle. */
static int check_write(const struct sim_spi_panel *panel, const struct dmabuf_mapping *mapping,
		       uint32_t offset, uint32_t stride, const struct sim_spi_window *w)
{
	if (!sim_mapping_device_reads(mapping)) {
		sim_report("sim_spi_panel_write: the SPI reads: map TO_DEVICE or BIDIRECTIONAL");
		return DMABUF_EINVAL;
	}
	if (w->width == 0 || w->height == 0 || (uint64_t)w->x + w->width > panel->config.ram_width ||
	    (uint64_t)w->y + w->height > panel->config.ram_height) {
		sim_report("sim_spi_panel_write: window %ux%u at (%u, %u) is empty or outside the %ux%u GRAM",
			   w->width, w->height, w->x, w->y, panel->config.ram_width, panel->config.ram_height);
		return DMABUF_EINVAL;
	}
	uint32_t row_bytes = w->width * SIM_PIXEL_BYTES;
	uint64_t end = (uint64_t)offset + (uint64_t)(w->height - 1u) * stride + row_bytes;
	if (stride < row_bytes || end > mapping->length) {
		sim_report("sim_spi_panel_write: rows of %u bytes every %u from %u run past the %u-byte mapping",
			   row_bytes, stride, offset, mapping->length);
		return DMABUF_EINVAL;
	}
	if (!sim_bus(panel->peripherals->soc, mapping->dma_addr + offset, (uint32_t)(end - offset))) {
		sim_report("sim_spi_panel_write: the rows are not in bus memory");
		return DMABUF_EINVAL;
	}
	return 0;
}

int sim_spi_panel_write(struct sim_spi_panel *panel, const struct dmabuf_mapping *mapping,
			uint32_t offset, uint32_t stride, const struct sim_spi_window *window,
			struct sim_request *request)
{
	if (!panel || !mapping || !window || !request) {
		sim_report("sim_spi_panel_write: needs a panel, a mapping, a window and a request");
		return DMABUF_EINVAL;
	}
	int err = check_write(panel, mapping, offset, stride, window);
	if (err)
		return err;
	const char *why = not_ready(panel);
	if (why) {
		sim_report("sim_spi_panel_write: the controller is %s: initialise it first", why);
		return DMABUF_EPERM;
	}
	if (panel->active) {
		sim_report("sim_spi_panel_write: a transfer is running");
		return DMABUF_EBUSY;
	}
	err = sim_request_accept(panel->peripherals, panel->link.timeline, panel->accepted, request);
	if (err)
		return err;
	panel->accepted++;
	request->sequence = panel->writes++;
	request->mapping = *mapping;
	panel->active = request;
	panel->window = *window;
	panel->offset = offset;
	panel->stride = stride;
	panel->contiguous = stride == window->width * SIM_PIXEL_BYTES || window->height == 1;
	panel->rows_sent = 0;
	panel->received = 0;
	sim_request_start(panel->peripherals, request);
	if (submit(panel, 0) != 0)
		finish(panel, DMABUF_EIO); /* cannot happen: checked above, engine idle */
	return 0;
}

int sim_spi_panel_read_glass(const struct sim_spi_panel *panel, uint8_t *out, uint32_t length)
{
	const struct sim_spi_panel_config *c = &panel->config;
	size_t row_bytes = (size_t)c->glass_width * SIM_PIXEL_BYTES;
	if (length != row_bytes * c->glass_height) {
		sim_report("sim_spi_panel_read_glass: the glass shows %zu bytes, not %u",
			   row_bytes * c->glass_height, length);
		return DMABUF_EINVAL;
	}
	for (uint32_t row = 0; row < c->glass_height; row++)
		memcpy(out + row * row_bytes,
		       panel->ram + ((size_t)(c->glass_y + row) * c->ram_width + c->glass_x) * SIM_PIXEL_BYTES,
		       row_bytes);
	return 0;
}

void sim_spi_panel_stats(const struct sim_spi_panel *panel, struct sim_spi_panel_stats *out)
{
	*out = panel->stats;
}
