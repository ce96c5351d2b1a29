/*
 * Hand a DmaBuf buffer to an esp_lcd panel (ESP-IDF esp_lcd component).
 *
 * esp_lcd_panel_draw_bitmap(panel, x0, y0, x1, y1, color_data) on a panel
 * behind a panel IO (SPI, i80, parallel IO) queues color_data for the IO's
 * DMA without copying it -- which is only safe because DmaBuf storage is
 * DMA-capable (ESP-IDF's SPI master would otherwise bounce-copy every frame)
 * and because the map(TO_DEVICE) before it wrote the CPU's lines back. The
 * IO calls on_color_trans_done from its ISR when the last byte has gone out:
 * that is where the job's fence signals, and only after that may the buffer
 * be unmapped or written again.
 *
 * Panels that own their frame buffers (RGB, MIPI-DSI DPI) copy color_data
 * into them inside draw_bitmap; the hand-over still works (the fence then
 * signals when the copy is done) but is not zero-copy -- that is the
 * driver's design, not something a caller can change.
 *
 * Registering takes over the IO's on_color_trans_done: a panel used through
 * this adapter must not also be driven by something else that relies on it
 * (LVGL's port, for instance).
 *
 * Written against ESP-IDF >= 5.0; NOT COMPILED ON CI (compiled by hand for
 * esp32p4 against v5.5.4: docs/FIRMWARE-BUILDS.md). Needs the esp_lcd
 * component in the firmware (see the nf-interpreter README section).
 */
#ifndef DMABUF_ESP_LCD_HANDOVER_H
#define DMABUF_ESP_LCD_HANDOVER_H

#include <stdint.h>

#include "esp_lcd_panel_io.h"
#include "esp_lcd_panel_ops.h"

#include "../adapter_report.h"
#include "dmabuf/fence.h"

struct dmabuf_esp_lcd {
	/* Set by the caller. */
	esp_lcd_panel_handle_t panel;
	esp_lcd_panel_io_handle_t io; /* the panel's IO: its completion ends the job */
	uint32_t bytes_per_pixel;     /* of the panel's color format, 1..4 */
	struct dmabuf_fence_pool *fences;
	struct dmabuf_adapter_report report;

	/* Private: the fence of the draw in flight (0 = none), touched by the ISR. */
	volatile dmabuf_fence_t in_flight;
};

/* Register the completion callback on the panel IO. Thread context.
 * @retval 0; -EINVAL; -EIO ESP-IDF refused. */
int dmabuf_esp_lcd_init(struct dmabuf_esp_lcd *lcd);

/*
 * Draw the window [x0, x1) x [y0, y1) from the buffer of @m (mapped
 * TO_DEVICE for the panel's device); @done signals when the panel IO has
 * sent it. One draw at a time. Thread context.
 * @retval 0; -EINVAL bad window or mapping (not TO_DEVICE, smaller than the
 *         window); -EBUSY a draw is in flight; -EBADF @done; -EIO
 *         draw_bitmap failed (nothing in flight then).
 */
int dmabuf_esp_lcd_draw(struct dmabuf_esp_lcd *lcd, const struct dmabuf_mapping *m, int x0, int y0,
			int x1, int y1, dmabuf_fence_t done);

#endif /* DMABUF_ESP_LCD_HANDOVER_H */
