/*
 * The write-back data cache model (sim.h, "DOC: the cache model"): per-line
 * clean, invalidate and evict over the bus / view / fetched arrays, random
 * and capacity evictions.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static bool is_cacheable(const struct sim_region *region)
{
	return region->fetched != NULL;
}

static bool line_is_dirty(const struct sim_region *region, uint32_t line)
{
	uint32_t at = line * region->line;
	return memcmp(region->view + at, region->fetched + at, region->line) != 0;
}

/* Memory takes the CPU's bytes of the line at @at. */
static void write_back(struct sim_soc *soc, struct sim_region *region, uint32_t at)
{
	memcpy(region->bus + at, region->view + at, region->line);
	memcpy(region->fetched + at, region->view + at, region->line);
	soc->stats.written_back_lines++;
}

/* The line at @at is (re)filled from memory. */
static void refill(struct sim_region *region, uint32_t at)
{
	memcpy(region->view + at, region->bus + at, region->line);
	memcpy(region->fetched + at, region->bus + at, region->line);
}

static void line_clean(struct sim_soc *soc, struct sim_region *region, uint32_t line)
{
	if (line_is_dirty(region, line))
		write_back(soc, region, line * region->line);
	region->dirty_since[line] = 0;
}

static void line_invalidate(struct sim_soc *soc, struct sim_region *region, uint32_t line)
{
	if (line_is_dirty(region, line))
		soc->stats.discarded_dirty_lines++;
	refill(region, line * region->line);
	region->dirty_since[line] = 0;
	sim_residency_drop(soc, region, line);
}

/* Clean, then refill. After a write-back the line already holds what memory
 * holds, so only a line that was clean needs the refill copy. */
static void line_evict(struct sim_soc *soc, struct sim_region *region, uint32_t line)
{
	if (line_is_dirty(region, line))
		write_back(soc, region, line * region->line);
	else
		refill(region, line * region->line);
	region->dirty_since[line] = 0;
	soc->stats.evicted_lines++;
	sim_residency_drop(soc, region, line);
}

static int compare_dirty_age(const void *a, const void *b)
{
	const struct sim_line_ref *x = a, *y = b;
	return (x->dirty_since > y->dirty_since) - (x->dirty_since < y->dirty_since);
}

#define OBSERVE_GROUP 16u

void sim_observe(struct sim_soc *soc)
{
	uint32_t dirty = 0;
	uint64_t dirty_bytes = 0;
	/* Stamps increase in scan order (board region order, then address), which
	 * is the documented tie-break among lines first seen dirty together. */
	for (uint32_t r = 0; r < soc->board->region_count; r++) {
		struct sim_region *region = &soc->regions[r];
		if (!is_cacheable(region))
			continue;
		for (uint32_t line = 0; line < region->line_count; line++) {
			/* Most lines are clean: skip whole groups with one compare. */
			if (line % OBSERVE_GROUP == 0 && line + OBSERVE_GROUP <= region->line_count &&
			    memcmp(region->view + line * region->line, region->fetched + line * region->line,
				   OBSERVE_GROUP * region->line) == 0) {
				memset(&region->dirty_since[line], 0, OBSERVE_GROUP * sizeof(*region->dirty_since));
				line += OBSERVE_GROUP - 1;
				continue;
			}
			if (!line_is_dirty(region, line)) {
				region->dirty_since[line] = 0;
				continue;
			}
			if (region->dirty_since[line] == 0)
				region->dirty_since[line] = ++soc->observation;
			soc->dirty_scratch[dirty++] = (struct sim_line_ref){
				region->dirty_since[line], r, line };
			dirty_bytes += region->line;
		}
	}
	if (dirty_bytes <= soc->board->dcache_size)
		return;
	qsort(soc->dirty_scratch, dirty, sizeof(*soc->dirty_scratch), compare_dirty_age);
	for (uint32_t i = 0; i < dirty && dirty_bytes > soc->board->dcache_size; i++) {
		struct sim_region *region = &soc->regions[soc->dirty_scratch[i].region];
		line_evict(soc, region, soc->dirty_scratch[i].line);
		soc->stats.capacity_evictions++;
		dirty_bytes -= region->line;
	}
}

/* The cacheable region whose view holds [cpu, cpu + size) as whole lines of
 * @line bytes (0: the region's own line), or NULL with *rule set. */
static struct sim_region *cacheable_range(const struct sim_soc *soc, const void *cpu, size_t size,
					  uint32_t line, const char **rule)
{
	uintptr_t start = (uintptr_t)cpu;
	if (size == 0) {
		*rule = "size 0";
		return NULL;
	}
	for (uint32_t r = 0; r < soc->board->region_count; r++) {
		struct sim_region *region = &soc->regions[r];
		uintptr_t base = (uintptr_t)region->view;
		if (start < base || start - base >= region->desc->size)
			continue;
		if (!is_cacheable(region)) {
			*rule = "range in an uncached region";
			return NULL;
		}
		if (size > region->desc->size - (start - base)) {
			*rule = "range runs past the end of its region";
			return NULL;
		}
		if (line != 0 && line != region->line) {
			*rule = "line size differs from the region's";
			return NULL;
		}
		if ((start - base) % region->line != 0 || size % region->line != 0) {
			*rule = "address or size not a multiple of the line";
			return NULL;
		}
		return region;
	}
	*rule = "outside every region";
	return NULL;
}

int sim_cache_check(const struct sim_soc *soc, const void *cpu, size_t size, uint32_t line,
		    const char **rule)
{
	const char *ignored;
	return cacheable_range(soc, cpu, size, line, rule ? rule : &ignored) ? 0 : DMABUF_EINVAL;
}

static int range_op(struct sim_soc *soc, const void *cpu, size_t size, const char *what,
		    void (*op)(struct sim_soc *, struct sim_region *, uint32_t))
{
	const char *rule;
	struct sim_region *region = cacheable_range(soc, cpu, size, 0, &rule);
	if (!region) {
		sim_report("%s: %s (%p+%zu)", what, rule, cpu, size);
		return DMABUF_EINVAL;
	}
	/* No sim_observe(): each line's own compare decides what to do, and a
	 * range call must cost its lines, not the whole cache (a board's PSRAM
	 * is tens of MiB). Capacity is enforced at the next eviction round. */
	uint32_t first = (uint32_t)(((uintptr_t)cpu - (uintptr_t)region->view) / region->line);
	uint32_t count = (uint32_t)(size / region->line);
	for (uint32_t line = first; line < first + count; line++)
		op(soc, region, line);
	return 0;
}

int sim_cache_clean(struct sim_soc *soc, const void *cpu, size_t size)
{
	return range_op(soc, cpu, size, "sim_cache_clean", line_clean);
}

int sim_cache_invalidate(struct sim_soc *soc, const void *cpu, size_t size)
{
	return range_op(soc, cpu, size, "sim_cache_invalidate", line_invalidate);
}

static void every_line(struct sim_soc *soc, void (*op)(struct sim_soc *, struct sim_region *, uint32_t))
{
	sim_observe(soc);
	for (uint32_t r = 0; r < soc->board->region_count; r++) {
		struct sim_region *region = &soc->regions[r];
		if (!is_cacheable(region))
			continue;
		for (uint32_t line = 0; line < region->line_count; line++)
			op(soc, region, line);
	}
}

void sim_cache_clean_all(struct sim_soc *soc)
{
	every_line(soc, line_clean);
}

/* Clean before invalidating, line by line: the same bytes as a clean pass
 * followed by an invalidate pass, since no line's clean touches another. */
static void line_clean_invalidate(struct sim_soc *soc, struct sim_region *region, uint32_t line)
{
	line_clean(soc, region, line);
	line_invalidate(soc, region, line);
}

void sim_cache_clean_invalidate_all(struct sim_soc *soc)
{
	every_line(soc, line_clean_invalidate);
}

void sim_evict_all(struct sim_soc *soc)
{
	every_line(soc, line_evict);
}

void sim_set_eviction_rate(struct sim_soc *soc, double rate)
{
	double clamped = rate < 0.0 ? 0.0 : rate > 1.0 ? 1.0 : rate;
	soc->eviction_threshold = (uint32_t)(clamped * 65536.0 + 0.5);
}

void sim_seed(struct sim_soc *soc, uint64_t seed)
{
	soc->prng = seed;
}

void sim_evict_random(struct sim_soc *soc)
{
	sim_observe(soc);
	if (soc->eviction_threshold == 0)
		return;
	/* Each line gets a 16-bit draw; one PRNG output serves four lines (the
	 * rate's resolution, 1/65536, is plenty, and the draws are the hot loop). */
	uint64_t bits = 0;
	uint32_t bits_left = 0;
	for (uint32_t r = 0; r < soc->board->region_count; r++) {
		struct sim_region *region = &soc->regions[r];
		if (!is_cacheable(region))
			continue;
		for (uint32_t line = 0; line < region->line_count; line++) {
			if (bits_left == 0) {
				bits = sim_prng_next(&soc->prng);
				bits_left = 4;
			}
			uint32_t draw = (uint32_t)(bits & 0xFFFFu);
			bits >>= 16;
			bits_left--;
			if (draw < soc->eviction_threshold)
				line_evict(soc, region, line);
		}
	}
}

uint32_t sim_dirty_lines(struct sim_soc *soc)
{
	sim_observe(soc);
	uint32_t dirty = 0;
	for (uint32_t r = 0; r < soc->board->region_count; r++) {
		const struct sim_region *region = &soc->regions[r];
		if (!is_cacheable(region))
			continue;
		for (uint32_t line = 0; line < region->line_count; line++)
			dirty += region->dirty_since[line] != 0;
	}
	return dirty;
}

/* Lines of a cacheable region overlapping [offset, offset + length). */
static void overlapping_lines(struct sim_soc *soc, struct sim_region *region, uint32_t offset,
			      uint32_t length, void (*op)(struct sim_soc *, struct sim_region *, uint32_t))
{
	if (!is_cacheable(region))
		return;
	uint32_t first = offset / region->line;
	uint32_t last = (offset + length - 1) / region->line;
	for (uint32_t line = first; line <= last; line++)
		op(soc, region, line);
}

const uint8_t *sim_snoop_read(struct sim_soc *soc, struct sim_region *region, uint32_t offset,
			      uint32_t length)
{
	if (!is_cacheable(region))
		return region->bus + offset;
	uint8_t *out = NULL;
	uint32_t line_bytes = region->line;
	for (uint32_t line = offset / line_bytes; line <= (offset + length - 1) / line_bytes; line++) {
		if (!line_is_dirty(region, line))
			continue;
		if (!out) {
			out = soc->snoop_scratch;
			memcpy(out, region->bus + offset, length);
		}
		/* The part of this dirty line inside the segment. */
		uint32_t from = line * line_bytes > offset ? line * line_bytes : offset;
		uint32_t to = (line + 1) * line_bytes < offset + length ? (line + 1) * line_bytes
									 : offset + length;
		memcpy(out + (from - offset), region->view + from, to - from);
	}
	return out ? out : region->bus + offset;
}

void sim_snoop_write_begin(struct sim_soc *soc, struct sim_region *region, uint32_t offset,
			   uint32_t length)
{
	overlapping_lines(soc, region, offset, length, line_clean);
}

void sim_snoop_write_end(struct sim_soc *soc, struct sim_region *region, uint32_t offset,
			 uint32_t length)
{
	overlapping_lines(soc, region, offset, length, line_invalidate);
}
