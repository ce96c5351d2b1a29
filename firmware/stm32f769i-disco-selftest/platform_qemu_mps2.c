/*
 * The self-test under QEMU mps2-an500 (Cortex-M7, boards/qemu_mps2_an500.c):
 * CI runs the same self-test logic and pipeline bodies there. QEMU models no
 * cache and no DWT cycle counter, so this run checks that the pipelines
 * work and that a counter which does not count is reported as such; it
 * measures nothing. Console and exit: the mps2 firmware's own start-up
 * (semihosting).
 */
#include "boards.h"
#include "selftest_platform.h"

/* The PSRAM the board describes (firmware/qemu-mps2-an500/mps2_an500.ld
 * links nothing there). */
static void *const region_memory[] = { (void *)0x60000000u, (void *)0x60F00000u };

const struct selftest_platform selftest_platform = {
	.board = &dmabuf_board_qemu_mps2_an500,
	.region_memory = region_memory,
	.camera_device = "test-dma",
	.core_hz = 25000000u, /* QEMU hw/arm/mps2.c SYSCLK_FRQ */
};

void selftest_platform_init(void)
{
}
