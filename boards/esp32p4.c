/*
 * ESP32-P4 (ESP32-P4NRW32: 32 MB in-package PSRAM), e.g. ESP32-P4-Function-EV-Board.
 *
 * Sources:
 *  [SOC]    ESP-IDF components/soc/esp32p4/include/soc/soc.h: L2MEM
 *           SOC_DRAM_LOW 0x4FF00000 .. SOC_DRAM_HIGH 0x4FFC0000 (768 KB), all
 *           DMA-capable (SOC_DMA_LOW/HIGH); SOC_EXTRAM_LOW 0x48000000 ..
 *           SOC_EXTRAM_HIGH 0x4C000000 (PSRAM window; ext_mem_defs.h
 *           SOC_MMU_PSRAM_VADDR_START 0x48000000).
 *  [CAPS]   ESP-IDF components/soc/esp32p4/include/soc/soc_caps.h:
 *           SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE 1 (internal SRAM is reached
 *           through the L1 data cache), SOC_CACHE_WRITEBACK_SUPPORTED 1,
 *           SOC_AXI_GDMA_SUPPORT_PSRAM 1 (only the AXI-GDMA reaches PSRAM),
 *           SOC_PSRAM_DMA_CAPABLE 1.
 *  [KCFG]   ESP-IDF components/esp_system/port/soc/esp32p4/Kconfig.cache: L2
 *           cache 128 KB by default (256/512 KB), carved from L2MEM; L2 line
 *           64 B by default, 128 B with 512 KB.
 *  [TRM]    ESP32-P4 TRM, cache chapter: L1 data cache 64 KB with 64-byte
 *           lines (CONFIG_CACHE_L1_DCACHE_LINE_SIZE); L2 cache serves
 *           external memory.
 *  [DWGDMA] ESP-IDF soc/esp32p4 dw_gdma_struct.h: CHx_BLOCK_TS is 22 bits.
 *  [DMA]    ESP-IDF hal/dma_types.h: DMA_DESCRIPTOR_BUFFER_MAX_SIZE 4095.
 */
#include "boards.h"

/* [TRM] L1 data cache line: the only level over internal SRAM. */
#define ESP32P4_L1_LINE 64u
/* [KCFG] the larger L2 line choice: PSRAM buffers stay whole L2 lines under
 * every L2 configuration (64-byte builds pay at most 64 bytes of padding). */
#define ESP32P4_L2_LINE_MAX 128u
/* [KCFG] default L2 cache size, taken from the top of L2MEM. */
#define ESP32P4_L2_CACHE_DEFAULT (128u * 1024u)

static const struct dmabuf_region_desc regions[] = {
	/* L2MEM minus the default L2 cache [SOC, KCFG], cached through L1 [CAPS]. */
	{ "l2mem", 0x4FF00000u, (0x4FFC0000u - 0x4FF00000u) - ESP32P4_L2_CACHE_DEFAULT,
	  DMABUF_REGION_CACHEABLE, ESP32P4_L1_LINE },
	/* 32 MB PSRAM mapped from the start of its window [SOC], behind L1 and L2. */
	{ "psram", 0x48000000u, 32u * 1024u * 1024u, DMABUF_REGION_CACHEABLE, ESP32P4_L2_LINE_MAX },
};

static const struct dmabuf_window l2mem_window[] = {
	{ 0x4FF00000u, 0x4FFC0000u - 0x4FF00000u },
};

static const struct dmabuf_window l2mem_and_psram_windows[] = {
	{ 0x4FF00000u, 0x4FFC0000u - 0x4FF00000u },
	{ 0x48000000u, 0x4C000000u - 0x48000000u },
};

static const struct dmabuf_device_desc devices[] = {
	/*
	 * MIPI-CSI bridge writing frames through the DW-GDMA: one block carries
	 * up to 2^22 - 1 items [DWGDMA], counted here as 32-bit items; blocks
	 * chain through a linked list. Buffers are cache-line aligned so the
	 * hand-over never shares a line [TRM].
	 */
	{ "mipi-csi", l2mem_and_psram_windows, 2, ESP32P4_L1_LINE, 0x3FFFFFu * 4u, 0, 0 },
	/* MIPI-DSI DPI scanout reading through the DW-GDMA: as above. */
	{ "mipi-dsi", l2mem_and_psram_windows, 2, ESP32P4_L1_LINE, 0x3FFFFFu * 4u, 0, 0 },
	/*
	 * PPA (scale/rotate/blend) through the 2D-DMA: one picture block per
	 * job (max_segments 1) whose limits are in pixels, handled by the PPA
	 * adapter; in bytes only the bus bounds it.
	 */
	{ "ppa", l2mem_and_psram_windows, 2, ESP32P4_L1_LINE, 0xFFFFFFFFu, 1, 0 },
	/*
	 * GPSPI2 through the AHB-GDMA: 4095-byte descriptors [DMA], word
	 * alignment; L2MEM only (only the AXI-GDMA reaches PSRAM [CAPS]).
	 */
	{ "spi2", l2mem_window, 1, 4, 4095u, 0, 0 },
};

const struct dmabuf_board dmabuf_board_esp32p4 = {
	.name = "esp32p4",
	.description = "ESP32-P4: L1 64 KB (64 B lines) over L2MEM and PSRAM, L2 (64/128 B) over PSRAM",
	.regions = regions,
	.region_count = sizeof(regions) / sizeof(regions[0]),
	.devices = devices,
	.device_count = sizeof(devices) / sizeof(devices[0]),
	/* [TRM] L1 data cache: the level every CPU write lands in first. */
	.dcache_size = 64u * 1024u,
	/* 0 = never: the ESP backend (esp_cache_msync) has no whole-cache op. */
	.whole_cache_threshold = 0,
};
