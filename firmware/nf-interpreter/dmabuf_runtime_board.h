/*
 * The board a firmware hands dmabuf_init: the compiled-in board description
 * (boards/) restricted to the memory the firmware actually gives DmaBuf.
 *
 * A board describes whole memories -- "SRAM1 at 0x20020000, 368 KB, cached,
 * 32-byte lines" -- but on a real firmware most of that memory is already
 * someone else's: nanoCLR's .data and its managed heap, ChibiOS's heap,
 * ESP-IDF's heaps. What DmaBuf may use is a few pools the firmware sets
 * aside (a linker section, a block from the platform heap). This turns the
 * pools into regions: each pool is cut along the board's regions, keeps the
 * region's name, line and reachability, and is trimmed inward to whole lines.
 *
 * Cacheability: a region is cached if the board OR the pool says so. The
 * board states what the chip does by default or by its intended MPU set-up;
 * the pool states what this firmware really configured. Treating uncached
 * memory as cached only costs needless cache operations; the opposite loses
 * data, so a disagreement always resolves to cached.
 *
 * Portable C, no allocation: the result lives in the caller's struct.
 */
#ifndef DMABUF_RUNTIME_BOARD_H
#define DMABUF_RUNTIME_BOARD_H

#include <stdint.h>

#include "dmabuf/dmabuf.h"

/* Most regions a runtime board can have (pools x board regions they touch). */
#define DMABUF_RUNTIME_MAX_REGIONS 8u

/* A span of memory the firmware gives DmaBuf. */
struct dmabuf_pool {
	dmabuf_addr_t bus_base; /* address the DMA masters use */
	void *cpu;              /* address the CPU uses (the same on STM32F7, ESP32-S3/P4) */
	uint32_t size;
	uint32_t flags;         /* DMABUF_REGION_CACHEABLE when the firmware maps it cached */
};

struct dmabuf_runtime_board {
	struct dmabuf_board board; /* pass &board to dmabuf_config.board */
	struct dmabuf_region_desc regions[DMABUF_RUNTIME_MAX_REGIONS];
	void *region_memory[DMABUF_RUNTIME_MAX_REGIONS]; /* dmabuf_config.region_memory */
};

/*
 * Build @out from @board and @pools. The devices, cache size and threshold
 * are @board's; the regions are the pools' whole lines inside @board's
 * regions, in @board's region order (so placement order is kept).
 * @retval 0; -EINVAL NULL arguments, pools overlapping each other, a pool
 *         (or what is left of it after trimming to whole lines) outside
 *         every region of @board -- the board does not know that memory;
 *         -ENOMEM more than DMABUF_RUNTIME_MAX_REGIONS pieces.
 * On failure @out is left unchanged and, in DMABUF_DEBUG builds, one
 * message goes to @report.
 */
int dmabuf_runtime_board_init(struct dmabuf_runtime_board *out, const struct dmabuf_board *board,
			      const struct dmabuf_pool *pools, uint32_t pool_count,
			      dmabuf_report_fn report, void *report_user);

#endif /* DMABUF_RUNTIME_BOARD_H */
