/*
 * Placement: which region holds a buffer's storage, who can reach it, and
 * moving it while that is still allowed.
 *
 * A device reaches a placed block if one of its windows holds the whole
 * padded block [dma_addr, dma_addr + padded) and dma_addr is a multiple of
 * its alignment. Choosing a region for a block not placed yet is stricter,
 * because the block may land anywhere in the region: a region suits a device
 * if one window holds the WHOLE region and the region's line (every block's
 * alignment) is a multiple of the device's alignment. Boards make the line at
 * least as large as every master's alignment (board.h), so in practice only
 * the windows decide.
 *
 * Region order: board order; with DMABUF_EXPORT_PREFER_UNCACHED, the
 * uncached regions first (board order), then the others.
 */
#include <string.h>

#include "internal.h"

#ifdef DMABUF_DEBUG
const char *dmabuf_reach_name(enum dmabuf_reach reach)
{
	switch (reach) {
	case DMABUF_REACH_OK:
		return "ok";
	case DMABUF_REACH_WINDOW:
		return "window";
	case DMABUF_REACH_ALIGNMENT:
		return "alignment";
	}
	return "?";
}
#endif

dmabuf_addr_t dmabuf_buffer_dma(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	const struct dmabuf_heap_block *block = &ctx->heap.blocks[buf->block];
	return ctx->board->regions[block->region].bus_base +
	       (block->offset << ctx->heap.regions[block->region].line_shift);
}

uint32_t dmabuf_buffer_padded(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	const struct dmabuf_heap_block *block = &ctx->heap.blocks[buf->block];
	return block->size << ctx->heap.regions[block->region].line_shift;
}

uint8_t *dmabuf_buffer_cpu(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	const struct dmabuf_heap_block *block = &ctx->heap.blocks[buf->block];
	return (uint8_t *)ctx->region_memory[block->region] +
	       (block->offset << ctx->heap.regions[block->region].line_shift);
}

/* [addr, addr + bytes) inside one window of @dev. Written without a sum
 * that could wrap (32-bit differences, not 64-bit sums: less code). */
static bool in_window(const struct dmabuf_device_desc *dev, dmabuf_addr_t addr, uint32_t bytes)
{
	for (uint32_t w = 0; w < dev->window_count; w++) {
		const struct dmabuf_window *window = &dev->windows[w];
		if (addr >= window->base && bytes <= window->size && addr - window->base <= window->size - bytes)
			return true;
	}
	return false;
}

enum dmabuf_reach dmabuf_device_reach(const struct dmabuf_device_desc *dev, dmabuf_addr_t addr,
				      uint32_t bytes)
{
	if (!in_window(dev, addr, bytes))
		return DMABUF_REACH_WINDOW;
	if (addr & (dev->align - 1u))
		return DMABUF_REACH_ALIGNMENT;
	return DMABUF_REACH_OK;
}

uint32_t dmabuf_device_segment_bytes(const struct dmabuf_device_desc *dev)
{
	return dev->max_segment_bytes & ~(dev->align - 1u);
}

uint32_t dmabuf_device_segment_count(const struct dmabuf_device_desc *dev, uint32_t size)
{
	uint32_t segment = dmabuf_device_segment_bytes(dev);
	return size / segment + (size % segment != 0);
}

static enum dmabuf_reach region_reach(const struct dmabuf_region_desc *region,
				      const struct dmabuf_device_desc *dev)
{
	if (!in_window(dev, region->bus_base, region->size))
		return DMABUF_REACH_WINDOW;
	if (region->cache_line % dev->align != 0)
		return DMABUF_REACH_ALIGNMENT;
	return DMABUF_REACH_OK;
}

/* The worst constraint any attached device (or @extra_device) has with @region. */
static enum dmabuf_reach region_reach_all(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
					  uint32_t region, int extra_device)
{
	const struct dmabuf_region_desc *desc = &ctx->board->regions[region];
	enum dmabuf_reach worst = DMABUF_REACH_OK;
	if (extra_device >= 0)
		worst = region_reach(desc, &ctx->board->devices[extra_device]);
	for (uint16_t a = buf->first_attachment; a != DMABUF_SLOT_NONE && worst != DMABUF_REACH_WINDOW;
	     a = ctx->attachments[a].next) {
		enum dmabuf_reach reach = region_reach(desc, &ctx->board->devices[ctx->attachments[a].device]);
		if (reach == DMABUF_REACH_WINDOW || worst == DMABUF_REACH_OK)
			worst = reach;
	}
	return worst;
}

bool dmabuf_region_suits(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
			 uint32_t region, int extra_device)
{
	return region_reach_all(ctx, buf, region, extra_device) == DMABUF_REACH_OK;
}

enum dmabuf_reach dmabuf_best_region_reach(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
					   int extra_device)
{
	enum dmabuf_reach best = DMABUF_REACH_WINDOW;
	for (uint32_t r = 0; r < ctx->board->region_count && best != DMABUF_REACH_OK; r++) {
		enum dmabuf_reach reach = region_reach_all(ctx, buf, r, extra_device);
		if (reach != DMABUF_REACH_WINDOW)
			best = reach;
	}
	return best;
}

static bool region_in_pass(const struct dmabuf_region_desc *region, uint8_t export_flags, uint32_t pass)
{
	if (!(export_flags & DMABUF_EXPORT_PREFER_UNCACHED))
		return pass == 0;
	bool uncached = !(region->flags & DMABUF_REGION_CACHEABLE);
	return pass == 0 ? uncached : !uncached;
}

/* A block for @buf in the first suitable region with room; *suitable says
 * whether any region suited at all (-EFAULT rather than -ENOMEM). */
static uint16_t alloc_in_order(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, int extra_device,
			       bool *suitable)
{
	uint16_t owner = dmabuf_buffer_slot(ctx, buf);
	*suitable = false;
	for (uint32_t pass = 0; pass < 2; pass++) {
		for (uint32_t r = 0; r < ctx->board->region_count; r++) {
			const struct dmabuf_region_desc *desc = &ctx->board->regions[r];
			if (!region_in_pass(desc, buf->export_flags, pass) ||
			    !dmabuf_region_suits(ctx, buf, r, extra_device))
				continue;
			*suitable = true;
			/* lines to cover size bytes (size >= 1: export refuses 0) */
			uint32_t granules = ((buf->size - 1u) >> ctx->heap.regions[r].line_shift) + 1u;
			uint16_t block = dmabuf_heap_alloc(&ctx->heap, r, granules, owner);
			if (block != DMABUF_SLOT_NONE)
				return block;
		}
	}
	if (*suitable)
		ctx->heap.failed++;
	return DMABUF_SLOT_NONE;
}

int dmabuf_place(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, int extra_device)
{
	bool suitable;
	uint16_t block = alloc_in_order(ctx, buf, extra_device, &suitable);
	if (block == DMABUF_SLOT_NONE)
		return suitable ? DMABUF_ENOMEM : DMABUF_EFAULT;
	buf->block = block;
	dmabuf_sync_placed(buf);
	return 0;
}

int dmabuf_place_deferred(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, const char *caller)
{
	(void)caller;
	int err = dmabuf_place(ctx, buf, -1);
	if (err)
		return DMABUF_FAIL(ctx, err,
				   "%s: heap: no region every attached device reaches has %u free bytes (buffer '%s')",
				   caller, buf->size, buf->name);
	return 0;
}

void dmabuf_unplace(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf)
{
	dmabuf_heap_free(&ctx->heap, buf->block);
	buf->block = DMABUF_SLOT_NONE;
	/* No storage, no cache facts: as exported (a failed map that placed
	 * deferred storage must leave no "dirty" behind). */
	buf->cache_state = 0;
}

int dmabuf_migrate(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, int extra_device)
{
	bool suitable;
	uint32_t peak = ctx->heap.peak;
	uint16_t block = alloc_in_order(ctx, buf, extra_device, &suitable);
	if (block == DMABUF_SLOT_NONE)
		return suitable ? DMABUF_ENOMEM : DMABUF_EFAULT;

	uint16_t old_block = buf->block;
	const uint8_t *from = dmabuf_buffer_cpu(ctx, buf);
	buf->block = block;
	/* Through the CPU's view: the cache holds the latest CPU writes, and a
	 * never-mapped buffer has no device data the cache could hide. */
	memcpy(dmabuf_buffer_cpu(ctx, buf), from, buf->size);
	int err = dmabuf_sync_migrated(ctx, buf);
	if (err) {
		buf->block = old_block;
		dmabuf_heap_free(&ctx->heap, block);
		ctx->heap.peak = peak; /* a failed move leaves no trace, not even here */
		return err;
	}
	dmabuf_heap_free(&ctx->heap, old_block);
	return 0;
}
