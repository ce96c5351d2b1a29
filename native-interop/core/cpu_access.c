/*
 * CPU access: the only window in which the CPU may touch a buffer's bytes.
 * One access per buffer at a time; begin and end name the same direction and
 * range. The cache work of both ends is in sync.c (rules 4 and 5).
 */
#include "internal.h"

/* [offset, offset + *length) inside the buffer, DMABUF_WHOLE resolved. Checked
 * without ever computing a sum that could wrap. */
static int resolve_range(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, const char *caller,
			 uint32_t offset, uint32_t *length)
{
	(void)ctx;
	(void)caller;
	if (*length == 0)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "%s: range: length 0 at offset %u (buffer '%s')", caller, offset,
				   buf->name);
	if (*length == DMABUF_WHOLE) {
		if (offset >= buf->size)
			return DMABUF_FAIL(ctx, DMABUF_ERANGE, "%s: range: offset %u is outside buffer '%s' (%u bytes)",
					   caller, offset, buf->name, buf->size);
		*length = buf->size - offset;
		return 0;
	}
	if (*length > buf->size || offset > buf->size - *length)
		return DMABUF_FAIL(ctx, DMABUF_ERANGE, "%s: range: %u+%u is outside buffer '%s' (%u bytes)", caller,
				   offset, *length, buf->name, buf->size);
	return 0;
}

int dmabuf_begin_cpu_access(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, enum dmabuf_direction direction,
			    uint32_t offset, uint32_t length, void **cpu)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_begin_cpu_access", "ctx");
	if (!cpu)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_begin_cpu_access: cpu: NULL");
	struct dmabuf_buffer *buf;
	dmabuf_lock(ctx);
	int err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_begin_cpu_access", &buf);
	if (err)
		goto out_unlock;
	if (!dmabuf_direction_valid(direction)) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL,
				  "dmabuf_begin_cpu_access: direction: %u is not a direction (buffer '%s')",
				  (uint32_t)direction, buf->name);
		goto out_unlock;
	}
	/* Arguments before the wait: a bad range fails at once, not after the
	 * implicit-sync timeout. The size is invariant for life, so the range
	 * still holds if the wait ends with the same buffer. */
	err = resolve_range(ctx, buf, "dmabuf_begin_cpu_access", offset, &length);
	if (err)
		goto out_unlock;
	/* Implicit sync (resv.h) comes next: a wait drops the lock, after
	 * which the buffer is looked up again and no state checked before the
	 * wait still holds. */
	err = dmabuf_implicit_sync(ctx, buf, dmabuf_cpu_writes(direction), "dmabuf_begin_cpu_access");
	if (err > 0)
		err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_begin_cpu_access", &buf);
	if (err)
		goto out_unlock;
	if (buf->cpu_direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EBUSY,
				  "dmabuf_begin_cpu_access: cpu-access: buffer '%s' already has a %s access open at %u+%u",
				  buf->name, dmabuf_direction_name(buf->cpu_direction), buf->cpu_offset, buf->cpu_length);
		goto out_unlock;
	}
	err = dmabuf_checker_begin_cpu(ctx, buf);
	if (err)
		goto out_unlock;

	bool placed_here;
	err = dmabuf_place_for_use(ctx, buf, "dmabuf_begin_cpu_access", &placed_here);
	if (err)
		goto out_unlock;
	err = dmabuf_sync_begin_cpu(ctx, buf, offset, length);
	if (err) {
		err = DMABUF_FAIL(ctx, err, "dmabuf_begin_cpu_access: cache: backend failed (%d) for buffer '%s'",
				  (int32_t)err, buf->name);
		goto err_unplace;
	}
	bool was_device_owned = dmabuf_device_owned(buf);
	buf->cpu_direction = (uint8_t)direction;
	buf->cpu_offset = offset;
	buf->cpu_length = length;
	*cpu = dmabuf_buffer_cpu(ctx, buf) + offset;
	dmabuf_ownership_changed(ctx, buf, was_device_owned);
	goto out_unlock;

err_unplace:
	if (placed_here)
		dmabuf_unplace(ctx, buf);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}

int dmabuf_end_cpu_access(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, enum dmabuf_direction direction,
			  uint32_t offset, uint32_t length)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_end_cpu_access", "ctx");
	struct dmabuf_buffer *buf;
	dmabuf_lock(ctx);
	int err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_end_cpu_access", &buf);
	if (err)
		goto out_unlock;
	if (!dmabuf_direction_valid(direction)) {
		err = DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_end_cpu_access: direction: %u is not a direction (buffer '%s')",
				  (uint32_t)direction, buf->name);
		goto out_unlock;
	}
	/* Arguments before state: a bad range is -EINVAL / -ERANGE whether or
	 * not an access is open. */
	err = resolve_range(ctx, buf, "dmabuf_end_cpu_access", offset, &length);
	if (err)
		goto out_unlock;
	if (!buf->cpu_direction) {
		err = DMABUF_FAIL(ctx, DMABUF_EPERM, "dmabuf_end_cpu_access: not-open: buffer '%s' has no CPU access open",
				  buf->name);
		goto out_unlock;
	}
	if (direction != buf->cpu_direction || offset != buf->cpu_offset || length != buf->cpu_length) {
		err = DMABUF_FAIL(ctx, DMABUF_EPERM,
				  "dmabuf_end_cpu_access: mismatch: buffer '%s' has a %s access open at %u+%u, not %s at %u+%u",
				  buf->name, dmabuf_direction_name(buf->cpu_direction), buf->cpu_offset, buf->cpu_length,
				  dmabuf_direction_name(direction), offset, length);
		goto out_unlock;
	}
	err = dmabuf_sync_end_cpu(ctx, buf, direction, offset, length);
	if (err) {
		err = DMABUF_FAIL(ctx, err, "dmabuf_end_cpu_access: cache: backend failed (%d) for buffer '%s'",
				  (int32_t)err, buf->name);
		goto out_unlock;
	}
	if (dmabuf_cpu_writes(direction) && offset == 0 && length == buf->size)
		dmabuf_cpu_rewrote(ctx, buf);
	bool was_device_owned = dmabuf_device_owned(buf);
	buf->cpu_direction = 0;
	dmabuf_ownership_changed(ctx, buf, was_device_owned);
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}

int dmabuf_cpu_pointer(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, uint32_t offset, uint32_t length,
		       void **cpu)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_cpu_pointer", "ctx");
	if (!cpu)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_cpu_pointer: cpu: NULL");
	struct dmabuf_buffer *buf;
	dmabuf_lock(ctx);
	int err = dmabuf_buffer_lookup(ctx, buffer, "dmabuf_cpu_pointer", &buf);
	if (err)
		goto out_unlock;
	/* Written so that no sum can wrap: the open window is inside the buffer. */
	if (!buf->cpu_direction || offset < buf->cpu_offset || offset - buf->cpu_offset > buf->cpu_length ||
	    length > buf->cpu_length - (offset - buf->cpu_offset)) {
		err = DMABUF_FAIL(ctx, DMABUF_EPERM,
				  "dmabuf_cpu_pointer: window: %u+%u of buffer '%s' is not inside an open CPU access",
				  offset, length, buf->name);
		goto out_unlock;
	}
	*cpu = dmabuf_buffer_cpu(ctx, buf) + offset;
out_unlock:
	dmabuf_unlock(ctx);
	return err;
}
