/*
 * An ST7789 / ILI9341 SPI panel behind the peripheral contract
 * (dmabuf/peripheral.h), through ESP-IDF's esp_lcd SPI panel IO
 * (esp_lcd_new_panel_io_spi), so that the managed SpiPanel drives it.
 *
 * A write is CASET and RASET by esp_lcd_panel_io_tx_param, then the
 * window's pixels by esp_lcd_panel_io_tx_color straight from the mapped
 * frame: RAMWR with all rows at once when they follow each other in the
 * frame, or a crop of a wider frame row by row (RAMWR with the first, the
 * next ones without a command, which continues the memory write). The IO
 * calls on_color_trans_done from the SPI interrupt once per tx_color; the
 * last one signals the write's fence. No byte is copied: ESP-IDF's SPI
 * master sends DMA-capable memory in place when the address and the length
 * are multiples of its DMA channel's alignment -- otherwise it copies the
 * bytes into a buffer of its own, so such rows are refused here (-EINVAL)
 * instead of copied behind the caller's back.
 *
 * The costs a caller should know: tx_color queues into the IO's
 * transaction queue (trans_queue_depth) and blocks the calling thread
 * while that queue is full, so a crop taller than the queue holds the
 * nanoCLR thread until its last rows are queued (each row a DMA
 * transfer). The IO's on_color_trans_done is taken over: the IO must not
 * be shared with another user of that callback (LVGL's port, say).
 *
 * Board side: create the SPI bus (spi_bus_initialize with a DMA channel)
 * and the panel IO (8-bit commands and parameters, the D/C GPIO), send the
 * panel's init sequence (SWRESET, SLPOUT, COLMOD 0x55, MADCTL, DISPON),
 * fill in io and tx_align, bind the firmware's fence pool
 * (esp_spi_panel_bind), esp_spi_panel_start, register.
 *
 * Written against ESP-IDF v5.5 (esp_lcd); tested on the host against our
 * own declarations of the calls it makes (tests/native/host); compiled for
 * esp32p4 against ESP-IDF v5.5.4 outside CI (docs/FIRMWARE-BUILDS.md).
 */
#ifndef DMABUF_ESP_SPI_PANEL_H
#define DMABUF_ESP_SPI_PANEL_H

#include <stdint.h>

#include "esp_lcd_panel_io.h"

#include "../adapter_report.h"
#include "../peripheral_job.h"

struct esp_spi_panel {
	struct dmabuf_peripheral peripheral; /* first: the ops find the panel from it */
	/* Set by the board. */
	esp_lcd_panel_io_handle_t io;
	uint32_t tx_align; /* the SPI DMA channel's TX alignment (gdma_get_alignment_constraints), a power of two */
	struct dmabuf_adapter_report report;
	struct dmabuf_peripheral_job job;
	/* Private; the IO's ISR writes them under dmabuf_irq_lock. */
	uint32_t transfers_left; /* tx_color calls of the running write not yet done */
	int error;               /* what its fence signals with once they are */
};

/*
 * Fill @panel->peripheral as @name over the board device @dma_master (the
 * SPI host's DMA master, "spi2" on the ESP32-P4): RGB565 high byte first
 * (COLMOD 0x55; bytes go on the wire in memory order), GRAM of
 * @ram_width x @ram_height.
 */
void esp_spi_panel_init(struct esp_spi_panel *panel, const char *name, const char *dma_master, uint32_t ram_width,
			uint32_t ram_height);

/* Take fences from @fences (at start-up, and after a soft reboot): a write
 * still running is forgotten. Thread context. */
void esp_spi_panel_bind(struct esp_spi_panel *panel, struct dmabuf_fence_pool *fences);

/* Take over the IO's on_color_trans_done. Thread context, once, before
 * the first write. @retval 0; -EINVAL no io, tx_align not a power of two;
 * -EIO ESP-IDF refused. */
int esp_spi_panel_start(struct esp_spi_panel *panel);

#endif /* DMABUF_ESP_SPI_PANEL_H */
