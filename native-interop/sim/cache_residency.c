/*
 * Which lines the data cache holds (sim.h, "DOC: residency"): an opt-in
 * set-associative tag array with least-recently-used replacement, so a test
 * can count the refills that cache maintenance causes to other code. The
 * coherence model (cache_model.c) needs no tags: it decides what the CPU sees
 * line by line; this decides only what a CPU access costs.
 */
#include <stdlib.h>

#include "dmabuf/errors.h"
#include "sim_internal.h"

struct sim_residency {
	uint32_t sets;
	uint32_t ways;
	uint32_t line;
	uint32_t *tags;  /* sets x ways: bus line number + 1, 0 = invalid */
	uint64_t *used;  /* sets x ways: access stamp, the smallest goes first */
	uint64_t clock;
};

int sim_residency_enable(struct sim_soc *soc, uint32_t ways, uint32_t line)
{
	uint32_t size = soc->board->dcache_size;
	if (soc->residency || ways == 0 || line == 0 || (line & (line - 1u)) != 0 || size % (ways * line) != 0 ||
	    size == 0)
		return DMABUF_EINVAL;
	struct sim_residency *r = calloc(1, sizeof(*r));
	uint32_t slots = size / line;
	if (r) {
		r->tags = calloc(slots, sizeof(*r->tags));
		r->used = calloc(slots, sizeof(*r->used));
	}
	if (!r || !r->tags || !r->used) {
		sim_residency_free(r);
		return DMABUF_ENOMEM;
	}
	r->ways = ways;
	r->line = line;
	r->sets = slots / ways;
	soc->residency = r;
	return 0;
}

void sim_residency_free(struct sim_residency *r)
{
	if (!r)
		return;
	free(r->tags);
	free(r->used);
	free(r);
}

/* Sets are indexed by bus address, which is the board's, so the mapping of
 * lines to sets does not depend on where the host put the views. */
static uint32_t *slot_of(struct sim_residency *r, uint32_t bus_line, uint32_t *set)
{
	*set = bus_line % r->sets;
	uint32_t *tags = r->tags + (size_t)*set * r->ways;
	for (uint32_t w = 0; w < r->ways; w++)
		if (tags[w] == bus_line + 1u)
			return &tags[w];
	return NULL;
}

void sim_residency_drop(struct sim_soc *soc, const struct sim_region *region, uint32_t line)
{
	struct sim_residency *r = soc->residency;
	if (!r)
		return;
	uint32_t set, at = region->desc->bus_base + line * region->line;
	/* a region line larger than the tags' covers several tag lines */
	for (uint32_t b = at; b - at < region->line; b += r->line) {
		uint32_t *slot = slot_of(r, b / r->line, &set);
		if (slot)
			*slot = 0;
	}
}

int sim_cache_touch(struct sim_soc *soc, const void *cpu)
{
	struct sim_residency *r = soc->residency;
	if (!r)
		return DMABUF_EINVAL;
	for (uint32_t i = 0; i < soc->board->region_count; i++) {
		struct sim_region *region = &soc->regions[i];
		uintptr_t offset = (uintptr_t)cpu - (uintptr_t)region->view;
		if ((uintptr_t)cpu < (uintptr_t)region->view || offset >= region->desc->size)
			continue;
		if (!region->fetched)
			return DMABUF_EINVAL; /* uncached: no line to hold */
		uint32_t set, bus_line = (region->desc->bus_base + (uint32_t)offset) / r->line;
		uint32_t *slot = slot_of(r, bus_line, &set);
		r->clock++;
		if (slot) {
			r->used[slot - r->tags] = r->clock;
			return 1;
		}
		/* a miss: the line comes in over the least recently used way (an
		 * invalid way has stamp 0 or an older one, and goes first) */
		size_t first = (size_t)set * r->ways, victim = first;
		for (size_t w = first; w < first + r->ways; w++) {
			if (r->tags[w] == 0) {
				victim = w;
				break;
			}
			if (r->used[w] < r->used[victim])
				victim = w;
		}
		r->tags[victim] = bus_line + 1u;
		r->used[victim] = r->clock;
		soc->stats.refills++;
		return 0;
	}
	return DMABUF_EINVAL;
}
