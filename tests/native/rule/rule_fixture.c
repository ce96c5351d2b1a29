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
static const struct dmabuf_board board = { "rule", "one uncached region, one device", regions, 1, devices, 1, 0, 0, 0 };

static uint64_t region_bytes[REGION_SIZE / 8];
static void *const region_memory[] = { region_bytes };

/* Live objects, the context that holds the dead table, the dead objects, scratch. */
static uint64_t ctx_storage[8192], pool_storage[256], resv_storage[256], queue_storage[64];
static uint64_t holder_storage[8192], dead_ctx_storage[8192], dead_pool_storage[256], dead_resv_storage[256],
	dead_queue_storage[64], scratch_storage[8192];
static struct dmabuf_ctx *holder; /* keeps the dead table's context alive */

struct rule_fixture fx;
static uint32_t reports;
static char first_report[192]; /* the first message of the call, to check what it names */

void rule_report(void *user, const char *message)
{
	(void)user;
	if (reports++ == 0)
		snprintf(first_report, sizeof(first_report), "%s", message);
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

int rule_wait_hook(void *user, struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t timeout_us)
{
	(void)user;
	(void)pool;
	(void)fence;
	(void)timeout_us;
	return 1; /* cannot make it signal: the wait goes on as without a hook */
}

bool rule_all_zero(const void *p, size_t size)
{
	const uint8_t *bytes = p;
	for (size_t i = 0; i < size; i++)
		if (bytes[i])
			return false;
	return true;
}

/* The fixture's back end: takes every job, hands out fence 0. A front
 * function that let a NULL through reaches these, which write through it. */
static int periph_configure(struct dmabuf_peripheral *p, const struct dmabuf_frame_format *format)
{
	(void)p;
	(void)format;
	return 0;
}

static int periph_job(struct dmabuf_peripheral *p, const struct dmabuf_mapping *mapping, dmabuf_fence_t *fence)
{
	(void)p;
	(void)mapping;
	*fence = 0;
	return 0;
}

static int periph_write_rect(struct dmabuf_peripheral *p, const struct dmabuf_mapping *mapping, uint32_t offset,
			     uint32_t stride, const struct dmabuf_rect *window, dmabuf_fence_t *done)
{
	(void)offset;
	(void)stride;
	(void)window;
	return periph_job(p, mapping, done);
}

static int periph_command(struct dmabuf_peripheral *p, uint32_t command, const uint8_t *parameters, uint32_t count,
			  dmabuf_fence_t *done)
{
	(void)command;
	(void)parameters;
	(void)count;
	return periph_job(p, NULL, done);
}

static int periph_completion(struct dmabuf_peripheral *p, dmabuf_fence_t done, struct dmabuf_completion *out)
{
	(void)p;
	(void)done;
	*out = (struct dmabuf_completion){ 0 };
	return 0;
}

static const struct dmabuf_peripheral_ops periph_ops = { periph_configure, periph_job, periph_job,
							 periph_write_rect, periph_command, periph_completion };

static struct dmabuf_peripheral peripheral(const char *name, uint32_t kind)
{
	return (struct dmabuf_peripheral){ .name = name, .device = "dma", .kind = kind,
					   .constraints = { 1u << DMABUF_PIXEL_RGB565_LE, RULE_FRAME_SIDE,
							    RULE_FRAME_SIDE },
					   .ops = &periph_ops };
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
	STEP(dmabuf_map(fx.ctx, fx.attachment, DMABUF_BIDIRECTIONAL, &fx.mapping));
	fx.fence_context = dmabuf_fence_context_alloc(fx.pool);
	STEP(dmabuf_fence_create(fx.pool, fx.fence_context, 1, &fx.fence));
	for (uint32_t i = 0; i < RULE_QUEUE_FRAMES; i++)
		STEP(dmabuf_export(fx.ctx, 64, "ring", 0, &fx.queue_buffers[i]));
	STEP(dmabuf_queue_init(&fx.queue, queue_storage, sizeof(queue_storage), fx.queue_buffers, RULE_QUEUE_FRAMES,
			       DMABUF_QUEUE_WHEN_EMPTY));
	dmabuf_queue_set_report(fx.queue, rule_report, NULL);
	memset(fx.text, 'A', sizeof(fx.text) - 1); /* printable: a text to draw */
	fx.frame = (struct dmabuf_frame){ fx.buffer, 0, RULE_FRAME_SIDE, RULE_FRAME_SIDE, RULE_FRAME_STRIDE,
					  DMABUF_PIXEL_RGB565_LE };
	fx.registry.report = rule_report;
	fx.camera = peripheral("camera", DMABUF_PERIPHERAL_CAMERA);
	fx.display = peripheral(fx.device_name, DMABUF_PERIPHERAL_DISPLAY);
	fx.panel = peripheral("panel", DMABUF_PERIPHERAL_SPI_PANEL);
	fx.frame_format = (struct dmabuf_frame_format){ RULE_FRAME_SIDE, RULE_FRAME_SIDE, DMABUF_PIXEL_RGB565_LE };
	fx.window = (struct dmabuf_rect){ 0, 0, 2, 2 };
	STEP(dmabuf_peripheral_register(&fx.registry, &fx.camera));
	STEP(dmabuf_peripheral_register(&fx.registry, &fx.display));
	STEP(dmabuf_peripheral_register(&fx.registry, &fx.panel));
	STEP(dmabuf_peripheral_configure(&fx.camera, &fx.frame_format));
	STEP(dmabuf_peripheral_configure(&fx.display, &fx.frame_format));
	STEP(dmabuf_peripheral_configure(&fx.panel, &(struct dmabuf_frame_format){ 0, 0, DMABUF_PIXEL_RGB565_LE }));

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
	first_report[0] = 0;
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
	err = err ? err : dmabuf_unmap(fx.ctx, fx.attachment, &fx.mapping, DMABUF_BIDIRECTIONAL);
	err = err ? err : dmabuf_detach(fx.ctx, fx.attachment);
	err = err ? err : dmabuf_put(fx.ctx, fx.buffer);
	for (uint32_t i = 0; i < RULE_QUEUE_FRAMES; i++)
		err = err ? err : dmabuf_put(fx.ctx, fx.queue_buffers[i]);
	err = err ? err : dmabuf_fence_pool_deinit(fx.pool);
	err = err ? err : dmabuf_deinit(fx.ctx);
	return err;
}

/* The rule's message starts "<function>: <argument>: ". */
static bool names_argument(const char *function, const char *argument)
{
	char prefix[128];
	snprintf(prefix, sizeof(prefix), "%s: %s: ", function, argument);
	return strncmp(first_report, prefix, strlen(prefix)) == 0;
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
	} else if (want_reports && !names_argument(function, argument)) {
		snprintf(what_failed, sizeof(what_failed), "%s with %s %s: message '%.80s' does not name it", function,
			 argument, what, first_report);
		unit_fail(__FILE__, __LINE__, what_failed, 0, 1);
	} else if (err) {
		snprintf(what_failed, sizeof(what_failed), "%s with %s %s: teardown (the call changed state)", function,
			 argument, what);
		unit_fail(__FILE__, __LINE__, what_failed, err, 0);
	}
}
