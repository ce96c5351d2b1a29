/*
 * esp_lcd panel hand-over (ESP-IDF). Not compiled on CI.
 */
#include "esp_lcd_handover.h"

#include "esp_attr.h"

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

/* Panel IO ISR: the color data of the last draw is out. */
static bool IRAM_ATTR on_color_done(esp_lcd_panel_io_handle_t io, esp_lcd_panel_io_event_data_t *event,
				    void *user)
{
	(void)io;
	(void)event;
	struct dmabuf_esp_lcd *lcd = user;
	/* The lock (a spinlock across both cores on FreeRTOS SMP) orders this
	 * against a failing draw clearing the same field. */
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	dmabuf_fence_t fence = lcd->in_flight;
	lcd->in_flight = 0;
	dmabuf_irq_unlock(key);
	if (fence) {
		dmabuf_fence_signal(lcd->fences, fence);
		dmabuf_fence_put(lcd->fences, fence); /* paired with the get in draw */
	}
	return false;
}

int dmabuf_esp_lcd_init(struct dmabuf_esp_lcd *lcd)
{
	if (!lcd || !lcd->panel || !lcd->io || !lcd->fences || !lcd->bytes_per_pixel || lcd->bytes_per_pixel > 4)
		return DMABUF_EINVAL;
	lcd->in_flight = 0;
	const esp_lcd_panel_io_callbacks_t cbs = { .on_color_trans_done = on_color_done };
	if (esp_lcd_panel_io_register_event_callbacks(lcd->io, &cbs, lcd) != ESP_OK)
		return ADAPTER_FAIL(&lcd->report, DMABUF_EIO, "esp lcd: ESP-IDF refused the IO callback");
	return 0;
}

int dmabuf_esp_lcd_draw(struct dmabuf_esp_lcd *lcd, const struct dmabuf_mapping *m, int x0, int y0,
			int x1, int y1, dmabuf_fence_t done)
{
	if (!lcd || !lcd->panel)
		return DMABUF_EINVAL;
	const struct dmabuf_adapter_report *report = &lcd->report;
	if (x0 < 0 || y0 < 0 || x1 <= x0 || y1 <= y0)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "esp lcd: empty or negative window");
	if (!m || !(m->direction & DMABUF_TO_DEVICE))
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "esp lcd: the mapping must be TO_DEVICE (the panel reads)");
	uint64_t bytes = (uint64_t)(x1 - x0) * (uint64_t)(y1 - y0) * lcd->bytes_per_pixel;
	if (bytes > m->length)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "esp lcd: the window needs more bytes than the buffer has");
	if (lcd->in_flight)
		return ADAPTER_FAIL(report, DMABUF_EBUSY, "esp lcd: a draw is in flight");
	int err = dmabuf_fence_get(lcd->fences, done); /* paired with the put in on_color_done */
	if (err)
		return err;
	/* Published before the IO can complete, so the ISR finds it. */
	lcd->in_flight = done;
	/* On these chips the CPU and the DMA use the same address for
	 * internal SRAM and (mapped) PSRAM. */
	if (esp_lcd_panel_draw_bitmap(lcd->panel, x0, y0, x1, y1, (const void *)(uintptr_t)m->dma_addr) != ESP_OK) {
		dmabuf_irq_key_t key = dmabuf_irq_lock();
		bool mine = lcd->in_flight == done;
		lcd->in_flight = 0;
		dmabuf_irq_unlock(key);
		if (mine)
			dmabuf_fence_put(lcd->fences, done);
		return ADAPTER_FAIL(report, DMABUF_EIO, "esp lcd: esp_lcd_panel_draw_bitmap failed");
	}
	return 0;
}
