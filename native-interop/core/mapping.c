/*
 * Mappings: the segment list a device programs for its DMA.
 *
 * The storage is one physically contiguous block, so the list is implicit:
 * (dma_addr, length, segment_bytes, segment_count), segment i starting at
 * dma_addr + i * segment_bytes (dmabuf_mapping_segment). It is computed at the
 * attachment's first map and kept: placement is final from then on, so every
 * later map only does the cache hand-over.
 */
#include "internal.h"

static void memo_compute(const struct dmabuf_ctx *ctx, struct dmabuf_attachment *att,
			 const struct dmabuf_buffer *buf)
{
	const struct dmabuf_device_desc *dev = &ctx->board->devices[att->device];
	att->memo.dma_addr = dmabuf_buffer_dma(ctx, buf);
	att->memo.length = buf->size;
	att->memo.segment_bytes = dmabuf_device_segment_bytes(dev);
	att->memo.segment_count = dmabuf_device_segment_count(dev, buf->size);
}

int dmabuf_map(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment, enum dmabuf_direction direction,
	       struct dmabuf_mapping *out)
{
	if (!ctx || !out)
		return DMABUF_EINVAL;
	/* Implicit sync (resv.h): before the lock, which a fence wait must not hold. */
	if (dmabuf_direction_valid(direction)) {
		int synced = dmabuf_resv_implicit_wait_attachment(ctx, attachment, dmabuf_device_writes(direction),
								  "dmabuf_map");
		if (synced)
			return synced;
	}
	struct dmabuf_attachment *att;
	dmabuf_lock(ctx);
	int err = dmabuf_attachment_lookup(ctx, attachment, "dmabuf_map", &att);
	if (err)
		goto out_unlock;
	struct dmabuf_buffer *buf = &ctx->buffers[att->buffer];
	const struct dmabuf_device_desc *dev = &ctx->board->devices[att->device];
	if (!dmabuf_direction_valid(direction)) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_map: direction: %u is not a direction (buffer '%s')",
				  (uint32_t)direction, buf->name);
		goto out_unlock;
	}
	if (att->memo.direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EEXIST, "dmabuf_map: mapped: device '%s' already maps buffer '%s' (%s)",
				  dev->name, buf->name, dmabuf_direction_name(att->memo.direction));
		goto out_unlock;
	}
	err = dmabuf_checker_map(ctx, buf, dev);
	if (err)
		goto out_unlock;

	/* Deferred storage placed here is given back if the map fails, and the
	 * heap's peak forgets it: a failing call changes nothing. */
	uint32_t peak = ctx->heap.peak;
	bool placed_here;
	err = dmabuf_place_for_use(ctx, buf, "dmabuf_map", &placed_here);
	if (err)
		goto out_unlock;
	err = dmabuf_sync_map(ctx, buf, dev, direction);
	if (err) {
		err = DMABUF_FAIL(ctx, err, "dmabuf_map: cache: backend failed (%d) for buffer '%s'", (int32_t)err,
				  buf->name);
		goto err_unplace;
	}

	if (att->memo.segment_count == 0)
		memo_compute(ctx, att, buf);
	att->memo.direction = (uint32_t)direction;
	bool was_device_owned = dmabuf_device_owned(buf);
	buf->mappings++;
	dmabuf_ownership_changed(ctx, buf, was_device_owned);
	buf->ever_mapped = true;
	*out = att->memo;
	goto out_unlock;

err_unplace:
	if (placed_here) {
		dmabuf_unplace(ctx, buf);
		ctx->heap.peak = peak;
	}
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
	if (!ctx || !m)
		return DMABUF_EINVAL;
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
	bool was_device_owned = dmabuf_device_owned(buf);
	buf->mappings--;
	dmabuf_ownership_changed(ctx, buf, was_device_owned);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}
