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
 * Dedicated pools: memory a driver allocated for itself and lends to
 * DmaBuf, such as the frame buffers an ESP32-P4 DPI panel scans out. Such a
 * pool names the devices that reach it (@devices); the windows of every
 * other device are cut around it, so no buffer one of them uses lands
 * there. Some of those devices may be confined to dedicated memory
 * (@owners): their windows become the pools that name them as owners, so
 * every buffer attached to them is placed in such a pool -- the display
 * whose driver flips to a frame only when the frame IS its frame buffer.
 * A buffer attached to no device still may land there (nothing it is
 * attached to is refused): dedicated pools should come after the general
 * ones of the same region, which are then filled first.
 *
 * Portable C, no allocation: the result lives in the caller's struct.
 */
#ifndef DMABUF_RUNTIME_BOARD_H
#define DMABUF_RUNTIME_BOARD_H

#include <stdint.h>

#include "dmabuf/dmabuf.h"

/* Most regions a runtime board can have (pools x board regions they touch). */
#define DMABUF_RUNTIME_MAX_REGIONS 8u
/* With a dedicated pool: most board devices, and most windows of all of them
 * once cut around the dedicated pools. */
#define DMABUF_RUNTIME_MAX_DEVICES 8u
#define DMABUF_RUNTIME_MAX_WINDOWS 16u

/* A span of memory the firmware gives DmaBuf. */
struct dmabuf_pool {
	dmabuf_addr_t bus_base; /* address the DMA masters use */
	void *cpu;              /* address the CPU uses (the same on STM32F7, ESP32-S3/P4) */
	uint32_t size;
	uint32_t flags;         /* DMABUF_REGION_CACHEABLE when the firmware maps it cached */
	/* 0: the board region's line. Else the line the firmware's cache really
	 * has over this memory (ESP-IDF: esp_cache_get_alignment), for pools
	 * the platform allocated on that line: the board states the largest
	 * line any configuration of the chip may have (128 for the ESP32-P4's
	 * PSRAM), and trimming a 64-byte aligned frame buffer to 128-byte lines
	 * would cut a line off each end of it. Power of two, >= 4. */
	uint32_t cache_line;
	/* 0: general memory, reached by every device whose windows hold it.
	 * Else dedicated memory: only these devices (bit i: the board's
	 * devices[i]) reach it. */
	uint32_t devices;
	/* Of @devices, those that reach dedicated memory only: no window of
	 * theirs is left but the pools that name them here. */
	uint32_t owners;
};

struct dmabuf_runtime_board {
	struct dmabuf_board board; /* pass &board to dmabuf_config.board */
	struct dmabuf_region_desc regions[DMABUF_RUNTIME_MAX_REGIONS];
	void *region_memory[DMABUF_RUNTIME_MAX_REGIONS]; /* dmabuf_config.region_memory */
	/* Used only with a dedicated pool: the board's devices, windows cut. */
	struct dmabuf_device_desc devices[DMABUF_RUNTIME_MAX_DEVICES];
	struct dmabuf_window windows[DMABUF_RUNTIME_MAX_WINDOWS];
};

/*
 * Build @out from @board and @pools. The cache size and threshold are
 * @board's; the regions are the pools' whole lines inside @board's
 * regions, in @board's region order, and inside one region in pool order
 * (so placement order is kept); the devices are @board's, with their
 * windows cut as the dedicated pools say.
 * @retval 0; -EINVAL NULL arguments, pools overlapping each other, a pool
 *         (or what is left of it after trimming to whole lines) outside
 *         every region of @board -- the board does not know that memory; a
 *         line that is not a power of two >= 4; @devices naming no device
 *         of @board, @owners not among @devices, a dedicated pool outside
 *         every window of one of its owners;
 *         -ENOMEM more than DMABUF_RUNTIME_MAX_REGIONS pieces, more than
 *         DMABUF_RUNTIME_MAX_DEVICES devices or DMABUF_RUNTIME_MAX_WINDOWS
 *         windows with a dedicated pool.
 * On failure @out is left unchanged and, in DMABUF_DEBUG builds, one
 * message goes to @report.
 */
int dmabuf_runtime_board_init(struct dmabuf_runtime_board *out, const struct dmabuf_board *board,
			      const struct dmabuf_pool *pools, uint32_t pool_count,
			      dmabuf_report_fn report, void *report_user);

#endif /* DMABUF_RUNTIME_BOARD_H */
