/*
 * Classic ESP32 (e.g. ESP32-WROVER: 4 MB PSRAM).
 *
 * Sources:
 *  [SOC]   ESP-IDF components/soc/esp32/include/soc/soc.h: SOC_DMA_LOW
 *          0x3FFAE000 .. SOC_DMA_HIGH 0x40000000 (internal SRAM the DMA
 *          engines reach); SOC_EXTRAM_DATA_LOW 0x3F800000 .. HIGH 0x3FC00000
 *          (4 MB PSRAM data window).
 *  [TRM]   ESP32 TRM, cache/memory chapters: internal SRAM is not cached; the
 *          flash/PSRAM cache (32 KB per CPU, 32-byte lines) serves external
 *          memory; SPI and I2S DMA use linked descriptors with a 12-bit
 *          length (4095 bytes) and word-aligned buffers.
 *  [MSYNC] ESP-IDF esp_cache.h: on ESP32 cache writeback is not supported
 *          and the DMA engines do not reach PSRAM, so PSRAM never holds a
 *          DMA buffer.
 */
#include "boards.h"

static const struct dmabuf_region_desc regions[] = {
	/* Internal DMA-capable SRAM [SOC], uncached [TRM]; granule = the
	 * masters' word alignment. */
	{ "sram", 0x3FFAE000u, 0x40000000u - 0x3FFAE000u, 0, 4 },
	/* 4 MB PSRAM [SOC], cached with 32-byte lines [TRM]. No device window
	 * reaches it [MSYNC]: buffers placed here serve the CPU only, and an
	 * attach refuses them by name (window). */
	{ "psram", 0x3F800000u, 4u * 1024u * 1024u, DMABUF_REGION_CACHEABLE, 32 },
};

static const struct dmabuf_window internal_window[] = {
	{ 0x3FFAE000u, 0x40000000u - 0x3FFAE000u },
};

static const struct dmabuf_device_desc devices[] = {
	/* HSPI / VSPI DMA (SPI LCD panels): 4095-byte descriptors, words [TRM]. */
	{ "spi2", internal_window, 1, 4, 4095u, 0, 0 },
	{ "spi3", internal_window, 1, 4, 4095u, 0, 0 },
	/* I2S0 in LCD / camera (parallel) mode: same descriptors [TRM]. */
	{ "i2s0", internal_window, 1, 4, 4095u, 0, 0 },
};

const struct dmabuf_board dmabuf_board_esp32 = {
	.name = "esp32",
	.description = "ESP32: uncached internal DMA SRAM; cached PSRAM that no DMA master reaches",
	.regions = regions,
	.region_count = sizeof(regions) / sizeof(regions[0]),
	.devices = devices,
	.device_count = sizeof(devices) / sizeof(devices[0]),
	.dcache_size = 32u * 1024u, /* [TRM] per-CPU cache */
	/* 0 = never: DMA buffers are uncached, no hand-over ever costs anything. */
	.whole_cache_threshold = 0,
};
