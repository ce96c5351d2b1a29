/* Shared between the simulator's files; not part of its API (sim.h is). */
#ifndef DMABUF_SIM_INTERNAL_H
#define DMABUF_SIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

struct sim_region {
	const struct dmabuf_region_desc *desc;
	uint8_t *bus;
	uint8_t *view;          /* == bus on an uncached region */
	uint8_t *fetched;       /* NULL on an uncached region */
	uint64_t *dirty_since;  /* per line: observation stamp, 0 = clean when last observed */
	uint32_t line;          /* desc->cache_line, read in every hot loop */
	uint32_t line_count;
};

/* A dirty line, for the capacity eviction order. */
struct sim_line_ref {
	uint64_t dirty_since;
	uint32_t region;
	uint32_t line;
};

struct sim_dma_engine {
	struct sim_soc *soc;
	struct sim_dma_engine *next;  /* creation order */
	uint32_t bytes_per_us;
	bool coherent;
	bool busy;
	struct sim_dma_job job;
	uint32_t next_segment;
	uint64_t due;                 /* virtual time at which next_segment has moved */
};

struct sim_soc {
	const struct dmabuf_board *board;
	struct sim_region *regions;
	void **region_memory;
	struct sim_line_ref *dirty_scratch; /* one entry per cacheable line */
	uint8_t *snoop_scratch;             /* as large as the largest region */
	uint64_t prng;
	uint32_t eviction_threshold;        /* evict when a 16-bit draw is below; 65536 = always */
	uint64_t observation;               /* stamp source for dirty_since */
	struct sim_stats stats;
	uint64_t now;
	struct sim_dma_engine *engines;
	struct sim_dma_engine *last_engine;
	struct sim_residency *residency;    /* NULL: tags off (sim_residency_enable) */
};

/* One message per failure, in DMABUF_DEBUG builds (stderr). */
#if defined(DMABUF_DEBUG)
void sim_report(const char *format, ...) __attribute__((format(printf, 1, 2)));
#else
/* A function rather than an empty macro, so the arguments still count as used. */
static inline void sim_report(const char *format, ...)
{
	(void)format;
}
#endif

/* The line leaves the residency tags (invalidate, evict); no-op with tags off. */
void sim_residency_drop(struct sim_soc *soc, const struct sim_region *region, uint32_t line);
void sim_residency_free(struct sim_residency *residency);

/* The region holding [addr, addr + length) in bus memory, or NULL. */
struct sim_region *sim_region_at_bus(struct sim_soc *soc, dmabuf_addr_t addr, uint32_t length);

/* Note the lines the CPU dirtied since the last call and evict the oldest
 * dirty ones beyond dcache_size (sim.h says when this runs). */
void sim_observe(struct sim_soc *soc);

/*
 * What a coherent master sees and does at [offset, offset + length) of
 * @region's bus memory (uncached regions: memory itself).
 * sim_snoop_read: the bytes as the CPU would read them, dirty lines served
 * from the cache WITHOUT writing them back (a snooped line may stay dirty, as
 * MOESI "owned" does), so a coherent read never does a clean's work. Returns
 * bus memory itself when no line is dirty, else soc->snoop_scratch.
 * sim_snoop_write: the bytes a writer put in memory by @fill land in memory
 * and in the CPU's view; dirty lines are written back first so the CPU's
 * bytes around a partial write survive.
 */
const uint8_t *sim_snoop_read(struct sim_soc *soc, struct sim_region *region, uint32_t offset,
			      uint32_t length);
void sim_snoop_write_begin(struct sim_soc *soc, struct sim_region *region, uint32_t offset,
			   uint32_t length);
void sim_snoop_write_end(struct sim_soc *soc, struct sim_region *region, uint32_t offset,
			 uint32_t length);

/* The busy engine due first (creation order among equals), or NULL. */
struct sim_dma_engine *sim_dma_next_due(struct sim_soc *soc);

/* Move the engine's next segment (virtual time is already at its due time). */
void sim_dma_step(struct sim_dma_engine *engine);

#endif /* DMABUF_SIM_INTERNAL_H */
