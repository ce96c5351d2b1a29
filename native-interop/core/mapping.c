/*
 * Mappings: the segment list a device programs for its DMA.
 *
 * The storage is one physically contiguous block, so the list is implicit:
 * (dma_addr, length, segment_bytes, segment_count), segment i starting at
 * dma_addr + i * segment_bytes (dmabuf_mapping_segment). It is computed at the
 * attachment's first map and kept, with whether its maps need cache work at
 * all: placement is final from then on, so every later map only does the
 * cache hand-over.
 */
#include "internal.h"

/* Not kept in a local by map: a memoised map without the checker never
 * needs the device description. */
static const struct dmabuf_device_desc *device_of(const struct dmabuf_ctx *ctx, const struct dmabuf_attachment *att)
{
	return &ctx->board->devices[att->device];
}

static void memo_compute(const struct dmabuf_ctx *ctx, struct dmabuf_attachment *att,
			 const struct dmabuf_buffer *buf, const struct dmabuf_device_desc *dev)
{
	att->memo.dma_addr = dmabuf_buffer_dma(ctx, buf);
	att->memo.length = buf->size;
	att->memo.segment_bytes = dmabuf_device_segment_bytes(dev);
	att->memo.segment_count = dmabuf_device_segment_count(dev, buf->size);
	att->cache_work = dmabuf_sync_map_needs_cache(ctx, buf, dev);
}

/* The cache hand-over of a map (sync.c rules 1 and 2), reported if the
 * backend fails. */
static int map_sync(struct dmabuf_ctx *ctx, const struct dmabuf_attachment *att, struct dmabuf_buffer *buf,
		    enum dmabuf_direction direction)
{
	int err = dmabuf_sync_map(ctx, buf, att->cache_work, direction);
	if (err)
		return DMABUF_FAIL(ctx, err, "dmabuf_map: cache: backend failed (%d) for buffer '%s'", (int32_t)err,
				   buf->name);
	return 0;
}

/*
 * The first map of @att: places deferred storage, memoises the mapping, then
 * does the hand-over. A failure undoes all three, even the heap's peak: a
 * failing call changes nothing, and placement becomes final only with a
 * successful map (until then the storage may move, so a memo kept now could
 * go stale). Every later map only calls map_sync.
 */
static int map_first(struct dmabuf_ctx *ctx, struct dmabuf_attachment *att, struct dmabuf_buffer *buf,
		     enum dmabuf_direction direction)
{
	uint32_t peak = ctx->heap.peak;
	bool placed_here;
	int err = dmabuf_place_for_use(ctx, buf, "dmabuf_map", &placed_here);
	if (err)
		return err;
	memo_compute(ctx, att, buf, device_of(ctx, att));
	err = map_sync(ctx, att, buf, direction);
	if (err) {
		att->memo.segment_count = 0;
		if (placed_here) {
			dmabuf_unplace(ctx, buf);
			ctx->heap.peak = peak;
		}
	}
	return err;
}

int dmabuf_map(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment, enum dmabuf_direction direction,
	       struct dmabuf_mapping *out)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_map", "ctx");
	if (!out)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_map: out: NULL");
	struct dmabuf_attachment *att;
	dmabuf_lock(ctx);
	int err = dmabuf_attachment_lookup(ctx, attachment, "dmabuf_map", &att);
	if (err)
		goto out_unlock;
	if (!dmabuf_direction_valid(direction)) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_map: direction: %u is not a direction (buffer '%s')",
				  (uint32_t)direction, ctx->buffers[att->buffer].name);
		goto out_unlock;
	}
	/* Implicit sync (resv.h) comes first: a wait drops the lock, after
	 * which the attachment is looked up again and nothing checked before
	 * the wait still holds. */
	err = dmabuf_implicit_sync(ctx, &ctx->buffers[att->buffer], dmabuf_device_writes(direction),
				   "dmabuf_map");
	if (err > 0)
		err = dmabuf_attachment_lookup(ctx, attachment, "dmabuf_map", &att);
	if (err)
		goto out_unlock;
	struct dmabuf_buffer *buf = &ctx->buffers[att->buffer];
	if (att->memo.direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EEXIST, "dmabuf_map: mapped: device '%s' already maps buffer '%s' (%s)",
				  device_of(ctx, att)->name, buf->name, dmabuf_direction_name(att->memo.direction));
		goto out_unlock;
	}
	err = dmabuf_checker_map(ctx, buf, att, direction);
	if (err)
		goto out_unlock;

	err = att->memo.segment_count ? map_sync(ctx, att, buf, direction) : map_first(ctx, att, buf, direction);
	if (err)
		goto out_unlock;
	att->memo.direction = (uint32_t)direction;
	buf->mappings++;
	/* Whether it was device-owned before, asked after the increment
	 * (mapped before this map, no CPU access): so it is only computed when
	 * a hook is there to hear it, not on every memoised map. */
	dmabuf_ownership_changed(ctx, buf, buf->mappings > 1 && !buf->cpu_direction);
	buf->ever_mapped = true;
	*out = att->memo;
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}

static bool same_mapping(const struct dmabuf_mapping *a, const struct dmabuf_mapping *b)
{
	return a->dma_addr == b->dma_addr && a->length == b->length && a->segment_bytes == b->segment_bytes &&
	       a->segment_count == b->segment_count && a->direction == b->direction;
}

int dmabuf_unmap(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment, const struct dmabuf_mapping *m,
		 enum dmabuf_direction direction)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_unmap", "ctx");
	if (!m)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_unmap: m: NULL");
	struct dmabuf_attachment *att;
	dmabuf_lock(ctx);
	int err = dmabuf_attachment_lookup(ctx, attachment, "dmabuf_unmap", &att);
	if (err)
		goto out_unlock;
	struct dmabuf_buffer *buf = &ctx->buffers[att->buffer];
	const char *device_name = ctx->board->devices[att->device].name;
	(void)device_name;
	if (!dmabuf_direction_valid(direction)) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_unmap: direction: %u is not a direction (buffer '%s')",
				  (uint32_t)direction, buf->name);
		goto out_unlock;
	}
	if (!att->memo.direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EPERM, "dmabuf_unmap: not-mapped: device '%s' has no mapping of buffer '%s' (double unmap?)",
				  device_name, buf->name);
		goto out_unlock;
	}
	if (direction != att->memo.direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EPERM, "dmabuf_unmap: direction: device '%s' mapped buffer '%s' %s, unmapped %s",
				  device_name, buf->name, dmabuf_direction_name(att->memo.direction),
				  dmabuf_direction_name(direction));
		goto out_unlock;
	}
	if (!same_mapping(m, &att->memo)) {
		err = DMABUF_FAIL(ctx, DMABUF_EPERM,
				  "dmabuf_unmap: mapping: 0x%x+%u is not the mapping of buffer '%s' by device '%s' (0x%x+%u)",
				  m->dma_addr, m->length, buf->name, device_name, att->memo.dma_addr, att->memo.length);
		goto out_unlock;
	}
	/* No cache work: see rule 3 in sync.c. */
	att->memo.direction = 0;
	buf->mappings--;
	/* Device-owned before: it was mapped (by this attachment at least), so
	 * only the CPU access decides; evaluated only with a hook. */
	dmabuf_ownership_changed(ctx, buf, !buf->cpu_direction);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}
