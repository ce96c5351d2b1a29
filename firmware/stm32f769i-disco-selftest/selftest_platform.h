/*
 * What the cycle self-test (selftest.c) needs from the machine it runs on:
 * the STM32F769I-DISCO itself (platform_disco.c), or QEMU mps2-an500
 * (platform_qemu_mps2.c), where the same image logic runs in CI without a
 * cycle counter.
 */
#ifndef SELFTEST_PLATFORM_H
#define SELFTEST_PLATFORM_H

#include <stdint.h>

#include "dmabuf/board.h"

struct selftest_platform {
	const struct dmabuf_board *board;
	void *const *region_memory; /* CPU address of each board region */
	const char *camera_device;  /* the board device the camera frames come from */
	uint32_t core_hz;           /* CPU clock after selftest_platform_init */
	/* The board device of a memory-to-memory DMA engine and its copy of
	 * @bytes (at most the device's segment limit) between bus addresses,
	 * polled to completion; both NULL where the machine has none (QEMU). */
	const char *copy_device;
	int (*dma_copy)(uint32_t from, uint32_t to, uint32_t bytes);
};

extern const struct selftest_platform selftest_platform;

/* Clocks, console, external memory and caches, before anything else runs;
 * printf works afterwards. */
void selftest_platform_init(void);

#endif /* SELFTEST_PLATFORM_H */
