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

/* The line of @p's pieces in @r: the pool's own when it states one. */
static uint32_t line_of(const struct dmabuf_region_desc *r, const struct dmabuf_pool *p)
{
	return p->cache_line ? p->cache_line : r->cache_line;
}

/* Whole lines of @r inside @p: [*lo, *hi). False if there are none. */
static bool whole_lines(const struct dmabuf_region_desc *r, const struct dmabuf_pool *p, uint64_t *lo,
			uint64_t *hi)
{
	uint64_t line = line_of(r, p);
	uint64_t from = p->bus_base > r->bus_base ? p->bus_base : r->bus_base;
	uint64_t to = end_of(p->bus_base, p->size) < end_of(r->bus_base, r->size) ? end_of(p->bus_base, p->size)
										     : end_of(r->bus_base, r->size);
	*lo = (from + line - 1) / line * line;
	*hi = to / line * line;
	return *hi > *lo;
}

/* [base, base + size) inside one window of @dev. */
static bool in_windows(const struct dmabuf_device_desc *dev, uint64_t base, uint64_t size)
{
	for (uint32_t w = 0; w < dev->window_count; w++)
		if (base >= dev->windows[w].base && end_of(base, size) <= end_of(dev->windows[w].base, dev->windows[w].size))
			return true;
	return false;
}

/*
 * The windows of the board's device @d once the dedicated pools are
 * applied, written to @out unless NULL; returns how many. An owner gets its
 * pools; any other device its board windows minus the dedicated pools that
 * do not name it.
 */
static uint32_t device_windows(const struct dmabuf_board *board, uint32_t d, const struct dmabuf_pool *pools,
			       uint32_t pool_count, struct dmabuf_window *out)
{
	const uint32_t bit = 1u << d;
	uint32_t n = 0;
	bool owner = false;
	for (uint32_t p = 0; p < pool_count; p++) {
		if (!(pools[p].owners & bit))
			continue;
		if (out)
			out[n] = (struct dmabuf_window){ pools[p].bus_base, pools[p].size };
		n++;
		owner = true;
	}
	if (owner)
		return n;
	const struct dmabuf_device_desc *dev = &board->devices[d];
	for (uint32_t w = 0; w < dev->window_count; w++) {
		uint64_t at = dev->windows[w].base;
		const uint64_t end = end_of(at, dev->windows[w].size);
		for (;;) {
			/* The lowest closed pool left in [at, end); pools do not overlap. */
			const struct dmabuf_pool *cut = NULL;
			for (uint32_t p = 0; p < pool_count; p++) {
				const struct dmabuf_pool *q = &pools[p];
				if (q->devices && !(q->devices & bit) && q->bus_base < end &&
				    end_of(q->bus_base, q->size) > at && (!cut || q->bus_base < cut->bus_base))
					cut = q;
			}
			uint64_t stop = !cut ? end : cut->bus_base > at ? cut->bus_base : at;
			if (stop > at) {
				if (out)
					out[n] = (struct dmabuf_window){ (dmabuf_addr_t)at, (uint32_t)(stop - at) };
				n++;
			}
			if (!cut)
				break;
			at = end_of(cut->bus_base, cut->size);
		}
	}
	return n;
}

/* What the dedicated pools must satisfy, the room for the cut windows included. */
static int check_dedicated(const struct dmabuf_board *board, const struct dmabuf_pool *pools, uint32_t pool_count,
			   const struct dmabuf_adapter_report *rep)
{
	if (board->device_count > DMABUF_RUNTIME_MAX_DEVICES)
		return ADAPTER_FAIL(rep, DMABUF_ENOMEM, "runtime board: a dedicated pool on a board of more than 8 devices");
	const uint32_t known = (1u << board->device_count) - 1u;
	for (uint32_t p = 0; p < pool_count; p++) {
		if ((pools[p].devices & ~known) || (pools[p].owners & ~pools[p].devices))
			return ADAPTER_FAIL(rep, DMABUF_EINVAL,
					    "runtime board: a dedicated pool names no device of the board, or an owner it "
					    "does not let reach it");
		for (uint32_t d = 0; d < board->device_count; d++)
			if ((pools[p].owners & (1u << d)) && !in_windows(&board->devices[d], pools[p].bus_base, pools[p].size))
				return ADAPTER_FAIL(rep, DMABUF_EINVAL,
						    "runtime board: a dedicated pool lies outside the windows of its owner");
	}
	uint32_t windows = 0;
	for (uint32_t d = 0; d < board->device_count; d++)
		windows += device_windows(board, d, pools, pool_count, NULL);
	if (windows > DMABUF_RUNTIME_MAX_WINDOWS)
		return ADAPTER_FAIL(rep, DMABUF_ENOMEM, "runtime board: dedicated pools cut more than 16 device windows");
	return 0;
}

int dmabuf_runtime_board_init(struct dmabuf_runtime_board *out, const struct dmabuf_board *board,
			      const struct dmabuf_pool *pools, uint32_t pool_count,
			      dmabuf_report_fn report, void *report_user)
{
	const struct dmabuf_adapter_report rep = { report, report_user };
	bool dedicated = false;
	if (!out || !board || !board->regions || !pools || !pool_count)
		return ADAPTER_FAIL(&rep, DMABUF_EINVAL, "runtime board: board and at least one pool are required");
	for (uint32_t p = 0; p < pool_count; p++) {
		if (!pools[p].cpu || !pools[p].size)
			return ADAPTER_FAIL(&rep, DMABUF_EINVAL, "runtime board: a pool has no memory");
		uint32_t line = pools[p].cache_line;
		if (line && (line < 4u || (line & (line - 1u))))
			return ADAPTER_FAIL(&rep, DMABUF_EINVAL, "runtime board: a pool's line is not a power of two >= 4");
		dedicated |= (pools[p].devices | pools[p].owners) != 0;
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
	if (dedicated) {
		int err = check_dedicated(board, pools, pool_count, &rep);
		if (err)
			return err;
	}

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
				.cache_line = line_of(region, &pools[p]),
			};
			out->region_memory[n] = (uint8_t *)pools[p].cpu + (lo - pools[p].bus_base);
			n++;
		}
	}
	out->board = *board;
	out->board.regions = out->regions;
	out->board.region_count = n;
	if (!dedicated)
		return 0;
	struct dmabuf_window *next = out->windows;
	for (uint32_t d = 0; d < board->device_count; d++) {
		out->devices[d] = board->devices[d];
		out->devices[d].windows = next;
		out->devices[d].window_count = device_windows(board, d, pools, pool_count, next);
		next += out->devices[d].window_count;
	}
	out->board.devices = out->devices;
	return 0;
}
