/*
 * Small boards for the simulator and coherency suites, independent of the
 * real board descriptions in boards/. Built at run time because the line
 * size (32, 64, 128) and the whole-cache threshold vary per test.
 *
 * Regions (line = the chosen line size, on every region):
 *   0 "sram"      0x20000000  3 KiB  cacheable   placement default
 *   1 "sram2"     0x24000000  1 KiB  cacheable   the only one "dma2" reaches (one frame)
 *   2 "nocache"   0x30000000  2 KiB  uncached
 * Devices:
 *   "camera"   all regions, align 4, 128-byte segments
 *   "display"  all regions, align 4,  96-byte segments
 *   "dma2"     sram2 only,  align 4, 128-byte segments
 *   "snooper"  all regions, align 4, 128-byte segments, coherent
 * dcache_size 512 bytes: a CPU writing a 1000-byte frame overflows it, so
 * capacity evictions happen in every pipeline in which the CPU writes.
 */
#ifndef TEST_BOARD_H
#define TEST_BOARD_H

#include "dmabuf/board.h"

#define TEST_SRAM 0u
#define TEST_SRAM2 1u
#define TEST_NOCACHE 2u

#define TEST_SRAM_BASE 0x20000000u
#define TEST_SRAM_SIZE 3072u
#define TEST_SRAM2_BASE 0x24000000u
#define TEST_SRAM2_SIZE 1024u
#define TEST_NOCACHE_BASE 0x30000000u
#define TEST_NOCACHE_SIZE 2048u
#define TEST_DCACHE_SIZE 512u

struct test_board {
	struct dmabuf_region_desc regions[3];
	struct dmabuf_window all_window;
	struct dmabuf_window sram2_window;
	struct dmabuf_device_desc devices[4];
	struct dmabuf_board board;
};

/* Fill @tb for @line-byte lines; @whole_cache_threshold as in the board. */
const struct dmabuf_board *test_board_build(struct test_board *tb, uint32_t line,
					    uint32_t whole_cache_threshold);

#endif /* TEST_BOARD_H */
