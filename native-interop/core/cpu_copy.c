/*
 * The CPU copy counter (cpu_copy.h). Kept under the context lock like the
 * cache statistics, so a reader on another thread sees whole updates.
 */
#include "internal.h"

void dmabuf_cpu_copy_count(struct dmabuf_ctx *ctx, uint32_t bytes)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT)) {
		(void)DMABUF_REFUSE_OBJECT(ctx, "dmabuf_cpu_copy_count", "ctx");
		return;
	}
	dmabuf_lock(ctx);
	ctx->cpu_copy_stats.bytes += bytes;
	ctx->cpu_copy_stats.copies++;
	dmabuf_unlock(ctx);
}

void dmabuf_cpu_copy_stats(const struct dmabuf_ctx *ctx, struct dmabuf_cpu_copy_stats *out)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT)) {
		(void)DMABUF_REFUSE_OBJECT(ctx, "dmabuf_cpu_copy_stats", "ctx");
		return;
	}
	if (!out) {
		(void)DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_cpu_copy_stats: out: NULL");
		return;
	}
	dmabuf_lock(ctx);
	*out = ctx->cpu_copy_stats;
	dmabuf_unlock(ctx);
}

void dmabuf_cpu_copy_stats_reset(struct dmabuf_ctx *ctx)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT)) {
		(void)DMABUF_REFUSE_OBJECT(ctx, "dmabuf_cpu_copy_stats_reset", "ctx");
		return;
	}
	dmabuf_lock(ctx);
	ctx->cpu_copy_stats = (struct dmabuf_cpu_copy_stats){ 0 };
	dmabuf_unlock(ctx);
}
