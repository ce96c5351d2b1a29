/*
 * QEMU "mps2-an500": Arm MPS2 FPGA image AN500, a Cortex-M7 (the on-target
 * test runner for the Cortex-M7 backend, firmware/qemu-mps2-an500/).
 *
 * Sources:
 *  [QEMU]  QEMU 7.2 hw/arm/mps2.c, AN500 memory map, confirmed with
 *          `info mtree`: ZBT SSRAM1 0x00000000 4 MB, ZBT SSRAM2&3 0x20000000
 *          4 MB, PSRAM 0x60000000 16 MB ("mps.ram"). No DMA master is modelled.
 *  [TRM]   Arm Cortex-M7 TRM (DDI0489) §5: D-cache 4-way set-associative,
 *          32-byte lines.
 *  [ARMv7M] ARMv7-M ARM §B3.1 default memory map: 0x60000000-0x7FFFFFFF is
 *          Normal WBWA RAM (cached).
 *
 * The firmware keeps code in SSRAM1 and data/stack in SSRAM2&3, and gives
 * DmaBuf the PSRAM: the first 15 MB cached (default map), the last 1 MB made
 * Normal non-cacheable by MPU region 0, so both kinds of region are exercised.
 * QEMU accepts the cache maintenance writes but models no cache and reads
 * CCSIDR as 0, so the board states the geometry of the STM32F76x D-cache
 * (16 KB, 32-byte lines) and the backend falls back to it.
 */
#include "boards.h"

static const struct dmabuf_region_desc regions[] = {
	{ "psram-cached", 0x60000000u, 15u * 1024u * 1024u, DMABUF_REGION_CACHEABLE, 32 },
	{ "psram-uncached", 0x60F00000u, 1u * 1024u * 1024u, 0, 32 },
};

static const struct dmabuf_window psram_window[] = {
	{ 0x60000000u, 16u * 1024u * 1024u },
};

static const struct dmabuf_window uncached_window[] = {
	{ 0x60F00000u, 1u * 1024u * 1024u },
};

/* QEMU models no DMA on AN500 [QEMU]: these stand-ins carry the limits of
 * real masters so the constraint checks run on the target. */
static const struct dmabuf_device_desc devices[] = {
	/* Shaped like an STM32 DMA2 stream with byte items (16-bit NDTR). */
	{ "test-dma", psram_window, 1, 1, 65535u, 0, 0 },
	/* Shaped like a GDMA channel limited to a small window (e.g. a bus that
	 * only reaches uncached memory), with a bounded descriptor chain. */
	{ "test-dma-uncached", uncached_window, 1, 4, 4095u, 16, 0 },
};

const struct dmabuf_board dmabuf_board_qemu_mps2_an500 = {
	.name = "qemu-mps2-an500",
	.description = "QEMU mps2-an500: Cortex-M7 (no cache modelled), 15 MB cached + 1 MB uncached PSRAM",
	.regions = regions,
	.region_count = sizeof(regions) / sizeof(regions[0]),
	.devices = devices,
	.device_count = sizeof(devices) / sizeof(devices[0]),
	.dcache_size = 16u * 1024u,
	/* As stm32f769i-disco, whose model it stands in for (same cache, same
	 * counts: the counts are measured here). */
	.whole_cache_threshold = 139u * 1024u,
	/* As stm32f769i-disco, so the paired clean runs under the target
	 * counts and QEMU's register trace (stage 67); QEMU models no cache. */
	.dcache_pou_is_poc = 1,
};
