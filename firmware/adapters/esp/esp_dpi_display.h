/*
 * An ESP32-P4 MIPI-DSI DPI panel behind the peripheral contract
 * (dmabuf/peripheral.h), through ESP-IDF's esp_lcd DPI panel
 * (esp_lcd_new_panel_dpi), so that the managed ScanoutDisplay drives it.
 *
 * A present is esp_lcd_panel_draw_bitmap of the whole frame. The DPI driver
 * scans out frame buffers of its own (num_fbs, 1 to 3, in PSRAM) and treats
 * a bitmap two ways:
 *  - the bitmap IS one of its frame buffers: a page flip. The driver writes
 *    the frame's lines back from the cache and scans that buffer from the
 *    next frame on, no copy. The frame it replaced is released after
 *    DPI_RELEASE_REFRESHES of its on_refresh_done interrupts (below why).
 *  - any other memory: the driver copies the bitmap into its current frame
 *    buffer (by the CPU inside draw_bitmap, or by DMA2D with
 *    flags.use_dma2d), and our frame is released when on_color_trans_done
 *    says the copy has read it. A CPU copy is counted (dmabuf_cpu_copy_count
 *    in the context copy_counter gives), so the demo's "bytes copied" shows
 *    it.
 * A DmaBuf frame is one of the driver's frame buffers only if the frame's
 * storage is that buffer: a firmware that lends them to DmaBuf as pools the
 * display alone owns (firmware/nf-interpreter/dmabuf_dpi_pools_esp_idf.h) has
 * every frame attached to the display placed in one, and every present
 * flips. A frame that starts inside a frame buffer but is not the whole
 * buffer is refused (-EDOM): the driver would flip to the buffer and scan
 * it whole, not draw the frame. Frames elsewhere (a firmware that lends
 * nothing) are copied -- into the buffer the driver shows, which must then
 * be no DmaBuf memory.
 *
 * Why two refreshes for a flip: on chips with the bridge's VSYNC interrupt
 * (MIPI_DSI_BRG_LL_EVENT_VSYNC) on_refresh_done follows the output, while
 * the DW-GDMA that reads the frame buffer restarts, with the frame buffer
 * chosen then, at its own end of frame; a flip between the two would see
 * one refresh while the old buffer is still being read. The second refresh
 * is after a whole frame read from the new buffer.
 *
 * The panel's on_color_trans_done and on_refresh_done are taken over.
 *
 * Board side: create the DSI bus, the DBI IO and the panel controller's
 * init, the DPI panel (esp_lcd_new_panel_dpi, esp_lcd_panel_init), then
 * fill in panel, frame_buffers and copy_counter, bind the firmware's fence
 * pool (esp_dpi_display_bind), esp_dpi_display_start, register.
 *
 * Written against ESP-IDF v5.5 (esp_lcd dsi); tested on the host against our
 * own declarations of the calls it makes (tests/native/host); compiled for
 * esp32p4 against ESP-IDF v5.5.4 outside CI (docs/FIRMWARE-BUILDS.md).
 */
#ifndef DMABUF_ESP_DPI_DISPLAY_H
#define DMABUF_ESP_DPI_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_lcd_mipi_dsi.h"
#include "esp_lcd_panel_ops.h"

#include "../adapter_report.h"
#include "../peripheral_job.h"

/* The driver's frame buffers at most (esp_lcd_dpi_panel_config_t.num_fbs). */
#define ESP_DPI_FRAME_BUFFERS 3u
/* on_refresh_done interrupts after a flip before the old frame is free. */
#define DPI_RELEASE_REFRESHES 2u

struct esp_dpi_display {
	struct dmabuf_peripheral peripheral; /* first: the ops find the display from it */
	/* Set by the board. */
	esp_lcd_panel_handle_t panel;
	uint32_t frame_buffers;         /* the panel's num_fbs (0 counts as 1, as for the driver) */
	/* The context the driver's CPU copies count in, asked at each present
	 * (the firmware's exists only once its init is done); NULL: the panel
	 * copies by DMA2D, not the CPU. */
	struct dmabuf_ctx *(*copy_counter)(void);
	struct dmabuf_adapter_report report;
	struct dmabuf_peripheral_job job;
	/* Private. */
	const void *frame_buffer[ESP_DPI_FRAME_BUFFERS];
	/* The running present, written under dmabuf_irq_lock (the ISRs read them). */
	bool copying;              /* a copy: on_color_trans_done releases */
	uint32_t refreshes_left;   /* a flip: on_refresh_done interrupts still to see */
};

/*
 * Fill @display->peripheral as @name over the board device @dma_master
 * ("mipi-dsi" on the ESP32-P4): frames of @format, the pixel format the
 * board created the DPI panel with (in_color_format: RGB565 is read as
 * halfwords, so DMABUF_PIXEL_RGB565_LE), a panel of @width x @height pixels.
 */
void esp_dpi_display_init(struct esp_dpi_display *display, const char *name, const char *dma_master, uint32_t format,
			  uint32_t width, uint32_t height);

/* Take fences from @fences (at start-up, and after a soft reboot): a
 * present still waiting is forgotten. Thread context. */
void esp_dpi_display_bind(struct esp_dpi_display *display, struct dmabuf_fence_pool *fences);

/* Read the driver's frame buffers and take over its two callbacks. Thread
 * context, once, before the first present. @retval 0; -EINVAL no panel, more
 * than 3 frame buffers; -EIO ESP-IDF refused. */
int esp_dpi_display_start(struct esp_dpi_display *display);

#endif /* DMABUF_ESP_DPI_DISPLAY_H */
