/*
 * ESP32-S3 with 8 MB octal PSRAM (e.g. ESP32-S3-WROOM-1-N16R8 on the
 * ESP32-S3-DevKitC-1).
 *
 * Sources:
 *  [SOC]    ESP-IDF components/soc/esp32s3/include/soc/soc.h:
 *           SOC_DMA_LOW 0x3FC88000 .. SOC_DMA_HIGH 0x3FD00000 (internal SRAM
 *           reachable by GDMA), SOC_DMA_EXT_LOW/HIGH = SOC_EXTRAM_DATA_LOW/HIGH
 *           0x3C000000 .. 0x3E000000 (external memory reachable by GDMA).
 *  [CACHE]  ESP-IDF components/esp_system/port/soc/esp32s3/Kconfig.cache:
 *           data cache 32 KB by default (16/32/64 KB), line 32 B by default
 *           (16/32/64 B).
 *  [DMA]    ESP-IDF components/hal/include/hal/dma_types.h:
 *           DMA_DESCRIPTOR_BUFFER_MAX_SIZE 4095 (12-bit size field).
 *  [TRM]    ESP32-S3 TRM, GDMA chapter: GDMA_IN/OUT_EXT_MEM_BK_SIZE (16, 32
 *           or 64-byte blocks for external memory; address and length must
 *           be multiples of the block size); internal SRAM needs word
 *           alignment. Internal SRAM is not behind the data cache (the cache
 *           serves external memory only).
 *  [SPI]    ESP-IDF spi_master: a buffer outside SOC_DMA_LOW..HIGH is copied
 *           into an internal bounce buffer on every transfer.
 *  [MMU]    ESP-IDF 5 components/esp_mm/esp_mmu_map.c: the flash image's
 *           text/rodata mappings are reserved first from the start of the
 *           external window (s_reserve_irom_region / s_reserve_drom_region),
 *           then components/esp_psram/system_layer/esp_psram.c maps PSRAM
 *           with esp_mmu_map_reserve_block_with_caps at the next free
 *           virtual address: where PSRAM lands depends on the image size.
 */
#include "boards.h"

/* [CACHE] default data cache line; the GDMA external block size is set to
 * match, so every block is whole lines. */
#define ESP32S3_DCACHE_LINE 32u
/* [DMA] */
#define GDMA_DESCRIPTOR_MAX_BYTES 4095u

static const struct dmabuf_region_desc regions[] = {
	/*
	 * Internal SRAM: the whole DMA-capable range [SOC]; uncached [TRM]. The
	 * firmware integration hands DmaBuf the part ESP-IDF's heap leaves
	 * free. Granule 32: the largest alignment of the masters that reach it,
	 * so placement alone satisfies every attach.
	 */
	{ "sram", 0x3FC88000u, 0x3FD00000u - 0x3FC88000u, 0, ESP32S3_DCACHE_LINE },
	/*
	 * Octal PSRAM (8 MB) behind the data cache, somewhere in the 32 MB
	 * external data window [SOC]: ESP-IDF 5 maps it right after the flash
	 * image's mappings [MMU], e.g. from 0x3C200000 under a 2 MB nanoCLR
	 * image. So the region is the whole window, and a firmware's runtime
	 * board (firmware/nf-interpreter/dmabuf_runtime_board.c) cuts it down to
	 * the PSRAM block it really obtained from heap_caps, wherever that is.
	 * The price is paid only in the host simulator, which backs a region
	 * with three copies: 96 MB and ~0.1 s per sim_create for this one, the
	 * same as the esp32p4 board's 32 MB PSRAM.
	 */
	{ "psram", 0x3C000000u, 0x3E000000u - 0x3C000000u, DMABUF_REGION_CACHEABLE, ESP32S3_DCACHE_LINE },
};

static const struct dmabuf_window internal_window[] = {
	{ 0x3FC88000u, 0x3FD00000u - 0x3FC88000u },
};

static const struct dmabuf_window internal_and_external_windows[] = {
	{ 0x3FC88000u, 0x3FD00000u - 0x3FC88000u },
	{ 0x3C000000u, 0x3E000000u - 0x3C000000u },
};

static const struct dmabuf_device_desc devices[] = {
	/*
	 * LCD_CAM camera (DVP) receiving through a GDMA RX channel: internal
	 * SRAM and PSRAM [SOC]; 32-byte external blocks [TRM] = 4095 rounded
	 * down to 4064 bytes per descriptor; descriptor chains are unbounded.
	 */
	{ "lcd-cam-camera", internal_and_external_windows, 2, ESP32S3_DCACHE_LINE,
	  GDMA_DESCRIPTOR_MAX_BYTES, 0, 0 },
	/* LCD_CAM i80 / RGB LCD sending through a GDMA TX channel: as above. */
	{ "lcd-cam-lcd", internal_and_external_windows, 2, ESP32S3_DCACHE_LINE,
	  GDMA_DESCRIPTOR_MAX_BYTES, 0, 0 },
	/*
	 * GPSPI2 (SPI LCD panels) through GDMA: internal SRAM only, because the
	 * ESP-IDF SPI master silently bounce-copies anything else [SPI] and a
	 * copy per frame is what DmaBuf exists to avoid. Word alignment
	 * (4092-byte segments) [TRM, DMA].
	 */
	{ "spi2", internal_window, 1, 4, GDMA_DESCRIPTOR_MAX_BYTES, 0, 0 },
};

const struct dmabuf_board dmabuf_board_esp32s3_octal_psram = {
	.name = "esp32s3-octal-psram",
	.description = "ESP32-S3 + 8 MB octal PSRAM: 32 KB data cache (32 B lines) over PSRAM, uncached SRAM",
	.regions = regions,
	.region_count = sizeof(regions) / sizeof(regions[0]),
	.devices = devices,
	.device_count = sizeof(devices) / sizeof(devices[0]),
	.dcache_size = 32u * 1024u, /* [CACHE] default */
	/*
	 * 0 = never: esp_cache_msync (the ESP backend) works on address ranges
	 * only; esp_mm, ESP-IDF's public cache API, has no whole-cache
	 * operation to switch to.
	 */
	.whole_cache_threshold = 0,
};
