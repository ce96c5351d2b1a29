/*
 * The simulated SoC: one bus memory per board region (plus, for cacheable
 * regions, the CPU view and the fetched copy of the cache model), the PRNG,
 * statistics, and the lookup from bus addresses to regions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#if defined(DMABUF_DEBUG)
void sim_report(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("sim: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
	va_end(args);
}
#endif

uint64_t sim_prng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static bool board_is_valid(const struct dmabuf_board *board)
{
	if (!board || !board->regions || board->region_count == 0) {
		sim_report("sim_create: board: no regions");
		return false;
	}
	for (uint32_t i = 0; i < board->region_count; i++) {
		const struct dmabuf_region_desc *r = &board->regions[i];
		uint32_t line = r->cache_line;
		if (line < 4 || (line & (line - 1)) != 0 || r->size == 0 || r->size % line != 0 ||
		    r->bus_base % line != 0 || (uint64_t)r->bus_base + r->size > 0x100000000u) {
			sim_report("sim_create: region '%s': line not a power of two >= 4, or base/size not whole lines",
				   r->name ? r->name : "?");
			return false;
		}
		if ((r->flags & DMABUF_REGION_CACHEABLE) && board->dcache_size == 0) {
			sim_report("sim_create: region '%s' is cacheable but the board has no data cache",
				   r->name ? r->name : "?");
			return false;
		}
		for (uint32_t j = 0; j < i; j++) {
			const struct dmabuf_region_desc *o = &board->regions[j];
			if ((uint64_t)r->bus_base < (uint64_t)o->bus_base + o->size &&
			    (uint64_t)o->bus_base < (uint64_t)r->bus_base + r->size) {
				sim_report("sim_create: regions '%s' and '%s' overlap", o->name ? o->name : "?",
					   r->name ? r->name : "?");
				return false;
			}
		}
	}
	return true;
}

/* Line-aligned, so the CPU addresses the core computes are aligned exactly as
 * the bus addresses are. aligned_alloc wants a size multiple of the alignment. */
static uint8_t *alloc_lines(uint32_t size, uint32_t line)
{
	size_t align = line < 16 ? 16 : line;
	return aligned_alloc(align, (size + align - 1) / align * align);
}

static void free_region(struct sim_region *region)
{
	if (region->view != region->bus)
		free(region->view);
	free(region->bus);
	free(region->fetched);
	free(region->dirty_since);
}

void sim_destroy(struct sim_soc *soc)
{
	if (!soc)
		return;
	while (soc->engines) {
		struct sim_dma_engine *next = soc->engines->next;
		free(soc->engines);
		soc->engines = next;
	}
	if (soc->regions)
		for (uint32_t i = 0; i < soc->board->region_count; i++)
			free_region(&soc->regions[i]);
	free(soc->regions);
	free(soc->region_memory);
	free(soc->dirty_scratch);
	free(soc->snoop_scratch);
	sim_residency_free(soc->residency);
	free(soc);
}

static int init_region(struct sim_region *region, const struct dmabuf_region_desc *desc,
		       uint64_t *contents)
{
	region->desc = desc;
	region->line = desc->cache_line;
	region->line_count = desc->size / desc->cache_line;
	region->bus = alloc_lines(desc->size, desc->cache_line);
	if (!region->bus)
		return DMABUF_ENOMEM;
	for (uint32_t i = 0; i < desc->size; i += 8) {
		uint64_t bytes = sim_prng_next(contents);
		memcpy(region->bus + i, &bytes, desc->size - i < 8 ? desc->size - i : 8);
	}
	if (!(desc->flags & DMABUF_REGION_CACHEABLE)) {
		region->view = region->bus;
		return 0;
	}
	region->view = alloc_lines(desc->size, desc->cache_line);
	region->fetched = malloc(desc->size);
	region->dirty_since = calloc(region->line_count, sizeof(*region->dirty_since));
	if (!region->view || !region->fetched || !region->dirty_since)
		return DMABUF_ENOMEM;
	memcpy(region->view, region->bus, desc->size);
	memcpy(region->fetched, region->bus, desc->size);
	return 0;
}

int sim_create(const struct dmabuf_board *board, uint64_t seed, struct sim_soc **out)
{
	if (!out || !board_is_valid(board))
		return DMABUF_EINVAL;
	struct sim_soc *soc = calloc(1, sizeof(*soc));
	if (!soc)
		return DMABUF_ENOMEM;
	soc->board = board;
	soc->prng = seed;
	soc->regions = calloc(board->region_count, sizeof(*soc->regions));
	soc->region_memory = calloc(board->region_count, sizeof(*soc->region_memory));
	if (!soc->regions || !soc->region_memory)
		goto err_nomem;

	/* Memory contents come from their own stream, so the eviction schedule
	 * of a seed does not depend on the memory size. */
	uint64_t contents = ~seed;
	uint32_t cacheable_lines = 0, largest = 0;
	for (uint32_t i = 0; i < board->region_count; i++) {
		if (init_region(&soc->regions[i], &board->regions[i], &contents) != 0)
			goto err_nomem;
		soc->region_memory[i] = soc->regions[i].view;
		if (soc->regions[i].fetched)
			cacheable_lines += soc->regions[i].line_count;
		if (board->regions[i].size > largest)
			largest = board->regions[i].size;
	}
	soc->dirty_scratch = calloc(cacheable_lines ? cacheable_lines : 1, sizeof(*soc->dirty_scratch));
	soc->snoop_scratch = malloc(largest);
	if (!soc->dirty_scratch || !soc->snoop_scratch)
		goto err_nomem;
	*out = soc;
	return 0;

err_nomem:
	sim_report("sim_create: out of host memory");
	sim_destroy(soc);
	return DMABUF_ENOMEM;
}

const struct dmabuf_board *sim_board(const struct sim_soc *soc)
{
	return soc->board;
}

void *const *sim_region_memory(const struct sim_soc *soc)
{
	return soc->region_memory;
}

struct sim_region *sim_region_at_bus(struct sim_soc *soc, dmabuf_addr_t addr, uint32_t length)
{
	if (length == 0)
		return NULL;
	for (uint32_t i = 0; i < soc->board->region_count; i++) {
		const struct dmabuf_region_desc *desc = soc->regions[i].desc;
		if (addr >= desc->bus_base && (uint64_t)addr + length <= (uint64_t)desc->bus_base + desc->size)
			return &soc->regions[i];
	}
	return NULL;
}

uint8_t *sim_bus(struct sim_soc *soc, dmabuf_addr_t addr, uint32_t length)
{
	struct sim_region *region = sim_region_at_bus(soc, addr, length);
	return region ? region->bus + (addr - region->desc->bus_base) : NULL;
}

void sim_stats(const struct sim_soc *soc, struct sim_stats *out)
{
	*out = soc->stats;
}

void sim_stats_reset(struct sim_soc *soc)
{
	memset(&soc->stats, 0, sizeof(soc->stats));
}
