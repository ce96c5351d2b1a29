/* The world of the generated rule tests (rule_fixture.h). */
#include "rule_fixture.h"

#include <stdio.h>
#include <string.h>

#include "dmabuf/cache.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RULE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RULE_ASAN 1
#endif
#ifdef RULE_ASAN
#include <sanitizer/asan_interface.h>
#define RULE_POISON(addr, size) __asan_poison_memory_region((addr), (size))
#define RULE_UNPOISON(addr, size) __asan_unpoison_memory_region((addr), (size))
#else
#define RULE_POISON(addr, size) ((void)(addr), (void)(size))
#define RULE_UNPOISON(addr, size) ((void)(addr), (void)(size))
#endif

#define REGION_BASE 0x20000000u
#define REGION_SIZE 65536u

static const struct dmabuf_region_desc regions[] = { { "sram", REGION_BASE, REGION_SIZE, 0, 32u } };
static const struct dmabuf_window windows[] = { { REGION_BASE, REGION_SIZE } };
static const struct dmabuf_device_desc devices[] = { { "dma", windows, 1, 4, 65535, 0, 0 } };
static const struct dmabuf_board board = { "rule", "one uncached region, one device", regions, 1, devices, 1, 0, 0 };

static uint64_t region_bytes[REGION_SIZE / 8];
static void *const region_memory[] = { region_bytes };

/* Live objects, the context that holds the dead table, the dead objects, scratch. */
static uint64_t ctx_storage[8192], pool_storage[256], resv_storage[256], queue_storage[64];
static uint64_t holder_storage[8192], dead_ctx_storage[8192], dead_pool_storage[256], dead_resv_storage[256],
	dead_queue_storage[64], scratch_storage[8192];
static struct dmabuf_ctx *holder; /* keeps the dead table's context alive */

struct rule_fixture fx;
static uint32_t reports;

void rule_report(void *user, const char *message)
{
	(void)user;
	(void)message;
	reports++;
}

void rule_fence_func(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	(void)status;
	(void)user;
}

void rule_wake(void *user)
{
	(void)user;
}

/* The words after the magic word (first in every object) are off limits. */
static void poison_dead(void *object, size_t size)
{
	RULE_POISON((uint8_t *)object + sizeof(uint32_t), size - sizeof(uint32_t));
}

static void unpoison_dead(void *object, size_t size)
{
	RULE_UNPOISON(object, size);
}

static bool setup_failed(const char *step, int err)
{
	if (err == 0)
		return false;
	printf("rule fixture: %s failed (%d)\n", step, err);
	return true;
}

#define STEP(call)                                                                                   \
	do {                                                                                         \
		if (setup_failed(#call, (call)))                                                     \
			return;                                                                      \
	} while (0)

void rule_open(void)
{
	memset(&fx, 0, sizeof(fx));
	dmabuf_set_fallback_report(rule_report, NULL);
	fx.config = (struct dmabuf_config){
		.board = &board,
		.region_memory = region_memory,
		.cache = &dmabuf_cache_none,
		.max_buffers = RULE_MAX_BUFFERS,
		.max_attachments = 4,
		.checker = true,
		.report = rule_report,
	};
	size_t ctx_size = dmabuf_storage_size(&fx.config);
	fx.device_name = "dma";
	fx.storage = scratch_storage;
	fx.storage_size = sizeof(scratch_storage);
	if (ctx_size == 0 || ctx_size > sizeof(ctx_storage)) {
		printf("rule fixture: context storage %zu\n", ctx_size);
		return;
	}
	STEP(dmabuf_init(&fx.ctx, ctx_storage, ctx_size, &fx.config));
	STEP(dmabuf_fence_pool_init(&fx.pool, pool_storage, sizeof(pool_storage), RULE_MAX_FENCES));
	dmabuf_fence_pool_set_report(fx.pool, rule_report, NULL);
	STEP(dmabuf_resv_init(&fx.resv, resv_storage, sizeof(resv_storage), fx.ctx, fx.pool, 0));
	STEP(dmabuf_export(fx.ctx, 256, "frame", 0, &fx.buffer));
	STEP(dmabuf_attach(fx.ctx, fx.buffer, fx.device, &fx.attachment));
	STEP(dmabuf_map(fx.ctx, fx.attachment, DMABUF_TO_DEVICE, &fx.mapping));
	fx.fence_context = dmabuf_fence_context_alloc(fx.pool);
	STEP(dmabuf_fence_create(fx.pool, fx.fence_context, 1, &fx.fence));
	for (uint32_t i = 0; i < RULE_QUEUE_FRAMES; i++)
		STEP(dmabuf_export(fx.ctx, 64, "ring", 0, &fx.queue_buffers[i]));
	STEP(dmabuf_queue_init(&fx.queue, queue_storage, sizeof(queue_storage), fx.queue_buffers, RULE_QUEUE_FRAMES,
			       DMABUF_QUEUE_WHEN_EMPTY));
	dmabuf_queue_set_report(fx.queue, rule_report, NULL);

	/* The dead ones: each initialised, then deinitialised. */
	STEP(dmabuf_init(&holder, holder_storage, ctx_size, &fx.config));
	STEP(dmabuf_resv_init(&fx.dead_resv, dead_resv_storage, sizeof(dead_resv_storage), holder, fx.pool, 0));
	dmabuf_resv_deinit(fx.dead_resv);
	STEP(dmabuf_init(&fx.dead_ctx, dead_ctx_storage, ctx_size, &fx.config));
	STEP(dmabuf_deinit(fx.dead_ctx));
	STEP(dmabuf_fence_pool_init(&fx.dead_pool, dead_pool_storage, sizeof(dead_pool_storage), RULE_MAX_FENCES));
	STEP(dmabuf_fence_pool_deinit(fx.dead_pool));
	STEP(dmabuf_queue_init(&fx.dead_queue, dead_queue_storage, sizeof(dead_queue_storage), fx.queue_buffers,
			       RULE_QUEUE_FRAMES, DMABUF_QUEUE_WHEN_EMPTY));
	STEP(dmabuf_queue_deinit(fx.dead_queue));
	poison_dead(dead_ctx_storage, ctx_size);
	poison_dead(dead_pool_storage, sizeof(dead_pool_storage));
	poison_dead(dead_resv_storage, sizeof(dead_resv_storage));
	poison_dead(dead_queue_storage, sizeof(dead_queue_storage));
	reports = 0;
}

/* Every step of the teardown must succeed: 0 if so, else the first failure. */
static int teardown(void)
{
	unpoison_dead(dead_ctx_storage, sizeof(dead_ctx_storage));
	unpoison_dead(dead_pool_storage, sizeof(dead_pool_storage));
	unpoison_dead(dead_resv_storage, sizeof(dead_resv_storage));
	unpoison_dead(dead_queue_storage, sizeof(dead_queue_storage));
	int err = dmabuf_deinit(holder);
	err = err ? err : dmabuf_queue_deinit(fx.queue);
	if (!err)
		dmabuf_resv_deinit(fx.resv);
	err = err ? err : dmabuf_fence_put(fx.pool, fx.fence);
	err = err ? err : dmabuf_unmap(fx.ctx, fx.attachment, &fx.mapping, DMABUF_TO_DEVICE);
	err = err ? err : dmabuf_detach(fx.ctx, fx.attachment);
	err = err ? err : dmabuf_put(fx.ctx, fx.buffer);
	for (uint32_t i = 0; i < RULE_QUEUE_FRAMES; i++)
		err = err ? err : dmabuf_put(fx.ctx, fx.queue_buffers[i]);
	err = err ? err : dmabuf_fence_pool_deinit(fx.pool);
	err = err ? err : dmabuf_deinit(fx.ctx);
	return err;
}

void rule_close(const char *function, const char *argument, const char *what, bool refused, uint32_t want_reports)
{
	uint32_t got_reports = reports;
	int err = teardown();
#ifndef DMABUF_DEBUG
	want_reports = got_reports = 0; /* release builds report nothing */
#endif
	static char what_failed[160];
	if (!refused) {
		snprintf(what_failed, sizeof(what_failed), "%s with %s %s: not refused", function, argument, what);
		unit_fail(__FILE__, __LINE__, what_failed, 0, 1);
	} else if (got_reports != want_reports) {
		snprintf(what_failed, sizeof(what_failed), "%s with %s %s: messages", function, argument, what);
		unit_fail(__FILE__, __LINE__, what_failed, got_reports, want_reports);
	} else if (err) {
		snprintf(what_failed, sizeof(what_failed), "%s with %s %s: teardown (the call changed state)", function,
			 argument, what);
		unit_fail(__FILE__, __LINE__, what_failed, err, 0);
	}
}
