/*
 * dmabuf_check: verify every internal invariant. A diagnostic for tests and
 * debugging: it walks everything (O(blocks + slots)), every walk bounded by
 * the pool size so a corrupted link cannot hang it. The first broken
 * invariant is reported (debug builds) and -EIO returned.
 *
 * A build may leave the walker out with DMABUF_INVARIANT_CHECK=0 (it is the
 * largest single piece of the core, docs/SIZE.md); dmabuf_check then
 * returns -ENOTSUP. Every test build keeps it in.
 */
#include "internal.h"

#if DMABUF_INVARIANT_CHECK

#define BROKEN(ctx, ...) DMABUF_FAIL((ctx), DMABUF_EIO, __VA_ARGS__)

/* The spare chain holds only UNUSED descriptors, without a loop. That they
 * are ALL the UNUSED ones follows in check_heap: the tilings hold only used
 * descriptors, each once, and chain + tilings must count every descriptor. */
static int check_spare(const struct dmabuf_ctx *ctx, uint32_t *unused)
{
	const struct dmabuf_heap *heap = &ctx->heap;
	uint32_t chained = 0;
	for (uint16_t b = heap->spare; b != DMABUF_SLOT_NONE; b = heap->blocks[b].next_free) {
		if (b >= heap->block_count || heap->blocks[b].state != DMABUF_BLOCK_UNUSED ||
		    ++chained > heap->block_count)
			return BROKEN(ctx, "dmabuf_check: heap-spare: descriptor %u on the spare chain is in use or the chain loops",
				      (uint32_t)b);
	}
	*unused = chained;
	return 0;
}

/* Blocks tile the region exactly, in address order, never two free in a row;
 * allocated blocks belong to the buffer that names them. */
static int check_tiling(const struct dmabuf_ctx *ctx, uint32_t r, uint32_t *blocks, uint32_t *free_blocks,
			uint32_t *allocated_bytes)
{
	const struct dmabuf_heap *heap = &ctx->heap;
	const struct dmabuf_heap_region *region = &heap->regions[r];
	const char *name = ctx->board->regions[r].name;
	(void)name;
	uint32_t offset = 0;
	uint16_t prev = DMABUF_SLOT_NONE;
	bool prev_free = false;
	for (uint16_t b = region->first_block; b != DMABUF_SLOT_NONE; b = heap->blocks[b].next_phys) {
		const struct dmabuf_heap_block *block = &heap->blocks[b];
		if (b >= heap->block_count || ++*blocks > heap->block_count)
			return BROKEN(ctx, "dmabuf_check: heap-tiling: region '%s' chain leaves the pool or loops", name);
		if (block->state == DMABUF_BLOCK_UNUSED || block->region != r || block->prev_phys != prev ||
		    block->offset != offset || block->size == 0 || block->size > region->granules - offset)
			return BROKEN(ctx, "dmabuf_check: heap-tiling: block %u in region '%s' (offset %u, size %u) does not continue the tiling at %u",
				      (uint32_t)b, name, block->offset, block->size, offset);
		bool is_free = block->state == DMABUF_BLOCK_FREE;
		if (is_free && prev_free)
			return BROKEN(ctx, "dmabuf_check: heap-coalesce: blocks %u and %u in region '%s' are adjacent and free",
				      (uint32_t)prev, (uint32_t)b, name);
		if (is_free) {
			++*free_blocks;
		} else {
			const struct dmabuf_buffer *owner =
				block->owner < ctx->max_buffers ? &ctx->buffers[block->owner] : NULL;
			if (!owner || owner->refcount == 0 || owner->block != b)
				return BROKEN(ctx, "dmabuf_check: heap-owner: allocated block %u in region '%s' has no live owner",
					      (uint32_t)b, name);
			*allocated_bytes += block->size << region->line_shift;
		}
		prev_free = is_free;
		prev = b;
		offset += block->size;
	}
	if (offset != region->granules)
		return BROKEN(ctx, "dmabuf_check: heap-tiling: region '%s' blocks cover %u of %u granules", name, offset,
			      region->granules);
	return 0;
}

/* Class lists hold exactly the free blocks of their class; bitmaps agree. */
static int check_classes(const struct dmabuf_ctx *ctx, uint32_t r, uint32_t *listed)
{
	const struct dmabuf_heap *heap = &ctx->heap;
	const struct dmabuf_heap_region *region = &heap->regions[r];
	const char *name = ctx->board->regions[r].name;
	(void)name;
	for (uint32_t fl = 0; fl < region->fl_count; fl++) {
		bool fl_bit = (region->fl_bitmap >> fl) & 1u;
		if (fl_bit != (region->sl_bitmaps[fl] != 0))
			return BROKEN(ctx, "dmabuf_check: heap-bitmap: region '%s' first-level bit %u disagrees with its second level",
				      name, fl);
		for (uint32_t sl = 0; sl < DMABUF_HEAP_SL_COUNT; sl++) {
			uint16_t head = region->heads[fl * DMABUF_HEAP_SL_COUNT + sl];
			bool sl_bit = (region->sl_bitmaps[fl] >> sl) & 1u;
			if (sl_bit != (head != DMABUF_SLOT_NONE))
				return BROKEN(ctx, "dmabuf_check: heap-bitmap: region '%s' class (%u, %u) bit disagrees with its list",
					      name, fl, sl);
			uint16_t prev = DMABUF_SLOT_NONE;
			for (uint16_t b = head; b != DMABUF_SLOT_NONE; b = heap->blocks[b].next_free) {
				if (b >= heap->block_count || ++*listed > heap->block_count ||
				    heap->blocks[b].state != DMABUF_BLOCK_FREE || heap->blocks[b].region != r ||
				    heap->blocks[b].prev_free != prev ||
				    dmabuf_heap_class(heap->blocks[b].size) != fl * DMABUF_HEAP_SL_COUNT + sl)
					return BROKEN(ctx, "dmabuf_check: heap-lists: block %u on region '%s' class (%u, %u) is not a free block of that class",
						      (uint32_t)b, name, fl, sl);
				prev = b;
			}
		}
	}
	return 0;
}

static int check_heap(const struct dmabuf_ctx *ctx)
{
	const struct dmabuf_heap *heap = &ctx->heap;
	uint32_t unused = 0, blocks = 0, free_blocks = 0, listed = 0, allocated_bytes = 0;
	int err = check_spare(ctx, &unused);
	for (uint32_t r = 0; r < ctx->board->region_count && !err; r++) {
		err = check_tiling(ctx, r, &blocks, &free_blocks, &allocated_bytes);
		if (!err)
			err = check_classes(ctx, r, &listed);
	}
	if (err)
		return err;
	if (blocks + unused != heap->block_count)
		return BROKEN(ctx, "dmabuf_check: heap-tiling: %u descriptors tile regions, %u spare, of %u", blocks, unused,
			      heap->block_count);
	if (listed != free_blocks)
		return BROKEN(ctx, "dmabuf_check: heap-lists: %u free blocks, %u on class lists", free_blocks, listed);
	if (allocated_bytes != heap->in_use || heap->peak < heap->in_use)
		return BROKEN(ctx, "dmabuf_check: heap-stats: in_use %u, allocated blocks hold %u, peak %u", heap->in_use,
			      allocated_bytes, heap->peak);
	return 0;
}

/* A free-slot FIFO holds exactly the slots that are not live. */
static int check_pool(const struct dmabuf_ctx *ctx, const struct dmabuf_slot_pool *pool, uint32_t count,
		      uint32_t live, const char *what)
{
	(void)what;
	uint32_t chained = 0;
	for (uint16_t s = pool->head; s != DMABUF_SLOT_NONE; s = dmabuf_slot_pool_next(pool, s))
		if (s >= count || ++chained > count)
			return BROKEN(ctx, "dmabuf_check: slots: %s free list leaves the pool or loops", what);
	if (chained + live != count)
		return BROKEN(ctx, "dmabuf_check: slots: %u free %s slots + %u live != %u", chained, what, live, count);
	return 0;
}

static int check_attachments_of(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, uint32_t *total)
{
	uint16_t slot = dmabuf_buffer_slot(ctx, buf);
	uint32_t count = 0, mapped = 0;
	for (uint16_t a = buf->first_attachment; a != DMABUF_SLOT_NONE; a = ctx->attachments[a].next) {
		const struct dmabuf_attachment *att = &ctx->attachments[a];
		if (a >= ctx->max_attachments || ++count > ctx->max_attachments || !att->live || att->buffer != slot ||
		    att->device >= ctx->board->device_count)
			return BROKEN(ctx, "dmabuf_check: attachments: buffer '%s' lists attachment %u that is not its own",
				      buf->name, (uint32_t)a);
		const struct dmabuf_device_desc *dev = &ctx->board->devices[att->device];
		for (uint16_t b = att->next; b != DMABUF_SLOT_NONE && b < ctx->max_attachments;
		     b = ctx->attachments[b].next)
			if (ctx->attachments[b].device == att->device)
				return BROKEN(ctx, "dmabuf_check: attachments: device '%s' is attached twice to buffer '%s'",
					      dev->name, buf->name);
		if (dmabuf_buffer_placed(buf) &&
		    dmabuf_device_reach(dev, dmabuf_buffer_dma(ctx, buf), dmabuf_buffer_padded(ctx, buf)) != DMABUF_REACH_OK)
			return BROKEN(ctx, "dmabuf_check: reach: attached device '%s' cannot reach buffer '%s'", dev->name,
				      buf->name);
		if (att->memo.segment_count != 0 &&
		    (!dmabuf_buffer_placed(buf) || att->memo.dma_addr != dmabuf_buffer_dma(ctx, buf)))
			return BROKEN(ctx, "dmabuf_check: mapping: device '%s' memoised a mapping of buffer '%s' that moved",
				      dev->name, buf->name);
		mapped += att->memo.direction != 0;
	}
	if (count != buf->attachments || mapped != buf->mappings)
		return BROKEN(ctx, "dmabuf_check: attachments: buffer '%s' counts %u attachments / %u mapped, lists %u / %u",
			      buf->name, (uint32_t)buf->attachments, (uint32_t)buf->mappings, count, mapped);
	*total += count;
	return 0;
}

static int check_buffer(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, uint32_t *attachments)
{
	if (dmabuf_buffer_placed(buf)) {
		if (buf->block >= ctx->heap.block_count || ctx->heap.blocks[buf->block].state != DMABUF_BLOCK_ALLOCATED ||
		    ctx->heap.blocks[buf->block].owner != dmabuf_buffer_slot(ctx, buf))
			return BROKEN(ctx, "dmabuf_check: storage: buffer '%s' names block %u it does not own", buf->name,
				      (uint32_t)buf->block);
		if (dmabuf_buffer_padded(ctx, buf) < buf->size)
			return BROKEN(ctx, "dmabuf_check: storage: buffer '%s' block is smaller than its %u bytes", buf->name,
				      buf->size);
	} else if (buf->ever_mapped || buf->cpu_direction) {
		return BROKEN(ctx, "dmabuf_check: storage: unplaced buffer '%s' was mapped or has CPU access", buf->name);
	}
	if (buf->mappings > 0 && !buf->ever_mapped)
		return BROKEN(ctx, "dmabuf_check: mapping: buffer '%s' is mapped but not marked ever_mapped", buf->name);
	if (buf->cpu_direction &&
	    (!dmabuf_direction_valid(buf->cpu_direction) || buf->cpu_length == 0 || buf->cpu_length > buf->size ||
	     buf->cpu_offset > buf->size - buf->cpu_length))
		return BROKEN(ctx, "dmabuf_check: cpu-access: buffer '%s' open access %u+%u is not a valid range", buf->name,
			      buf->cpu_offset, buf->cpu_length);
	return check_attachments_of(ctx, buf, attachments);
}

int dmabuf_check(const struct dmabuf_ctx *ctx)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_check", "ctx");
	dmabuf_lock(ctx);
	int err = check_heap(ctx);
	uint32_t live = 0, attachments = 0, live_attachments = 0;
	for (uint32_t slot = 0; slot < ctx->max_buffers && !err; slot++) {
		if (ctx->buffers[slot].refcount == 0)
			continue;
		live++;
		err = check_buffer(ctx, &ctx->buffers[slot], &attachments);
	}
	for (uint32_t slot = 0; slot < ctx->max_attachments; slot++)
		live_attachments += ctx->attachments[slot].live;
	if (!err && (live != ctx->live_buffers || attachments != ctx->live_attachments ||
		     live_attachments != ctx->live_attachments))
		err = BROKEN(ctx, "dmabuf_check: counts: %u live buffers (counted %u), %u attachments listed, %u live (counted %u)",
			     live, ctx->live_buffers, attachments, live_attachments, ctx->live_attachments);
	if (!err)
		err = check_pool(ctx, &ctx->free_buffers, ctx->max_buffers, live, "buffer");
	if (!err)
		err = check_pool(ctx, &ctx->free_attachments, ctx->max_attachments, live_attachments, "attachment");
	dmabuf_unlock(ctx);
	return err;
}

#else

int dmabuf_check(const struct dmabuf_ctx *ctx)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_check", "ctx");
	return DMABUF_ENOTSUP;
}

#endif /* DMABUF_INVARIANT_CHECK */
