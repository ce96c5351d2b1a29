/*
 * A DPI panel's frame buffers as dedicated pools (dmabuf_dpi_pools_esp_idf.h).
 * Includes ESP-IDF's esp_lcd header (our fake on the host, tests/native/host),
 * so stage 55 skips it (*_esp_idf.c).
 */
#include "dmabuf_dpi_pools_esp_idf.h"

#include <string.h>

/* Bit of the board device @name; 0 for NULL, or a name not on @board. */
static uint32_t device_bit(const struct dmabuf_board *board, const char *name)
{
	for (uint32_t d = 0; name && d < board->device_count && d < 32u; d++)
		if (strcmp(board->devices[d].name, name) == 0)
			return 1u << d;
	return 0;
}

int dmabuf_esp_dpi_pools(esp_lcd_panel_handle_t panel, uint32_t count, uint32_t frame_bytes, uint32_t line,
			 const struct dmabuf_board *board, const char *display, const char *camera,
			 struct dmabuf_pool *pools, const struct dmabuf_adapter_report *report)
{
	uint32_t owner = device_bit(board, display);
	uint32_t camera_bit = device_bit(board, camera);
	if (!count || count > DMABUF_ESP_DPI_MAX_POOLS || !owner || (camera && !camera_bit))
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "esp dpi pools: 1 to 3 frame buffers, for devices the board has");
	/* The driver reads one pointer past the last it fills: hence the NULL. */
	void *buffers[DMABUF_ESP_DPI_MAX_POOLS] = { NULL, NULL, NULL };
	if (esp_lcd_dpi_panel_get_frame_buffer(panel, count, &buffers[0], &buffers[1], &buffers[2], NULL) != ESP_OK)
		return ADAPTER_FAIL(report, DMABUF_EIO,
				    "esp dpi pools: ESP-IDF gave no frame buffers (more than the panel's num_fbs?)");
	for (uint32_t i = 0; i < count; i++)
		/* The CPU and the DMA use the same address for mapped PSRAM. */
		pools[i] = (struct dmabuf_pool){ .bus_base = (dmabuf_addr_t)(uintptr_t)buffers[i],
						 .cpu = buffers[i],
						 .size = frame_bytes,
						 .flags = DMABUF_REGION_CACHEABLE,
						 .cache_line = line,
						 .devices = owner | camera_bit,
						 .owners = owner };
	return 0;
}
