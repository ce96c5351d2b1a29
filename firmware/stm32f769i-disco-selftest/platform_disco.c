/*
 * The self-test on the STM32F769I-DISCO: the board's DmaBuf description
 * (boards/stm32f769i_disco.c) over the memory it names, SRAM1 and SRAM2
 * cached, the SDRAM uncached. This image links nothing into SRAM1/SRAM2 or
 * the SDRAM (stm32f769i_disco.ld keeps its data and stack in DTCM): DmaBuf
 * owns them whole.
 */
#include <stdio.h>

#include "boards.h"
#include "disco.h"
#include "selftest_platform.h"

static void *const region_memory[] = { (void *)0x20020000u, (void *)0x2007C000u, (void *)0xC0000000u };

const struct selftest_platform selftest_platform = {
	.board = &dmabuf_board_stm32f769i_disco,
	.region_memory = region_memory,
	.camera_device = "dcmi",
	.core_hz = DISCO_CORE_HZ,
	.copy_device = "dma2",
	.dma_copy = disco_dma2_copy,
};

void selftest_platform_init(void)
{
	disco_clock_init();
	disco_console_init();
	/* newlib sees no terminal (nosys isatty answers 0) and would buffer
	 * stdout whole: the last lines would never leave, since main returns
	 * to a parked core, not to exit(). */
	setvbuf(stdout, NULL, _IONBF, 0);
	/* MPU before the D-cache: the SDRAM must never be cached, not even
	 * for the instant between the two. */
	disco_sdram_init();
	disco_caches_enable();
}

void disco_spin(uint32_t cycles)
{
	/* at least one cycle per iteration */
	for (volatile uint32_t i = 0; i < cycles; i++)
		;
}
