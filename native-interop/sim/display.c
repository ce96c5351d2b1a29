/*
 * The display model: at the first vsync after a present, one DMA scanout of
 * the presented frame into the panel's own memory (peripherals.h).
 */
#include <stdlib.h>
#include <string.h>

#include "peripherals_internal.h"

struct sim_display {
	struct sim_peripheral link; /* first: freed by sim_peripherals_destroy */
	struct sim_peripherals *peripherals;
	struct sim_display_config config;
	uint32_t frame_bytes;
	uint8_t *panel;
	struct sim_dma_engine *engine;
	uint32_t accepted;            /* seqno of the next presentation's fence */
	struct sim_request *waiting;  /* presented, waits for vsync */
	struct sim_request *scanning; /* being read into the panel */
	uint64_t next_vsync;          /* the first vsync number that has not passed */
	struct sim_event vsync;
	struct sim_display_stats stats;
};

static void scan_into_panel(void *user, uint32_t offset, const uint8_t *data, uint32_t length)
{
	struct sim_display *display = user;
	if (display->config.format != DMABUF_PIXEL_RGB565_LE) {
		memcpy(display->panel + offset, data, length);
		return;
	}
	/* Low byte first: byte i of the stream is the other half of its pixel
	 * in the panel, wherever the DMA segments split the pixels. */
	for (uint32_t i = 0; i < length; i++)
		display->panel[(offset + i) ^ 1u] = data[i];
}

static void scanout_done(void *user)
{
	struct sim_display *display = user;
	struct sim_request *request = display->scanning;
	display->scanning = NULL;
	sim_picture_write(display->peripherals, "display", (uint32_t)display->stats.scanouts, display->config.width,
			  display->config.height, display->panel, (size_t)display->config.width * SIM_PIXEL_BYTES);
	display->stats.scanouts++;
	sim_request_complete(display->peripherals, request, 0);
}

static void schedule_vsync(struct sim_display *display);

static void vsync(struct sim_event *event)
{
	struct sim_display *display = sim_container_of(event, struct sim_display, vsync);
	uint64_t number = event->when / display->config.refresh_period_ns;
	display->next_vsync = number + 1u;

	if (sim_dma_busy(display->engine)) {
		/* The previous scanout outlasted a refresh: the new frame
		 * waits for the next vsync, as a flip would. */
		display->stats.late_vsyncs++;
		schedule_vsync(display);
		return;
	}
	struct sim_request *request = display->waiting;
	display->waiting = NULL;
	display->scanning = request;
	request->sequence = (uint32_t)number;
	struct sim_dma_job job = {
		.direction = SIM_DMA_READ_BUS,
		.mapping = dmabuf_mapping_range(&request->mapping, 0, display->frame_bytes),
		.sink = scan_into_panel,
		.complete = scanout_done,
		.user = display,
	};
	sim_request_start(display->peripherals, request);
	int err = sim_dma_submit(display->engine, &job);
	if (err) {
		/* Checked at present time: the bus memory changed under it. */
		display->scanning = NULL;
		sim_request_complete(display->peripherals, request, DMABUF_EIO);
	}
}

static void schedule_vsync(struct sim_display *display)
{
	uint64_t period = display->config.refresh_period_ns;
	uint64_t tick = sim_next_tick(sim_now(display->peripherals->soc), period) / period;
	uint64_t number = tick > display->next_vsync ? tick : display->next_vsync;
	sim_event_schedule(display->peripherals, &display->vsync, number * period, vsync);
}

static void display_free(struct sim_peripheral *device)
{
	struct sim_display *display = sim_container_of(device, struct sim_display, link);
	free(display->panel);
	free(display);
}

int sim_display_create(struct sim_peripherals *peripherals, const struct sim_display_config *config,
		       struct sim_display **out)
{
	if (!peripherals || !config || !out || config->width == 0 || config->height == 0 ||
	    config->refresh_period_ns == 0 || config->bytes_per_us == 0 ||
	    (uint64_t)config->width * config->height * SIM_PIXEL_BYTES > UINT32_MAX) {
		sim_report("sim_display_create: needs peripherals, a panel of 1 pixel to 4 GiB, a period and a rate");
		return DMABUF_EINVAL;
	}
	struct sim_display *display = calloc(1, sizeof(*display));
	if (!display)
		return DMABUF_ENOMEM;
	display->frame_bytes = config->width * config->height * SIM_PIXEL_BYTES;
	display->panel = calloc(1, display->frame_bytes);
	int err = display->panel ? sim_dma_engine_create(peripherals->soc, config->bytes_per_us, false,
							 &display->engine)
				 : DMABUF_ENOMEM;
	if (err) {
		free(display->panel);
		free(display);
		return err;
	}
	display->peripherals = peripherals;
	display->config = *config;
	sim_peripheral_add(peripherals, &display->link, display_free);
	*out = display;
	return 0;
}

int sim_display_present(struct sim_display *display, const struct dmabuf_mapping *mapping,
			struct sim_request *request)
{
	if (!display || !mapping || !request) {
		sim_report("sim_display_present: needs a display, a mapping and a request");
		return DMABUF_EINVAL;
	}
	if (!sim_mapping_device_reads(mapping)) {
		sim_report("sim_display_present: the display reads: map TO_DEVICE or BIDIRECTIONAL");
		return DMABUF_EINVAL;
	}
	if (mapping->length < display->frame_bytes ||
	    !sim_bus(display->peripherals->soc, mapping->dma_addr, display->frame_bytes)) {
		sim_report("sim_display_present: mapping of %u bytes at 0x%08x does not hold a %u-byte frame in bus memory",
			   mapping->length, mapping->dma_addr, display->frame_bytes);
		return DMABUF_EINVAL;
	}
	if (display->waiting) {
		sim_report("sim_display_present: a frame already waits for vsync");
		return DMABUF_EBUSY;
	}
	int err = sim_request_accept(display->peripherals, display->link.timeline, display->accepted, request);
	if (err)
		return err;
	display->accepted++;
	request->mapping = *mapping;
	display->waiting = request;
	schedule_vsync(display);
	return 0;
}

int sim_display_read_panel(const struct sim_display *display, uint8_t *out, uint32_t length)
{
	if (length != display->frame_bytes) {
		sim_report("sim_display_read_panel: the panel holds %u bytes, not %u", display->frame_bytes, length);
		return DMABUF_EINVAL;
	}
	memcpy(out, display->panel, length);
	return 0;
}

void sim_display_stats(const struct sim_display *display, struct sim_display_stats *out)
{
	*out = display->stats;
}
