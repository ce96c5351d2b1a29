/*
 * QEMU "virt" (riscv32): the on-target test runner standing in for the RISC-V
 * ESP32 parts (C3/C6/P4 cores), firmware/qemu-riscv32-virt/.
 *
 * Sources:
 *  [QEMU] QEMU 7.2 hw/riscv/virt.c memory map: DRAM at 0x80000000 (128 MB by
 *         default), NS16550A UART 0x10000000, SiFive test device 0x100000.
 *         No data cache is modelled and the harts have none to maintain.
 *
 * The firmware image and its stack live in the first 16 MB of DRAM; DmaBuf
 * gets the next 16 MB. Uncached, so cache_line is only the allocation
 * granule: 64 bytes, the largest line of the ESP parts this stands in for.
 */
#include "boards.h"

static const struct dmabuf_region_desc regions[] = {
	{ "dram", 0x81000000u, 16u * 1024u * 1024u, 0, 64 },
};

static const struct dmabuf_window dram_window[] = {
	{ 0x80000000u, 128u * 1024u * 1024u },
};

/* QEMU virt has no general DMA master: a stand-in shaped like an ESP GDMA
 * channel (4095-byte descriptors, word alignment, unbounded chains). */
static const struct dmabuf_device_desc devices[] = {
	{ "test-dma", dram_window, 1, 4, 4095u, 0, 0 },
};

const struct dmabuf_board dmabuf_board_qemu_riscv32_virt = {
	.name = "qemu-riscv32-virt",
	.description = "QEMU riscv32 virt: no data cache, 16 MB DRAM region",
	.regions = regions,
	.region_count = sizeof(regions) / sizeof(regions[0]),
	.devices = devices,
	.device_count = sizeof(devices) / sizeof(devices[0]),
	.dcache_size = 0,
	.whole_cache_threshold = 0,
};
