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
	DMABUF_STATS(ctx, cpu_copy_stats, out, "dmabuf_cpu_copy_stats");
}

void dmabuf_cpu_copy_stats_reset(struct dmabuf_ctx *ctx)
{
	DMABUF_STATS(ctx, cpu_copy_stats, DMABUF_STATS_RESET, "dmabuf_cpu_copy_stats_reset");
}
