/*
 * ST7789 / ILI9341 over esp_lcd's SPI panel IO, behind the peripheral
 * contract (esp_spi_panel.h). The front (core/peripheral.c) has checked the
 * window against GRAM and the rows against the mapping.
 */
#include "esp_spi_panel.h"

#include <stdbool.h>
#include <stddef.h>

#include "esp_attr.h"

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

#define ST7789_CASET 0x2A
#define ST7789_RASET 0x2B
#define ST7789_RAMWR 0x2C
/* esp_lcd_panel_io_tx_color without a command phase: the data continues
 * the memory write RAMWR opened, though chip select rises between the
 * transfers (only a command ends it). ESP-IDF v5.5's own SPI LCD test
 * (components/esp_lcd/test_apps/spi_lcd, an ST7789) streams a window so.
 * RAMWRC (0x3C) instead would cost a command per row, and tx_color with a
 * command first waits for every queued row: the crop would go synchronously. */
#define ESP_LCD_NO_COMMAND (-1)

#define ESP_SPI_PANEL_OF(peripheral) ((struct esp_spi_panel *)(void *)(peripheral))

/* SPI interrupt (the SPI master's post-transaction callback): one tx_color
 * is out. */
static bool IRAM_ATTR on_transfer_done(esp_lcd_panel_io_handle_t io, esp_lcd_panel_io_event_data_t *event, void *user)
{
	(void)io;
	(void)event;
	struct esp_spi_panel *panel = user;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	bool last = panel->transfers_left > 0u && --panel->transfers_left == 0u;
	int error = panel->error;
	dmabuf_irq_unlock(key);
	if (last)
		dmabuf_peripheral_job_end(&panel->job, error);
	return false;
}

/* A column or row address command: first and last, 16 bits each, high byte first. */
static bool address_window(struct esp_spi_panel *panel, int command, uint32_t first, uint32_t count)
{
	uint32_t last = first + count - 1u;
	const uint8_t parameters[4] = { (uint8_t)(first >> 8), (uint8_t)first, (uint8_t)(last >> 8), (uint8_t)last };
	return esp_lcd_panel_io_tx_param(panel->io, command, parameters, sizeof(parameters)) == ESP_OK;
}

/* Nothing was queued: the write did not happen. */
static int refuse_start(struct esp_spi_panel *panel, dmabuf_fence_t fence, const char *message)
{
	(void)message; /* release builds drop the messages (adapter_report.h) */
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	panel->transfers_left = 0;
	dmabuf_irq_unlock(key);
	return dmabuf_peripheral_job_cancel(&panel->job, fence, ADAPTER_FAIL(&panel->report, DMABUF_EIO, message));
}

/* Some rows are queued and the DMA reads them: the fence stays the caller's
 * and signals -EIO once those are out (now, if they already are). */
static void refuse_rest(struct esp_spi_panel *panel, uint32_t unsent)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	panel->error = DMABUF_EIO;
	panel->transfers_left -= unsent;
	bool last = panel->transfers_left == 0u;
	dmabuf_irq_unlock(key);
	(void)ADAPTER_FAIL(&panel->report, DMABUF_EIO, "esp spi panel: ESP-IDF refused a row; the write ends with -EIO");
	if (last)
		dmabuf_peripheral_job_end(&panel->job, DMABUF_EIO);
}

static int panel_write_rect(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
			    uint32_t offset, uint32_t stride, const struct dmabuf_rect *window, dmabuf_fence_t *done)
{
	struct esp_spi_panel *panel = ESP_SPI_PANEL_OF(peripheral);
	uint32_t row = window->width * dmabuf_pixel_bytes(peripheral->format.format);
	/* Rows that follow each other in the frame go as one transfer. */
	bool whole = stride == row;
	uint32_t transfers = whole ? 1u : window->height;
	uint32_t bytes = whole ? row * window->height : row;
	dmabuf_addr_t first = mapping->dma_addr + offset;
	if ((first | bytes | (whole ? 0u : stride)) & (panel->tx_align - 1u))
		return ADAPTER_FAIL(&panel->report, DMABUF_EINVAL,
				    "esp spi panel: rows must start and end on the SPI DMA's alignment (ESP-IDF would copy them)");

	int err = dmabuf_peripheral_job_begin(&panel->job, done);
	if (err)
		return err;
	/* Set before anything is queued, so the ISR counts every transfer. */
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	panel->transfers_left = transfers;
	panel->error = 0;
	dmabuf_irq_unlock(key);

	if (!address_window(panel, ST7789_CASET, window->x, window->width) ||
	    !address_window(panel, ST7789_RASET, window->y, window->height))
		return refuse_start(panel, *done, "esp spi panel: ESP-IDF refused CASET / RASET");
	/* On these chips the CPU and the DMA use the same address for internal SRAM. */
	const uint8_t *pixels = (const uint8_t *)(uintptr_t)first;
	for (uint32_t r = 0; r < transfers; r++) {
		int command = r == 0u ? ST7789_RAMWR : ESP_LCD_NO_COMMAND;
		if (esp_lcd_panel_io_tx_color(panel->io, command, pixels + (size_t)r * stride, bytes) != ESP_OK) {
			if (r == 0u)
				return refuse_start(panel, *done, "esp spi panel: ESP-IDF refused the pixels");
			refuse_rest(panel, transfers - r);
			break;
		}
	}
	return 0;
}

static const struct dmabuf_peripheral_ops panel_ops = {
	.configure = dmabuf_peripheral_job_configure,
	.write_rect = panel_write_rect,
	.completion = dmabuf_peripheral_job_completion,
};

void esp_spi_panel_init(struct esp_spi_panel *panel, const char *name, const char *dma_master, uint32_t ram_width,
			uint32_t ram_height)
{
	panel->peripheral = (struct dmabuf_peripheral){
		.name = name,
		.device = dma_master,
		.kind = DMABUF_PERIPHERAL_SPI_PANEL,
		.constraints = { 1u << DMABUF_PIXEL_RGB565_BE, ram_width, ram_height },
		.ops = &panel_ops,
		.driver = &panel->job,
	};
}

void esp_spi_panel_bind(struct esp_spi_panel *panel, struct dmabuf_fence_pool *fences)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	panel->transfers_left = 0;
	panel->error = 0;
	dmabuf_irq_unlock(key);
	dmabuf_peripheral_job_bind(&panel->job, fences);
}

int esp_spi_panel_start(struct esp_spi_panel *panel)
{
	if (!panel->io || !panel->tx_align || (panel->tx_align & (panel->tx_align - 1u)))
		return ADAPTER_FAIL(&panel->report, DMABUF_EINVAL, "esp spi panel: no io, or tx_align not a power of two");
	const esp_lcd_panel_io_callbacks_t callbacks = { .on_color_trans_done = on_transfer_done };
	if (esp_lcd_panel_io_register_event_callbacks(panel->io, &callbacks, panel) != ESP_OK)
		return ADAPTER_FAIL(&panel->report, DMABUF_EIO, "esp spi panel: ESP-IDF refused the IO callback");
	return 0;
}
