/*
 * dmabuf_reset, the soft-reboot path: whatever the users left (references,
 * attachments, mappings, an open CPU access, deferred storage, fences in the
 * reservation table) is reported by name and dropped, with no cache work,
 * every old handle stale, and the context as dmabuf_init left it.
 */
#include <string.h>

#include "dmabuf/resv.h"
#include "fixture.h"

#define KIB 1024u

static void reset_drops_buffers_in_every_state_and_names_each(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	/* Slots are handed out in index order, so the last report is 'deferred'. */
	dmabuf_handle_t plain = fx_export(ctx, 100, "plain", 0);
	dmabuf_handle_t shared = fx_export(ctx, 100, "shared", 0);
	dmabuf_handle_t mapped = fx_export(ctx, 4096, "mapped", 0);
	dmabuf_handle_t open = fx_export(ctx, 256, "cpu_open", 0);
	dmabuf_handle_t deferred = fx_export(ctx, 512, "deferred", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t writer = fx_attach(ctx, mapped, FX_DMA);
	dmabuf_handle_t idle = fx_attach(ctx, mapped, FX_GDMA);
	dmabuf_handle_t waiting = fx_attach(ctx, deferred, FX_DMA2);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_get(ctx, shared), 0);
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, writer, DMABUF_FROM_DEVICE, &map), 0);
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, open, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	struct fx_cache before = fx_cache;
	fx_clear_messages();

	UNIT_EQ(dmabuf_reset(ctx), 5);
#ifdef DMABUF_DEBUG
	UNIT_EQ(fx_messages, 5);
#endif
	UNIT_ASSERT(fx_message_has("dmabuf_reset: leak: buffer 'deferred'"));
	/* Nothing was cleaned or invalidated: no CPU write is owed to anyone. */
	UNIT_EQ(fx_cache.clean_calls, before.clean_calls);
	UNIT_EQ(fx_cache.invalidate_calls, before.invalidate_calls);

	struct dmabuf_heap_stats heap;
	dmabuf_heap_stats(ctx, &heap);
	UNIT_EQ(heap.in_use, 0);
	UNIT_EQ(heap.peak, 0);
	UNIT_EQ(heap.failed, 0);
	UNIT_EQ(heap.live_buffers, 0);
	UNIT_EQ(heap.live_attachments, 0);
	UNIT_EQ(heap.largest_free, 192 * KIB); /* the whole sram region, merged again */
	struct dmabuf_cache_stats cache;
	dmabuf_cache_stats(ctx, &cache);
	UNIT_EQ(cache.lines_cleaned + cache.lines_invalidated + cache.whole_cache_ops, 0);
	FX_CHECK(ctx);

	/* Every handle from before is stale, whatever its object's state was. */
	UNIT_EQ(dmabuf_get(ctx, plain), DMABUF_EBADF);
	UNIT_EQ(dmabuf_put(ctx, shared), DMABUF_EBADF);
	UNIT_EQ(dmabuf_unmap(ctx, writer, &map, DMABUF_FROM_DEVICE), DMABUF_EBADF);
	UNIT_EQ(dmabuf_detach(ctx, idle), DMABUF_EBADF);
	UNIT_EQ(dmabuf_detach(ctx, waiting), DMABUF_EBADF);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, open, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), DMABUF_EBADF);
	struct dmabuf_info info;
	UNIT_EQ(dmabuf_get_info(ctx, deferred, &info), DMABUF_EBADF);

	/* ... and stays so when its slot is reused; the heap holds a buffer of a
	 * whole region again, and the context tears down clean. */
	dmabuf_handle_t again = fx_export(ctx, 192 * KIB, "again", 0);
	UNIT_CHECK_HELPER();
	UNIT_ASSERT(again != plain);
	UNIT_EQ(dmabuf_get(ctx, plain), DMABUF_EBADF);
	UNIT_EQ(fx_info(ctx, again).dma_addr, FX_SRAM_BASE);
	UNIT_EQ(dmabuf_put(ctx, again), 0);
	fx_done(ctx);
}

static void reset_of_an_empty_context_reports_nothing(void)
{
	UNIT_EQ(dmabuf_reset(NULL), DMABUF_EINVAL);
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_put(ctx, fx_export(ctx, 64, "gone", 0)), 0);
	fx_clear_messages();
	UNIT_EQ(dmabuf_reset(ctx), 0);
	UNIT_EQ(fx_messages, 0);
	struct dmabuf_heap_stats heap;
	dmabuf_heap_stats(ctx, &heap);
	UNIT_EQ(heap.peak, 0); /* the statistics restart even when nothing was left */
	fx_done(ctx);
}

/* ---- the ownership hook hears the buffer is the CPU's again -------------- */

static struct {
	uint32_t device_owned;
	uint32_t cpu_owned;
	void *first_device_owned; /* storage of the first buffer handed to the devices */
	void *last_cpu_owned;
} hook;

static int hook_device_owned(void *priv, void *cpu, size_t size, const char *name)
{
	(void)priv;
	(void)size;
	(void)name;
	if (hook.device_owned++ == 0)
		hook.first_device_owned = cpu;
	return 0;
}

static void hook_cpu_owned(void *priv, void *cpu, size_t size)
{
	(void)priv;
	(void)size;
	hook.cpu_owned++;
	hook.last_cpu_owned = cpu;
}

static const struct dmabuf_ownership_ops hook_ops = {
	.device_owned = hook_device_owned,
	.cpu_owned = hook_cpu_owned,
};

static uint64_t hook_storage[4096];

static void reset_gives_device_owned_storage_back_to_the_cpu(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL); /* fills fx_config */
	UNIT_ASSERT(ctx);
	fx_done(ctx);
	struct dmabuf_config config = fx_config;
	config.ownership = &hook_ops;
	memset(&hook, 0, sizeof(hook));
	UNIT_EQ(dmabuf_init(&ctx, hook_storage, sizeof(hook_storage), &config), 0);

	dmabuf_handle_t device_side = fx_export(ctx, 1000, "device_side", 0);
	dmabuf_handle_t cpu_side = fx_export(ctx, 1000, "cpu_side", 0);
	dmabuf_handle_t a = fx_attach(ctx, device_side, FX_DMA);
	dmabuf_handle_t b = fx_attach(ctx, cpu_side, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, a, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_map(ctx, b, DMABUF_TO_DEVICE, &map), 0);
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, cpu_side, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	/* device_side went to the devices; cpu_side went and came back. */
	UNIT_EQ(hook.device_owned, 2);
	UNIT_EQ(hook.cpu_owned, 1);
	UNIT_ASSERT(hook.last_cpu_owned == cpu);

	UNIT_EQ(dmabuf_reset(ctx), 2);
	/* Only device_side was the devices': its storage, and nothing else,
	 * is the CPU's again (an MPU hook would reopen it here). */
	UNIT_EQ(hook.device_owned, 2);
	UNIT_EQ(hook.cpu_owned, 2);
	UNIT_ASSERT(hook.last_cpu_owned == hook.first_device_owned);
	fx_done(ctx);
}

/* ---- the reservation table lets go of the buffers' fences ---------------- */

static uint64_t pool_storage[256];
static uint64_t resv_storage[128];

static void reset_releases_the_fences_the_reservations_held(void)
{
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_buffers = 8 });
	UNIT_ASSERT(ctx);
	struct dmabuf_fence_pool *pool;
	struct dmabuf_resv_table *resv;
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 8), 0);
	UNIT_ASSERT(dmabuf_resv_storage_size(8) <= sizeof(resv_storage));
	UNIT_EQ(dmabuf_resv_init(&resv, resv_storage, sizeof(resv_storage), ctx, pool, 0), 0);
	dmabuf_handle_t buffer = fx_export(ctx, 256, "busy", 0);
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, dmabuf_fence_context_alloc(pool), 1, &fence), 0);
	UNIT_EQ(dmabuf_resv_attach_job(resv, buffer, DMABUF_FROM_DEVICE, fence), 0);
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.refcount, 2);

	UNIT_EQ(dmabuf_reset(ctx), 1);
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.refcount, 1); /* only the creator's reference is left */
	UNIT_EQ(dmabuf_resv_fence_count(resv), 0);

	/* The table stays bound and serves the buffers made after the reset. */
	dmabuf_handle_t next = fx_export(ctx, 256, "next", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_attach_job(resv, next, DMABUF_FROM_DEVICE, fence), 0);
	UNIT_EQ(dmabuf_resv_test(resv, next, false), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_resv_test(resv, next, false), 1);

	dmabuf_resv_deinit(resv);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	UNIT_EQ(dmabuf_put(ctx, next), 0);
	fx_done(ctx);
}

const struct unit_suite suite_core_reset = UNIT_SUITE(core_reset,
	UNIT_TEST(reset_drops_buffers_in_every_state_and_names_each),
	UNIT_TEST(reset_of_an_empty_context_reports_nothing),
	UNIT_TEST(reset_gives_device_owned_storage_back_to_the_cpu),
	UNIT_TEST(reset_releases_the_fences_the_reservations_held));
