/*
 * Attachments: a (buffer, device) pair. Attach is where reachability is
 * decided, each refusal naming its constraint:
 *
 *   segments   the device would need more descriptors than it can chain:
 *              ceil(size / segment_bytes) > max_segments, segment_bytes being
 *              max_segment_bytes rounded down to the device's alignment.
 *              Moving the storage cannot help.
 *   window     no window of the device holds [dma_addr, dma_addr + padded).
 *   alignment  dma_addr is not a multiple of the device's alignment.
 *
 * A window / alignment miss on placed storage moves the storage (contents
 * kept) to a region every attached device reaches, while the buffer was never
 * mapped and no CPU access is open; after the first map placement is final
 * and the attach fails. A buffer not placed yet (deferred) only needs SOME
 * region that would suit every attached device.
 */
#include "internal.h"

static dmabuf_handle_t attachment_handle(const struct dmabuf_ctx *ctx, const struct dmabuf_attachment *att)
{
	return dmabuf_handle_encode(DMABUF_HANDLE_ATTACHMENT, att->generation, (uint32_t)(att - ctx->attachments));
}

#ifdef DMABUF_DEBUG
/* The inline dmabuf_attachment_lookup refused @handle: say why. A handle
 * that decodes refers to a dead slot or an older generation: stale. */
int dmabuf_attachment_lookup_failed(const struct dmabuf_ctx *ctx, dmabuf_handle_t handle, const char *caller)
{
	uint32_t slot;
	uint16_t generation;
	enum dmabuf_handle_fault fault =
		dmabuf_handle_decode(handle, DMABUF_HANDLE_ATTACHMENT, ctx->max_attachments, &slot, &generation);
	if (fault == DMABUF_HANDLE_OK)
		fault = DMABUF_HANDLE_STALE;
	return DMABUF_FAIL(ctx, DMABUF_EBADF, "%s: handle: 0x%x is %s, not a live attachment", caller,
			   (uint32_t)handle, dmabuf_handle_fault_name(fault));
}
#endif

#ifdef DMABUF_DEBUG
/* For the message of a move with no room: of the regions where @buf could go
 * with @device_index attached (one exists: the move said -ENOMEM, not
 * -EFAULT), the one with the largest free block. */
static uint32_t roomiest_suited_region(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
				       int device_index)
{
	uint32_t best = 0, best_free = 0;
	bool found = false;
	for (uint32_t r = 0; r < ctx->board->region_count; r++) {
		uint32_t free_bytes = dmabuf_heap_largest_free_in(&ctx->heap, r);
		if (dmabuf_region_suits(ctx, buf, r, device_index) && (!found || free_bytes > best_free)) {
			best = r, best_free = free_bytes;
			found = true;
		}
	}
	return best;
}
#endif

/* Make placed storage reachable by @device (index @device_index), moving it
 * if still allowed. */
static int reach_placed(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, int device_index)
{
	const struct dmabuf_device_desc *dev = &ctx->board->devices[device_index];
	dmabuf_addr_t dma_addr = dmabuf_buffer_dma(ctx, buf);
	uint32_t padded = dmabuf_buffer_padded(ctx, buf);
	enum dmabuf_reach reach = dmabuf_device_reach(dev, dma_addr, padded);
	if (reach == DMABUF_REACH_OK)
		return 0;
	if (buf->ever_mapped)
		return DMABUF_FAIL(ctx, DMABUF_EFAULT,
				   "dmabuf_attach: %s: device '%s' cannot reach 0x%x+%u (buffer '%s'; placement is final since its first map)",
				   dmabuf_reach_name(reach), dev->name, dma_addr, padded, buf->name);
	if (buf->cpu_direction)
		return DMABUF_FAIL(ctx, DMABUF_EBUSY,
				   "dmabuf_attach: %s: device '%s' cannot reach 0x%x+%u (buffer '%s'), and storage cannot move while a CPU access is open",
				   dmabuf_reach_name(reach), dev->name, dma_addr, padded, buf->name);
	int err = dmabuf_migrate(ctx, buf, device_index);
	switch (err) {
	case 0:
		return 0;
	case DMABUF_EFAULT:
		return DMABUF_FAIL(ctx, err,
				   "dmabuf_attach: %s: device '%s' cannot reach 0x%x+%u (buffer '%s'), and no region suits every attached device",
				   dmabuf_reach_name(reach), dev->name, dma_addr, padded, buf->name);
	case DMABUF_ENOMEM:
		return DMABUF_FAIL(ctx, err,
				   "dmabuf_attach: heap: no room to move buffer '%s' (%u bytes) where device '%s' reaches it (roomiest region it may use: '%s', largest free block %u bytes)",
				   buf->name, buf->size, dev->name, ctx->board->regions[roomiest_suited_region(ctx, buf, device_index)].name,
				   dmabuf_heap_largest_free_in(&ctx->heap, roomiest_suited_region(ctx, buf, device_index)));
	default:
		return DMABUF_FAIL(ctx, err, "dmabuf_attach: cache: backend failed (%d) cleaning moved buffer '%s'",
				   (int32_t)err, buf->name);
	}
}

int dmabuf_attach(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, int device, dmabuf_handle_t *out)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_attach", "ctx");
	if (!out)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_attach: out: NULL");
	struct dmabuf_buffer *buf;
	dmabuf_lock(ctx);
	int err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_attach", &buf);
	if (err)
		goto out_unlock;
	if (device < 0 || (uint32_t)device >= ctx->board->device_count) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_attach: device: no device %d on board '%s'",
				  (int32_t)device, ctx->board->name);
		goto out_unlock;
	}
	const struct dmabuf_device_desc *dev = &ctx->board->devices[device];
	for (uint16_t a = buf->first_attachment; a != DMABUF_SLOT_NONE; a = ctx->attachments[a].next) {
		if (ctx->attachments[a].device == (uint16_t)device) {
			err = DMABUF_FAIL(ctx, DMABUF_EEXIST, "dmabuf_attach: attached: device '%s' is already attached to buffer '%s'",
					  dev->name, buf->name);
			goto out_unlock;
		}
	}
	uint16_t slot = ctx->free_attachments.head;
	if (slot == DMABUF_SLOT_NONE) {
		err = DMABUF_FAIL(ctx, DMABUF_ENOMEM, "dmabuf_attach: slots: all %u attachment slots in use (buffer '%s')",
				  ctx->max_attachments, buf->name);
		goto out_unlock;
	}
	uint32_t segments = dmabuf_device_segment_count(dev, buf->size);
	if (dev->max_segments != 0 && segments > dev->max_segments) {
		err = DMABUF_FAIL(ctx, DMABUF_EFAULT,
				  "dmabuf_attach: segments: device '%s' needs %u segments of %u bytes for %u bytes, at most %u (buffer '%s')",
				  dev->name, segments, dmabuf_device_segment_bytes(dev), buf->size, dev->max_segments,
				  buf->name);
		goto out_unlock;
	}
	if (dmabuf_buffer_placed(buf)) {
		err = reach_placed(ctx, buf, device);
		if (err)
			goto out_unlock;
	} else {
		enum dmabuf_reach reach = dmabuf_best_region_reach(ctx, buf, device);
		if (reach != DMABUF_REACH_OK) {
			err = DMABUF_FAIL(ctx, DMABUF_EFAULT,
					  "dmabuf_attach: %s: no region suits device '%s' and every attached device (buffer '%s', placement deferred)",
					  dmabuf_reach_name(reach), dev->name, buf->name);
			goto out_unlock;
		}
	}
	/* After a move this finds nothing owed: the move cleaned everything. */
	err = dmabuf_sync_attach(ctx, buf, dev);
	if (err) {
		err = DMABUF_FAIL(ctx, err, "dmabuf_attach: cache: backend failed (%d) cleaning buffer '%s' for device '%s'",
				  (int32_t)err, buf->name, dev->name);
		goto out_unlock;
	}

	dmabuf_slot_pool_take(&ctx->free_attachments);
	struct dmabuf_attachment *att = &ctx->attachments[slot];
	att->live = true;
	att->buffer = dmabuf_buffer_slot(ctx, buf);
	att->device = (uint16_t)device;
	att->memo = (struct dmabuf_mapping){ 0 };
	att->next = buf->first_attachment;
	buf->first_attachment = slot;
	buf->attachments++;
	ctx->live_attachments++;
	*out = attachment_handle(ctx, att);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}

void dmabuf_attachment_release(struct dmabuf_ctx *ctx, struct dmabuf_attachment *att)
{
	struct dmabuf_buffer *buf = &ctx->buffers[att->buffer];
	/* 32-bit: below max_attachments (< 0xFFFF), so it compares with the
	 * 16-bit links as it is, with no truncation to compute. */
	uint32_t slot = (uint32_t)(att - ctx->attachments);
	uint16_t *link = &buf->first_attachment;
	while (*link != slot)
		link = &ctx->attachments[*link].next;
	*link = att->next;
	buf->attachments--;
	att->live = false;
	att->generation = dmabuf_handle_next_generation(att->generation);
	dmabuf_slot_pool_give(&ctx->free_attachments, (uint16_t)slot);
	ctx->live_attachments--;
}

int dmabuf_detach(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_detach", "ctx");
	struct dmabuf_attachment *att;
	dmabuf_lock(ctx);
	int err = dmabuf_attachment_lookup(ctx, attachment, "dmabuf_detach", &att);
	if (err)
		goto out_unlock;
	if (att->memo.direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EBUSY, "dmabuf_detach: mapped: device '%s' still maps buffer '%s' (unmap first)",
				  ctx->board->devices[att->device].name, ctx->buffers[att->buffer].name);
		goto out_unlock;
	}
	dmabuf_attachment_release(ctx, att);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}
