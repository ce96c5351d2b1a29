/*
 * Runtime board: the board's regions intersected with the firmware's pools.
 */
#include "dmabuf_runtime_board.h"

#include <stdbool.h>

#include "../adapters/adapter_report.h"

static uint64_t end_of(uint64_t base, uint64_t size)
{
	return base + size;
}

static bool overlap(const struct dmabuf_pool *a, const struct dmabuf_pool *b)
{
	return a->bus_base < end_of(b->bus_base, b->size) && b->bus_base < end_of(a->bus_base, a->size);
}

/* Whole lines of @r inside @p: [*lo, *hi). False if there are none. */
static bool whole_lines(const struct dmabuf_region_desc *r, const struct dmabuf_pool *p, uint64_t *lo,
			uint64_t *hi)
{
	uint64_t line = r->cache_line;
	uint64_t from = p->bus_base > r->bus_base ? p->bus_base : r->bus_base;
	uint64_t to = end_of(p->bus_base, p->size) < end_of(r->bus_base, r->size) ? end_of(p->bus_base, p->size)
										     : end_of(r->bus_base, r->size);
	*lo = (from + line - 1) / line * line;
	*hi = to / line * line;
	return *hi > *lo;
}

int dmabuf_runtime_board_init(struct dmabuf_runtime_board *out, const struct dmabuf_board *board,
			      const struct dmabuf_pool *pools, uint32_t pool_count,
			      dmabuf_report_fn report, void *report_user)
{
	const struct dmabuf_adapter_report rep = { report, report_user };
	if (!out || !board || !board->regions || !pools || !pool_count)
		return ADAPTER_FAIL(&rep, DMABUF_EINVAL, "runtime board: board and at least one pool are required");
	for (uint32_t p = 0; p < pool_count; p++) {
		if (!pools[p].cpu || !pools[p].size)
			return ADAPTER_FAIL(&rep, DMABUF_EINVAL, "runtime board: a pool has no memory");
		for (uint32_t q = 0; q < p; q++)
			if (overlap(&pools[p], &pools[q]))
				return ADAPTER_FAIL(&rep, DMABUF_EINVAL, "runtime board: two pools overlap");
	}

	/* Count first, so a refusal leaves @out untouched. */
	uint32_t pieces = 0;
	for (uint32_t p = 0; p < pool_count; p++) {
		uint32_t mine = 0;
		for (uint32_t r = 0; r < board->region_count; r++) {
			uint64_t lo, hi;
			mine += whole_lines(&board->regions[r], &pools[p], &lo, &hi);
		}
		if (!mine)
			return ADAPTER_FAIL(&rep, DMABUF_EINVAL,
					    "runtime board: a pool holds no whole line of any region of the board");
		pieces += mine;
	}
	if (pieces > DMABUF_RUNTIME_MAX_REGIONS)
		return ADAPTER_FAIL(&rep, DMABUF_ENOMEM, "runtime board: pools cut into more than 8 regions");

	uint32_t n = 0;
	for (uint32_t r = 0; r < board->region_count; r++) {
		const struct dmabuf_region_desc *region = &board->regions[r];
		for (uint32_t p = 0; p < pool_count; p++) {
			uint64_t lo, hi;
			if (!whole_lines(region, &pools[p], &lo, &hi))
				continue;
			out->regions[n] = (struct dmabuf_region_desc){
				.name = region->name,
				.bus_base = (dmabuf_addr_t)lo,
				.size = (uint32_t)(hi - lo),
				.flags = region->flags | (pools[p].flags & DMABUF_REGION_CACHEABLE),
				.cache_line = region->cache_line,
			};
			out->region_memory[n] = (uint8_t *)pools[p].cpu + (lo - pools[p].bus_base);
			n++;
		}
	}
	out->board = *board;
	out->board.regions = out->regions;
	out->board.region_count = n;
	return 0;
}
