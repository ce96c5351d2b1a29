/*
 * The misuse checker: the switchable ownership rules between the CPU and the
 * devices (config.checker, dmabuf_set_checker). Handle, range, reachability
 * and state-machine checks (double unmap, detach while mapped, ...) are not
 * here: they are always on, in the function they protect.
 *
 *   cpu-owns     map while the CPU holds an access that conflicts with it:
 *                one that writes (TO_DEVICE / BIDIRECTIONAL), whatever the
 *                device does (it would read half-written data, and the
 *                CPU's lines are cleaned only when the access ends); or any
 *                access, if the device writes (FROM_DEVICE / BIDIRECTIONAL):
 *                the CPU's window would go on showing the lines it already
 *                holds while the DMA replaces the bytes beneath them, and
 *                no invalidate follows until the next begin_cpu_access.
 *   device-owns  begin_cpu_access while a device holds a mapping that writes
 *                (FROM_DEVICE / BIDIRECTIONAL): the CPU would read (or write
 *                over) data the DMA is still producing.
 */
#include "internal.h"

void dmabuf_set_checker(struct dmabuf_ctx *ctx, bool on)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT)) {
		(void)DMABUF_REFUSE_OBJECT(ctx, "dmabuf_set_checker", "ctx");
		return;
	}
	dmabuf_lock(ctx);
	ctx->checker = on;
	dmabuf_unlock(ctx);
}

int dmabuf_checker_map_rule(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
			    const struct dmabuf_attachment *att, enum dmabuf_direction direction)
{
	(void)att;
	if (!buf->cpu_direction || !(dmabuf_cpu_writes(buf->cpu_direction) || dmabuf_device_writes(direction)))
		return 0;
	return DMABUF_FAIL(ctx, DMABUF_EBUSY,
			   "dmabuf_map: cpu-owns: the CPU holds a %s access to buffer '%s' at %u+%u; device '%s' must wait for its end to map it %s",
			   dmabuf_direction_name(buf->cpu_direction), buf->name, buf->cpu_offset, buf->cpu_length,
			   ctx->board->devices[att->device].name, dmabuf_direction_name(direction));
}

int dmabuf_checker_begin_cpu_rule(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	for (uint16_t a = buf->first_attachment; a != DMABUF_SLOT_NONE; a = ctx->attachments[a].next) {
		const struct dmabuf_attachment *att = &ctx->attachments[a];
		if (dmabuf_device_writes(att->memo.direction))
			return DMABUF_FAIL(ctx, DMABUF_EBUSY,
					   "dmabuf_begin_cpu_access: device-owns: device '%s' holds a %s mapping of buffer '%s'; unmap it first",
					   ctx->board->devices[att->device].name, dmabuf_direction_name(att->memo.direction),
					   buf->name);
	}
	return 0;
}
