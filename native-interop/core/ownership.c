/*
 * Strict ownership: the optional hook of dmabuf/ownership.h hears when a
 * buffer passes to the devices (mapped, no CPU access open) and back, so a
 * protection unit can fault stray CPU accesses in between. The four calls
 * that change the condition (map, unmap, begin/end_cpu_access) report here
 * after their own state change; a failing hook changes nothing they return.
 */
#include "internal.h"

void dmabuf_ownership_notify(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, bool was)
{
	bool now = dmabuf_device_owned(buf);
	if (now == was)
		return;
	void *cpu = dmabuf_buffer_cpu(ctx, buf);
	uint32_t size = dmabuf_buffer_padded(ctx, buf);
	if (now)
		(void)ctx->ownership->device_owned(ctx->ownership_priv, cpu, size, buf->name);
	else
		ctx->ownership->cpu_owned(ctx->ownership_priv, cpu, size);
}
