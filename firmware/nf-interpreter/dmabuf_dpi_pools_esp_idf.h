/*
 * An ESP32-P4 DPI panel's frame buffers lent to DmaBuf as dedicated pools
 * (dmabuf_runtime_board.h), so that the frames a program attaches to the
 * display are placed in them and every present is a page flip, not a copy
 * (esp_dpi_display.h).
 *
 * What the driver gives (ESP-IDF v5.5, esp_lcd/dsi/esp_lcd_panel_dpi.c):
 * num_fbs buffers of h_size x v_size x bits per pixel / 8 bytes, each from
 * heap_caps_calloc(MALLOC_CAP_SPIRAM | MALLOC_CAP_DMA), which starts and
 * sizes them on the cache line of DMA into PSRAM (esp_heap_adjust_alignment_to_hw:
 * the L2 line, 64 B unless the L2 cache is 512 KB), and writes them back
 * from the cache once. The driver itself writes into them again only when
 * told to draw memory that is none of them (its copy), which a display
 * confined to them never asks; it scans the one it last flipped to (at
 * start the first) until the next flip -- a frame there shows while it is
 * being drawn, and stays readable to the driver until the display's release
 * fence says otherwise.
 *
 * Each buffer becomes one pool of exactly its size, cached (PSRAM behind L1
 * and L2), on @line, owned by the device @display (it reaches nothing else)
 * and reachable by @camera too (NULL: by nothing else), so a camera can
 * capture straight into a frame the display then flips to.
 */
#ifndef DMABUF_DPI_POOLS_ESP_IDF_H
#define DMABUF_DPI_POOLS_ESP_IDF_H

#include <stdint.h>

#include "esp_lcd_mipi_dsi.h"

#include "../adapters/adapter_report.h"
#include "dmabuf_runtime_board.h"

/* The driver's frame buffers at most (esp_lcd_dpi_panel_config_t.num_fbs). */
#define DMABUF_ESP_DPI_MAX_POOLS 3u

/*
 * Fill @pools[0 .. @count) with the @count frame buffers of @panel, each
 * @frame_bytes long on @line (the platform's cache line over PSRAM), for
 * @board's devices named @display and @camera. Thread context, once the
 * panel exists and before the context is made from the pools.
 * @retval 0; -EINVAL @count 0 or above 3, a name not among @board's
 *         devices; -EIO ESP-IDF gave no frame buffers (@count above the
 *         panel's num_fbs).
 */
int dmabuf_esp_dpi_pools(esp_lcd_panel_handle_t panel, uint32_t count, uint32_t frame_bytes, uint32_t line,
			 const struct dmabuf_board *board, const char *display, const char *camera,
			 struct dmabuf_pool *pools, const struct dmabuf_adapter_report *report);

#endif /* DMABUF_DPI_POOLS_ESP_IDF_H */
