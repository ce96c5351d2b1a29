/*
 * Buffers, the exporter side: export, get/put, info, bufinfo.
 *
 * A buffer is a refcounted slot owning at most one heap block (none while
 * placement is deferred). Its size is fixed at export; storage is padded to
 * whole lines. The handle goes stale when the last reference is dropped.
 */
#include "internal.h"

uint16_t dmabuf_buffer_slot(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	return (uint16_t)(buf - ctx->buffers);
}

static dmabuf_handle_t buffer_handle(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	return dmabuf_handle_encode(DMABUF_HANDLE_BUFFER, buf->generation, dmabuf_buffer_slot(ctx, buf));
}

#ifdef DMABUF_DEBUG
/* The inline dmabuf_buffer_lookup refused @handle: say why. A handle that
 * decodes refers to a dead slot or an older generation: stale. */
int dmabuf_buffer_lookup_failed(const struct dmabuf_ctx *ctx, dmabuf_handle_t handle, const char *caller)
{
	uint32_t slot;
	uint16_t generation;
	enum dmabuf_handle_fault fault =
		dmabuf_handle_decode(handle, DMABUF_HANDLE_BUFFER, ctx->max_buffers, &slot, &generation);
	if (fault == DMABUF_HANDLE_OK)
		fault = DMABUF_HANDLE_STALE;
	return DMABUF_FAIL(ctx, DMABUF_EBADF, "%s: handle: 0x%x is %s, not a live buffer", caller,
			   (uint32_t)handle, dmabuf_handle_fault_name(fault));
}
#endif

static uint32_t largest_region(const struct dmabuf_board *board)
{
	uint32_t largest = 0;
	for (uint32_t r = 0; r < board->region_count; r++)
		if (board->regions[r].size > largest)
			largest = board->regions[r].size;
	return largest;
}

int dmabuf_export(struct dmabuf_ctx *ctx, uint32_t size, const char *name, uint32_t flags,
		  dmabuf_handle_t *out)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_export", "ctx");
	if (!out)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_export: out: NULL");
	int err;
	dmabuf_lock(ctx);
	if (size == 0) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_export: size: 0 bytes (buffer '%s')", name);
		goto out_unlock;
	}
	if (flags & ~(DMABUF_EXPORT_PREFER_UNCACHED | DMABUF_EXPORT_DEFER_PLACEMENT)) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_export: flags: unknown flags 0x%x (buffer '%s')",
				  flags, name);
		goto out_unlock;
	}
	/* The slot is taken from the pool only once nothing can fail, so a
	 * failed export leaves even the slot order as it was. */
	uint16_t slot = ctx->free_buffers.head;
	if (slot == DMABUF_SLOT_NONE) {
		err = DMABUF_FAIL(ctx, DMABUF_ENOMEM, "dmabuf_export: slots: all %u buffer slots in use (buffer '%s')",
				  ctx->max_buffers, name);
		goto out_unlock;
	}

	struct dmabuf_buffer *buf = &ctx->buffers[slot];
	buf->size = size;
	buf->export_flags = (uint8_t)flags;
	buf->block = DMABUF_SLOT_NONE;
	buf->first_attachment = DMABUF_SLOT_NONE;
	buf->attachments = 0;
	buf->mappings = 0;
	buf->cpu_direction = 0;
	buf->cache_state = 0;
	buf->ever_mapped = false;
	if (flags & DMABUF_EXPORT_DEFER_PLACEMENT) {
		/* Fail now rather than at the first map if no region could ever
		 * hold it. */
		if (size > largest_region(ctx->board)) {
			ctx->heap.failed++;
			err = DMABUF_FAIL(ctx, DMABUF_ENOMEM, "dmabuf_export: heap: no region holds %u bytes (buffer '%s')",
					  size, name);
			goto out_unlock;
		}
	} else {
		err = dmabuf_place(ctx, buf, -1);
		if (err) {
			err = DMABUF_FAIL(ctx, err, "dmabuf_export: heap: no region has %u free bytes (buffer '%s')",
					  size, name);
			goto out_unlock;
		}
	}

	size_t n = 0;
	for (; name && name[n] && n < DMABUF_NAME_MAX - 1; n++)
		buf->name[n] = name[n];
	buf->name[n] = '\0';
	buf->refcount = 1;
	dmabuf_slot_pool_take(&ctx->free_buffers);
	ctx->live_buffers++;
	*out = buffer_handle(ctx, buf);
	err = 0;
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}

int dmabuf_get(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_get", "ctx");
	struct dmabuf_buffer *buf;
	dmabuf_lock(ctx);
	int err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_get", &buf);
	if (!err)
		buf->refcount++;
	dmabuf_unlock(ctx);
	return err;
}

static void buffer_release(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf)
{
	if (dmabuf_buffer_placed(buf))
		dmabuf_unplace(ctx, buf);
	uint16_t slot = dmabuf_buffer_slot(ctx, buf);
	dmabuf_resv_buffer_released(ctx, slot);
	buf->generation = dmabuf_handle_next_generation(buf->generation);
	dmabuf_slot_pool_give(&ctx->free_buffers, slot);
	ctx->live_buffers--;
}

void dmabuf_buffer_drop(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf)
{
	bool was_device_owned = dmabuf_device_owned(buf);
	while (buf->first_attachment != DMABUF_SLOT_NONE)
		dmabuf_attachment_release(ctx, &ctx->attachments[buf->first_attachment]);
	buf->mappings = 0;
	buf->cpu_direction = 0;
	dmabuf_ownership_changed(ctx, buf, was_device_owned);
	buf->refcount = 0;
	buffer_release(ctx, buf);
}

int dmabuf_put(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_put", "ctx");
	if (buffer == 0)
		return 0;
	struct dmabuf_buffer *buf;
	dmabuf_lock(ctx);
	int err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_put", &buf);
	if (err)
		goto out_unlock;
	if (buf->refcount == 1 && buf->attachments > 0) {
		err = DMABUF_FAIL(ctx, DMABUF_EBUSY,
				  "dmabuf_put: busy: last reference of buffer '%s' dropped with %u attachments (detach first)",
				  buf->name, (uint32_t)buf->attachments);
		goto out_unlock;
	}
	if (buf->refcount == 1 && buf->cpu_direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EBUSY,
				  "dmabuf_put: busy: last reference of buffer '%s' dropped with a CPU access open",
				  buf->name);
		goto out_unlock;
	}
	if (--buf->refcount == 0)
		buffer_release(ctx, buf);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}

/* The DMABUF_CACHE_* bits as reported (dmabuf_info, bufinfo): none where the
 * rules have nothing to do, unplaced or uncached storage. */
static uint8_t cache_facts(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	return dmabuf_buffer_placed(buf) && dmabuf_buffer_cacheable(ctx, buf) ? buf->cache_state : 0;
}

int dmabuf_get_info(const struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, struct dmabuf_info *out)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_get_info", "ctx");
	if (!out)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_get_info: out: NULL");
	struct dmabuf_buffer *buf;
	dmabuf_lock(ctx);
	int err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_get_info", &buf);
	if (err)
		goto out_unlock;
	for (size_t i = 0; i < DMABUF_NAME_MAX; i++)
		out->name[i] = buf->name[i];
	out->size = buf->size;
	out->region = dmabuf_buffer_placed(buf) ? (int32_t)dmabuf_buffer_region(ctx, buf) : -1;
	out->dma_addr = dmabuf_buffer_placed(buf) ? dmabuf_buffer_dma(ctx, buf) : 0;
	out->refcount = buf->refcount;
	out->attachments = buf->attachments;
	out->device_mappings = buf->mappings;
	out->cpu_access = buf->cpu_direction;
	out->ever_mapped = buf->ever_mapped;
	out->cache_state = cache_facts(ctx, buf);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}

/* Columns by value: cpu_direction is 0 or a valid direction, and the
 * cache_state bits are 1 << index of their name. */
static const char *const cpu_columns[] = { "-", "to", "from", "bidi" };
static const char *const cache_flags[] = { " dirty", " stale", " clean-owed" };
_Static_assert(DMABUF_CACHE_MAY_BE_DIRTY == 1u << 0 && DMABUF_CACHE_MAY_BE_STALE == 1u << 1 &&
		       DMABUF_CACHE_CLEAN_DEFERRED == 1u << 2,
	       "cache_flags[] follows the cache_state bits");

static void bufinfo_line(const struct dmabuf_ctx *ctx, struct dmabuf_text *text, const struct dmabuf_buffer *buf)
{
	dmabuf_text_format(text, "%-16s%10u  ", buf->name, buf->size);
	if (dmabuf_buffer_placed(buf))
		dmabuf_text_format(text, "%-10s0x%08x ", ctx->board->regions[dmabuf_buffer_region(ctx, buf)].name,
				   dmabuf_buffer_dma(ctx, buf));
	else
		dmabuf_text_format(text, "%-10s%-10s ", "-", "-");
	dmabuf_text_format(text, "%5u %4u %4u  %-4s  %s", buf->refcount, (uint32_t)buf->attachments,
			   (uint32_t)buf->mappings, cpu_columns[buf->cpu_direction],
			   !dmabuf_buffer_placed(buf) ? "unplaced" : buf->ever_mapped ? "fixed" : "movable");
	uint8_t facts = cache_facts(ctx, buf);
	for (uint32_t bit = 0; bit < sizeof(cache_flags) / sizeof(cache_flags[0]); bit++)
		if (facts & (1u << bit))
			dmabuf_text_format(text, cache_flags[bit]);
	dmabuf_text_format(text, "\n");
}

int dmabuf_bufinfo(const struct dmabuf_ctx *ctx, char *text_buf, size_t len)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_bufinfo", "ctx");
	if (!text_buf && len > 0)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_bufinfo: text: NULL with len %u", (uint32_t)len);
	struct dmabuf_text text;
	dmabuf_text_init(&text, text_buf, len);
	dmabuf_lock(ctx);
	/* The column heads, spelled out: formatting them costs more code than text. */
	dmabuf_text_format(&text, "name                  size  region    dma_addr    refs  att maps  cpu   state\n");
	for (uint32_t slot = 0; slot < ctx->max_buffers; slot++)
		if (ctx->buffers[slot].refcount > 0)
			bufinfo_line(ctx, &text, &ctx->buffers[slot]);
	dmabuf_text_format(&text, "%u buffers, %u of %u bytes in use\n", ctx->live_buffers, ctx->heap.in_use,
			   ctx->heap.capacity);
	dmabuf_unlock(ctx);
	return (int)text.len;
}
