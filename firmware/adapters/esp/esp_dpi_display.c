/*
 * ESP32-P4 DPI panel behind the peripheral contract (esp_dpi_display.h).
 * The front (core/peripheral.c) has checked that the frame covers the
 * configured size and that the mapping is one the panel's master reads.
 */
#include "esp_dpi_display.h"

#include "esp_attr.h"

#include "dmabuf/cpu_copy.h"
#include "dmabuf/errors.h"
#include "dmabuf/os.h"
#include "dmabuf/pixel.h"

#define ESP_DPI_DISPLAY_OF(peripheral) ((struct esp_dpi_display *)(void *)(peripheral))

/* The copy of a present has read our frame: from the DMA2D interrupt, or
 * inside draw_bitmap (CPU copy, and a flip, which the driver reports too). */
static bool IRAM_ATTR on_copied(esp_lcd_panel_handle_t panel, esp_lcd_dpi_panel_event_data_t *event, void *user)
{
	(void)panel;
	(void)event;
	struct esp_dpi_display *display = user;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	bool release = display->copying;
	display->copying = false;
	dmabuf_irq_unlock(key);
	if (release)
		dmabuf_peripheral_job_end(&display->job, 0);
	return false;
}

/* A frame has gone out to the panel (vsync, or the DMA's end of frame). */
static bool IRAM_ATTR on_refreshed(esp_lcd_panel_handle_t panel, esp_lcd_dpi_panel_event_data_t *event, void *user)
{
	(void)panel;
	(void)event;
	struct esp_dpi_display *display = user;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	bool release = display->refreshes_left > 0u && --display->refreshes_left == 0u;
	dmabuf_irq_unlock(key);
	if (release)
		dmabuf_peripheral_job_end(&display->job, 0);
	return false;
}

/* The driver's frame buffer @frame lies in (the driver's own test), or NULL. */
static const uint8_t *frame_buffer_of(const struct esp_dpi_display *display, const void *frame)
{
	const struct dmabuf_peripheral *p = &display->peripheral;
	uint32_t bytes = p->constraints.max_width * p->constraints.max_height * dmabuf_pixel_bytes(p->format.format);
	for (uint32_t i = 0; i < ESP_DPI_FRAME_BUFFERS; i++) {
		const uint8_t *buffer = display->frame_buffer[i];
		if (buffer && (const uint8_t *)frame >= buffer && (const uint8_t *)frame < buffer + bytes)
			return buffer;
	}
	return NULL;
}

static int display_present(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
			   dmabuf_fence_t *released)
{
	struct esp_dpi_display *display = ESP_DPI_DISPLAY_OF(peripheral);
	const struct dmabuf_frame_format *format = &peripheral->format;
	/* On the ESP32-P4 the CPU and the DMA use the same address for L2MEM and mapped PSRAM. */
	const void *frame = (const void *)(uintptr_t)mapping->dma_addr;
	/* The driver flips to any buffer the bitmap starts inside and scans it
	 * whole: only a whole-panel frame at a buffer's start shows as itself. */
	const uint8_t *buffer = frame_buffer_of(display, frame);
	bool flip = buffer != NULL;
	if (flip && (frame != buffer || format->width != peripheral->constraints.max_width ||
		     format->height != peripheral->constraints.max_height))
		return ADAPTER_FAIL(&display->report, DMABUF_EDOM,
				    "esp dpi display: a frame in the driver's frame buffer must be the whole buffer (configure the panel's size)");
	int err = dmabuf_peripheral_job_begin(&display->job, released);
	if (err)
		return err;
	/* Armed before draw_bitmap: a CPU copy reports inside it. */
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	display->copying = !flip;
	display->refreshes_left = flip ? DPI_RELEASE_REFRESHES : 0u;
	dmabuf_irq_unlock(key);
	if (esp_lcd_panel_draw_bitmap(display->panel, 0, 0, (int)format->width, (int)format->height, frame) != ESP_OK) {
		key = dmabuf_irq_lock();
		display->copying = false;
		display->refreshes_left = 0;
		dmabuf_irq_unlock(key);
		return dmabuf_peripheral_job_cancel(&display->job, *released,
						    ADAPTER_FAIL(&display->report, DMABUF_EIO,
								 "esp dpi display: esp_lcd_panel_draw_bitmap failed"));
	}
	if (!flip && display->copy_counter)
		dmabuf_cpu_copy_count(display->copy_counter(), dmabuf_peripheral_frame_bytes(peripheral));
	return 0;
}

static const struct dmabuf_peripheral_ops display_ops = {
	.configure = dmabuf_peripheral_job_configure,
	.present = display_present,
	.completion = dmabuf_peripheral_job_completion,
};

void esp_dpi_display_init(struct esp_dpi_display *display, const char *name, const char *dma_master, uint32_t format,
			  uint32_t width, uint32_t height)
{
	display->peripheral = (struct dmabuf_peripheral){
		.name = name,
		.device = dma_master,
		.kind = DMABUF_PERIPHERAL_DISPLAY,
		.constraints = { 1u << format, width, height },
		.ops = &display_ops,
		.driver = &display->job,
	};
}

void esp_dpi_display_bind(struct esp_dpi_display *display, struct dmabuf_fence_pool *fences)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	display->copying = false;
	display->refreshes_left = 0;
	dmabuf_irq_unlock(key);
	dmabuf_peripheral_job_bind(&display->job, fences);
}

int esp_dpi_display_start(struct esp_dpi_display *display)
{
	uint32_t count = display->frame_buffers ? display->frame_buffers : 1u;
	if (!display->panel || count > ESP_DPI_FRAME_BUFFERS)
		return ADAPTER_FAIL(&display->report, DMABUF_EINVAL, "esp dpi display: no panel, or more than 3 frame buffers");
	/* The driver reads one pointer past the last it fills: hence the NULL. */
	void *buffers[ESP_DPI_FRAME_BUFFERS] = { NULL, NULL, NULL };
	if (esp_lcd_dpi_panel_get_frame_buffer(display->panel, count, &buffers[0], &buffers[1], &buffers[2], NULL) !=
	    ESP_OK)
		return ADAPTER_FAIL(&display->report, DMABUF_EIO,
				    "esp dpi display: ESP-IDF gave no frame buffers (frame_buffers above the panel's num_fbs?)");
	for (uint32_t i = 0; i < ESP_DPI_FRAME_BUFFERS; i++)
		display->frame_buffer[i] = i < count ? buffers[i] : NULL;
	const esp_lcd_dpi_panel_event_callbacks_t callbacks = { .on_color_trans_done = on_copied,
								 .on_refresh_done = on_refreshed };
	if (esp_lcd_dpi_panel_register_event_callbacks(display->panel, &callbacks, display) != ESP_OK)
		return ADAPTER_FAIL(&display->report, DMABUF_EIO, "esp dpi display: ESP-IDF refused the callbacks");
	return 0;
}
