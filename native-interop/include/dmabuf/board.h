/*
 * Board descriptions: regions (memory), devices (DMA masters) and cache geometry.
 *
 * A board is pure data. Chip names live only in boards/; the core reads these
 * structures and never asks which chip it runs on. One description per board
 * feeds everything else (native tables, the managed API via dmabuf_board_*,
 * the demos), so no number is written twice.
 */
#ifndef DMABUF_BOARD_H
#define DMABUF_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* A DMA (bus) address. Every supported MCU has a 32-bit bus. */
typedef uint32_t dmabuf_addr_t;

/* Region flags. */
#define DMABUF_REGION_CACHEABLE 0x1u /* the CPU reaches it through a write-back data cache */

/*
 * A span of physical memory the heap may allocate from.
 *
 * @bus_base, @size: the addresses DMA masters use. Both multiples of @cache_line.
 * @cache_line: line size of the largest cache level that covers the region
 *              (e.g. 128 on an ESP32-P4 with 128-byte L2 lines); also the
 *              allocation granule on uncached regions, so buffers stay aligned
 *              for every master. Power of two, >= 4.
 */
struct dmabuf_region_desc {
	const char *name;
	dmabuf_addr_t bus_base;
	uint32_t size;
	uint32_t flags;
	uint32_t cache_line;
};

/* A window of bus addresses a device can reach: [base, base + size). */
struct dmabuf_window {
	dmabuf_addr_t base;
	uint32_t size;
};

/*
 * A DMA master.
 *
 * @windows: the bus address ranges the master can reach (e.g. STM32H7 DMA1/2
 *           do not reach DTCM). At least one.
 * @align: required alignment of every segment's DMA address and of every
 *         segment length except the last (power of two, >= 1).
 * @max_segment_bytes: most bytes one descriptor / transfer can carry
 *         (GDMA: 4095; STM32 DMA: 65535 items). Segments are split here,
 *         rounded down to @align.
 * @max_segments: most segments (descriptors) the master can chain; 0 = no limit.
 * @coherent: the master snoops the CPU cache, so hand-overs need no cache work.
 */
struct dmabuf_device_desc {
	const char *name;
	const struct dmabuf_window *windows;
	uint32_t window_count;
	uint32_t align;
	uint32_t max_segment_bytes;
	uint32_t max_segments;
	uint8_t coherent;
};

/*
 * A whole board.
 *
 * @dcache_size: bytes of data cache (0 when the SoC has none).
 * @whole_cache_threshold: a range maintenance above this many bytes is done
 *         with one whole-cache operation instead of a per-line loop
 *         (0 = never). Chosen per board from the loop's cost and what a
 *         whole-cache pass costs other code (docs/CACHE-RULES.md).
 * @dcache_pou_is_poc: non-zero when a clean to the point of unification
 *         reaches the memory the board's DMA masters read, i.e. there is no
 *         cache between the core's data cache and that memory, so cleaning
 *         to the PoU is cleaning to the point of coherency. A backend may then
 *         clean through either operation (Cortex-M7: two lines per STRD).
 *         0 (the default) keeps to clean-to-PoC alone.
 */
struct dmabuf_board {
	const char *name;
	const char *description;
	const struct dmabuf_region_desc *regions;
	uint32_t region_count;
	const struct dmabuf_device_desc *devices;
	uint32_t device_count;
	uint32_t dcache_size;
	uint32_t whole_cache_threshold;
	uint8_t dcache_pou_is_poc;
};

/* Boards compiled into this build (boards/), looked up by name. NULL if absent. */
const struct dmabuf_board *dmabuf_board_find(const char *name);
/* The @index-th compiled-in board, or NULL past the end. */
const struct dmabuf_board *dmabuf_board_at(uint32_t index);

#endif /* DMABUF_BOARD_H */
